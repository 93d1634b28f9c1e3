//! Indexes: missing, redundant and unused.

use super::{count, finding, Finding, FindingKind};
use crate::analyses::coverage::IndexStatus;
use crate::diagnostics::Severity;
use crate::schema::DefinitionKind;
use crate::Analysis;

pub(super) fn indexes(analysis: &Analysis, found: &mut Vec<Finding>) {
    let coverage = &analysis.analyses.coverage;
    for missing in &coverage.missing {
        let suggestion = &missing.suggestion;
        let reads = count(missing.sites.len(), "read scans", "reads scan");
        let text = format!("Missing index: add {} to `{}`; {reads} without it", suggestion.definition, suggestion.table);
        found.push(finding(Severity::Warning, FindingKind::MissingIndex, text, missing.sites.first().cloned()));
    }
    let index_at = |table: &str, index: &str| {
        let qualified = format!("{table}.{index}");
        analysis.definitions.iter().find(|d| d.kind == DefinitionKind::Index && d.name == qualified).map(|d| d.location.clone())
    };
    for usage in &coverage.indexes {
        let (severity, kind, text) = match &usage.status {
            IndexStatus::Redundant { covered_by, reason } => (
                Severity::Warning,
                FindingKind::RedundantIndex,
                format!("Redundant index `{}.{}`: {reason}; `{covered_by}` serves its reads, and each index costs every write", usage.table, usage.index),
            ),
            // A staged index is unused until it is enabled, on purpose.
            IndexStatus::Unused { unresolved } if !usage.staged => {
                let unsure = match *unresolved {
                    0 => String::new(),
                    n => format!(" ({} of the table could not be followed)", count(n, "read", "reads")),
                };
                (Severity::Info, FindingKind::UnusedIndex, format!("Unused index `{}.{}`: no read uses it, yet every write updates it{unsure}", usage.table, usage.index))
            }
            _ => continue,
        };
        found.push(finding(severity, kind, text, index_at(&usage.table, &usage.index)));
    }
}
