//! Indexes: redundant and unused ones of the app's own schema. A library's or a generator's
//! indexes are not the app's to prune; a verdict that reads convex-lens could not follow might
//! overturn is held back.

use super::{count, Finding, FindingKind, Held, Related};
use crate::analyses::coverage::{IndexStatus, IndexUsage, RangeKind, SiteStatus};
use crate::values::LibraryValue;
use crate::diagnostics::Severity;
use crate::schema::DefinitionKind;
use crate::source::Location;
use crate::Analysis;

pub(super) fn indexes(analysis: &Analysis, found: &mut Vec<Finding>, held: &mut Vec<Held>) {
    let hidden = hidden_functions(analysis);
    let written: Vec<&str> = analysis.facts.iter().flat_map(|f| f.writes.iter().filter_map(|w| w.table.name())).collect();
    let mut unused: Vec<(&IndexUsage, Option<Location>)> = Vec::new();
    for usage in analysis.analyses.coverage.indexes.iter().filter(|u| u.owner.is_none() && !u.staged) {
        let location = index_at(analysis, usage);
        let name = format!("`{}.{}`", usage.table, usage.index);
        let (kind, unresolved) = match &usage.status {
            IndexStatus::Redundant { unresolved, .. } => (FindingKind::RedundantIndex, *unresolved),
            IndexStatus::Unused { unresolved } => (FindingKind::UnusedIndex, *unresolved),
            IndexStatus::Used => continue,
        };
        if let Some(library) = &usage.read_by {
            let question = if kind == FindingKind::UnusedIndex { format!("whether {name} is used") } else { format!("whether {name} is redundant") };
            let reason = format!("`{}` is given to {}, which may read it through any of its indexes", usage.table, library.describe());
            held.push(Held::new(kind, question, location, &reason, Some(library)));
            continue;
        }
        if !written.contains(&usage.table.as_str()) && hidden.is_none() {
            // Nothing writes the table: its indexes cost nothing (a dead table is another matter).
            continue;
        }
        if unresolved > 0 {
            let question = if kind == FindingKind::UnusedIndex { format!("whether {name} is used") } else { format!("whether {name} is redundant") };
            let (reason, library) = unresolved_cause(analysis, &usage.table, unresolved);
            held.push(Held::new(kind, question, location, &reason, library.as_ref()));
            continue;
        }
        if kind == FindingKind::UnusedIndex {
            // Functions the model lacks may read it.
            if let Some((reason, library)) = &hidden {
                held.push(Held::new(kind, format!("whether {name} is used"), location, reason, library.as_ref()));
                continue;
            }
        }
        match kind {
            FindingKind::UnusedIndex => unused.push((usage, location)),
            _ => found.push(finding(analysis, usage, &name, location)),
        }
    }
    // A table's unused indexes are one finding: one look at the table's reads settles them.
    let mut tables: Vec<Vec<(&IndexUsage, Option<Location>)>> = Vec::new();
    for entry in unused {
        match tables.iter_mut().find(|t| t[0].0.table == entry.0.table) {
            Some(table) => table.push(entry),
            None => tables.push(vec![entry]),
        }
    }
    found.extend(tables.iter().map(|table| unused_indexes(table)));
}

fn unused_indexes(indexes: &[(&IndexUsage, Option<Location>)]) -> Finding {
    let (first, location) = &indexes[0];
    let table = &first.table;
    let names: Vec<String> = indexes.iter().map(|(u, _)| format!("`{}`", u.index)).collect();
    let message = match indexes {
        [_] => format!("Unused index `{table}.{}`: no read uses it", first.index),
        _ => format!("`{table}` has {} indexes no read uses: {}", indexes.len(), names.join(", ")),
    };
    let (them, their) = if indexes.len() == 1 { ("it", "its") } else { ("them", "their") };
    Finding {
        kind: FindingKind::UnusedIndex,
        severity: Severity::Info,
        message,
        advice: format!("Every insert, patch and delete of `{table}` updates each index, and each takes storage, but none of the app's reads goes through {them}. Remove {them}, or use {them} where a read filters on {their} fields."),
        location: location.clone(),
        related: indexes.iter().skip(1).filter_map(|(u, l)| Some(Related { label: format!("`{table}.{}` is defined here", u.index), location: l.clone()? })).collect(),
        facts: indexes.iter().map(|(u, _)| format!("no read of `{table}` convex-lens followed uses `{table}.{}` [{}]", u.index, u.fields.join(", "))).collect(),
        subjects: std::iter::once(table.clone()).chain(indexes.iter().map(|(u, _)| format!("{table}.{}", u.index))).collect(),
    }
}

/// Why some handlers of the app are not in the facts, if any are not (a function made with a
/// builder convex-lens cannot evaluate, or no function at all among the files): what they read
/// is unknown.
fn hidden_functions(analysis: &Analysis) -> Option<(String, Option<LibraryValue>)> {
    if analysis.functions.is_empty() {
        return Some(("the files analysed hold no Convex functions, so no reads".into(), None));
    }
    if let Some(stop) = analysis.facts.iter().find_map(|f| Some((f, f.unknowns.iter().find(|u| u.stopped)?))) {
        let (facts, unknown) = stop;
        return Some((format!("the walk of `{}` stopped ({}), so its reads past that are unknown", facts.function, unknown.reason), None));
    }
    let opaque = analysis.opaque_exports.iter().find(|o| o.handler)?;
    Some((format!("functions such as `{}` could not be evaluated: {}", opaque.path, opaque.reason), opaque.library.clone()))
}

/// Why reads of `table` could not be followed: the first such read's reason, else a library
/// call that was given the table's name.
fn unresolved_cause(analysis: &Analysis, table: &str, unresolved: usize) -> (String, Option<LibraryValue>) {
    let sites = &analysis.analyses.coverage.sites;
    let site = sites.iter().find(|s| s.table.name() == Some(table) && matches!(s.status, SiteStatus::Unknown { .. }));
    let site = site.or_else(|| sites.iter().find(|s| s.table.name().is_none() && s.range != RangeKind::Point));
    match site.map(|s| &s.status) {
        Some(SiteStatus::Unknown { reason, library }) => (reason.clone(), library.clone()),
        _ => {
            let call = analysis.facts.iter().flat_map(|f| &f.opaque).find(|o| o.tables.iter().any(|t| t == table));
            match call {
                Some(call) => (format!("`{}` is given the table `{table}`: {}", call.callee, call.reason), call.library.clone()),
                None => (format!("{} of `{table}` could not be followed", count(unresolved, "read", "reads")), None),
            }
        }
    }
}

fn index_at(analysis: &Analysis, usage: &IndexUsage) -> Option<Location> {
    let qualified = format!("{}.{}", usage.table, usage.index);
    analysis.definitions.iter().find(|d| d.kind == DefinitionKind::Index && d.name == qualified).map(|d| d.location.clone())
}

fn finding(analysis: &Analysis, usage: &IndexUsage, name: &str, location: Option<Location>) -> Finding {
    match &usage.status {
        IndexStatus::Redundant { covered_by, reason, .. } => {
            let mut advice = format!(
                "`{covered_by}` serves every read that uses {name}, and none asks for its order (`.order`, `.first`, `.take`, pages). Each index is another copy of the table's keys that every insert, patch and delete updates: remove {name} and read through `{covered_by}`."
            );
            let collected = collected_through(analysis, usage);
            if !collected.is_empty() {
                let longer = analysis.analyses.coverage.indexes.iter().find(|u| u.table == usage.table && &u.index == covered_by);
                let extra = longer.map(|u| u.fields[usage.fields.len().min(u.fields.len())..].iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                advice.push_str(&format!(
                    " One thing changes: {} a range that comes back in creation order through {name} and ordered by {extra} through `{covered_by}`; if a list shows it as read, sort it by `_creationTime` after the change (or keep {name}).",
                    super::sentence(&collected, "collect"),
                ));
            }
            Finding {
                kind: FindingKind::RedundantIndex,
                severity: Severity::Info,
                message: format!("Redundant index {name}: {reason}"),
                advice,
                location,
                related: Vec::new(),
                facts: vec![format!("{name} holds [{}]; {reason}", usage.fields.join(", "))],
                subjects: vec![usage.table.clone(), format!("{}.{}", usage.table, usage.index)],
            }
        }
        _ => unused_indexes(&[(usage, location)]),
    }
}

/// The queries that `.collect()` a range through the index: a client may show it in the order
/// it comes in, which the longer index changes.
fn collected_through(analysis: &Analysis, usage: &IndexUsage) -> Vec<String> {
    let queries: Vec<&str> = analysis.functions.iter().filter(|f| f.kind == crate::values::FunctionKind::Query).map(|f| f.path.as_str()).collect();
    super::distinct(
        analysis
            .analyses
            .coverage
            .sites
            .iter()
            .filter(|site| usage.sites.contains(&site.location) && site.bound == crate::analyses::coverage::ReadBound::Unbounded)
            .flat_map(|site| site.functions.iter().filter(|f| queries.contains(&f.as_str())).cloned()),
    )
}
