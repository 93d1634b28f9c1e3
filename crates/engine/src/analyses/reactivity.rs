//! The reactive graph: for every (mutation, query) pair, whether a commit of the mutation re-runs
//! the query's subscriptions, and how widely. A subscription re-runs when a written document's
//! old or new key on an index falls in a range the query read on that index
//! (`shared/reference/reactivity.md` §1.3, §6.2). So:
//! - a point read (`db.get`) re-runs only for writes of that document;
//! - a range with an `.eq` prefix re-runs only for subscriptions whose prefix values are the
//!   written document's: keyed, when the write says those values (an insert that sets the
//!   fields; a patch, replace or delete touches a document that has them);
//! - a range without an `.eq` prefix (a full scan, a bare `withIndex`, a range on
//!   `_creationTime` only) re-runs every subscription, for any write of the table.
//!
//! A patch of fields the query does not use still re-runs it: the document is in its range.

use serde::{Deserialize, Serialize};

use super::Transactions;
use crate::facts::{Access, KeyPart, Keying, Provenance, Read, Write, WriteOp};
use crate::values::FunctionKind;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reactivity {
    /// Every (mutation, query) pair a commit can re-run.
    pub edges: Vec<Invalidation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Effect {
    /// Only subscriptions whose key (an id, the `.eq` prefix) is the written document's.
    Keyed,
    /// Every subscription of the query.
    TableWide,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invalidation {
    pub mutation: String,
    pub query: String,
    /// The widest effect of the pairs of a write and a read.
    pub effect: Effect,
    pub tables: Vec<String>,
    /// One sentence per write and read pair, widest first.
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub effect: Effect,
    pub table: String,
    pub text: String,
}

pub fn analyze(transactions: &Transactions) -> Reactivity {
    let mut edges = Vec::new();
    for (mutation, m) in transactions.of_kind(FunctionKind::Mutation) {
        for (query, q) in transactions.of_kind(FunctionKind::Query) {
            let mut reasons: Vec<Reason> = Vec::new();
            for write in &m.writes {
                let Some(table) = write.table.name() else { continue };
                for read in q.reads.iter().filter(|r| r.table.name() == Some(table)) {
                    if let Some(reason) = pair(write, read, table) {
                        if !reasons.contains(&reason) {
                            reasons.push(reason);
                        }
                    }
                }
            }
            if reasons.is_empty() {
                continue;
            }
            reasons.sort_by_key(|r| std::cmp::Reverse(r.effect));
            let mut tables: Vec<String> = reasons.iter().map(|r| r.table.clone()).collect();
            tables.sort();
            tables.dedup();
            edges.push(Invalidation { mutation: (*mutation).to_owned(), query: (*query).to_owned(), effect: reasons[0].effect, tables, reasons });
        }
    }
    Reactivity { edges }
}

/// Whether a write can re-run subscriptions of a read, and how widely.
fn pair(write: &Write, read: &Read, table: &str) -> Option<Reason> {
    let verb = match write.op {
        WriteOp::Insert => "inserts into",
        WriteOp::Patch => "patches",
        WriteOp::Replace => "replaces",
        WriteOp::Delete => "deletes from",
    };
    let reason = |effect, text: String| Some(Reason { effect, table: table.to_owned(), text });
    match &read.access {
        Access::Get { .. } => match write.op {
            // A new document has an id no earlier read could have asked for.
            WriteOp::Insert => None,
            _ => reason(Effect::Keyed, format!("{verb} `{table}` documents; only subscriptions that read the written document by id re-run")),
        },
        Access::Query(_) | Access::Search(_) => {
            let what = if matches!(read.access, Access::Search(_)) { "search" } else { "range" };
            match read.access.keying()? {
                Keying::UnknownIndex => reason(Effect::TableWide, format!("{verb} `{table}`, which the query reads through an index convex-lens cannot tell")),
                Keying::Unkeyed => {
                    let how = if what == "search" { format!("searches every `{table}` document") } else { format!("reads `{table}` without an `.eq` on an index") };
                    reason(Effect::TableWide, format!("{verb} `{table}`; the query {how}, so every subscription re-runs"))
                }
                // A key made only of constants is the same for every subscription: they all re-run.
                Keying::Constant(parts) => reason(
                    Effect::TableWide,
                    format!("{verb} `{table}`; the query's {what} is keyed by constants ({}), the same for every subscription, so all of them re-run", keys_text(parts)),
                ),
                Keying::Varying(parts) => Some(keyed_or_wide(write, verb, table, parts, what)),
            }
        }
    }
}

/// A write into a range keyed by values that vary between subscriptions re-runs only those
/// whose key is the written document's, when the write says the keyed fields.
fn keyed_or_wide(write: &Write, verb: &str, table: &str, parts: &[KeyPart], what: &str) -> Reason {
    let keys = keys_text(parts);
    let written_sets_key = match write.op {
        WriteOp::Insert => write.fields.as_ref().is_some_and(|written| parts.iter().all(|k| written.iter().any(|w| w.field == k.field))),
        _ => true,
    };
    let (effect, text) = if written_sets_key {
        (Effect::Keyed, format!("{verb} `{table}`; the query's {what} is keyed by {keys}, so only subscriptions whose key is the written document's re-run"))
    } else {
        let fields: Vec<&str> = parts.iter().map(|k| k.field.as_str()).collect();
        (Effect::TableWide, format!("{verb} `{table}` without saying {}; the query's {what} is keyed by {keys}, so any subscription may re-run", fields.join(", ")))
    };
    Reason { effect, table: table.to_owned(), text }
}

fn keys_text(parts: &[KeyPart]) -> String {
    parts.iter().map(|k| format!("`{}` = {}", k.field, describe(&k.value))).collect::<Vec<_>>().join(", ")
}

/// Where a key comes from, for people.
pub fn describe(value: &Provenance) -> String {
    match value {
        Provenance::Arg(path) => format!("the argument `{path}`"),
        Provenance::Auth(claim) => format!("the caller's identity ({claim})"),
        Provenance::Const(json) => format!("the constant {json}"),
        Provenance::Doc { table, field } => format!("a `{table}` document's `{field}`"),
        Provenance::Singleton { table } => format!("the one `{table}` document found without a key"),
        Provenance::Inserted { table } => format!("a `{table}` document inserted here"),
        Provenance::Time => "the time".into(),
        Provenance::Random => "a random value".into(),
        Provenance::Env(name) => format!("the environment variable {name}"),
        Provenance::Unknown => "a value convex-lens cannot follow".into(),
    }
}
