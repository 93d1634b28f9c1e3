//! convex-helpers 0.1.124: custom function builders (`server/customFunctions.ts`), validator
//! helpers (`validators.ts`), `Table()` (`server.ts`), `crud()` (`server/crud.ts`, in `crud`), the zod builders (`server/zod*.ts`) and
//! `HttpRouterWithHono` (`server/hono.ts`).

use super::{validator, Outcome};
use crate::builders::{fail, object_fields};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, Validator};
use super::ZodMajor;
use crate::values::{Arg, BuilderDef, Builtin, CustomCode, CustomInput, Customization, FunctionKind, RouterDef, Span, Unknown};

const CUSTOM_FUNCTIONS: &str = "convex-helpers/server/customFunctions";
const VALIDATORS: &str = "convex-helpers/validators";
const SERVER: &str = "convex-helpers/server";
const HONO: &str = "convex-helpers/server/hono";
const INDEX: &str = "convex-helpers";

pub(super) fn is_library(package: &str) -> bool {
    package == "convex-helpers" || package.starts_with("convex-helpers/")
}

fn builtin(library: &'static str, name: &str) -> Value {
    Value::Builtin(Builtin::Export { library, name: name.to_owned() })
}

pub(super) fn export(package: &str, name: &str, span: crate::values::Span) -> Option<Value> {
    let package = package.strip_suffix(".js").unwrap_or(package);
    match (package, name) {
        (CUSTOM_FUNCTIONS, "customQuery" | "customMutation" | "customAction" | "customCtx" | "customCtxAndArgs") => {
            Some(builtin(CUSTOM_FUNCTIONS, name))
        }
        (CUSTOM_FUNCTIONS, "NoOp") => Some(Value::Object(vec![("args".into(), Value::Object(Vec::new()))])),
        (VALIDATORS, "literals" | "nullable" | "partial" | "brandedString" | "typedV" | "doc" | "systemFields" | "withSystemFields") => {
            Some(builtin(VALIDATORS, name))
        }
        ("convex-helpers", "omit" | "pick") => Some(builtin(INDEX, name)),
        (VALIDATORS, "deprecated") => Some(Value::Validator { validator: Validator::Any, optional: true }),
        (VALIDATORS, "pretendRequired") => Some(builtin(VALIDATORS, name)),
        (SERVER, "Table") => Some(builtin(SERVER, name)),
        (super::crud::LIBRARY, "crud") => Some(builtin(super::crud::LIBRARY, name)),
        (HONO, "HttpRouterWithHono") => Some(builtin(HONO, name)),
        (super::triggers::LIBRARY, "Triggers") => Some(builtin(super::triggers::LIBRARY, name)),
        ("convex-helpers/server/cors", "corsRouter" | "default") => Some(builtin("convex-helpers/server/cors", "corsRouter")),
        _ => database_helper(package, name)
            .or_else(|| super::zod::helpers::export(package, name))
            .or_else(|| super::helpers_server::export(package, name, span)),
    }
}

/// The libraries of convex-helpers whose functions read and write the database for the caller
/// (`getManyFrom(ctx.db, ...)`, `paginator(ctx.db, schema)`, ...). They are not values: the facts
/// of the next layer know what each does (`facts::helpers`).
pub const DATABASE_HELPERS: [(&str, &[&str]); 7] = [
    ("convex-helpers/server/rateLimit", &["rateLimit", "checkRateLimit", "resetRateLimit"]),
    (
        "convex-helpers/server/relationships",
        &["getOrThrow", "getAll", "getAllOrThrow", "getOneFrom", "getOneFromOrThrow", "getManyFrom", "getManyVia", "getManyViaOrThrow"],
    ),
    ("convex-helpers/server/pagination", &["paginator", "getPage"]),
    ("convex-helpers/server/stream", &["stream"]),
    ("convex-helpers/server/rowLevelSecurity", &["wrapDatabaseReader", "wrapDatabaseWriter"]),
    ("convex-helpers/server/triggers", &["writerWithTriggers"]),
    ("convex-helpers", &["asyncMap", "pruneNull", "nullThrows"]),
];

fn database_helper(package: &str, name: &str) -> Option<Value> {
    let (library, names) = DATABASE_HELPERS.iter().find(|(library, _)| *library == package)?;
    names.contains(&name).then(|| builtin(library, name))
}

pub(super) fn call(evaluator: &mut Evaluator, library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    match (library, name) {
        (CUSTOM_FUNCTIONS, "customQuery") => custom_builder(evaluator, FunctionKind::Query, args, span, None),
        (CUSTOM_FUNCTIONS, "customMutation") => custom_builder(evaluator, FunctionKind::Mutation, args, span, None),
        (CUSTOM_FUNCTIONS, "customAction") => custom_builder(evaluator, FunctionKind::Action, args, span, None),
        (_, "zCustomQuery" | "zCustomMutation" | "zCustomAction") => {
            let kind = match name {
                "zCustomQuery" => FunctionKind::Query,
                "zCustomMutation" => FunctionKind::Mutation,
                _ => FunctionKind::Action,
            };
            custom_builder(evaluator, kind, args, span, Some(super::zod::helpers::builder_major(library)))
        }
        // `customCtx(fn)` only changes ctx: no arguments of its own.
        (CUSTOM_FUNCTIONS, "customCtx") => match args.into_iter().next().map(|a| a.value) {
            Some(Value::Closure(closure)) => Ok(Value::CustomCtx(CustomCode::Closure(closure))),
            // `customCtx(triggers.wrapDB)`: ctx.db becomes the writer that runs the triggers.
            Some(Value::Builtin(Builtin::Method { receiver, method })) if method == "wrapDB" => match *receiver {
                Value::Triggers(triggers) => Ok(Value::CustomCtx(CustomCode::WrapDb(triggers))),
                _ => Err(fail(span, "`.wrapDB` of a value that is not convex-helpers' `Triggers`")),
            },
            Some(Value::Unknown(u)) => Err(u),
            _ => Ok(Value::Object(vec![("args".into(), Value::Object(Vec::new()))])),
        },
        (CUSTOM_FUNCTIONS, "customCtxAndArgs") => {
            args.into_iter().next().map(|a| a.value).ok_or_else(|| fail(span, "customCtxAndArgs() needs a customization"))
        }
        (VALIDATORS, "literals") => {
            let members = args.iter().map(crate::builders::literal_of).collect::<Result<Vec<_>, _>>()?;
            Ok(validator(Validator::Union(members.into_iter().map(Validator::Literal).collect())))
        }
        // convex-helpers' `nullable` puts `null` first, unlike `v.nullable`.
        (VALIDATORS, "nullable") => {
            let inner = first_validator(&args, span)?;
            Ok(validator(Validator::Union(vec![Validator::Null, inner])))
        }
        (VALIDATORS, "partial") => partial(evaluator, args, span),
        (VALIDATORS, "brandedString") => Ok(validator(Validator::String)),
        // `v.optional(x)`, typed as required.
        (VALIDATORS, "pretendRequired") => Ok(Value::Validator { validator: first_validator(&args, span)?, optional: true }),
        (super::helpers_server::RATE_LIMIT | super::helpers_server::MIGRATIONS | super::helpers_server::RETRIES, _) if super::APP_LIBRARIES => {
            super::helpers_server::call(evaluator, name, args, span).unwrap_or_else(|| Err(fail(span, format!("`{name}` from \"{library}\" is not evaluated statically"))))
        }
        // `systemFields(table)`: `{ _id: v.id(table), _creationTime: v.number() }`;
        // `withSystemFields(table, fields)`: `{ ...fields, ...systemFields(table) }`.
        (VALIDATORS, "systemFields" | "withSystemFields") => {
            let table = crate::builders::string_arg(&args, 0, span, "the table name")?;
            let mut fields = match (name, args.get(1).map(|a| &a.value)) {
                ("systemFields", _) => Vec::new(),
                (_, Some(Value::Object(fields))) => fields.clone(),
                (_, Some(Value::Unknown(u))) => return Err(u.clone()),
                _ => return Err(fail(span, "withSystemFields() needs an object of fields")),
            };
            crate::eval::insert_entry(&mut fields, "_id".to_owned(), validator(Validator::Id { table }));
            crate::eval::insert_entry(&mut fields, "_creationTime".to_owned(), validator(Validator::Number));
            Ok(Value::Object(fields))
        }
        (SERVER, "Table") => table(evaluator, args, span),
        (super::crud::LIBRARY, "crud") if super::APP_LIBRARIES => super::crud::crud(evaluator, args, span),
        (VALIDATORS, "typedV") => typed_v(args, span),
        // `doc(schema, "table")`, deprecated in favour of `schema.doc("table")`, which it equals.
        (VALIDATORS, "doc") => {
            let mut args = args.into_iter();
            let schema = args.next().ok_or_else(|| fail(span, "doc() needs a schema"))?;
            let doc = Builtin::Method { receiver: Box::new(schema.value), method: "doc".into() };
            Ok(crate::builders::call(evaluator, doc, args.collect(), span))
        }
        (INDEX, "omit" | "pick") => pick_or_omit(name == "pick", args, span),
        _ => match super::zod::helpers::call(evaluator, library, name, args, span) {
            Some(outcome) => outcome,
            None => Err(fail(span, format!("`{name}` from \"{library}\" is not evaluated statically"))),
        },
    }
}

/// `new HttpRouterWithHono(app)`: a router that serves the Hono app's routes after its own.
pub(super) fn construct(_evaluator: &mut Evaluator, library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Option<Value> {
    (library == HONO && name == "HttpRouterWithHono").then(|| {
        let (appended, opaque) = match args.into_iter().next().map(|a| a.value) {
            Some(Value::Hono(app)) => (app.router_routes(), Vec::new()),
            Some(Value::Unknown(u)) => (Vec::new(), vec![u]),
            _ => (Vec::new(), vec![fail(span, "the Hono app of this router is not known, nor its routes")]),
        };
        Value::Router(Box::new(RouterDef { routes: Vec::new(), appended, opaque, span }))
    })
}

pub(super) fn call_method(_evaluator: &mut Evaluator, _receiver: Value, _method: &str, _args: Vec<Arg>, _span: Span) -> Option<Outcome> {
    None
}

pub(super) fn value_property(_value: Value, _property: &str, _span: Span) -> Option<Value> {
    None
}

fn first_validator(args: &[Arg], span: Span) -> Result<Validator, Unknown> {
    let arg = args.first().ok_or_else(|| fail(span, "a validator is needed"))?;
    crate::builders::required(&arg.value, arg.span)
}

/// `customQuery(query, customization)`: a builder whose functions take the customization's
/// arguments as well. Customizing a custom builder stacks both customizations' arguments. The
/// zod builders (`zCustomQuery`) read the functions' `args` and `returns` as zod schemas of
/// that major; the customization's own `args` are Convex validators either way.
fn custom_builder(evaluator: &mut Evaluator, kind: FunctionKind, args: Vec<Arg>, span: Span, zod: Option<ZodMajor>) -> Outcome {
    let mut args = args.into_iter();
    let base = args.next().ok_or_else(|| fail(span, "a custom builder needs a base builder"))?;
    let base: BuilderDef = match base.value {
        Value::Builder(builder) if builder.kind == kind => *builder,
        Value::Builder(_) => return Err(fail(base.span, "the base builder is of another kind of function")),
        Value::Unknown(u) => return Err(u),
        _ => return Err(fail(base.span, "the base is not a function builder")),
    };
    let (custom_args, input) = match args.next() {
        None => (Vec::new(), None),
        // `customCtx(fn)`: no arguments; `fn(ctx)` is what it adds to ctx.
        Some(Arg { value: Value::CustomCtx(code), .. }) => (Vec::new(), Some(CustomInput { code, returns_ctx_and_args: false })),
        Some(Arg { value: Value::Object(entries), span }) => {
            let custom_args = match entries.iter().find(|(k, _)| k == "args") {
                None | Some((_, Value::Undefined)) => Vec::new(),
                Some((_, value)) => object_fields(evaluator, value, span)?,
            };
            let input = match entries.iter().find(|(k, _)| k == "input") {
                Some((_, Value::Closure(closure))) => Some(CustomInput { code: CustomCode::Closure(*closure), returns_ctx_and_args: true }),
                _ => None,
            };
            (custom_args, input)
        }
        Some(Arg { value: Value::Unknown(u), .. }) => return Err(u),
        Some(Arg { span, .. }) => return Err(fail(span, "the customization is not an object")),
    };
    // A function without `args` throws when this customization adds some, except in the zod
    // builders, which then pass no arguments down (an inner builder may still throw).
    let requires_args = base.requires_args || (zod.is_none() && !custom_args.is_empty());
    let (inner, mut inputs) = base.customization.map(|c| (c.args, c.inputs)).unwrap_or_default();
    // The outer customization's input runs first, then the builder it wraps.
    inputs.splice(0..0, input);
    let mut combined = custom_args;
    for (name, field) in inner {
        if !combined.iter().any(|(n, _)| *n == name) {
            combined.push((name, field));
        }
    }
    Ok(Value::Builder(Box::new(BuilderDef {
        kind,
        visibility: base.visibility,
        customization: Some(Customization { args: combined, inputs }),
        zod: zod.or(base.zod),
        requires_args,
    })))
}

/// `partial(v.object | v.union)`: every field optional, in each member of a union.
pub(super) fn partial_validator(validator: Validator) -> Option<Validator> {
    match validator {
        Validator::Object(fields) => Some(Validator::Object(fields.into_iter().map(|(n, f)| (n, Field { optional: true, ..f })).collect())),
        Validator::Union(members) => Some(Validator::Union(
            members
                .into_iter()
                .map(|m| match m {
                    Validator::Object(_) | Validator::Union(_) => partial_validator(m),
                    other => Some(other),
                })
                .collect::<Option<_>>()?,
        )),
        _ => None,
    }
}

/// `partial(fields | v.object | v.union)`: every field optional.
fn partial(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let arg = args.into_iter().next().ok_or_else(|| fail(span, "partial() needs fields or a validator"))?;
    match arg.value {
        Value::Validator { validator, optional } => match partial_validator(validator) {
            Some(validator) => Ok(Value::Validator { validator, optional }),
            None => Err(fail(arg.span, "partial() only works with object and union validators")),
        },
        Value::Object(_) => {
            let fields = object_fields(evaluator, &arg.value, arg.span)?;
            Ok(Value::Object(
                fields.into_iter().map(|(n, f)| (n, Value::Validator { validator: f.validator, optional: true })).collect(),
            ))
        }
        Value::Unknown(u) => Err(u),
        _ => Err(fail(arg.span, "partial() needs fields or a validator")),
    }
}

/// `Table(name, fields)` from `convex-helpers/server`.
fn table(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let name = crate::builders::string_arg(&args, 0, span, "the table name")?;
    let fields_arg = args.get(1).ok_or_else(|| fail(span, "Table() needs fields"))?;
    let Value::Object(fields) = &fields_arg.value else {
        return match &fields_arg.value {
            Value::Unknown(u) => Err(u.clone()),
            _ => Err(fail(fields_arg.span, "Table() takes an object of validators")),
        };
    };
    let table = crate::builders::call(evaluator, Builtin::Export { library: "convex/server", name: "defineTable".into() }, vec![fields_arg.clone()], span);
    let id = validator(Validator::Id { table: name.clone() });
    let system_fields = vec![("_id".to_owned(), id.clone()), ("_creationTime".to_owned(), validator(Validator::Number))];
    let mut with_system_fields = fields.clone();
    for (key, value) in system_fields.clone() {
        crate::eval::insert_entry(&mut with_system_fields, key, value);
    }
    let doc_fields = object_fields(evaluator, &Value::Object(with_system_fields.clone()), fields_arg.span)?;
    Ok(Value::Object(vec![
        ("name".into(), Value::String(name)),
        ("table".into(), table),
        ("doc".into(), validator(Validator::Object(doc_fields))),
        ("withoutSystemFields".into(), Value::Object(fields.clone())),
        ("withSystemFields".into(), Value::Object(with_system_fields)),
        ("systemFields".into(), Value::Object(system_fields)),
        ("_id".into(), id),
    ]))
}

/// `typedV(schema)`: `v` with `id` checked against the schema's tables and `doc(table)` giving
/// the table's document validator with system fields.
fn typed_v(args: Vec<Arg>, span: Span) -> Outcome {
    let schema = args.into_iter().next().ok_or_else(|| fail(span, "typedV() needs a schema"))?;
    let schema = match schema.value {
        schema @ Value::Schema(_) => schema,
        Value::Unknown(u) => return Err(u),
        _ => return Err(fail(schema.span, "typedV() needs a schema")),
    };
    let mut entries: Vec<(String, Value)> = crate::builders::V_METHODS
        .iter()
        .map(|method| (method.to_string(), builtin("convex/values", &format!("v.{method}"))))
        .collect();
    entries.push(("doc".into(), Value::Builtin(Builtin::Method { receiver: Box::new(schema), method: "doc".into() })));
    Ok(Value::Object(entries))
}

/// `pick(obj, keys)` / `omit(obj, keys)` from `convex-helpers`.
fn pick_or_omit(pick: bool, args: Vec<Arg>, span: Span) -> Outcome {
    let mut args = args.into_iter();
    let object = args.next().ok_or_else(|| fail(span, "an object is needed"))?;
    let keys = args.next().ok_or_else(|| fail(span, "keys are needed"))?;
    let Value::Object(entries) = object.value else {
        return match object.value {
            Value::Unknown(u) => Err(u),
            _ => Err(fail(object.span, "not an object")),
        };
    };
    let keys: Vec<String> = match keys.value {
        Value::Array(items) => items.iter().filter_map(crate::eval::string_of).collect(),
        Value::Unknown(u) => return Err(u),
        _ => return Err(fail(keys.span, "the keys are not an array")),
    };
    Ok(Value::Object(entries.into_iter().filter(|(k, _)| keys.contains(k) == pick).collect()))
}

/// The Convex validator a zod builder's `args` or `returns` stands for.
pub fn zod_declared(
    evaluator: &mut Evaluator,
    major: ZodMajor,
    value: &Value,
    side: super::ZodSide,
    span: Span,
) -> Result<Validator, Unknown> {
    super::zod::helpers::declared(evaluator, major, value, side, span)
}
