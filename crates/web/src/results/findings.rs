//! The findings the overview puts first: each thing the engine's analyses found that costs
//! something at run time (a call that fails, a read Convex rejects, a write any caller can make
//! without an identity check, a full scan, a hot document,
//! re-runs of every subscription, conflicts, unbounded reads, reads per element, missing,
//! redundant and unused indexes), as one line with its place, ranked by severity and then by
//! kind. Nothing here analyses code: every finding is one item of `Analysis::analyses`, put
//! into words; the only decisions are how severe each kind is and which kind comes first.

use std::collections::BTreeMap;

use convex_lens_engine::analyses::conflicts::Likelihood;
use convex_lens_engine::analyses::costs::CostRisk;
use convex_lens_engine::analyses::coverage::{IndexStatus, ReadBound, SiteStatus, SuggestedAction};
use convex_lens_engine::analyses::reactivity::Effect;
use convex_lens_engine::{Analysis, DefinitionKind, Location, Severity};

/// What a finding is about, in the order findings of one severity are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
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

impl Kind {
    /// For the page's `data-kind` and its tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BrokenCall => "broken-call",
            Kind::RejectedRead => "rejected-read",
            Kind::UnauthenticatedWrite => "unauthenticated-write",
            Kind::FullScan => "full-scan",
            Kind::HotDocument => "hot-document",
            Kind::WideRerun => "wide-rerun",
            Kind::Conflict => "conflict",
            Kind::UnboundedRead => "unbounded-read",
            Kind::FilterBeforeLimit => "filter-before-limit",
            Kind::PerElement => "per-element",
            Kind::FilterAfterIndex => "filter-after-index",
            Kind::MissingIndex => "missing-index",
            Kind::RedundantIndex => "redundant-index",
            Kind::UnusedIndex => "unused-index",
            Kind::UnknownRead => "unknown-read",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub kind: Kind,
    /// One line: what happens and what it costs.
    pub text: String,
    pub location: Option<Location>,
}

/// Every finding of the analyses, most severe first.
pub fn findings(analysis: &Analysis) -> Vec<Finding> {
    let mut found = Vec::new();
    broken_calls(analysis, &mut found);
    unauthenticated_writes(analysis, &mut found);
    read_sites(analysis, &mut found);
    hot_documents(analysis, &mut found);
    wide_reruns(analysis, &mut found);
    conflicts(analysis, &mut found);
    cost_risks(analysis, &mut found);
    indexes(analysis, &mut found);
    let place = |f: &Finding| f.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
    found.sort_by(|a, b| (a.severity, a.kind).cmp(&(b.severity, b.kind)).then_with(|| place(a).cmp(&place(b))));
    found
}

fn finding(severity: Severity, kind: Kind, text: String, location: Option<Location>) -> Finding {
    Finding { severity, kind, text, location }
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

fn broken_calls(analysis: &Analysis, found: &mut Vec<Finding>) {
    for edge in &analysis.analyses.call_graph.edges {
        let Some(problem) = &edge.problem else { continue };
        let text = format!("`{}` → `{}` ({}) fails: {problem}", edge.from, edge.to, edge.kind.as_str());
        found.push(finding(Severity::Error, Kind::BrokenCall, text, Some(edge.location.clone())));
    }
}

fn unauthenticated_writes(analysis: &Analysis, found: &mut Vec<Finding>) {
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
        found.push(finding(Severity::Warning, Kind::UnauthenticatedWrite, text, defined_at(analysis, &reach.from)));
    }
}

fn read_sites(analysis: &Analysis, found: &mut Vec<Finding>) {
    for site in &analysis.analyses.coverage.sites {
        let table = site.table.name().unwrap_or("?");
        let functions = names(&site.functions);
        let (severity, kind, text) = match &site.status {
            SiteStatus::InvalidRange { index, reason } | SiteStatus::MissingIndex { index, reason } => {
                (Severity::Error, Kind::RejectedRead, format!("A read of `{table}` through `{index}` in {functions} is rejected: {reason}"))
            }
            SiteStatus::FullScan { filtered, .. } => {
                let (severity, scan) = full_scan(&site.bound, table, filtered);
                (severity, Kind::FullScan, format!("{scan} (in {functions})"))
            }
            SiteStatus::PartiallyIndexed { index, filtered, suggestion, .. } => {
                let better = match suggestion.as_ref().map(|s| (s.action, &s.name)) {
                    Some((SuggestedAction::UseExisting, name)) => format!("; `{name}` serves them"),
                    Some((SuggestedAction::EnableStaged, name)) => format!("; the staged `{name}` would serve them"),
                    Some((SuggestedAction::Add, name)) => format!("; an index `{name}` would serve them"),
                    None => String::new(),
                };
                let text = format!("A read of `{table}` through `{index}` in {functions} scans the range, then `.filter`s on {}{better}", filtered.join(", "));
                (Severity::Warning, Kind::FilterAfterIndex, text)
            }
            SiteStatus::Unknown { reason } => (Severity::Info, Kind::UnknownRead, format!("A read of `{table}` in {functions} is not followed: {reason}")),
            SiteStatus::Point | SiteStatus::Indexed { .. } | SiteStatus::Search { .. } => continue,
        };
        found.push(finding(severity, kind, text, Some(site.location.clone())));
    }
}

/// How bad a scan of every document is depends on how many it reads: all of them, or until
/// enough pass a filter, is a warning; the first few of the table is worth knowing.
fn full_scan(bound: &ReadBound, table: &str, filtered: &[String]) -> (Severity, String) {
    let filter = match filtered {
        [] => "the filter".to_owned(),
        fields => format!("the `.filter` on {}", fields.join(", ")),
    };
    match bound {
        ReadBound::Unbounded if filtered.is_empty() => (Severity::Warning, format!("Full scan: every `{table}` document is read on each call")),
        ReadBound::Unbounded => (Severity::Warning, format!("Full scan: every `{table}` document is read on each call, for {filter} to keep some")),
        ReadBound::Limit { filtered: true, .. } | ReadBound::Unique { filtered: true } => {
            (Severity::Warning, format!("Full scan: `{table}` is read until enough documents pass {filter}, up to all of them"))
        }
        _ => (Severity::Info, format!("No index: `{table}` is read in `_creationTime` order from its first document")),
    }
}

fn hot_documents(analysis: &Analysis, found: &mut Vec<Finding>) {
    for hot in &analysis.analyses.conflicts.hot_documents {
        let writers: Vec<String> = hot.writers.iter().map(|w| w.function.clone()).collect();
        let text = format!("Hot document: {} is written by every call of {}; concurrent calls conflict and retry", hot.document, names(&writers));
        found.push(finding(Severity::Warning, Kind::HotDocument, text, hot.writers.first().map(|w| w.location.clone())));
    }
}

/// One finding per mutation: the queries all of whose subscriptions each of its commits re-runs.
fn wide_reruns(analysis: &Analysis, found: &mut Vec<Finding>) {
    let mut by_mutation: BTreeMap<&str, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for edge in analysis.analyses.reactivity.edges.iter().filter(|e| e.effect == Effect::TableWide) {
        let (queries, tables) = by_mutation.entry(edge.mutation.as_str()).or_default();
        queries.push(edge.query.clone());
        for reason in edge.reasons.iter().filter(|r| r.effect == Effect::TableWide) {
            if !tables.contains(&reason.table) {
                tables.push(reason.table.clone());
            }
        }
    }
    for (mutation, (queries, tables)) in by_mutation {
        let text = format!("Each commit of `{mutation}` re-runs every subscription of {} (table-wide reads of {})", names(&queries), names(&tables));
        found.push(finding(Severity::Warning, Kind::WideRerun, text, defined_at(analysis, mutation)));
    }
}

fn conflicts(analysis: &Analysis, found: &mut Vec<Finding>) {
    for pair in analysis.analyses.conflicts.pairs.iter().filter(|p| p.likelihood == Likelihood::Always) {
        let who = if pair.reader == pair.writer {
            format!("Concurrent calls of `{}` conflict", pair.reader)
        } else {
            format!("`{}` retries whenever `{}` commits", pair.reader, pair.writer)
        };
        let text = format!("{who}: {}", pair.reason);
        found.push(finding(Severity::Warning, Kind::Conflict, text, defined_at(analysis, &pair.reader)));
    }
}

/// The costs' risks, one per place (a helper's read reached by several functions names them
/// all). An unbounded or filtered read that is a full scan is already one.
fn cost_risks(analysis: &Analysis, found: &mut Vec<Finding>) {
    let scanned: Vec<&Location> = analysis.analyses.coverage.sites.iter().filter(|s| matches!(s.status, SiteStatus::FullScan { .. })).map(|s| &s.location).collect();
    let mut risks: Vec<(Kind, &Location, &str, Vec<String>)> = Vec::new();
    for cost in &analysis.analyses.costs {
        for risk in &cost.risks {
            let (kind, location, text) = match risk {
                CostRisk::Unbounded { location, text, .. } => (Kind::UnboundedRead, location, text.as_str()),
                CostRisk::FilteredLimit { location, text, .. } => (Kind::FilterBeforeLimit, location, text.as_str()),
                CostRisk::PerElement { location, text, .. } => (Kind::PerElement, location, text.as_str()),
            };
            if kind != Kind::PerElement && scanned.contains(&location) {
                continue;
            }
            match risks.iter_mut().find(|(k, l, t, _)| *k == kind && *l == location && *t == text) {
                Some((_, _, _, functions)) => functions.push(cost.function.clone()),
                None => risks.push((kind, location, text, vec![cost.function.clone()])),
            }
        }
    }
    for (kind, location, text, functions) in risks {
        let text = format!("{} {text}", names(&functions));
        found.push(finding(Severity::Warning, kind, text, Some(location.clone())));
    }
}

fn indexes(analysis: &Analysis, found: &mut Vec<Finding>) {
    let coverage = &analysis.analyses.coverage;
    for missing in &coverage.missing {
        let suggestion = &missing.suggestion;
        let reads = crate::results::count(missing.sites.len(), "read scans", "reads scan");
        let text = format!("Missing index: add {} to `{}`; {reads} without it", suggestion.definition, suggestion.table);
        found.push(finding(Severity::Warning, Kind::MissingIndex, text, missing.sites.first().cloned()));
    }
    let index_at = |table: &str, index: &str| {
        let qualified = format!("{table}.{index}");
        analysis.definitions.iter().find(|d| d.kind == DefinitionKind::Index && d.name == qualified).map(|d| d.location.clone())
    };
    for usage in &coverage.indexes {
        let (severity, kind, text) = match &usage.status {
            IndexStatus::Redundant { covered_by, reason } => (
                Severity::Warning,
                Kind::RedundantIndex,
                format!("Redundant index `{}.{}`: {reason}; `{covered_by}` serves its reads, and each index costs every write", usage.table, usage.index),
            ),
            // A staged index is unused until it is enabled, on purpose.
            IndexStatus::Unused { unresolved } if !usage.staged => {
                let unsure = match *unresolved {
                    0 => String::new(),
                    n => format!(" ({} of the table could not be followed)", crate::results::count(n, "read", "reads")),
                };
                (Severity::Info, Kind::UnusedIndex, format!("Unused index `{}.{}`: no read uses it, yet every write updates it{unsure}", usage.table, usage.index))
            }
            _ => continue,
        };
        found.push(finding(severity, kind, text, index_at(&usage.table, &usage.index)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn site(line: usize, status: serde_json::Value, bound: serde_json::Value) -> serde_json::Value {
        json!({ "location": location("convex/a.ts", line, 5), "table": "messages", "functions": ["a:list"],
            "status": status, "bound": bound, "inLoop": false })
    }

    /// One of each kind of finding, given in an order unlike the ranking.
    fn model() -> std::rc::Rc<Analysis> {
        let unbounded = json!({ "type": "unbounded" });
        analysis(json!({
            "functions": [spec("a:send", "mutation", Some("public")), spec("a:bump", "mutation", Some("public"))],
            "definitions": [{ "kind": "index", "name": "messages.by_day", "location": location("convex/schema.ts", 7, 9) }],
            "analyses": {
                "coverage": {
                    "sites": [
                        site(3, json!({ "type": "indexed", "index": "by_channel", "eq": ["channel"], "range": null }), unbounded.clone()),
                        site(9, json!({ "type": "fullScan", "filtered": ["author"], "suggestion": null }), unbounded.clone()),
                        site(12, json!({ "type": "missingIndex", "index": "by_nothing", "reason": "`messages` has no index named `by_nothing`" }), json!({ "type": "one" })),
                        site(15, json!({ "type": "fullScan", "filtered": [], "suggestion": null }), json!({ "type": "limit", "n": 1.0, "filtered": false })),
                    ],
                    "indexes": [
                        { "table": "messages", "index": "by_day", "kind": "db", "fields": ["day"], "staged": false, "sites": [], "status": { "type": "unused", "unresolved": 0 } },
                        { "table": "messages", "index": "by_new", "kind": "db", "fields": ["new"], "staged": true, "sites": [], "status": { "type": "unused", "unresolved": 0 } },
                    ],
                    "missing": [],
                },
                "reactivity": { "edges": [
                    { "mutation": "a:send", "query": "a:list", "effect": "tableWide", "tables": ["messages"],
                      "reasons": [{ "effect": "tableWide", "table": "messages", "text": "inserts into `messages`" }] },
                    { "mutation": "a:send", "query": "a:get", "effect": "keyed", "tables": ["messages"],
                      "reasons": [{ "effect": "keyed", "table": "messages", "text": "patches" }] },
                ]},
                "conflicts": { "pairs": [
                    { "reader": "a:bump", "writer": "a:bump", "table": "counters", "likelihood": "always", "reason": "both write the one `counters` document" },
                    { "reader": "a:send", "writer": "a:bump", "table": "counters", "likelihood": "whenKeysMatch", "reason": "maybe" },
                ], "hotDocuments": [] },
                "callGraph": { "edges": [
                    { "from": "a:send", "to": "a:gone", "kind": "runMutation", "problem": "no function `a:gone` is registered", "location": location("convex/a.ts", 20, 3) },
                ], "reach": [
                    { "from": "a:send", "writes": [{ "table": "messages", "through": ["a:send", "a:post"] }],
                      "unauthenticated": [{ "table": "messages", "through": ["a:send", "a:post"] }] },
                    { "from": "a:bump", "writes": [{ "table": "counters", "through": ["a:bump"] }] },
                ] },
                "costs": [
                    { "function": "a:list", "bounded": false, "risks": [
                        { "type": "unbounded", "location": location("convex/a.ts", 3, 5), "table": "messages", "tableWide": false, "text": "scans every `messages` document in the range" },
                        { "type": "unbounded", "location": location("convex/a.ts", 9, 5), "table": "messages", "tableWide": true, "text": "scans every `messages` document" },
                    ]},
                    { "function": "a:count", "bounded": false, "risks": [
                        { "type": "unbounded", "location": location("convex/a.ts", 3, 5), "table": "messages", "tableWide": false, "text": "scans every `messages` document in the range" },
                    ]},
                ],
            },
        }))
    }

    fn spec(path: &str, kind: &str, visibility: Option<&str>) -> serde_json::Value {
        json!({ "path": path, "kind": kind, "visibility": visibility, "runtime": "isolate", "args": { "type": "any" },
            "returns": null, "location": location("convex/a.ts", 30, 1), "handler": null })
    }

    #[wasm_bindgen_test]
    fn findings_are_ranked_by_severity_then_kind_then_place() {
        let found = findings(&model());
        let ranked: Vec<(&str, &str)> = found.iter().map(|f| (f.severity.as_str(), f.kind.as_str())).collect();
        assert_eq!(
            ranked,
            [
                ("error", "broken-call"),
                ("error", "rejected-read"),
                ("warning", "unauthenticated-write"),
                ("warning", "full-scan"),
                ("warning", "wide-rerun"),
                ("warning", "conflict"),
                ("warning", "unbounded-read"),
                ("info", "full-scan"),
                ("info", "unused-index"),
            ]
        );
    }

    #[wasm_bindgen_test]
    fn each_finding_says_what_it_costs_and_where() {
        let found = findings(&model());
        let line = |kind: Kind| found.iter().find(|f| f.kind == kind).map(|f| (f.text.clone(), f.location.as_ref().map(|l| (l.file.clone(), l.line))));
        assert_eq!(
            line(Kind::BrokenCall),
            Some(("`a:send` → `a:gone` (runMutation) fails: no function `a:gone` is registered".into(), Some(("convex/a.ts".into(), 20))))
        );
        assert_eq!(
            line(Kind::FullScan).unwrap().0,
            "Full scan: every `messages` document is read on each call, for the `.filter` on author to keep some (in `a:list`)"
        );
        // The unbounded read at the full scan is that finding; the keyed one is reported once,
        // for both functions that reach it.
        assert_eq!(line(Kind::UnboundedRead), Some(("`a:list`, `a:count` scans every `messages` document in the range".into(), Some(("convex/a.ts".into(), 3)))));
        assert_eq!(
            line(Kind::UnauthenticatedWrite),
            Some(("The public `a:send` writes `messages` (via `a:post`) with no identity check on the way: anyone can call it".into(), Some(("convex/a.ts".into(), 30))))
        );
        assert_eq!(line(Kind::WideRerun).unwrap().0, "Each commit of `a:send` re-runs every subscription of `a:list` (table-wide reads of `messages`)");
        assert_eq!(line(Kind::Conflict).unwrap().0, "Concurrent calls of `a:bump` conflict: both write the one `counters` document");
        // Indexes link to their definition in the schema; a staged one is not "unused".
        assert_eq!(line(Kind::UnusedIndex).unwrap().1, Some(("convex/schema.ts".into(), 7)));
        assert_eq!(found.iter().filter(|f| f.kind == Kind::UnusedIndex).count(), 1);
    }

    #[wasm_bindgen_test]
    fn reads_served_by_an_index_are_not_findings() {
        // Four sites, one of them indexed.
        let from_sites: Vec<usize> = findings(&model()).iter().filter(|f| matches!(f.kind, Kind::FullScan | Kind::RejectedRead)).map(|f| f.location.as_ref().unwrap().line).collect();
        assert_eq!(from_sites, [12, 9, 15]);
        assert!(findings(&analysis(json!({}))).is_empty());
    }
}
