//! The app model: the schema, the function registry, HTTP routes, cron jobs and components, read
//! from the evaluated modules the way the Convex CLI and backend read them.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, DiagnosticCode, Severity};
use crate::eval::{export_names, Evaluator, Value};
use crate::graph::{ModuleGraph, ModuleId};
use crate::project::{has_use_node_directive, ModuleEntry, Project};
use crate::schema::{model_schema, DefinitionSite, Schema, SchemaGap};
use crate::source::{ByteRange, Location};
use crate::validator::Validator;
use crate::values::{Declared, FunctionKind, Span, Unknown, Visibility};

/// One registered function, as `npx convex function-spec` and the dashboard describe it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionSpec {
    /// `dir/file:export`.
    pub path: String,
    pub kind: FunctionKind,
    /// `null` for HTTP actions, which are public only through the routes that use them.
    pub visibility: Option<Visibility>,
    pub runtime: Runtime,
    /// `exportArgs()`: `{"type":"any"}` when the function declares none; `null` when convex-lens
    /// could not evaluate them (see `unknown`).
    pub args: Option<Validator>,
    /// `exportReturns()`: `null` when the function declares none or when it is unknown.
    pub returns: Option<Validator>,
    /// The parts (`args`, `returns`) that could not be evaluated statically, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownPart>,
    /// The builder call.
    pub location: Location,
    /// The handler function, for the facts of the next layer.
    pub handler: Option<Location>,
}

/// A part of a function that could not be evaluated statically.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnknownPart {
    /// `args` or `returns`.
    pub part: String,
    /// The diagnostic's message.
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Runtime {
    Isolate,
    Node,
}

/// One route of `http.ts`, as `getRoutes()` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRoute {
    /// The exact path, or the prefix followed by `*`.
    pub path: String,
    pub method: String,
    pub location: Location,
    pub handler: Option<Location>,
}

/// One cron job, as `crons.export()` describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJob {
    pub name: String,
    /// The target's function path; `null` when unknown.
    pub function: Option<String>,
    /// `[args]` in Convex JSON; `null` when unknown.
    pub args: Option<serde_json::Value>,
    pub schedule: serde_json::Value,
    pub location: Location,
}

/// One component installed by `convex.config.ts`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// The installed name; `null` when it is set in a package convex-lens has not read.
    pub name: Option<String>,
    /// The import specifier of the component's `convex.config`, or the path of a local one.
    pub definition: String,
    pub http_prefix: Option<String>,
    pub location: Location,
}

/// An export of a function module whose value could not be evaluated: if it is a Convex
/// function, the model lacks it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpaqueExport {
    /// `dir/file:export`, the path the function would have.
    pub path: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<crate::values::LibraryValue>,
    pub location: Location,
    /// It is made from a handler of the app's code (`mutation({ handler })` with a builder
    /// convex-lens cannot evaluate): what that handler reads and writes is not in the facts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub handler: bool,
}

/// Whether the module's `export const <name> = f(...)` gives `f` code of its own that runs with
/// a Convex ctx: a handler (`{ handler: async (ctx) => ... }`, or the function itself), or any
/// function whose first parameter is a ctx (`migrations.define({ migrateOne: async (ctx, doc) => ... })`).
/// What that code reads and writes is not in the facts. Callbacks that get no ctx (an email
/// provider's `sendVerificationRequest`) cannot touch the database.
fn defines_handler(ast: &swc_ecma_ast::Module, name: &str) -> bool {
    use swc_ecma_ast::{Decl, Expr, ModuleDecl, ModuleItem, Pat, Prop, PropName, PropOrSpread};
    let gets_ctx = |params: &mut dyn Iterator<Item = &Pat>| match params.next() {
        Some(Pat::Ident(ident)) => ident.id.sym.to_ascii_lowercase().contains("ctx"),
        Some(Pat::Object(object)) => object.props.iter().any(|p| match p {
            swc_ecma_ast::ObjectPatProp::KeyValue(kv) => matches!(&kv.key, PropName::Ident(k) if CTX_MEMBERS.contains(&k.sym.as_str())),
            swc_ecma_ast::ObjectPatProp::Assign(assign) => CTX_MEMBERS.contains(&assign.key.sym.as_str()),
            swc_ecma_ast::ObjectPatProp::Rest(_) => false,
        }),
        _ => false,
    };
    let runs_with_ctx = |e: &Expr| match e {
        Expr::Arrow(arrow) => gets_ctx(&mut arrow.params.iter()),
        Expr::Fn(function) => gets_ctx(&mut function.function.params.iter().map(|p| &p.pat)),
        _ => false,
    };
    let is_function = |e: &Expr| matches!(e, Expr::Arrow(_) | Expr::Fn(_));
    let gives_handler = |e: &Expr| {
        let Expr::Call(call) = e else { return false };
        call.args.iter().any(|arg| match &*arg.expr {
            Expr::Object(object) => object.props.iter().any(|p| match p {
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(kv) => {
                        (matches!(&kv.key, PropName::Ident(k) if k.sym == "handler") && is_function(&kv.value)) || runs_with_ctx(&kv.value)
                    }
                    Prop::Method(m) => {
                        matches!(&m.key, PropName::Ident(k) if k.sym == "handler") || gets_ctx(&mut m.function.params.iter().map(|p| &p.pat))
                    }
                    _ => false,
                },
                PropOrSpread::Spread(_) => false,
            }),
            other => is_function(other),
        })
    };
    ast.body.iter().any(|item| match item {
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => match &export.decl {
            Decl::Var(var) => var.decls.iter().any(|d| {
                matches!(&d.name, Pat::Ident(ident) if ident.id.sym == name) && d.init.as_deref().is_some_and(gives_handler)
            }),
            _ => false,
        },
        _ => false,
    })
}

/// Members of a Convex ctx that a destructured first parameter names (`async ({ db }, doc) => ...`).
const CTX_MEMBERS: [&str; 6] = ["db", "auth", "storage", "scheduler", "runQuery", "runMutation"];

/// Everything the app model holds, with where each part is defined.
pub struct AppModel {
    pub functions_dir: String,
    pub schema_file: Option<String>,
    pub schema: Option<Schema>,
    pub definitions: Vec<(DefinitionSite, Location)>,
    /// What the schema model may lack, and why.
    pub schema_gaps: Vec<SchemaGap>,
    pub functions: Vec<FunctionSpec>,
    /// The function modules, by path (`dir/file`).
    pub modules: Vec<String>,
    /// Exports of function modules that may be functions the model lacks.
    pub opaque_exports: Vec<OpaqueExport>,
    /// Tables handed to a library's function, which may read them through any index.
    pub tables_given_to_libraries: Vec<(crate::values::LibraryValue, Vec<String>)>,
    pub http_routes: Vec<HttpRoute>,
    pub crons: Vec<CronJob>,
    pub components: Vec<Component>,
    pub diagnostics: Vec<Diagnostic>,
    /// The code behind each function and route, which the facts read.
    pub(crate) code: Vec<crate::facts::FunctionCode>,
}

/// Builds the app model of a project.
/// The files Convex loads itself: the function modules and the root's schema, router, crons and
/// component config.
struct Roots<'a> {
    entries: Vec<crate::project::ModuleEntry>,
    schema: Option<&'a crate::source::SourceFile>,
    http: Option<&'a crate::source::SourceFile>,
    crons: Option<&'a crate::source::SourceFile>,
    config: Option<&'a crate::source::SourceFile>,
}

impl<'a> Roots<'a> {
    fn of(project: &Project<'a>) -> Self {
        Roots {
            entries: project.function_modules(),
            schema: project.root_file(&["schema.ts", "schema.js"]),
            http: project.root_file(&["http.ts", "http.js"]),
            crons: project.root_file(&["crons.ts", "crons.js"]),
            config: project.root_file(&["convex.config.ts", "convex.config.js"]),
        }
    }

    fn files(&self, project: &Project<'a>) -> Vec<&'a crate::source::SourceFile> {
        let mut roots: Vec<_> = self.entries.iter().map(|e| project.files[e.file.as_str()]).collect();
        roots.extend([self.schema, self.http, self.crons, self.config].into_iter().flatten());
        roots
    }
}

/// The package files the project's imports would read next (see `Resolver::wanted`).
pub fn wanted_package_files(project: &Project, cache: &mut crate::graph::ImportCache) -> Vec<String> {
    let resolver = crate::resolve::Resolver::new(&project.files);
    let roots = Roots::of(project).files(project);
    crate::graph::wanted_files(&project.files, &resolver, &roots, cache)
}

/// The project's modules, parsed and resolved from the files Convex loads itself: what the
/// model is evaluated from, and what the evaluator keeps borrowing while the facts are read.
pub struct Loaded<'a> {
    pub graph: ModuleGraph<'a>,
    roots: Roots<'a>,
}

/// Parses and resolves the modules reachable from the project's roots.
pub fn load<'a>(project: &'a Project<'a>) -> Loaded<'a> {
    let resolver = crate::resolve::Resolver::new(&project.files);
    let roots = Roots::of(project);
    let graph = ModuleGraph::build(&project.files, &resolver, &roots.files(project));
    Loaded { graph, roots }
}

/// Builds the app model from the loaded modules, and gives back the evaluator that made it: the
/// facts are read with it (`facts::extract`) before [`finish`] turns what it could not evaluate
/// into diagnostics.
pub fn build<'g, 'a>(project: &Project<'a>, loaded: &'g Loaded<'a>) -> (AppModel, Evaluator<'g, 'a>) {
    let graph = &loaded.graph;
    let Roots { schema: schema_file, http: http_file, crons: crons_file, config: config_file, entries } = &loaded.roots;
    let mut evaluator = Evaluator::new(graph);
    let mut model = AppModel {
        functions_dir: project.functions_dir.clone(),
        schema_file: schema_file.map(|f| f.path.clone()),
        schema: None,
        definitions: Vec::new(),
        schema_gaps: Vec::new(),
        functions: Vec::new(),
        modules: entries.iter().map(|e| e.module_path.clone()).collect(),
        opaque_exports: Vec::new(),
        tables_given_to_libraries: Vec::new(),
        http_routes: Vec::new(),
        crons: Vec::new(),
        components: Vec::new(),
        diagnostics: Vec::new(),
        code: Vec::new(),
    };
    let id = |file: &Option<&crate::source::SourceFile>| file.and_then(|f| graph.id(&f.path));
    if let Some(schema) = id(schema_file) {
        read_schema(&mut evaluator, schema, &mut model);
        model.diagnostics.extend(schema_cycles(graph, schema));
    }
    for entry in entries {
        if let Some(module) = graph.id(&entry.file) {
            read_functions(&mut evaluator, module, entry, &mut model);
        }
    }
    crate::order::sort_by(&mut model.functions, |a, b| a.path.cmp(&b.path));
    if let Some(http) = id(http_file) {
        read_routes(&mut evaluator, http, &mut model);
    }
    if let Some(crons) = id(crons_file) {
        read_crons(&mut evaluator, crons, &mut model);
    }
    if let Some(config) = id(config_file) {
        read_components(&mut evaluator, config, &mut model);
    }
    crate::order::sort_by(&mut model.code, |a, b| a.function.cmp(&b.function));
    (model, evaluator)
}

/// Completes the model once nothing more is evaluated: the tables handed to libraries, and the
/// diagnostics of the graph, of `convex.json` and of every value that could not be evaluated
/// (by the model or by the facts).
pub fn finish(project: &Project, graph: &ModuleGraph, model: &mut AppModel, mut evaluator: Evaluator) {
    model.tables_given_to_libraries = std::mem::take(&mut evaluator.tables_given_to_libraries);
    let mut diagnostics = graph.diagnostics.clone();
    if let Some(problem) = &project.convex_json_problem {
        let location = Location { file: "convex.json".into(), start: 0, end: 0, line: 1, column: 1 };
        diagnostics.push(Diagnostic { code: DiagnosticCode::InvalidConfig, severity: Severity::Warning, message: problem.clone(), location, library: None });
    }
    for unknown in std::mem::take(&mut evaluator.unknowns) {
        diagnostics.push(unknown_diagnostic(graph, &unknown));
    }
    for problem in std::mem::take(&mut evaluator.problems) {
        diagnostics.push(diagnostic(graph, DiagnosticCode::InvalidSchema, Severity::Error, &problem));
    }
    diagnostics.append(&mut model.diagnostics);
    diagnostics.dedup();
    model.diagnostics = diagnostics;
}

fn location(graph: &ModuleGraph, span: Span) -> Location {
    let module = &graph.modules[span.module];
    module.lines.location(&module.file.path, span.range)
}

fn diagnostic(graph: &ModuleGraph, code: DiagnosticCode, severity: Severity, unknown: &Unknown) -> Diagnostic {
    Diagnostic { code, severity, message: unknown.reason.clone(), location: location(graph, unknown.span), library: unknown.library.clone() }
}

/// What could not be evaluated is a note, not a problem of the code: the rest is still modelled,
/// and no conclusion is drawn from it.
fn unknown_diagnostic(graph: &ModuleGraph, unknown: &Unknown) -> Diagnostic {
    diagnostic(graph, DiagnosticCode::Unknown, Severity::Info, unknown)
}

fn schema_gap(graph: &ModuleGraph, table: Option<String>, unknown: &Unknown) -> SchemaGap {
    SchemaGap { table, reason: unknown.reason.clone(), library: unknown.library.clone(), location: location(graph, unknown.span) }
}

fn module_start(module: ModuleId) -> Span {
    Span { module, range: ByteRange { start: 0, end: 0 } }
}

fn default_export(evaluator: &mut Evaluator, module: ModuleId) -> Value {
    evaluator.export_value(module, "default", swc_common::DUMMY_SP)
}

fn read_schema(evaluator: &mut Evaluator, module: ModuleId, model: &mut AppModel) {
    let graph = evaluator.graph;
    if graph.modules[module].ast.is_none() {
        return;
    }
    match default_export(evaluator, module) {
        Value::Schema(schema) => {
            let (schema, sites, gaps) = model_schema(evaluator, std::rc::Rc::unwrap_or_clone(schema));
            model.schema = Some(schema);
            model.definitions = sites.into_iter().map(|site| {
                let at = location(graph, site.span);
                (site, at)
            }).collect();
            model.schema_gaps = gaps.into_iter().map(|(table, u)| schema_gap(graph, table, &u)).collect();
        }
        // Without a default export, Convex rejects the schema.
        Value::Unknown(u) if !export_names(graph, module, &mut Vec::new()).iter().any(|n| n == "default") => {
            let reason = "the schema file has no default export; Convex expects `export default defineSchema({...})`";
            model.diagnostics.push(diagnostic(graph, DiagnosticCode::SchemaNotFound, Severity::Error, &u.wrap(u.span, reason)));
        }
        // A schema made by a value convex-lens cannot evaluate (a library's `defineEntSchema`)
        // is not an error of the code: nothing about tables and indexes can be verified.
        Value::Unknown(u) => {
            let unreadable = u.wrap(u.span, format!("the schema could not be read: {}", u.reason));
            model.schema_gaps.push(schema_gap(graph, None, &unreadable));
            model.diagnostics.push(unknown_diagnostic(graph, &unreadable));
        }
        _ => {
            let reason = "the schema file's default export is not `defineSchema(...)`; Convex expects `export default defineSchema({...})`";
            let unknown = Unknown::new(module_start(module), reason);
            model.diagnostics.push(diagnostic(graph, DiagnosticCode::SchemaNotFound, Severity::Error, &unknown));
        }
    }
}

/// Registers every export of a function module whose value is a Convex function, the way the
/// backend's analyze step does: each exported name counts, whatever syntax made the value.
fn read_functions(evaluator: &mut Evaluator, module: ModuleId, entry: &ModuleEntry, model: &mut AppModel) {
    let graph = evaluator.graph;
    let Some(ast) = graph.modules[module].ast.as_ref() else { return };
    let runtime = if has_use_node_directive(ast) { Runtime::Node } else { Runtime::Isolate };
    for name in export_names(graph, module, &mut Vec::new()) {
        let value = evaluator.export_value(module, &name, swc_common::DUMMY_SP);
        let path = format!("{}:{name}", entry.module_path);
        let function = match value {
            Value::Function(function) => function,
            Value::HttpAction { span, handler } => {
                model.code.push(crate::facts::FunctionCode {
                    function: path.clone(),
                    kind: FunctionKind::HttpAction,
                    handler,
                    customization_inputs: Vec::new(),
                    args: None,
                    returns: None,
                    hono: false,
                    public: false,
                    library: None,
                });
                let at = location(graph, span);
                model.functions.push(FunctionSpec {
                    path,
                    kind: FunctionKind::HttpAction,
                    visibility: None,
                    runtime,
                    args: None,
                    returns: None,
                    unknown: Vec::new(),
                    location: at.clone(),
                    handler: Some(at),
                });
                continue;
            }
            Value::Unknown(u) => {
                let reason = format!("export `{name}` of {} is not known statically, so if it is a Convex function it is missing here: {}", entry.module_path, u.reason);
                model.diagnostics.push(unknown_diagnostic(graph, &u.wrap(u.span, reason)));
                let handler = defines_handler(ast, &name);
                model.opaque_exports.push(OpaqueExport { path, reason: u.reason.clone(), library: u.library.clone(), location: location(graph, u.span), handler });
                continue;
            }
            _ => continue,
        };
        let mut unknown = Vec::new();
        let mut resolve = |part: &str, declared: Declared, absent: Option<Validator>| match declared {
            Declared::Absent => absent,
            Declared::Known(validator) => Some(validator),
            Declared::Unknown(u) => {
                let reason = format!("the {part} of `{path}` are not known statically: {}", u.reason);
                unknown.push(UnknownPart { part: part.to_owned(), reason: reason.clone() });
                model.diagnostics.push(unknown_diagnostic(graph, &u.wrap(u.span, reason)));
                None
            }
        };
        let args = resolve("args", function.args, Some(Validator::Any));
        let returns = resolve("returns", function.returns, None);
        model.code.push(crate::facts::FunctionCode {
            function: path.clone(),
            kind: function.kind,
            handler: function.handler,
            customization_inputs: function.customization.map(|c| c.inputs).unwrap_or_default(),
            args: args.clone(),
            returns: returns.clone(),
            hono: false,
            public: function.visibility == Visibility::Public,
            library: function.library.map(|library| (library, function.span)),
        });
        model.functions.push(FunctionSpec {
            path,
            kind: function.kind,
            visibility: Some(function.visibility),
            runtime,
            args,
            returns,
            unknown,
            location: location(graph, function.span),
            handler: function.handler.map(|h| location(graph, h.span)),
        });
    }
}

fn read_routes(evaluator: &mut Evaluator, module: ModuleId, model: &mut AppModel) {
    let graph = evaluator.graph;
    if graph.modules[module].ast.is_none() {
        return;
    }
    let router = match default_export(evaluator, module) {
        Value::Router(router) => router,
        Value::Unknown(u) => {
            model.diagnostics.push(unknown_diagnostic(graph, &u));
            return;
        }
        _ => {
            let unknown = Unknown::new(module_start(module), "the default export of http.ts is not an HTTP router");
            model.diagnostics.push(diagnostic(graph, DiagnosticCode::InvalidConfig, Severity::Error, &unknown));
            return;
        }
    };
    for opaque in &router.opaque {
        model.diagnostics.push(unknown_diagnostic(graph, opaque));
    }
    // `getRoutes()`: exact routes by path then method, then prefix routes by method then prefix.
    let mut routes = router.routes;
    crate::order::sort_by(&mut routes, |a, b| match (a.prefix, b.prefix) {
        (false, false) => (&a.path, &a.method).cmp(&(&b.path, &b.method)),
        (true, true) => (&a.method, &a.path).cmp(&(&b.method, &b.path)),
        (prefix_a, _) => prefix_a.cmp(&!prefix_a),
    });
    routes.extend(router.appended);
    for route in &routes {
        let path = if route.prefix { format!("{}*", route.path) } else { route.path.clone() };
        model.code.push(crate::facts::FunctionCode {
            function: format!("http {} {path}", route.method),
            kind: FunctionKind::HttpAction,
            handler: route.handler,
            customization_inputs: Vec::new(),
            args: None,
            returns: None,
            hono: route.hono,
            public: false,
            library: route.library.clone().map(|library| (library, route.span)),
        });
    }
    model.http_routes = routes
        .into_iter()
        .map(|route| HttpRoute {
            path: if route.prefix { format!("{}*", route.path) } else { route.path },
            method: route.method,
            location: location(graph, route.span),
            handler: route.handler.map(|h| location(graph, h.span)),
        })
        .collect();
}

fn read_crons(evaluator: &mut Evaluator, module: ModuleId, model: &mut AppModel) {
    let graph = evaluator.graph;
    if graph.modules[module].ast.is_none() {
        return;
    }
    let crons = match default_export(evaluator, module) {
        Value::Crons(crons) => crons,
        Value::Unknown(u) => {
            model.diagnostics.push(unknown_diagnostic(graph, &u));
            return;
        }
        _ => {
            let unknown = Unknown::new(module_start(module), "the default export of crons.ts is not `cronJobs()`");
            model.diagnostics.push(diagnostic(graph, DiagnosticCode::InvalidConfig, Severity::Error, &unknown));
            return;
        }
    };
    let mut jobs = Vec::new();
    for job in crons.jobs {
        let mut report = |u: Unknown| model.diagnostics.push(unknown_diagnostic(graph, &u));
        let function = job.function.map_err(&mut report).ok();
        let args = job.args.map_err(&mut report).ok();
        jobs.push(CronJob { name: job.name, function, args, schedule: job.schedule, location: location(graph, job.span) });
    }
    crate::order::sort_by(&mut jobs, |a, b| a.name.cmp(&b.name));
    model.crons = jobs;
}

fn read_components(evaluator: &mut Evaluator, module: ModuleId, model: &mut AppModel) {
    let graph = evaluator.graph;
    if graph.modules[module].ast.is_none() {
        return;
    }
    let app = match default_export(evaluator, module) {
        Value::App(app) => app,
        Value::Unknown(u) => {
            model.diagnostics.push(unknown_diagnostic(graph, &u));
            return;
        }
        _ => {
            let reason = "the default export of convex.config.ts is not `defineApp()` or `defineComponent()`";
            let unknown = Unknown::new(module_start(module), reason);
            model.diagnostics.push(diagnostic(graph, DiagnosticCode::InvalidConfig, Severity::Error, &unknown));
            return;
        }
    };
    for component in app.uses {
        let name = match component.name {
            Ok(name) => Some(name),
            Err(u) => {
                model.diagnostics.push(unknown_diagnostic(graph, &u));
                None
            }
        };
        let definition = match component.local_definition {
            Some(local) => graph.modules[local].file.path.clone(),
            None => component.definition,
        };
        model.components.push(Component { name, definition, http_prefix: component.http_prefix, location: location(graph, component.span) });
    }
}

/// Import cycles through the schema: a module the schema imports that uses the schema's value
/// sees it undefined at import time (Convex's ESLint rule `no-schema-import-cycle`).
fn schema_cycles(graph: &ModuleGraph, schema: ModuleId) -> Vec<Diagnostic> {
    graph
        .cycles_through(schema)
        .into_iter()
        .map(|cycle| {
            let names: Vec<&str> = cycle.iter().map(|&m| graph.modules[m].file.path.as_str()).collect();
            let first_edge = graph.modules[schema].dependencies.iter().find(|(m, _)| Some(m) == cycle.get(1)).map(|(_, r)| *r);
            let range = first_edge.unwrap_or(ByteRange { start: 0, end: 0 });
            let message = format!(
                "the schema imports modules that import it back ({}); values they take from the schema are undefined while the schema loads",
                names.join(" → ")
            );
            graph.diagnostic(schema, DiagnosticCode::SchemaImportCycle, Severity::Warning, range, message)
        })
        .collect()
}
