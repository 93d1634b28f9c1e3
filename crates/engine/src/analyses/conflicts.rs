//! Write conflicts: Convex retries a mutation when a write committed while it ran falls in a
//! range it read (`shared/reference/reactivity.md` §2, §6.3). A patch, replace or delete reads
//! its document first, so two writers of one document always conflict. This finds pairs of
//! mutations where one's reads can contain the other's writes, and hot documents: one document
//! that every call writes (a global counter, a singleton).

use serde::{Deserialize, Serialize};

use super::{reactivity::describe, Transactions};
use crate::facts::{Access, Branch, Keying, Provenance, Read, Write, WriteOp};
use crate::source::Location;
use crate::values::FunctionKind;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflicts {
    pub pairs: Vec<ConflictPair>,
    pub hot_documents: Vec<HotDocument>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Likelihood {
    /// Only when both calls use the same key (the same id, the same `.eq` values).
    WhenKeysMatch,
    /// Whatever the arguments: the read covers every document the other writes.
    Always,
}

/// `reader` reads what `writer` writes: while `reader` runs, a commit of `writer` makes it retry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictPair {
    pub reader: String,
    pub writer: String,
    pub table: String,
    pub likelihood: Likelihood,
    pub reason: String,
    /// The writer writes there only on the first call for a key (get-or-create).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rare: bool,
    /// The reader's read (or its own write) and the writer's write.
    pub read: Location,
    pub write: Location,
}

/// One document that many calls write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HotDocument {
    pub table: String,
    /// How the document is found (`the one counters document found without a key`).
    pub document: String,
    pub writers: Vec<HotWrite>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HotWrite {
    pub function: String,
    pub location: Location,
    /// Fields written from their own previous value (`count: doc.count + 1`).
    pub read_modify_write: Vec<String>,
}

pub fn analyze(transactions: &Transactions) -> Conflicts {
    let mutations: Vec<_> = transactions.of_kind(FunctionKind::Mutation).collect();
    let mut pairs = Vec::new();
    for (reader, r) in &mutations {
        for (writer, w) in &mutations {
            if reader == writer && r.one_at_a_time {
                continue;
            }
            let mut found: Option<ConflictPair> = None;
            for write in &w.writes {
                let Some(table) = write.table.name() else { continue };
                let rare = write.site.branch == Branch::FirstUse;
                let reads = r.reads.iter().copied().filter(|read| read.table.name() == Some(table));
                let implied = r.writes.iter().copied().filter(|own| own.table.name() == Some(table) && own.op != WriteOp::Insert);
                let candidate = reads
                    .filter_map(|read| read_conflict(read, write, table).map(|(l, reason)| (l, reason, read.site.location.clone())))
                    .chain(implied.filter_map(|own| write_conflict(own, write, table).map(|(l, reason)| (l, reason, own.site.location.clone()))))
                    .max_by_key(|(l, _, _)| *l);
                if let Some((likelihood, reason, read)) = candidate {
                    let better = found.as_ref().is_none_or(|f| (f.rare, std::cmp::Reverse(f.likelihood)) > (rare, std::cmp::Reverse(likelihood)));
                    if better {
                        found = Some(ConflictPair {
                            reader: (**reader).to_owned(),
                            writer: (**writer).to_owned(),
                            table: table.to_owned(),
                            likelihood,
                            reason,
                            rare,
                            read,
                            write: write.site.location.clone(),
                        });
                    }
                }
            }
            pairs.extend(found);
        }
    }
    crate::order::sort_by(&mut pairs, |a, b| b.likelihood.cmp(&a.likelihood).then_with(|| (&a.reader, &a.writer).cmp(&(&b.reader, &b.writer))));
    Conflicts { pairs, hot_documents: hot_documents(transactions) }
}

/// A read of `reader` that `write` can fall into.
fn read_conflict(read: &Read, write: &Write, table: &str) -> Option<(Likelihood, String)> {
    // A document the writer inserted itself is one no read before it could hold.
    if matches!(write.id, Some(Provenance::Inserted { .. })) {
        return None;
    }
    match &read.access {
        Access::VectorSearch { .. } => None,
        Access::Get { id, .. } => {
            if write.op == WriteOp::Insert {
                return None;
            }
            Some(match same_document(id, write.id.as_ref()?) {
                true => (Likelihood::Always, format!("both use {} (the same `{table}` document every time)", describe(id))),
                false => (Likelihood::WhenKeysMatch, format!("it reads a `{table}` document by id that the writer may write")),
            })
        }
        Access::Query(_) => match read.access.keying()? {
            Keying::Varying(parts) => {
                let keys = parts.iter().map(|k| format!("`{}`", k.field)).collect::<Vec<_>>().join(", ");
                Some((Likelihood::WhenKeysMatch, format!("it reads `{table}` documents with given {keys}, which the writer writes")))
            }
            Keying::Constant(_) => Some((Likelihood::Always, format!("it reads `{table}` in a range keyed by constants, the same for every call, which the writer writes"))),
            Keying::Unkeyed | Keying::UnknownIndex => Some((Likelihood::Always, format!("it reads `{table}` without an `.eq` on an index (a range over the whole table), and every write of `{table}` falls in it"))),
        },
        Access::Search(_) => Some((Likelihood::WhenKeysMatch, format!("it searches `{table}`, and writes that match the search conflict"))),
    }
}

/// `own` patches, replaces or deletes a document, which reads it first; `write` writes one.
fn write_conflict(own: &Write, write: &Write, table: &str) -> Option<(Likelihood, String)> {
    if write.op == WriteOp::Insert {
        return None;
    }
    let (own_id, other_id) = (own.id.as_ref()?, write.id.as_ref()?);
    Some(match same_document(own_id, other_id) {
        true => (Likelihood::Always, format!("both write {} (the same `{table}` document every time)", describe(own_id))),
        false => (Likelihood::WhenKeysMatch, format!("both write `{table}` documents, and conflict when it is the same one")),
    })
}

/// Ids that name the same document for every call: a singleton, a constant, an env variable.
fn same_document(a: &Provenance, b: &Provenance) -> bool {
    is_global(a) && a == b
}

fn is_global(id: &Provenance) -> bool {
    matches!(id, Provenance::Singleton { .. } | Provenance::Const(_) | Provenance::Env(_))
}

/// Documents every caller shares (found without a key, or by a constant) that a mutation
/// updates from their own value on the path that commits in normal use (a global counter): each
/// such call conflicts with every other one in flight. A document keyed by the caller's
/// arguments is one entity's, shared only by those who name it; a write made on a first call's
/// branch is rare; a guarded read-modify-write (check the stock, then take one) must serialise,
/// so sharding it would be wrong; writing values given by the caller (a settings form) is
/// last-write-wins, not a counter.
fn hot_documents(transactions: &Transactions) -> Vec<HotDocument> {
    let mut hot: Vec<HotDocument> = Vec::new();
    for (function, transaction) in transactions.of_kind(FunctionKind::Mutation) {
        // Only some callers (a role, a permission) get to its writes: not a crowd.
        if transaction.facts.auth.iter().any(|a| a.restricts) {
            continue;
        }
        for write in &transaction.writes {
            let (Some(table), Some(id)) = (write.table.name(), write.id.as_ref()) else { continue };
            if write.op == WriteOp::Insert || write.site.branch == Branch::FirstUse || !is_global(id) {
                continue;
            }
            let read_modify_write: Vec<String> = write
                .fields
                .iter()
                .flatten()
                .filter(|part| matches!(&part.value, Provenance::Doc { table: t, field } if t == table && *field == part.field))
                .map(|part| part.field.clone())
                .collect();
            if read_modify_write.is_empty() || read_modify_write.iter().all(|field| write.guarded.contains(field)) {
                continue;
            }
            let entry = HotWrite { function: (*function).to_owned(), location: write.site.location.clone(), read_modify_write };
            let document = describe(id);
            match hot.iter_mut().find(|h| h.table == table && h.document == document) {
                Some(existing) if !existing.writers.iter().any(|w| w.function == entry.function && w.location == entry.location) => existing.writers.push(entry),
                Some(_) => {}
                None => hot.push(HotDocument { table: table.to_owned(), document, writers: vec![entry] }),
            }
        }
    }
    // A document only one function writes, whose runs never overlap, has no one to contend with.
    hot.retain(|h| h.writers.iter().any(|w| w.function != h.writers[0].function || !transactions.functions[w.function.as_str()].one_at_a_time));
    hot
}
