//! `ctx.db`: point reads, writes, and query chains (`withIndex` ranges, `withSearchIndex`,
//! `order`, `filter`, terminals), read from the chain's code as Convex serialises it
//! (`shared/reference/convex-api.md` §5.2-5.7).

use std::rc::Rc;

use swc_ecma_ast::{ArrowFunctionBody, Callee, Expr, ExprOrSpread, MemberProp, Pat, Stmt};

use super::abs::{Abs, QueryState, RulesScope, SearchState, TriggerScope};
use super::walk::Walker;
use super::{
    Access, Bound, FilterTest, IndexUse, KeyPart, LoopBound, Order, Provenance, QueryShape, Read, SearchShape, TableRef,
    Terminal, Write, WriteOp,
};
use crate::eval::FunctionRef;
use crate::parse::byte_range;
use crate::values::Value;

impl<'e, 'g, 'a> Walker<'e, 'g, 'a> {
    /// `ctx.db.<method>(...)` (or `ctx.db.system.<method>`).
    pub(super) fn db_call(
        &mut self,
        method: &str,
        args: Vec<Abs>,
        nodes: &'g [ExprOrSpread],
        at: &'g Expr,
        triggers: Option<Rc<TriggerScope>>,
        rules: Option<Rc<RulesScope>>,
    ) -> Abs {
        if let Some(rules) = &rules {
            self.run_rules(rules, method, &args);
        }
        // Convex picks the form by arity: the table comes first when one more argument is given.
        let table_first = |count: usize| args.len() > count && !matches!(args.get(count), Some(Abs::Static(Value::Undefined)));
        match method {
            "get" => {
                let (table, id, explicit) = if table_first(1) {
                    (self.table_arg(args.first(), nodes.first()), args[1].clone(), true)
                } else {
                    let id = args.first().cloned().unwrap_or(Abs::Unknown);
                    (self.table_of_id(&id), id, false)
                };
                let site = self.site(at);
                let key = id.provenance();
                self.push_read(Read { site, table: table.clone(), access: Access::Get { id: key.clone(), explicit_table: explicit } });
                Abs::doc(table.name().map(str::to_owned), key)
            }
            "query" => {
                let table = self.table_arg(args.first(), nodes.first());
                let state = QueryState {
                    table,
                    site: self.site(at),
                    index: IndexUse::FullScan { explicit: false },
                    search: None,
                    order: Order::Asc,
                    ordered: false,
                    filters: Vec::new(),
                };
                self.open_queries.push(state.clone());
                Abs::Query(Rc::new(state))
            }
            "insert" => {
                let table = self.table_arg(args.first(), nodes.first());
                let fields = args.get(1).and_then(|value| self.written_fields(value));
                let site = self.site(at);
                let name = table.name().map(str::to_owned);
                self.push_write(Write { site, table, op: WriteOp::Insert, id: None, explicit_table: true, fields, guarded: Vec::new() });
                let prov = name.clone().map_or(Provenance::Unknown, |table| Provenance::Inserted { table });
                if let (Some(scope), Some(table)) = (triggers, &name) {
                    self.run_triggers(&scope, table, WriteOp::Insert, prov.clone(), self.span_of(at));
                }
                Abs::Id { prov, table: name }
            }
            "patch" | "replace" | "delete" => {
                let op = match method {
                    "patch" => WriteOp::Patch,
                    "replace" => WriteOp::Replace,
                    _ => WriteOp::Delete,
                };
                let arity = if op == WriteOp::Delete { 1 } else { 2 };
                let (table, id, value, explicit) = if table_first(arity) {
                    (self.table_arg(args.first(), nodes.first()), args[1].clone(), args.get(2).cloned(), true)
                } else {
                    let id = args.first().cloned().unwrap_or(Abs::Unknown);
                    (self.table_of_id(&id), id, args.get(1).cloned(), false)
                };
                let fields = match op {
                    WriteOp::Delete => Some(Vec::new()),
                    _ => value.and_then(|v| self.written_fields(&v)),
                };
                let site = self.site(at);
                let name = table.name().map(str::to_owned);
                self.push_write(Write { site, table, op, id: Some(id.provenance()), explicit_table: explicit, fields, guarded: Vec::new() });
                if let (Some(scope), Some(table)) = (triggers, &name) {
                    self.run_triggers(&scope, table, op, id.provenance(), self.span_of(at));
                }
                Abs::Static(Value::Undefined)
            }
            "normalizeId" => {
                let table = self.table_arg(args.first(), nodes.first());
                Abs::Id { table: table.name().map(str::to_owned), prov: args.get(1).map_or(Provenance::Unknown, Abs::provenance) }
            }
            _ => Abs::Unknown,
        }
    }

    /// `ctx.vectorSearch(table, index, { vector, limit, filter })`: a read of the table through
    /// a vector index (in an action, outside any transaction).
    pub(super) fn vector_search(&mut self, args: &[Abs], at: &'g Expr) {
        let table = self.table_arg(args.first(), None);
        let index = match args.get(1) {
            Some(Abs::Static(Value::String(name))) => Some(name.clone()),
            _ => None,
        };
        let site = self.site(at);
        self.push_read(Read { site, table, access: Access::VectorSearch { index } });
    }

    /// A table named by an argument: a static string.
    fn table_arg(&mut self, value: Option<&Abs>, node: Option<&'g ExprOrSpread>) -> TableRef {
        match value {
            Some(Abs::Static(Value::String(name))) => TableRef::Name(name.clone()),
            Some(Abs::Static(Value::Unknown(u))) => TableRef::unknown(format!("the table name is not known statically: {}", u.reason)),
            Some(Abs::Arg { path, validator }) => {
                let choices: Vec<String> = validator.iter().flat_map(literal_strings).collect();
                if choices.is_empty() {
                    TableRef::unknown(format!("the table name is the argument `{path}`"))
                } else {
                    TableRef::unknown(format!("the table name is the argument `{path}`, one of {}", choices.join(", ")))
                }
            }
            Some(other) => {
                let reason = match other.provenance() {
                    Provenance::Doc { table, field } => format!("the table name is the field `{field}` of a `{table}` document"),
                    _ => "the table name is computed at run time".to_owned(),
                };
                if let Some(node) = node {
                    self.unknown_fact(&*node.expr, reason.clone());
                }
                TableRef::unknown(reason)
            }
            None => TableRef::unknown("the table name is missing"),
        }
    }

    /// The table of the document an id names, from where the id comes from.
    fn table_of_id(&mut self, id: &Abs) -> TableRef {
        if let Some(table) = id.table() {
            return TableRef::Name(table.to_owned());
        }
        TableRef::unknown(match id {
            Abs::Arg { path, validator: Some(validator) } => {
                format!("the id is the argument `{path}`, validated as `{}`, not `v.id(\"table\")`", validator.describe())
            }
            Abs::Arg { path, validator: None } => format!("the id is the argument `{path}`, which has no validator"),
            other => match other.provenance() {
                Provenance::Doc { table, field } => format!("the id is the field `{field}` of a `{table}` document, whose validator names no table"),
                _ => "the id's table is not known (no `v.id(...)` validator or `Id<...>` type says it)".into(),
            },
        })
    }

    /// The fields a written value sets, with where their values come from.
    fn written_fields(&mut self, value: &Abs) -> Option<Vec<KeyPart>> {
        let entries = match value {
            Abs::Object(entries) => entries.to_vec(),
            other => self.entries_of(other)?,
        };
        Some(entries.into_iter().map(|(field, value)| KeyPart { field, value: value.provenance(), text: None }).collect())
    }

    /// A step of a query chain: an index, a search, an order, a filter, or the terminal.
    pub(super) fn query_call(&mut self, query: Rc<QueryState>, method: &str, args: Vec<Abs>) -> Abs {
        let mut state = (*query).clone();
        match method {
            "withIndex" => {
                state.index = match args.first() {
                    Some(Abs::Static(Value::String(name))) => self.index_range(name.clone(), args.get(1)),
                    _ => IndexUse::Unknown { reason: "the index name is not known statically".into() },
                };
            }
            "withSearchIndex" => {
                let index = match args.first() {
                    Some(Abs::Static(Value::String(name))) => Some(name.clone()),
                    _ => None,
                };
                state.search = Some(self.search_filter(index, args.get(1)));
            }
            "fullTableScan" => state.index = IndexUse::FullScan { explicit: true },
            "order" => {
                state.ordered = true;
                state.order = match args.first() {
                    Some(Abs::Static(Value::String(order))) if order == "desc" => Order::Desc,
                    Some(Abs::Static(Value::String(order))) if order == "asc" => Order::Asc,
                    _ => Order::Unknown,
                };
            }
            "filter" => {
                if let Some(callback) = args.first() {
                    let tests = self.filter_tests(callback);
                    state.filters.extend(tests);
                }
            }
            "collect" => return self.run_query(&state, Terminal::Collect),
            // `.limit(n)` (internal) bounds the query like `take`.
            "take" | "limit" => {
                let n = match args.first() {
                    Some(Abs::Static(Value::Number(n))) => Some(*n),
                    _ => None,
                };
                return self.run_query(&state, Terminal::Take { n });
            }
            "first" => return self.run_query(&state, Terminal::First),
            "unique" => return self.run_query(&state, Terminal::Unique),
            "paginate" => return self.run_query(&state, Terminal::Paginate),
            "count" => {
                self.run_query(&state, Terminal::Count);
                return Abs::Unknown;
            }
            _ => return Abs::Unknown,
        }
        if let Some(open) = self.open_queries.iter_mut().find(|q| q.site.location == state.site.location) {
            *open = state.clone();
        }
        Abs::Query(Rc::new(state))
    }

    /// Records a query that runs, and what it gives.
    pub(super) fn run_query(&mut self, state: &QueryState, terminal: Terminal) -> Abs {
        self.open_queries.retain(|q| q.site.location != state.site.location);
        let table = state.table.name().map(str::to_owned);
        let key = document_key(state, table.as_deref());
        let result = match terminal {
            Terminal::First | Terminal::Unique => Abs::doc(table.clone(), key),
            Terminal::Paginate => Abs::Page(Rc::new(super::abs::DocRef { table: table.clone(), key: Provenance::Unknown, bound: LoopBound::Parent, from: None })),
            Terminal::Count => Abs::Unknown,
            _ => Abs::docs_from(table.clone(), documents_bound(state, &terminal), state.site.location.clone()),
        };
        self.record_query(state.clone(), terminal);
        result
    }

    pub(super) fn record_query(&mut self, state: QueryState, terminal: Terminal) {
        let access = match state.search {
            Some(search) => Access::Search(SearchShape {
                index: search.index,
                search_field: search.search_field,
                query: search.query,
                eq: search.eq,
                filters: state.filters,
                terminal,
            }),
            None => Access::Query(QueryShape { index: state.index, order: state.order, ordered: state.ordered, filters: state.filters, terminal }),
        };
        self.push_read(Read { site: state.site, table: state.table, access });
    }

    /// A value's source text, when it is short and on one line (`args.channel`, `member._id`,
    /// `Date.now() - DAY`): what a rewritten query can say in its place.
    fn value_source(&self, expr: &Expr) -> Option<String> {
        let text = self.source_text(byte_range(expr)).trim();
        (!text.is_empty() && text.len() <= 80 && !text.contains('\n')).then(|| text.to_owned())
    }

    /// `withIndex(name, (q) => q.eq("a", x).gt("b", y))`: the eq prefix and the bounds, in the
    /// order written.
    fn index_range(&mut self, name: String, callback: Option<&Abs>) -> IndexUse {
        let Some(callback) = callback else {
            return IndexUse::Index { name, eq: Vec::new(), lower: None, upper: None, unknown: None };
        };
        let range = self.with_callback(callback, |walker, param, body| {
            let mut eq = Vec::new();
            let (mut lower, mut upper, mut unknown) = (None, None, None);
            for (method, args) in method_chain(body, param) {
                let field = args.first().map(|a| walker.expr(&a.expr));
                let value = args.get(1).map_or(Provenance::Unknown, |a| walker.expr(&a.expr).provenance());
                let text = args.get(1).and_then(|a| walker.value_source(&a.expr));
                let Some(Abs::Static(Value::String(field))) = field else {
                    unknown = Some(format!("`.{method}()` names a field that is not known statically"));
                    continue;
                };
                match method {
                    "eq" => eq.push(KeyPart { field, value, text }),
                    "gt" | "gte" => lower = Some(Box::new(Bound { field, op: method.to_owned(), value })),
                    "lt" | "lte" => upper = Some(Box::new(Bound { field, op: method.to_owned(), value })),
                    other => unknown = Some(format!("`.{other}()` is not an index range method")),
                }
            }
            IndexUse::Index { name: name.clone(), eq, lower, upper, unknown }
        });
        range.unwrap_or_else(|| {
            let unknown = Some("the range is not a function whose code convex-lens can read".into());
            IndexUse::Index { name, eq: Vec::new(), lower: None, upper: None, unknown }
        })
    }

    /// `(q) => q.search("body", text).eq("channel", c)`.
    fn search_filter(&mut self, index: Option<String>, callback: Option<&Abs>) -> SearchState {
        let mut search = SearchState { index, search_field: None, query: Provenance::Unknown, eq: Vec::new() };
        let Some(callback) = callback else { return search };
        self.with_callback(callback, |walker, param, body| {
            for (method, args) in method_chain(body, param) {
                let field = args.first().map(|a| walker.expr(&a.expr));
                let value = args.get(1).map_or(Provenance::Unknown, |a| walker.expr(&a.expr).provenance());
                let text = args.get(1).and_then(|a| walker.value_source(&a.expr));
                let Some(Abs::Static(Value::String(field))) = field else { continue };
                match method {
                    "search" => {
                        search.search_field = Some(field);
                        search.query = value;
                    }
                    "eq" => search.eq.push(KeyPart { field, value, text }),
                    _ => {}
                }
            }
        });
        search
    }

    /// The tests of `.filter((q) => ...)`: each `q.field("f")` compared with a value.
    fn filter_tests(&mut self, callback: &Abs) -> Vec<FilterTest> {
        let mut tests = Vec::new();
        self.with_callback(callback, |walker, param, body| walker.filter_expr(body, param, false, &mut tests));
        tests
    }

    fn filter_expr(&mut self, expr: &'g Expr, q: &str, alternative: bool, tests: &mut Vec<FilterTest>) {
        let Some((method, args)) = call_on(expr, q) else {
            self.expr(expr);
            return;
        };
        match method {
            "and" => {
                for arg in args {
                    self.filter_expr(&arg.expr, q, alternative, tests);
                }
            }
            "or" | "not" => {
                for arg in args {
                    self.filter_expr(&arg.expr, q, true, tests);
                }
            }
            "eq" | "neq" | "lt" | "lte" | "gt" | "gte" => {
                let fields: Vec<Option<String>> = args.iter().map(|a| self.field_name(&a.expr, q)).collect();
                let (field, other) = match (fields.first().cloned().flatten(), fields.get(1).cloned().flatten()) {
                    (Some(field), None) => (field, args.get(1)),
                    (None, Some(field)) => (field, args.first()),
                    (Some(field), Some(_)) => {
                        tests.push(FilterTest { field, op: "other".into(), alternative, value: Provenance::Unknown, text: None });
                        return;
                    }
                    (None, None) => return,
                };
                let value = other.map_or(Provenance::Unknown, |a| self.expr(&a.expr).provenance());
                let text = other.and_then(|a| self.value_source(&a.expr));
                let test = FilterTest { field, op: method.to_owned(), alternative, value, text };
                if !tests.contains(&test) {
                    tests.push(test);
                }
            }
            _ => {
                for arg in args {
                    if let Some(field) = self.field_name(&arg.expr, q) {
                        tests.push(FilterTest { field, op: "other".into(), alternative, value: Provenance::Unknown, text: None });
                    } else {
                        self.filter_expr(&arg.expr, q, alternative, tests);
                    }
                }
            }
        }
    }

    /// `q.field("name")`.
    fn field_name(&mut self, expr: &'g Expr, q: &str) -> Option<String> {
        let ("field", args) = call_on(expr, q)? else { return None };
        match self.expr(&args.first()?.expr) {
            Abs::Static(Value::String(name)) => Some(name),
            _ => None,
        }
    }

    /// Runs `read` on a range, search or filter callback's parameter name and returned
    /// expression, in the callback's own frame: its module, what it closes over (a helper that
    /// returns `(q) => q.eq("a", a)` closes over `a`), and the statements before its `return`.
    /// `None` when the callback is not a function whose code the walker reads.
    fn with_callback<T>(&mut self, callback: &Abs, read: impl FnOnce(&mut Self, &str, &'g Expr) -> T) -> Option<T> {
        let (closure, env) = match callback {
            Abs::Func { closure, env, frame } => (*closure, self.env_of(env, *frame)),
            Abs::Static(Value::Closure(closure)) => (*closure, Vec::new()),
            _ => return None,
        };
        let (_, function, _) = self.ev.closure_parts(closure);
        let (param, statements, body): (Option<&'g Pat>, &'g [Stmt], Option<&'g Expr>) = match function {
            FunctionRef::Arrow(arrow) => match &*arrow.body {
                ArrowFunctionBody::Expr(expr) => (arrow.params.first(), &[], Some(expr)),
                ArrowFunctionBody::FunctionBody(block) => (arrow.params.first(), &block.stmts, returned(&block.stmts)),
            },
            FunctionRef::Function(f) => {
                let statements = f.body.as_ref().map_or(&[][..], |b| &b.stmts[..]);
                (f.params.first().map(|p| &p.pat), statements, returned(statements))
            }
        };
        let (Some(Pat::Ident(param)), Some(body)) = (param, body) else { return None };
        let param = param.id.sym.to_string();
        self.in_frame(closure, env, |walker, function| {
            walker.bind_params(function, Vec::new());
            for statement in statements.iter().filter(|s| !matches!(s, Stmt::Return(_))) {
                walker.stmt(statement);
            }
            read(walker, &param, body)
        })
    }
}

/// How the document a query finds is keyed: by its first `.eq` (on the index, else in the
/// filter) when a value that varies between calls decides it, else it is the one document of
/// the table every call finds (a singleton), or a constant's.
fn document_key(state: &QueryState, table: Option<&str>) -> Provenance {
    let varying = |value: &Provenance| !matches!(value, Provenance::Const(_));
    let (eq, bounded) = match &state.index {
        IndexUse::Index { eq, lower, upper, .. } => (eq.as_slice(), lower.is_some() || upper.is_some()),
        IndexUse::Unknown { .. } => return Provenance::Unknown,
        IndexUse::FullScan { .. } => (&[][..], false),
    };
    if state.search.is_some() {
        return Provenance::Unknown;
    }
    let filtered = state.filters.iter().find(|t| t.op == "eq" && !t.alternative && varying(&t.value)).map(|t| t.value.clone());
    match eq.iter().find(|k| varying(&k.value)) {
        Some(part) => part.value.clone(),
        None => match filtered {
            Some(value) => value,
            None if bounded => Provenance::Unknown,
            None => eq.first().map(|k| k.value.clone()).or_else(|| table.map(|t| Provenance::Singleton { table: t.to_owned() })).unwrap_or(Provenance::Unknown),
        },
    }
}

/// How many documents a query run with `terminal` gives: a literal limit, a search's result
/// set (at most 1,024), one parent's range (an `.eq` on a value that varies between calls), or
/// a range that grows with the table (no `.eq`, or `.eq` on constants only).
fn documents_bound(state: &QueryState, terminal: &Terminal) -> LoopBound {
    match terminal {
        Terminal::Take { n: Some(n) } => return LoopBound::Literal(super::flow::literal_count(*n)),
        Terminal::First => return LoopBound::Literal(Some(1)),
        Terminal::Unique => return LoopBound::Literal(Some(2)),
        _ if state.search.is_some() => return LoopBound::Literal(Some(1024)),
        _ => {}
    }
    if matches!(terminal, Terminal::Take { n: None }) {
        return LoopBound::Unknown;
    }
    let varies = |value: &Provenance| !matches!(value, Provenance::Const(_));
    // What a `.filter` on a value that varies keeps (one class's evaluations) is that key's
    // documents, however many the scan reads to find them.
    if state.filters.iter().any(|t| t.op == "eq" && !t.alternative && varies(&t.value)) {
        return LoopBound::Parent;
    }
    match &state.index {
        IndexUse::Index { eq, .. } if eq.iter().any(|k| varies(&k.value)) => LoopBound::Parent,
        // A window bounded by a value that varies (`lte("dueAt", now)`): what falls in it.
        IndexUse::Index { lower, upper, .. } if lower.iter().chain(upper.iter()).any(|b| varies(&b.value)) => LoopBound::Parent,
        IndexUse::Unknown { .. } => LoopBound::Unknown,
        _ => LoopBound::Table,
    }
}

/// The strings a validator of literals allows (`v.union(v.literal("a"), v.literal("b"))`).
fn literal_strings(validator: &crate::validator::Validator) -> Vec<String> {
    use crate::validator::{LiteralValue, Validator};
    match validator {
        Validator::Literal(LiteralValue::String(s)) => vec![format!("`{s}`")],
        Validator::Union(members) => members.iter().flat_map(literal_strings).collect(),
        _ => Vec::new(),
    }
}

/// The calls of a chain `q.a(...).b(...)` rooted at `q`, innermost first.
fn method_chain<'g>(expr: &'g Expr, q: &str) -> Vec<(&'g str, &'g [ExprOrSpread])> {
    let mut links = Vec::new();
    let mut current = expr;
    while let Some((method, args, object)) = method_call(current) {
        links.push((method, args));
        match object {
            Expr::Ident(ident) if ident.sym == *q => {
                links.reverse();
                return links;
            }
            other => current = other,
        }
    }
    Vec::new()
}

/// `object.method(args)`.
fn method_call(expr: &Expr) -> Option<(&str, &[ExprOrSpread], &Expr)> {
    let expr = strip(expr);
    let Expr::Call(call) = expr else { return None };
    let Callee::Expr(callee) = &call.callee else { return None };
    let Expr::Member(member) = strip(callee) else { return None };
    let MemberProp::Ident(method) = &member.prop else { return None };
    Some((method.sym.as_str(), &call.args, strip(&member.obj)))
}

/// `q.method(args)` directly on the callback's parameter.
fn call_on<'g>(expr: &'g Expr, q: &str) -> Option<(&'g str, &'g [ExprOrSpread])> {
    let (method, args, object) = method_call(expr)?;
    matches!(object, Expr::Ident(ident) if ident.sym == *q).then_some((method, args))
}

fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(inner) => strip(&inner.expr),
        Expr::TsAs(inner) => strip(&inner.expr),
        Expr::TsNonNull(inner) => strip(&inner.expr),
        other => other,
    }
}

/// The expression a block's last `return` gives.
fn returned(statements: &[Stmt]) -> Option<&Expr> {
    statements.iter().rev().find_map(|s| match s {
        Stmt::Return(ret) => ret.arg.as_deref(),
        _ => None,
    })
}
