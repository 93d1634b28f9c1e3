//! `zodToConvex` and `zodOutputToConvex` of convex-helpers 0.1.124: `server/zod3.ts` for zod 3
//! schemas, `server/zod4.ts` (`zodToConvexCommon`) for zod 4. The two differ in many corners
//! (refinements, `z.never()`, `z.catch()`, records with literal keys, recursive schemas); each
//! branch below follows the file it names.

use super::schema::{ZodKind, ZodLiteral, ZodMajor, ZodSchema};
use crate::builders::fail;
use crate::eval::Evaluator;
use crate::validator::{Field, LiteralValue, ObjectFields, Validator};
use crate::values::{Span, Unknown, Value};

/// Arguments are converted as their input (`zodToConvex`), return values as their output
/// (`zodOutputToConvex`): `.default()` makes an argument optional but a result required, a
/// transform's output is `v.any()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Input,
    Output,
}

/// A converted schema: the validator and whether it is optional (`isOptional === "optional"`).
#[derive(Clone, Debug)]
pub struct Converted {
    pub validator: Validator,
    pub optional: bool,
}

impl Converted {
    fn required(validator: Validator) -> Self {
        Self { validator, optional: false }
    }

    fn optional(validator: Validator) -> Self {
        Self { validator, optional: true }
    }
}

/// Schemas nest deeper than this only through recursion the cycle check missed.
const MAX_DEPTH: usize = 64;

/// Converts a schema as convex-helpers does for `major`. Where convex-helpers throws (the module
/// fails to load), the result is an unknown that quotes its message.
pub fn to_convex(
    evaluator: &mut Evaluator,
    schema: &ZodSchema,
    side: Side,
    major: ZodMajor,
    span: Span,
) -> Result<Converted, Unknown> {
    let mut converter = Converter { evaluator, side, major, lazies: Vec::new() };
    converter.convert(schema).map_err(|message| {
        let helpers = match major {
            ZodMajor::V3 => "zod3",
            ZodMajor::V4 => "zod4",
        };
        fail(span, format!("convex-helpers ({helpers}) cannot turn this zod schema into a Convex validator: {message}"))
    })
}

/// `zodToConvexFields` / `zodOutputToConvexFields`: a record of schemas to object fields.
pub fn fields_to_convex(
    evaluator: &mut Evaluator,
    fields: &[(String, ZodSchema)],
    side: Side,
    major: ZodMajor,
    span: Span,
) -> Result<ObjectFields, Unknown> {
    fields
        .iter()
        .map(|(name, schema)| {
            let converted = to_convex(evaluator, schema, side, major, span)?;
            Ok((name.clone(), Field { validator: converted.validator, optional: converted.optional }))
        })
        .collect()
}

struct Converter<'e, 'g, 'a> {
    evaluator: &'e mut Evaluator<'g, 'a>,
    side: Side,
    major: ZodMajor,
    /// The `z.lazy` getters being converted, to see recursion.
    lazies: Vec<usize>,
}

type Conversion = Result<Converted, String>;

impl Converter<'_, '_, '_> {
    fn convert(&mut self, schema: &ZodSchema) -> Conversion {
        if self.lazies.len() > MAX_DEPTH {
            return Err("the schema nests too deeply".into());
        }
        match self.major {
            ZodMajor::V3 => self.convert_v3(schema),
            ZodMajor::V4 => self.convert_v4(schema),
        }
    }

    fn required(&mut self, schema: &ZodSchema) -> Result<Validator, String> {
        Ok(self.convert(schema)?.validator)
    }

    /// `zodToConvex` / `zodOutputToConvex` in `server/zod3.ts`, a switch on `_def.typeName`.
    fn convert_v3(&mut self, schema: &ZodSchema) -> Conversion {
        let output = self.side == Side::Output;
        let unknown_type = || Err(format!("Unknown Zod type: {}", schema.type_name()));
        Ok(match &schema.kind {
            ZodKind::Id(table) => Converted::required(Validator::Id { table: table.clone() }),
            ZodKind::String => Converted::required(Validator::String),
            ZodKind::Number | ZodKind::NaN => Converted::required(Validator::Number),
            ZodKind::BigInt => Converted::required(Validator::Bigint),
            ZodKind::Boolean => Converted::required(Validator::Boolean),
            ZodKind::Null => Converted::required(Validator::Null),
            ZodKind::Any | ZodKind::Unknown | ZodKind::Custom => Converted::required(Validator::Any),
            ZodKind::Array(element) => Converted::required(self.array(element)?),
            ZodKind::Object(fields) => Converted::required(self.object(fields)?),
            ZodKind::Union(options) => Converted::required(self.union(options)?),
            ZodKind::Tuple(items, rest) => Converted::required(self.tuple(items, rest.as_deref())?),
            ZodKind::Lazy(getter) => return self.lazy(getter),
            ZodKind::Literal(values) => match values.as_slice() {
                [ZodLiteral::Value(value)] => Converted::required(Validator::Literal(value.clone())),
                [_] => return Err("v.literal(value) must be a string, number, or boolean".into()),
                _ => return unknown_type(),
            },
            ZodKind::Enum(entries) => Converted::required(literal_union(entries.iter().map(|(_, value)| value))),
            ZodKind::Refined(inner) | ZodKind::Transformed(inner) | ZodKind::Preprocessed(inner) => {
                if output {
                    Converted::required(Validator::Any)
                } else {
                    return self.convert(inner);
                }
            }
            ZodKind::Optional(inner) => Converted::optional(self.required(inner)?),
            ZodKind::Nullable(inner) => match &inner.kind {
                // nullable(optional(x)) becomes optional(nullable(x)).
                ZodKind::Optional(innermost) => Converted::optional(nullable(self.required(innermost)?)),
                _ => Converted::required(nullable(self.required(inner)?)),
            },
            // `.required()` unwraps the optional layers of a field.
            ZodKind::NonOptional(inner) => {
                let mut inner = &**inner;
                while let ZodKind::Optional(unwrapped) = &inner.kind {
                    inner = unwrapped;
                }
                return self.convert(inner);
            }
            ZodKind::Branded(inner) | ZodKind::Readonly(inner) => return self.convert(inner),
            ZodKind::Default(inner) if output => return self.convert(inner),
            ZodKind::Default(inner) => Converted::optional(self.required(inner)?),
            ZodKind::Record { key, value } => {
                let keys = self.convert(key)?;
                ensure_string_or_id(&keys.validator)?;
                let values = self.convert(value)?;
                if keys.optional {
                    return Err("Record validator cannot have optional keys".into());
                }
                if values.optional {
                    return Err("Record validator cannot have optional values".into());
                }
                Converted::required(Validator::Record { keys: Box::new(keys.validator), values: Box::new(values.validator) })
            }
            ZodKind::Pipe(input, out) => return self.convert(if output { out } else { input }),
            ZodKind::Never
            | ZodKind::TemplateLiteral
            | ZodKind::Unsupported(_)
            | ZodKind::Intersection
            | ZodKind::NativeEnum(_)
            | ZodKind::Prefault(_)
            | ZodKind::Catch(_)
            | ZodKind::Transform
            | ZodKind::Success
            | ZodKind::Json => return unknown_type(),
        })
    }

    /// `zodToConvex` / `zodOutputToConvex` in `server/zod4.ts`: defaults and pipes first, then
    /// `zodToConvexCommon`, whose last resort is `v.any()`.
    fn convert_v4(&mut self, schema: &ZodSchema) -> Conversion {
        let output = self.side == Side::Output;
        Ok(match &schema.kind {
            ZodKind::Default(inner) if output => return self.convert(inner),
            ZodKind::Default(inner) => Converted::optional(self.required(inner)?),
            ZodKind::Pipe(input, out) => return self.convert(if output { out } else { input }),
            // What a transform outputs is not known.
            ZodKind::Transformed(_) if output => Converted::required(Validator::Any),
            ZodKind::Transformed(inner) => return self.convert(inner),
            ZodKind::Preprocessed(inner) if output => return self.convert(inner),
            ZodKind::Preprocessed(_) | ZodKind::Transform => Converted::required(Validator::Any),
            ZodKind::String | ZodKind::TemplateLiteral => Converted::required(Validator::String),
            ZodKind::Number | ZodKind::NaN => Converted::required(Validator::Number),
            ZodKind::BigInt => Converted::required(Validator::Bigint),
            ZodKind::Boolean => Converted::required(Validator::Boolean),
            ZodKind::Null => Converted::required(Validator::Null),
            ZodKind::Any | ZodKind::Unknown => Converted::required(Validator::Any),
            ZodKind::Array(element) => Converted::required(self.array(element)?),
            ZodKind::Object(fields) => Converted::required(self.object(fields)?),
            ZodKind::Union(options) => Converted::required(self.union(options)?),
            ZodKind::Never => Converted::required(Validator::Union(Vec::new())),
            ZodKind::Tuple(items, rest) => Converted::required(self.tuple(items, rest.as_deref())?),
            ZodKind::Literal(values) => {
                let mut members = values.iter().map(|literal| match literal {
                    ZodLiteral::Value(value) => Ok(Validator::Literal(value.clone())),
                    ZodLiteral::Null => Ok(Validator::Null),
                    ZodLiteral::Undefined => Err("undefined is not a valid Convex value".to_owned()),
                });
                match values.len() {
                    1 => Converted::required(members.next().expect("one literal")?),
                    _ => Converted::required(Validator::Union(members.collect::<Result<_, _>>()?)),
                }
            }
            ZodKind::Enum(entries) | ZodKind::NativeEnum(entries) => Converted::required(literal_union(
                entries.iter().filter(|(key, value)| is_enum_member(key, value)).map(|(_, value)| value),
            )),
            ZodKind::Optional(inner) => Converted::optional(self.required(inner)?),
            ZodKind::NonOptional(inner) => Converted::required(self.required(inner)?),
            ZodKind::Nullable(inner) => {
                let inner = self.convert(inner)?;
                Converted { validator: nullable(inner.validator), optional: inner.optional }
            }
            ZodKind::Record { key, value } => self.record_v4(key, value)?,
            ZodKind::Readonly(inner) | ZodKind::Catch(inner) | ZodKind::Branded(inner) | ZodKind::Refined(inner) => {
                return self.convert(inner)
            }
            ZodKind::Lazy(getter) => return self.lazy(getter),
            ZodKind::Id(table) => Converted::required(Validator::Id { table: table.clone() }),
            ZodKind::Custom | ZodKind::Intersection | ZodKind::Prefault(_) | ZodKind::Success => {
                Converted::required(Validator::Any)
            }
            ZodKind::Json => Converted::required(json_union()),
            ZodKind::Unsupported(name) => return Err(format!("Validator {name} is not supported in Convex")),
        })
    }

    fn array(&mut self, element: &ZodSchema) -> Result<Validator, String> {
        let element = self.convert(element)?;
        if element.optional {
            return Err("Arrays of optional values are not supported".into());
        }
        Ok(Validator::Array(Box::new(element.validator)))
    }

    fn object(&mut self, fields: &[(String, ZodSchema)]) -> Result<Validator, String> {
        let mut converted = Vec::with_capacity(fields.len());
        for (name, schema) in fields {
            let field = self.convert(schema)?;
            converted.push((name.clone(), Field { validator: field.validator, optional: field.optional }));
        }
        Ok(Validator::Object(converted))
    }

    /// `v.union(...)` keeps only each member's validator: an optional member is not an error.
    fn union(&mut self, options: &[ZodSchema]) -> Result<Validator, String> {
        options.iter().map(|option| self.required(option)).collect::<Result<_, _>>().map(Validator::Union)
    }

    /// A tuple becomes an array of the union of its item types (and its rest type).
    fn tuple(&mut self, items: &[ZodSchema], rest: Option<&ZodSchema>) -> Result<Validator, String> {
        let members: Vec<ZodSchema> = items.iter().chain(rest).cloned().collect();
        Ok(Validator::Array(Box::new(self.union(&members)?)))
    }

    /// zod 4 records: string-literal keys make an object (its fields optional when the key type
    /// has no fixed set of values or the value is optional), other keys a `v.record`.
    fn record_v4(&mut self, key: &ZodSchema, value: &ZodSchema) -> Conversion {
        let is_partial = !has_values(key);
        let values = self.convert(value)?;
        let keys = self.convert(key)?;
        if let Some(literals) = string_literals(&keys.validator) {
            let optional = is_partial || values.optional;
            let fields = literals
                .into_iter()
                .map(|name| (name, Field { validator: values.validator.clone(), optional }))
                .collect();
            return Ok(Converted::required(Validator::Object(fields)));
        }
        let keys = if is_record_key(&keys.validator) { keys.validator } else { Validator::String };
        Ok(Converted::required(Validator::Record { keys: Box::new(keys), values: Box::new(values.validator) }))
    }

    /// `z.lazy(getter)`: the getter's schema. A schema that contains itself is `v.any()` for zod
    /// 4 (its visited set) and never ends for zod 3 (the module fails to load).
    fn lazy(&mut self, getter: &Value) -> Conversion {
        let Value::Closure(closure) = getter else {
            return Err("the getter of z.lazy() is not a function".into());
        };
        if self.lazies.contains(&closure.id) {
            return match self.major {
                ZodMajor::V4 => Ok(Converted::required(Validator::Any)),
                ZodMajor::V3 => Err("a recursive z.lazy() schema: zod 3's conversion never ends".into()),
            };
        }
        let schema = self.evaluator.call_value(getter.clone(), Vec::new(), swc_common::DUMMY_SP);
        let schema = match schema {
            Value::Zod(schema) => schema,
            Value::Unknown(u) => return Err(format!("the schema of z.lazy() is not known: {}", u.reason)),
            _ => return Err("the getter of z.lazy() does not return a zod schema".into()),
        };
        self.lazies.push(closure.id);
        let converted = self.convert(&schema);
        self.lazies.pop();
        converted
    }
}

fn nullable(validator: Validator) -> Validator {
    Validator::Union(vec![validator, Validator::Null])
}

fn literal_union<'v>(values: impl Iterator<Item = &'v LiteralValue>) -> Validator {
    Validator::Union(values.cloned().map(Validator::Literal).collect())
}

/// `ensureStringOrId` of zod 3's record conversion.
fn ensure_string_or_id(validator: &Validator) -> Result<(), String> {
    match validator {
        Validator::Union(members) => members.iter().try_for_each(ensure_string_or_id),
        Validator::String | Validator::Id { .. } => Ok(()),
        other => Err(format!("Record keys must be strings or ids: {}", kind_name(other))),
    }
}

/// The `kind` of a Convex validator, as convex-helpers' messages print it: the JSON type but
/// for numbers, whose kinds are `float64` and `int64`.
fn kind_name(validator: &Validator) -> &'static str {
    match validator {
        Validator::Number => "float64",
        Validator::Bigint => "int64",
        other => other.json_type(),
    }
}

/// Whether a zod 4 key type has a fixed set of values (`_zod.values`): literals, enums and
/// unions of them.
fn has_values(schema: &ZodSchema) -> bool {
    match &schema.kind {
        ZodKind::Literal(_) | ZodKind::Enum(_) | ZodKind::NativeEnum(_) => true,
        ZodKind::Union(options) => options.iter().all(has_values),
        _ => false,
    }
}

/// `extractStringLiterals`: the strings of a literal or a union of string literals.
fn string_literals(validator: &Validator) -> Option<Vec<String>> {
    match validator {
        Validator::Literal(LiteralValue::String(s)) => Some(vec![s.clone()]),
        Validator::Union(members) => {
            let mut literals = Vec::new();
            for member in members {
                literals.extend(string_literals(member)?);
            }
            Some(literals)
        }
        _ => None,
    }
}

/// `isValidRecordKey`.
fn is_record_key(validator: &Validator) -> bool {
    match validator {
        Validator::String | Validator::Id { .. } => true,
        Validator::Union(members) => members.iter().all(is_record_key),
        _ => false,
    }
}

/// zod 4 keeps an enum entry when `key === value || isNaN(Number(key))`, which drops the
/// reverse mappings of numeric TypeScript enums.
fn is_enum_member(key: &str, value: &LiteralValue) -> bool {
    matches!(value, LiteralValue::String(s) if s == key) || js_number(key).is_nan()
}

/// `Number(text)` in JavaScript.
fn js_number(text: &str) -> f64 {
    let text = text.trim();
    if text.is_empty() {
        return 0.0;
    }
    let radix = |digits: &str, radix| i64::from_str_radix(digits, radix).map_or(f64::NAN, |n| n as f64);
    let lower = text.to_ascii_lowercase();
    if let Some(digits) = lower.strip_prefix("0x") {
        return radix(digits, 16);
    }
    if let Some(digits) = lower.strip_prefix("0o") {
        return radix(digits, 8);
    }
    if let Some(digits) = lower.strip_prefix("0b") {
        return radix(digits, 2);
    }
    match text {
        "Infinity" | "+Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        // Rust also reads `inf` and `NaN`, which JavaScript does not.
        _ if text.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') => f64::NAN,
        _ => text.parse().unwrap_or(f64::NAN),
    }
}

/// `z.json()`: its lazy members refer back to the union, which zod 4's conversion cuts to
/// `v.any()`.
fn json_union() -> Validator {
    Validator::Union(vec![
        Validator::String,
        Validator::Number,
        Validator::Boolean,
        Validator::Null,
        Validator::Array(Box::new(Validator::Any)),
        Validator::Record { keys: Box::new(Validator::String), values: Box::new(Validator::Any) },
    ])
}

#[cfg(test)]
mod tests {
    use super::js_number;

    #[test]
    fn enum_keys_are_read_as_javascript_numbers() {
        assert_eq!(js_number("0"), 0.0);
        assert_eq!(js_number(" 12 "), 12.0);
        assert_eq!(js_number("0x10"), 16.0);
        assert_eq!(js_number("1e3"), 1000.0);
        assert_eq!(js_number(""), 0.0);
        assert!(js_number("A").is_nan());
        assert!(js_number("inf").is_nan());
        assert!(js_number("NaN").is_nan());
        assert_eq!(js_number("Infinity"), f64::INFINITY);
    }
}
