//! convex-helpers 0.1.124's database helpers as the reads they make (`server/relationships.ts`,
//! `pagination.ts`, `stream.ts`, `rowLevelSecurity.ts`, `triggers.ts`, `index.ts`), so code that
//! uses them has the same facts as code that writes the queries out.

use super::abs::Abs;
use super::walk::Walker;
use super::{Access, IndexUse, KeyPart, LoopBound, Order, Provenance, QueryShape, Read, TableRef, Terminal};
use crate::values::Value;

impl Walker<'_, '_, '_> {
    /// A call of one of `known::convex_helpers::DATABASE_HELPERS`; `None` for other builtins.
    pub(super) fn library_call(&mut self, library: &str, name: &str, args: &[Abs], at: &swc_ecma_ast::Expr) -> Option<Abs> {
        let result = self.database_helper(library, name, args, at)?;
        // Through a row-level-security reader, the relationship helpers' reads run its rules.
        if let (Some(Abs::Db { rules: Some(rules), .. }), "convex-helpers/server/relationships") = (args.first(), library) {
            let table = match args.get(1) {
                Some(table @ Abs::Static(Value::String(_))) => table.clone(),
                _ => Abs::Static(result.table().map_or(Value::Undefined, |t| Value::String(t.to_owned()))),
            };
            let method = if name.starts_with("getOneFrom") || name.starts_with("getManyFrom") || name.starts_with("getManyVia") { "query" } else { "get" };
            self.run_rules(&rules.clone(), method, &[table]);
        }
        Some(result)
    }

    fn database_helper(&mut self, library: &str, name: &str, args: &[Abs], at: &swc_ecma_ast::Expr) -> Option<Abs> {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Abs::Unknown);
        let text = |i: usize| match args.get(i) {
            Some(Abs::Static(Value::String(s))) => Some(s.clone()),
            _ => None,
        };
        Some(match (library, name) {
            // (db, table, index, value, field?): `withIndex(index, q => q.eq(field, value))`, where
            // the field defaults to the index name without its `by_` prefix (`firstIndexField`).
            ("convex-helpers/server/relationships", "getOneFrom" | "getOneFromOrThrow" | "getManyFrom") => {
                let terminal = if name == "getManyFrom" { Terminal::Collect } else { Terminal::Unique };
                let table = text(1);
                let key = self.index_lookup(table.clone(), text(2), text(4), arg(3), terminal.clone(), at);
                match terminal {
                    Terminal::Unique => Abs::doc(table, key),
                    _ => Abs::docs(table, Provenance::Unknown, LoopBound::Parent),
                }
            }
            // (db, table, toField, index, value, field?): the links, then each target by id.
            ("convex-helpers/server/relationships", "getManyVia" | "getManyViaOrThrow") => {
                let table = text(1);
                self.index_lookup(table.clone(), text(3), text(5), arg(4), Terminal::Collect, at);
                let target = match (&table, text(2)) {
                    (Some(table), Some(field)) => {
                        let link = Abs::doc(Some(table.clone()), Provenance::Unknown);
                        self.member(&link, &field)
                    }
                    _ => Abs::Unknown,
                };
                self.point_reads(target.table().map(str::to_owned), target.provenance(), true, at)
            }
            // (db, ids) or (db, table, ids).
            ("convex-helpers/server/relationships", "getAll" | "getAllOrThrow") => {
                let (table, ids) = match text(1) {
                    Some(table) => (Some(table), arg(2)),
                    None => (arg(1).table().map(str::to_owned), arg(1)),
                };
                self.point_reads(table, ids.provenance(), true, at)
            }
            // (db, id) or (db, table, id).
            ("convex-helpers/server/relationships", "getOrThrow") => {
                let (table, id) = match text(1) {
                    Some(table) => (Some(table), arg(2)),
                    None => (arg(1).table().map(str::to_owned), arg(1)),
                };
                let docs = self.point_reads(table, id.provenance(), false, at);
                docs.element()
            }
            // (ctx, { table, index?, startIndexKey?, endIndexKey?, targetMaxRows?, absoluteMaxRows?,
            // order? }): a range of the index (`by_creation_time` by default) between keys it is
            // given at run time, at most `targetMaxRows` (100) documents unless told otherwise.
            ("convex-helpers/server/pagination", "getPage") => {
                let request = arg(1);
                // What a literal request leaves out takes the package's default.
                let given = |key: &str| match &request {
                    Abs::Object(entries) => entries.iter().any(|(k, _)| k == key),
                    _ => true,
                };
                let table = self.member(&request, "table").static_value();
                let index = match self.member(&request, "index") {
                    _ if !given("index") => Some("by_creation_time".to_owned()),
                    Abs::Static(Value::Undefined) => Some("by_creation_time".to_owned()),
                    Abs::Static(Value::String(index)) => Some(index),
                    _ => None,
                };
                let n = match self.member(&request, "targetMaxRows") {
                    _ if !given("targetMaxRows") => Some(100.0),
                    Abs::Static(Value::Undefined) => Some(100.0),
                    Abs::Static(Value::Number(n)) => Some(n),
                    _ => None,
                };
                let index = match index {
                    Some(name) => IndexUse::Index { name, eq: Vec::new(), lower: None, upper: None, unknown: None },
                    None => IndexUse::Unknown { reason: "the index name is not known statically".into() },
                };
                let table_ref = match &table {
                    Some(Value::String(table)) => TableRef::Name(table.clone()),
                    _ => TableRef::unknown("the table name is not known statically"),
                };
                let site = self.site(at);
                let access = Access::Query(QueryShape { index, order: Order::Unknown, ordered: true, filters: Vec::new(), terminal: Terminal::Take { n } });
                self.push_read(Read { site, table: table_ref.clone(), access });
                let docs = Abs::docs(table_ref.name().map(str::to_owned), Provenance::Unknown, LoopBound::Literal(n.map(|n| n as u32)));
                Abs::Object(std::rc::Rc::new(vec![("page".to_owned(), docs), ("hasMore".to_owned(), Abs::Unknown), ("indexKeys".to_owned(), Abs::Unknown)]))
            }
            // A reader with the same query API, over `db`.
            ("convex-helpers/server/pagination", "paginator") | ("convex-helpers/server/stream", "stream") => reader(arg(0)),
            // (ctx, db, rules): the same database, whose reads and writes run the table's rules.
            ("convex-helpers/server/rowLevelSecurity", "wrapDatabaseReader" | "wrapDatabaseWriter") => match reader(arg(1)) {
                Abs::Db { system, triggers, .. } => {
                    Abs::Db { system, triggers, rules: Some(std::rc::Rc::new(super::abs::RulesScope { rules: arg(2), ctx: arg(0) })) }
                }
                db => db,
            },
            // (ctx, db, triggers): the database, with the triggers run after each write.
            ("convex-helpers/server/triggers", "writerWithTriggers") => match (reader(arg(1)), arg(2)) {
                (Abs::Db { system: false, .. }, Abs::Static(Value::Triggers(triggers))) => Self::triggered_db(triggers, arg(0)),
                (db, _) => db,
            },
            ("convex-helpers", "asyncMap") => {
                let function = arg(1);
                self.map_collection(arg(0), function)
            }
            ("convex-helpers", "pruneNull" | "nullThrows") => arg(0),
            // (ctx, { name, key, ... }): the limit's document, by `name` on [name, key], then
            // for `rateLimit` its insert or patch, for `resetRateLimit` its delete.
            ("convex-helpers/server/rateLimit", _) => {
                let spec = arg(1);
                let eq = ["name", "key"].iter().map(|field| KeyPart { field: (*field).to_owned(), value: self.member(&spec, field).provenance(), text: None }).collect();
                let index = IndexUse::Index { name: "name".into(), eq, lower: None, upper: None, unknown: None };
                let site = self.site(at);
                let table = TableRef::Name("rateLimits".into());
                let access = Access::Query(QueryShape { index, order: Order::Asc, ordered: false, filters: Vec::new(), terminal: Terminal::Unique });
                self.push_read(Read { site: site.clone(), table: table.clone(), access });
                let writes: &[super::WriteOp] = match name {
                    "rateLimit" => &[super::WriteOp::Insert, super::WriteOp::Patch],
                    "resetRateLimit" => &[super::WriteOp::Delete],
                    _ => &[],
                };
                for op in writes {
                    let id = (*op != super::WriteOp::Insert).then_some(Provenance::Unknown);
                    self.push_write(super::Write { site: site.clone(), table: table.clone(), op: *op, id, explicit_table: true, fields: None, guarded: Vec::new() });
                }
                Abs::Unknown
            }
            // `getAuthUserId(ctx)` reads `ctx.auth.getUserIdentity()` and returns the `users` id
            // in its subject (null when signed out); `getAuthSessionId` the `authSessions` one.
            ("@convex-dev/auth/server", "getAuthUserId" | "getAuthSessionId") => {
                self.identity_check(at);
                let table = if name == "getAuthUserId" { "users" } else { "authSessions" };
                Abs::Id { table: Some(table.to_owned()), prov: Provenance::Auth("subject".into()) }
            }
            _ => return None,
        })
    }

    /// Records `ctx.db.query(table).withIndex(index, q => q.eq(field, value))` run with `terminal`,
    /// and returns the key's provenance.
    fn index_lookup(
        &mut self,
        table: Option<String>,
        index: Option<String>,
        field: Option<String>,
        value: Abs,
        terminal: Terminal,
        at: &swc_ecma_ast::Expr,
    ) -> Provenance {
        let key = value.provenance();
        let index = match index {
            Some(index) => {
                let field = field.unwrap_or_else(|| index.strip_prefix("by_").unwrap_or(&index).to_owned());
                IndexUse::Index { name: index, eq: vec![KeyPart { field, value: key.clone(), text: None }], lower: None, upper: None, unknown: None }
            }
            None => IndexUse::Unknown { reason: "the index name is not known statically".into() },
        };
        let site = self.site(at);
        let table = table.map_or_else(|| TableRef::unknown("the table name is not known statically"), TableRef::Name);
        let access = Access::Query(QueryShape { index, order: Order::Asc, ordered: false, filters: Vec::new(), terminal });
        self.push_read(Read { site, table, access });
        key
    }

    /// A `db.get` per id: the documents of `table`.
    fn point_reads(&mut self, table: Option<String>, ids: Provenance, per_element: bool, at: &swc_ecma_ast::Expr) -> Abs {
        let mut site = self.site(at);
        if per_element {
            site.in_loop = true;
            let bound = match ids {
                Provenance::Arg(_) => LoopBound::Caller,
                Provenance::Doc { .. } => LoopBound::Parent,
                _ => LoopBound::Unknown,
            };
            site.loop_bound = site.loop_bound.max(Some(bound));
        }
        let bound = site.loop_bound.unwrap_or(LoopBound::Literal(Some(1)));
        let table_ref = table.clone().map_or_else(|| TableRef::unknown("the ids' table is not known (no `v.id(...)` validator or `Id<...>` type says it)"), TableRef::Name);
        self.push_read(Read { site, table: table_ref, access: Access::Get { id: ids.clone(), explicit_table: false } });
        Abs::docs(table, ids, bound)
    }
}

/// What a helper that wraps `db` returns: `db` itself when it is the database.
fn reader(db: Abs) -> Abs {
    match db {
        db @ Abs::Db { .. } => db,
        _ => Abs::Unknown,
    }
}
