//! The call graph: functions, HTTP routes and cron jobs, and what each calls (`ctx.runQuery`,
//! `runMutation`, `runAction`, the scheduler, a cron's target, components), and from each entry
//! point a client or the outside world can reach (public functions, routes, crons), the tables
//! it can end up writing.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::app::FunctionSpec;
use crate::facts::{CallKind, CallTarget, FunctionFacts};
use crate::source::Location;
use crate::values::{FunctionKind, Visibility};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallGraph {
    pub edges: Vec<CallEdge>,
    /// For each entry point, the tables it can write, directly or through what it calls.
    pub reach: Vec<Reach>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallEdge {
    /// A function path, `http <METHOD> <path>`, or `cron <name>`.
    pub from: String,
    /// A function path, `component <name> <path>`, or `?` when not known statically.
    pub to: String,
    /// `runQuery`, `runMutation`, `runAction`, `runAfter`, `runAt`, or `cron`.
    pub kind: String,
    /// `api.*` called a function that is internal, or `internal.*` one that is public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_loop: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    pub from: String,
    /// Written tables, each with the first call path that leads to the write.
    pub writes: Vec<ReachedWrite>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReachedWrite {
    pub table: String,
    /// The functions on the way, from the entry point to the one that writes.
    pub through: Vec<String>,
}

pub fn analyze(facts: &[FunctionFacts], functions: &[FunctionSpec], crons: &[crate::app::CronJob]) -> CallGraph {
    let by_path: BTreeMap<&str, &FunctionSpec> = functions.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut edges = Vec::new();
    for function in facts {
        for call in &function.calls {
            let kind = match call.kind {
                CallKind::RunQuery => "runQuery",
                CallKind::RunMutation => "runMutation",
                CallKind::RunAction => "runAction",
                CallKind::RunAfter => "runAfter",
                CallKind::RunAt => "runAt",
            };
            let (to, problem) = match &call.target {
                CallTarget::Function { path, via_internal } => (path.clone(), visibility_problem(&by_path, path, *via_internal, call.kind)),
                CallTarget::Component { component, path } => (format!("component {component} {path}"), None),
                CallTarget::Unknown { .. } => ("?".to_owned(), None),
            };
            edges.push(CallEdge {
                from: function.function.clone(),
                to,
                kind: kind.to_owned(),
                problem,
                location: Some(call.site.location.clone()),
                in_loop: call.site.in_loop,
            });
        }
    }
    for job in crons {
        let to = job.function.clone().unwrap_or_else(|| "?".into());
        let problem = match by_path.get(to.as_str()) {
            Some(target) if target.kind == FunctionKind::Query => Some("a cron job runs a mutation or an action, not a query".to_owned()),
            None if to != "?" => Some(format!("no function `{to}` is registered")),
            _ => None,
        };
        edges.push(CallEdge { from: format!("cron {}", job.name), to, kind: "cron".into(), problem, location: Some(job.location.clone()), in_loop: false });
    }
    let reach = reach(facts, functions, &edges, crons);
    CallGraph { edges, reach }
}

/// What is wrong with how a call names its target, if anything.
fn visibility_problem(by_path: &BTreeMap<&str, &FunctionSpec>, path: &str, via_internal: bool, kind: CallKind) -> Option<String> {
    let Some(target) = by_path.get(path) else {
        return Some(format!("no function `{path}` is registered"));
    };
    let expected = match kind {
        CallKind::RunQuery => &[FunctionKind::Query][..],
        CallKind::RunMutation => &[FunctionKind::Mutation],
        CallKind::RunAction => &[FunctionKind::Action],
        CallKind::RunAfter | CallKind::RunAt => &[FunctionKind::Mutation, FunctionKind::Action],
    };
    if !expected.contains(&target.kind) {
        return Some(format!("`{path}` is a {}, which this call cannot run", kind_name(target.kind)));
    }
    // `api` and `internal` are the same object at run time; TypeScript tells them apart.
    match (via_internal, target.visibility) {
        (true, Some(Visibility::Public)) => Some(format!("`{path}` is public but is named through `internal`")),
        (false, Some(Visibility::Internal)) => Some(format!("`{path}` is internal but is named through `api`")),
        _ => None,
    }
}

fn kind_name(kind: FunctionKind) -> &'static str {
    match kind {
        FunctionKind::Query => "query",
        FunctionKind::Mutation => "mutation",
        FunctionKind::Action => "action",
        FunctionKind::HttpAction => "HTTP action",
    }
}

/// From every public function, route and cron, the tables written along the calls it makes.
fn reach(facts: &[FunctionFacts], functions: &[FunctionSpec], edges: &[CallEdge], crons: &[crate::app::CronJob]) -> Vec<Reach> {
    let by_path: BTreeMap<&str, &FunctionFacts> = facts.iter().map(|f| (f.function.as_str(), f)).collect();
    let public = |path: &str| functions.iter().any(|f| f.path == path && f.visibility == Some(Visibility::Public));
    let mut entries: Vec<String> = facts.iter().map(|f| f.function.clone()).filter(|p| p.starts_with("http ") || public(p)).collect();
    entries.extend(crons.iter().map(|c| format!("cron {}", c.name)));
    let mut result = Vec::new();
    for entry in entries {
        let mut writes: Vec<ReachedWrite> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        // Breadth first, so each table's path is a shortest one.
        let mut queue: VecDeque<(String, Vec<String>)> = VecDeque::from([(entry.clone(), vec![entry.clone()])]);
        while let Some((current, path)) = queue.pop_front() {
            if !seen.insert(current.clone()) {
                continue;
            }
            if let Some(facts) = by_path.get(current.as_str()) {
                for write in &facts.writes {
                    if let Some(table) = write.table.name() {
                        if !writes.iter().any(|w| w.table == table) {
                            writes.push(ReachedWrite { table: table.to_owned(), through: path.clone() });
                        }
                    }
                }
            }
            for edge in edges.iter().filter(|e| e.from == current && e.to != "?") {
                let mut next = path.clone();
                next.push(edge.to.clone());
                queue.push_back((edge.to.clone(), next));
            }
        }
        writes.sort_by(|a, b| a.table.cmp(&b.table));
        if !writes.is_empty() {
            result.push(Reach { from: entry, writes });
        }
    }
    result
}
