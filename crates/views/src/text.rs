//! The wording of the analyses' data, shared by the widget's views and the playground's tabs, so
//! that a read's status or a function count reads the same in both.

use convex_lens_engine::analyses::coverage::{IndexStatus, IndexUsage, ReadBound, ReadSite, SiteStatus, SuggestedAction, IndexSuggestion};
use convex_lens_engine::app::FunctionSpec;
use convex_lens_engine::{FunctionKind, Visibility};

/// `1 read`, `3 reads`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The functions by kind (`3 queries`, `2 mutations`) and by visibility (`4 public`).
pub fn function_counts(functions: &[FunctionSpec]) -> (Vec<String>, Vec<String>) {
    let counted = |counts: Vec<(usize, &str, &str)>| -> Vec<String> {
        counts.into_iter().filter(|(n, _, _)| *n > 0).map(|(n, one, many)| count(n, one, many)).collect()
    };
    let of_kind = |kind: FunctionKind| functions.iter().filter(|f| f.kind == kind).count();
    let of_visibility = |visibility: Visibility| functions.iter().filter(|f| f.visibility == Some(visibility)).count();
    let kinds = counted(vec![
        (of_kind(FunctionKind::Query), "query", "queries"),
        (of_kind(FunctionKind::Mutation), "mutation", "mutations"),
        (of_kind(FunctionKind::Action), "action", "actions"),
        (of_kind(FunctionKind::HttpAction), "HTTP action", "HTTP actions"),
    ]);
    let visibilities = counted(vec![(of_visibility(Visibility::Public), "public", "public"), (of_visibility(Visibility::Internal), "internal", "internal")]);
    (kinds, visibilities)
}

/// How a read is served: its badge, a class naming the badge's kind, and what its range uses.
pub fn site_status(site: &ReadSite) -> (&'static str, &'static str, String) {
    let range = |eq: &[String], range: &Option<String>| {
        let mut parts: Vec<String> = eq.iter().map(|f| format!("{f} =")).collect();
        if let Some(range) = range {
            parts.push(format!("{range} in range"));
        }
        if parts.is_empty() { "the whole index".to_owned() } else { parts.join(", ") }
    };
    match &site.status {
        SiteStatus::Point => ("by id", "point", String::new()),
        SiteStatus::Indexed { index, eq, range: r } => ("indexed", "indexed", format!("{index}: {}", range(eq, r))),
        SiteStatus::PartiallyIndexed { index, eq, range: r, filtered, .. } => {
            ("filtered", "partial", format!("{index}: {}, then .filter on {}", range(eq, r), filtered.join(", ")))
        }
        SiteStatus::FullScan { filtered, .. } if filtered.is_empty() => ("full scan", "scan", "every document".to_owned()),
        SiteStatus::FullScan { filtered, .. } => ("full scan", "scan", format!("every document, .filter on {}", filtered.join(", "))),
        SiteStatus::Search { index } => ("search", "search", index.clone()),
        SiteStatus::InvalidRange { index, reason } => ("invalid range", "invalid", format!("{index}: {reason}")),
        SiteStatus::MissingIndex { index, reason } => ("no such index", "invalid", format!("{index}: {reason}")),
        SiteStatus::Unknown { reason, .. } => ("unknown", "unknown", reason.clone()),
    }
}

/// The index a full scan or a filtered read should use instead, when the analysis has one.
pub fn site_suggestion(site: &ReadSite) -> Option<&IndexSuggestion> {
    match &site.status {
        SiteStatus::FullScan { suggestion: Some(s), .. } | SiteStatus::PartiallyIndexed { suggestion: Some(s), .. } => Some(s),
        _ => None,
    }
}

/// What to do with a suggestion, before its code.
pub fn suggestion_verb(suggestion: &IndexSuggestion) -> String {
    match suggestion.action {
        SuggestedAction::UseExisting => "Use the existing index:".to_owned(),
        SuggestedAction::EnableStaged => format!("Enable the staged index {} (staged: false), then read with:", suggestion.name),
        SuggestedAction::Add => "Add an index:".to_owned(),
    }
}

/// How many documents a read returns at most.
pub fn bound(bound: &ReadBound) -> String {
    match bound {
        ReadBound::One => "1 document".into(),
        ReadBound::Limit { n: Some(n), filtered: false } => format!("at most {n}"),
        ReadBound::Limit { n: None, filtered: false } => "limited".into(),
        ReadBound::Limit { filtered: true, .. } | ReadBound::Unique { filtered: true } => "until enough pass the filter".into(),
        ReadBound::Unique { filtered: false } => "at most 1 (unique)".into(),
        ReadBound::Page => "a page".into(),
        ReadBound::Unbounded => "unbounded".into(),
        ReadBound::NotRun => "not run here".into(),
    }
}

/// `unbounded` when the read may read as far as its table grows, else `bounded`.
pub fn bound_class(bound: &ReadBound) -> &'static str {
    match bound {
        ReadBound::Unbounded | ReadBound::Limit { filtered: true, .. } | ReadBound::Unique { filtered: true } => "unbounded",
        _ => "bounded",
    }
}

/// What uses an index, and a class for it: `used`, `owned` (not the app's to prune: what defines
/// it, or the library that may read it, says so), `unused`, `redundant`.
pub fn index_use(index: &IndexUsage) -> (String, &'static str) {
    match (&index.status, &index.owner, &index.read_by) {
        (IndexStatus::Used, ..) => (format!("serves {}", count(index.sites.len(), "read", "reads")), "used"),
        (_, Some(owner), _) => (format!("no read of the app uses it; defined by {}", owner.describe()), "owned"),
        (_, None, Some(library)) => (format!("no read of the app uses it; the table is given to {}", library.describe()), "owned"),
        (IndexStatus::Unused { unresolved: 0 }, ..) => ("unused".to_owned(), "unused"),
        (IndexStatus::Unused { unresolved }, ..) => (format!("unused by the reads followed ({unresolved} could not be)"), "unused"),
        (IndexStatus::Redundant { covered_by, reason, .. }, ..) => (format!("redundant with {covered_by}: {reason}"), "redundant"),
    }
}

/// A severity as its badge says it.
pub fn severity_label(severity: convex_lens_engine::Severity) -> &'static str {
    if severity == convex_lens_engine::Severity::Info { "note" } else { severity.as_str() }
}

/// What a cause convex-lens could not see through leaves unknown and holds back:
/// `2 unknown exports · 3 conclusions held back`.
pub fn unverified_counts(group: &convex_lens_engine::findings::Unverified) -> Vec<String> {
    let mut counts = Vec::new();
    if group.exports > 0 {
        counts.push(format!("{} unknown", count(group.exports, "export", "exports")));
    }
    if group.values > 0 {
        counts.push(format!("{} unknown", count(group.values, "value", "values")));
    }
    if !group.held.is_empty() {
        counts.push(format!("{} held back", count(group.held.len(), "conclusion", "conclusions")));
    }
    counts
}
