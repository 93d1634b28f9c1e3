//! Clients of published components that `known` models: the class an app makes with the
//! component it mounted (`new Migrations(components.migrations, options)`), and the methods
//! of each that register functions. Other methods of a modelled client, and other clients,
//! stay explicit unknowns at module level.

use std::rc::Rc;

use super::Outcome;
use crate::eval::{Evaluator, Value};
use crate::builders::{fail, generic_builder};
use crate::values::{ApiRef, ApiRoot, Arg, Builtin, ClientDef, LibraryCode, LibraryEffect, LibraryHandler, Span};

/// (package, class) of the clients modelled.
const CLIENTS: [(&str, &str); 10] = [
    (super::r2::LIBRARY, "R2"),
    (super::payments::POLAR, "Polar"),
    (super::payments::AUTUMN, "Autumn"),
    (super::workflow::LIBRARY, "WorkflowManager"),
    (super::agent::LIBRARY, "Agent"),
    (super::migrations::LIBRARY, "Migrations"),
    (super::workpool::LIBRARY, "Workpool"),
    (super::rate_limiter::LIBRARY, "RateLimiter"),
    (super::aggregate::LIBRARY, "TableAggregate"),
    (super::aggregate::LIBRARY, "DirectAggregate"),
];

/// The packages whose clients (and their other values) are modelled here.
pub(super) fn is_client_library(package: &str) -> bool {
    all_clients().any(|(library, _)| *library == package) || package == super::better_auth::LIBRARY || package == super::agent::LIBRARY
}

/// Every client class modelled: those that register functions, and those whose methods only
/// call their component.
fn all_clients() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    CLIENTS.iter().chain(super::component_calls::CLIENTS.iter())
}

pub(super) fn export(package: &str, name: &str) -> Option<Value> {
    let (library, class) = all_clients().find(|(library, class)| *library == package && *class == name)?;
    Some(Value::Builtin(Builtin::Export { library, name: (*class).to_owned() }))
}

/// `new Class(components.<name>, options?)`.
pub(super) fn construct(library: &'static str, name: &str, args: Vec<Arg>, span: Span) -> Option<Value> {
    let (package, class) = all_clients().find(|(package, class)| *package == library && *class == name)?;
    Some(make(package, class, args, span))
}

/// The client of the component `components.<name>` (the first argument), made with options
/// (the second).
pub(super) fn make(package: &'static str, class: &'static str, args: Vec<Arg>, span: Span) -> Value {
    let mut args = args.into_iter().map(|a| a.value);
    let component = match args.next() {
        Some(Value::ApiRef(ApiRef { root: ApiRoot::Components, segments })) if segments.len() == 1 => segments.into_iter().next(),
        _ => None,
    };
    let options = match args.next() {
        Some(Value::Object(entries)) => entries,
        _ => Vec::new(),
    };
    Value::Client(Rc::new(ClientDef { package, class, component, options, span }))
}

pub(super) fn call_method(evaluator: &mut Evaluator, client: &Rc<ClientDef>, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let outcome = match client.package {
        super::migrations::LIBRARY => super::migrations::call_method(evaluator, client, method, args, span),
        super::workpool::LIBRARY => super::workpool::call_method(evaluator, client, method, args, span),
        super::better_auth::LIBRARY => super::better_auth::call_method(evaluator, client, method, span),
        super::workflow::LIBRARY => super::workflow::call_method(evaluator, client, method, args, span),
        super::payments::POLAR | super::payments::AUTUMN => super::payments::call_method(evaluator, client, method, span),
        super::r2::LIBRARY => super::r2::call_method(evaluator, client, method, args, span),
        super::helpers_server::MIGRATIONS if method == "migration" => Some(super::helpers_server::migration(evaluator, client, args, span)),
        // The trigger it makes is the library's code, which the facts run as calls into the
        // component (`component_call_of_trigger`).
        super::aggregate::LIBRARY if matches!(method, "trigger" | "idempotentTrigger") => {
            Some(Ok(Value::Builtin(Builtin::Method { receiver: Box::new(Value::Client(client.clone())), method: method.to_owned() })))
        }
        _ => None,
    };
    outcome.unwrap_or_else(|| {
        let library = client.library(method);
        let reason = format!("`{}.{method}(...)` of \"{}\" is not among the library values convex-lens models", client.class, client.package);
        Err(crate::values::Unknown { span, reason, library: Some(library) })
    })
}

/// The function of its component that a method of a client calls in a handler
/// (`aggregate.count(ctx, ...)`, `migrations.runOne(ctx, ...)`): whether it is a mutation, and
/// its path in the component. `None` for a method not modelled, or a component not named.
pub fn component_call(client: &ClientDef, method: &str) -> Option<(bool, &'static str)> {
    client.component.as_ref()?;
    match client.package {
        super::aggregate::LIBRARY => super::aggregate::method(method),
        super::migrations::LIBRARY => super::migrations::method(method),
        super::workpool::LIBRARY => super::workpool::method(method),
        super::rate_limiter::LIBRARY => super::rate_limiter::method(method),
        super::better_auth::LIBRARY => super::better_auth::method(method),
        super::r2::LIBRARY => super::r2::method(method),
        package => super::component_calls::method(package, method),
    }
}

/// The function of its component that a trigger made by a client's `method` calls for a
/// change of `operation` (`insert`, `update`, `delete`).
pub fn component_call_of_trigger(client: &ClientDef, method: &str, operation: &str) -> Option<&'static str> {
    client.component.as_ref()?;
    match client.package {
        super::aggregate::LIBRARY => super::aggregate::trigger(method, operation),
        _ => None,
    }
}

/// The app's functions a method of a client runs later (Workpool's `enqueueAction(ctx, fn,
/// args, { onComplete })`): the index of the argument that names one, and of the options
/// whose `onComplete` names another.
pub fn scheduled_arguments(client: &ClientDef, method: &str) -> Option<(usize, usize)> {
    match client.package {
        super::workpool::LIBRARY => super::workpool::scheduled(method),
        // `runWithRetries(ctx, action, args, options?)`: the action, through the retrier.
        super::helpers_server::RETRIES if method == "runWithRetries" => Some((1, usize::MAX)),
        _ => None,
    }
}

/// The app's function a method schedules by its name (`makeActionRetrier("retries:retry")`'s
/// `runWithRetries` schedules `retries:retry`).
pub fn schedules_by_name<'c>(client: &'c ClientDef, method: &str) -> Option<&'c str> {
    (client.package == super::helpers_server::RETRIES && method == "runWithRetries").then(|| super::helpers_server::retry_name(client)).flatten()
}

/// Whether a method of a client reads the caller's identity and gives their user
/// (Better Auth's `getAuthUser(ctx)`).
pub fn checks_identity(client: &ClientDef, method: &str) -> bool {
    client.package == super::better_auth::LIBRARY && super::better_auth::checks_identity(method)
}

/// Methods of a client that neither call the component nor touch the app's data or caller in
/// the handler that calls them (Better Auth's `adapter(ctx)`, handed to Better Auth itself).
pub fn has_no_effect(client: &ClientDef, method: &str) -> bool {
    client.package == super::better_auth::LIBRARY && method == "adapter"
}

/// The routes a call of a client's method adds to the router given first
/// (`authComponent.registerRoutes(http, createAuth)`): the code that handles them, and the
/// routes or why they are not known. `None` when the method adds none.
pub fn routes_added(
    evaluator: &Evaluator,
    callee: &Value,
    args: &[Value],
    has_issuer: bool,
    span: Span,
) -> Option<(crate::values::LibraryHandler, Result<Vec<crate::values::LibraryRoute>, crate::values::Unknown>)> {
    let Value::Builtin(Builtin::Method { receiver, method }) = callee else { return None };
    let Value::Client(client) = &**receiver else { return None };
    let routes = match (client.package, method.as_str()) {
        (super::better_auth::LIBRARY, "registerRoutes") => super::better_auth::routes(evaluator, args, has_issuer, span),
        (super::payments::POLAR, "registerRoutes") => super::payments::routes(args, span),
        _ => return None,
    };
    let handler = crate::values::LibraryHandler { value: client.library(method), code: crate::values::LibraryCode::Unread { tables: Vec::new() } };
    Some((handler, routes))
}

/// The app's function a method of a client runs in the same call (an action cache's `fetch`
/// runs the action it caches, on a miss), as the reference the client was made with.
pub fn runs_action<'c>(client: &'c ClientDef, method: &str) -> Option<&'c Value> {
    (client.package == super::component_calls::ACTION_CACHE && method == "fetch").then(|| crate::builders::entry(&client.options, "action")).flatten()
}

/// The functions a client's method registers, as `data` gives them (each one's kind,
/// visibility, `args` and `returns`, from the ground-truth harness), each with the effects of
/// its handler that `effects` names.
pub(super) fn packaged_api(evaluator: &mut Evaluator, client: &ClientDef, method: &str, data: &str, effects: &dyn Fn(&str) -> Vec<LibraryEffect>, span: Span) -> Outcome {
    let functions: serde_json::Map<String, serde_json::Value> = serde_json::from_str(data).map_err(|_| fail(span, "the package's API could not be read"))?;
    let mut made = Vec::new();
    for (name, spec) in functions {
        let builder = match (spec["kind"].as_str(), spec["visibility"].as_str()) {
            (Some("query"), Some("internal")) => "internalQueryGeneric",
            (Some("query"), _) => "queryGeneric",
            (Some("mutation"), Some("internal")) => "internalMutationGeneric",
            (Some("mutation"), _) => "mutationGeneric",
            (_, Some("internal")) => "internalActionGeneric",
            _ => "actionGeneric",
        };
        let args = super::json_validator(&spec["args"], span)?;
        let returns = if spec["returns"].is_null() { None } else { Some(super::json_validator(&spec["returns"], span)?) };
        let library = LibraryHandler { value: client.library(method), code: LibraryCode::Effects(effects(&name)) };
        let function = super::library_function(evaluator, generic_builder(builder).expect("a Convex builder"), args, returns, library, span);
        made.push((name, function));
    }
    Ok(Value::Object(made))
}
