//! `findings`: each of the engine's findings with its advice, then what could not be verified.

use convex_lens_engine::findings::{Finding, Unverified};
use convex_lens_engine::Analysis;

use crate::html::{el, is_focus, place, text, with_code};
use crate::text::{severity_label, unverified_counts};
use crate::Element;

pub fn findings(analysis: &Analysis, focus: Option<&str>) -> Element {
    let mut view = el("div", "findings");
    if analysis.findings.is_empty() {
        view = view.child(text("p", "empty", "No findings: no read grows with its table, no write is open to anyone, and every index is used."));
    } else {
        let list = analysis.findings.iter().fold(el("ol", "finding-list").attr("aria-label", "Findings, most severe first"), |list, f| {
            list.child(finding(f, focus))
        });
        view = view.child(list);
    }
    if !analysis.unverified.is_empty() {
        let list = analysis.unverified.iter().fold(el("ul", "unverified-list"), |list, group| list.child(unverified(group)));
        view = view.child(el("section", "unverified").attr("aria-label", "Could not verify").child(text("h3", "", "Could not verify")).child(list));
    }
    view
}

fn finding(finding: &Finding, focus: Option<&str>) -> Element {
    let severity = finding.severity.as_str();
    let focused = finding.subjects.iter().any(|s| is_focus(focus, s));
    let mut item = el("li", &format!("finding {severity}{}", if focused { " focused" } else { "" })).attr("data-kind", finding.kind.as_str());
    let mut head = el("div", "finding-head")
        .child(text("span", &format!("badge severity {severity}"), severity_label(finding.severity)))
        .child(with_code("span", "finding-text", &finding.message));
    if let Some(location) = &finding.location {
        head = head.child(place(location));
    }
    item = item.child(head);
    if finding.advice.is_empty() && finding.related.is_empty() {
        return item;
    }
    let mut details = el("details", "finding-details").child(text("summary", "", "Why it matters and how to fix it"));
    if !finding.advice.is_empty() {
        details = details.child(with_code("p", "advice", &finding.advice));
    }
    if !finding.related.is_empty() {
        let related = finding.related.iter().fold(el("ul", "related").attr("aria-label", "Other places"), |list, related| {
            list.child(el("li", "").child(with_code("span", "related-label", &related.label)).text(" ").child(place(&related.location)))
        });
        details = details.child(related);
    }
    if !finding.facts.is_empty() {
        let facts = finding.facts.iter().fold(el("ul", ""), |list, fact| list.child(with_code("li", "", fact)));
        details = details.child(el("details", "facts").child(text("summary", "", "The facts it rests on")).child(facts));
    }
    item.child(details)
}

fn unverified(group: &Unverified) -> Element {
    let counts = unverified_counts(group);
    let mut item = el("li", "unverified-group").child(with_code("span", "cause", &group.cause));
    if !counts.is_empty() {
        item = item.text(" ").child(text("span", "unverified-counts", counts.join(" · ")));
    }
    item
}
