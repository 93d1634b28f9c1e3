//! Hot documents: one document every call shares, updated from its own value on every call.

use super::{at, distinct, names, Finding, FindingKind, Related};
use crate::diagnostics::Severity;
use crate::Analysis;

pub(super) fn hot_documents(analysis: &Analysis, found: &mut Vec<Finding>) {
    for hot in &analysis.analyses.conflicts.hot_documents {
        let writers = distinct(hot.writers.iter().map(|w| w.function.clone()));
        let fields = distinct(hot.writers.iter().flat_map(|w| w.read_modify_write.iter().map(|f| format!("`{f}`"))));
        let document = if hot.document.contains(&format!("`{}`", hot.table)) { hot.document.clone() } else { format!("{} of `{}`", hot.document, hot.table) };
        found.push(Finding {
            kind: FindingKind::HotDocument,
            severity: Severity::Warning,
            message: format!("Hot document: every call of {} updates {document} from its own value ({})", names(&writers), fields.join(", ")),
            advice: "Every call reads the same document and writes it back, so calls in flight at the same time conflict: Convex retries them, they queue behind each other, and under load they fail after repeated retries (\"Documents read from or written to the table changed while this mutation was being run\"). Spread the count over several documents (`@convex-dev/sharded-counter`), keep it in `@convex-dev/aggregate`, or update it from a scheduled function or a workpool with one worker.".into(),
            location: hot.writers.first().map(|w| w.location.clone()),
            related: hot.writers.iter().skip(1).map(|w| Related { label: format!("`{}` updates it", w.function), location: w.location.clone() }).collect(),
            facts: hot.writers.iter().map(|w| format!("`{}` writes {} at {} from its own {}", w.function, hot.document, at(&w.location), w.read_modify_write.join(", "))).collect(),
            subjects: std::iter::once(hot.table.clone()).chain(writers.iter().cloned()).collect(),
        });
    }
}
