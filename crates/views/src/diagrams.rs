//! The views that draw a diagram: `schema`, `calls` (and the graph of `reruns`). The diagram
//! is the diagram crate's drawing, its nodes buttons that select them; a list under it says the
//! same in words, for readers who do not see it and for search.

use convex_lens_diagram::render::{draw, Highlight};
use convex_lens_diagram::Scene;
use convex_lens_engine::Analysis;

use crate::html::{el, place, text};
use crate::text::count;
use crate::Element;

pub fn schema(analysis: &Analysis, scene: Option<&Scene>, focus: Option<&str>) -> Element {
    let tables = analysis.schema.as_ref().map_or(0, |s| s.tables.len());
    if tables == 0 {
        return text("p", "empty", "No schema: no defineSchema in convex/schema.ts.");
    }
    figure(scene, focus, &|_| Vec::new(), &format!("Schema diagram: {}", count(tables, "table", "tables")))
}

pub fn calls(analysis: &Analysis, scene: Option<&Scene>, focus: Option<&str>) -> Element {
    let edges = &analysis.analyses.call_graph.edges;
    if edges.is_empty() {
        return text("p", "empty", "No calls: no function runs, schedules or is run by another.");
    }
    let list = edges.iter().fold(el("ul", "call-list"), |list, edge| {
        let mut item = el("li", if edge.problem.is_some() { "call problem" } else { "call" })
            .child(text("code", "", &edge.from))
            .child(text("span", "call-kind", format!(" {} ", edge.kind.as_str())))
            .child(text("code", "", &edge.to))
            .text(" ")
            .child(place(&edge.location));
        if let Some(problem) = &edge.problem {
            item = item.child(text("span", "note", format!(" fails: {problem}")));
        }
        list.child(item)
    });
    el("div", "calls")
        .child(figure(scene, focus, &|_| Vec::new(), &format!("Call graph: {}", count(edges.len(), "call", "calls"))))
        .child(el("details", "as-list").child(text("summary", "", "The calls as a list")).child(list))
}

/// The drawing in a scrolling frame, the focused node selected (its neighbours lit, and `lit`:
/// what the selection reaches further, given the selected node), labelled for assistive
/// technology.
pub fn figure(scene: Option<&Scene>, focus: Option<&str>, lit: &dyn Fn(&str) -> Vec<String>, label: &str) -> Element {
    let Some(scene) = scene else {
        return text("p", "empty", "The diagram was not laid out.");
    };
    let selected = focus.and_then(|focus| focus_node(scene, focus));
    let lit = convex_lens_engine::order::set(selected.as_deref().map(lit).unwrap_or_default());
    let highlight = Highlight { selected, lit, ..Highlight::default() };
    let svg = draw(scene, &highlight, None);
    // A group named for what it draws; focusable, since it scrolls (the keyboard pans it).
    let mut frame = el("div", "diagram-frame").attr("role", "group").attr("tabindex", "0").attr("aria-label", format!("{label}; scroll to pan"));
    if let Some(selected) = &highlight.selected {
        frame = frame.attr("data-focus", selected);
    }
    frame.child(svg)
}

/// The node a focus names: its id, else the first function of a module of that name.
fn focus_node(scene: &Scene, focus: &str) -> Option<String> {
    let exact = scene.nodes.iter().find(|n| n.id == focus);
    let in_module = || scene.nodes.iter().find(|n| n.id.strip_prefix(focus).is_some_and(|rest| rest.starts_with(':')));
    exact.or_else(in_module).map(|n| n.id.clone())
}
