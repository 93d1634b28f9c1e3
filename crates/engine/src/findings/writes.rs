//! Writes: hot documents, re-runs of every subscription, write conflicts.

use std::collections::BTreeMap;

use super::{defined_at, finding, names, Finding, FindingKind};
use crate::analyses::conflicts::Likelihood;
use crate::analyses::reactivity::Effect;
use crate::diagnostics::Severity;
use crate::Analysis;

pub(super) fn hot_documents(analysis: &Analysis, found: &mut Vec<Finding>) {
    for hot in &analysis.analyses.conflicts.hot_documents {
        let writers: Vec<String> = hot.writers.iter().map(|w| w.function.clone()).collect();
        let text = format!("Hot document: {} is written by every call of {}; concurrent calls conflict and retry", hot.document, names(&writers));
        found.push(finding(Severity::Warning, FindingKind::HotDocument, text, hot.writers.first().map(|w| w.location.clone())));
    }
}

/// One finding per mutation: the queries all of whose subscriptions each of its commits re-runs.
pub(super) fn wide_reruns(analysis: &Analysis, found: &mut Vec<Finding>) {
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
        found.push(finding(Severity::Warning, FindingKind::WideRerun, text, defined_at(analysis, mutation)));
    }
}

pub(super) fn conflicts(analysis: &Analysis, found: &mut Vec<Finding>) {
    for pair in analysis.analyses.conflicts.pairs.iter().filter(|p| p.likelihood == Likelihood::Always) {
        let who = if pair.reader == pair.writer {
            format!("Concurrent calls of `{}` conflict", pair.reader)
        } else {
            format!("`{}` retries whenever `{}` commits", pair.reader, pair.writer)
        };
        let text = format!("{who}: {}", pair.reason);
        found.push(finding(Severity::Warning, FindingKind::Conflict, text, defined_at(analysis, &pair.reader)));
    }
}
