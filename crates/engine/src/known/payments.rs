//! Billing components whose clients export a ready-made API: `@convex-dev/polar` 0.9.2
//! (`new Polar(component, { getUserInfo })`, `polar.api()`, `polar.registerRoutes(http, opts)`)
//! and `@useautumn/convex` 0.0.23 (`new Autumn(component, { identify })`, `autumn.api()`).
//!
//! The functions `api()` registers, with their arguments and returns, are the packages' own:
//! `data/*-api.json` holds what the ground-truth harness printed for them (a project that
//! exports every one of them, loaded with the pinned packages). Their handlers call the billing
//! service and the component, and the app's `getUserInfo` / `identify`, which the facts walk.

use super::Outcome;
use crate::builders::{entry, fail};
use crate::eval::{Evaluator, Value};
use crate::values::{ClientDef, LibraryEffect, LibraryRoute, Span, Unknown};

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
        super::clients::packaged_api(evaluator, client, "api", data, &effects, span)
    })
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
