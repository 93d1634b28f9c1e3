//! Calls that cannot run, and writes any caller can make.

use super::{defined_at, finding, Finding, FindingKind};
use crate::diagnostics::Severity;
use crate::Analysis;

pub(super) fn broken_calls(analysis: &Analysis, found: &mut Vec<Finding>) {
    for edge in &analysis.analyses.call_graph.edges {
        let Some(problem) = &edge.problem else { continue };
        let text = format!("`{}` → `{}` ({}) fails: {problem}", edge.from, edge.to, edge.kind.as_str());
        found.push(finding(Severity::Error, FindingKind::BrokenCall, text, Some(edge.location.clone())));
    }
}

pub(super) fn unauthenticated_writes(analysis: &Analysis, found: &mut Vec<Finding>) {
    for reach in analysis.analyses.call_graph.reach.iter().filter(|r| !r.unauthenticated.is_empty()) {
        let tables: Vec<String> = reach
            .unauthenticated
            .iter()
            .map(|w| match w.through.get(1..).unwrap_or_default() {
                [] => format!("`{}`", w.table),
                via => format!("`{}` (via {})", w.table, via.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" → ")),
            })
            .collect();
        let who = match reach.from.strip_prefix("http ") {
            Some(route) => format!("The route `{route}`"),
            None => format!("The public `{}`", reach.from),
        };
        let text = format!("{who} writes {} with no identity check on the way: anyone can call it", tables.join(", "));
        found.push(finding(Severity::Warning, FindingKind::UnauthenticatedWrite, text, defined_at(analysis, &reach.from)));
    }
}
