//! What Convex's API returns, as convex@1.51 defines it (`shared/reference/convex-api.md`): the
//! validators of `convex/values`, and from `convex/server` the schema builders, the function
//! builders (also as `_generated/server` re-exports them), the HTTP router, cron jobs and
//! component definitions. The one place that knows that API; libraries built on it are in
//! [`crate::known`].

mod components;
mod cors;
mod crons;
mod functions;
mod http;
mod schema;
mod values;

use swc_common::Spanned;
use swc_ecma_ast::{Callee, Expr, MemberProp, Stmt};

use crate::eval::{Evaluator, Value};
use crate::parse::byte_range;
use crate::validator::Validator;
use crate::values::{ApiRef, ApiRoot, Arg, Builtin, RouteDef, Span, Unknown};

pub use functions::{builder, generic_builder, register_function};
pub use schema::document_with_system_fields;
pub use values::pagination_options;
pub use http::ROUTABLE_METHODS;
pub use values::object_fields;

/// `v.literal(x)`'s value.
pub fn literal_of(arg: &Arg) -> Result<crate::validator::LiteralValue, Unknown> {
    values::literal(arg)
}

/// The validator a value is, when it is a required validator.
pub fn required(value: &Value, span: Span) -> Result<Validator, Unknown> {
    required_validator(value, span, "the argument")
}

/// A table defined by a library, from its fields `(name, validator, optional)` and db indexes.
/// A table a library defines (`library` names it), as `defineTable(...).index(...)` would.
pub fn schema_table(library: &str, fields: &[(&str, Validator, bool)], indexes: &[(&str, &[&str])], span: Span) -> Value {
    use crate::validator::Field;
    use crate::values::{IndexDef, IndexKind, TableDef};
    let document = Validator::Object(
        fields.iter().map(|(n, v, optional)| (n.to_string(), Field { validator: v.clone(), optional: *optional })).collect(),
    );
    let indexes = indexes
        .iter()
        .map(|(name, fields)| IndexDef {
            name: name.to_string(),
            kind: IndexKind::Db { fields: fields.iter().map(|f| f.to_string()).collect() },
            staged: false,
            span,
            library: Some(library.to_owned()),
        })
        .collect();
    Value::Table(std::rc::Rc::new(TableDef { document, staged_document: None, indexes, span, library: Some(library.to_owned()) }))
}

pub(crate) type Outcome = Result<Value, Unknown>;

/// Globals of JavaScript the evaluator knows some functions of.
pub const GLOBALS: [&str; 5] = ["Object", "BigInt", "Number", "String", "Array"];

/// The validator builders of `v`.
pub const V_METHODS: [&str; 18] = [
    "id", "null", "number", "float64", "bigint", "int64", "commitTs", "boolean", "string", "bytes", "literal", "array",
    "object", "record", "union", "any", "optional", "nullable",
];

pub(crate) fn fail(span: Span, reason: impl Into<String>) -> Unknown {
    Unknown::new(span, reason)
}

pub(crate) fn export(library: &'static str, name: &str) -> Value {
    Value::Builtin(Builtin::Export { library, name: name.to_owned() })
}

/// Calls a builtin with evaluated arguments.
pub fn call(evaluator: &mut Evaluator, callee: Builtin, args: Vec<Arg>, span: Span) -> Value {
    let outcome = match callee {
        Builtin::Export { library, name } => match library {
            "convex/values" if name == "asObjectValidator" => values::as_object_validator(evaluator, args, span),
            "convex/values" => values::call_v(evaluator, name.strip_prefix("v.").unwrap_or(&name), args, span),
            "convex/server" => call_server(evaluator, &name, args, span),
            "globals" => call_global(&name, args, span),
            _ => crate::known::call(evaluator, library, &name, args, span),
        },
        Builtin::Method { receiver, method } => call_method(evaluator, *receiver, &method, args, span),
        // Given a router it changes, the call is applied where the router is built (`apply_call`).
        Builtin::AddsRoutes { .. } => Ok(Value::Undefined),
    };
    outcome.unwrap_or_else(Value::Unknown)
}

fn call_server(evaluator: &mut Evaluator, name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    match name {
        "defineTable" => schema::define_table(evaluator, args, span),
        "defineSchema" => schema::define_schema(evaluator, args, span),
        "docValidator" => schema::doc_validator(args, span),
        "paginationResultValidator" => values::pagination_result(args, span),
        "httpRouter" => Ok(http::router(span)),
        "cronJobs" => Ok(crons::crons(span)),
        "defineApp" => Ok(components::define_app(span)),
        "defineComponent" => components::define_component(args, span),
        "httpActionGeneric" => Ok(Value::HttpAction {
            span: args.first().map_or(span, |a| a.span),
            handler: match args.first().map(|a| &a.value) {
                Some(Value::Closure(closure)) => Some(*closure),
                _ => None,
            },
        }),
        "makeFunctionReference" => match args.first() {
            Some(Arg { value: Value::String(name), .. }) => Ok(function_reference_from_name(name)),
            _ => Err(fail(span, "makeFunctionReference() needs a static function name")),
        },
        "componentsGeneric" => Ok(Value::ApiRef(ApiRef { root: ApiRoot::Components, segments: Vec::new() })),
        _ => match functions::generic_builder(name) {
            Some(builder) => Ok(functions::register_function(evaluator, builder, args, span)),
            None => Err(fail(span, format!("`{name}` from \"convex/server\" is not evaluated statically"))),
        },
    }
}

/// `Object.keys`, `Object.entries`, `Object.fromEntries`, `BigInt(n)`, ... on static values.
fn call_global(name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let first = args.first().map(|a| a.value.clone()).unwrap_or(Value::Undefined);
    let object = |value: Value| match value {
        Value::Object(entries) => Ok(entries),
        Value::Unknown(u) => Err(u),
        _ => Err(fail(span, format!("`{name}` of a value whose keys are not known"))),
    };
    match name {
        "Object.keys" => Ok(Value::Array(object(first)?.into_iter().map(|(k, _)| Value::String(k)).collect())),
        "Object.values" => Ok(Value::Array(object(first)?.into_iter().map(|(_, v)| v).collect())),
        "Object.entries" => Ok(Value::Array(
            object(first)?.into_iter().map(|(k, v)| Value::Array(vec![Value::String(k), v])).collect(),
        )),
        "Object.fromEntries" => {
            let Value::Array(pairs) = first else {
                return Err(match first {
                    Value::Unknown(u) => u,
                    _ => fail(span, "Object.fromEntries() of a value that is not a static array"),
                });
            };
            let mut entries = Vec::new();
            for pair in pairs {
                match pair {
                    Value::Array(pair) if pair.len() >= 2 => match crate::eval::string_of(&pair[0]) {
                        Some(key) => crate::eval::insert_entry(&mut entries, key, pair[1].clone()),
                        None => return Err(fail(span, "an entry's key is not a string")),
                    },
                    Value::Unknown(u) => return Err(u),
                    _ => return Err(fail(span, "an entry is not a [key, value] pair")),
                }
            }
            Ok(Value::Object(entries))
        }
        "Object.assign" => {
            let mut entries = Vec::new();
            for arg in args {
                for (key, value) in object(arg.value)? {
                    crate::eval::insert_entry(&mut entries, key, value);
                }
            }
            Ok(Value::Object(entries))
        }
        "Object.freeze" => Ok(first),
        "BigInt" => match first {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.2e18 => Ok(Value::BigInt(n as i64)),
            Value::BigInt(n) => Ok(Value::BigInt(n)),
            Value::String(s) => s.trim().parse().map(Value::BigInt).map_err(|_| fail(span, "BigInt() of a string that is not an integer")),
            Value::Unknown(u) => Err(u),
            _ => Err(fail(span, "BigInt() of a value that is not an integer")),
        },
        "String" => crate::eval::string_of(&first).map(Value::String).ok_or_else(|| fail(span, "String() of a non-primitive")),
        "Number" => match first {
            Value::Number(n) => Ok(Value::Number(n)),
            Value::String(s) => Ok(Value::Number(s.trim().parse().unwrap_or(f64::NAN))),
            Value::Unknown(u) => Err(u),
            _ => Err(fail(span, "Number() of this value is not evaluated statically")),
        },
        "Array.of" => Ok(Value::Array(args.into_iter().map(|a| a.value).collect())),
        _ => Err(fail(span, format!("`{name}` is not evaluated statically"))),
    }
}

fn function_reference_from_name(name: &str) -> Value {
    let (module, export) = name.rsplit_once(':').unwrap_or((name, "default"));
    let mut segments: Vec<String> = module.split('/').map(str::to_owned).collect();
    segments.push(export.to_owned());
    Value::ApiRef(ApiRef { root: ApiRoot::Api, segments })
}

/// `new X(...)` of a builtin class.
pub fn construct(evaluator: &mut Evaluator, callee: Builtin, args: Vec<Arg>, at: swc_common::Span) -> Value {
    let span = Span { module: evaluator.current_module(), range: byte_range(at) };
    match &callee {
        Builtin::Export { library: "convex/server", name } if name == "HttpRouter" => http::router(span),
        Builtin::Export { library, name } => crate::known::construct(evaluator, library, name, args, span)
            .unwrap_or_else(|| Value::Unknown(fail(span, format!("instances of `{name}` from \"{library}\" are not evaluated statically")))),
        Builtin::Method { .. } | Builtin::AddsRoutes { .. } => Value::Unknown(fail(span, "this value is not a class")),
    }
}

fn call_method(evaluator: &mut Evaluator, receiver: Value, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    match receiver {
        Value::Validator { validator, optional } => values::call_validator_method(evaluator, validator, optional, method, args, span),
        Value::Table(table) => schema::call_table_method(evaluator, std::rc::Rc::unwrap_or_clone(table), method, args, span),
        Value::Schema(schema) => schema::call_schema_method(std::rc::Rc::unwrap_or_clone(schema), method, args, span),
        Value::Array(items) => call_array_method(evaluator, items, method, args, span),
        Value::Router(router) => http::call_router_method(evaluator, *router, method, args, span),
        Value::Crons(crons) => crons::call_crons_method(*crons, method, args, span),
        Value::App(app) => components::call_app_method(*app, method, args, span),
        other => crate::known::call_method(evaluator, other, method, args, span)
            .unwrap_or_else(|| Err(fail(span, format!("`.{method}()` of this value is not evaluated statically")))),
    }
}

fn call_array_method(evaluator: &mut Evaluator, items: Vec<Value>, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let callback = || match args.first() {
        Some(Arg { value: callee @ (Value::Closure(_) | Value::Builtin(_)), .. }) => Ok(callee.clone()),
        _ => Err(fail(span, format!("`.{method}()` needs a function"))),
    };
    let at = swc_common::Span::default();
    match method {
        "map" | "filter" => {
            let callee = callback()?;
            let mut results = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let call_args = vec![
                    Arg { value: item.clone(), span },
                    Arg { value: Value::Number(index as f64), span },
                ];
                let result = evaluator.call_value(callee.clone(), call_args, at);
                match (method, result) {
                    (_, Value::Unknown(u)) => return Err(u),
                    ("map", result) => results.push(result),
                    (_, keep) => match crate::eval::truthiness(&keep) {
                        Some(true) => results.push(item),
                        Some(false) => {}
                        None => return Err(fail(span, "the filter's result is not known statically")),
                    },
                }
            }
            Ok(Value::Array(results))
        }
        "concat" => {
            let mut items = items;
            for arg in args {
                match arg.value {
                    Value::Array(more) => items.extend(more),
                    other => items.push(other),
                }
            }
            Ok(Value::Array(items))
        }
        "includes" => Ok(Value::Bool(args.first().is_some_and(|a| {
            items.iter().any(|item| matches!((item, &a.value), (Value::String(x), Value::String(y)) if x == y))
        }))),
        _ => Err(fail(span, format!("`.{method}()` of an array is not evaluated statically"))),
    }
}

/// A property of a value that is not a plain object or array.
pub fn property(evaluator: &mut Evaluator, object: Value, property: &str, at: swc_common::Span) -> Value {
    let span = Span { module: evaluator.current_module(), range: byte_range(at) };
    match object {
        Value::Builtin(Builtin::Export { library: "convex/values", name }) if name == "v" => {
            export("convex/values", &format!("v.{property}"))
        }
        Value::ApiRef(mut reference) => {
            reference.segments.push(property.to_owned());
            Value::ApiRef(reference)
        }
        Value::Schema(schema) if property == "tables" => Value::Object(
            schema.tables.iter().map(|(name, value, _)| (name.clone(), value.clone())).collect(),
        ),
        Value::Schema(schema) if property == "schemaValidation" => Value::Bool(schema.schema_validation),
        Value::Table(table) if property == "validator" => {
            Value::Validator { validator: table.document.clone(), optional: false }
        }
        Value::Validator { validator, optional } => values::validator_property(validator, optional, property, span),
        // The CLI replaces an imported component config by `{ componentDefinitionPath, defaultName }`.
        Value::ComponentDefinition { specifier, default_name } => match property {
            "componentDefinitionPath" => Value::String(specifier),
            "defaultName" => default_name.map_or(Value::Undefined, Value::String),
            _ => Value::Undefined,
        },
        Value::Builtin(Builtin::Export { library: "globals", name }) => export("globals", &format!("{name}.{property}")),
        Value::Builtin(Builtin::Export { library, name }) => crate::known::property(library, &name, property, span),
        receiver @ (Value::Table(_) | Value::Schema(_) | Value::Router(_) | Value::Crons(_) | Value::App(_) | Value::Hono(_) | Value::Triggers(_) | Value::Client(_)) => {
            Value::Builtin(Builtin::Method { receiver: Box::new(receiver), method: property.to_owned() })
        }
        other => crate::known::value_property(evaluator, other, property, span)
            .unwrap_or_else(|| Value::Unknown(fail(span, format!("property `{property}` of this value is not known statically")))),
    }
}

/// The keys and values of a value spread into an object (`...authTables`, `...Users.withSystemFields`).
pub fn as_object(value: Value) -> Option<Vec<(String, Value)>> {
    match value {
        Value::Array(items) => Some(items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect()),
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::BigInt(_) => Some(Vec::new()),
        _ => None,
    }
}

/// An export of a module that Convex generates (`_generated/server`, `_generated/api`).
pub fn generated_export(evaluator: &mut Evaluator, generated: &str, name: &str, at: swc_common::Span) -> Value {
    let span = Span { module: evaluator.current_module(), range: byte_range(at) };
    let api = |root| Value::ApiRef(ApiRef { root, segments: Vec::new() });
    match (generated, name) {
        ("server", "httpAction") => export("convex/server", "httpActionGeneric"),
        ("server", _) => match functions::generated_builder(name) {
            Some(builder) => Value::Builder(Box::new(builder)),
            None => Value::Unknown(fail(span, format!("`{name}` from _generated/server is not a value convex-lens models"))),
        },
        ("api", "api") => api(ApiRoot::Api),
        ("api", "internal") => api(ApiRoot::Internal),
        ("api", "components") => api(ApiRoot::Components),
        _ => Value::Unknown(fail(span, format!("`{name}` from _generated/{generated} is not a value convex-lens models"))),
    }
}

/// An export of a package that convex-lens models: `convex/values` and `convex/server` here,
/// other libraries in [`crate::known`]. `None` when the package or the export is not modelled,
/// so its source is what counts; Convex itself is always modelled.
pub fn package_value(package: &str, name: &str, span: Span) -> Option<Value> {
    Some(match (package, name) {
        ("convex/values", "v") => export("convex/values", "v"),
        ("convex/values", "asObjectValidator") => export("convex/values", name),
        ("convex/server", "paginationOptsValidator") => values::pagination_options(),
        ("convex/server", "anyApi") => Value::ApiRef(ApiRef { root: ApiRoot::Api, segments: Vec::new() }),
        ("convex/server", _) if is_server_export(name) => export("convex/server", name),
        ("convex/server", _) => match functions::generic_builder(name) {
            Some(builder) => Value::Builder(Box::new(builder)),
            None => Value::Unknown(fail(span, format!("`{name}` from \"convex/server\" is not a value convex-lens models"))),
        },
        _ if is_convex_package(package) => {
            Value::Unknown(fail(span, format!("`{name}` from \"{package}\" is not a value convex-lens models")))
        }
        _ => return crate::known::package_export(package, name, span),
    })
}

/// Whether an import of `names` from `package` needs the package's source: some name is not
/// modelled (`None` names: a namespace import or `export *`, which may use any).
pub fn needs_source(package: &str, names: Option<&[String]>) -> bool {
    if is_convex_package(package) || crate::known::models_every_export(package) {
        return false;
    }
    let span = Span { module: 0, range: crate::source::ByteRange { start: 0, end: 0 } };
    match names {
        Some(names) => names.iter().any(|name| package_value(package, name, span).is_none()),
        None => true,
    }
}

fn is_convex_package(package: &str) -> bool {
    package == "convex" || package.starts_with("convex/")
}

fn is_server_export(name: &str) -> bool {
    matches!(
        name,
        "defineTable"
            | "defineSchema"
            | "docValidator"
            | "paginationResultValidator"
            | "httpRouter"
            | "HttpRouter"
            | "cronJobs"
            | "defineApp"
            | "defineComponent"
            | "httpActionGeneric"
            | "makeFunctionReference"
            | "componentsGeneric"
    )
}

/// After a module-level binding is evaluated, applies the module's top-level statements that
/// change it in place: `http.route(...)`, `crons.daily(...)`, `app.use(...)`, `table.index(...)`,
/// also inside `if` blocks whose condition is static. A statement that hands the value to other
/// code (`auth.addHttpRoutes(http)`), or a change under a condition the source does not decide,
/// is recorded as an unknown change.
pub fn apply_statements(evaluator: &mut Evaluator, name: &str, value: Value) -> Value {
    if !matches!(value, Value::Router(_) | Value::Crons(_) | Value::App(_) | Value::Table(_) | Value::Hono(_) | Value::Triggers(_)) {
        return value;
    }
    let graph = evaluator.graph;
    let Some(ast) = graph.modules[evaluator.current_module()].ast.as_ref() else {
        return value;
    };
    let statements: Vec<&Stmt> = crate::graph::top_level_statements(ast).collect();
    if matches!(value, Value::Triggers(_)) {
        evaluator.define_early(name, value.clone());
    }
    apply(evaluator, name, value, &statements)
}

fn apply<'g>(evaluator: &mut Evaluator<'g, '_>, name: &str, mut value: Value, statements: &[&'g Stmt]) -> Value {
    // Names bound to convex-helpers' `corsRouter(name, ...)`, whose routes go to `name`.
    let mut cors: Vec<String> = Vec::new();
    for statement in statements {
        match statement {
            Stmt::Expr(expression) => {
                let Expr::Call(call) = &*expression.expr else { continue };
                value = match cors.iter().find_map(|alias| method_chain(alias, call)) {
                    Some(links) => cors::apply_route(evaluator, value, links),
                    None => apply_call(evaluator, name, value, call),
                };
                if matches!(value, Value::Unknown(_)) {
                    return value;
                }
            }
            // `const cors = corsRouter(http, ...)`; any other declaration that hands the value
            // to code may change it.
            Stmt::Decl(swc_ecma_ast::Decl::Var(var)) => {
                for declarator in &var.decls {
                    let Some(Expr::Call(call)) = declarator.init.as_deref() else { continue };
                    if !call.args.iter().any(|arg| matches!(&*arg.expr, Expr::Ident(ident) if ident.sym == *name)) {
                        continue;
                    }
                    match (&declarator.name, cors::is_cors_router(evaluator, call), &value) {
                        (swc_ecma_ast::Pat::Ident(alias), true, Value::Router(_)) => cors.push(alias.id.sym.to_string()),
                        _ => {
                            let reason = format!("`{name}` is handed to code that may change it; what that code adds is not known");
                            opaque_change(evaluator, &mut value, fail(evaluator.span(call.span()), reason));
                        }
                    }
                }
            }
            Stmt::Block(block) => value = apply(evaluator, name, value, &block.stmts.iter().collect::<Vec<_>>()),
            Stmt::If(branch) if mentions(name, branch) => match crate::eval::truthiness(&evaluator.eval(&branch.test)) {
                Some(true) => value = apply(evaluator, name, value, &[&*branch.cons]),
                Some(false) => {
                    if let Some(alt) = &branch.alt {
                        value = apply(evaluator, name, value, &[&**alt]);
                    }
                }
                None => {
                    let reason = format!("`{name}` is changed under a condition that depends on the deployment; those changes are left out");
                    opaque_change(evaluator, &mut value, fail(evaluator.span(&*branch.test), reason));
                }
            },
            _ => {}
        }
    }
    value
}

fn apply_call<'g>(evaluator: &mut Evaluator<'g, '_>, name: &str, value: Value, call: &'g swc_ecma_ast::CallExpr) -> Value {
    if matches!(value, Value::Triggers(_)) {
        // Registrations change the shared value as the code runs (`triggers.register(...)`,
        // or a function of the source given the value that registers some).
        if let Value::Unknown(unknown) = evaluator.eval_call(call) {
            let handed = call.args.iter().any(|arg| matches!(&*arg.expr, Expr::Ident(ident) if ident.sym == *name));
            match handed {
                true => evaluator.report_unknown(fail(evaluator.span(call.span()), format!("`{name}` is handed to code that may register triggers; what that code registers is not known"))),
                false => evaluator.report_unknown(unknown),
            }
        }
        return value;
    }
    if let Some(links) = method_chain(name, call) {
        // `name.a(...)`, or a chain `name.a(...).b(...)` of methods that return the value.
        let mut current = value;
        for (method, call) in links {
            let receiver = Value::Builtin(Builtin::Method { receiver: Box::new(current), method: method.to_owned() });
            let args = call.args.iter().map(|arg| Arg { value: evaluator.eval(&arg.expr), span: evaluator.span(&*arg.expr) }).collect();
            current = evaluator.call_value(receiver, args, call.span);
            if let Value::Unknown(u) = &current {
                evaluator.report_unknown(u.clone());
                break;
            }
        }
        return current;
    }
    let mut value = value;
    let given_first = call.args.first().is_some_and(|arg| matches!(&*arg.expr, Expr::Ident(ident) if ident.sym == *name));
    if let (true, Callee::Expr(callee), Value::Router(router)) = (given_first, &call.callee, &mut value) {
        let callee = evaluator.eval(callee);
        let span = evaluator.span(call.span());
        let added = match callee {
            Value::Builtin(Builtin::AddsRoutes { library, routes }) => Some((library, routes)),
            // `authComponent.registerRoutes(http, createAuth)`: what it adds depends on its
            // arguments and on the routes already there.
            callee => {
                let args: Vec<Value> = call.args.iter().map(|arg| evaluator.eval(&arg.expr)).collect();
                let has_issuer = router.routes.iter().any(|r| r.path == "/.well-known/openid-configuration" && r.method == "GET");
                crate::known::routes_added(evaluator, &callee, &args, has_issuer, span)
            }
        };
        if let Some((library, routes)) = added {
            match routes {
                Ok(routes) => router.routes.extend(routes.into_iter().map(|route| RouteDef {
                    path: route.path.to_owned(),
                    prefix: route.prefix,
                    method: route.method.to_owned(),
                    handler: None,
                    hono: false,
                    library: Some(library.clone()),
                    span,
                })),
                Err(unknown) => router.opaque.push(unknown),
            }
            return value;
        }
    }
    if call.args.iter().any(|arg| matches!(&*arg.expr, Expr::Ident(ident) if ident.sym == *name)) {
        let reason = format!("`{name}` is handed to code that may change it; what that code adds is not known");
        opaque_change(evaluator, &mut value, fail(evaluator.span(call.span()), reason));
    }
    value
}

/// The method calls of `name.a(...).b(...)`, innermost first, when the chain starts at `name`.
fn method_chain<'g>(name: &str, call: &'g swc_ecma_ast::CallExpr) -> Option<Vec<(&'g str, &'g swc_ecma_ast::CallExpr)>> {
    let mut links = Vec::new();
    let mut call = call;
    loop {
        let Callee::Expr(callee) = &call.callee else { return None };
        let Expr::Member(member) = &**callee else { return None };
        let MemberProp::Ident(method) = &member.prop else { return None };
        links.push((method.sym.as_str(), call));
        match &*member.obj {
            Expr::Ident(ident) if ident.sym == *name => break,
            Expr::Call(inner) => call = inner,
            _ => return None,
        }
    }
    links.reverse();
    Some(links)
}

fn opaque_change(evaluator: &mut Evaluator, value: &mut Value, unknown: Unknown) {
    match value {
        Value::Router(router) => router.opaque.push(unknown),
        _ => evaluator.report_unknown(unknown),
    }
}

/// Whether an `if` statement's text names the value (a cheap filter before evaluating its test).
fn mentions(name: &str, branch: &swc_ecma_ast::IfStmt) -> bool {
    struct Finder<'n> {
        name: &'n str,
        found: bool,
    }
    impl crate::parse::search::Hooks for Finder<'_> {
        fn ident(&mut self, ident: &swc_ecma_ast::Ident) -> bool {
            self.found |= ident.sym == *self.name;
            false
        }
    }
    let mut finder = Finder { name, found: false };
    crate::parse::search::search(&branch.cons, &mut finder);
    if let Some(alt) = &branch.alt {
        crate::parse::search::search(alt, &mut finder);
    }
    finder.found
}

/// The validator a value is, optional or not: `v.optional`, `v.nullable`, `v.array` and
/// `v.union` take an optional validator as they take its required form (its JSON is the same;
/// convex/values checks optionality only in `v.record` and as an object's field).
pub(crate) fn any_validator(value: &Value, span: Span, what: &str) -> Result<Validator, Unknown> {
    match value {
        Value::Validator { validator, .. } => Ok(validator.clone()),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(span, format!("{what} is not a validator"))),
    }
}

pub(crate) fn required_validator(value: &Value, span: Span, what: &str) -> Result<Validator, Unknown> {
    match value {
        Value::Validator { validator, optional: false } => Ok(validator.clone()),
        Value::Validator { optional: true, .. } => Err(fail(span, format!("{what} must not be optional"))),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(span, format!("{what} is not a validator"))),
    }
}

pub(crate) fn string_arg(args: &[Arg], index: usize, span: Span, what: &str) -> Result<String, Unknown> {
    match args.get(index) {
        Some(Arg { value: Value::String(s), .. }) => Ok(s.clone()),
        Some(Arg { value: Value::Unknown(u), .. }) => Err(u.clone()),
        Some(arg) => Err(fail(arg.span, format!("{what} is not a string"))),
        None => Err(fail(span, format!("{what} is missing"))),
    }
}

pub(crate) fn entry<'a>(entries: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}
