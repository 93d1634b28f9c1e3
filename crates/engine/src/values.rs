//! The static values the evaluator computes: JavaScript primitives and literals, and the values
//! Convex's API and the known libraries return (validators, tables, schemas, functions, routers,
//! cron tables, component apps).

use crate::graph::ModuleId;
use crate::source::ByteRange;
use crate::validator::{ObjectFields, Validator};

/// A place in one module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub module: ModuleId,
    pub range: ByteRange,
}

/// Something that could not be evaluated, where and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub span: Span,
    pub reason: String,
    /// The library value it comes from, when that is the cause: values made from it stay
    /// unknown for the same reason, and the reports group them by it.
    pub library: Option<LibraryValue>,
}

impl Unknown {
    pub fn new(span: Span, reason: impl Into<String>) -> Unknown {
        Unknown { span, reason: reason.into(), library: None }
    }

    /// Another unknown for the same cause, at `span`, with a reason that says more.
    pub fn wrap(&self, span: Span, reason: impl Into<String>) -> Unknown {
        Unknown { span, reason: reason.into(), library: self.library.clone() }
    }
}

/// An export of a package that convex-lens neither models nor reads, or a global of the
/// JavaScript platform (`package` is [`LibraryValue::PLATFORM`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct LibraryValue {
    pub package: String,
    pub name: String,
}

impl LibraryValue {
    /// The package name of the platform's globals (`WeakMap`, `fetch`, ...).
    pub const PLATFORM: &'static str = "(platform)";

    pub fn platform(name: &str) -> LibraryValue {
        LibraryValue { package: Self::PLATFORM.to_owned(), name: name.to_owned() }
    }

    pub fn is_platform(&self) -> bool {
        self.package == Self::PLATFORM
    }

    /// `` `defineRateLimits` from "convex-helpers/server/rateLimit" ``, `` the platform's `WeakMap` ``.
    pub fn describe(&self) -> String {
        if self.is_platform() {
            format!("the platform's `{}`", self.name)
        } else if self.name == "default" {
            format!("the default export of \"{}\"", self.package)
        } else {
            format!("`{}` from \"{}\"", self.name, self.package)
        }
    }
}

/// One evaluated call argument and where it is.
#[derive(Clone, Debug)]
pub struct Arg {
    pub value: Value,
    pub span: Span,
}

/// A user function, by its index in the evaluator's closures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClosureId {
    pub id: usize,
    pub span: Span,
}

/// A class of the source, by its index in the evaluator's classes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassId {
    pub id: usize,
    pub span: Span,
}

/// `new C(...)` of a class of the source: its fields, and the library value it extends
/// (`class SlackRouter extends HttpRouter`), whose members it inherits.
#[derive(Clone, Debug)]
pub struct Instance {
    pub class: ClassId,
    pub fields: Vec<(String, Value)>,
    pub base: Option<Box<Value>>,
}

/// Most parts one value may have: array items, object entries, validator and zod nodes, and a
/// part per 100 bytes of string. Values are copied when read, so without a bound a value built by
/// doubling (`const a1 = [a0, a0]`, thirty times over) takes exponential time and memory. Real
/// values stay far below: the largest validator of the npm corpus (the arguments of
/// better-auth's adapter functions) serialises to under 1,600 JSON objects.
pub const MAX_VALUE_PARTS: usize = 20_000;

/// A countdown of parts; counting stops when it runs out, so it costs at most its start.
pub struct Parts(usize);

impl Parts {
    pub fn new(limit: usize) -> Parts {
        Parts(limit)
    }

    /// Takes `n` parts; false once there are not enough left.
    pub fn take(&mut self, n: usize) -> bool {
        match self.0.checked_sub(n) {
            Some(left) => {
                self.0 = left;
                true
            }
            None => {
                self.0 = 0;
                false
            }
        }
    }
}

/// Bytes of string that count as one part.
const STRING_BYTES_PER_PART: usize = 100;

fn string_parts(text: &str) -> usize {
    text.len() / STRING_BYTES_PER_PART
}

/// An expression's static value.
#[derive(Clone, Debug)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    BigInt(i64),
    String(String),
    Array(Vec<Value>),
    /// A plain object; keys in insertion order, later duplicates replace earlier ones.
    Object(Vec<(String, Value)>),
    Closure(ClosureId),
    Class(ClassId),
    Instance(Box<Instance>),
    /// `import * as ns from "./module"`.
    Namespace(ModuleId),
    /// `import * as ns from "package"`, or a generated module (`_generated/server`), and the
    /// module of the package's source when the files hold it.
    Package(String, Option<ModuleId>),
    Builtin(Builtin),
    Validator { validator: Validator, optional: bool },
    /// Shared: a schema's tables are read many times (`schema.tables[t]`).
    Table(std::rc::Rc<TableDef>),
    Schema(std::rc::Rc<SchemaDef>),
    /// A registered Convex function (`query({...})`, ...).
    Function(Box<FunctionDef>),
    /// A function builder: `query`, `internalMutation`, a convex-helpers custom builder, ...
    Builder(Box<BuilderDef>),
    /// `httpAction(...)`: routed by `http.ts`, not a function of its own. The span of its
    /// argument, and the handler when it is a function of the source.
    HttpAction { span: Span, handler: Option<ClosureId> },
    Router(Box<RouterDef>),
    /// A Hono app (`new Hono()`) with its routes, for convex-helpers' `HttpRouterWithHono`.
    Hono(Box<crate::known::HonoApp>),
    Crons(Box<CronsDef>),
    App(Box<AppDef>),
    /// An imported component definition (`import workpool from "@convex-dev/workpool/convex.config"`).
    ComponentDefinition { specifier: String, default_name: Option<String> },
    /// `customCtx(fn)` of convex-helpers: a customization without arguments whose input adds
    /// `fn(ctx)` to ctx.
    CustomCtx(CustomCode),
    /// `new Triggers()` of convex-helpers, shared by every module that imports it.
    Triggers(std::rc::Rc<TriggersDef>),
    /// The client of a published component (`new Migrations(components.migrations)`).
    Client(std::rc::Rc<ClientDef>),
    /// A zod schema (`z.string()`, ...), which convex-helpers' zod builders turn into validators.
    Zod(Box<crate::known::ZodSchema>),
    /// `api.a.b`, `internal.a.b.c`, `components.x.y`: a path into a generated API object.
    ApiRef(ApiRef),
    Unknown(Unknown),
}

impl Value {
    /// Whether the value has more than `limit` parts (see [`MAX_VALUE_PARTS`]).
    pub fn exceeds(&self, limit: usize) -> bool {
        !self.count_parts(&mut Parts::new(limit))
    }

    /// Counts the value's parts; false once `parts` runs out. Shared (`Rc`) values count as one,
    /// since reading them copies nothing.
    pub fn count_parts(&self, parts: &mut Parts) -> bool {
        parts.take(1)
            && match self {
                Value::String(text) => parts.take(string_parts(text)),
                Value::Array(items) => items.iter().all(|item| item.count_parts(parts)),
                Value::Object(entries) => {
                    entries.iter().all(|(key, value)| parts.take(string_parts(key)) && value.count_parts(parts))
                }
                Value::Validator { validator, .. } => validator.count_parts(parts),
                Value::Instance(instance) => {
                    instance.fields.iter().all(|(_, value)| value.count_parts(parts))
                        && instance.base.as_ref().is_none_or(|base| base.count_parts(parts))
                }
                Value::Builtin(Builtin::Method { receiver, .. }) => receiver.count_parts(parts),
                Value::Zod(schema) => schema.count_parts(parts),
                // Routers, Hono apps and cron tables copy what they are built from (`.route(p, app)`).
                Value::Router(router) => parts.take(router.routes.len() + router.appended.len() + router.opaque.len()),
                Value::Hono(app) => parts.take(app.route_count()),
                Value::Crons(crons) => parts.take(crons.jobs.len()),
                Value::App(app) => parts.take(app.uses.len()),
                Value::Function(function) => [&function.args, &function.returns]
                    .into_iter()
                    .all(|declared| !matches!(declared, Declared::Known(v) if !v.count_parts(parts))),
                _ => true,
            }
    }
}

/// Library values the evaluator understands by name, and methods bound to a receiver.
#[derive(Clone, Debug)]
pub enum Builtin {
    /// An export of a known library: (`convex/server`, `defineTable`), (`convex/values`,
    /// `v.string`), (`convex-helpers/server/customFunctions`, `customQuery`), ...
    Export { library: &'static str, name: String },
    /// A method of a value, such as `.optional` of a validator or `.index` of a table.
    Method { receiver: Box<Value>, method: String },
    /// A library function that adds routes to the router it is given (`auth.addHttpRoutes(http)`
    /// of `@convex-dev/auth`): the routes, handled by the library's code, or why they are not known.
    AddsRoutes { library: LibraryHandler, routes: Result<Vec<LibraryRoute>, Unknown> },
}

/// A route a library adds: its path (a prefix when `prefix`) and method.
#[derive(Clone, Debug)]
pub struct LibraryRoute {
    pub path: &'static str,
    pub prefix: bool,
    pub method: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiRoot {
    Api,
    Internal,
    Components,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiRef {
    pub root: ApiRoot,
    pub segments: Vec<String>,
}

impl ApiRef {
    /// The function name Convex computes for a reference (`getFunctionName`): `a/b:c`, with
    /// `default` exports written as the module path alone.
    pub fn function_name(&self) -> Option<String> {
        let (name, module) = self.segments.split_last()?;
        if module.is_empty() {
            return None;
        }
        let module = module.join("/");
        Some(if name == "default" { module } else { format!("{module}:{name}") })
    }
}

/// A `defineTable(...)` value with its chained index definitions.
#[derive(Clone, Debug)]
pub struct TableDef {
    pub document: Validator,
    pub staged_document: Option<Validator>,
    pub indexes: Vec<IndexDef>,
    /// The `defineTable(...)` call.
    pub span: Span,
    /// The library whose value it is (`authTables` of `@convex-dev/auth`), not the app's code.
    pub library: Option<String>,
}

#[derive(Clone, Debug)]
pub struct IndexDef {
    pub name: String,
    pub kind: IndexKind,
    pub staged: bool,
    /// The index's name in the `.index(...)` (or search/vector) call.
    pub span: Span,
    /// The library whose value defines it, not the app's code.
    pub library: Option<String>,
}

#[derive(Clone, Debug)]
pub enum IndexKind {
    Db { fields: Vec<String> },
    Search { search_field: String, filter_fields: Vec<String> },
    Vector { vector_field: String, dimensions: f64, filter_fields: Vec<String> },
}

/// A `defineSchema(...)` value.
#[derive(Clone, Debug)]
pub struct SchemaDef {
    /// Table names with their definitions and where the entry is.
    pub tables: Vec<(String, Value, Span)>,
    /// Entries spread into the tables' object whose values are unknown: tables may be missing.
    pub left_out: Vec<Unknown>,
    pub schema_validation: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FunctionKind {
    Query,
    Mutation,
    Action,
    HttpAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Visibility {
    Public,
    Internal,
}

/// What a builder adds to every function it makes (convex-helpers' customizations).
#[derive(Clone, Debug, Default)]
pub struct Customization {
    /// Arguments the customization consumes, merged after the function's own.
    pub args: ObjectFields,
    /// The customizations' `input` functions, outermost first, which run before every handler.
    pub inputs: Vec<CustomInput>,
}

/// A customization's code: `customCtx(fn)` gives `fn(ctx)`, returning what it adds to ctx;
/// `{ args, input }` gives `input(ctx, args)`, returning `{ ctx, args }`.
#[derive(Clone, Debug)]
pub struct CustomInput {
    pub code: CustomCode,
    pub returns_ctx_and_args: bool,
}

/// The function a customization runs: one of the source, or `triggers.wrapDB` of
/// convex-helpers, which replaces `ctx.db` by a writer that runs the triggers.
#[derive(Clone, Debug)]
pub enum CustomCode {
    Closure(ClosureId),
    WrapDb(std::rc::Rc<TriggersDef>),
}

/// `new Triggers()` of convex-helpers (`server/triggers.ts`): the functions registered per
/// table, which a write through `triggers.wrapDB(ctx).db` runs after it. Module code registers
/// them (`triggers.register(table, fn)`), also inside a function it calls with the value, so the
/// list is shared by every copy of the value and grows as the evaluator runs that code.
#[derive(Debug)]
pub struct TriggersDef {
    pub span: Span,
    pub registered: std::cell::RefCell<Vec<TriggerDef>>,
}

/// The client of a published component that `known::clients` models: its class, the name the
/// app mounted the component under (`components.<name>`), and the options it was made with.
#[derive(Debug)]
pub struct ClientDef {
    pub package: &'static str,
    pub class: &'static str,
    pub component: Option<String>,
    pub options: Vec<(String, Value)>,
    pub span: Span,
}

impl ClientDef {
    pub fn library(&self, method: &str) -> LibraryValue {
        LibraryValue { package: self.package.to_owned(), name: format!("{}.{method}", self.class) }
    }
}

/// One `triggers.register(table, fn)`: the table, or why its name is not known, and the
/// function (one of the source, or a trigger a component's client made), or why it is neither.
#[derive(Clone, Debug)]
pub struct TriggerDef {
    pub table: Result<String, Unknown>,
    pub handler: Result<TriggerCode, Unknown>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TriggerCode {
    Closure(ClosureId),
    /// `aggregate.trigger()`: the client, and the method that made the trigger.
    Client(std::rc::Rc<ClientDef>, String),
}

#[derive(Clone, Debug)]
pub struct BuilderDef {
    pub kind: FunctionKind,
    pub visibility: Visibility,
    pub customization: Option<Customization>,
    /// Zod builders (`zCustomQuery`) read `args` and `returns` as zod schemas of this major.
    pub zod: Option<crate::known::ZodMajor>,
    /// Whether a function made without `args` throws: a customization in the stack adds
    /// arguments (convex-helpers' `customFnBuilder`).
    pub requires_args: bool,
}

/// An argument or return validator as far as it is known.
#[derive(Clone, Debug)]
pub enum Declared {
    /// Not given: arguments are unvalidated (`{"type":"any"}`), returns `null`.
    Absent,
    Known(Validator),
    Unknown(Unknown),
}

/// A registered function.
#[derive(Clone, Debug)]
pub struct FunctionDef {
    pub kind: FunctionKind,
    pub visibility: Visibility,
    pub args: Declared,
    pub returns: Declared,
    /// The handler's code, for the facts of the next layer.
    pub handler: Option<ClosureId>,
    /// The customizations whose inputs run before the handler.
    pub customization: Option<Customization>,
    /// A library's code in place of a handler of the app's (`convexAuth`'s `signIn`).
    pub library: Option<LibraryHandler>,
    /// The builder call.
    pub span: Span,
}

/// A function a library registers with its own handler, which convex-lens models without reading.
#[derive(Clone, Debug)]
pub struct LibraryHandler {
    /// The library value that made the function (`convexAuth` of `@convex-dev/auth/server`).
    pub value: LibraryValue,
    pub code: LibraryCode,
}

/// What convex-lens knows of a library's handler.
#[derive(Clone, Debug)]
pub enum LibraryCode {
    /// Not modelled: only the tables it reads and writes (the facts hold it as an opaque call).
    Unread { tables: Vec<String> },
    /// What it does to the database, in order, when the package's code is that simple (crud's).
    Effects(Vec<LibraryEffect>),
}

/// One database operation of a library's handler, on a table, the document named by the
/// argument `id` where there is one.
#[derive(Clone, Debug)]
pub enum LibraryEffect {
    /// `ctx.db.get(table, args.id)`.
    Get(String),
    /// `ctx.db.query(table).paginate(args.paginationOpts)`.
    Paginate(String),
    /// `ctx.db.insert(table, args)`.
    Insert(String),
    /// `ctx.db.patch(table, args.id, args.patch)`.
    Patch(String),
    /// `ctx.db.delete(table, args.id)`.
    Delete(String),
    /// A batch of `migrations.define` (@convex-dev/migrations): a page of `table` (through
    /// `customRange` when given), then `migrateOne(ctx, doc)` per document, patching the
    /// document with what it returns.
    Migrate { table: String, migrate_one: ClosureId, custom_range: Option<ClosureId> },
    /// A call of a function of a component the app mounted: `components.<component>.<path>`.
    RunComponent { mutation: bool, component: String, path: &'static str },
    /// A read of the caller's identity that lets only signed-in callers through.
    ChecksIdentity,
    /// `ctx.db.query(table).withIndex(index, q => q.eq(field, …)…)` on those fields, `.unique()`.
    Lookup { table: String, index: &'static str, fields: &'static [&'static str] },
    /// A function of the app the library runs with `(ctx, ...)` (Better Auth's triggers).
    Callback(ClosureId),
    /// A workflow's handler, given the `step` whose `run*` calls run the app's functions later.
    WorkflowSteps(ClosureId),
}

/// One `http.route(...)`.
#[derive(Clone, Debug)]
pub struct RouteDef {
    /// `path`, or `pathPrefix` followed by `*` as `getRoutes()` shows it.
    pub path: String,
    pub prefix: bool,
    pub method: String,
    pub handler: Option<ClosureId>,
    /// A Hono app's route: its handler takes Hono's context, whose `env` is the ctx.
    pub hono: bool,
    /// A library's code in place of a handler of the app's (a route `auth.addHttpRoutes` adds).
    pub library: Option<LibraryHandler>,
    pub span: Span,
}

/// An `httpRouter()` (or a subclass) and the routes added to it.
#[derive(Clone, Debug)]
pub struct RouterDef {
    pub routes: Vec<RouteDef>,
    /// Routes a router subclass lists after its own, in order (the Hono app's).
    pub appended: Vec<RouteDef>,
    /// Calls that may have added routes the analysis cannot see (`auth.addHttpRoutes(http)`).
    pub opaque: Vec<Unknown>,
    pub span: Span,
}

/// One `crons.interval(...)`, `crons.daily(...)`, ...
#[derive(Clone, Debug)]
pub struct CronDef {
    pub name: String,
    pub function: Result<String, Unknown>,
    /// The arguments, as Convex JSON, when static.
    pub args: Result<serde_json::Value, Unknown>,
    pub schedule: serde_json::Value,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct CronsDef {
    pub jobs: Vec<CronDef>,
    pub span: Span,
}

/// One `app.use(definition, { name })`.
#[derive(Clone, Debug)]
pub struct ComponentUse {
    pub name: Result<String, Unknown>,
    /// The import specifier of a published component's `convex.config`.
    pub definition: String,
    /// The module of a local component's `convex.config.ts`.
    pub local_definition: Option<ModuleId>,
    pub http_prefix: Option<String>,
    pub span: Span,
}

/// `defineApp()` or `defineComponent(name)` and the components installed in it.
#[derive(Clone, Debug)]
pub struct AppDef {
    /// `None` for an app, the default name for a component definition.
    pub component_name: Option<String>,
    pub uses: Vec<ComponentUse>,
    pub span: Span,
}
