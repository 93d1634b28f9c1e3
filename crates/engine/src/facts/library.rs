//! The code of a library's handler that `known` models as effects (`LibraryCode::Effects`):
//! convex-helpers' `crud` (a line or two each), `@convex-dev/migrations`' batch (a page of the
//! table, the app's `migrateOne` per document). Each runs at the call that made the function,
//! with the ctx the handler gets, so writes through a wrapped `db` run its triggers.

use std::rc::Rc;

use super::abs::{Abs, QueryState};
use super::walk::Walker;
use super::{Access, Call, CallKind, CallTarget, IndexUse, LoopBound, Order, Provenance, QueryShape, Read, TableRef, Terminal, Write, WriteOp};
use crate::values::{ClosureId, LibraryEffect, Span, Value};

impl Walker<'_, '_, '_> {
    /// The reads, writes and calls of a library's handler, in its order.
    pub(super) fn library_effects(&mut self, effects: &[LibraryEffect], at: Span, ctx: &Abs) {
        let id = || Provenance::Arg("id".to_owned());
        for effect in effects {
            let site = self.site_at(at);
            match effect {
                LibraryEffect::Get(table) => {
                    let access = Access::Get { id: id(), explicit_table: true };
                    self.push_read(Read { site, table: TableRef::Name(table.clone()), access });
                }
                LibraryEffect::Paginate(table) => {
                    let shape = QueryShape {
                        index: IndexUse::FullScan { explicit: false },
                        order: Order::Asc,
                        ordered: false,
                        filters: Vec::new(),
                        terminal: Terminal::Paginate,
                    };
                    self.push_read(Read { site, table: TableRef::Name(table.clone()), access: Access::Query(shape) });
                }
                LibraryEffect::Insert(table) => self.library_write(ctx, table, WriteOp::Insert, None, None, at),
                LibraryEffect::Patch(table) => self.library_write(ctx, table, WriteOp::Patch, Some(id()), None, at),
                LibraryEffect::Delete(table) => self.library_write(ctx, table, WriteOp::Delete, Some(id()), Some(Vec::new()), at),
                LibraryEffect::Migrate { table, migrate_one, custom_range } => self.migration_batch(ctx, table, *migrate_one, *custom_range, at),
                LibraryEffect::ChecksIdentity => self.identity_check_at(site),
                LibraryEffect::Lookup { table, index, fields } => {
                    let eq = fields.iter().map(|field| super::KeyPart { field: (*field).to_owned(), value: Provenance::Unknown, text: None }).collect();
                    let index = IndexUse::Index { name: (*index).to_owned(), eq, lower: None, upper: None, unknown: None };
                    let shape = QueryShape { index, order: Order::Asc, ordered: false, filters: Vec::new(), terminal: Terminal::Unique };
                    self.push_read(Read { site, table: TableRef::Name(table.clone()), access: Access::Query(shape) });
                }
                LibraryEffect::WorkflowSteps(closure) => {
                    self.call_closure(*closure, vec![Abs::WorkflowStep, Abs::Unknown]);
                }
                LibraryEffect::Callback(closure) => {
                    self.call_closure(*closure, vec![ctx.clone(), Abs::Unknown, Abs::Unknown]);
                }
                LibraryEffect::RunComponent { mutation, component, path } => {
                    let kind = if *mutation { CallKind::RunMutation } else { CallKind::RunQuery };
                    let target = CallTarget::Component { component: component.clone(), path: (*path).to_owned() };
                    self.push_call(Call { site, kind, target });
                }
            }
        }
    }

    /// A write through the handler's `ctx.db`, which runs the triggers of a wrapped writer.
    fn library_write(&mut self, ctx: &Abs, table: &str, op: WriteOp, id: Option<Provenance>, fields: Option<Vec<super::KeyPart>>, at: Span) {
        let site = self.site_at(at);
        let write = Write { site, table: TableRef::Name(table.to_owned()), op, id: id.clone(), explicit_table: true, fields, guarded: Vec::new() };
        self.push_write(write);
        if let Abs::Db { triggers: Some(scope), .. } = self.member(ctx, "db") {
            let prov = id.unwrap_or_else(|| Provenance::Inserted { table: table.to_owned() });
            self.run_triggers(&scope, table, op, prov, at);
        }
    }

    /// One batch of a migration: `paginator(ctx.db, schema).query(table)`, through
    /// `customRange(q)` when given, `.paginate(...)`; then per document `migrateOne(ctx, doc)`,
    /// and `ctx.db.patch(table, doc._id, next)` when it returns something.
    fn migration_batch(&mut self, ctx: &Abs, table: &str, migrate_one: ClosureId, custom_range: Option<ClosureId>, at: Span) {
        let state = QueryState {
            table: TableRef::Name(table.to_owned()),
            site: self.site_at(at),
            index: IndexUse::FullScan { explicit: false },
            search: None,
            order: Order::Asc,
            ordered: false,
            filters: Vec::new(),
        };
        let query = match custom_range {
            None => state,
            Some(range) => match self.call_closure(range, vec![Abs::Query(Rc::new(state.clone()))]) {
                Abs::Query(query) => (*query).clone(),
                _ => QueryState { index: IndexUse::Unknown { reason: "the migration's `customRange` gives a range convex-lens cannot follow".into() }, ..state },
            },
        };
        let page = self.run_query(&query, Terminal::Paginate);
        let documents = self.member(&page, "page");
        let document = self.member(&documents, "0");
        self.in_bounded_loop(LoopBound::Parent.into(), |walker| {
            let next = walker.call_closure(migrate_one, vec![ctx.clone(), document.clone()]);
            if !matches!(next, Abs::Static(Value::Undefined | Value::Null)) {
                let id = walker.member(&document, "_id").provenance();
                let fields = match &next {
                    Abs::Object(entries) => Some(entries.iter().map(|(field, value)| super::KeyPart { field: field.clone(), value: value.provenance(), text: None }).collect()),
                    _ => None,
                };
                walker.library_write(ctx, table, WriteOp::Patch, Some(id), fields, at);
            }
        });
    }
}
