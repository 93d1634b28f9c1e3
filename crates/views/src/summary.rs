//! `summary`: how big the backend is, and its findings one line each.

use convex_lens_engine::{Analysis, Severity};

use crate::html::{el, text, with_code};
use crate::text::{count, function_counts, severity_label};
use crate::Element;

/// How many findings the summary lists before "and N more".
const LISTED: usize = 5;

pub fn summary(analysis: &Analysis) -> Element {
    let tables = analysis.schema.as_ref().map_or(&[][..], |s| &s.tables[..]);
    let indexes: usize = tables.iter().map(|t| t.indexes.len() + t.search_indexes.len() + t.vector_indexes.len()).sum();
    let (kinds, _) = function_counts(&analysis.functions);
    let mut counts = el("dl", "counts")
        .child(term("Tables", tables.len(), count(indexes, "index", "indexes")))
        .child(term("Functions", analysis.functions.len(), kinds.join(", ")));
    if !analysis.http_routes.is_empty() {
        counts = counts.child(term("HTTP routes", analysis.http_routes.len(), String::new()));
    }
    if !analysis.crons.is_empty() {
        counts = counts.child(term("Cron jobs", analysis.crons.len(), String::new()));
    }
    let reruns = &analysis.analyses.reactivity.edges;
    counts = counts.child(term("Re-runs", reruns.len(), "pairs of a mutation and a query it re-runs".to_owned()));
    el("div", "summary").child(counts).child(findings_line(analysis))
}

fn term(label: &str, n: usize, detail: String) -> Element {
    let mut value = el("dd", "").child(text("span", "count-number", n.to_string()));
    if !detail.is_empty() {
        value = value.child(text("span", "count-detail", detail));
    }
    el("div", "count").child(text("dt", "", label)).child(value)
}

/// `2 warnings · 1 note`, then the first findings.
fn findings_line(analysis: &Analysis) -> Element {
    let found = &analysis.findings;
    let of = |severity: Severity| found.iter().filter(|f| f.severity == severity).count();
    let mut parts: Vec<String> = [(Severity::Error, "error", "errors"), (Severity::Warning, "warning", "warnings"), (Severity::Info, "note", "notes")]
        .into_iter()
        .filter(|(s, ..)| of(*s) > 0)
        .map(|(s, one, many)| count(of(s), one, many))
        .collect();
    if !analysis.unverified.is_empty() {
        parts.push(format!("{} could not verify", count(analysis.unverified.len(), "cause", "causes")));
    }
    let headline = if found.is_empty() { "No findings.".to_owned() } else { parts.join(" · ") };
    let mut section = el("section", "summary-findings").attr("aria-label", "Findings").child(text("p", "findings-line", headline));
    if !found.is_empty() {
        let list = found.iter().take(LISTED).fold(el("ul", "finding-lines"), |list, finding| {
            let severity = finding.severity.as_str();
            list.child(
                el("li", &format!("finding {severity}"))
                    .child(text("span", &format!("badge severity {severity}"), severity_label(finding.severity)))
                    .child(with_code("span", "finding-text", &finding.message)),
            )
        });
        section = section.child(list);
        if found.len() > LISTED {
            section = section.child(text("p", "more", format!("and {} more", found.len() - LISTED)));
        }
    }
    section
}
