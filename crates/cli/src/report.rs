//! The text report of the analyses: index coverage, what each mutation re-runs, conflicts, hot
//! documents, unbounded reads and the call graph. It only renders what the engine computed.

use std::fmt::Write as _;

use convex_lens_engine::analyses::conflicts::Likelihood;
use convex_lens_engine::analyses::costs::CostRisk;
use convex_lens_engine::analyses::coverage::{IndexStatus, ReadBound, ReadSite, SiteStatus, SuggestedAction};
use convex_lens_engine::analyses::reactivity::Effect;
use convex_lens_engine::facts::TableRef;
use convex_lens_engine::{Analysis, Location};

pub fn render(analysis: &Analysis, out: &mut String) {
    coverage(analysis, out);
    invalidation(analysis, out);
    conflicts(analysis, out);
    costs(analysis, out);
    calls(analysis, out);
}

fn at(location: &Location) -> String {
    format!("{}:{}", location.file, location.line)
}

fn table(table: &TableRef) -> &str {
    table.name().unwrap_or("?")
}

fn coverage(analysis: &Analysis, out: &mut String) {
    let coverage = &analysis.analyses.coverage;
    if coverage.sites.is_empty() {
        return;
    }
    let _ = writeln!(out, "{} database reads", coverage.sites.len());
    for site in &coverage.sites {
        let _ = writeln!(out, "  {}  {}  {}  {}{}  ({})", at(&site.location), table(&site.table), status(site), bound(&site.bound), if site.in_loop { ", per element" } else { "" }, site.functions.join(", "));
        let suggestion = match &site.status {
            SiteStatus::FullScan { suggestion: Some(s), .. } | SiteStatus::PartiallyIndexed { suggestion: Some(s), .. } => Some(s),
            _ => None,
        };
        if let Some(s) = suggestion {
            let _ = match s.action {
                SuggestedAction::UseExisting => writeln!(out, "      read with {}", s.query),
                SuggestedAction::EnableStaged => writeln!(out, "      enable the staged index {} and read with {}", s.name, s.query),
                SuggestedAction::Add => writeln!(out, "      add {} and read with {}", s.definition, s.query),
            };
        }
    }
    let _ = writeln!(out, "indexes");
    for index in &coverage.indexes {
        let staged = if index.staged { " (staged)" } else { "" };
        let state = match &index.status {
            IndexStatus::Used => format!("serves {} read{}", index.sites.len(), if index.sites.len() == 1 { "" } else { "s" }),
            IndexStatus::Unused { unresolved: 0 } => "unused".to_owned(),
            IndexStatus::Unused { unresolved } => format!("unused by the reads convex-lens followed ({unresolved} it could not)"),
            IndexStatus::Redundant { covered_by, reason, .. } => format!("redundant with {covered_by}: {reason}"),
        };
        let _ = writeln!(out, "  {}.{} [{}]{staged}  {state}", index.table, index.index, index.fields.join(", "));
    }
    if !coverage.missing.is_empty() {
        let _ = writeln!(out, "missing indexes");
        for missing in &coverage.missing {
            let sites: Vec<String> = missing.sites.iter().map(at).collect();
            let _ = writeln!(out, "  {}: {} for {}", missing.suggestion.table, missing.suggestion.definition, sites.join(", "));
        }
    }
}

fn status(site: &ReadSite) -> String {
    match &site.status {
        SiteStatus::Point => "by id".into(),
        SiteStatus::Indexed { index, eq, range } => format!("{index} {}", range_text(eq, range.as_ref())),
        SiteStatus::PartiallyIndexed { index, eq, range, filtered, .. } => {
            format!("{index} {} then filter {}", range_text(eq, range.as_ref()), filtered.join(", "))
        }
        SiteStatus::FullScan { filtered, .. } if filtered.is_empty() => "full table scan".into(),
        SiteStatus::FullScan { filtered, .. } => format!("full table scan, filter {}", filtered.join(", ")),
        SiteStatus::Search { index } => format!("search {index}"),
        SiteStatus::InvalidRange { index, reason } => format!("{index}: invalid range ({reason})"),
        SiteStatus::MissingIndex { index, reason } => format!("{index}: {reason}"),
        SiteStatus::Unknown { reason, .. } => format!("unknown ({reason})"),
    }
}

fn range_text(eq: &[String], range: Option<&String>) -> String {
    let mut parts: Vec<String> = eq.iter().map(|f| format!("{f} =")).collect();
    if let Some(range) = range {
        parts.push(format!("{range} in range"));
    }
    if parts.is_empty() {
        "(whole index)".into()
    } else {
        format!("[{}]", parts.join(", "))
    }
}

fn bound(bound: &ReadBound) -> String {
    match bound {
        ReadBound::One => "1 document".into(),
        ReadBound::Limit { n: Some(n), filtered: false } => format!("at most {n}"),
        ReadBound::Limit { n: None, filtered: false } => "limited".into(),
        ReadBound::Limit { filtered: true, .. } => "limited after a filter".into(),
        ReadBound::Unique { filtered: false } => "unique".into(),
        ReadBound::Unique { filtered: true } => "unique after a filter".into(),
        ReadBound::Page => "a page".into(),
        ReadBound::Unbounded => "unbounded".into(),
        ReadBound::NotRun => "not run here".into(),
    }
}

fn invalidation(analysis: &Analysis, out: &mut String) {
    let edges = &analysis.analyses.reactivity.edges;
    if edges.is_empty() {
        return;
    }
    let _ = writeln!(out, "re-runs (mutation → the queries whose subscriptions a commit re-runs)");
    let mut mutations: Vec<&str> = edges.iter().map(|e| e.mutation.as_str()).collect();
    mutations.dedup();
    for mutation in mutations {
        let queries: Vec<String> = edges
            .iter()
            .filter(|e| e.mutation == mutation)
            .map(|e| format!("{} ({})", e.query, if e.effect == Effect::TableWide { "every subscription" } else { "keyed" }))
            .collect();
        let _ = writeln!(out, "  {mutation} → {}", queries.join(", "));
    }
}

fn conflicts(analysis: &Analysis, out: &mut String) {
    let conflicts = &analysis.analyses.conflicts;
    let always: Vec<_> = conflicts.pairs.iter().filter(|p| p.likelihood == Likelihood::Always).collect();
    if !always.is_empty() {
        let _ = writeln!(out, "write conflicts (the reader retries whenever the writer commits while it runs)");
        for pair in always {
            let _ = writeln!(out, "  {} ← {} on {}: {}", pair.reader, pair.writer, pair.table, pair.reason);
        }
    }
    if !conflicts.hot_documents.is_empty() {
        let _ = writeln!(out, "hot documents");
        for hot in &conflicts.hot_documents {
            let writers: Vec<String> = hot
                .writers
                .iter()
                .map(|w| {
                    let rmw = if w.read_modify_write.is_empty() { String::new() } else { format!(" ({} from its own value)", w.read_modify_write.join(", ")) };
                    format!("{}{rmw}", w.function)
                })
                .collect();
            let _ = writeln!(out, "  {} — {}: written by {}", hot.table, hot.document, writers.join(", "));
        }
    }
}

fn costs(analysis: &Analysis, out: &mut String) {
    let risky: Vec<_> = analysis.analyses.costs.iter().filter(|c| !c.risks.is_empty()).collect();
    if risky.is_empty() {
        return;
    }
    let _ = writeln!(out, "costs");
    for cost in risky {
        for risk in &cost.risks {
            let (location, text) = match risk {
                CostRisk::Unbounded { location, text, .. } | CostRisk::FilteredLimit { location, text, .. } | CostRisk::PerElement { location, text, .. } => (location, text),
            };
            let _ = writeln!(out, "  {} at {}: {text}", cost.function, at(location));
        }
    }
}

fn calls(analysis: &Analysis, out: &mut String) {
    let graph = &analysis.analyses.call_graph;
    if !graph.edges.is_empty() {
        let _ = writeln!(out, "calls");
        for edge in &graph.edges {
            let problem = edge.problem.as_deref().map(|p| format!("  ⚠ {p}")).unwrap_or_default();
            let repeated = if edge.in_loop { " (per element)" } else { "" };
            let _ = writeln!(out, "  {} —{}→ {}{repeated}{problem}", edge.from, edge.kind.as_str(), edge.to);
        }
    }
    if !graph.reach.is_empty() {
        let _ = writeln!(out, "writes reachable from entry points");
        for reach in &graph.reach {
            let writes: Vec<String> = reach
                .writes
                .iter()
                .map(|w| if w.through.len() > 1 { format!("{} (via {})", w.table, w.through[1..].join(" → ")) } else { w.table.clone() })
                .collect();
            let _ = writeln!(out, "  {}: {}", reach.from, writes.join(", "));
            if !reach.unauthenticated.is_empty() {
                let open: Vec<&str> = reach.unauthenticated.iter().map(|w| w.table.as_str()).collect();
                let _ = writeln!(out, "    with no identity check on the way: {}", open.join(", "));
            }
        }
    }
}
