//! Findings: what the analyses found that costs something at run time (a call that fails, a read
//! Convex rejects, a write any caller can make without an identity check, a full scan, a hot
//! document, re-runs of every subscription, conflicts, unbounded reads, reads per element,
//! missing, redundant and unused indexes), each as data: a kind, a severity, a message, its
//! places and the facts it rests on. Every surface (the playground, `convex-lens check`, the
//! widget) renders these and decides nothing about code.

mod calls;
mod indexes;
mod reads;
mod writes;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Severity;
use crate::source::Location;
use crate::Analysis;

/// What a finding is about, in the order findings of one severity are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A `ctx.run*`, scheduler or cron call whose target cannot run.
    BrokenCall,
    /// A read Convex rejects: an index that does not exist, or a range it does not allow.
    RejectedRead,
    /// A public function or route that writes with no identity check on the way.
    UnauthenticatedWrite,
    FullScan,
    HotDocument,
    WideRerun,
    Conflict,
    UnboundedRead,
    FilterBeforeLimit,
    PerElement,
    FilterAfterIndex,
    MissingIndex,
    RedundantIndex,
    UnusedIndex,
    UnknownRead,
}

impl FindingKind {
    /// The stable id, as in the JSON and the page's `data-kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::BrokenCall => "broken-call",
            FindingKind::RejectedRead => "rejected-read",
            FindingKind::UnauthenticatedWrite => "unauthenticated-write",
            FindingKind::FullScan => "full-scan",
            FindingKind::HotDocument => "hot-document",
            FindingKind::WideRerun => "wide-rerun",
            FindingKind::Conflict => "conflict",
            FindingKind::UnboundedRead => "unbounded-read",
            FindingKind::FilterBeforeLimit => "filter-before-limit",
            FindingKind::PerElement => "per-element",
            FindingKind::FilterAfterIndex => "filter-after-index",
            FindingKind::MissingIndex => "missing-index",
            FindingKind::RedundantIndex => "redundant-index",
            FindingKind::UnusedIndex => "unused-index",
            FindingKind::UnknownRead => "unknown-read",
        }
    }
}

/// One thing worth acting on, with its place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// One line: what happens and what it costs, names quoted with backticks.
    pub message: String,
    pub location: Option<Location>,
}

/// Every finding of an analysis, most severe first.
pub fn findings(analysis: &Analysis) -> Vec<Finding> {
    let mut found = Vec::new();
    calls::broken_calls(analysis, &mut found);
    calls::unauthenticated_writes(analysis, &mut found);
    reads::read_sites(analysis, &mut found);
    writes::hot_documents(analysis, &mut found);
    writes::wide_reruns(analysis, &mut found);
    writes::conflicts(analysis, &mut found);
    reads::cost_risks(analysis, &mut found);
    indexes::indexes(analysis, &mut found);
    let place = |f: &Finding| f.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
    found.sort_by(|a, b| (a.severity, a.kind).cmp(&(b.severity, b.kind)).then_with(|| place(a).cmp(&place(b))));
    found
}

fn finding(severity: Severity, kind: FindingKind, message: String, location: Option<Location>) -> Finding {
    Finding { kind, severity, message, location }
}

/// Where a function, `http <METHOD> <path>` or `cron <name>` of the call graph is defined.
fn defined_at(analysis: &Analysis, name: &str) -> Option<Location> {
    if let Some(job) = name.strip_prefix("cron ") {
        return analysis.crons.iter().find(|c| c.name == job).map(|c| c.location.clone());
    }
    if let Some(route) = name.strip_prefix("http ") {
        return analysis.http_routes.iter().find(|r| format!("{} {}", r.method, r.path) == route).map(|r| r.location.clone());
    }
    analysis.functions.iter().find(|f| f.path == name).map(|f| f.location.clone())
}

/// `` `a` `` or `` `a`, `b` and 3 more ``.
fn names(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let quoted: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    match names.len() {
        n if n > SHOWN => format!("{} and {} more", quoted.join(", "), n - SHOWN),
        _ => quoted.join(", "),
    }
}

/// `1 read`, `2 reads`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
