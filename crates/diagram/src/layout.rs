//! Node positions and edge routes. Each connected part of the graph is laid out by dagre (layered,
//! crossings minimised, edges routed around nodes: `layered`); the parts are then packed into rows.
//!
//! The packing is ours because dagre has none: it puts every part side by side in one row of
//! ranks, so that tables without relations make one column as tall as all of them together, the
//! complaint users of diagram tools make most (see ARCHITECTURE.md, "Diagram layout").

use crate::scene::Point;

/// Space between packed parts, and around the whole diagram.
const GAP: f64 = 48.0;
/// The packed diagram aims at this width / height: a little wider than tall, like a screen.
const ASPECT: f64 = 1.6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    TopToBottom,
}

pub struct LayoutGraph {
    /// Width and height of each node.
    pub sizes: Vec<(f64, f64)>,
    /// `(from, to)`: dagre ranks `from` before `to`.
    pub edges: Vec<(usize, usize)>,
    pub direction: Direction,
}

pub struct Placement {
    /// Top-left corner of each node.
    pub positions: Vec<Point>,
    /// The route of each edge, from `from` to `to`.
    pub routes: Vec<Vec<Point>>,
    pub width: f64,
    pub height: f64,
}

/// A laid-out connected part, with its origin at (0, 0).
struct Part {
    nodes: Vec<usize>,
    edges: Vec<usize>,
    positions: Vec<Point>,
    routes: Vec<Vec<Point>>,
    width: f64,
    height: f64,
}

pub fn place(graph: &LayoutGraph) -> Placement {
    let parts: Vec<Part> = connected_parts(graph).into_iter().map(|(nodes, edges)| lay_out(graph, nodes, edges)).collect();
    pack(graph, parts)
}

/// Height of a group frame's title band.
pub const GROUP_HEADER: f64 = 28.0;
const GROUP_PADDING: f64 = 16.0;

/// A frame around the nodes of one group, top-left corner and size.
pub struct Frame {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Lays out each group (`group_of[node]`) on its own, frames it, and packs the frames. Edges
/// between groups are not routed by dagre (it has no frames to route around): they get a
/// straight three-point route from the border of `from` facing `to` to the centre of `to`, and
/// are drawn beneath the nodes.
pub fn place_grouped(graph: &LayoutGraph, group_of: &[usize], groups: usize) -> (Placement, Vec<Frame>) {
    let mut inner = Vec::new();
    for group in 0..groups {
        let nodes: Vec<usize> = (0..graph.sizes.len()).filter(|&n| group_of[n] == group).collect();
        let local: std::collections::BTreeMap<usize, usize> = convex_lens_engine::order::map(nodes.iter().enumerate().map(|(i, &n)| (n, i)));
        let edges: Vec<usize> =
            (0..graph.edges.len()).filter(|&e| group_of[graph.edges[e].0] == group && group_of[graph.edges[e].1] == group).collect();
        let sub = LayoutGraph {
            sizes: nodes.iter().map(|&n| graph.sizes[n]).collect(),
            edges: edges.iter().map(|&e| (local[&graph.edges[e].0], local[&graph.edges[e].1])).collect(),
            direction: graph.direction,
        };
        let placed = place(&sub);
        // As a part of the outer packing: its frame, with the placement inside it.
        let positions = placed.positions.iter().map(|p| Point { x: p.x - GAP + GROUP_PADDING, y: p.y - GAP + GROUP_HEADER }).collect();
        let routes = placed
            .routes
            .into_iter()
            .map(|r| r.into_iter().map(|p| Point { x: p.x - GAP + GROUP_PADDING, y: p.y - GAP + GROUP_HEADER }).collect())
            .collect();
        let (width, height) = (placed.width - 2.0 * GAP + 2.0 * GROUP_PADDING, placed.height - 2.0 * GAP + GROUP_HEADER + GROUP_PADDING);
        inner.push(Part { nodes, edges, positions, routes, width, height });
    }
    let sizes: Vec<(f64, f64)> = inner.iter().map(|p| (p.width, p.height)).collect();
    let frames_graph = LayoutGraph { sizes: sizes.clone(), edges: Vec::new(), direction: graph.direction };
    let framed = place(&frames_graph);
    let mut positions = vec![Point { x: 0.0, y: 0.0 }; graph.sizes.len()];
    let mut routes = vec![Vec::new(); graph.edges.len()];
    let mut frames = Vec::new();
    for (part, origin) in inner.into_iter().zip(&framed.positions) {
        for (&n, p) in part.nodes.iter().zip(&part.positions) {
            positions[n] = Point { x: p.x + origin.x, y: p.y + origin.y };
        }
        for (&e, route) in part.edges.iter().zip(part.routes) {
            routes[e] = route.into_iter().map(|p| Point { x: p.x + origin.x, y: p.y + origin.y }).collect();
        }
        frames.push(Frame { x: origin.x, y: origin.y, width: part.width, height: part.height });
    }
    for (e, &(a, b)) in graph.edges.iter().enumerate() {
        if group_of[a] != group_of[b] {
            routes[e] = straight_route(positions[a], graph.sizes[a], positions[b], graph.sizes[b]);
        }
    }
    (Placement { positions, routes, width: framed.width, height: framed.height }, frames)
}

/// From the side of box `a` facing `b` to the centre of `b`, through the middle.
fn straight_route(a: Point, (aw, ah): (f64, f64), b: Point, (bw, bh): (f64, f64)) -> Vec<Point> {
    let (bx, by) = (b.x + bw / 2.0, b.y + bh / 2.0);
    let start = if bx >= a.x + aw / 2.0 { Point { x: a.x + aw, y: a.y + ah / 2.0 } } else { Point { x: a.x, y: a.y + ah / 2.0 } };
    let end = Point { x: bx, y: by };
    vec![start, Point { x: (start.x + end.x) / 2.0, y: (start.y + end.y) / 2.0 }, end]
}

/// The connected parts, each as its nodes and edges, in the order of their first node.
fn connected_parts(graph: &LayoutGraph) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut root: Vec<usize> = (0..graph.sizes.len()).collect();
    fn find(root: &mut [usize], mut n: usize) -> usize {
        while root[n] != n {
            root[n] = root[root[n]];
            n = root[n];
        }
        n
    }
    for &(a, b) in &graph.edges {
        let (ra, rb) = (find(&mut root, a), find(&mut root, b));
        root[ra.max(rb)] = ra.min(rb);
    }
    let mut parts: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut part_of = vec![usize::MAX; graph.sizes.len()];
    for node in 0..graph.sizes.len() {
        let r = find(&mut root, node);
        if part_of[r] == usize::MAX {
            part_of[r] = parts.len();
            parts.push((Vec::new(), Vec::new()));
        }
        parts[part_of[r]].0.push(node);
    }
    for (e, &(a, _)) in graph.edges.iter().enumerate() {
        let r = find(&mut root, a);
        parts[part_of[r]].1.push(e);
    }
    parts
}

fn lay_out(graph: &LayoutGraph, nodes: Vec<usize>, edges: Vec<usize>) -> Part {
    if edges.is_empty() && nodes.len() == 1 {
        let (width, height) = graph.sizes[nodes[0]];
        return Part { nodes, edges, positions: vec![Point { x: 0.0, y: 0.0 }], routes: Vec::new(), width, height };
    }
    let layers = crate::layered::lay_out(graph, &nodes, &edges);
    let corner = |(&n, centre): (&usize, &Point)| Point { x: centre.x - graph.sizes[n].0 / 2.0, y: centre.y - graph.sizes[n].1 / 2.0 };
    let mut positions: Vec<Point> = nodes.iter().zip(&layers.centres).map(corner).collect();
    let mut routes = layers.routes;
    let (width, height) = normalise(&nodes, graph, &mut positions, &mut routes);
    Part { nodes, edges, positions, routes, width, height }
}

/// Moves a part so that its bounding box starts at (0, 0), and returns its size.
fn normalise(nodes: &[usize], graph: &LayoutGraph, positions: &mut [Point], routes: &mut [Vec<Point>]) -> (f64, f64) {
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (p, &n) in positions.iter().zip(nodes) {
        let (w, h) = graph.sizes[n];
        (min_x, min_y, max_x, max_y) = (min_x.min(p.x), min_y.min(p.y), max_x.max(p.x + w), max_y.max(p.y + h));
    }
    for p in routes.iter().flatten() {
        (min_x, min_y, max_x, max_y) = (min_x.min(p.x), min_y.min(p.y), max_x.max(p.x), max_y.max(p.y));
    }
    for p in positions.iter_mut().chain(routes.iter_mut().flatten()) {
        p.x -= min_x;
        p.y -= min_y;
    }
    (max_x - min_x, max_y - min_y)
}

/// Packs the parts into rows (largest first, so that the parts with relations come before the
/// lone tables), each row as wide as the target width allows.
fn pack(graph: &LayoutGraph, mut parts: Vec<Part>) -> Placement {
    convex_lens_engine::order::sort_by_key(&mut parts, |p| std::cmp::Reverse(p.nodes.len()));
    let area: f64 = parts.iter().map(|p| (p.width + GAP) * (p.height + GAP)).sum();
    let widest = parts.iter().map(|p| p.width).fold(0.0, f64::max);
    let row_width = widest.max((area * ASPECT).sqrt());
    let mut positions = vec![Point { x: 0.0, y: 0.0 }; graph.sizes.len()];
    let mut routes = vec![Vec::new(); graph.edges.len()];
    let (mut x, mut y, mut row_height, mut width) = (GAP, GAP, 0.0_f64, 0.0_f64);
    for part in parts {
        if x > GAP && x + part.width > row_width + GAP {
            (x, y, row_height) = (GAP, y + row_height + GAP, 0.0);
        }
        for (&n, p) in part.nodes.iter().zip(&part.positions) {
            positions[n] = Point { x: p.x + x, y: p.y + y };
        }
        for (&e, route) in part.edges.iter().zip(part.routes) {
            routes[e] = route.into_iter().map(|p| Point { x: p.x + x, y: p.y + y }).collect();
        }
        width = width.max(x + part.width);
        row_height = row_height.max(part.height);
        x += part.width + GAP;
    }
    Placement { positions, routes, width: width + GAP, height: y + row_height + GAP }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlaps(placement: &Placement, sizes: &[(f64, f64)]) -> bool {
        let boxes: Vec<_> = placement.positions.iter().zip(sizes).collect();
        boxes.iter().enumerate().any(|(i, (a, (aw, ah)))| {
            boxes[i + 1..].iter().any(|(b, (bw, bh))| a.x < b.x + bw && b.x < a.x + aw && a.y < b.y + bh && b.y < a.y + ah)
        })
    }

    #[test]
    fn lone_nodes_are_packed_into_rows_not_one_tall_column() {
        let sizes = vec![(120.0, 80.0); 30];
        let graph = LayoutGraph { sizes: sizes.clone(), edges: Vec::new(), direction: Direction::LeftToRight };
        let placement = place(&graph);
        assert!(!overlaps(&placement, &sizes));
        let aspect = placement.width / placement.height;
        assert!((0.8..3.0).contains(&aspect), "{} × {}", placement.width, placement.height);
    }

    #[test]
    fn related_nodes_are_ranked_along_the_direction_with_routes_between_them() {
        let sizes = vec![(100.0, 60.0), (100.0, 60.0), (100.0, 60.0), (80.0, 40.0)];
        let graph = LayoutGraph { sizes: sizes.clone(), edges: vec![(0, 1), (1, 2), (0, 2)], direction: Direction::LeftToRight };
        let placement = place(&graph);
        assert!(!overlaps(&placement, &sizes));
        let x = |n: usize| placement.positions[n].x;
        assert!(x(0) < x(1) && x(1) < x(2), "{:?}", placement.positions);
        assert!(placement.routes.iter().all(|r| r.len() >= 2), "{:?}", placement.routes);
        // Everything inside the diagram.
        let inside = |p: &Point| (0.0..=placement.width).contains(&p.x) && (0.0..=placement.height).contains(&p.y);
        assert!(placement.routes.iter().flatten().all(inside));
    }

    #[test]
    fn groups_are_framed_apart_and_edges_between_them_get_a_route() {
        let sizes = vec![(100.0, 60.0); 6];
        let graph = LayoutGraph { sizes: sizes.clone(), edges: vec![(0, 1), (2, 3), (1, 4)], direction: Direction::LeftToRight };
        let (placement, frames) = place_grouped(&graph, &[0, 0, 1, 1, 2, 2], 3);
        assert!(!overlaps(&placement, &sizes));
        assert_eq!(frames.len(), 3);
        let inside = |n: usize, f: &Frame| {
            let p = placement.positions[n];
            p.x >= f.x && p.y >= f.y + GROUP_HEADER && p.x + 100.0 <= f.x + f.width && p.y + 60.0 <= f.y + f.height
        };
        assert!([0, 1].iter().all(|&n| inside(n, &frames[0])) && [2, 3].iter().all(|&n| inside(n, &frames[1])));
        assert!(frames.iter().enumerate().all(|(i, a)| frames[i + 1..].iter().all(|b| a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y)));
        assert_eq!(placement.routes[2].len(), 3, "the edge between groups is routed");
    }

    #[test]
    fn a_self_reference_gets_a_route() {
        let sizes = vec![(100.0, 60.0)];
        let graph = LayoutGraph { sizes, edges: vec![(0, 0)], direction: Direction::LeftToRight };
        let placement = place(&graph);
        assert!(placement.routes[0].len() >= 2, "{:?}", placement.routes);
    }
}
