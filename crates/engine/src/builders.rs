//! What the Convex builders return, as convex@1.48 defines them: `v.*` (`convex/values`),
//! validator methods (`.optional()`, `.pick()`, ...), `defineTable` with its index methods, and
//! `defineSchema` (`convex/server`). See `shared/reference/convex-api.md` §3 and §4.

use crate::eval::{Builtin, Evaluator, IndexDef, IndexKind, SchemaDef, TableDef, Unknown, Value};
use crate::source::ByteRange;
use crate::validator::{Field, LiteralValue, ObjectFields, Validator};

/// One evaluated call argument and where it is.
pub type Arg = (Value, ByteRange);

type Outcome = Result<Value, Unknown>;

/// Calls a builtin with evaluated arguments.
pub fn call(evaluator: &mut Evaluator, callee: Builtin, args: Vec<Arg>, range: ByteRange) -> Value {
    let outcome = match callee {
        Builtin::VMethod(method) => call_v(evaluator, &method, args, range),
        Builtin::ValidatorMethod { receiver, method } => {
            let (validator, optional) = *receiver;
            call_validator_method(evaluator, validator, optional, &method, args, range)
        }
        Builtin::DefineTable => define_table(evaluator, args, range),
        Builtin::TableMethod { receiver, method } => call_table_method(evaluator, *receiver, &method, args, range),
        Builtin::DefineSchema => define_schema(evaluator, args, range),
        Builtin::V | Builtin::Namespace(_) => Err(fail(range, "this value is not a function")),
    };
    outcome.unwrap_or_else(Value::Unknown)
}

fn fail(range: ByteRange, reason: impl Into<String>) -> Unknown {
    Unknown { range, reason: reason.into() }
}

fn required_validator(value: &Value, range: ByteRange, what: &str) -> Result<Validator, Unknown> {
    match value {
        Value::Validator { validator, optional: false } => Ok(validator.clone()),
        Value::Validator { optional: true, .. } => Err(fail(range, format!("{what} must not be optional"))),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(range, format!("{what} is not a validator"))),
    }
}

fn string_arg(args: &[Arg], index: usize, range: ByteRange, what: &str) -> Result<String, Unknown> {
    match args.get(index) {
        Some((Value::String(s), _)) => Ok(s.clone()),
        Some((Value::Unknown(u), _)) => Err(u.clone()),
        Some((_, at)) => Err(fail(*at, format!("{what} is not a string"))),
        None => Err(fail(range, format!("{what} is missing"))),
    }
}

fn validator(validator: Validator) -> Outcome {
    Ok(Value::Validator { validator, optional: false })
}

fn call_v(evaluator: &mut Evaluator, method: &str, args: Vec<Arg>, range: ByteRange) -> Outcome {
    let arg = |index: usize| args.get(index).map(|(v, r)| (v, *r));
    let first = || arg(0).ok_or_else(|| fail(range, format!("v.{method}() needs an argument")));
    match method {
        "null" => validator(Validator::Null),
        "number" | "float64" => validator(Validator::Number),
        "int64" | "bigint" => validator(Validator::Bigint),
        "commitTs" => validator(Validator::CommitTs),
        "boolean" => validator(Validator::Boolean),
        "string" => validator(Validator::String),
        "bytes" => validator(Validator::Bytes),
        "any" => validator(Validator::Any),
        "id" => validator(Validator::Id { table: string_arg(&args, 0, range, "the table name of v.id()")? }),
        "literal" => {
            let (value, at) = first()?;
            let literal = match value {
                Value::String(s) => LiteralValue::String(s.clone()),
                Value::Number(n) => LiteralValue::Number(*n),
                Value::Bool(b) => LiteralValue::Boolean(*b),
                Value::BigInt(n) => LiteralValue::Bigint(*n),
                Value::Unknown(u) => return Err(u.clone()),
                _ => return Err(fail(at, "v.literal() takes a string, number, bigint or boolean")),
            };
            validator(Validator::Literal(literal))
        }
        "array" => {
            let (value, at) = first()?;
            validator(Validator::Array(Box::new(required_validator(value, at, "the element of v.array()")?)))
        }
        "object" => {
            let (value, at) = first()?;
            validator(Validator::Object(object_fields(evaluator, value, at)?))
        }
        "record" => {
            let (keys, keys_at) = first()?;
            let (values, values_at) = arg(1).ok_or_else(|| fail(range, "v.record() needs a value validator"))?;
            let keys = required_validator(keys, keys_at, "the key validator of v.record()")?;
            let values = required_validator(values, values_at, "the value validator of v.record()")?;
            validator(Validator::Record { keys: Box::new(keys), values: Box::new(values) })
        }
        "union" => {
            let members = args
                .iter()
                .map(|(value, at)| required_validator(value, *at, "a member of v.union()"))
                .collect::<Result<_, _>>()?;
            validator(Validator::Union(members))
        }
        "optional" => {
            let (value, at) = first()?;
            let inner = required_validator(value, at, "the argument of v.optional()")?;
            Ok(Value::Validator { validator: inner, optional: true })
        }
        "nullable" => {
            let (value, at) = first()?;
            let inner = required_validator(value, at, "the argument of v.nullable()")?;
            validator(Validator::Union(vec![inner, Validator::Null]))
        }
        _ => Err(fail(range, format!("`v.{method}` is not a Convex validator"))),
    }
}

/// Turns a record of validators (`{ name: v.string() }`) into object fields. Fields whose
/// validator is unknown are reported and left out, so the rest of the table stays visible.
fn object_fields(evaluator: &mut Evaluator, value: &Value, range: ByteRange) -> Result<ObjectFields, Unknown> {
    let Value::Object(entries) = value else {
        return match value {
            Value::Unknown(u) => Err(u.clone()),
            _ => Err(fail(range, "expected an object of validators")),
        };
    };
    let mut fields = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        match value {
            Value::Validator { validator, optional } => {
                fields.push((name.clone(), Field { validator: validator.clone(), optional: *optional }));
            }
            Value::Unknown(u) => evaluator.report_unknown(Unknown {
                range: u.range,
                reason: format!("field `{name}` is left out: {}", u.reason),
            }),
            _ => evaluator.report_unknown(fail(range, format!("field `{name}` is not a validator; it is left out"))),
        }
    }
    Ok(fields)
}

fn call_validator_method(
    evaluator: &mut Evaluator,
    receiver: Validator,
    optional: bool,
    method: &str,
    args: Vec<Arg>,
    range: ByteRange,
) -> Outcome {
    let keep_optionality = |validator| Ok(Value::Validator { validator, optional });
    if method == "optional" {
        return Ok(Value::Validator { validator: receiver, optional: true });
    }
    let Validator::Object(fields) = receiver else {
        return Err(fail(range, format!("`.{method}()` is not a method of this validator")));
    };
    let names = || -> Result<Vec<String>, Unknown> {
        (0..args.len()).map(|i| string_arg(&args, i, range, "a field name")).collect()
    };
    match method {
        "pick" => {
            let names = names()?;
            keep_optionality(Validator::Object(fields.into_iter().filter(|(n, _)| names.contains(n)).collect()))
        }
        "omit" => {
            let names = names()?;
            keep_optionality(Validator::Object(fields.into_iter().filter(|(n, _)| !names.contains(n)).collect()))
        }
        "partial" => keep_optionality(Validator::Object(
            fields.into_iter().map(|(n, f)| (n, Field { optional: true, ..f })).collect(),
        )),
        "extend" => {
            let (value, at) = args.first().ok_or_else(|| fail(range, "`.extend()` needs fields"))?;
            let mut merged = fields;
            for (name, field) in object_fields(evaluator, value, *at)? {
                match merged.iter_mut().find(|(n, _)| *n == name) {
                    Some(existing) => existing.1 = field,
                    None => merged.push((name, field)),
                }
            }
            keep_optionality(Validator::Object(merged))
        }
        _ => Err(fail(range, format!("`.{method}()` is not a method of an object validator"))),
    }
}

fn define_table(evaluator: &mut Evaluator, args: Vec<Arg>, range: ByteRange) -> Outcome {
    let (value, at) = args.first().ok_or_else(|| fail(range, "defineTable() needs a document schema"))?;
    let document = match value {
        Value::Object(_) => Validator::Object(object_fields(evaluator, value, *at)?),
        Value::Validator { validator, .. } => {
            if !is_document_validator(validator) {
                evaluator.report_problem(
                    *at,
                    "the document validator of a table must be an object, a union of objects, or v.any()".into(),
                );
            }
            validator.clone()
        }
        Value::Unknown(u) => return Err(u.clone()),
        _ => return Err(fail(*at, "defineTable() takes an object of validators or a validator")),
    };
    Ok(Value::Table(Box::new(TableDef { document, staged_document: None, indexes: Vec::new(), range })))
}

fn is_document_validator(validator: &Validator) -> bool {
    match validator {
        Validator::Object(_) | Validator::Any => true,
        Validator::Union(members) => members.iter().all(|m| matches!(m, Validator::Object(_))),
        _ => false,
    }
}

fn call_table_method(
    evaluator: &mut Evaluator,
    mut table: TableDef,
    method: &str,
    args: Vec<Arg>,
    range: ByteRange,
) -> Outcome {
    match method {
        "index" | "searchIndex" | "vectorIndex" => {
            let name = string_arg(&args, 0, range, "the index name")?;
            // Point at the index's name: the call's own range starts at `defineTable(`.
            let name_range = args[0].1;
            let (config, at) = args.get(1).ok_or_else(|| fail(range, format!("index `{name}` has no definition")))?;
            let (kind, staged) = match method {
                "index" => db_index(config, *at)?,
                "searchIndex" => search_index(config, *at)?,
                _ => vector_index(config, *at)?,
            };
            table.indexes.push(IndexDef { name, kind, staged, range: name_range });
            Ok(Value::Table(Box::new(table)))
        }
        "staged" => {
            if table.staged_document.is_some() {
                evaluator.report_problem(range, "`.staged()` may be called once per table".into());
            }
            let (value, at) = args.first().ok_or_else(|| fail(range, "`.staged()` needs changes"))?;
            table.staged_document = Some(staged_document(evaluator, &table.document, value, *at)?);
            Ok(Value::Table(Box::new(table)))
        }
        _ => Err(fail(range, format!("`.{method}()` is not a method of a table definition"))),
    }
}

/// `.staged({...changes})` merges field changes into an object (or `v.any()`) document, where
/// `undefined` removes a field; `.staged(validator)` replaces the document validator.
fn staged_document(evaluator: &mut Evaluator, document: &Validator, value: &Value, at: ByteRange) -> Result<Validator, Unknown> {
    let Value::Object(changes) = value else {
        return required_validator(value, at, "the staged document validator");
    };
    let mut fields = match document {
        Validator::Object(fields) => fields.clone(),
        Validator::Any => Vec::new(),
        _ => return Err(fail(at, "field changes in `.staged()` need an object or v.any() table")),
    };
    let removed: Vec<&String> = changes.iter().filter(|(_, v)| matches!(v, Value::Undefined)).map(|(k, _)| k).collect();
    fields.retain(|(name, _)| !removed.contains(&name));
    let present: Vec<(String, Value)> =
        changes.iter().filter(|(_, v)| !matches!(v, Value::Undefined)).cloned().collect();
    for (name, field) in object_fields(evaluator, &Value::Object(present), at)? {
        match fields.iter_mut().find(|(n, _)| *n == name) {
            Some(existing) => existing.1 = field,
            None => fields.push((name, field)),
        }
    }
    Ok(Validator::Object(fields))
}

fn config_entry<'a>(config: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    config.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn string_list(value: Option<&Value>, at: ByteRange, what: &str) -> Result<Vec<String>, Unknown> {
    match value {
        None | Some(Value::Undefined) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Unknown(u) => Err(u.clone()),
                _ => Err(fail(at, format!("{what} must be strings"))),
            })
            .collect(),
        Some(Value::Unknown(u)) => Err(u.clone()),
        Some(_) => Err(fail(at, format!("{what} must be an array of strings"))),
    }
}

fn staged_flag(config: &[(String, Value)], at: ByteRange) -> Result<bool, Unknown> {
    match config_entry(config, "staged") {
        None | Some(Value::Undefined) | Some(Value::Bool(false)) => Ok(false),
        Some(Value::Bool(true)) => Ok(true),
        Some(Value::Unknown(u)) => Err(u.clone()),
        Some(_) => Err(fail(at, "`staged` must be a boolean")),
    }
}

fn config_object(value: &Value, at: ByteRange) -> Result<&[(String, Value)], Unknown> {
    match value {
        Value::Object(config) => Ok(config),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(at, "the index definition must be an object")),
    }
}

fn db_index(config: &Value, at: ByteRange) -> Result<(IndexKind, bool), Unknown> {
    if let Value::Array(_) = config {
        return Ok((IndexKind::Db { fields: string_list(Some(config), at, "index fields")? }, false));
    }
    let config = config_object(config, at)?;
    let fields = string_list(config_entry(config, "fields"), at, "index fields")?;
    Ok((IndexKind::Db { fields }, staged_flag(config, at)?))
}

fn search_index(config: &Value, at: ByteRange) -> Result<(IndexKind, bool), Unknown> {
    let config = config_object(config, at)?;
    let search_field = match config_entry(config, "searchField") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(at, "a search index needs a `searchField` string")),
    };
    let filter_fields = string_list(config_entry(config, "filterFields"), at, "filter fields")?;
    Ok((IndexKind::Search { search_field, filter_fields }, staged_flag(config, at)?))
}

fn vector_index(config: &Value, at: ByteRange) -> Result<(IndexKind, bool), Unknown> {
    let config = config_object(config, at)?;
    let vector_field = match config_entry(config, "vectorField") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(at, "a vector index needs a `vectorField` string")),
    };
    let dimensions = match config_entry(config, "dimensions") {
        Some(Value::Number(n)) => *n,
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(at, "a vector index needs `dimensions`, a number")),
    };
    let filter_fields = string_list(config_entry(config, "filterFields"), at, "filter fields")?;
    Ok((IndexKind::Vector { vector_field, dimensions, filter_fields }, staged_flag(config, at)?))
}

fn define_schema(evaluator: &mut Evaluator, args: Vec<Arg>, range: ByteRange) -> Outcome {
    let (tables, at) = args.first().ok_or_else(|| fail(range, "defineSchema() needs the tables"))?;
    let Value::Object(entries) = tables else {
        return match tables {
            Value::Unknown(u) => Err(u.clone()),
            _ => Err(fail(*at, "defineSchema() takes an object of tables")),
        };
    };
    let schema_validation = match args.get(1) {
        Some((Value::Object(options), options_at)) => match config_entry(options, "schemaValidation") {
            None | Some(Value::Undefined) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                evaluator.report_problem(*options_at, "`schemaValidation` must be a boolean".into());
                true
            }
        },
        _ => true,
    };
    let tables = entries.iter().map(|(name, value)| (name.clone(), value.clone(), table_range(value, *at))).collect();
    Ok(Value::Schema(SchemaDef { tables, schema_validation, range }))
}

fn table_range(value: &Value, fallback: ByteRange) -> ByteRange {
    match value {
        Value::Table(table) => table.range,
        Value::Unknown(u) => u.range,
        _ => fallback,
    }
}
