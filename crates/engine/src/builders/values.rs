//! `v.*` from `convex/values`, the methods of validator values (`.optional()`, `.pick()`, ...),
//! and the validators `convex/server` exports (`paginationOptsValidator`, ...).
//! See `shared/reference/convex-api.md` §4.

use super::{any_validator, entry, fail, required_validator, string_arg, Outcome};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, LiteralValue, ObjectFields, Validator};
use crate::values::{Arg, Builtin, Span, Unknown};

fn validator(validator: Validator) -> Outcome {
    Ok(Value::Validator { validator, optional: false })
}

pub(super) fn call_v(evaluator: &mut Evaluator, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let first = || args.first().ok_or_else(|| fail(span, format!("v.{method}() needs an argument")));
    match method {
        "null" => validator(Validator::Null),
        "number" | "float64" => validator(Validator::Number),
        "int64" | "bigint" => validator(Validator::Bigint),
        "commitTs" => validator(Validator::CommitTs),
        "boolean" => validator(Validator::Boolean),
        "string" => validator(Validator::String),
        "bytes" => validator(Validator::Bytes),
        "any" => validator(Validator::Any),
        "id" => validator(Validator::Id { table: string_arg(&args, 0, span, "the table name of v.id()")? }),
        "literal" => validator(Validator::Literal(literal(first()?)?)),
        "array" => {
            let arg = first()?;
            validator(Validator::Array(Box::new(any_validator(&arg.value, arg.span, "the element of v.array()")?)))
        }
        "object" => {
            let arg = first()?;
            validator(Validator::Object(object_fields(evaluator, &arg.value, arg.span)?))
        }
        "record" => {
            let keys = first()?;
            let values = args.get(1).ok_or_else(|| fail(span, "v.record() needs a value validator"))?;
            let keys = required_validator(&keys.value, keys.span, "the key validator of v.record()")?;
            let values = required_validator(&values.value, values.span, "the value validator of v.record()")?;
            validator(Validator::Record { keys: Box::new(keys), values: Box::new(values) })
        }
        "union" => {
            let members = args
                .iter()
                .map(|arg| any_validator(&arg.value, arg.span, "a member of v.union()"))
                .collect::<Result<_, _>>()?;
            validator(Validator::Union(members))
        }
        "optional" => {
            let arg = first()?;
            let inner = any_validator(&arg.value, arg.span, "the argument of v.optional()")?;
            Ok(Value::Validator { validator: inner, optional: true })
        }
        "nullable" => {
            let arg = first()?;
            let inner = any_validator(&arg.value, arg.span, "the argument of v.nullable()")?;
            validator(Validator::Union(vec![inner, Validator::Null]))
        }
        "function" => validator(function_handle(evaluator, args.into_iter().next(), span)?),
        _ => Err(fail(span, format!("`v.{method}` is not a Convex validator"))),
    }
}

/// `v.function(signature?)`: the signature as Convex keeps it, `args` and `returns` through
/// `asObjectValidator` (a record of validators becomes `v.object`).
fn function_handle(evaluator: &mut Evaluator, signature: Option<Arg>, span: Span) -> Result<Validator, Unknown> {
    let entries = match signature.map(|arg| arg.value) {
        None | Some(Value::Undefined) => Vec::new(),
        Some(Value::Object(entries)) => entries,
        Some(Value::Unknown(u)) => return Err(u),
        Some(_) => return Err(fail(span, "the signature of v.function() is not an object")),
    };
    let fn_type = match entry(&entries, "fnType") {
        None | Some(Value::Undefined) => None,
        Some(Value::String(kind)) => Some(kind.clone()),
        Some(Value::Unknown(u)) => return Err(u.clone()),
        Some(_) => return Err(fail(span, "the fnType of v.function() is not a string")),
    };
    let mut part = |name: &str| -> Result<Option<Box<Validator>>, Unknown> {
        match entry(&entries, name) {
            None | Some(Value::Undefined) => Ok(None),
            Some(value) => match as_object_validator(evaluator, vec![Arg { value: value.clone(), span }], span)? {
                Value::Validator { validator, .. } => Ok(Some(Box::new(validator))),
                _ => Err(fail(span, format!("the {name} of v.function() is not a validator"))),
            },
        }
    };
    let (args, returns) = (part("args")?, part("returns")?);
    Ok(Validator::Function { fn_type, args, returns })
}

/// `asObjectValidator(x)`: a validator stays itself, a record of validators becomes `v.object`.
pub(super) fn as_object_validator(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let arg = args.into_iter().next().ok_or_else(|| fail(span, "asObjectValidator() needs a validator or fields"))?;
    match arg.value {
        validator @ Value::Validator { .. } => Ok(validator),
        Value::Unknown(u) => Err(u),
        value => validator(Validator::Object(object_fields(evaluator, &value, arg.span)?)),
    }
}

pub(crate) fn literal(arg: &Arg) -> Result<LiteralValue, Unknown> {
    match &arg.value {
        Value::String(s) => Ok(LiteralValue::String(s.clone())),
        Value::Number(n) => Ok(LiteralValue::Number(*n)),
        Value::Bool(b) => Ok(LiteralValue::Boolean(*b)),
        Value::BigInt(n) => Ok(LiteralValue::Bigint(*n)),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(arg.span, "v.literal() takes a string, number, bigint or boolean")),
    }
}

/// Turns a record of validators (`{ name: v.string() }`) into object fields. A field whose
/// validator is unknown is reported and left out, so the rest stays visible; a validator value
/// (`v.object(...)`) stands for its fields, as `asObjectValidator` allows.
pub fn object_fields(evaluator: &mut Evaluator, value: &Value, span: Span) -> Result<ObjectFields, Unknown> {
    let (fields, left_out) = fields_and_left_out(value, span)?;
    for unknown in left_out {
        evaluator.report_unknown(unknown);
    }
    Ok(fields)
}

/// The fields of an object of validators, and why each field that is not a validator is left
/// out.
pub fn fields_and_left_out(value: &Value, span: Span) -> Result<(ObjectFields, Vec<Unknown>), Unknown> {
    let entries = match value {
        Value::Object(entries) => entries,
        Value::Validator { validator: Validator::Object(fields), .. } => return Ok((fields.clone(), Vec::new())),
        Value::Unknown(u) => return Err(u.clone()),
        _ => return Err(fail(span, "expected an object of validators")),
    };
    let mut fields = Vec::with_capacity(entries.len());
    let mut left_out = Vec::new();
    for (name, value) in entries {
        match value {
            Value::Validator { validator, optional } => {
                fields.push((name.clone(), Field { validator: validator.clone(), optional: *optional }));
            }
            Value::Unknown(u) => left_out.push(u.wrap(u.span, format!("field `{name}` is left out: {}", u.reason))),
            Value::Undefined => left_out.push(fail(span, format!("field `{name}` is undefined (an import cycle?); it is left out"))),
            _ => left_out.push(fail(span, format!("field `{name}` is not a validator; it is left out"))),
        }
    }
    Ok((fields, left_out))
}

/// Properties of a validator value: its methods, and the kind-specific fields Convex exposes.
pub(super) fn validator_property(validator: Validator, optional: bool, property: &str, span: Span) -> Value {
    let method = |validator| Value::Builtin(Builtin::Method {
        receiver: Box::new(Value::Validator { validator, optional }),
        method: property.to_owned(),
    });
    match (property, validator) {
        ("fields", Validator::Object(fields)) => Value::Object(
            fields
                .into_iter()
                .map(|(name, field)| (name, Value::Validator { validator: field.validator, optional: field.optional }))
                .collect(),
        ),
        ("members", Validator::Union(members)) => Value::Array(
            members.into_iter().map(|validator| Value::Validator { validator, optional: false }).collect(),
        ),
        ("element", Validator::Array(element)) => Value::Validator { validator: *element, optional: false },
        ("tableName", Validator::Id { table }) => Value::String(table),
        ("value", Validator::Literal(LiteralValue::String(s))) => Value::String(s),
        ("fnType", Validator::Function { fn_type, .. }) => fn_type.map_or(Value::Undefined, Value::String),
        ("args" | "returns", Validator::Function { args, returns, .. }) => {
            let part = if property == "args" { args } else { returns };
            part.map_or(Value::Undefined, |validator| Value::Validator { validator: *validator, optional: false })
        }
        ("isOptional", _) => Value::String(if optional { "optional" } else { "required" }.into()),
        ("isConvexValidator", _) => Value::Bool(true),
        ("optional" | "asOptional" | "pick" | "omit" | "partial" | "extend", validator) => method(validator),
        (_, _) => Value::Unknown(fail(span, format!("property `{property}` of a validator is not known statically"))),
    }
}

pub(super) fn call_validator_method(
    evaluator: &mut Evaluator,
    receiver: Validator,
    optional: bool,
    method: &str,
    args: Vec<Arg>,
    span: Span,
) -> Outcome {
    let keep_optionality = |validator| Ok(Value::Validator { validator, optional });
    if method == "optional" || method == "asOptional" {
        return Ok(Value::Validator { validator: receiver, optional: true });
    }
    let Validator::Object(fields) = receiver else {
        return Err(fail(span, format!("`.{method}()` is not a method of this validator")));
    };
    let names = || -> Result<Vec<String>, Unknown> { (0..args.len()).map(|i| string_arg(&args, i, span, "a field name")).collect() };
    match method {
        "pick" => {
            let names = names()?;
            keep_optionality(Validator::Object(fields.into_iter().filter(|(n, _)| names.contains(n)).collect()))
        }
        "omit" => {
            let names = names()?;
            keep_optionality(Validator::Object(fields.into_iter().filter(|(n, _)| !names.contains(n)).collect()))
        }
        "partial" => keep_optionality(Validator::Object(make_partial(fields))),
        "extend" => {
            let arg = args.first().ok_or_else(|| fail(span, "`.extend()` needs fields"))?;
            let extra = object_fields(evaluator, &arg.value, arg.span)?;
            keep_optionality(Validator::Object(merge_fields(fields, extra)))
        }
        _ => Err(fail(span, format!("`.{method}()` is not a method of an object validator"))),
    }
}

pub(crate) fn make_partial(fields: ObjectFields) -> ObjectFields {
    fields.into_iter().map(|(n, f)| (n, Field { optional: true, ..f })).collect()
}

/// `{ ...fields, ...extra }`: later fields replace earlier ones in place.
pub(crate) fn merge_fields(mut fields: ObjectFields, extra: ObjectFields) -> ObjectFields {
    for (name, field) in extra {
        match fields.iter_mut().find(|(n, _)| *n == name) {
            Some(existing) => existing.1 = field,
            None => fields.push((name, field)),
        }
    }
    fields
}

fn required(validator: Validator) -> Field {
    Field { validator, optional: false }
}

fn optional(validator: Validator) -> Field {
    Field { validator, optional: true }
}

fn string_or_null() -> Validator {
    Validator::Union(vec![Validator::String, Validator::Null])
}

/// `paginationOptsValidator` from `convex/server` (`src/server/pagination.ts`).
pub fn pagination_options() -> Value {
    let fields = vec![
        ("numItems".to_owned(), required(Validator::Number)),
        ("cursor".to_owned(), required(string_or_null())),
        ("endCursor".to_owned(), optional(string_or_null())),
        ("id".to_owned(), optional(Validator::Number)),
        ("maximumRowsRead".to_owned(), optional(Validator::Number)),
        ("maximumBytesRead".to_owned(), optional(Validator::Number)),
    ];
    Value::Validator { validator: Validator::Object(fields), optional: false }
}

/// `paginationResultValidator(item)` from `convex/server`.
pub(super) fn pagination_result(args: Vec<Arg>, span: Span) -> Outcome {
    let item = args.first().ok_or_else(|| fail(span, "paginationResultValidator() needs an item validator"))?;
    let item = required_validator(&item.value, item.span, "the item validator")?;
    let literal = |s: &str| Validator::Literal(LiteralValue::String(s.into()));
    let fields = vec![
        ("page".to_owned(), required(Validator::Array(Box::new(item)))),
        ("continueCursor".to_owned(), required(Validator::String)),
        ("isDone".to_owned(), required(Validator::Boolean)),
        ("splitCursor".to_owned(), optional(string_or_null())),
        (
            "pageStatus".to_owned(),
            optional(Validator::Union(vec![literal("SplitRecommended"), literal("SplitRequired"), Validator::Null])),
        ),
    ];
    validator(Validator::Object(fields))
}
