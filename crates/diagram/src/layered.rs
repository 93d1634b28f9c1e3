//! The layered layout of one connected part: node centres and edge routes, by dagre.
//!
//! Two builds of the same algorithm, chosen by feature. Natively (the CLI, the tests) it is the
//! Rust `dagre` crate. In the browser (feature `js-layout`, which `cargo xtask build` turns on for
//! the playground's and the widget's workers) it is dagre.js, imported from `./dagre-layout.js`
//! beside the wasm glue (`www/layout/dagre-layout.js`, bundled by esbuild): 15 KiB brotli against
//! the crate's 56 to 71 KiB of wasm, which is what lets the widget's first view fit its budget.
//! The crate is a port of dagre.js and draws its pictures (ARCHITECTURE.md, "Diagram layout").

use crate::layout::{Direction, LayoutGraph};
use crate::scene::Point;

#[cfg(not(any(feature = "dagre", feature = "js-layout")))]
compile_error!(
    "convex-lens-diagram needs a layered layout: feature `dagre` (native) or `js-layout` (browser)"
);

/// dagre's spacing, the same in both builds: between nodes of a rank, between ranks, between
/// edges.
const NODE_SEP: f64 = 28.0;
const RANK_SEP: f64 = 72.0;
const EDGE_SEP: f64 = 12.0;

/// Where dagre put each node (its centre) and the route of each edge.
pub struct Layers {
    pub centres: Vec<Point>,
    pub routes: Vec<Vec<Point>>,
}

#[cfg(feature = "js-layout")]
fn rankdir(direction: Direction) -> &'static str {
    match direction {
        Direction::LeftToRight => "LR",
        Direction::TopToBottom => "TB",
    }
}

/// Lays out `nodes` of `graph` joined by its `edges` (each `from` ranked before `to`; several
/// edges may join the same pair), in that order. dagre knows each node and edge by its index in
/// `graph`, as text: its tie-breaks follow those names, so the same names give the same picture.
#[cfg(feature = "js-layout")]
pub fn lay_out(graph: &LayoutGraph, nodes: &[usize], edges: &[usize]) -> Layers {
    let flat_nodes: Vec<f64> = nodes
        .iter()
        .flat_map(|&n| [n as f64, graph.sizes[n].0, graph.sizes[n].1])
        .collect();
    let flat_edges: Vec<u32> = edges
        .iter()
        .flat_map(|&e| [e as u32, graph.edges[e].0 as u32, graph.edges[e].1 as u32])
        .collect();
    let flat = js::lay_out_layers(
        rankdir(graph.direction),
        NODE_SEP,
        RANK_SEP,
        EDGE_SEP,
        &flat_nodes,
        &flat_edges,
    );
    unflatten(&flat, nodes.len(), edges.len())
}

/// Reads [`js::lay_out_layers`]'s answer: each centre's x and y, then each route as its number
/// of points and their x and y. What is missing reads as the origin, an empty route.
#[cfg(any(feature = "js-layout", test))]
fn unflatten(flat: &[f64], nodes: usize, edges: usize) -> Layers {
    let mut rest = flat;
    let mut take = |count: usize| {
        let (taken, left) = rest.split_at(count.min(rest.len()));
        rest = left;
        taken
    };
    let point = |xy: &[f64]| Point {
        x: xy.first().copied().unwrap_or(0.0),
        y: xy.get(1).copied().unwrap_or(0.0),
    };
    let centres = (0..nodes).map(|_| point(take(2))).collect();
    let routes = (0..edges)
        .map(|_| {
            let count = take(1).first().copied().unwrap_or(0.0) as usize;
            take(count.saturating_mul(2)).chunks(2).map(point).collect()
        })
        .collect();
    Layers { centres, routes }
}

#[cfg(feature = "js-layout")]
mod js {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen(raw_module = "./dagre-layout.js")]
    extern "C" {
        /// `www/layout/dagre-layout.js`: nodes as name, width, height; edges as name, from,
        /// to; answers as [`super::unflatten`] reads.
        #[wasm_bindgen(js_name = layOutLayers)]
        pub fn lay_out_layers(
            rankdir: &str,
            nodesep: f64,
            ranksep: f64,
            edgesep: f64,
            nodes: &[f64],
            edges: &[u32],
        ) -> Vec<f64>;
    }
}

#[cfg(all(feature = "dagre", not(feature = "js-layout")))]
pub fn lay_out(graph: &LayoutGraph, nodes: &[usize], edges: &[usize]) -> Layers {
    use dagre::graph::{Graph, GraphOptions};
    use dagre::{EdgeLabel, LayoutOptions, NodeLabel, RankDir};

    let mut g: Graph<NodeLabel, EdgeLabel> = Graph::with_options(GraphOptions {
        directed: true,
        multigraph: true,
        compound: false,
    });
    for &n in nodes {
        let (width, height) = graph.sizes[n];
        g.set_node(
            n.to_string(),
            Some(NodeLabel {
                width,
                height,
                ..NodeLabel::default()
            }),
        );
    }
    for &e in edges {
        let (a, b) = graph.edges[e];
        g.set_edge(
            a.to_string(),
            b.to_string(),
            Some(EdgeLabel::default()),
            Some(&e.to_string()),
        );
    }
    let rankdir = match graph.direction {
        Direction::LeftToRight => RankDir::LR,
        Direction::TopToBottom => RankDir::TB,
    };
    let options = LayoutOptions {
        rankdir,
        nodesep: NODE_SEP,
        ranksep: RANK_SEP,
        edgesep: EDGE_SEP,
        ..LayoutOptions::default()
    };
    dagre::layout(&mut g, Some(options));
    let centres = nodes
        .iter()
        .map(|n| {
            let label = g.node(&n.to_string()).expect("a laid-out node");
            Point {
                x: label.x.unwrap_or(0.0),
                y: label.y.unwrap_or(0.0),
            }
        })
        .collect();
    let routes = edges
        .iter()
        .map(|&e| {
            let (a, b) = graph.edges[e];
            let label = g.edge(&a.to_string(), &b.to_string(), Some(&e.to_string()));
            label
                .map(|l| l.points.iter().map(|p| Point { x: p.x, y: p.y }).collect())
                .unwrap_or_default()
        })
        .collect();
    Layers { centres, routes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_javascript_answer_is_read_as_centres_then_counted_routes() {
        let layers = unflatten(&[1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 2.0, 3.0, 4.0, 0.0], 2, 2);
        let xy = |p: &Point| (p.x, p.y);
        assert_eq!(
            layers.centres.iter().map(xy).collect::<Vec<_>>(),
            [(1.0, 2.0), (3.0, 4.0)]
        );
        assert_eq!(
            layers.routes[0].iter().map(xy).collect::<Vec<_>>(),
            [(1.0, 2.0), (3.0, 4.0)]
        );
        assert!(layers.routes[1].is_empty());
    }

    #[test]
    fn a_short_answer_reads_as_origins_and_empty_routes_not_a_panic() {
        let layers = unflatten(&[5.0], 2, 1);
        assert_eq!(
            (
                layers.centres[0].x,
                layers.centres[0].y,
                layers.centres[1].x
            ),
            (5.0, 0.0, 0.0)
        );
        assert!(layers.routes[0].is_empty());
    }

    #[test]
    fn a_route_longer_than_the_answer_takes_what_there_is() {
        let layers = unflatten(&[0.0, 0.0, 1e12, 7.0, 8.0], 1, 1);
        assert_eq!(layers.routes[0].len(), 1);
    }
}
