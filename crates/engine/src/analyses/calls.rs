//! The call graph: functions, HTTP routes and cron jobs, and what each calls (`ctx.runQuery`,
//! `runMutation`, `runAction`, the scheduler, a cron's target, components), and from each entry
//! point a client or the outside world can reach (public functions, routes, crons), the tables
//! it can end up writing, and those it writes with no check of the caller's identity on the way.

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
    pub kind: EdgeKind,
    /// The target is not registered, is of a kind the call cannot run, or is named through the
    /// wrong one of `api` and `internal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    pub location: Location,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_loop: bool,
}

/// How an edge calls: one of the `ctx` calls, or a cron job running its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EdgeKind {
    RunQuery,
    RunMutation,
    RunAction,
    RunAfter,
    RunAt,
    Cron,
}

impl EdgeKind {
    /// As the source writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::RunQuery => "runQuery",
            EdgeKind::RunMutation => "runMutation",
            EdgeKind::RunAction => "runAction",
            EdgeKind::RunAfter => "runAfter",
            EdgeKind::RunAt => "runAt",
            EdgeKind::Cron => "cron",
        }
    }

    /// The kinds of function this call can run.
    fn runs(self) -> &'static [FunctionKind] {
        match self {
            EdgeKind::RunQuery => &[FunctionKind::Query],
            EdgeKind::RunMutation => &[FunctionKind::Mutation],
            EdgeKind::RunAction => &[FunctionKind::Action],
            EdgeKind::RunAfter | EdgeKind::RunAt | EdgeKind::Cron => &[FunctionKind::Mutation, FunctionKind::Action],
        }
    }
}

impl From<CallKind> for EdgeKind {
    fn from(kind: CallKind) -> Self {
        match kind {
            CallKind::RunQuery => EdgeKind::RunQuery,
            CallKind::RunMutation => EdgeKind::RunMutation,
            CallKind::RunAction => EdgeKind::RunAction,
            CallKind::RunAfter => EdgeKind::RunAfter,
            CallKind::RunAt => EdgeKind::RunAt,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    pub from: String,
    /// Written tables, each with the first call path that leads to the write.
    pub writes: Vec<ReachedWrite>,
    /// For a public function or a route: the tables written along a call path on which no
    /// function calls `ctx.auth.getUserIdentity()` (itself or in a helper), each with the first
    /// such path. A check anywhere in a function counts for all of its writes: whether it
    /// rejects the caller is the code's, which the facts do not judge.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unauthenticated: Vec<ReachedWrite>,
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
            let kind = EdgeKind::from(call.kind);
            let (to, problem) = match &call.target {
                CallTarget::Function { path, via_internal } => (path.clone(), target_problem(&by_path, path, Some(*via_internal), kind)),
                CallTarget::Component { component, path } => (format!("component {component} {path}"), None),
                CallTarget::Unknown { .. } => ("?".to_owned(), None),
            };
            edges.push(CallEdge {
                from: function.function.clone(),
                to,
                kind,
                problem,
                location: call.site.location.clone(),
                in_loop: call.site.in_loop,
            });
        }
    }
    for job in crons {
        let to = job.function.clone().unwrap_or_else(|| "?".into());
        let problem = if to == "?" { None } else { target_problem(&by_path, &to, None, EdgeKind::Cron) };
        let location = job.location.clone();
        edges.push(CallEdge { from: format!("cron {}", job.name), to, kind: EdgeKind::Cron, problem, location, in_loop: false });
    }
    let reach = reach(facts, &by_path, &edges, crons);
    CallGraph { edges, reach }
}

/// What is wrong with how a call names its target, if anything. `via_internal` is whether the
/// call names it through `internal` (crons name a function by path, so neither applies).
fn target_problem(by_path: &BTreeMap<&str, &FunctionSpec>, path: &str, via_internal: Option<bool>, kind: EdgeKind) -> Option<String> {
    let Some(target) = by_path.get(path) else {
        return Some(format!("no function `{path}` is registered"));
    };
    if !kind.runs().contains(&target.kind) {
        let caller = if kind == EdgeKind::Cron { "a cron job" } else { "this call" };
        return Some(format!("`{path}` is {}, which {caller} cannot run", kind_name(target.kind)));
    }
    // `api` and `internal` are the same object at run time; TypeScript tells them apart.
    match (via_internal?, target.visibility) {
        (true, Some(Visibility::Public)) => Some(format!("`{path}` is public but is named through `internal`")),
        (false, Some(Visibility::Internal)) => Some(format!("`{path}` is internal but is named through `api`")),
        _ => None,
    }
}

fn kind_name(kind: FunctionKind) -> &'static str {
    match kind {
        FunctionKind::Query => "a query",
        FunctionKind::Mutation => "a mutation",
        FunctionKind::Action => "an action",
        FunctionKind::HttpAction => "an HTTP action",
    }
}

/// From every public function, route and cron, the tables written along the calls it makes.
fn reach(
    facts: &[FunctionFacts],
    functions: &BTreeMap<&str, &FunctionSpec>,
    edges: &[CallEdge],
    crons: &[crate::app::CronJob],
) -> Vec<Reach> {
    let facts_by_path: BTreeMap<&str, &FunctionFacts> = facts.iter().map(|f| (f.function.as_str(), f)).collect();
    let mut callees: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for edge in edges.iter().filter(|e| e.to != "?") {
        callees.entry(edge.from.as_str()).or_default().push(edge.to.as_str());
    }
    let public = |path: &str| functions.get(path).is_some_and(|f| f.visibility == Some(Visibility::Public));
    let mut entries: Vec<String> = facts.iter().map(|f| f.function.clone()).filter(|p| p.starts_with("http ") || public(p)).collect();
    entries.extend(crons.iter().map(|c| format!("cron {}", c.name)));
    let checks_identity = |path: &str| facts_by_path.get(path).is_some_and(|f| !f.auth.is_empty());
    let mut result = Vec::new();
    for entry in entries {
        let writes = writes_from(&entry, &facts_by_path, &callees, |_| true);
        if writes.is_empty() {
            continue;
        }
        let called_by_clients = !entry.starts_with("cron ");
        let unauthenticated = if called_by_clients { writes_from(&entry, &facts_by_path, &callees, |f| !checks_identity(f)) } else { Vec::new() };
        result.push(Reach { from: entry, writes, unauthenticated });
    }
    result
}

/// The tables written from `entry` through the functions `enters` lets the walk into (`entry`
/// included), each with a shortest call path to the write, by table.
fn writes_from(
    entry: &str,
    facts_by_path: &BTreeMap<&str, &FunctionFacts>,
    callees: &BTreeMap<&str, Vec<&str>>,
    enters: impl Fn(&str) -> bool,
) -> Vec<ReachedWrite> {
    let mut writes: Vec<ReachedWrite> = Vec::new();
    if !enters(entry) {
        return writes;
    }
    let mut seen: BTreeSet<&str> = BTreeSet::from([entry]);
    // Breadth first, so each table's path is a shortest one.
    let mut queue: VecDeque<(&str, Vec<String>)> = VecDeque::from([(entry, vec![entry.to_owned()])]);
    while let Some((current, path)) = queue.pop_front() {
        if let Some(facts) = facts_by_path.get(current) {
            for write in &facts.writes {
                if let Some(table) = write.table.name() {
                    if !writes.iter().any(|w| w.table == table) {
                        writes.push(ReachedWrite { table: table.to_owned(), through: path.clone() });
                    }
                }
            }
        }
        for &callee in callees.get(current).into_iter().flatten() {
            if enters(callee) && seen.insert(callee) {
                let mut next = path.clone();
                next.push(callee.to_owned());
                queue.push_back((callee, next));
            }
        }
    }
    writes.sort_by(|a, b| a.table.cmp(&b.table));
    writes
}
