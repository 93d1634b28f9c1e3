//! Analyses over the facts: index coverage, the reactive graph (which subscriptions a mutation
//! re-runs), write conflicts and hot documents, the call graph, and cost bounds. Each reads the
//! facts and the model and nothing else; see `shared/reference/reactivity.md` §6 and §7.

mod access;
pub mod calls;
pub mod conflicts;
pub mod costs;
pub mod coverage;
pub mod reactivity;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::{CallKind, CallTarget, FunctionFacts, Read, Write};
use crate::schema::{Owner, Schema, SchemaGap};
use crate::values::{FunctionKind, Visibility};

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

/// What the analyses read: the model and the facts.
pub struct Inputs<'a> {
    pub schema: Option<&'a Schema>,
    /// What the schema model may lack: a read of a table it does not have cannot be called
    /// rejected when a gap may hold it.
    pub schema_gaps: &'a [SchemaGap],
    /// Tables and indexes (`table.index`) a library or a generator defines.
    pub owners: BTreeMap<String, Owner>,
    pub facts: &'a [FunctionFacts],
    pub functions: &'a [crate::app::FunctionSpec],
    pub crons: &'a [crate::app::CronJob],
    /// Exports of function modules whose values could not be evaluated: functions may hide
    /// behind them.
    pub opaque_exports: &'a [crate::app::OpaqueExport],
    /// The function modules, by path (`dir/file`), so a call to a module that is not among the
    /// files is told from a call to a missing export.
    pub modules: &'a [String],
    /// Tables handed to a library's function, which may read them through any index.
    pub tables_given_to_libraries: &'a [(crate::values::LibraryValue, Vec<String>)],
}

pub fn analyze(inputs: &Inputs) -> Analyses {
    let public: Vec<&str> = inputs.functions.iter().filter(|f| f.visibility == Some(Visibility::Public)).map(|f| f.path.as_str()).collect();
    let transactions = Transactions::new(inputs.facts, &public, inputs.crons);
    Analyses {
        coverage: coverage::analyze(inputs),
        reactivity: reactivity::analyze(&transactions, &crate::order::map(inputs.functions.iter().map(|f| (f.path.as_str(), f)))),
        conflicts: conflicts::analyze(&transactions),
        call_graph: calls::analyze(inputs),
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
    /// A public function: clients call it, and a public query's calls are subscriptions.
    pub public: bool,
    /// Its runs never overlap: only one cron job runs it, and "at most one run of each cron job
    /// can be executing at any moment" (Convex's docs, Cron Jobs), so it never conflicts with
    /// itself.
    pub one_at_a_time: bool,
    pub reads: Vec<&'f Read>,
    pub writes: Vec<&'f Write>,
}

impl<'f> Transactions<'f> {
    pub fn new(facts: &'f [FunctionFacts], public: &[&str], crons: &[crate::app::CronJob]) -> Self {
        let by_path: BTreeMap<&str, &FunctionFacts> = crate::order::map(facts.iter().map(|f| (f.function.as_str(), f)));
        let one_at_a_time = run_only_by_one_cron(facts, crons);
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
            let public = public.contains(&function.function.as_str());
            let one_at_a_time = !public && one_at_a_time.contains(&function.function.as_str());
            functions.insert(function.function.as_str(), Transaction { facts: function, public, one_at_a_time, reads, writes });
        }
        Transactions { functions }
    }

    pub fn of_kind(&self, kind: FunctionKind) -> impl Iterator<Item = (&&'f str, &Transaction<'f>)> {
        self.functions.iter().filter(move |(_, t)| t.facts.kind == kind)
    }
}

/// The functions exactly one cron job runs and no call names. A call or a cron job whose target
/// convex-lens cannot resolve may name any function, so none is known to run alone then.
fn run_only_by_one_cron<'c>(facts: &[FunctionFacts], crons: &'c [crate::app::CronJob]) -> Vec<&'c str> {
    let calls = facts.iter().flat_map(|f| f.calls.iter());
    if calls.clone().any(|call| matches!(call.target, CallTarget::Unknown { .. })) || crons.iter().any(|job| job.function.is_none()) {
        return Vec::new();
    }
    let called: Vec<&str> = calls.filter_map(|call| match &call.target {
        CallTarget::Function { path, .. } => Some(path.as_str()),
        _ => None,
    }).collect();
    let targets: Vec<&str> = crons.iter().filter_map(|job| job.function.as_deref()).collect();
    targets
        .iter()
        .copied()
        .filter(|target| targets.iter().filter(|t| *t == target).count() == 1 && !called.contains(target))
        .collect()
}
