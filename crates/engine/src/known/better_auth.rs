//! `@convex-dev/better-auth` 0.12.5 (`src/client/create-client.ts`): `createClient(component,
//! config)` gives the app's client of the Better Auth component. `clientApi()` and
//! `triggersApi()` make functions the app exports (`getAuthUser`; `onCreate`, `onUpdate`,
//! `onDelete`, which run the app's `config.triggers`), `registerRoutes(http, createAuth)` adds
//! the auth routes, and in a handler `getAuthUser(ctx)` / `safeGetAuthUser(ctx)` read the
//! caller's identity and their user in the component (`adapter:findOne`).

use std::rc::Rc;

use super::Outcome;
use crate::builders::{entry, fail, generic_builder};
use crate::eval::{Evaluator, Value};
use crate::values::{Arg, ClientDef, LibraryCode, LibraryEffect, LibraryHandler, LibraryRoute, Span, Unknown};

pub(super) const LIBRARY: &str = "@convex-dev/better-auth";

pub(super) fn call(evaluator: &mut Evaluator, name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    match name {
        "createClient" => Ok(super::clients::make(LIBRARY, "createClient", args, span)),
        "createApi" => super::better_auth_api::create_api(evaluator, args, span),
        _ => Err(fail(span, format!("`{name}` from \"{LIBRARY}\" is not evaluated statically"))),
    }
}

pub(super) fn call_method(evaluator: &mut Evaluator, client: &Rc<ClientDef>, method: &str, span: Span) -> Option<Outcome> {
    Some(Ok(match method {
        "clientApi" => {
            let mut effects = vec![LibraryEffect::ChecksIdentity];
            effects.extend(find_user(client));
            Value::Object(vec![("getAuthUser".to_owned(), function(evaluator, client, "clientApi", "queryGeneric", NO_ARGS, effects, span))])
        }
        "triggersApi" => {
            let callbacks = |event: &str| -> Vec<LibraryEffect> { triggers(client, event).into_iter().map(LibraryEffect::Callback).collect() };
            let (create, update, delete) = (callbacks("onCreate"), callbacks("onUpdate"), callbacks("onDelete"));
            Value::Object(vec![
                ("onCreate".to_owned(), function(evaluator, client, "triggersApi", "internalMutationGeneric", DOC_ARGS, create, span)),
                ("onUpdate".to_owned(), function(evaluator, client, "triggersApi", "internalMutationGeneric", UPDATE_ARGS, update, span)),
                ("onDelete".to_owned(), function(evaluator, client, "triggersApi", "internalMutationGeneric", DOC_ARGS, delete, span)),
            ])
        }
        _ => return None,
    }))
}

/// `adapter.findOne` of the user, in the component the client was made with.
fn find_user(client: &ClientDef) -> Option<LibraryEffect> {
    let component = client.component.clone()?;
    Some(LibraryEffect::RunComponent { mutation: false, component, path: "adapter:findOne" })
}

/// The app's functions in `config.triggers.<model>.<event>`, for every model.
fn triggers(client: &ClientDef, event: &str) -> Vec<crate::values::ClosureId> {
    let Some(Value::Object(models)) = entry(&client.options, "triggers") else { return Vec::new() };
    models
        .iter()
        .filter_map(|(_, model)| match model {
            Value::Object(events) => match entry(events, event) {
                Some(Value::Closure(closure)) => Some(*closure),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn function(evaluator: &mut Evaluator, client: &ClientDef, method: &str, builder: &str, args: &str, effects: Vec<LibraryEffect>, span: Span) -> Value {
    let args = serde_json::from_str(args).map_err(|_| fail(span, "the package's arguments could not be read")).and_then(|json| super::json_validator(&json, span));
    let builder = generic_builder(builder).expect("a Convex builder");
    match args {
        Ok(args) => super::library_function(evaluator, builder, args, None, LibraryHandler { value: client.library(method), code: LibraryCode::Effects(effects) }, span),
        Err(unknown) => Value::Unknown(unknown),
    }
}

const NO_ARGS: &str = r#"{"type":"object","value":{}}"#;
const DOC_ARGS: &str = r#"{"type":"object","value":{"doc":{"fieldType":{"type":"any"},"optional":false},"model":{"fieldType":{"type":"string"},"optional":false}}}"#;
const UPDATE_ARGS: &str = r#"{"type":"object","value":{"oldDoc":{"fieldType":{"type":"any"},"optional":false},"newDoc":{"fieldType":{"type":"any"},"optional":false},"model":{"fieldType":{"type":"string"},"optional":false}}}"#;

/// The routes `registerRoutes(http, createAuth, opts?)` adds: the issuer's configuration when
/// the router lacks it, then every path under the auth base path for GET and POST (and the
/// CORS preflight with `opts.cors`). The base path is `createAuth`'s `basePath`, `/api/auth`
/// unless set: when the project's text names `basePath` anywhere, it is not known.
pub(super) fn routes(evaluator: &Evaluator, args: &[Value], has_issuer: bool, span: Span) -> Result<Vec<LibraryRoute>, Unknown> {
    if evaluator.graph.modules.iter().any(|m| m.file.text.contains("basePath")) {
        return Err(fail(span, "the routes `registerRoutes` adds are not known: the project sets a `basePath`, which convex-lens does not evaluate"));
    }
    let cors = match args.get(2) {
        None | Some(Value::Undefined) => false,
        Some(Value::Object(options)) => match entry(options, "cors") {
            None | Some(Value::Undefined | Value::Bool(false)) => false,
            Some(Value::Bool(true) | Value::Object(_)) => true,
            _ => return Err(fail(span, "the `cors` option of `registerRoutes` is not known statically")),
        },
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        Some(_) => return Err(fail(span, "the options of `registerRoutes` are not an object convex-lens can read")),
    };
    let mut routes = Vec::new();
    if !has_issuer {
        routes.push(LibraryRoute { path: "/.well-known/openid-configuration", prefix: false, method: "GET" });
    }
    routes.push(LibraryRoute { path: "/api/auth/", prefix: true, method: "GET" });
    routes.push(LibraryRoute { path: "/api/auth/", prefix: true, method: "POST" });
    if cors {
        routes.push(LibraryRoute { path: "/api/auth/", prefix: true, method: "OPTIONS" });
    }
    Ok(routes)
}

/// The component function each method of the client calls in a handler.
pub(super) fn method(name: &str) -> Option<(bool, &'static str)> {
    Some(match name {
        "getAuthUser" | "safeGetAuthUser" | "getAnyUserById" | "getHeaders" => (false, "adapter:findOne"),
        "setUserId" => (true, "adapter:updateOne"),
        _ => return None,
    })
}

/// Methods that read the caller's identity and give their user (or nothing, or throw).
pub(super) fn checks_identity(name: &str) -> bool {
    matches!(name, "getAuthUser" | "safeGetAuthUser")
}
