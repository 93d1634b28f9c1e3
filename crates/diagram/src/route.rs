//! Edge routes: attaching a route to the row it leaves from, and the SVG path that draws it.

use std::fmt::Write as _;

use crate::metrics::{HEADER_HEIGHT, ROW_HEIGHT};
use crate::scene::{Node, Point};

/// Dagre routes a relation from the referred table to the referring one (see `schema`); it is
/// drawn the other way, from the side of the field's row that faces the route, to the referred
/// table's border, where the arrow goes.
pub(crate) fn anchored_route(node: &Node, row: usize, mut route: Vec<Point>) -> Vec<Point> {
    route.reverse();
    let y = node.y + HEADER_HEIGHT + row as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
    let toward = route.get(1).or(route.first()).map_or(node.x + node.width, |p| p.x);
    let x = if toward >= node.x + node.width / 2.0 { node.x + node.width } else { node.x };
    match route.first_mut() {
        Some(first) => *first = Point { x, y },
        None => route.push(Point { x, y }),
    }
    route
}

/// The SVG path data of a route: a B-spline through its points (as dagre-d3 and Mermaid draw
/// dagre's routes), starting and ending exactly at the first and last points.
pub fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else { return d };
    let _ = write!(d, "M{:.1},{:.1}", first.x, first.y);
    if points.len() < 3 {
        for p in &points[1..] {
            let _ = write!(d, "L{:.1},{:.1}", p.x, p.y);
        }
        return d;
    }
    // d3's curveBasis: a line to a sixth of the way, cubic segments between, a line to the end.
    let mut previous = [points[0], points[1]];
    for (i, &p) in points[2..].iter().enumerate() {
        if i == 0 {
            let [p0, p1] = previous;
            let _ = write!(d, "L{:.1},{:.1}", (5.0 * p0.x + p1.x) / 6.0, (5.0 * p0.y + p1.y) / 6.0);
        }
        basis_segment(&mut d, &mut previous, p);
    }
    let last = points[points.len() - 1];
    basis_segment(&mut d, &mut previous, last);
    let _ = write!(d, "L{:.1},{:.1}", last.x, last.y);
    d
}

fn basis_segment(d: &mut String, previous: &mut [Point; 2], p: Point) {
    let [p0, p1] = *previous;
    let _ = write!(
        d,
        "C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        (2.0 * p0.x + p1.x) / 3.0,
        (2.0 * p0.y + p1.y) / 3.0,
        (p0.x + 2.0 * p1.x) / 3.0,
        (p0.y + 2.0 * p1.y) / 3.0,
        (p0.x + 4.0 * p1.x + p.x) / 6.0,
        (p0.y + 4.0 * p1.y + p.y) / 6.0,
    );
    *previous = [p1, p];
}

/// The two wings of an arrowhead at the end of a route, pointing along its last segment.
pub fn arrowhead(points: &[Point]) -> Option<[Point; 3]> {
    let [.., from, tip] = points else { return None };
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let length = (dx * dx + dy * dy).sqrt();
    if length == 0.0 {
        return None;
    }
    let (ux, uy) = (dx / length, dy / length);
    let (size, half) = (9.0, 4.5);
    let base = Point { x: tip.x - ux * size, y: tip.y - uy * size };
    Some([
        Point { x: base.x - uy * half, y: base.y + ux * half },
        *tip,
        Point { x: base.x + uy * half, y: base.y - ux * half },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn a_path_starts_and_ends_at_the_routes_ends() {
        let d = path_data(&[p(0.0, 0.0), p(50.0, 10.0), p(100.0, 0.0), p(150.0, 40.0)]);
        assert!(d.starts_with("M0.0,0.0"), "{d}");
        assert!(d.ends_with("L150.0,40.0"), "{d}");
        assert_eq!(path_data(&[p(0.0, 0.0), p(10.0, 5.0)]), "M0.0,0.0L10.0,5.0");
        assert_eq!(path_data(&[]), "");
    }

    #[test]
    fn an_arrowhead_points_along_the_last_segment() {
        let [left, tip, right] = arrowhead(&[p(0.0, 0.0), p(100.0, 0.0)]).unwrap();
        assert_eq!(tip, p(100.0, 0.0));
        assert!(left.x < 100.0 && right.x < 100.0 && left.y != right.y);
        assert!(arrowhead(&[p(1.0, 1.0)]).is_none());
    }
}
