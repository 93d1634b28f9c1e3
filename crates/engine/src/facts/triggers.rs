//! convex-helpers' triggers in the facts (`server/triggers.ts` of 0.1.124): a write through the
//! wrapped writer to a table with triggers reads the document around the write (to give the
//! triggers its old and new values), then runs each trigger of that table with `(ctx, change)`
//! in the same transaction. Their reads and writes are the function's, `via` the trigger.

use std::rc::Rc;

use super::abs::{Abs, TriggerScope};
use super::walk::Walker;
use super::{Access, Call, CallKind, CallTarget, Given, OpaqueCall, Provenance, Read, TableRef, WriteOp};
use crate::eval::insert_entry;
use crate::values::{Span, TriggerCode, TriggerDef, TriggersDef, Value};

impl Walker<'_, '_, '_> {
    /// The writer `triggers.wrapDB(ctx)` puts in place of `ctx.db`.
    pub(super) fn triggered_db(triggers: Rc<TriggersDef>, ctx: Abs) -> Abs {
        Abs::Db { system: false, triggers: Some(Rc::new(TriggerScope { triggers, ctx })), rules: None }
    }

    /// `{ ...ctx, ...entries }` for a ctx (or an object standing for one).
    pub(super) fn ctx_with(&mut self, ctx: &Abs, entries: Vec<(String, Abs)>) -> Abs {
        let mut extras = match ctx {
            Abs::Ctx(extras) => extras.to_vec(),
            other => match self.entries_of(other) {
                Some(entries) => entries,
                None => return Abs::Unknown,
            },
        };
        for (name, value) in entries {
            insert_entry(&mut extras, name, value);
        }
        match ctx {
            Abs::Ctx(_) => Abs::Ctx(Rc::new(extras)),
            _ => Abs::Object(Rc::new(extras)),
        }
    }

    /// Runs the triggers registered on `table` after a write `op` of the document `id`.
    pub(super) fn run_triggers(&mut self, scope: &Rc<TriggerScope>, table: &str, op: WriteOp, id: Provenance, at: Span) {
        let triggers: Vec<TriggerDef> = scope
            .triggers
            .registered
            .borrow()
            .iter()
            .filter(|t| t.table.as_ref().map_or(true, |name| name == table))
            .cloned()
            .collect();
        if triggers.is_empty() {
            return;
        }
        let mut site = self.site_at(at);
        site.via.push(format!("the triggers of {table} (convex-helpers)"));
        self.push_read(Read { site, table: TableRef::Name(table.to_owned()), access: Access::Get { id: id.clone(), explicit_table: true } });
        let change = change(table, op, id);
        let ctx = self.ctx_with(&scope.ctx, vec![("db".to_owned(), Abs::Db { system: false, triggers: Some(scope.clone()), rules: None }), ("innerDb".to_owned(), Abs::db())]);
        for trigger in triggers {
            match (trigger.table, trigger.handler) {
                (Ok(_), Ok(TriggerCode::Client(client, method))) => {
                    let operation = match op {
                        WriteOp::Insert => "insert",
                        WriteOp::Delete => "delete",
                        _ => "update",
                    };
                    if let (Some(component), Some(path)) = (&client.component, crate::known::component_call_of_trigger(&client, &method, operation)) {
                        let mut site = self.site_at(at);
                        site.via.push(format!("`{}.{method}()` on {table}", client.class));
                        let target = CallTarget::Component { component: component.clone(), path: path.to_owned() };
                        self.push_call(Call { site, kind: CallKind::RunMutation, target });
                    }
                }
                (Ok(_), Ok(TriggerCode::Closure(closure))) => {
                    let graph = self.ev.graph;
                    let node = &graph.modules[trigger.span.module];
                    let (line, _) = node.lines.line_column(trigger.span.range.start);
                    self.name_helper(closure, format!("trigger on {table} ({}:{line})", node.file.path));
                    self.call_closure(closure, vec![ctx.clone(), change.clone()]);
                }
                (Err(unknown), _) | (_, Err(unknown)) => self.opaque_trigger(table, unknown, at),
            }
        }
    }

    /// A trigger whose code, or whose table, convex-lens cannot see: an opaque call given the ctx,
    /// unless it is a component's client, which cannot read the app's tables or its caller.
    fn opaque_trigger(&mut self, table: &str, unknown: crate::values::Unknown, at: Span) {
        if unknown.library.as_ref().is_some_and(|l| l.is_platform() || crate::known::checks_no_identity(&l.package)) {
            return;
        }
        let call = OpaqueCall {
            site: self.site_at(at),
            callee: format!("a trigger on {table}"),
            library: unknown.library,
            reason: unknown.reason,
            given: Given::Ctx,
            tables: vec![table.to_owned()],
        };
        if !self.facts.opaque.iter().any(|o| o.site.location == call.site.location && o.callee == call.callee) {
            self.facts.opaque.push(call);
        }
    }
}

/// `{ id, operation, oldDoc, newDoc }` as the writer builds it for the triggers.
fn change(table: &str, op: WriteOp, id: Provenance) -> Abs {
    let doc = Abs::doc(Some(table.to_owned()), id.clone());
    let null = Abs::Static(Value::Null);
    let (operation, old, new) = match op {
        WriteOp::Insert => ("insert", null, doc),
        WriteOp::Delete => ("delete", doc, null),
        _ => ("update", doc.clone(), doc),
    };
    let entries = vec![
        ("id".to_owned(), Abs::Id { table: Some(table.to_owned()), prov: id }),
        ("operation".to_owned(), Abs::Static(Value::String(operation.to_owned()))),
        ("oldDoc".to_owned(), old),
        ("newDoc".to_owned(), new),
    ];
    Abs::Object(Rc::new(entries))
}
