//! Billing components whose clients export a ready-made API: `@convex-dev/polar` 0.9.2
//! (`new Polar(component, { getUserInfo })`, `polar.api()`, `polar.registerRoutes(http, opts)`)
//! and `@useautumn/convex` 0.0.23 (`new Autumn(component, { identify })`, `autumn.api()`).
//!
//! The functions `api()` registers, with their arguments and returns, are the packages' own:
//! `data/*-api.json` holds what the ground-truth harness printed for them (a project that
//! exports every one of them, loaded with the pinned packages). Their handlers call the billing
//! service and the component, and the app's `getUserInfo` / `identify`, which the facts walk.

use super::Outcome;
use crate::builders::{entry, fail, generic_builder, register_function};
use crate::eval::{Evaluator, Value};
use crate::validator::Validator;
use crate::values::{Arg, ClientDef, Declared, LibraryCode, LibraryEffect, LibraryHandler, LibraryRoute, Span, Unknown};

pub(super) const POLAR: &str = "@convex-dev/polar";
pub(super) const AUTUMN: &str = "@useautumn/convex";

const POLAR_API: &str = include_str!("data/polar-api.json");
const AUTUMN_API: &str = include_str!("data/autumn-api.json");

/// Polar's functions that ask the app who the user is.
const POLAR_ASKS_USER: [&str; 5] = ["changeCurrentSubscription", "cancelCurrentSubscription", "listAllSubscriptions", "generateCheckoutLink", "generateCustomerPortalUrl"];

pub(super) fn call_method(evaluator: &mut Evaluator, client: &ClientDef, method: &str, span: Span) -> Option<Outcome> {
    (method == "api" || (client.package == POLAR && method == "checkoutApi")).then(|| {
        let (data, callback) = match client.package {
            POLAR => (POLAR_API, "getUserInfo"),
            _ => (AUTUMN_API, "identify"),
        };
        let callback = match entry(&client.options, callback) {
            Some(Value::Closure(closure)) => Some(*closure),
            _ => None,
        };
        let effects = |name: &str| {
            let asks = client.package != POLAR || POLAR_ASKS_USER.contains(&name);
            callback.filter(|_| asks).map(LibraryEffect::Callback).into_iter().collect()
        };
        packaged_api(evaluator, client, "api", data, &effects, span)
    })
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
        let validator = |json: &serde_json::Value| Validator::from_json(json).ok();
        let args = validator(&spec["args"]).ok_or_else(|| fail(span, "the package's arguments could not be read"))?;
        let definition = Value::Object(vec![("args".to_owned(), Value::Validator { validator: args, optional: false })]);
        let function = match register_function(evaluator, generic_builder(builder).expect("a Convex builder"), vec![Arg { value: definition, span }], span) {
            Value::Function(mut function) => {
                if !spec["returns"].is_null() {
                    function.returns = validator(&spec["returns"]).map_or(Declared::Absent, Declared::Known);
                }
                function.library = Some(LibraryHandler { value: client.library(method), code: LibraryCode::Effects(effects(&name)) });
                Value::Function(function)
            }
            other => other,
        };
        made.push((name, function));
    }
    Ok(Value::Object(made))
}

/// `polar.registerRoutes(http, { path = "/polar/events", ... })`: Polar's webhook, verified and
/// handled by the package (the app's event handlers run in it).
pub(super) fn routes(args: &[Value], span: Span) -> Result<Vec<LibraryRoute>, Unknown> {
    match args.get(1) {
        None | Some(Value::Undefined) => {}
        Some(Value::Object(options)) => match entry(options, "path") {
            None | Some(Value::Undefined) => {}
            Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
            // A path of the app's own: not one of the routes written here.
            Some(_) => return Err(fail(span, "the route `polar.registerRoutes` adds is at a `path` of the app's, which convex-lens does not model")),
        },
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        Some(_) => return Err(fail(span, "the options of `polar.registerRoutes` are not an object convex-lens can read")),
    }
    Ok(vec![LibraryRoute { path: "/polar/events", prefix: false, method: "POST" }])
}
