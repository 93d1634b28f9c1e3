//! Reads: rejected ranges, full scans, filters after an index, unbounded and per-element reads.

use super::{finding, names, Finding, FindingKind};
use crate::analyses::costs::CostRisk;
use crate::analyses::coverage::{ReadBound, SiteStatus, SuggestedAction};
use crate::diagnostics::Severity;
use crate::source::Location;
use crate::Analysis;

pub(super) fn read_sites(analysis: &Analysis, found: &mut Vec<Finding>) {
    for site in &analysis.analyses.coverage.sites {
        let table = site.table.name().unwrap_or("?");
        let functions = names(&site.functions);
        let (severity, kind, text) = match &site.status {
            SiteStatus::InvalidRange { index, reason } | SiteStatus::MissingIndex { index, reason } => {
                (Severity::Error, FindingKind::RejectedRead, format!("A read of `{table}` through `{index}` in {functions} is rejected: {reason}"))
            }
            SiteStatus::FullScan { filtered, .. } => {
                let (severity, scan) = full_scan(&site.bound, table, filtered);
                (severity, FindingKind::FullScan, format!("{scan} (in {functions})"))
            }
            SiteStatus::PartiallyIndexed { index, filtered, suggestion, .. } => {
                let better = match suggestion.as_ref().map(|s| (s.action, &s.name)) {
                    Some((SuggestedAction::UseExisting, name)) => format!("; `{name}` serves them"),
                    Some((SuggestedAction::EnableStaged, name)) => format!("; the staged `{name}` would serve them"),
                    Some((SuggestedAction::Add, name)) => format!("; an index `{name}` would serve them"),
                    None => String::new(),
                };
                let text = format!("A read of `{table}` through `{index}` in {functions} scans the range, then `.filter`s on {}{better}", filtered.join(", "));
                (Severity::Warning, FindingKind::FilterAfterIndex, text)
            }
            SiteStatus::Unknown { reason } => (Severity::Info, FindingKind::UnknownRead, format!("A read of `{table}` in {functions} is not followed: {reason}")),
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

/// The costs' risks, one per place (a helper's read reached by several functions names them
/// all). An unbounded or filtered read that is a full scan is already one.
pub(super) fn cost_risks(analysis: &Analysis, found: &mut Vec<Finding>) {
    let scanned: Vec<&Location> = analysis.analyses.coverage.sites.iter().filter(|s| matches!(s.status, SiteStatus::FullScan { .. })).map(|s| &s.location).collect();
    let mut risks: Vec<(FindingKind, &Location, &str, Vec<String>)> = Vec::new();
    for cost in &analysis.analyses.costs {
        for risk in &cost.risks {
            let (kind, location, text) = match risk {
                CostRisk::Unbounded { location, text, .. } => (FindingKind::UnboundedRead, location, text.as_str()),
                CostRisk::FilteredLimit { location, text, .. } => (FindingKind::FilterBeforeLimit, location, text.as_str()),
                CostRisk::PerElement { location, text, .. } => (FindingKind::PerElement, location, text.as_str()),
            };
            if kind != FindingKind::PerElement && scanned.contains(&location) {
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
