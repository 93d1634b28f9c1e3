//! `reruns`: the reactive graph, then for each mutation the queries whose subscriptions a
//! commit of it re-runs, keyed (only those on the written document) or every one.

use convex_lens_diagram::Scene;
use convex_lens_engine::analyses::reactivity::{Effect, Invalidation};
use convex_lens_engine::Analysis;

use crate::diagrams::figure;
use crate::html::{el, is_focus, text, with_code};
use crate::text::count;
use crate::Element;

pub fn reruns(analysis: &Analysis, scene: Option<&Scene>, focus: Option<&str>) -> Element {
    let edges = &analysis.analyses.reactivity.edges;
    if edges.is_empty() {
        return text("p", "empty", "No mutation writes what a query reads: no subscription re-runs.");
    }
    let mut mutations: Vec<&str> = edges.iter().map(|e| e.mutation.as_str()).collect();
    mutations.dedup();
    convex_lens_engine::order::sort(&mut mutations);
    mutations.dedup();
    let list = mutations.iter().fold(el("ul", "reruns"), |list, mutation| list.child(mutation_item(mutation, edges, focus)));
    // A selected mutation lights the queries it re-runs, two steps away through the table.
    let reruns = |selected: &str| edges.iter().filter(|e| e.mutation == selected).map(|e| e.query.clone()).collect();
    let label = format!("Reactive graph: {}", count(edges.len(), "re-run", "re-runs"));
    el("div", "reruns-view").child(figure(scene, focus, &reruns, &label)).child(list)
}

fn mutation_item(mutation: &str, edges: &[Invalidation], focus: Option<&str>) -> Element {
    let own: Vec<&Invalidation> = edges.iter().filter(|e| e.mutation == mutation).collect();
    let focused = is_focus(focus, mutation) || own.iter().any(|e| is_focus(focus, &e.query) || e.tables.iter().any(|t| is_focus(focus, t)));
    let queries = own.iter().fold(el("ul", "rerun-edges"), |list, edge| {
        let (label, class) = match edge.effect {
            Effect::Keyed => ("keyed", "keyed"),
            Effect::TableWide => ("every subscription", "wide"),
        };
        let mut item = el("li", &format!("rerun {class}"))
            .attr("data-query", &edge.query)
            .child(text("code", "function-name", &edge.query))
            .text(" ")
            .child(text("span", &format!("badge effect {class}"), label))
            .child(text("span", "note", format!(" on {}", edge.tables.join(", "))));
        if edge.rare {
            item = item.child(text("span", "note", " (only on a first write)"));
        }
        let reasons = edge.reasons.iter().fold(el("ul", "reasons"), |list, reason| list.child(with_code("li", "", &reason.text)));
        list.child(item.child(reasons))
    });
    el("li", if focused { "rerun-group focused" } else { "rerun-group" })
        .attr("data-subject", mutation)
        .child(el("p", "").child(text("code", "function-name", mutation)).child(text("span", "note", format!(" re-runs {}", count(own.len(), "query", "queries")))))
        .child(queries)
}
