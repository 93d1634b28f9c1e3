//! convex-helpers' row-level security in the facts (`server/rowLevelSecurity.ts` of 0.1.124):
//! a `db` wrapped by `wrapDatabaseReader`/`wrapDatabaseWriter(ctx, db, rules)` runs the table's
//! rules on what it reads and writes, so what a rule reads is the function's too.

use std::rc::Rc;

use super::abs::Abs;
use super::walk::Walker;
use super::Provenance;
use crate::values::Value;

impl Walker<'_, '_, '_> {
    /// The rules of convex-helpers' row-level security that a call of the wrapped `db` runs
    /// (`server/rowLevelSecurity.ts`): `read` on each document read (and before a change),
    /// `modify` before a patch, replace or delete, `insert` before an insert. Each gets the ctx
    /// the wrapper was made with and the document.
    pub(super) fn run_rules(&mut self, scope: &Rc<super::abs::RulesScope>, method: &str, args: &[Abs]) {
        let table_first = |count: usize| args.len() > count;
        let table = match method {
            "insert" | "query" => args.first().and_then(|a| a.static_value()),
            "get" | "delete" if table_first(1) => args.first().and_then(|a| a.static_value()),
            "patch" | "replace" if table_first(2) => args.first().and_then(|a| a.static_value()),
            _ => args.first().and_then(|id| id.table().map(|t| Value::String(t.to_owned()))),
        };
        let Some(Value::String(table)) = table else { return };
        let rules: &[&str] = match method {
            "get" | "query" => &["read"],
            "insert" => &["insert"],
            "patch" | "replace" | "delete" => &["read", "modify"],
            _ => return,
        };
        let document = Abs::doc(Some(table.clone()), Provenance::Unknown);
        let table_rules = self.member(&scope.rules, &table);
        for rule in rules {
            let function = self.member(&table_rules, rule);
            let args = vec![scope.ctx.clone(), document.clone()];
            match method {
                // A query's rule runs on each document of its range.
                "query" => {
                    self.in_bounded_loop(super::LoopBound::Parent.into(), |walker| walker.call_function(&function, args));
                }
                _ => {
                    self.call_function(&function, args);
                }
            }
        }
    }
}
