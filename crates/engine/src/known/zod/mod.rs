//! zod 3 and 4 (`zod` 4.6 ships both, as `zod/v3` and `zod/v4`; `zod/mini` builds the same zod 4
//! classes with functions instead of methods): the schemas `z.*` builds and their methods, as
//! data ([`schema`]), and how convex-helpers 0.1.124 turns them into Convex validators
//! ([`convert`]) for `zCustomQuery` and friends, `zodToConvex` and `zodToConvexFields`.
//!
//! Checks (`.min()`, `.email()`, `.int()`, ...) do not change the Convex validator and are
//! passed over; anything this file does not know is an explicit unknown.

mod convert;
pub(in crate::known) mod helpers;
mod schema;

use crate::builders::fail;
use crate::validator::LiteralValue;
use crate::values::{Arg, Builtin, Span, Unknown, Value};

pub use convert::Side;
pub use schema::{ZodKind, ZodLiteral, ZodMajor, ZodSchema};

type Outcome = Result<Value, Unknown>;

/// `zod` whose major the project does not tell, `zod/v3`, `zod/v4` (also `zod/mini`).
const UNSPECIFIED: &str = "zod";
const V3: &str = "zod/v3";
const V4: &str = "zod/v4";

pub(in crate::known) fn is_library(library: &str) -> bool {
    matches!(library, UNSPECIFIED | V3 | V4)
}

fn major_of(library: &str) -> Option<ZodMajor> {
    match library {
        V3 => Some(ZodMajor::V3),
        V4 => Some(ZodMajor::V4),
        _ => None,
    }
}

/// The library name for an import specifier of the zod package.
fn library_of(package: &str) -> Option<&'static str> {
    Some(match package {
        "zod" => UNSPECIFIED,
        "zod/v3" => V3,
        "zod/v4" | "zod/v4/classic" | "zod/mini" | "zod/v4-mini" | "zod/v4/mini" => V4,
        _ => return None,
    })
}

/// `import { z } from "zod"`, `import z from "zod"`, `import { string } from "zod/v4"`, ...
pub(in crate::known) fn export(package: &str, name: &str) -> Option<Value> {
    let library = library_of(package)?;
    let name = match name {
        "z" | "default" => "z".to_owned(),
        function => format!("z.{function}"),
    };
    Some(Value::Builtin(Builtin::Export { library, name }))
}

/// `z.string`, `z.coerce.number`, `z.iso.datetime`.
pub(in crate::known) fn namespace_property(library: &'static str, name: &str, property: &str) -> Value {
    Value::Builtin(Builtin::Export { library, name: format!("{name}.{property}") })
}

pub(in crate::known) fn is_schema(value: &Value) -> bool {
    matches!(value, Value::Zod(_))
}

fn zod(schema: ZodSchema) -> Outcome {
    Ok(Value::Zod(Box::new(schema)))
}

/// Calls `z.<function>(...)`.
pub(in crate::known) fn call(library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let major = major_of(library);
    let function = name.strip_prefix("z.").unwrap_or(name);
    let function = function.strip_prefix("coerce.").unwrap_or(function);
    let new = |kind| zod(ZodSchema::new(major, kind));
    let first = || schema_arg(&args, 0, span);
    match function {
        "string" | "email" | "guid" | "uuid" | "uuidv4" | "uuidv6" | "uuidv7" | "url" | "httpUrl" | "emoji" | "nanoid"
        | "cuid" | "cuid2" | "ulid" | "xid" | "ksuid" | "ipv4" | "ipv6" | "mac" | "cidrv4" | "cidrv6" | "base64"
        | "base64url" | "e164" | "jwt" | "hostname" | "hex" | "hash" | "creditCard" | "iban" | "currencyCode"
        | "stringFormat" | "iso.datetime" | "iso.date" | "iso.time" | "iso.duration" => new(ZodKind::String),
        "number" | "int" | "float32" | "float64" | "int32" | "uint32" => new(ZodKind::Number),
        "nan" => new(ZodKind::NaN),
        "bigint" | "int64" | "uint64" => new(ZodKind::BigInt),
        "boolean" => new(ZodKind::Boolean),
        "null" => new(ZodKind::Null),
        "any" => new(ZodKind::Any),
        "unknown" => new(ZodKind::Unknown),
        "never" => new(ZodKind::Never),
        "date" => new(ZodKind::Unsupported("ZodDate")),
        "symbol" => new(ZodKind::Unsupported("ZodSymbol")),
        "undefined" => new(ZodKind::Unsupported("ZodUndefined")),
        "void" => new(ZodKind::Unsupported("ZodVoid")),
        "map" => new(ZodKind::Unsupported("ZodMap")),
        "set" => new(ZodKind::Unsupported("ZodSet")),
        "promise" => new(ZodKind::Unsupported("ZodPromise")),
        "function" => new(ZodKind::Unsupported("ZodFunction")),
        "file" => new(ZodKind::Unsupported("ZodFile")),
        "custom" | "instanceof" => new(ZodKind::Custom),
        "templateLiteral" => new(ZodKind::TemplateLiteral),
        "json" => new(ZodKind::Json),
        "transform" => new(ZodKind::Transform),
        "array" => new(ZodKind::Array(Box::new(first()?))),
        "object" | "strictObject" | "looseObject" => new(ZodKind::Object(match args.first() {
            Some(arg) => shape(&arg.value, arg.span)?,
            None => Vec::new(),
        })),
        "union" | "xor" => new(ZodKind::Union(schema_list(&args, 0, span)?)),
        "discriminatedUnion" => {
            // zod 3 and 4 take (discriminator, options); zod 4 also just (options).
            let index = usize::from(matches!(args.first(), Some(Arg { value: Value::String(_), .. })));
            new(ZodKind::Union(schema_list(&args, index, span)?))
        }
        "intersection" => new(ZodKind::Intersection),
        "tuple" => {
            let items = schema_list(&args, 0, span)?;
            let rest = match args.get(1) {
                Some(Arg { value: Value::Zod(rest), .. }) => Some(rest.clone()),
                _ => None,
            };
            new(ZodKind::Tuple(items, rest))
        }
        "record" | "partialRecord" | "looseRecord" => {
            // zod 3's `z.record(values)` keys by string.
            let (key, value) = match args.len() {
                1 => (ZodSchema::new(major, ZodKind::String), first()?),
                _ => (first()?, schema_arg(&args, 1, span)?),
            };
            new(ZodKind::Record { key: Box::new(key), value: Box::new(value) })
        }
        "literal" => new(ZodKind::Literal(literals(args.first(), span)?)),
        "enum" => new(ZodKind::Enum(enum_entries(args.first(), span)?)),
        "nativeEnum" => new(ZodKind::NativeEnum(enum_entries(args.first(), span)?)),
        "lazy" => match args.into_iter().next() {
            Some(Arg { value: getter @ Value::Closure(_), .. }) => new(ZodKind::Lazy(Box::new(getter))),
            Some(Arg { value: Value::Unknown(u), .. }) => Err(u),
            _ => Err(fail(span, "z.lazy() needs a function")),
        },
        "preprocess" => new(ZodKind::Preprocessed(Box::new(schema_arg(&args, 1, span)?))),
        "pipe" | "codec" => new(ZodKind::Pipe(Box::new(first()?), Box::new(schema_arg(&args, 1, span)?))),
        "stringbool" => new(ZodKind::Pipe(
            Box::new(ZodSchema::new(major, ZodKind::String)),
            Box::new(ZodSchema::new(major, ZodKind::Boolean)),
        )),
        "keyof" => zod(keyof(first()?, span)?),
        // The zod mini forms of the methods: `z.optional(schema)`, ...
        "optional" | "exactOptional" | "nullable" | "nullish" | "readonly" | "nonoptional" | "catch" | "prefault"
        | "_default" | "success" => {
            let method = match function {
                "exactOptional" => "optional",
                "nonoptional" => "required",
                "_default" => "default",
                other => other,
            };
            if method == "success" {
                return new(ZodKind::Success);
            }
            call_method(Value::Zod(Box::new(first()?)), method, Vec::new(), span)
        }
        _ => Err(fail(span, format!("`z.{function}` of zod is not modelled by convex-lens"))),
    }
}

/// `schema.<method>(...)`.
pub(in crate::known) fn call_method(receiver: Value, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let Value::Zod(schema) = receiver else {
        return Err(fail(span, "not a zod schema"));
    };
    let schema = *schema;
    let major = schema.major;
    let wrap = |kind: fn(Box<ZodSchema>) -> ZodKind| zod(schema.clone().wrap(kind));
    match method {
        "optional" | "exactOptional" => wrap(ZodKind::Optional),
        "nullable" => wrap(ZodKind::Nullable),
        "nullish" => zod(schema.wrap(ZodKind::Nullable).wrap(ZodKind::Optional)),
        "default" => wrap(ZodKind::Default),
        "prefault" => wrap(ZodKind::Prefault),
        "catch" => wrap(ZodKind::Catch),
        "brand" => wrap(ZodKind::Branded),
        "readonly" => wrap(ZodKind::Readonly),
        "refine" | "superRefine" | "check" | "overwrite" => wrap(ZodKind::Refined),
        "transform" => wrap(ZodKind::Transformed),
        "array" => wrap(ZodKind::Array),
        "pipe" => zod(ZodSchema::new(major, ZodKind::Pipe(Box::new(schema), Box::new(schema_arg(&args, 0, span)?)))),
        "or" => zod(ZodSchema::new(major, ZodKind::Union(vec![schema, schema_arg(&args, 0, span)?]))),
        "and" => zod(ZodSchema::new(major, ZodKind::Intersection)),
        "unwrap" | "removeDefault" | "removeCatch" | "innerType" => match schema.kind {
            ZodKind::Optional(inner)
            | ZodKind::Nullable(inner)
            | ZodKind::Default(inner)
            | ZodKind::Catch(inner)
            | ZodKind::Branded(inner)
            | ZodKind::Readonly(inner)
            | ZodKind::NonOptional(inner) => zod(*inner),
            ZodKind::Array(element) => zod(*element),
            _ => Err(fail(span, format!("`.{method}()` of a {} is not modelled", schema.type_name()))),
        },
        "describe" | "meta" | "openapi" | "register" => zod(schema),
        method if is_check(method) => zod(schema),
        _ => match schema.kind {
            ZodKind::Object(fields) => object_method(major, fields, method, args, span),
            ZodKind::Enum(entries) => enum_method(major, entries, method, args, span),
            _ => Err(fail(span, format!("`.{method}()` of a zod {} is not modelled by convex-lens", schema.type_name()))),
        },
    }
}

/// Methods that only add a check, which does not change the Convex validator.
fn is_check(method: &str) -> bool {
    matches!(
        method,
        "min" | "max" | "length" | "nonempty" | "email" | "url" | "uuid" | "guid" | "cuid" | "cuid2" | "ulid" | "nanoid"
            | "xid" | "ksuid" | "regex" | "includes" | "startsWith" | "endsWith" | "datetime" | "date" | "time"
            | "duration" | "ip" | "ipv4" | "ipv6" | "cidr" | "cidrv4" | "cidrv6" | "base64" | "base64url" | "emoji"
            | "jwt" | "e164" | "hostname" | "trim" | "toLowerCase" | "toUpperCase" | "lowercase" | "uppercase"
            | "normalize" | "slugify" | "int" | "positive" | "negative" | "nonnegative" | "nonpositive" | "gt" | "gte"
            | "lt" | "lte" | "multipleOf" | "step" | "finite" | "safe" | "size" | "mime"
    )
}

fn object_method(major: Option<ZodMajor>, fields: Vec<(String, ZodSchema)>, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let object = |fields| zod(ZodSchema::new(major, ZodKind::Object(fields)));
    match method {
        "strict" | "passthrough" | "strip" | "nonstrict" | "loose" | "catchall" => object(fields),
        "extend" | "safeExtend" | "merge" => {
            let more = match args.first() {
                Some(Arg { value: Value::Zod(other), .. }) => match &other.kind {
                    ZodKind::Object(more) => more.clone(),
                    _ => return Err(fail(span, "`.merge()` needs a zod object")),
                },
                Some(arg) => shape(&arg.value, arg.span)?,
                None => Vec::new(),
            };
            let mut fields = fields;
            for (name, schema) in more {
                crate::eval::insert_entry(&mut fields, name, schema);
            }
            object(fields)
        }
        "pick" | "omit" => {
            let mask = mask(args.first(), span)?.ok_or_else(|| fail(span, format!("`.{method}()` needs a mask")))?;
            let keep = method == "pick";
            object(fields.into_iter().filter(|(name, _)| mask.contains(name) == keep).collect())
        }
        "partial" | "required" => {
            let mask = mask(args.first(), span)?;
            let wrap: fn(Box<ZodSchema>) -> ZodKind = if method == "partial" { ZodKind::Optional } else { ZodKind::NonOptional };
            object(
                fields
                    .into_iter()
                    .map(|(name, schema)| match &mask {
                        Some(mask) if !mask.contains(&name) => (name, schema),
                        _ => (name, schema.wrap(wrap)),
                    })
                    .collect(),
            )
        }
        "keyof" => zod(keyof(ZodSchema::new(major, ZodKind::Object(fields)), span)?),
        _ => Err(fail(span, format!("`.{method}()` of a zod object is not modelled by convex-lens"))),
    }
}

fn enum_method(major: Option<ZodMajor>, entries: Vec<(String, LiteralValue)>, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let listed = match args.first().map(|a| &a.value) {
        Some(Value::Array(items)) => items.iter().filter_map(literal_value).collect::<Vec<_>>(),
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(span, format!("`.{method}()` needs an array of values"))),
    };
    let keep = match method {
        "extract" => true,
        "exclude" => false,
        _ => return Err(fail(span, format!("`.{method}()` of a zod enum is not modelled by convex-lens"))),
    };
    let entries = entries.into_iter().filter(|(_, value)| listed.contains(value) == keep).collect();
    zod(ZodSchema::new(major, ZodKind::Enum(entries)))
}

/// A data property of a schema (`.shape`, `.element`, `.options`, `.enum`), or one of its
/// methods, bound.
pub(in crate::known) fn schema_property(value: Value, property: &str, span: Span) -> Value {
    let Value::Zod(schema) = &value else {
        return Value::Unknown(fail(span, "not a zod schema"));
    };
    match (&schema.kind, property) {
        (ZodKind::Object(fields), "shape") => {
            Value::Object(fields.iter().map(|(name, schema)| (name.clone(), Value::Zod(Box::new(schema.clone())))).collect())
        }
        (ZodKind::Array(element), "element") => Value::Zod(element.clone()),
        (ZodKind::Union(options), "options") => Value::Array(options.iter().map(|o| Value::Zod(Box::new(o.clone()))).collect()),
        (ZodKind::Enum(entries), "enum" | "Enum" | "Values") => {
            Value::Object(entries.iter().map(|(key, value)| (key.clone(), literal_to_value(value))).collect())
        }
        (ZodKind::Enum(entries), "options") => Value::Array(entries.iter().map(|(_, value)| literal_to_value(value)).collect()),
        (_, "isOptional" | "isNullable" | "parse" | "safeParse" | "parseAsync" | "safeParseAsync") => {
            Value::Unknown(fail(span, format!("`{property}` of a zod schema runs zod, which convex-lens does not")))
        }
        (_, "_def" | "_zod" | "def") => Value::Unknown(fail(span, "zod's internal definitions are not modelled")),
        _ => Value::Builtin(Builtin::Method { receiver: Box::new(value), method: property.to_owned() }),
    }
}

fn schema_arg(args: &[Arg], index: usize, span: Span) -> Result<ZodSchema, Unknown> {
    match args.get(index) {
        Some(arg) => as_schema(&arg.value, arg.span),
        None => Err(fail(span, "a zod schema is missing")),
    }
}

pub(in crate::known) fn as_schema(value: &Value, span: Span) -> Result<ZodSchema, Unknown> {
    match value {
        Value::Zod(schema) => Ok((**schema).clone()),
        Value::Unknown(u) => Err(u.clone()),
        Value::Validator { .. } => Err(fail(span, "a Convex validator where zod expects a zod schema")),
        _ => Err(fail(span, "not a zod schema")),
    }
}

fn schema_list(args: &[Arg], index: usize, span: Span) -> Result<Vec<ZodSchema>, Unknown> {
    match args.get(index) {
        Some(Arg { value: Value::Array(items), span }) => items.iter().map(|item| as_schema(item, *span)).collect(),
        Some(Arg { value: Value::Unknown(u), .. }) => Err(u.clone()),
        Some(arg) => Err(fail(arg.span, "expected an array of zod schemas")),
        None => Err(fail(span, "an array of zod schemas is missing")),
    }
}

/// The shape of `z.object(shape)`: a record of schemas.
pub(in crate::known) fn shape(value: &Value, span: Span) -> Result<Vec<(String, ZodSchema)>, Unknown> {
    match value {
        Value::Object(entries) => entries.iter().map(|(name, value)| Ok((name.clone(), as_schema(value, span)?))).collect(),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(span, "the shape of a zod object is not an object of schemas")),
    }
}

/// `{ a: true, b: true }` of `.pick()`, `.omit()`, `.partial()`.
fn mask(arg: Option<&Arg>, span: Span) -> Result<Option<Vec<String>>, Unknown> {
    match arg.map(|a| &a.value) {
        None | Some(Value::Undefined) => Ok(None),
        Some(Value::Object(entries)) => Ok(Some(
            entries.iter().filter(|(_, v)| crate::eval::truthiness(v) == Some(true)).map(|(k, _)| k.clone()).collect(),
        )),
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Err(fail(span, "a zod mask is an object of `key: true`")),
    }
}

fn keyof(schema: ZodSchema, span: Span) -> Result<ZodSchema, Unknown> {
    match schema.kind {
        ZodKind::Object(fields) => Ok(ZodSchema::new(
            schema.major,
            ZodKind::Enum(fields.into_iter().map(|(name, _)| (name.clone(), LiteralValue::String(name))).collect()),
        )),
        _ => Err(fail(span, "`keyof` needs a zod object")),
    }
}

fn literal_value(value: &Value) -> Option<LiteralValue> {
    Some(match value {
        Value::String(s) => LiteralValue::String(s.clone()),
        Value::Number(n) => LiteralValue::Number(*n),
        Value::Bool(b) => LiteralValue::Boolean(*b),
        Value::BigInt(n) => LiteralValue::Bigint(*n),
        _ => return None,
    })
}

fn literal_to_value(literal: &LiteralValue) -> Value {
    match literal {
        LiteralValue::String(s) => Value::String(s.clone()),
        LiteralValue::Number(n) => Value::Number(*n),
        LiteralValue::Boolean(b) => Value::Bool(*b),
        LiteralValue::Bigint(n) => Value::BigInt(*n),
    }
}

/// `z.literal(value)`, or zod 4's `z.literal([values])`.
fn literals(arg: Option<&Arg>, span: Span) -> Result<Vec<ZodLiteral>, Unknown> {
    let one = |value: &Value| match value {
        Value::Null => Ok(ZodLiteral::Null),
        Value::Undefined => Ok(ZodLiteral::Undefined),
        Value::Unknown(u) => Err(u.clone()),
        other => literal_value(other).map(ZodLiteral::Value).ok_or_else(|| fail(span, "a zod literal is a primitive value")),
    };
    match arg.map(|a| &a.value) {
        Some(Value::Array(items)) => items.iter().map(one).collect(),
        Some(value) => Ok(vec![one(value)?]),
        None => Ok(vec![ZodLiteral::Undefined]),
    }
}

/// The entries of `z.enum([...])` (each value its own key) or `z.enum(object)`.
fn enum_entries(arg: Option<&Arg>, span: Span) -> Result<Vec<(String, LiteralValue)>, Unknown> {
    let not_static = || fail(span, "the values of this zod enum are not static");
    match arg.map(|a| &a.value) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let value = literal_value(item).ok_or_else(not_static)?;
                Ok((crate::eval::string_of(item).ok_or_else(not_static)?, value))
            })
            .collect(),
        Some(Value::Object(entries)) => {
            entries.iter().map(|(key, value)| Ok((key.clone(), literal_value(value).ok_or_else(not_static)?))).collect()
        }
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Err(not_static()),
    }
}
