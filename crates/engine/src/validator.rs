//! Convex validators (`v.*` from `convex/values`) as data, serialised exactly as Convex's own
//! `validator.json` (the wire format of `schema.export()` and `exportArgs()`).

use base64::Engine as _;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::json;

#[derive(Clone, Debug, PartialEq)]
pub enum Validator {
    Null,
    /// `v.number()` and `v.float64()`.
    Number,
    /// `v.int64()` and `v.bigint()`.
    Bigint,
    CommitTs,
    Boolean,
    String,
    Bytes,
    Any,
    Literal(LiteralValue),
    Id { table: String },
    Array(Box<Validator>),
    Record { keys: Box<Validator>, values: Box<Validator> },
    Object(ObjectFields),
    Union(Vec<Validator>),
    /// `v.function({ fnType?, args?, returns? })` (convex 1.49): a function handle, a string at
    /// run time. The signature types the handle for codegen; Convex does not check it.
    Function { fn_type: Option<String>, args: Option<Box<Validator>>, returns: Option<Box<Validator>> },
}

/// The fields of a `v.object`, in insertion order (which Convex's JSON keeps).
pub type ObjectFields = Vec<(String, Field)>;

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub validator: Validator,
    pub optional: bool,
}

/// The value of a `v.literal(...)`.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralValue {
    String(String),
    Number(f64),
    Boolean(bool),
    Bigint(i64),
}

impl Validator {
    /// Counts the validator's nodes; false once `parts` runs out (see `values::MAX_VALUE_PARTS`).
    pub fn count_parts(&self, parts: &mut crate::values::Parts) -> bool {
        parts.take(1)
            && match self {
                Validator::Array(element) => element.count_parts(parts),
                Validator::Record { keys, values } => keys.count_parts(parts) && values.count_parts(parts),
                Validator::Object(fields) => fields.iter().all(|(_, field)| field.validator.count_parts(parts)),
                Validator::Union(members) => members.iter().all(|member| member.count_parts(parts)),
                Validator::Function { args, returns, .. } => [args, returns].into_iter().flatten().all(|v| v.count_parts(parts)),
                _ => true,
            }
    }

    /// The `type` of the validator in Convex's JSON (`number`, `id`, `object`, ...).
    pub fn json_type(&self) -> &'static str {
        match self {
            Validator::Null => "null",
            Validator::Number => "number",
            Validator::Bigint => "bigint",
            Validator::CommitTs => "commitTs",
            Validator::Boolean => "boolean",
            Validator::String => "string",
            Validator::Bytes => "bytes",
            Validator::Any => "any",
            Validator::Literal(_) => "literal",
            Validator::Id { .. } => "id",
            Validator::Array(_) => "array",
            Validator::Record { .. } => "record",
            Validator::Object(_) => "object",
            Validator::Union(_) => "union",
            Validator::Function { .. } => "function",
        }
    }

    /// A short TypeScript-like rendering for people (`string`, `Id<"users">`, `string[]`, ...).
    pub fn describe(&self) -> String {
        match self {
            Validator::Null => "null".into(),
            Validator::Number => "number".into(),
            Validator::Bigint => "bigint".into(),
            Validator::CommitTs => "commitTs".into(),
            Validator::Boolean => "boolean".into(),
            Validator::String => "string".into(),
            Validator::Bytes => "bytes".into(),
            Validator::Any => "any".into(),
            Validator::Literal(value) => value.describe(),
            Validator::Id { table } => format!("Id<{table:?}>"),
            Validator::Array(element) => match **element {
                Validator::Union(_) => format!("({})[]", element.describe()),
                _ => format!("{}[]", element.describe()),
            },
            Validator::Record { keys, values } => {
                format!("Record<{}, {}>", keys.describe(), values.describe())
            }
            Validator::Object(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(name, field)| {
                        let mark = if field.optional { "?" } else { "" };
                        format!("{name}{mark}: {}", field.validator.describe())
                    })
                    .collect();
                format!("{{ {} }}", fields.join("; "))
            }
            Validator::Union(members) => {
                members.iter().map(Validator::describe).collect::<Vec<_>>().join(" | ")
            }
            Validator::Function { fn_type: Some(kind), .. } => format!("FunctionHandle<{kind:?}>"),
            Validator::Function { fn_type: None, .. } => "FunctionHandle".into(),
        }
    }
}

impl LiteralValue {
    fn describe(&self) -> String {
        match self {
            LiteralValue::String(s) => format!("{s:?}"),
            LiteralValue::Number(n) => format_number(*n),
            LiteralValue::Boolean(b) => b.to_string(),
            LiteralValue::Bigint(n) => format!("{n}n"),
        }
    }

    /// `convexToJson` of the literal: bigints and non-finite or negative-zero floats are encoded
    /// as base64 of their 8 little-endian bytes.
    pub fn to_json(&self) -> serde_json::Value {
        let base64 = |bytes: [u8; 8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        match self {
            LiteralValue::String(s) => json!(s),
            LiteralValue::Boolean(b) => json!(b),
            LiteralValue::Bigint(n) => json!({ "$integer": base64(n.to_le_bytes()) }),
            LiteralValue::Number(n) if !n.is_finite() || (*n == 0.0 && n.is_sign_negative()) => {
                json!({ "$float": base64(n.to_le_bytes()) })
            }
            LiteralValue::Number(n) => number_json(*n),
        }
    }
}

/// A number as `JSON.stringify` writes it: integral values without a fraction.
pub fn number_json(n: f64) -> serde_json::Value {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn format_number(n: f64) -> String {
    number_json(n).to_string()
}

impl Serialize for Validator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let simple = |name: &'static str, serializer: S| {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry("type", name)?;
            map.end()
        };
        match self {
            Validator::Null
            | Validator::Number
            | Validator::Bigint
            | Validator::CommitTs
            | Validator::Boolean
            | Validator::String
            | Validator::Bytes
            | Validator::Any => simple(self.json_type(), serializer),
            Validator::Literal(value) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "literal")?;
                map.serialize_entry("value", &value.to_json())?;
                map.end()
            }
            Validator::Id { table } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "id")?;
                map.serialize_entry("tableName", table)?;
                map.end()
            }
            Validator::Array(element) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "array")?;
                map.serialize_entry("value", element)?;
                map.end()
            }
            Validator::Record { keys, values } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("type", "record")?;
                map.serialize_entry("keys", keys)?;
                map.serialize_entry("values", &Field { validator: (**values).clone(), optional: false })?;
                map.end()
            }
            Validator::Object(fields) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "object")?;
                map.serialize_entry("value", &FieldsJson(fields))?;
                map.end()
            }
            Validator::Union(members) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "union")?;
                map.serialize_entry("value", members)?;
                map.end()
            }
            Validator::Function { fn_type, args, returns } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("type", "function")?;
                if let Some(kind) = fn_type {
                    map.serialize_entry("fnType", kind)?;
                }
                if let Some(args) = args {
                    map.serialize_entry("args", args)?;
                }
                if let Some(returns) = returns {
                    map.serialize_entry("returns", returns)?;
                }
                map.end()
            }
        }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut field = serializer.serialize_struct("Field", 2)?;
        field.serialize_field("fieldType", &self.validator)?;
        field.serialize_field("optional", &self.optional)?;
        field.end()
    }
}

struct FieldsJson<'a>(&'a ObjectFields);

impl Serialize for FieldsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, field) in self.0 {
            map.serialize_entry(name, field)?;
        }
        map.end()
    }
}

impl Validator {
    /// Reads Convex's validator JSON (the inverse of serialisation), as `schema.export()` and
    /// `exportArgs()` write it.
    pub fn from_json(json: &serde_json::Value) -> Result<Validator, String> {
        let kind = json.get("type").and_then(|t| t.as_str()).ok_or("a validator needs a \"type\"")?;
        let value = || json.get("value").ok_or_else(|| format!("a {kind} validator needs a \"value\""));
        Ok(match kind {
            "null" => Validator::Null,
            "number" => Validator::Number,
            "bigint" => Validator::Bigint,
            "commitTs" => Validator::CommitTs,
            "boolean" => Validator::Boolean,
            "string" => Validator::String,
            "bytes" => Validator::Bytes,
            "any" => Validator::Any,
            "literal" => Validator::Literal(LiteralValue::from_json(value()?)?),
            "id" => Validator::Id {
                table: json.get("tableName").and_then(|t| t.as_str()).ok_or("an id validator needs a tableName")?.to_owned(),
            },
            "array" => Validator::Array(Box::new(Validator::from_json(value()?)?)),
            "record" => {
                let keys = json.get("keys").ok_or("a record validator needs keys")?;
                let values = json.get("values").and_then(|v| v.get("fieldType")).ok_or("a record validator needs values")?;
                Validator::Record { keys: Box::new(Validator::from_json(keys)?), values: Box::new(Validator::from_json(values)?) }
            }
            "object" => {
                let fields = value()?.as_object().ok_or("an object validator's value must be an object")?;
                let fields = fields
                    .iter()
                    .map(|(name, field)| {
                        let validator = Validator::from_json(field.get("fieldType").ok_or("a field needs a fieldType")?)?;
                        let optional = field.get("optional").and_then(|o| o.as_bool()).unwrap_or(false);
                        Ok((name.clone(), Field { validator, optional }))
                    })
                    .collect::<Result<_, String>>()?;
                Validator::Object(fields)
            }
            "union" => {
                let members = value()?.as_array().ok_or("a union validator's value must be an array")?;
                Validator::Union(members.iter().map(Validator::from_json).collect::<Result<_, _>>()?)
            }
            "function" => {
                let part = |name: &str| json.get(name).map(|v| Validator::from_json(v).map(Box::new)).transpose();
                let fn_type = json.get("fnType").map(|t| t.as_str().map(str::to_owned).ok_or("a function validator's fnType must be a string")).transpose()?;
                Validator::Function { fn_type, args: part("args")?, returns: part("returns")? }
            }
            other => return Err(format!("unknown validator type {other:?}")),
        })
    }
}

impl LiteralValue {
    fn from_json(json: &serde_json::Value) -> Result<LiteralValue, String> {
        let decode = |encoded: &serde_json::Value| -> Result<[u8; 8], String> {
            let text = encoded.as_str().ok_or("an encoded literal must be a string")?;
            let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| e.to_string())?;
            bytes.try_into().map_err(|_| "an encoded literal must be 8 bytes".to_owned())
        };
        Ok(match json {
            serde_json::Value::String(s) => LiteralValue::String(s.clone()),
            serde_json::Value::Bool(b) => LiteralValue::Boolean(*b),
            serde_json::Value::Number(n) => LiteralValue::Number(n.as_f64().ok_or("number out of range")?),
            serde_json::Value::Object(object) => match (object.get("$integer"), object.get("$float")) {
                (Some(encoded), _) => LiteralValue::Bigint(i64::from_le_bytes(decode(encoded)?)),
                (_, Some(encoded)) => LiteralValue::Number(f64::from_le_bytes(decode(encoded)?)),
                _ => return Err("unknown encoded literal".into()),
            },
            _ => return Err("a literal must be a string, number, boolean or encoded number".into()),
        })
    }
}

impl<'de> Deserialize<'de> for Validator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = serde_json::Value::deserialize(deserializer)?;
        Validator::from_json(&json).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_json(validator: &Validator) -> String {
        serde_json::to_string(validator).unwrap()
    }

    #[test]
    fn bigint_literals_are_encoded_like_convex_to_json() {
        // Values from convex/values: v.literal(10n).json and v.literal(1n).json.
        let ten = Validator::Literal(LiteralValue::Bigint(10));
        assert_eq!(to_json(&ten), r#"{"type":"literal","value":{"$integer":"CgAAAAAAAAA="}}"#);
        let one = Validator::Literal(LiteralValue::Bigint(1));
        assert_eq!(to_json(&one), r#"{"type":"literal","value":{"$integer":"AQAAAAAAAAA="}}"#);
    }

    #[test]
    fn function_handles_write_only_the_parts_given_and_read_back() {
        // As VFunction.json writes them (convex 1.51): `type` first, then what the signature has.
        let bare = Validator::Function { fn_type: None, args: None, returns: None };
        assert_eq!(to_json(&bare), r#"{"type":"function"}"#);
        let typed = Validator::Function { fn_type: Some("action".into()), args: None, returns: Some(Box::new(Validator::String)) };
        let json = to_json(&typed);
        assert_eq!(json, r#"{"type":"function","fnType":"action","returns":{"type":"string"}}"#);
        assert_eq!(Validator::from_json(&serde_json::from_str(&json).unwrap()), Ok(typed));
        assert!(Validator::from_json(&serde_json::json!({ "type": "function", "fnType": 3 })).is_err());
    }

    #[test]
    fn integral_numbers_serialise_without_a_fraction() {
        assert_eq!(to_json(&Validator::Literal(LiteralValue::Number(3.0))), r#"{"type":"literal","value":3}"#);
        assert_eq!(to_json(&Validator::Literal(LiteralValue::Number(2.5))), r#"{"type":"literal","value":2.5}"#);
    }

    #[test]
    fn objects_keep_field_order_and_records_mark_values_required() {
        let object = Validator::Object(vec![
            ("b".into(), Field { validator: Validator::String, optional: false }),
            ("a".into(), Field { validator: Validator::Number, optional: true }),
        ]);
        assert_eq!(
            to_json(&object),
            r#"{"type":"object","value":{"b":{"fieldType":{"type":"string"},"optional":false},"a":{"fieldType":{"type":"number"},"optional":true}}}"#
        );
        let record = Validator::Record { keys: Box::new(Validator::String), values: Box::new(Validator::Boolean) };
        assert_eq!(
            to_json(&record),
            r#"{"type":"record","keys":{"type":"string"},"values":{"fieldType":{"type":"boolean"},"optional":false}}"#
        );
    }

    #[test]
    fn convex_json_reads_back_into_the_same_validator() {
        let json = r#"{"type":"object","value":{"k":{"fieldType":{"type":"union","value":[{"type":"literal","value":{"$integer":"CgAAAAAAAAA="}},{"type":"record","keys":{"type":"id","tableName":"t"},"values":{"fieldType":{"type":"array","value":{"type":"bytes"}},"optional":false}}]},"optional":true}}}"#;
        let validator: Validator = serde_json::from_str(json).unwrap();
        assert_eq!(to_json(&validator), json);
    }

    #[test]
    fn describe_reads_like_typescript() {
        let tags = Validator::Array(Box::new(Validator::Union(vec![Validator::String, Validator::Null])));
        assert_eq!(tags.describe(), "(string | null)[]");
        assert_eq!(Validator::Id { table: "users".into() }.describe(), "Id<\"users\">");
    }
}
