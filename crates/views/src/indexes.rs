//! `indexes`: each read by table, the index that serves it and how far it reads; the indexes
//! reads lack (with the definition and the rewritten query), and the indexes nothing uses.

use convex_lens_engine::analyses::coverage::{IndexSuggestion, IndexUsage, ReadSite, SuggestedAction};
use convex_lens_engine::Analysis;

use crate::html::{el, is_focus, place, text};
use crate::text::{bound, bound_class, count, index_use, site_status, site_suggestion, suggestion_verb};
use crate::Element;

pub fn indexes(analysis: &Analysis, focus: Option<&str>) -> Element {
    let coverage = &analysis.analyses.coverage;
    if coverage.sites.is_empty() && coverage.indexes.is_empty() {
        return text("p", "empty", "No database reads: no function reads ctx.db.");
    }
    let table_of = |site: &ReadSite| site.table.name().unwrap_or("?").to_owned();
    let mut tables: Vec<String> = coverage.sites.iter().map(table_of).chain(coverage.indexes.iter().map(|i| i.table.clone())).collect();
    convex_lens_engine::order::sort(&mut tables);
    tables.dedup();
    let mut view = el("div", "indexes");
    if !coverage.missing.is_empty() {
        let list = coverage.missing.iter().fold(el("ul", ""), |list, missing| {
            list.child(
                el("li", "missing-index")
                    .child(text("code", "table-name", &missing.suggestion.table))
                    .text(" ")
                    .child(text("code", "definition", &missing.suggestion.definition))
                    .child(text("span", "note", format!(" for {}", count(missing.sites.len(), "read", "reads")))),
            )
        });
        view = view.child(el("section", "missing-indexes").attr("aria-label", "Missing indexes").child(text("h3", "", "Missing indexes")).child(list));
    }
    tables.iter().fold(view, |view, table| view.child(table_section(table, &coverage.sites, &coverage.indexes, focus)))
}

fn table_section(table: &str, sites: &[ReadSite], indexes: &[IndexUsage], focus: Option<&str>) -> Element {
    let reads: Vec<&ReadSite> = sites.iter().filter(|s| s.table.name().unwrap_or("?") == table).collect();
    let own: Vec<&IndexUsage> = indexes.iter().filter(|i| i.table == table).collect();
    let focused = is_focus(focus, table) || reads.iter().any(|s| s.functions.iter().any(|f| is_focus(focus, f)));
    let mut section = el("section", if focused { "table focused" } else { "table" })
        .attr("data-subject", table)
        .attr("aria-label", format!("Table {table}"))
        .child(
            el("h3", "")
                .child(text("code", "table-name", table))
                .child(text("span", "heading-note", format!(" {} · {}", count(reads.len(), "read", "reads"), count(own.len(), "index", "indexes")))),
        );
    if !reads.is_empty() {
        section = section.child(reads.iter().fold(el("ul", "sites"), |list, site| list.child(site_item(site))));
    }
    if !own.is_empty() {
        section = section.child(own.iter().fold(el("ul", "index-usage"), |list, index| list.child(index_item(index))));
    }
    section
}

fn site_item(site: &ReadSite) -> Element {
    let (badge, class, detail) = site_status(site);
    let mut head = el("div", "site-head")
        .child(text("span", &format!("badge coverage {class}"), badge))
        .child(text("span", "site-functions", site.functions.join(", ")));
    if !detail.is_empty() {
        head = head.child(text("span", "site-detail", detail));
    }
    head = head.child(text("span", &format!("bound {}", bound_class(&site.bound)), bound(&site.bound)));
    if site.in_loop {
        head = head.child(text("span", "badge per-element", "per element").attr("title", "runs once per element of a collection"));
    }
    let mut item = el("li", &format!("site {class}")).attr("data-status", class).child(head.child(place(&site.location)));
    if let Some(suggestion) = site_suggestion(site) {
        item = item.child(suggestion_item(suggestion));
    }
    item
}

fn suggestion_item(suggestion: &IndexSuggestion) -> Element {
    let mut block = el("div", "suggestion").child(text("span", "note", suggestion_verb(suggestion)));
    if suggestion.action == SuggestedAction::Add {
        block = block.child(text("code", "definition", &suggestion.definition));
    }
    block.child(text("code", "query", &suggestion.query))
}

fn index_item(index: &IndexUsage) -> Element {
    let (label, class) = index_use(index);
    let kind = if index.kind == "db" { "index" } else { index.kind.as_str() };
    let mut item = el("li", &format!("index-use {class}")).attr("data-index", &index.index).child(text("span", &format!("badge {kind}"), kind));
    if index.staged {
        item = item.child(text("span", "badge staged", "staged"));
    }
    item.child(text("code", "index-name", &index.index))
        .child(text("span", "index-fields", format!(" {}", index.fields.join(", "))))
        .child(text("span", &format!("index-status {class}"), format!(" {label}")))
}
