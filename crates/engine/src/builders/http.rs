//! `httpRouter()` and `http.route({...})` (`convex/src/server/router.ts`). See
//! `shared/reference/convex-api.md` §7.

use super::{entry, fail, Outcome};
use crate::eval::{Evaluator, Value};
use crate::values::{Arg, RouteDef, RouterDef, Span};

/// The methods `http.route` accepts (Convex's `ROUTABLE_HTTP_METHODS`).
pub const ROUTABLE_METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"];

pub(super) fn router(span: Span) -> Value {
    Value::Router(Box::new(RouterDef { routes: Vec::new(), appended: Vec::new(), opaque: Vec::new(), span }))
}

pub(super) fn call_router_method(evaluator: &mut Evaluator, mut router: RouterDef, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    if method != "route" {
        return Err(fail(span, format!("`.{method}()` of an HTTP router is not evaluated statically")));
    }
    let spec = args.first().ok_or_else(|| fail(span, "`route()` needs a route"))?;
    let Value::Object(spec_entries) = &spec.value else {
        return match &spec.value {
            Value::Unknown(u) => Err(u.clone()),
            _ => Err(fail(spec.span, "the route is not an object")),
        };
    };
    let text = |key: &str| match entry(spec_entries, key) {
        Some(Value::String(s)) => Ok(Some(s.clone())),
        None | Some(Value::Undefined) => Ok(None),
        Some(Value::Unknown(u)) => Err(u.clone()),
        Some(_) => Err(fail(spec.span, format!("`{key}` is not a string"))),
    };
    let http_method = text("method")?.ok_or_else(|| fail(spec.span, "route requires method"))?;
    if !ROUTABLE_METHODS.contains(&http_method.as_str()) {
        evaluator.report_problem(spec.span, format!("'{http_method}' is not an allowed HTTP method (like GET, POST, PUT etc.)"));
    }
    let (path, prefix) = match (text("path")?, text("pathPrefix")?) {
        (Some(path), None) => (path, false),
        (None, Some(prefix)) => {
            if !prefix.ends_with('/') {
                evaluator.report_problem(spec.span, format!("pathPrefix {prefix} must end with a /"));
            }
            (prefix, true)
        }
        (Some(_), Some(_)) => return Err(fail(spec.span, "a route cannot have both `path` and `pathPrefix`")),
        (None, None) => return Err(fail(spec.span, "a route needs `path` or `pathPrefix`")),
    };
    if !path.starts_with('/') {
        evaluator.report_problem(spec.span, format!("path '{path}' does not start with a /"));
    }
    let handler = match entry(spec_entries, "handler") {
        Some(Value::HttpAction { handler, .. }) => *handler,
        Some(Value::Unknown(u)) => {
            evaluator.report_unknown(u.clone());
            None
        }
        _ => None,
    };
    let duplicate = router.routes.iter().any(|r| r.path == path && r.prefix == prefix && r.method == http_method);
    if duplicate {
        evaluator.report_problem(spec.span, format!("{http_method} {path} is routed twice; Convex throws at import time"));
    }
    router.routes.push(RouteDef { path, prefix, method: http_method, handler, hono: false, library: None, span: spec.span });
    Ok(Value::Router(Box::new(router)))
}
