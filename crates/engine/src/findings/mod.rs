//! Findings: what the analyses found worth acting on, judged as an expert reviewer would, each
//! as data: a kind, a severity, a message, how the code behaves at scale and how to fix it, its
//! places and the facts it rests on. Every surface (the playground, `convex-lens check`, the
//! widget) renders these and decides nothing about code.
//!
//! Two rules make them trustworthy:
//! - **No unknown becomes a finding.** A conclusion that rests on something convex-lens could
//!   not see (a library value it does not read, a module not among the files, a value it could
//!   not evaluate) is held back, and shown with its cause among the [`Unverified`] groups: one
//!   per library value or cause, with the exports it hides and the conclusions it holds back.
//! - **One finding per cause.** A read over a whole table is one finding, whose advice names the
//!   writers whose commits re-run its subscriptions or make it retry; not one per pair.
//!
//! Severity is earned: an error certainly fails at run time; a warning hurts at scale or lets
//! anyone write; a note is hygiene.

mod calls;
mod indexes;
mod reads;
mod unverified;
mod writes;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Severity;
use crate::source::Location;
use crate::Analysis;

pub use unverified::{Held, Unverified};

/// What a finding is about, in the order findings of one severity are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A `ctx.run*`, scheduler or cron call whose target cannot run.
    BrokenCall,
    /// A read Convex rejects: an index that does not exist, or a range it does not allow.
    RejectedRead,
    /// A public function or route that writes with no check of the caller on the way.
    UnauthenticatedWrite,
    /// A read with no index that scans a table for the documents a filter keeps (or until
    /// enough pass it): an index would read only those.
    FullScan,
    /// A read of every document of a table, all of which it wants (a list, an export, a
    /// backfill): fine while the table is small, which convex-lens cannot see; a note.
    WholeTableRead,
    /// `.filter` before `.first()` / `.take(n)` on such a range: it scans until enough pass.
    FilterBeforeLimit,
    /// An index range that grows with the table, then `.filter`ed.
    FilterAfterIndex,
    /// A read per document of a range that grows with its table.
    PerElement,
    /// One document every call shares, updated from its own value on every call.
    HotDocument,
    RedundantIndex,
    UnusedIndex,
}

impl FindingKind {
    /// The stable id, as in the JSON and the page's `data-kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::BrokenCall => "broken-call",
            FindingKind::RejectedRead => "rejected-read",
            FindingKind::UnauthenticatedWrite => "unauthenticated-write",
            FindingKind::FullScan => "full-scan",
            FindingKind::WholeTableRead => "whole-table-read",
            FindingKind::FilterBeforeLimit => "filter-before-limit",
            FindingKind::FilterAfterIndex => "filter-after-index",
            FindingKind::PerElement => "per-element",
            FindingKind::HotDocument => "hot-document",
            FindingKind::RedundantIndex => "redundant-index",
            FindingKind::UnusedIndex => "unused-index",
        }
    }
}

/// One thing worth acting on, with its place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// One line: what happens, names quoted with backticks.
    pub message: String,
    /// How the code behaves at scale and what to change, in a few sentences.
    #[serde(default)]
    pub advice: String,
    pub location: Option<Location>,
    /// The other places involved (the functions that reach it, the writers it conflicts with).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// The facts it rests on, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
    /// What it is about, by the names the model and the call graph give them: function paths,
    /// `http <METHOD> <path>`, `cron <name>`, table names, indexes as `table.index`. A view marks
    /// these (a diagram's nodes and index rows) without deciding anything of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
}

/// Another place a finding involves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    /// What is there (`messages:send inserts into messages`).
    pub label: String,
    pub location: Location,
}

/// Every finding of an analysis, most severe first, and what could not be verified.
pub fn findings(analysis: &Analysis) -> (Vec<Finding>, Vec<Unverified>) {
    let mut found = Vec::new();
    let mut held = Vec::new();
    calls::broken_calls(analysis, &mut found, &mut held);
    calls::unauthenticated_writes(analysis, &mut found, &mut held);
    reads::read_sites(analysis, &mut found, &mut held);
    reads::per_element(analysis, &mut found);
    writes::hot_documents(analysis, &mut found);
    indexes::indexes(analysis, &mut found, &mut held);
    let place = |f: &Finding| f.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
    crate::order::sort_by(&mut found, |a, b| (a.severity, a.kind).cmp(&(b.severity, b.kind)).then_with(|| place(a).cmp(&place(b))));
    (found, unverified::group(analysis, held))
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

/// `` `a:f` reads `` or `` `a:f`, `a:g` read ``: the functions as the subject of `verb`.
fn sentence(functions: &[String], verb: &str) -> String {
    match functions {
        [_] => format!("{} {verb}s", names(functions)),
        _ => format!("{} {verb}", names(functions)),
    }
}

/// `1 read`, `2 reads`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The items in their first order, each once.
fn distinct(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for item in items {
        if !all.contains(&item) {
            all.push(item);
        }
    }
    all
}

/// `file:line`, for the facts a finding rests on.
fn at(location: &Location) -> String {
    format!("{}:{}", location.file, location.line)
}
