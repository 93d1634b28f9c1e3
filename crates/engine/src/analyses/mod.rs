//! Analyses over the facts: index coverage, the reactive graph (which subscriptions a mutation
//! re-runs), write conflicts and hot documents, the call graph, and cost bounds. Each reads the
//! facts and the model and nothing else; see `shared/reference/reactivity.md` §6 and §7.

pub mod calls;
pub mod conflicts;
pub mod costs;
pub mod coverage;
pub mod reactivity;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::{CallKind, CallTarget, FunctionFacts, Read, Write};
use crate::schema::Schema;
use crate::values::FunctionKind;

/// Everything the analyses found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Analyses {
    pub coverage: coverage::Coverage,
    pub reactivity: reactivity::Reactivity,
    pub conflicts: conflicts::Conflicts,
    pub call_graph: calls::CallGraph,
    pub costs: Vec<costs::FunctionCost>,
}

pub fn analyze(schema: Option<&Schema>, facts: &[FunctionFacts], functions: &[crate::app::FunctionSpec], crons: &[crate::app::CronJob]) -> Analyses {
    let transactions = Transactions::new(facts);
    Analyses {
        coverage: coverage::analyze(schema, facts),
        reactivity: reactivity::analyze(&transactions),
        conflicts: conflicts::analyze(&transactions),
        call_graph: calls::analyze(facts, functions, crons),
        costs: costs::analyze(&transactions),
    }
}

/// What each query and mutation reads and writes in its transaction: its own facts and those of
/// the queries and mutations it runs with `ctx.runQuery` / `ctx.runMutation`, which share it.
pub struct Transactions<'f> {
    pub functions: BTreeMap<&'f str, Transaction<'f>>,
}

pub struct Transaction<'f> {
    pub facts: &'f FunctionFacts,
    pub reads: Vec<&'f Read>,
    pub writes: Vec<&'f Write>,
}

impl<'f> Transactions<'f> {
    pub fn new(facts: &'f [FunctionFacts]) -> Self {
        let by_path: BTreeMap<&str, &FunctionFacts> = facts.iter().map(|f| (f.function.as_str(), f)).collect();
        let mut functions = BTreeMap::new();
        for function in facts {
            if !matches!(function.kind, FunctionKind::Query | FunctionKind::Mutation) {
                continue;
            }
            let mut reads = Vec::new();
            let mut writes = Vec::new();
            let mut seen = vec![function.function.as_str()];
            let mut queue = vec![function];
            while let Some(current) = queue.pop() {
                reads.extend(current.reads.iter());
                writes.extend(current.writes.iter());
                for call in &current.calls {
                    let (CallKind::RunQuery | CallKind::RunMutation) = call.kind else { continue };
                    let CallTarget::Function { path, .. } = &call.target else { continue };
                    if let Some(callee) = by_path.get(path.as_str()) {
                        if !seen.contains(&callee.function.as_str()) {
                            seen.push(callee.function.as_str());
                            queue.push(callee);
                        }
                    }
                }
            }
            functions.insert(function.function.as_str(), Transaction { facts: function, reads, writes });
        }
        Transactions { functions }
    }

    pub fn of_kind(&self, kind: FunctionKind) -> impl Iterator<Item = (&&'f str, &Transaction<'f>)> {
        self.functions.iter().filter(move |(_, t)| t.facts.kind == kind)
    }
}
