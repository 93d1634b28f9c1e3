//! Hono 4 apps (`hono-base.ts`), as far as their routes go: convex-helpers'
//! `HttpRouterWithHono(app)` lists `app.routes` after its own routes (`getHonoRoutes` in
//! `server/hono.ts`), so the deployment serves them and `getRoutes()` shows them.

use crate::builders::fail;
use crate::eval::Value;
use crate::values::{Arg, RouteDef, Span, Unknown};

const LIBRARY: &str = "hono";

/// The methods Hono has a function for (`METHODS` in `router.ts`).
const METHODS: [&str; 6] = ["get", "post", "put", "delete", "options", "patch"];
/// What `ALL` routes expand to in `getHonoRoutes` (`ROUTABLE_HTTP_METHODS`).
/// A `new Hono()` and the routes added to it.
#[derive(Clone, Debug)]
pub struct HonoApp {
    base_path: String,
    /// The path the next method call without one uses (`#path`).
    current_path: String,
    routes: Vec<HonoRoute>,
}

#[derive(Clone, Debug)]
struct HonoRoute {
    method: String,
    path: String,
    handler: Option<crate::values::ClosureId>,
    span: Span,
}

pub(super) fn export(package: &str, name: &str) -> Option<Value> {
    let exports_hono = matches!(package, "hono" | "hono/tiny" | "hono/quick" | "convex-helpers/server/hono");
    (exports_hono && name == "Hono").then(|| crate::builders::export(LIBRARY, "Hono"))
}

pub(super) fn construct(library: &str, name: &str) -> Option<Value> {
    (library == LIBRARY && name == "Hono").then(|| {
        Value::Hono(Box::new(HonoApp { base_path: "/".into(), current_path: "/".into(), routes: Vec::new() }))
    })
}

type Outcome = Result<Value, Unknown>;

/// `app.get(path, ...handlers)`, `app.on(method, path, ...)`, `app.use(...)`, `app.route(path,
/// sub)`, `app.basePath(path)`, `app.mount(path, handler)`; each returns the app.
pub(super) fn call_method(mut app: HonoApp, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let path_of = |arg: Option<&Arg>| match arg.map(|a| &a.value) {
        Some(Value::String(path)) => Ok(Some(path.clone())),
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Ok(None),
    };
    match method {
        _ if METHODS.contains(&method) || method == "all" => {
            let mut handlers = args.as_slice();
            if let Some(path) = path_of(handlers.first())? {
                app.current_path = path;
                handlers = &handlers[1..];
            }
            let (method, path) = (method.to_ascii_uppercase(), app.current_path.clone());
            for handler in handlers {
                app.add(&method, &path, handler, span);
            }
        }
        "on" => {
            let methods = strings(args.first(), span, "the methods of `.on()`")?;
            let paths = strings(args.get(1), span, "the paths of `.on()`")?;
            for path in paths {
                app.current_path = path.clone();
                for method in &methods {
                    for handler in args.iter().skip(2) {
                        app.add(&method.to_ascii_uppercase(), &path, handler, span);
                    }
                }
            }
        }
        "use" => {
            let mut handlers = args.as_slice();
            match path_of(handlers.first())? {
                Some(path) => {
                    app.current_path = path;
                    handlers = &handlers[1..];
                }
                None => app.current_path = "*".into(),
            }
            let path = app.current_path.clone();
            for handler in handlers {
                app.add("ALL", &path, handler, span);
            }
        }
        "route" => {
            let path = path_of(args.first())?.ok_or_else(|| fail(span, "`.route()` needs a path"))?;
            let sub = match args.get(1).map(|a| &a.value) {
                Some(Value::Hono(sub)) => sub,
                Some(Value::Unknown(u)) => return Err(u.clone()),
                _ => return Err(fail(span, "`.route()` needs a Hono app")),
            };
            let base = merge_path(&app.base_path, &path);
            for route in &sub.routes {
                let path = merge_path(&base, &route.path);
                app.routes.push(HonoRoute { path, ..route.clone() });
            }
        }
        "basePath" => {
            let path = path_of(args.first())?.ok_or_else(|| fail(span, "`.basePath()` needs a path"))?;
            app.base_path = merge_path(&app.base_path, &path);
        }
        "mount" => {
            let path = path_of(args.first())?.ok_or_else(|| fail(span, "`.mount()` needs a path"))?;
            let path = merge_path(&path, "*");
            if let Some(handler) = args.get(1) {
                app.add("ALL", &path, handler, span);
            }
        }
        "onError" | "notFound" => {}
        _ => return Err(fail(span, format!("`.{method}()` of a Hono app is not modelled by convex-lens"))),
    }
    Ok(Value::Hono(Box::new(app)))
}

impl HonoApp {
    /// How many routes the app holds, for the size of a value.
    pub fn route_count(&self) -> usize {
        self.routes.len()
    }

    /// `#addRoute`: the path is joined to the app's base path.
    fn add(&mut self, method: &str, path: &str, handler: &Arg, span: Span) {
        let handler = match &handler.value {
            Value::Closure(closure) => Some(*closure),
            _ => None,
        };
        self.routes.push(HonoRoute { method: method.to_owned(), path: merge_path(&self.base_path, path), handler, span });
    }

    /// `getHonoRoutes()`: `ALL` routes once per routable method, each method and path once.
    pub fn router_routes(&self) -> Vec<RouteDef> {
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut routes = Vec::new();
        for route in &self.routes {
            let methods: Vec<&str> = match route.method.as_str() {
                "ALL" => crate::builders::ROUTABLE_METHODS.to_vec(),
                method => vec![method],
            };
            for method in methods {
                let key = (method.to_owned(), route.path.clone());
                if !seen.contains(&key) {
                    seen.push(key);
                    routes.push(RouteDef {
                        path: route.path.clone(),
                        prefix: false,
                        method: method.to_owned(),
                        handler: route.handler,
                        hono: true,
                        library: None,
                        span: route.span,
                    });
                }
            }
        }
        routes
    }
}

/// A string or an array of strings (`app.on(["GET", "POST"], ["/a", "/b"], ...)`).
fn strings(arg: Option<&Arg>, span: Span, what: &str) -> Result<Vec<String>, Unknown> {
    match arg.map(|a| &a.value) {
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(fail(span, format!("{what} are not static strings"))),
            })
            .collect(),
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Err(fail(span, format!("{what} are not static strings"))),
    }
}

/// Hono's `mergePath(base, sub)` (`utils/url.ts`).
fn merge_path(base: &str, sub: &str) -> String {
    let lead = if base.starts_with('/') { "" } else { "/" };
    if sub == "/" {
        return format!("{lead}{base}");
    }
    let join = if base.ends_with('/') { "" } else { "/" };
    let sub = sub.strip_prefix('/').unwrap_or(sub);
    format!("{lead}{base}{join}{sub}")
}

#[cfg(test)]
mod tests {
    use super::merge_path;

    #[test]
    fn paths_merge_as_hono_merges_them() {
        assert_eq!(merge_path("/", "/api"), "/api");
        assert_eq!(merge_path("/", "/"), "/");
        assert_eq!(merge_path("/api", "/"), "/api");
        assert_eq!(merge_path("/api", "*"), "/api/*");
        assert_eq!(merge_path("/api/", "/posts"), "/api/posts");
        assert_eq!(merge_path("api", "posts"), "/api/posts");
    }
}
