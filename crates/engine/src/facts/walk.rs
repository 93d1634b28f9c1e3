//! The walker: reads a handler's code abstractly, statement by statement and expression by
//! expression, every branch and loop body once, following the helpers it calls (functions of
//! any module, local closures, methods of class instances) with abstract arguments. Database,
//! ctx and scheduler calls become facts ([`super::db`] for `ctx.db` and queries); everything
//! else only carries values along.

use std::collections::HashMap;
use std::rc::Rc;

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrowFunctionBody, AssignTarget, BinaryOp, Callee, Decl, Expr, ForHead, Lit, MemberProp, ObjectPatProp, Pat,
    Prop, PropName, PropOrSpread, SimpleAssignTarget, Stmt, VarDeclOrExpr,
};

use super::abs::{field_of, join, Abs, ArgsShape, Env};
use super::{
    AuthCheck, Call, CallKind, CallTarget, FactUnknown, FunctionFacts, LoopBound, Nondeterminism, Provenance, Read, Site, Write,
};
use crate::eval::{insert_entry, Evaluator, FunctionRef, Scope};
use crate::graph::ModuleId;
use crate::parse::byte_range;
use crate::schema::Schema;
use crate::validator::{ObjectFields, Validator};
use crate::values::{ApiRef, ApiRoot, ClosureId, CustomCode, CustomInput, FunctionKind, Span, Value};

/// Nested helper calls followed at most (deeper calls are unknown).
const MAX_FRAMES: usize = 24;
/// Expressions walked per function at most, so no input makes the walk long.
const STEP_BUDGET: usize = 200_000;
/// Deepest expression nesting followed. The parser's pre-check lets through chains 800 links long
/// (`a.b.c...`); the walk's frames are bigger than swc's, so it stops sooner.
const MAX_DEPTH: usize = 160;

/// What to walk for one function: its handler and what runs before it.
pub(crate) struct FunctionCode {
    pub function: String,
    pub kind: FunctionKind,
    pub handler: Option<ClosureId>,
    pub customization_inputs: Vec<CustomInput>,
    /// The validator of the arguments, for the types of `args.x`.
    pub args: Option<Validator>,
    /// The validator of what it returns, for what `ctx.runQuery(...)` of it gives.
    pub returns: Option<Validator>,
    /// An HTTP action's handler gets `(ctx, request)`; a Hono route's `(c)` with `c.env` the ctx.
    pub hono: bool,
    /// Clients can call it (a public function).
    pub public: bool,
    /// A library's handler in place of the app's, and where the library made the function.
    pub library: Option<(crate::values::LibraryHandler, crate::values::Span)>,
}

/// Walks each function's code and returns its facts, in the order given.
pub(crate) fn extract(evaluator: &mut Evaluator, schema: Option<&Schema>, functions: &[FunctionCode]) -> Vec<FunctionFacts> {
    let returns: HashMap<&str, &Validator> = functions.iter().filter_map(|f| Some((f.function.as_str(), f.returns.as_ref()?))).collect();
    let mut names = HashMap::new();
    functions.iter().map(|code| Walker::new(evaluator, schema, &returns, &mut names, code).run(code)).collect()
}

/// One function being walked (a helper call pushes another).
struct Frame {
    /// Tells frames apart, for the closures they make.
    id: usize,
    module: ModuleId,
    captured: Vec<Scope>,
    env: Env,
    returns: Vec<Abs>,
    /// The function's code, to stop recursion.
    code: Span,
}

pub(super) struct Walker<'e, 'g, 'a> {
    pub ev: &'e mut Evaluator<'g, 'a>,
    /// The function walked is public: clients call it.
    pub public: bool,
    pub schema: Option<&'e Schema>,
    /// Each function's `returns` validator, by path.
    returns: &'e HashMap<&'e str, &'e Validator>,
    pub facts: FunctionFacts,
    frames: Vec<Frame>,
    /// The helpers being walked, outermost first, as `name (file:line)`.
    via: Vec<String>,
    /// The loops the walk is in, outermost first.
    pub(super) loops: Vec<super::flow::Loop>,
    /// The conditions the walk is under, outermost first ([`super::flow`]).
    pub(super) conditions: Vec<super::flow::Condition>,
    /// Facts met so far, to order them ([`Site::step`]).
    met: std::cell::Cell<usize>,
    concurrent: usize,
    steps: usize,
    frames_made: usize,
    depth: usize,
    /// Helper names by their code's span, shared by every function's walk (finding one walks
    /// the module).
    names: &'e mut HashMap<Span, String>,
    /// Queries built but not (yet) run, by their `ctx.db.query(...)` site.
    pub open_queries: Vec<super::abs::QueryState>,
}

impl<'e, 'g, 'a> Walker<'e, 'g, 'a> {
    fn new(
        ev: &'e mut Evaluator<'g, 'a>,
        schema: Option<&'e Schema>,
        returns: &'e HashMap<&'e str, &'e Validator>,
        names: &'e mut HashMap<Span, String>,
        code: &FunctionCode,
    ) -> Self {
        let facts = FunctionFacts {
            function: code.function.clone(),
            kind: code.kind,
            reads: Vec::new(),
            writes: Vec::new(),
            calls: Vec::new(),
            auth: Vec::new(),
            nondeterminism: Vec::new(),
            unknowns: Vec::new(),
            opaque: Vec::new(),
        };
        Walker { ev, public: code.public, schema, returns, facts, frames: Vec::new(), via: Vec::new(), loops: Vec::new(), conditions: Vec::new(), met: std::cell::Cell::new(0), concurrent: 0, steps: 0, frames_made: 0, depth: 0, names, open_queries: Vec::new() }
    }

    fn run(mut self, code: &FunctionCode) -> FunctionFacts {
        let fields = match &code.args {
            Some(Validator::Object(fields)) => Some(fields.clone()),
            _ => None,
        };
        let mut args = ArgsShape { fields, added: Vec::new() };
        let mut ctx_extras: Vec<(String, Abs)> = Vec::new();
        // Each customization's input sees the ctx as the builders below it leave it: the
        // innermost input runs first.
        for input in code.customization_inputs.iter().rev() {
            let ctx = Abs::Ctx(Rc::new(ctx_extras.clone()));
            let result = match &input.code {
                CustomCode::Closure(closure) => {
                    self.call_closure(*closure, vec![ctx, Abs::Args(Rc::new(ArgsShape { fields: args.fields.clone(), added: Vec::new() }))])
                }
                CustomCode::WrapDb(triggers) => Abs::Object(Rc::new(vec![("db".to_owned(), Self::triggered_db(triggers.clone(), ctx))])),
            };
            let (added_ctx, added_args) = if input.returns_ctx_and_args {
                (self.member(&result, "ctx"), self.member(&result, "args"))
            } else {
                (result, Abs::Unknown)
            };
            if let Abs::Object(entries) | Abs::Ctx(entries) = added_ctx {
                for (name, value) in entries.iter() {
                    insert_entry(&mut ctx_extras, name.clone(), value.clone());
                }
            }
            if let Abs::Object(entries) = added_args {
                args.added.extend(entries.iter().cloned());
            }
        }
        let ctx = Abs::Ctx(Rc::new(ctx_extras));
        if let Some(handler) = code.handler {
            let params = if code.hono {
                vec![Abs::Object(Rc::new(vec![("env".to_owned(), ctx.clone())]))]
            } else {
                vec![ctx.clone(), Abs::Args(Rc::new(args))]
            };
            self.call_closure(handler, params);
        }
        if let Some((library, at)) = &code.library {
            match &library.code {
                crate::values::LibraryCode::Effects(effects) => self.library_effects(effects, *at, &ctx),
                // What the library's handler does is not walked: an opaque call given the ctx,
                // naming the tables it uses, so that no conclusion rests on its absence.
                crate::values::LibraryCode::Unread { tables } => self.facts.opaque.push(super::OpaqueCall {
                    site: self.site_at(*at),
                    callee: library.value.name.clone(),
                    library: Some(library.value.clone()),
                    reason: format!("its handler is {}'s code, which convex-lens models without reading", library.value.package),
                    given: super::Given::Ctx,
                    tables: tables.clone(),
                }),
            }
        }
        for query in std::mem::take(&mut self.open_queries) {
            self.record_query(query, super::Terminal::None);
        }
        self.facts
    }

    // ---- sites and facts ----

    /// The text of the walked module at `range`.
    pub(super) fn source_text(&self, range: crate::source::ByteRange) -> &'g str {
        let module = self.frames.last().map_or(0, |f| f.module);
        self.ev.graph.modules[module].file.text.get(range.start..range.end).unwrap_or_default()
    }

    pub fn site(&self, node: impl Spanned) -> Site {
        let module = self.frames.last().map_or(0, |f| f.module);
        self.site_at(Span { module, range: byte_range(node) })
    }

    /// Where `node` is, in the walked module.
    pub(super) fn span_of(&self, node: impl Spanned) -> Span {
        Span { module: self.frames.last().map_or(0, |f| f.module), range: byte_range(node) }
    }

    pub(super) fn site_at(&self, span: Span) -> Site {
        let graph = self.ev.graph;
        let node = &graph.modules[span.module];
        let location = node.lines.location(&node.file.path, span.range);
        let step = self.met.get();
        self.met.set(step + 1);
        Site {
            location,
            via: self.via.clone(),
            in_loop: !self.loops.is_empty(),
            concurrent: self.concurrent > 0,
            loop_bound: self.loop_bound(),
            loop_over: self.loop_over(),
            branch: self.branch(),
            step,
        }
    }

    pub fn unknown_fact(&mut self, node: impl Spanned, reason: impl Into<String>) {
        let site = self.site(node);
        self.unknown_at(site, reason.into(), false);
    }

    /// Where the walk stops (a bound): what lies past it is not in the facts.
    fn stopped_at(&mut self, node: impl Spanned, reason: String) {
        let site = self.site(node);
        self.unknown_at(site, reason, true);
    }

    fn unknown_at(&mut self, site: Site, reason: String, stopped: bool) {
        if !self.facts.unknowns.iter().any(|u| u.site.location == site.location && u.reason == reason) {
            self.facts.unknowns.push(FactUnknown { site, reason, stopped });
        }
    }

    pub fn push_read(&mut self, read: Read) {
        if !self.facts.reads.contains(&read) {
            self.facts.reads.push(read);
        }
    }

    pub fn push_write(&mut self, mut write: Write) {
        if let Some(table) = write.table.name() {
            write.guarded = self.guarded_fields(table);
        }
        if !self.facts.writes.contains(&write) {
            self.facts.writes.push(write);
        }
    }

    pub(super) fn push_call(&mut self, call: Call) {
        if !self.facts.calls.contains(&call) {
            self.facts.calls.push(call);
        }
    }

    /// A read of the caller's identity at `node`.
    pub(super) fn identity_check(&mut self, node: impl Spanned) {
        let site = self.site(node);
        self.identity_check_at(site);
    }

    pub(super) fn identity_check_at(&mut self, site: Site) {
        let entry = AuthCheck { site, by: None, restricts: false };
        if !self.facts.auth.iter().any(|a| a.site.location == entry.site.location) {
            self.facts.auth.push(entry);
        }
    }

    fn nondeterminism(&mut self, node: impl Spanned, what: &str) {
        let entry = Nondeterminism { site: self.site(node), what: what.to_owned() };
        if !self.facts.nondeterminism.contains(&entry) {
            self.facts.nondeterminism.push(entry);
        }
    }

    // ---- functions ----

    /// Calls a function value of the evaluator (a helper of any module, a method of an instance,
    /// a local function) with abstract arguments, and returns what it returns.
    pub fn call_closure(&mut self, closure: ClosureId, args: Vec<Abs>) -> Abs {
        self.call_closure_with_env(closure, args, Vec::new())
    }

    fn call_closure_with_env(&mut self, closure: ClosureId, args: Vec<Abs>, env: Env) -> Abs {
        let value = self.in_frame(closure, env, |walker, function| {
            walker.bind_params(function, args);
            match function {
                FunctionRef::Arrow(arrow) => match &*arrow.body {
                    ArrowFunctionBody::Expr(expr) => {
                        let value = walker.expr(expr);
                        walker.frame().returns.push(value);
                    }
                    ArrowFunctionBody::FunctionBody(block) => walker.block(&block.stmts),
                },
                FunctionRef::Function(f) => {
                    if let Some(body) = &f.body {
                        walker.block(&body.stmts);
                    }
                }
            }
            std::mem::take(&mut walker.frame().returns).into_iter().reduce(join).unwrap_or(Abs::Static(Value::Undefined))
        });
        value.unwrap_or(Abs::Unknown)
    }

    /// Runs `f` in a frame of `closure`: its module, what it closes over, the locals `env` (what
    /// a call of it sees), and its name in `via` when it is a helper. `None` past the frame limit
    /// or in a recursion, where it does not run.
    pub(super) fn in_frame<T>(&mut self, closure: ClosureId, env: Env, f: impl FnOnce(&mut Self, FunctionRef<'g>) -> T) -> Option<T> {
        if self.frames.len() >= MAX_FRAMES {
            let site = self.site_at(closure.span);
            self.unknown_at(site, format!("helpers call each other deeper than {MAX_FRAMES} levels; deeper calls are not followed"), true);
            return None;
        }
        if self.frames.iter().any(|f| f.code == closure.span) {
            // A recursive helper: its facts are those of the call already being walked.
            return None;
        }
        let (module, function, captured) = self.ev.closure_parts(closure);
        let entering_helper = !self.frames.is_empty();
        if entering_helper {
            let name = match self.names.get(&closure.span) {
                Some(name) => name.clone(),
                None => {
                    let name = self.helper_name(module, function);
                    self.names.insert(closure.span, name.clone());
                    name
                }
            };
            self.via.push(name);
        }
        let mut env = env;
        env.push(HashMap::new());
        self.frames_made += 1;
        self.frames.push(Frame { id: self.frames_made, module, captured, env, returns: Vec::new(), code: closure.span });
        let value = f(self, function);
        self.frames.pop();
        if entering_helper {
            self.via.pop();
        }
        Some(value)
    }

    /// Names a function for the `via` of the facts it leads to (a trigger by its table).
    pub(super) fn name_helper(&mut self, closure: ClosureId, name: String) {
        self.names.insert(closure.span, name);
    }

    /// `name (file:line)` of a helper, for the `via` of the facts it leads to.
    fn helper_name(&self, module: ModuleId, function: FunctionRef<'g>) -> String {
        let graph = self.ev.graph;
        let node = &graph.modules[module];
        let span = match function {
            FunctionRef::Arrow(arrow) => arrow.span,
            FunctionRef::Function(f) => f.span,
        };
        let (line, _) = node.lines.line_column(byte_range(span).start);
        let name = binding_name(node.ast.as_ref(), span).unwrap_or_else(|| "function".into());
        format!("{name} ({}:{line})", node.file.path)
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a function is being walked")
    }

    pub(super) fn bind_params(&mut self, function: FunctionRef<'g>, args: Vec<Abs>) {
        let params: Vec<&'g Pat> = match function {
            FunctionRef::Arrow(arrow) => arrow.params.iter().collect(),
            FunctionRef::Function(f) => f.params.iter().map(|p| &p.pat).collect(),
        };
        let mut args = args.into_iter();
        for param in params {
            let value = match param {
                Pat::Rest(_) => Abs::Array(Rc::new(args.by_ref().collect())),
                _ => args.next().unwrap_or(Abs::Static(Value::Undefined)),
            };
            self.bind(param, value);
        }
    }

    /// Binds a pattern in the innermost scope, refining values by their type annotations
    /// (`id: Id<"tasks">`, `user: Doc<"users">`).
    fn bind(&mut self, pat: &'g Pat, value: Abs) {
        match pat {
            Pat::Ident(ident) => {
                let value = match &ident.type_ann {
                    Some(annotation) => super::types::refine(value, &annotation.type_ann),
                    None => value,
                };
                self.define(ident.id.sym.as_str(), value);
            }
            Pat::Assign(assign) => {
                let value = match value {
                    Abs::Static(Value::Undefined) | Abs::Unknown => self.expr(&assign.right),
                    value => value,
                };
                self.bind(&assign.left, value);
            }
            Pat::Object(object) => {
                let annotation = object.type_ann.as_ref().map(|a| &*a.type_ann);
                for prop in &object.props {
                    match prop {
                        ObjectPatProp::KeyValue(kv) => {
                            let Some(key) = self.prop_name(&kv.key) else { continue };
                            let mut field = self.member(&value, &key);
                            if let Some(annotation) = annotation.and_then(|a| super::types::member(a, &key)) {
                                field = super::types::refine(field, annotation);
                            }
                            self.bind(&kv.value, field);
                        }
                        ObjectPatProp::Assign(assign) => {
                            let key = assign.key.sym.to_string();
                            let mut field = self.member(&value, &key);
                            if let Some(annotation) = annotation.and_then(|a| super::types::member(a, &key)) {
                                field = super::types::refine(field, annotation);
                            }
                            if let (Abs::Static(Value::Undefined), Some(default)) = (&field, &assign.value) {
                                field = self.expr(default);
                            }
                            self.define(&key, field);
                        }
                        // `const { id, ...rest } = args`: `rest` holds the other keys.
                        ObjectPatProp::Rest(rest) => {
                            let taken: Vec<String> = object.props.iter().filter_map(|p| self.pattern_key(p)).collect();
                            let remaining = match self.entries_of(&value) {
                                Some(entries) => Abs::Object(Rc::new(entries.into_iter().filter(|(k, _)| !taken.contains(k)).collect())),
                                None => Abs::Unknown,
                            };
                            self.bind(&rest.arg, remaining);
                        }
                    }
                }
            }
            Pat::Array(array) => {
                for (i, element) in array.elems.iter().enumerate() {
                    let Some(element) = element else { continue };
                    let item = match (&value, element) {
                        (_, Pat::Rest(_)) => value.clone(),
                        (Abs::Array(items), _) => items.get(i).cloned().unwrap_or(Abs::Unknown),
                        (other, _) => other.element(),
                    };
                    self.bind(element, item);
                }
            }
            Pat::Rest(rest) => self.bind(&rest.arg, value),
            _ => {}
        }
    }

    /// The key a destructuring property takes (`a` of `{ a, b: c }`), when static.
    fn pattern_key(&mut self, prop: &'g ObjectPatProp) -> Option<String> {
        match prop {
            ObjectPatProp::KeyValue(kv) => self.prop_name(&kv.key),
            ObjectPatProp::Assign(assign) => Some(assign.key.sym.to_string()),
            ObjectPatProp::Rest(_) => None,
        }
    }

    fn define(&mut self, name: &str, value: Abs) {
        if let Some(scope) = self.frame().env.last_mut() {
            scope.insert(name.to_owned(), value);
        }
    }

    /// A local of walked code, innermost first.
    fn local(&self, name: &str) -> Option<&Abs> {
        self.frames.last()?.env.iter().rev().find_map(|scope| scope.get(name))
    }

    fn assign_local(&mut self, name: &str, value: Abs) -> bool {
        let Some(frame) = self.frames.last_mut() else { return false };
        for scope in frame.env.iter_mut().rev() {
            if let Some(slot) = scope.get_mut(name) {
                *slot = join(value, slot.clone());
                return true;
            }
        }
        false
    }

    /// A name: a local of walked code, else what the evaluator binds it to in the function's
    /// scope (a module binding, a factory's parameter, an import).
    fn ident(&mut self, ident: &'g swc_ecma_ast::Ident) -> Abs {
        if let Some(value) = self.local(ident.sym.as_str()) {
            return value.clone();
        }
        if is_platform_global(ident.sym.as_str()) {
            return Abs::Unknown;
        }
        let Some(frame) = self.frames.last() else { return Abs::Unknown };
        let (module, captured) = (frame.module, frame.captured.clone());
        Abs::Static(self.ev.ident_in_scopes(module, captured, ident))
    }

    /// The value the evaluator gives an expression that uses no local of walked code.
    fn static_value(&mut self, expr: &'g Expr) -> Abs {
        let Some(frame) = self.frames.last() else { return Abs::Unknown };
        let (module, captured) = (frame.module, frame.captured.clone());
        Abs::Static(self.ev.eval_in_scopes(module, captured, expr))
    }

    // ---- statements ----

    fn block(&mut self, statements: &'g [Stmt]) {
        // Guards met in the block hold until its end.
        let conditions = self.conditions.len();
        self.frame().env.push(HashMap::new());
        // Function declarations are hoisted.
        for statement in statements {
            if let Stmt::Decl(Decl::Fn(f)) = statement {
                let value = self.local_function(FunctionRef::Function(&f.function));
                self.define(f.ident.sym.as_str(), value);
            }
        }
        for statement in statements {
            self.stmt(statement);
        }
        self.frame().env.pop();
        self.conditions.truncate(conditions);
    }

    pub(super) fn stmt(&mut self, statement: &'g Stmt) {
        if self.over_budget(statement) {
            return;
        }
        match statement {
            Stmt::Expr(expression) => {
                self.expr(&expression.expr);
            }
            Stmt::Decl(Decl::Var(var)) => {
                for declarator in &var.decls {
                    let value = declarator.init.as_ref().map_or(Abs::Static(Value::Undefined), |init| self.expr(init));
                    self.bind(&declarator.name, value);
                }
            }
            Stmt::Decl(_) => {}
            Stmt::Return(ret) => {
                let value = ret.arg.as_ref().map_or(Abs::Static(Value::Undefined), |arg| self.expr(arg));
                self.frame().returns.push(value);
            }
            Stmt::Block(block) => self.block(&block.stmts),
            Stmt::If(branch) => self.if_statement(&branch.test, &branch.cons, branch.alt.as_deref()),
            Stmt::Switch(switch) => {
                self.expr(&switch.discriminant);
                for case in &switch.cases {
                    if let Some(test) = &case.test {
                        self.expr(test);
                    }
                    self.under(super::flow::Test::Other, |walker| walker.block(&case.cons));
                }
            }
            Stmt::Throw(throw) => {
                self.expr(&throw.arg);
            }
            Stmt::Try(attempt) => {
                self.block(&attempt.block.stmts);
                if let Some(handler) = &attempt.handler {
                    self.frame().env.push(HashMap::new());
                    if let Some(param) = &handler.param {
                        self.bind(param, Abs::Unknown);
                    }
                    self.under(super::flow::Test::Other, |walker| walker.block(&handler.body.stmts));
                    self.frame().env.pop();
                }
                if let Some(finalizer) = &attempt.finalizer {
                    self.block(&finalizer.stmts);
                }
            }
            Stmt::Labeled(labeled) => self.stmt(&labeled.body),
            Stmt::While(w) => {
                self.in_bounded_loop(LoopBound::Unknown.into(), |walker| {
                    walker.expr(&w.test);
                    walker.nested(&w.body);
                });
            }
            Stmt::DoWhile(w) => {
                self.in_bounded_loop(LoopBound::Unknown.into(), |walker| {
                    walker.nested(&w.body);
                    walker.expr(&w.test);
                });
            }
            Stmt::For(f) => {
                self.frame().env.push(HashMap::new());
                match &f.init {
                    Some(VarDeclOrExpr::VarDecl(var)) => {
                        for declarator in &var.decls {
                            let value = declarator.init.as_ref().map_or(Abs::Unknown, |init| self.expr(init));
                            self.bind(&declarator.name, value);
                        }
                    }
                    Some(VarDeclOrExpr::Expr(expr)) => {
                        self.expr(expr);
                    }
                    None => {}
                }
                let bound = self.bound_of_test(f.test.as_deref());
                self.in_bounded_loop(bound.into(), |walker| {
                    if let Some(test) = &f.test {
                        walker.expr(test);
                    }
                    walker.nested(&f.body);
                    if let Some(update) = &f.update {
                        walker.expr(update);
                    }
                });
                self.frame().env.pop();
            }
            Stmt::ForOf(f) => {
                let iterable = self.expr(&f.right);
                let iterable = match iterable {
                    Abs::Query(query) if f.is_await => self.run_query(&query, super::Terminal::Iterate),
                    other => other,
                };
                let bound = Self::bound_of_collection(&iterable);
                // A short list of constants (table names, kinds) is walked once per value, so
                // each value's facts are its own.
                match constants(&iterable) {
                    Some(values) => {
                        for value in values {
                            self.loop_body(&f.left, Abs::Static(value), bound.clone(), &f.body);
                        }
                    }
                    None => self.loop_body(&f.left, iterable.element(), bound, &f.body),
                }
            }
            Stmt::ForIn(f) => {
                let object = self.expr(&f.right);
                let bound = Self::bound_of_collection(&object);
                self.loop_body(&f.left, Abs::Unknown, bound, &f.body);
            }
            Stmt::With(with) => {
                self.expr(&with.obj);
                self.nested(&with.body);
            }
            Stmt::Empty(_) | Stmt::Debugger(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        }
    }

    fn loop_body(&mut self, head: &'g ForHead, element: Abs, bound: super::flow::Loop, body: &'g Stmt) {
        self.frame().env.push(HashMap::new());
        self.in_bounded_loop(bound, |walker| {
            match head {
                ForHead::VarDecl(var) => {
                    for declarator in &var.decls {
                        walker.bind(&declarator.name, element.clone());
                    }
                }
                ForHead::Pat(pat) => walker.bind(pat, element.clone()),
                ForHead::UsingDecl(_) => {}
            }
            walker.nested(body);
        });
        self.frame().env.pop();
    }

    /// A statement in its own block scope.
    pub(super) fn nested(&mut self, statement: &'g Stmt) {
        match statement {
            Stmt::Block(block) => self.block(&block.stmts),
            other => {
                self.frame().env.push(HashMap::new());
                self.stmt(other);
                self.frame().env.pop();
            }
        }
    }

    fn over_budget(&mut self, node: impl Spanned) -> bool {
        self.steps += 1;
        if self.steps == STEP_BUDGET {
            self.stopped_at(node, "the walk of this function stopped here: its code took too many steps".into());
        }
        self.steps >= STEP_BUDGET
    }

    // ---- expressions ----

    pub(super) fn expr(&mut self, expr: &'g Expr) -> Abs {
        if self.over_budget(expr) {
            return Abs::Unknown;
        }
        if self.depth >= MAX_DEPTH {
            self.stopped_at(expr, format!("the expression nests deeper than {MAX_DEPTH} levels; what is inside is not followed"));
            return Abs::Unknown;
        }
        self.depth += 1;
        let value = self.expr_inner(expr);
        self.depth -= 1;
        value
    }

    fn expr_inner(&mut self, expr: &'g Expr) -> Abs {
        match expr {
            Expr::Ident(ident) => self.ident(ident),
            Expr::Lit(Lit::Str(s)) => Abs::Static(Value::String(s.value.to_string_lossy().into_owned())),
            Expr::Lit(Lit::Num(n)) => Abs::Static(Value::Number(n.value)),
            Expr::Lit(Lit::Bool(b)) => Abs::Static(Value::Bool(b.value)),
            Expr::Lit(Lit::Null(_)) => Abs::Static(Value::Null),
            Expr::Lit(_) => Abs::Unknown,
            Expr::This(_) => self.static_value(expr),
            Expr::Paren(inner) => self.expr(&inner.expr),
            Expr::TsNonNull(inner) => self.expr(&inner.expr),
            Expr::TsSatisfies(inner) => self.expr(&inner.expr),
            Expr::TsConstAssertion(inner) => self.expr(&inner.expr),
            Expr::TsInstantiation(inner) => self.expr(&inner.expr),
            Expr::TsAs(inner) => {
                let value = self.expr(&inner.expr);
                super::types::refine(value, &inner.type_ann)
            }
            Expr::TsTypeAssertion(inner) => {
                let value = self.expr(&inner.expr);
                super::types::refine(value, &inner.type_ann)
            }
            Expr::Await(inner) => self.expr(&inner.arg),
            Expr::Member(member) => {
                if let Some(value) = self.environment_variable(member) {
                    return value;
                }
                let object = self.expr(&member.obj);
                match self.member_name(&member.prop) {
                    Some(name) => self.member_at(&object, &name, expr),
                    None => Abs::Unknown,
                }
            }
            Expr::OptChain(chain) => match &*chain.base {
                swc_ecma_ast::OptChainBase::Member(member) => {
                    let object = self.expr(&member.obj);
                    match self.member_name(&member.prop) {
                        Some(name) => self.member_at(&object, &name, expr),
                        None => Abs::Unknown,
                    }
                }
                swc_ecma_ast::OptChainBase::Call(call) => {
                    let callee = self.expr(&call.callee);
                    let args = self.args(&call.args);
                    self.call(callee, args, &call.args, expr)
                }
            },
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => {
                    let callee_value = self.expr(callee);
                    let concurrent = self.is_promise_combinator(callee);
                    self.concurrent += usize::from(concurrent);
                    let args = self.args(&call.args);
                    self.concurrent -= usize::from(concurrent);
                    self.call(callee_value, args, &call.args, expr)
                }
                _ => {
                    self.args(&call.args);
                    Abs::Unknown
                }
            },
            Expr::New(new) => {
                if let Expr::Ident(ident) = &*new.callee {
                    if ident.sym == "Date" && self.local("Date").is_none() {
                        if new.args.as_ref().is_none_or(|a| a.is_empty()) {
                            self.nondeterminism(expr, "new Date()");
                        }
                        return Abs::Scalar(Provenance::Time);
                    }
                }
                let callee = self.expr(&new.callee);
                let arg_nodes = new.args.as_deref().unwrap_or_default();
                let args = self.args(arg_nodes);
                self.construct(callee, args, arg_nodes, expr)
            }
            Expr::Arrow(arrow) => self.local_function(FunctionRef::Arrow(arrow)),
            Expr::Fn(function) => self.local_function(FunctionRef::Function(&function.function)),
            Expr::Object(object) => self.object(object),
            Expr::Array(array) => {
                let mut items = Vec::new();
                let mut spread_docs: Vec<Rc<super::abs::DocRef>> = Vec::new();
                for element in array.elems.iter().flatten() {
                    let value = self.expr(&element.expr);
                    if element.spread.is_some() {
                        if let Abs::Docs(docs) = &value {
                            spread_docs.push(docs.clone());
                        }
                        items.push(value.element());
                    } else {
                        items.push(value);
                    }
                }
                // `[...a, ...b]` of documents of one table: documents, as many as both give.
                match spread_docs.first() {
                    Some(first) if spread_docs.len() == items.len() && spread_docs.iter().all(|d| d.table == first.table) => {
                        let bound = spread_docs.iter().map(|d| d.bound).max().unwrap_or(first.bound);
                        Abs::Docs(Rc::new(super::abs::DocRef { table: first.table.clone(), key: Provenance::Unknown, bound, from: first.from.clone() }))
                    }
                    _ => Abs::Array(Rc::new(items)),
                }
            }
            Expr::Cond(cond) => {
                self.expr(&cond.test);
                let test = self.test_of(&cond.test);
                let cons = self.under(test, |walker| walker.expr(&cond.cons));
                let alt = self.under(test.negate(), |walker| walker.expr(&cond.alt));
                join(cons, alt)
            }
            Expr::Bin(bin) if matches!(bin.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing | BinaryOp::LogicalAnd) => {
                let (left, right) = self.logical(bin.op, &bin.left, &bin.right);
                match bin.op {
                    BinaryOp::LogicalAnd => right,
                    _ => join(left, right),
                }
            }
            Expr::Bin(bin) => {
                let left = self.expr(&bin.left);
                let right = self.expr(&bin.right);
                match (&left, &right) {
                    (Abs::Static(a), Abs::Static(b)) => Abs::Static(self.ev.binary(expr, bin.op, a.clone(), b.clone())),
                    _ => {
                        let prov = [left.provenance(), right.provenance()]
                            .into_iter()
                            .find(|p| !matches!(p, Provenance::Const(_) | Provenance::Unknown))
                            .unwrap_or(Provenance::Unknown);
                        Abs::Scalar(prov)
                    }
                }
            }
            Expr::Unary(unary) => {
                self.expr(&unary.arg);
                Abs::Unknown
            }
            Expr::Update(update) => {
                self.expr(&update.arg);
                Abs::Unknown
            }
            Expr::Assign(assign) => {
                let value = self.expr(&assign.right);
                match &assign.left {
                    AssignTarget::Simple(SimpleAssignTarget::Ident(ident)) if !self.assign_local(ident.id.sym.as_str(), value.clone()) => {
                        self.define(ident.id.sym.as_str(), value.clone());
                    }
                    AssignTarget::Simple(SimpleAssignTarget::Member(member)) => {
                        self.expr(&member.obj);
                    }
                    _ => {}
                }
                value
            }
            Expr::Seq(seq) => {
                let mut last = Abs::Unknown;
                for expr in &seq.exprs {
                    last = self.expr(expr);
                }
                last
            }
            Expr::Tpl(tpl) => {
                let parts: Vec<Abs> = tpl.exprs.iter().map(|e| self.expr(e)).collect();
                if let Some(values) = parts.iter().map(Abs::static_value).collect::<Option<Vec<Value>>>() {
                    Abs::Static(self.ev.template(tpl, values))
                } else {
                    Abs::Scalar(parts.iter().map(Abs::provenance).find(|p| *p != Provenance::Unknown).unwrap_or(Provenance::Unknown))
                }
            }
            Expr::TaggedTpl(tagged) => {
                for e in &tagged.tpl.exprs {
                    self.expr(e);
                }
                Abs::Unknown
            }
            Expr::Yield(y) => {
                if let Some(arg) = &y.arg {
                    self.expr(arg);
                }
                Abs::Unknown
            }
            _ => Abs::Unknown,
        }
    }

    /// `Promise.all(...)` and its siblings, whose argument's promises run concurrently.
    fn is_promise_combinator(&self, callee: &Expr) -> bool {
        let Expr::Member(member) = callee else { return false };
        matches!(&*member.obj, Expr::Ident(object) if object.sym == "Promise" && self.local("Promise").is_none())
            && matches!(&member.prop, MemberProp::Ident(m) if PROMISE_COMBINATORS.contains(&m.sym.as_str()))
    }

    /// `asyncMap(list, fn)` and the like: `fn` per element, concurrently.
    pub(super) fn map_collection(&mut self, collection: Abs, function: Abs) -> Abs {
        self.concurrent += 1;
        let result = self.collection_method(collection, "map", vec![function]);
        self.concurrent -= 1;
        result
    }

    fn args(&mut self, args: &'g [swc_ecma_ast::ExprOrSpread]) -> Vec<Abs> {
        args.iter()
            .map(|arg| {
                let value = self.expr(&arg.expr);
                if arg.spread.is_some() {
                    Abs::Unknown
                } else {
                    value
                }
            })
            .collect()
    }

    fn object(&mut self, object: &'g swc_ecma_ast::ObjectLit) -> Abs {
        let mut entries: Vec<(String, Abs)> = Vec::new();
        let mut keys_known = true;
        // `{ ...ctx, user }` is a ctx with one more member.
        let mut spreads_ctx = false;
        for prop in &object.props {
            match prop {
                PropOrSpread::Spread(spread) => {
                    let value = self.expr(&spread.expr);
                    spreads_ctx |= matches!(value, Abs::Ctx(_));
                    match self.entries_of(&value) {
                        Some(spread) => {
                            for (key, value) in spread {
                                insert_entry(&mut entries, key, value);
                            }
                        }
                        None => keys_known = false,
                    }
                }
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(kv) => {
                        let value = self.expr(&kv.value);
                        match self.prop_name(&kv.key) {
                            Some(key) => insert_entry(&mut entries, key, value),
                            None => keys_known = false,
                        }
                    }
                    Prop::Shorthand(ident) => {
                        let value = self.ident(ident);
                        insert_entry(&mut entries, ident.sym.to_string(), value);
                    }
                    Prop::Method(method) => {
                        let value = self.local_function(FunctionRef::Function(&method.function));
                        if let Some(key) = self.prop_name(&method.key) {
                            insert_entry(&mut entries, key, value);
                        }
                    }
                    _ => {}
                },
            }
        }
        if keys_known && spreads_ctx {
            Abs::Ctx(Rc::new(entries))
        } else if keys_known {
            Abs::Object(Rc::new(entries))
        } else {
            Abs::Unknown
        }
    }

    /// The keys and values of a value spread into an object, when they are known.
    pub(super) fn entries_of(&mut self, value: &Abs) -> Option<Vec<(String, Abs)>> {
        match value {
            // What customizations added; the ctx's own members come with any ctx.
            Abs::Object(entries) | Abs::Ctx(entries) => Some(entries.to_vec()),
            Abs::Args(args) => {
                let mut entries: Vec<(String, Abs)> = args
                    .fields
                    .as_ref()?
                    .iter()
                    .map(|(name, field)| (name.clone(), Abs::Arg { path: name.clone(), validator: Some(field.validator.clone()) }))
                    .collect();
                for (name, value) in &args.added {
                    insert_entry(&mut entries, name.clone(), value.clone());
                }
                Some(entries)
            }
            Abs::Arg { path, validator: Some(Validator::Object(fields)) } => Some(
                fields
                    .iter()
                    .map(|(name, field)| (name.clone(), Abs::Arg { path: format!("{path}.{name}"), validator: Some(field.validator.clone()) }))
                    .collect(),
            ),
            Abs::Doc(doc) => {
                let table = doc.table.clone()?;
                let fields = self.table_fields(&table)?;
                Some(fields.iter().map(|(name, _)| (name.clone(), self.doc_field(doc, name))).collect())
            }
            Abs::Static(Value::Object(entries)) => Some(entries.iter().map(|(k, v)| (k.clone(), Abs::Static(v.clone()))).collect()),
            Abs::Static(Value::Undefined | Value::Null) => Some(Vec::new()),
            _ => None,
        }
    }

    /// A function defined in walked code: a closure of the evaluator, with the walker's locals.
    fn local_function(&mut self, function: FunctionRef<'g>) -> Abs {
        let Some(frame) = self.frames.last() else { return Abs::Unknown };
        let (id, module, captured, env) = (frame.id, frame.module, frame.captured.clone(), frame.env.clone());
        match self.ev.closure_in(module, captured, function) {
            Value::Closure(closure) => Abs::Func { closure, env: Rc::new(env), frame: id },
            _ => Abs::Unknown,
        }
    }

    /// The locals a local function sees when it is called.
    pub(super) fn env_of(&self, env: &Env, frame: usize) -> Env {
        match self.frames.iter().find(|f| f.id == frame) {
            Some(defining) => defining.env.clone(),
            None => env.clone(),
        }
    }

    fn prop_name(&mut self, name: &'g PropName) -> Option<String> {
        match name {
            PropName::Ident(ident) => Some(ident.sym.to_string()),
            PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
            PropName::Num(n) => Some(crate::validator::number_json(n.value).to_string()),
            PropName::Computed(computed) => match self.expr(&computed.expr) {
                Abs::Static(value) => crate::eval::string_of(&value),
                _ => None,
            },
            PropName::BigInt(b) => Some(b.value.to_string()),
        }
    }

    fn member_name(&mut self, prop: &'g MemberProp) -> Option<String> {
        match prop {
            MemberProp::Ident(ident) => Some(ident.sym.to_string()),
            MemberProp::Computed(computed) => match self.expr(&computed.expr) {
                Abs::Static(value) => crate::eval::string_of(&value),
                // `docs[i]`: some element.
                _ => Some("[]".into()),
            },
            MemberProp::PrivateName(_) => None,
        }
    }

    /// `process.env.X`, read when the handler runs.
    fn environment_variable(&mut self, member: &'g swc_ecma_ast::MemberExpr) -> Option<Abs> {
        let Expr::Member(env) = &*member.obj else { return None };
        let is_process_env = matches!(&*env.obj, Expr::Ident(process) if process.sym == "process" && self.local("process").is_none())
            && matches!(&env.prop, MemberProp::Ident(name) if name.sym == "env");
        if !is_process_env {
            return None;
        }
        // `process.env[name]` with a computed name is some variable, not a fixed one.
        Some(Abs::Scalar(match &member.prop {
            MemberProp::Ident(name) => Provenance::Env(name.sym.to_string()),
            _ => Provenance::Unknown,
        }))
    }

    /// `value.name`.
    pub fn member(&mut self, value: &Abs, name: &str) -> Abs {
        self.member_at(value, name, &Expr::Invalid(swc_ecma_ast::Invalid { span: swc_common::DUMMY_SP }))
    }

    fn member_at(&mut self, value: &Abs, name: &str, at: &Expr) -> Abs {
        match value {
            // A customization may replace ctx members (`db` by a wrapped reader); an extra
            // whose value is unknown does not hide what ctx has.
            Abs::Ctx(extras) if extras.iter().any(|(k, v)| k == name && !v.is_unknown()) => {
                extras.iter().find(|(k, _)| k == name).map_or(Abs::Unknown, |(_, v)| v.clone())
            }
            Abs::Ctx(_) => match name {
                "db" => Abs::db(),
                "auth" => Abs::Auth,
                "scheduler" => Abs::Scheduler,
                "storage" => Abs::Storage,
                "runQuery" | "runMutation" | "runAction" | "vectorSearch" => Abs::Method(Box::new(value.clone()), name.to_owned()),
                _ => Abs::Unknown,
            },
            Abs::Db { system: false, .. } if name == "system" => Abs::Db { system: true, triggers: None, rules: None },
            // `helper.call(this, ...args)`: the walker calls it (the evaluator does not know
            // `call` of a closure).
            Abs::Static(Value::Closure(_)) if matches!(name, "call" | "apply") => Abs::Method(Box::new(value.clone()), name.to_owned()),
            Abs::Db { .. } | Abs::Auth | Abs::Scheduler | Abs::Storage | Abs::Query(_) | Abs::WorkflowStep => {
                Abs::Method(Box::new(value.clone()), name.to_owned())
            }
            Abs::Doc(doc) => self.doc_field(doc, name),
            Abs::Docs(doc) => match name {
                "length" => Abs::Unknown,
                "[]" | "0" => Abs::Doc(doc.clone()),
                _ if name.parse::<usize>().is_ok() => Abs::Doc(doc.clone()),
                _ => Abs::Method(Box::new(value.clone()), name.to_owned()),
            },
            Abs::Ids { table, prov } => match name {
                "length" => Abs::Unknown,
                _ if name == "[]" || name.parse::<usize>().is_ok() => Abs::Id { table: table.clone(), prov: prov.clone() },
                _ => Abs::Method(Box::new(value.clone()), name.to_owned()),
            },
            Abs::Page(doc) => match name {
                "page" => Abs::Docs(doc.clone()),
                _ => Abs::Unknown,
            },
            Abs::Args(args) => {
                if let Some((_, added)) = args.added.iter().find(|(k, _)| k == name) {
                    return added.clone();
                }
                let validator = args.fields.as_ref().and_then(|fields| fields.iter().find(|(n, _)| n == name)).map(|(_, f)| f.validator.clone());
                arg_value(name.to_owned(), validator)
            }
            Abs::Arg { path, validator } => match validator {
                Some(Validator::Array(_)) if name == "[]" || name.parse::<usize>().is_ok() => value.element(),
                Some(Validator::Array(_)) if name == "length" => Abs::Scalar(Provenance::Arg(format!("{path}.length"))),
                Some(Validator::Array(_)) => Abs::Method(Box::new(value.clone()), name.to_owned()),
                Some(validator) => {
                    let field = field_of(validator, name).map(|f| f.validator.clone());
                    arg_value(format!("{path}.{name}"), field)
                }
                // An argument of unknown shape (`v.any()`): its array methods still run callbacks.
                None if is_array_method(name) => Abs::Method(Box::new(value.clone()), name.to_owned()),
                None => arg_value(format!("{path}.{name}"), None),
            },
            Abs::Field { table, path, validator } => match validator {
                Validator::Array(_) if name == "[]" || name.parse::<usize>().is_ok() => value.element(),
                Validator::Array(_) | Validator::Record { .. } => Abs::Method(Box::new(value.clone()), name.to_owned()),
                validator => {
                    let field = field_of(validator, name).map(|f| f.validator.clone());
                    super::abs::field_value(table, format!("{path}.{name}"), field)
                }
            },
            Abs::Identity => Abs::Scalar(Provenance::Auth(name.to_owned())),
            Abs::Object(entries) => entries.iter().find(|(k, _)| k == name).map_or(Abs::Unknown, |(_, v)| v.clone()),
            Abs::Array(items) => match name {
                "[]" => value.element(),
                _ if name.parse::<usize>().is_ok() => items.get(name.parse::<usize>().unwrap_or(0)).cloned().unwrap_or(Abs::Unknown),
                "length" => Abs::Unknown,
                _ => Abs::Method(Box::new(value.clone()), name.to_owned()),
            },
            Abs::Static(static_value) => {
                let static_value = static_value.clone();
                Abs::Static(self.ev.property(static_value, name, at.span()))
            }
            Abs::Func { .. } | Abs::Map(_) => Abs::Method(Box::new(value.clone()), name.to_owned()),
            _ => Abs::Unknown,
        }
    }

    /// `doc.field`: an id of the table its validator names, else a value of that field.
    fn doc_field(&mut self, doc: &super::abs::DocRef, name: &str) -> Abs {
        let Some(table) = doc.table.clone() else {
            return if name == "_id" { Abs::Id { table: None, prov: doc.key.clone() } } else { Abs::Unknown };
        };
        if name == "_id" {
            // The id of the document a constant finds is that one document's, the same for
            // every call: not a constant a range is keyed by.
            let prov = match &doc.key {
                Provenance::Const(_) => Provenance::Singleton { table: table.clone() },
                key => key.clone(),
            };
            return Abs::Id { table: Some(table), prov };
        }
        let validator = self.table_document(&table).and_then(|document| field_of(document, name).map(|f| f.validator.clone()));
        super::abs::field_value(&table, name.to_owned(), validator)
    }

    pub fn table_document(&self, table: &str) -> Option<&'e Validator> {
        self.schema?.tables.iter().find(|t| t.table_name == table).map(|t| &t.document_type)
    }

    fn table_fields(&self, table: &str) -> Option<&'e ObjectFields> {
        match self.table_document(table)? {
            Validator::Object(fields) => Some(fields),
            _ => None,
        }
    }

    // ---- calls ----

    /// Calls a function of the source: a local one (with the variables it sees) or one the
    /// evaluator knows. `None` when `function` is not one.
    pub(super) fn call_function(&mut self, function: &Abs, args: Vec<Abs>) -> Option<Abs> {
        Some(match function {
            Abs::Func { closure, env, frame } => {
                let env = self.env_of(env, *frame);
                self.call_closure_with_env(*closure, args, env)
            }
            Abs::Static(Value::Closure(closure)) => self.call_closure(*closure, args),
            _ => return None,
        })
    }

    fn call(&mut self, callee: Abs, args: Vec<Abs>, arg_nodes: &'g [swc_ecma_ast::ExprOrSpread], at: &'g Expr) -> Abs {
        match callee {
            Abs::Method(receiver, method) => self.call_method(*receiver, &method, args, arg_nodes, at),
            function @ (Abs::Func { .. } | Abs::Static(Value::Closure(_))) => self.call_function(&function, args).unwrap_or(Abs::Unknown),
            Abs::Static(Value::Builtin(builtin)) => self.call_builtin(builtin, args, arg_nodes, at),
            Abs::Static(Value::Unknown(_)) | Abs::Unknown => {
                if let Some(value) = self.call_platform(at, &args) {
                    return value;
                }
                self.opaque_call(&callee, &args, at);
                self.run_callbacks(&args, Abs::Unknown);
                // What a library's function gives is that library's too.
                match callee {
                    unknown @ Abs::Static(Value::Unknown(_)) => unknown,
                    _ => Abs::Unknown,
                }
            }
            _ => {
                self.run_callbacks(&args, Abs::Unknown);
                Abs::Unknown
            }
        }
    }

    /// A method of a component's client in a handler: a call of the component function it
    /// names, with what else it does (reads the caller's identity, runs an app's function
    /// later). A method not modelled is code convex-lens cannot read.
    fn client_call(&mut self, client: &crate::values::ClientDef, method: &str, args: Vec<Abs>, arg_nodes: &'g [swc_ecma_ast::ExprOrSpread], at: &'g Expr) -> Abs {
        let call = crate::known::component_call(client, method);
        let identity = crate::known::checks_identity(client, method);
        let schedules = crate::known::scheduled_arguments(client, method).is_some();
        if call.is_none() && !identity && !schedules && !crate::known::has_no_effect(client, method) {
            let unknown = crate::values::Unknown {
                span: self.span_of(at),
                reason: format!("`{}.{method}(...)` of \"{}\" is not among the library values convex-lens models", client.class, client.package),
                library: Some(client.library(method)),
            };
            let callee = Abs::Static(Value::Unknown(unknown));
            self.opaque_call(&callee, &args, at);
            self.run_callbacks(&args, Abs::Unknown);
            return Abs::Unknown;
        }
        if identity {
            self.identity_check(at);
        }
        if let (Some(component), Some((mutation, path))) = (&client.component, call) {
            let kind = if mutation { CallKind::RunMutation } else { CallKind::RunQuery };
            let target = CallTarget::Component { component: component.clone(), path: path.to_owned() };
            let site = self.site(at);
            self.push_call(Call { site, kind, target });
        }
        self.client_schedules(client, method, &args, arg_nodes, at);
        if let Some(action) = crate::known::runs_action(client, method) {
            let target = self.call_target(Some(&Abs::Static(action.clone())), None);
            let site = self.site(at);
            self.push_call(Call { site, kind: CallKind::RunAction, target });
        }
        self.run_callbacks(&args, Abs::Unknown);
        // The user the caller is signed in as: keys made from it are the caller's.
        if identity { Abs::Identity } else { Abs::Unknown }
    }

    /// The app's functions a client's method runs later (a Workpool's `enqueueAction(ctx, fn,
    /// args, { onComplete })`), as a scheduled call of each.
    fn client_schedules(&mut self, client: &crate::values::ClientDef, method: &str, args: &[Abs], arg_nodes: &'g [swc_ecma_ast::ExprOrSpread], at: &'g Expr) {
        let Some((function, options)) = crate::known::scheduled_arguments(client, method) else { return };
        let site = self.site(at);
        if let Some(path) = crate::known::schedules_by_name(client, method) {
            let target = CallTarget::Function { path: path.to_owned(), via_internal: true };
            self.push_call(Call { site: site.clone(), kind: CallKind::RunAfter, target });
        }
        let target = self.call_target(args.get(function), arg_nodes.get(function));
        self.push_call(Call { site: site.clone(), kind: CallKind::RunAfter, target });
        let on_complete = args.get(options).map(|options| self.member(options, "onComplete"));
        if let Some(reference @ Abs::Static(Value::ApiRef(_))) = on_complete {
            let target = self.call_target(Some(&reference), None);
            self.push_call(Call { site, kind: CallKind::RunAfter, target });
        }
    }

    /// A library function of the evaluator: with static arguments it gives a static value;
    /// otherwise the callbacks given to it are still walked.
    fn call_builtin(&mut self, builtin: crate::values::Builtin, args: Vec<Abs>, arg_nodes: &'g [swc_ecma_ast::ExprOrSpread], at: &'g Expr) -> Abs {
        if let crate::values::Builtin::Export { library, name } = &builtin {
            if let Some(value) = self.library_call(library, name, &args, at) {
                return value;
            }
        }
        // A method of a component's client: a call of the component's function it names.
        if let crate::values::Builtin::Method { receiver, method } = &builtin {
            if let Value::Client(client) = &**receiver {
                return self.client_call(client, method, args, arg_nodes, at);
            }
        }
        // `triggers.wrapDB(ctx)`: `{ ...ctx, db }` with the writer that runs the triggers.
        if let crate::values::Builtin::Method { receiver, method } = &builtin {
            if let (Value::Triggers(triggers), "wrapDB", Some(ctx)) = (&**receiver, method.as_str(), args.first()) {
                let db = Self::triggered_db(triggers.clone(), ctx.clone());
                return self.ctx_with(ctx, vec![("db".to_owned(), db)]);
            }
        }
        if args.iter().all(|a| matches!(a, Abs::Static(_))) {
            let values = self.static_args(args, arg_nodes);
            return Abs::Static(self.ev.call_value(Value::Builtin(builtin), values, at.span()));
        }
        if let crate::values::Builtin::Export { library: "globals", name } = &builtin {
            if let Some(value) = self.object_call(name, &args) {
                return value;
            }
        }
        self.run_callbacks(&args, Abs::Unknown);
        Abs::Unknown
    }

    /// `Object.assign` and `Object.values` over objects that hold documents or arguments (the
    /// evaluator computes them when every argument is static).
    fn object_call(&mut self, name: &str, args: &[Abs]) -> Option<Abs> {
        match name {
            "Object.assign" => {
                let mut entries = Vec::new();
                for arg in args {
                    for (key, value) in self.entries_of(arg)? {
                        insert_entry(&mut entries, key, value);
                    }
                }
                Some(Abs::Object(Rc::new(entries)))
            }
            "Object.values" => {
                let entries = self.entries_of(args.first()?)?;
                Some(Abs::Array(Rc::new(entries.into_iter().map(|(_, v)| v).collect())))
            }
            _ => None,
        }
    }

    /// Static arguments as the evaluator takes them, each with its node's span.
    fn static_args(&self, args: Vec<Abs>, arg_nodes: &[swc_ecma_ast::ExprOrSpread]) -> Vec<crate::values::Arg> {
        let module = self.frames.last().map_or(0, |f| f.module);
        args.into_iter()
            .zip(arg_nodes)
            .map(|(a, node)| crate::values::Arg {
                value: a.static_value().unwrap_or(Value::Undefined),
                span: Span { module, range: byte_range(&*node.expr) },
            })
            .collect()
    }

    /// `Promise.all`, `Date.now()`, `Math.random()`, `Object.keys(...)`, ...: the platform's
    /// functions, by the callee's text (their values are not the evaluator's).
    fn call_platform(&mut self, at: &'g Expr, args: &[Abs]) -> Option<Abs> {
        let callee = match at {
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => &**callee,
                _ => return None,
            },
            _ => return None,
        };
        let Expr::Member(member) = callee else { return None };
        let Expr::Ident(object) = &*member.obj else { return None };
        let MemberProp::Ident(method) = &member.prop else { return None };
        if self.local(object.sym.as_str()).is_some() {
            return None;
        }
        let name = format!("{}.{}", object.sym, method.sym);
        match name.as_str() {
            "Date.now" | "performance.now" => {
                self.nondeterminism(at, &format!("{name}()"));
                Some(Abs::Scalar(Provenance::Time))
            }
            "Math.random" | "crypto.randomUUID" | "crypto.getRandomValues" => {
                self.nondeterminism(at, &format!("{name}()"));
                Some(Abs::Scalar(Provenance::Random))
            }
            // What the promises give (values here are not promises).
            _ if name.strip_prefix("Promise.").is_some_and(|m| m == "resolve" || PROMISE_COMBINATORS.contains(&m)) => {
                Some(args.first().cloned().unwrap_or(Abs::Unknown))
            }
            // `Array.from(iterable, mapFn)`.
            "Array.from" => Some(match args.get(1) {
                Some(function @ (Abs::Func { .. } | Abs::Static(Value::Closure(_)))) => {
                    let (collection, function) = (args[0].clone(), function.clone());
                    self.collection_method(collection, "map", vec![function])
                }
                _ => args.first().cloned().unwrap_or(Abs::Unknown),
            }),
            _ => None,
        }
    }

    /// Walks the functions given to a call the walker does not model (`asyncMap(ids, fn)`,
    /// `withRetry(() => ...)`), each once, so their database calls are not lost.
    fn run_callbacks(&mut self, args: &[Abs], element: Abs) {
        for arg in args {
            self.in_bounded_loop(LoopBound::Unknown.into(), |walker| {
                walker.call_function(arg, vec![element.clone(), Abs::Unknown]);
            });
        }
    }

    fn call_method(&mut self, receiver: Abs, method: &str, args: Vec<Abs>, arg_nodes: &'g [swc_ecma_ast::ExprOrSpread], at: &'g Expr) -> Abs {
        // `promise.then(fn)`: `fn` gets what the promise gives (values here are not promises).
        if method == "then" {
            return args.first().and_then(|function| self.call_function(function, vec![receiver])).unwrap_or(Abs::Unknown);
        }
        if matches!(method, "catch" | "finally") {
            self.run_callbacks(&args, Abs::Unknown);
            return receiver;
        }
        match receiver {
            Abs::Db { triggers, rules, .. } => self.db_call(method, args, arg_nodes, at, triggers, rules),
            Abs::Query(query) => self.query_call(query, method, args),
            Abs::Ctx(_) => self.run_call(method, args, at),
            // A step of a workflow runs in its own transaction, when the component schedules it.
            Abs::WorkflowStep if matches!(method, "runQuery" | "runMutation" | "runAction") => self.call_of(CallKind::Step, &args, at),
            Abs::Scheduler => match method {
                "runAfter" | "runAt" => {
                    let kind = if method == "runAfter" { CallKind::RunAfter } else { CallKind::RunAt };
                    let target = self.call_target(args.get(1), arg_nodes.get(1));
                    let site = self.site(at);
                    self.push_call(Call { site, kind, target });
                    Abs::Id { table: Some("_scheduled_functions".into()), prov: Provenance::Unknown }
                }
                _ => Abs::Unknown,
            },
            Abs::Auth => match method {
                "getUserIdentity" => {
                    self.identity_check(at);
                    Abs::Identity
                }
                _ => Abs::Unknown,
            },
            Abs::Storage => Abs::Unknown,
            collection @ (Abs::Docs(_) | Abs::Ids { .. } | Abs::Array(_) | Abs::Arg { .. } | Abs::Field { .. }) => {
                self.collection_method(collection, method, args)
            }
            Abs::Map(value) => match method {
                "get" => (*value).clone(),
                "values" => Abs::collection((*value).clone()),
                "entries" => Abs::Array(Rc::new(vec![Abs::Array(Rc::new(vec![Abs::Unknown, (*value).clone()]))])),
                "forEach" => {
                    self.run_callbacks(&args, (*value).clone());
                    Abs::Static(Value::Undefined)
                }
                "set" | "delete" | "clear" => Abs::Map(value),
                _ => Abs::Unknown,
            },
            function @ (Abs::Func { .. } | Abs::Static(Value::Closure(_))) if matches!(method, "call" | "apply") => {
                self.call_function(&function, args.into_iter().skip(1).collect()).unwrap_or(Abs::Unknown)
            }
            _ => {
                self.run_callbacks(&args, Abs::Unknown);
                Abs::Unknown
            }
        }
    }

    /// `map`, `forEach`, `filter`, `find`, ... of documents, ids and arrays: the callback runs
    /// once per element.
    fn collection_method(&mut self, collection: Abs, method: &str, args: Vec<Abs>) -> Abs {
        let element = collection.element();
        let bound = Self::bound_of_collection(&collection);
        // Over a short list of constants, the callback runs once per value (see `for...of`).
        let elements: Vec<Abs> = match constants(&collection) {
            Some(values) => values.into_iter().map(Abs::Static).collect(),
            None => vec![element.clone()],
        };
        let callback_result = |walker: &mut Self| -> Abs {
            let Some(function) = args.first() else { return Abs::Unknown };
            let mut result: Option<Abs> = None;
            for element in &elements {
                walker.in_bounded_loop(bound.clone(), |walker| {
                    let value = walker.call_function(function, vec![element.clone(), Abs::Unknown]);
                    result = match (result.take(), value) {
                        (Some(a), Some(b)) => Some(join(a, b)),
                        (a, b) => a.or(b),
                    };
                });
            }
            result.unwrap_or(Abs::Unknown)
        };
        match method {
            "map" | "flatMap" => {
                let result = callback_result(self);
                Abs::collection(match (method, result) {
                    ("flatMap", result) => result.element(),
                    (_, result) => result,
                })
            }
            "forEach" => {
                callback_result(self);
                Abs::Static(Value::Undefined)
            }
            // What passes a filter is not bounded by the collection's range any more.
            "filter" => {
                callback_result(self);
                match collection {
                    Abs::Docs(docs) => Abs::Docs(Rc::new(super::abs::DocRef { table: docs.table.clone(), key: docs.key.clone(), bound: LoopBound::Unknown, from: None })),
                    other => other,
                }
            }
            "sort" | "toSorted" | "reverse" | "slice" | "concat" | "values" | "keys" => {
                callback_result(self);
                collection
            }
            "find" | "findLast" | "at" | "pop" | "shift" => {
                callback_result(self);
                element
            }
            "some" | "every" | "findIndex" | "includes" | "indexOf" | "join" | "reduce" => {
                callback_result(self);
                Abs::Unknown
            }
            _ => Abs::Unknown,
        }
    }

    /// `ctx.runQuery(ref, args)`, `ctx.runMutation`, `ctx.runAction`, `ctx.vectorSearch`.
    fn run_call(&mut self, method: &str, args: Vec<Abs>, at: &'g Expr) -> Abs {
        let kind = match method {
            "runQuery" => CallKind::RunQuery,
            "runMutation" => CallKind::RunMutation,
            "runAction" => CallKind::RunAction,
            "vectorSearch" => {
                self.vector_search(&args, at);
                return Abs::Unknown;
            }
            _ => return Abs::Unknown,
        };
        self.call_of(kind, &args, at)
    }

    /// A call of `kind` of the function its first argument names, giving what that function's
    /// `returns` validator says.
    fn call_of(&mut self, kind: CallKind, args: &[Abs], at: &'g Expr) -> Abs {
        let arg_nodes = match at {
            Expr::Call(call) => &call.args[..],
            _ => &[],
        };
        let target = self.call_target(args.first(), arg_nodes.first());
        let site = self.site(at);
        // What the callee returns, as its `returns` validator says.
        let result = match &target {
            CallTarget::Function { path, .. } => self.returns.get(path.as_str()).map_or(Abs::Unknown, super::abs::of_validator),
            _ => Abs::Unknown,
        };
        self.push_call(Call { site, kind, target });
        result
    }

    /// The function a reference names: `api.a.b`, `internal.a.b`, `components.c.a.b`,
    /// `makeFunctionReference("a:b")`, or a path string.
    fn call_target(&mut self, reference: Option<&Abs>, node: Option<&'g swc_ecma_ast::ExprOrSpread>) -> CallTarget {
        let unknown = |reason: &str| CallTarget::Unknown { reason: reason.to_owned() };
        match reference {
            Some(Abs::Static(Value::ApiRef(reference))) => api_target(reference),
            Some(Abs::Static(Value::String(path))) if !path.starts_with("function://") => {
                CallTarget::Function { path: path.clone(), via_internal: false }
            }
            Some(Abs::Static(Value::Unknown(u))) => unknown(&u.reason),
            Some(Abs::Arg { path, .. }) => {
                if let Some(node) = node {
                    self.unknown_fact(&*node.expr, format!("the function called comes from the argument `{path}` (a function handle?)"));
                }
                unknown(&format!("a function handle or reference passed as the argument `{path}`"))
            }
            _ => {
                if let Some(node) = node {
                    self.unknown_fact(&*node.expr, "the function called is not known statically");
                }
                unknown("the function reference is not known statically")
            }
        }
    }

    fn construct(&mut self, callee: Abs, args: Vec<Abs>, arg_nodes: &'g [swc_ecma_ast::ExprOrSpread], at: &'g Expr) -> Abs {
        match callee {
            Abs::Static(Value::Class(class)) if args.iter().all(|a| matches!(a, Abs::Static(_))) => {
                let args = self.static_args(args, arg_nodes);
                Abs::Static(self.ev.construct(class, args, at.span()))
            }
            // `new Map(entries)`: its values are the entries' second items.
            Abs::Unknown if is_constructor(at, "Map") => match args.into_iter().next().map(|entries| entries.element()) {
                Some(Abs::Array(pair)) if pair.len() >= 2 => Abs::Map(Rc::new(pair[1].clone())),
                _ => Abs::Map(Rc::new(Abs::Unknown)),
            },
            // `new Set(ids)`, `new Array(...)` hold what they are given.
            Abs::Unknown if is_constructor(at, "Set") || is_constructor(at, "Array") => args.into_iter().next().unwrap_or(Abs::Unknown),
            // An instance of a library's class stays that library's (`new Agent(...)`); one made
            // with a secret (`new Webhook(secret)`) may verify a request with it.
            unknown @ Abs::Static(Value::Unknown(_)) => {
                self.opaque_call(&unknown, &args, at);
                self.run_callbacks(&args, Abs::Unknown);
                unknown
            }
            _ => {
                self.run_callbacks(&args, Abs::Unknown);
                Abs::Unknown
            }
        }
    }
}

/// An argument's value: an id of the table its validator names, or ids, or a plain value.
fn arg_value(path: String, validator: Option<Validator>) -> Abs {
    match &validator {
        Some(Validator::Array(element)) if super::abs::id_table(element).is_some() => Abs::Ids {
            table: super::abs::id_table(element).map(str::to_owned),
            prov: Provenance::Arg(format!("{path}[]")),
        },
        Some(v) => match super::abs::id_table(v) {
            Some(table) => Abs::Id { table: Some(table.to_owned()), prov: Provenance::Arg(path) },
            None => Abs::Arg { path, validator },
        },
        None => Abs::Arg { path, validator: None },
    }
}

/// The most constants a loop is walked once per value for.
const MAX_UNROLLED: usize = 16;

/// The values of a short list of strings and numbers written in the code.
fn constants(list: &Abs) -> Option<Vec<Value>> {
    let values: Vec<Value> = match list {
        Abs::Array(items) => items.iter().map(|item| item.static_value()).collect::<Option<_>>()?,
        Abs::Static(Value::Array(items)) => items.clone(),
        _ => return None,
    };
    let plain = values.iter().all(|v| matches!(v, Value::String(_) | Value::Number(_)));
    (plain && !values.is_empty() && values.len() <= MAX_UNROLLED).then_some(values)
}

/// The function a generated API reference names.
pub(super) fn api_target(reference: &ApiRef) -> CallTarget {
    match reference.root {
        ApiRoot::Components => match reference.segments.split_first() {
            Some((component, rest)) if rest.len() >= 2 => {
                let reference = ApiRef { root: ApiRoot::Api, segments: rest.to_vec() };
                CallTarget::Component { component: component.clone(), path: reference.function_name().unwrap_or_default() }
            }
            _ => CallTarget::Unknown { reason: "a component reference without a function".into() },
        },
        root => match reference.function_name() {
            Some(path) => CallTarget::Function { path, via_internal: root == ApiRoot::Internal },
            None => CallTarget::Unknown { reason: "an API reference without a module and a function".into() },
        },
    }
}

/// Adds or replaces an entry, keeping the first position as JavaScript does.
/// The methods of `Promise` whose argument's promises run concurrently.
const PROMISE_COMBINATORS: [&str; 4] = ["all", "allSettled", "race", "any"];

fn is_array_method(name: &str) -> bool {
    matches!(name, "map" | "flatMap" | "forEach" | "filter" | "find" | "some" | "every" | "reduce" | "findIndex")
}

fn is_constructor(at: &Expr, name: &str) -> bool {
    matches!(at, Expr::New(new) if matches!(&*new.callee, Expr::Ident(ident) if ident.sym == *name))
}

/// Names of the platform that module scopes do not define (`Promise`, `Date`, ...): the walker
/// recognises their calls by name.
fn is_platform_global(name: &str) -> bool {
    matches!(
        name,
        "Promise" | "Date" | "Math" | "JSON" | "console" | "crypto" | "performance" | "Error" | "ConvexError" | "Response"
            | "Request" | "fetch" | "setTimeout" | "URL" | "Headers" | "Set" | "Map" | "Array"
    )
}

/// The name a module binds a function to (`export const helper = async () => ...`,
/// `export async function helper()`), for messages.
fn binding_name(module: Option<&swc_ecma_ast::Module>, span: swc_common::Span) -> Option<String> {
    struct Finder {
        span: swc_common::Span,
        name: Option<String>,
    }
    impl crate::parse::search::Hooks for Finder {
        fn var_declarator(&mut self, declarator: &swc_ecma_ast::VarDeclarator) -> bool {
            if let (Pat::Ident(ident), Some(init)) = (&declarator.name, &declarator.init) {
                if init.span().contains(self.span) && self.name.is_none() {
                    self.name = Some(ident.id.sym.to_string());
                }
            }
            true
        }
        fn fn_decl(&mut self, f: &swc_ecma_ast::FnDecl) -> bool {
            if f.function.span == self.span {
                self.name = Some(f.ident.sym.to_string());
            }
            true
        }
        fn class_method(&mut self, method: &swc_ecma_ast::ClassMethod) -> bool {
            if method.function.span == self.span {
                if let PropName::Ident(ident) = &method.key {
                    self.name = Some(ident.sym.to_string());
                }
            }
            true
        }
    }
    let mut finder = Finder { span, name: None };
    crate::parse::search::search(module?, &mut finder);
    finder.name
}
