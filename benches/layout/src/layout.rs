//! The Rust `dagre` crate behind the benchmark's runner protocol, shared by the native binary
//! (`dagre-layout`, which includes this file) and the wasm module that Node loads (`lib.rs`): a
//! request holds graphs (one per connected component when the harness packs them, else the
//! whole schema) and the options; the answer holds one layout per graph, nodes by their
//! top-left corner, edges as routed.

// The size baseline (no `layout` feature) reads the options it is given but lays nothing out.
#![cfg_attr(not(feature = "layout"), allow(dead_code))]

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct Request {
    pub graphs: Vec<Graph>,
    pub options: Options,
}

#[derive(Deserialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Deserialize)]
pub struct Node {
    pub id: String,
    pub width: f64,
    pub height: f64,
}

#[derive(Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub field: String,
}

/// The settings every library gets (the harness passes the same numbers to each).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    /// `"LR"` or `"TB"`.
    pub rankdir: String,
    pub node_sep: f64,
    pub rank_sep: f64,
    pub edge_sep: f64,
}

#[derive(Serialize, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<RoutedEdge>,
}

#[derive(Serialize)]
pub struct PlacedNode {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Serialize)]
pub struct RoutedEdge {
    pub source: String,
    pub target: String,
    pub field: String,
    pub points: Vec<[f64; 2]>,
}

/// Lays out every graph of the request, in order.
pub fn lay_out_all(request: &Request) -> Vec<Layout> {
    request.graphs.iter().map(|graph| lay_out(graph, &request.options)).collect()
}

#[cfg(feature = "layout")]
pub fn lay_out(graph: &Graph, options: &Options) -> Layout {
    use dagre::graph::{Graph as DagreGraph, GraphOptions};
    use dagre::{EdgeLabel, GraphLabel, LayoutOptions, NodeLabel, RankDir};

    let mut g: DagreGraph<NodeLabel, EdgeLabel> =
        DagreGraph::with_options(GraphOptions { directed: true, multigraph: true, compound: false });
    for node in &graph.nodes {
        let label = NodeLabel { width: node.width, height: node.height, ..NodeLabel::default() };
        g.set_node(node.id.clone(), Some(label));
    }
    for edge in &graph.edges {
        g.set_edge(&edge.source, &edge.target, Some(EdgeLabel::default()), Some(&edge.field));
    }
    let rankdir = if options.rankdir == "TB" { RankDir::TB } else { RankDir::LR };
    let layout_options = LayoutOptions {
        rankdir,
        nodesep: options.node_sep,
        ranksep: options.rank_sep,
        edgesep: options.edge_sep,
        ..LayoutOptions::default()
    };
    dagre::layout(&mut g, Some(layout_options));

    let (width, height) = g.graph_label::<GraphLabel>().map_or((0.0, 0.0), |label| (label.width, label.height));
    let nodes = graph
        .nodes
        .iter()
        .map(|node| {
            let placed = g.node(&node.id).expect("every input node stays in the graph");
            let (cx, cy) = (placed.x.unwrap_or_default(), placed.y.unwrap_or_default());
            PlacedNode { id: node.id.clone(), x: cx - node.width / 2.0, y: cy - node.height / 2.0, width: node.width, height: node.height }
        })
        .collect();
    let edges = graph
        .edges
        .iter()
        .map(|edge| {
            let routed = g.edge(&edge.source, &edge.target, Some(&edge.field));
            let points = routed.map(|label| label.points.iter().map(|p| [p.x, p.y]).collect()).unwrap_or_default();
            RoutedEdge { source: edge.source.clone(), target: edge.target.clone(), field: edge.field.clone(), points }
        })
        .collect();
    Layout { width, height, nodes, edges }
}

/// The size baseline: the same JSON in and out, every node at the origin, every edge unrouted.
#[cfg(not(feature = "layout"))]
pub fn lay_out(graph: &Graph, _options: &Options) -> Layout {
    let nodes = graph
        .nodes
        .iter()
        .map(|node| PlacedNode { id: node.id.clone(), x: 0.0, y: 0.0, width: node.width, height: node.height })
        .collect();
    let edges = graph
        .edges
        .iter()
        .map(|edge| RoutedEdge { source: edge.source.clone(), target: edge.target.clone(), field: edge.field.clone(), points: Vec::new() })
        .collect();
    Layout { nodes, edges, ..Layout::default() }
}
