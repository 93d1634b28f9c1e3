//! convex-helpers' `corsRouter(http, config)` (`server/cors.ts` of 0.1.124): `cors.route(spec)`
//! adds the route to `http`, with the library's handler wrapping the app's to add the CORS
//! headers, and an `OPTIONS` route for the same path (once per path) that answers preflight
//! requests. Kept with the router's statements (`builders::apply`) because its routes change
//! the router the module exports.

use swc_ecma_ast::CallExpr;

use super::{fail, opaque_change};
use crate::eval::{Evaluator, Value};
use crate::values::{Arg, Builtin, LibraryCode, LibraryHandler, LibraryValue, RouteDef};

pub(super) const LIBRARY: &str = "convex-helpers/server/cors";

/// Whether `call` is `corsRouter(...)` of convex-helpers.
pub(super) fn is_cors_router<'g>(evaluator: &mut Evaluator<'g, '_>, call: &'g CallExpr) -> bool {
    let swc_ecma_ast::Callee::Expr(callee) = &call.callee else { return false };
    matches!(evaluator.eval(callee), Value::Builtin(Builtin::Export { library: LIBRARY, .. }))
}

/// `cors.route(spec)` (or a chain of them) on the router `value`.
pub(super) fn apply_route<'g>(evaluator: &mut Evaluator<'g, '_>, mut value: Value, links: Vec<(&'g str, &'g CallExpr)>) -> Value {
    for (method, call) in links {
        let span = evaluator.span(call.span);
        if method != "route" {
            opaque_change(evaluator, &mut value, fail(span, format!("`.{method}()` of a CORS router is not evaluated statically")));
            continue;
        }
        let args: Vec<Arg> = call.args.iter().map(|arg| Arg { value: evaluator.eval(&arg.expr), span: evaluator.span(&*arg.expr) }).collect();
        let receiver = Value::Builtin(Builtin::Method { receiver: Box::new(value.clone()), method: "route".to_owned() });
        match evaluator.call_value(receiver, args, call.span) {
            Value::Router(mut router) => {
                if let Some(added) = router.routes.last().cloned() {
                    let preflight = |r: &RouteDef| r.method == "OPTIONS" && r.path == added.path && r.prefix == added.prefix;
                    if !router.routes.iter().any(preflight) {
                        let library = LibraryHandler {
                            value: LibraryValue { package: LIBRARY.to_owned(), name: "corsRouter".to_owned() },
                            code: LibraryCode::Unread { tables: Vec::new() },
                        };
                        router.routes.push(RouteDef { method: "OPTIONS".to_owned(), handler: None, hono: false, library: Some(library), ..added });
                    }
                }
                value = Value::Router(router);
            }
            Value::Unknown(unknown) => opaque_change(evaluator, &mut value, unknown),
            _ => opaque_change(evaluator, &mut value, fail(span, "`cors.route(...)` gave no router")),
        }
    }
    value
}
