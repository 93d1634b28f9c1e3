//! The two function diagrams: the reactive graph (mutations → the tables they write → the queries
//! that read them, each read marked keyed or table-wide) and the call graph (functions, HTTP
//! routes, crons and components, joined by `ctx.run*`, the scheduler and triggers).

use std::collections::{BTreeMap, BTreeSet};

use convex_lens_engine::analyses::calls::EdgeKind;
use convex_lens_engine::analyses::reactivity::Effect;
use convex_lens_engine::facts::{Access, Keying};
use convex_lens_engine::findings::FindingKind;
use convex_lens_engine::{Analysis, FunctionKind, FunctionSpec, Location, Severity, Visibility};

use crate::layout::{place, Direction, LayoutGraph};
use crate::scene::{Edge, EdgeStyle, Node, NodeKind, Scene};
use crate::schema::sized_node;

/// Nodes and edges before layout.
#[derive(Default)]
struct Flow {
    nodes: Vec<Node>,
    index: BTreeMap<String, usize>,
    edges: Vec<(usize, usize, Edge)>,
}

impl Flow {
    fn node(&mut self, id: &str, make: impl FnOnce() -> Node) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        self.index.insert(id.to_string(), self.nodes.len());
        self.nodes.push(make());
        self.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, style: EdgeStyle, note: Option<String>, location: Option<Location>) {
        let edge = Edge {
            from: self.nodes[from].id.clone(),
            to: self.nodes[to].id.clone(),
            from_row: None,
            style,
            label: None,
            note,
            points: Vec::new(),
            location,
        };
        self.edges.push((from, to, edge));
    }

    fn into_scene(self, direction: Direction) -> Scene {
        let Flow { mut nodes, edges, .. } = self;
        let graph = LayoutGraph {
            sizes: nodes.iter().map(|n| (n.width, n.height)).collect(),
            edges: edges.iter().map(|&(a, b, _)| (a, b)).collect(),
            direction,
        };
        let placement = place(&graph);
        for (node, p) in nodes.iter_mut().zip(&placement.positions) {
            (node.x, node.y) = (p.x, p.y);
        }
        let edges = edges.into_iter().zip(placement.routes).map(|((_, _, edge), points)| Edge { points, ..edge }).collect();
        Scene { width: placement.width, height: placement.height, nodes, edges, groups: Vec::new() }
    }
}

fn function_kind(kind: FunctionKind) -> NodeKind {
    match kind {
        FunctionKind::Query => NodeKind::Query,
        FunctionKind::Mutation => NodeKind::Mutation,
        FunctionKind::Action => NodeKind::Action,
        FunctionKind::HttpAction => NodeKind::HttpAction,
    }
}

/// "public query", "internal mutation", "httpAction".
fn function_subtitle(function: &FunctionSpec) -> String {
    let kind = function_kind(function.kind).as_str();
    match function.visibility {
        Some(Visibility::Public) => format!("public {kind}"),
        Some(Visibility::Internal) => format!("internal {kind}"),
        None => kind.to_string(),
    }
}

fn function_node(function: &FunctionSpec) -> Node {
    sized_node(&function.path, function_kind(function.kind), Some(function_subtitle(function)), Vec::new(), Some(function.location.clone()))
}

fn table_node(analysis: &Analysis, table: &str) -> Node {
    let location = analysis.definitions.iter().find(|d| d.kind == convex_lens_engine::DefinitionKind::Table && d.name == table);
    sized_node(table, NodeKind::Table, None, Vec::new(), location.map(|d| d.location.clone()))
}

/// Mutations → tables → queries. A table→query edge is table-wide when some write to the table
/// re-runs every subscription of the query (the reactivity analysis's widest effect for the
/// pair), keyed otherwise; reads no mutation writes take the keying of the read itself.
pub fn reactivity_scene(analysis: &Analysis) -> Scene {
    let specs: BTreeMap<&str, &FunctionSpec> = convex_lens_engine::order::map(analysis.functions.iter().map(|f| (f.path.as_str(), f)));
    let mut widest: BTreeMap<(&str, &str), Effect> = BTreeMap::new();
    for invalidation in &analysis.analyses.reactivity.edges {
        for reason in &invalidation.reasons {
            let effect = widest.entry((invalidation.query.as_str(), reason.table.as_str())).or_insert(reason.effect);
            *effect = (*effect).max(reason.effect);
        }
    }
    let mut flow = Flow::default();
    for facts in analysis.facts.iter().filter(|f| f.kind == FunctionKind::Mutation) {
        let Some(spec) = specs.get(facts.function.as_str()) else { continue };
        let tables: BTreeSet<&str> = convex_lens_engine::order::set(facts.writes.iter().filter_map(|w| w.table.name()));
        for table in tables {
            let m = flow.node(&facts.function, || function_node(spec));
            let t = flow.node(table, || table_node(analysis, table));
            flow.edge(m, t, EdgeStyle::Write, Some(format!("{} writes {table}", facts.function)), None);
        }
    }
    for facts in analysis.facts.iter().filter(|f| f.kind == FunctionKind::Query) {
        let Some(spec) = specs.get(facts.function.as_str()) else { continue };
        let mut reads: BTreeMap<&str, Effect> = BTreeMap::new();
        for read in &facts.reads {
            let Some(table) = read.table.name() else { continue };
            let effect = widest.get(&(facts.function.as_str(), table)).copied().unwrap_or_else(|| read_effect(&read.access));
            let entry = reads.entry(table).or_insert(effect);
            *entry = (*entry).max(effect);
        }
        for (table, effect) in reads {
            let t = flow.node(table, || table_node(analysis, table));
            let q = flow.node(&facts.function, || function_node(spec));
            let (style, how) = match effect {
                Effect::Keyed => (EdgeStyle::Keyed, "only the subscriptions whose key is written re-run"),
                Effect::TableWide => (EdgeStyle::TableWide, "every subscription re-runs on any write"),
            };
            flow.edge(t, q, style, Some(format!("{} reads {table}: {how}", facts.function)), None);
        }
    }
    mark_findings(analysis, &mut flow, &[FindingKind::HotDocument]);
    flow.into_scene(Direction::LeftToRight)
}

/// Marks the nodes the engine's problems (errors and warnings) of the given kinds are about, with
/// the problem in words: the diagram shows the findings, it does not judge anything itself.
fn mark_findings(analysis: &Analysis, flow: &mut Flow, kinds: &[FindingKind]) {
    for finding in analysis.findings.iter().filter(|f| f.severity <= Severity::Warning && kinds.contains(&f.kind)) {
        for subject in &finding.subjects {
            if let Some(&n) = flow.index.get(subject) {
                flow.nodes[n].warning.get_or_insert_with(|| finding.message.replace('`', ""));
            }
        }
    }
}

fn read_effect(access: &Access) -> Effect {
    match access.keying() {
        None | Some(Keying::Constant(_) | Keying::Varying(_)) => Effect::Keyed,
        Some(Keying::Unkeyed | Keying::UnknownIndex) => Effect::TableWide,
    }
}

/// Functions, routes, crons and components, with every call between them. Public functions and
/// routes the engine finds writing with no check of the caller carry its warning.
pub fn call_scene(analysis: &Analysis) -> Scene {
    let mut flow = Flow::default();
    for function in &analysis.functions {
        flow.node(&function.path, || function_node(function));
    }
    // A route whose handler is an exported HTTP action is drawn running it; the calls the
    // handler makes are drawn from the function, not a second time from the route.
    let mut routed = BTreeSet::new();
    for route in &analysis.http_routes {
        let id = format!("http {} {}", route.method, route.path);
        let r = flow.node(&id, || sized_node(&id, NodeKind::Route, None, Vec::new(), Some(route.location.clone())));
        let handler = analysis.functions.iter().find(|f| Some(&f.location) == route.handler.as_ref() || f.handler == route.handler);
        if let Some(handler) = handler.filter(|_| route.handler.is_some()) {
            let h = flow.index[&handler.path];
            flow.edge(r, h, EdgeStyle::Trigger, Some(format!("{id} runs {}", handler.path)), Some(route.location.clone()));
            routed.insert(id);
        }
    }
    for job in &analysis.crons {
        let id = format!("cron {}", job.name);
        flow.node(&id, || sized_node(&id, NodeKind::Cron, None, Vec::new(), Some(job.location.clone())));
    }
    for edge in analysis.analyses.call_graph.edges.iter().filter(|e| !routed.contains(&e.from)) {
        let from = flow.node(&edge.from, || sized_node(&edge.from, NodeKind::Unknown, None, Vec::new(), None));
        let to = flow.node(&edge.to, || target_node(&edge.to));
        let style = match (edge.kind, &edge.problem) {
            (_, Some(_)) => EdgeStyle::Problem,
            (EdgeKind::RunAfter | EdgeKind::RunAt | EdgeKind::Step, _) => EdgeStyle::Schedule,
            (EdgeKind::Cron, _) => EdgeStyle::Trigger,
            _ => EdgeStyle::Call,
        };
        let mut note = format!("{} —{}→ {}", edge.from, edge.kind.as_str(), edge.to);
        if edge.in_loop {
            note.push_str(", once per element");
        }
        if let Some(problem) = &edge.problem {
            note = format!("{note}: {problem}");
        }
        flow.edge(from, to, style, Some(note), Some(edge.location.clone()));
    }
    mark_findings(analysis, &mut flow, &[FindingKind::UnauthenticatedWrite]);
    flow.into_scene(Direction::LeftToRight)
}

/// A call's target that is not a registered function: a component's function or an unknown.
fn target_node(id: &str) -> Node {
    let kind = if id.starts_with("component ") { NodeKind::Component } else { NodeKind::Unknown };
    let title = if id == "?" { "? (not known statically)" } else { id };
    let mut node = sized_node(title, kind, None, Vec::new(), None);
    node.id = id.to_string();
    node
}
