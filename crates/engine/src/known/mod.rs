//! Libraries whose meaning is fixed by their published version, understood without their source:
//! convex-helpers, `@convex-dev/auth` (`authTables`, `convexAuth`, its identity helpers), zod schemas as convex-helpers converts them,
//! and the default names of published Convex components. Each file names the version it
//! describes; the ground-truth harness (`tests/ground-truth`) loads those versions for real.
//!
//! Everything else imported from a package is an explicit unknown: convex-lens reads the
//! project's files, not `node_modules`.

mod agent;
mod aggregate;
mod better_auth;
mod better_auth_api;
mod clients;
mod component_calls;
mod components;
mod convex_auth;
mod convex_helpers;
mod crud;
mod helpers_server;
mod hono;
mod migrations;
mod payments;
mod r2;
mod rate_limiter;
mod triggers;
mod workflow;
mod workpool;
mod zod;

use crate::builders::fail;
use crate::eval::{Evaluator, Value};
use crate::validator::Validator;
use crate::values::{Arg, LibraryHandler, Span, Unknown};

pub use clients::{checks_identity, component_call, component_call_of_trigger, has_no_effect, routes_added, runs_action, scheduled_arguments, schedules_by_name};
pub use convex_helpers::zod_declared;
pub use hono::HonoApp;
pub use zod::{Side as ZodSide, ZodMajor, ZodSchema};

type Outcome = Result<Value, Unknown>;

/// Whether this build carries the models of the libraries apps are built on: Convex Auth,
/// Better Auth, convex-helpers' `crud` and `Triggers`, and the component clients (feature
/// `app-libraries`, on but in the docs widget, whose first view must stay within its budget:
/// ARCHITECTURE.md, "Libraries"). Without them, their values are explicit unknowns that say so.
const APP_LIBRARIES: bool = cfg!(feature = "app-libraries");

/// Whether `name` of `package` is one of the values only a build with `APP_LIBRARIES` models.
fn is_app_library(package: &str, name: &str) -> bool {
    let package = package.strip_suffix(".js").unwrap_or(package);
    convex_auth::is_library(package)
        || (package == crud::LIBRARY && name == "crud")
        || (package == triggers::LIBRARY && name == "Triggers")
        || clients::is_client_library(package)
        || package == helpers_server::RATE_LIMIT
        || package == helpers_server::MIGRATIONS
        || package == helpers_server::RETRIES
}

/// An export of a package that is not `convex/*`, when this module models it.
pub fn package_export(package: &str, name: &str, span: Span) -> Option<Value> {
    export_in_build(APP_LIBRARIES, package, name, span)
}

fn export_in_build(app_libraries: bool, package: &str, name: &str, span: Span) -> Option<Value> {
    if !app_libraries && is_app_library(package, name) && !package.ends_with("/convex.config") {
        let reason = format!("the docs widget does not carry the model of `{name}` from \"{package}\"; the playground and the CLI do");
        let library = crate::values::LibraryValue { package: package.to_owned(), name: name.to_owned() };
        return Some(Value::Unknown(Unknown { span, reason, library: Some(library) }));
    }
    convex_helpers::export(package, name, span)
        .or_else(|| convex_auth::export(package, name, span))
        .or_else(|| zod::export(package, name))
        .or_else(|| hono::export(package, name))
        .or_else(|| components::definition(package, name))
        .or_else(|| clients::export(package, name))
        .or_else(|| workpool::export(package, name))
        .or_else(|| workflow::export(package, name))
        .or_else(|| agent::export(package, name))
        .or_else(|| (package == better_auth::LIBRARY && matches!(name, "createClient" | "createApi")).then(|| Value::Builtin(crate::values::Builtin::Export { library: better_auth::LIBRARY, name: name.to_owned() })))
}

/// Globals of JavaScript and of the runtimes Convex functions run in (V8 isolates and Node.js)
/// that module code may use: none of them reads a Convex `ctx`.
pub fn is_platform_global(name: &str) -> bool {
    matches!(
        name,
        "WeakMap" | "WeakSet" | "Map" | "Set" | "WeakRef" | "Promise" | "Date" | "Math" | "JSON" | "Reflect" | "Proxy" | "Symbol"
            | "Intl" | "RegExp" | "Error" | "TypeError" | "RangeError" | "console" | "crypto" | "fetch" | "URL" | "URLSearchParams"
            | "TextEncoder" | "TextDecoder" | "Headers" | "Request" | "Response" | "Blob" | "FormData" | "AbortController"
            | "setTimeout" | "clearTimeout" | "atob" | "btoa" | "structuredClone" | "Buffer" | "process" | "globalThis"
            | "Uint8Array" | "ArrayBuffer" | "DataView" | "encodeURIComponent" | "decodeURIComponent" | "parseInt" | "parseFloat"
            | "isNaN" | "isFinite" | "performance" | "queueMicrotask"
    )
}

/// Published Convex components whose clients take `ctx` only to call the component's functions
/// (`rateLimiter.limit(ctx, ...)`, `aggregate.insert(ctx, ...)`): a component cannot read the
/// caller's identity and these clients never do, so such a call is no check of the caller. The
/// auth libraries (`@convex-dev/auth`, `@convex-dev/better-auth`) are not among them.
pub fn checks_no_identity(package: &str) -> bool {
    let name = package.strip_prefix("@convex-dev/").map(|rest| rest.split('/').next().unwrap_or(rest));
    matches!(
        name,
        Some(
            "aggregate" | "rate-limiter" | "workpool" | "workflow" | "action-cache" | "sharded-counter" | "migrations" | "crons"
                | "action-retrier" | "resend" | "twilio" | "r2" | "agent" | "geospatial" | "persistent-text-streaming"
                | "prosemirror-sync" | "expo-push-notifications" | "polar" | "stripe" | "presence" | "collaborative-text-editor"
                | "static-hosting" | "autumn"
        )
    )
}

/// Packages whose every export that matters is modelled here, so their source is never read.
pub fn models_every_export(package: &str) -> bool {
    package == "zod" || package.starts_with("zod/") || package == "hono" || package.starts_with("hono/")
}

/// Why an export that is neither modelled nor read from source is unknown.
pub fn unmodelled_reason(package: &str, name: &str) -> String {
    if convex_helpers::is_library(package) || convex_auth::is_library(package) || models_every_export(package) {
        format!("`{name}` from \"{package}\" is not among the library values convex-lens models, and the package's source is not among the files analysed")
    } else {
        format!("`{name}` is imported from the package \"{package}\", whose source is not among the files analysed")
    }
}

pub fn call(evaluator: &mut Evaluator, library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    if convex_helpers::is_library(library) {
        return convex_helpers::call(evaluator, library, name, args, span);
    }
    if zod::is_library(library) {
        return zod::call(library, name, args, span);
    }
    if APP_LIBRARIES && convex_auth::is_library(library) {
        return convex_auth::call(name, args, span);
    }
    if APP_LIBRARIES && library == workpool::LIBRARY {
        return workpool::call(name, args, span);
    }
    if APP_LIBRARIES && library == better_auth::LIBRARY {
        return better_auth::call(evaluator, name, args, span);
    }
    if APP_LIBRARIES && library == agent::LIBRARY && name == "createTool" {
        return Ok(agent::create_tool());
    }
    Err(fail(span, format!("`{name}` from \"{library}\" is not evaluated statically")))
}

pub fn construct(evaluator: &mut Evaluator, library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Option<Value> {
    if APP_LIBRARIES && library == triggers::LIBRARY && name == "Triggers" {
        return Some(triggers::construct(span));
    }
    if !APP_LIBRARIES {
        return hono::construct(library, name).or_else(|| convex_helpers::construct(evaluator, library, name, args, span));
    }
    if let Some(client) = clients::construct(library, name, args.clone(), span) {
        return Some(client);
    }
    hono::construct(library, name).or_else(|| convex_helpers::construct(evaluator, library, name, args, span))
}

pub fn call_method(evaluator: &mut Evaluator, receiver: Value, method: &str, args: Vec<Arg>, span: Span) -> Option<Outcome> {
    match receiver {
        Value::Builtin(_) => None,
        Value::Hono(app) => Some(hono::call_method(*app, method, args, span)),
        Value::Triggers(triggers) if APP_LIBRARIES => Some(triggers::call_method(&triggers, method, args, span)),
        Value::Client(client) if APP_LIBRARIES => Some(clients::call_method(evaluator, &client, method, args, span)),
        receiver if zod::is_schema(&receiver) => Some(zod::call_method(receiver, method, args, span)),
        receiver => convex_helpers::call_method(evaluator, receiver, method, args, span),
    }
}

/// `library.name.property`, such as `z.string` of zod's `z`.
pub fn property(library: &'static str, name: &str, property: &str, span: Span) -> Value {
    if zod::is_library(library) {
        return zod::namespace_property(library, name, property);
    }
    Value::Unknown(fail(span, format!("`{name}.{property}` from \"{library}\" is not known statically")))
}

/// A property of a value a known library made (a zod schema's methods, ...).
pub fn value_property(_evaluator: &mut Evaluator, value: Value, property: &str, span: Span) -> Option<Value> {
    if zod::is_schema(&value) {
        return Some(zod::schema_property(value, property, span));
    }
    convex_helpers::value_property(value, property, span)
}

/// A function a library registers with its own handler (`library`): `builder({ args, returns })`
/// as the package calls it, `returns` left out when it gives none.
fn library_function(evaluator: &mut Evaluator, builder: crate::values::BuilderDef, args: Value, returns: Option<Value>, library: LibraryHandler, span: Span) -> Value {
    let mut definition = vec![("args".to_owned(), args)];
    definition.extend(returns.map(|returns| ("returns".to_owned(), returns)));
    match crate::builders::register_function(evaluator, builder, vec![Arg { value: Value::Object(definition), span }], span) {
        Value::Function(mut function) => {
            function.library = Some(library);
            Value::Function(function)
        }
        other => other,
    }
}

/// A validator written as the package's own JSON (what `exportArgs()` or the ground-truth
/// harness prints).
fn json_validator(json: &serde_json::Value, span: Span) -> Result<Value, Unknown> {
    let validator = Validator::from_json(json).map_err(|_| fail(span, "the package's validator could not be read"))?;
    Ok(Value::Validator { validator, optional: false })
}

fn validator(validator: Validator) -> Value {
    Value::Validator { validator, optional: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs widget's build leaves the app libraries out: their values are unknowns that
    /// name the library and say where it is modelled, never wrong values.
    #[test]
    fn without_app_libraries_their_values_say_the_widget_does_not_carry_them() {
        let span = Span { module: 0, range: crate::source::ByteRange { start: 0, end: 0 } };
        for (package, name) in [
            ("convex-helpers/server/triggers", "Triggers"),
            ("@convex-dev/auth/server", "convexAuth"),
            ("@convex-dev/migrations", "Migrations"),
            ("@convex-dev/better-auth", "createClient"),
        ] {
            match export_in_build(false, package, name, span) {
                Some(Value::Unknown(unknown)) => {
                    assert!(unknown.reason.contains("docs widget"), "{}", unknown.reason);
                    assert_eq!(unknown.library.map(|l| l.package), Some(package.to_owned()));
                }
                other => panic!("{package} {name}: {other:?}"),
            }
            assert!(!matches!(export_in_build(true, package, name, span), Some(Value::Unknown(_))), "{package} {name}");
        }
        // What every build models stays.
        assert!(matches!(export_in_build(false, "convex-helpers/server/customFunctions", "customQuery", span), Some(Value::Builtin(_))));
        assert!(matches!(export_in_build(false, "@convex-dev/migrations/convex.config", "default", span), Some(Value::ComponentDefinition { .. })));
    }
}
