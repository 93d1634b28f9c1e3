//! The call graph: functions, HTTP routes and cron jobs, and what each calls (`ctx.runQuery`,
//! `runMutation`, `runAction`, the scheduler, a cron's target, components), and from each entry
//! point a client or the outside world can reach (public functions, routes, crons), the tables
//! it can end up writing, and those it writes with no check of the caller's identity on the way.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::Inputs;
use crate::app::FunctionSpec;
use crate::facts::{CallKind, CallTarget, FunctionFacts};
use crate::source::Location;
use crate::values::{FunctionKind, LibraryValue, Visibility};

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
    /// Why the call certainly fails: the target's module has no such export, or the target is
    /// of a kind the call cannot run. (`api` and `internal` are the same references at run time:
    /// naming a function through the other one is a matter of types, not a failure.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Why whether the target exists could not be verified: its module is not among the files,
    /// or the export is a value convex-lens could not evaluate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<Unverified>,
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
    /// A step of a workflow, run later by the workflow component.
    Step,
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
            EdgeKind::Step => "step",
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
            EdgeKind::Step => &[FunctionKind::Query, FunctionKind::Mutation, FunctionKind::Action],
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
            CallKind::Step => EdgeKind::Step,
        }
    }
}

/// What convex-lens could not see that a conclusion would rest on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unverified {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<LibraryValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    pub from: String,
    /// Written tables, each with the first call path that leads to the write.
    pub writes: Vec<ReachedWrite>,
    /// For a public function or a route: the tables written along a call path on which no
    /// function checks the caller (`ctx.auth.getUserIdentity()`, `getAuthUserId`, a comparison
    /// with a secret, itself or in a helper) before its first write, each with the first such
    /// path. Whether a check rejects the caller is the code's, which the facts do not judge.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unauthenticated: Vec<ReachedWrite>,
    /// Writes of such paths on which a function hands `ctx` to code convex-lens cannot read
    /// before it writes: that code may check the caller, so no conclusion is drawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unverified: Vec<UnverifiedWrite>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnverifiedWrite {
    pub write: ReachedWrite,
    /// The call that may check the caller (`getAuthUser`), in which function, and why it cannot
    /// be read.
    pub callee: String,
    pub function: String,
    pub location: Location,
    pub cause: Unverified,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReachedWrite {
    pub table: String,
    /// The functions on the way, from the entry point to the one that writes.
    pub through: Vec<String>,
}

pub fn analyze(inputs: &Inputs) -> CallGraph {
    let (facts, functions, crons) = (inputs.facts, inputs.functions, inputs.crons);
    let by_path: BTreeMap<&str, &FunctionSpec> = crate::order::map(functions.iter().map(|f| (f.path.as_str(), f)));
    let targets = Targets { by_path: &by_path, inputs };
    let mut edges = Vec::new();
    for function in facts {
        for call in &function.calls {
            let kind = EdgeKind::from(call.kind);
            let (to, check) = match &call.target {
                CallTarget::Function { path, .. } => (path.clone(), targets.check(path, kind)),
                CallTarget::Component { component, path } => (format!("component {component} {path}"), TargetCheck::Fine),
                CallTarget::Unknown { .. } => ("?".to_owned(), TargetCheck::Fine),
            };
            let (problem, unverified) = check.split();
            edges.push(CallEdge {
                from: function.function.clone(),
                to,
                kind,
                problem,
                unverified,
                location: call.site.location.clone(),
                in_loop: call.site.in_loop,
            });
        }
    }
    for job in crons {
        let to = job.function.clone().unwrap_or_else(|| "?".into());
        let check = if to == "?" { TargetCheck::Fine } else { targets.check(&to, EdgeKind::Cron) };
        let (problem, unverified) = check.split();
        let location = job.location.clone();
        edges.push(CallEdge { from: format!("cron {}", job.name), to, kind: EdgeKind::Cron, problem, unverified, location, in_loop: false });
    }
    let reach = reach(facts, &by_path, &edges, crons);
    CallGraph { edges, reach }
}

/// What the model says of a call's target.
enum TargetCheck {
    Fine,
    Fails(String),
    Unverified(Unverified),
}

impl TargetCheck {
    fn split(self) -> (Option<String>, Option<Unverified>) {
        match self {
            TargetCheck::Fine => (None, None),
            TargetCheck::Fails(problem) => (Some(problem), None),
            TargetCheck::Unverified(unverified) => (None, Some(unverified)),
        }
    }
}

/// The functions a call may name, and what the model lacks of them.
struct Targets<'a> {
    by_path: &'a BTreeMap<&'a str, &'a FunctionSpec>,
    inputs: &'a Inputs<'a>,
}

impl Targets<'_> {
    /// Whether a call of `kind` can run the function at `path`. A function the model lacks
    /// certainly fails only when its module is among the files and exports no such name.
    fn check(&self, path: &str, kind: EdgeKind) -> TargetCheck {
        let Some(target) = self.by_path.get(path) else {
            if let Some(opaque) = self.inputs.opaque_exports.iter().find(|o| o.path == path) {
                return TargetCheck::Unverified(Unverified { reason: format!("`{path}` could not be evaluated: {}", opaque.reason), library: opaque.library.clone() });
            }
            let module = path.split_once(':').map_or(path, |(module, _)| module);
            if !self.inputs.modules.iter().any(|m| m == module) {
                return TargetCheck::Unverified(Unverified { reason: format!("the module `{module}` is not among the files analysed"), library: None });
            }
            let name = path.split_once(':').map_or("default", |(_, name)| name);
            return TargetCheck::Fails(format!("no function `{path}` is registered: `{module}` exports no `{name}`"));
        };
        if !kind.runs().contains(&target.kind) {
            let caller = if kind == EdgeKind::Cron { "a cron job" } else { "this call" };
            return TargetCheck::Fails(format!("`{path}` is {}, which {caller} cannot run", kind_name(target.kind)));
        }
        TargetCheck::Fine
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
    let facts_by_path: BTreeMap<&str, &FunctionFacts> = crate::order::map(facts.iter().map(|f| (f.function.as_str(), f)));
    let mut callees: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for edge in edges.iter().filter(|e| e.to != "?") {
        callees.entry(edge.from.as_str()).or_default().push(edge.to.as_str());
    }
    let public = |path: &str| functions.get(path).is_some_and(|f| f.visibility == Some(Visibility::Public));
    let mut entries: Vec<String> = facts.iter().map(|f| f.function.clone()).filter(|p| p.starts_with("http ") || public(p)).collect();
    entries.extend(crons.iter().map(|c| format!("cron {}", c.name)));
    let access = super::access::Access::new(facts);
    let mut result = Vec::new();
    for entry in entries {
        let writes = writes_from(&entry, &facts_by_path, &callees);
        if writes.is_empty() {
            continue;
        }
        // A cron job is the app's own: no caller to check.
        let (unauthenticated, unverified) = if entry.starts_with("cron ") { (Vec::new(), Vec::new()) } else { access.unchecked(&entry) };
        result.push(Reach { from: entry, writes, unauthenticated, unverified });
    }
    result
}

/// The tables written from `entry` (itself or through what it calls), each with a shortest call
/// path to the write, by table.
fn writes_from(entry: &str, facts_by_path: &BTreeMap<&str, &FunctionFacts>, callees: &BTreeMap<&str, Vec<&str>>) -> Vec<ReachedWrite> {
    let mut writes: Vec<ReachedWrite> = Vec::new();
    let mut seen: BTreeSet<&str> = crate::order::set([entry]);
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
            if seen.insert(callee) {
                let mut next = path.clone();
                next.push(callee.to_owned());
                queue.push_back((callee, next));
            }
        }
    }
    crate::order::sort_by(&mut writes, |a, b| a.table.cmp(&b.table));
    writes
}
