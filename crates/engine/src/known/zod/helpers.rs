//! convex-helpers 0.1.124's zod entry points: `server/zod3` and `server/zod4`, and the
//! deprecated `server/zod`, whose builders are zod 3's and whose `zodToConvex` reads either.

use super::convert::{fields_to_convex, to_convex, Side};
use super::schema::{ZodKind, ZodMajor, ZodSchema};
use super::{as_schema, shape};
use crate::builders::fail;
use crate::eval::Evaluator;
use crate::validator::Validator;
use crate::values::{Arg, Builtin, Span, Unknown, Value};

pub(in crate::known) const ZOD: &str = "convex-helpers/server/zod";
pub(in crate::known) const ZOD3: &str = "convex-helpers/server/zod3";
pub(in crate::known) const ZOD4: &str = "convex-helpers/server/zod4";

/// The zod major that an entry point's builders and `zid` are made for.
pub(in crate::known) fn builder_major(library: &str) -> ZodMajor {
    if library == ZOD4 {
        ZodMajor::V4
    } else {
        ZodMajor::V3
    }
}

pub(in crate::known) fn export(package: &str, name: &str) -> Option<Value> {
    let library = match package {
        "convex-helpers/server/zod" => ZOD,
        "convex-helpers/server/zod3" => ZOD3,
        "convex-helpers/server/zod4" => ZOD4,
        _ => return None,
    };
    let modelled = matches!(
        name,
        "zCustomQuery"
            | "zCustomMutation"
            | "zCustomAction"
            | "zid"
            | "zodToConvex"
            | "zodOutputToConvex"
            | "zodToConvexFields"
            | "zodOutputToConvexFields"
            | "withSystemFields"
    );
    modelled.then(|| Value::Builtin(Builtin::Export { library, name: name.to_owned() }))
}

/// `zid`, the converters and `withSystemFields` (the builders are in `convex_helpers`).
pub(in crate::known) fn call(evaluator: &mut Evaluator, library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Option<Result<Value, Unknown>> {
    let first = args.first().cloned();
    let major_for = |schema_major: Option<ZodMajor>| match library {
        // The deprecated entry point converts either major, telling them apart by their classes.
        ZOD => schema_major.unwrap_or(ZodMajor::V3),
        _ => builder_major(library),
    };
    let validator = |validator, optional| Value::Validator { validator, optional };
    Some(match name {
        "zid" => crate::builders::string_arg(&args, 0, span, "the table name of zid()")
            .map(|table| Value::Zod(Box::new(ZodSchema::new(Some(builder_major(library)), ZodKind::Id(table))))),
        "zodToConvex" | "zodOutputToConvex" => {
            let side = if name == "zodToConvex" { Side::Input } else { Side::Output };
            first.ok_or_else(|| fail(span, format!("{name}() needs a zod schema"))).and_then(|arg| {
                let schema = as_schema(&arg.value, arg.span)?;
                let major = checked_major(&schema, major_for(schema.major), arg.span)?;
                let converted = to_convex(evaluator, &schema, side, major, arg.span)?;
                Ok(validator(converted.validator, converted.optional))
            })
        }
        "zodToConvexFields" | "zodOutputToConvexFields" => {
            let side = if name == "zodToConvexFields" { Side::Input } else { Side::Output };
            first.ok_or_else(|| fail(span, format!("{name}() needs an object of zod schemas"))).and_then(|arg| {
                let fields = shape(&arg.value, arg.span)?;
                let major = fields.first().map(|(_, s)| major_for(s.major)).unwrap_or_else(|| major_for(None));
                let fields = fields_to_convex(evaluator, &fields, side, major, arg.span)?;
                Ok(Value::Object(fields.into_iter().map(|(name, f)| (name, validator(f.validator, f.optional))).collect()))
            })
        }
        "withSystemFields" => with_system_fields(library, &args, span),
        _ => return None,
    })
}

/// `withSystemFields(table, shape)`: the shape with `_id: zid(table)` and `_creationTime`.
fn with_system_fields(library: &'static str, args: &[Arg], span: Span) -> Result<Value, Unknown> {
    let table = crate::builders::string_arg(args, 0, span, "the table name")?;
    let fields = args.get(1).ok_or_else(|| fail(span, "withSystemFields() needs a shape"))?;
    let Value::Object(mut entries) = fields.value.clone() else {
        return Err(match &fields.value {
            Value::Unknown(u) => u.clone(),
            _ => fail(fields.span, "withSystemFields() needs an object of zod schemas"),
        });
    };
    let major = Some(builder_major(library));
    let system = [("_id", ZodKind::Id(table)), ("_creationTime", ZodKind::Number)];
    for (name, kind) in system {
        crate::eval::insert_entry(&mut entries, name.to_owned(), Value::Zod(Box::new(ZodSchema::new(major, kind))));
    }
    Ok(Value::Object(entries))
}

/// A zod builder's `args` (`zodToConvexFields` of a shape or a `z.object`) or `returns`
/// (`zodOutputToConvex`, a shape standing for `z.object(shape)`), as `customFnBuilder` reads them.
pub fn declared(evaluator: &mut Evaluator, major: ZodMajor, value: &Value, side: Side, span: Span) -> Result<Validator, Unknown> {
    let fields = match value {
        Value::Zod(schema) => match (&schema.kind, side) {
            (ZodKind::Object(fields), Side::Input) => fields.clone(),
            (_, Side::Input) => {
                return Err(fail(span, format!("Unsupported zod type as args validator: {}", schema.type_name())));
            }
            (_, Side::Output) => {
                let major = checked_major(schema, major, span)?;
                return Ok(to_convex(evaluator, schema, side, major, span)?.validator);
            }
        },
        value => shape(value, span)?,
    };
    if let Some((_, schema)) = fields.iter().find(|(_, schema)| schema.major.is_some_and(|m| m != major)) {
        checked_major(schema, major, span)?;
    }
    Ok(Validator::Object(fields_to_convex(evaluator, &fields, side, major, span)?))
}

/// A schema of one major handed to convex-helpers' code for the other fails there.
fn checked_major(schema: &ZodSchema, major: ZodMajor, span: Span) -> Result<ZodMajor, Unknown> {
    match schema.major {
        Some(own) if own != major => {
            let name = |m| if m == ZodMajor::V3 { "zod 3" } else { "zod 4" };
            Err(fail(span, format!("a {} schema is given to convex-helpers' {} code, which cannot read it", name(own), name(major))))
        }
        _ => Ok(major),
    }
}
