//! Cost bounds: for each query and mutation, whether the documents its transaction scans are
//! bounded, by what (`take(n)`, `first`, `unique`, pagination, a point read), and where they
//! are not, against Convex's per-transaction limits (32,000 documents scanned, 16 MiB read,
//! 4,096 index ranges; `shared/reference/reactivity.md` §3.1); and reads repeated per element
//! of a collection (N+1).

use serde::{Deserialize, Serialize};

use super::Transactions;
use crate::facts::{Access, IndexUse, Read, Terminal};
use crate::source::Location;

pub const MAX_DOCUMENTS_SCANNED: u32 = 32_000;
pub const MAX_INDEX_RANGES: u32 = 4_096;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionCost {
    pub function: String,
    /// Every read of the transaction scans a bounded number of documents (reads repeated per
    /// element are listed, but bounded by the collection they walk).
    pub bounded: bool,
    /// The reads that are not bounded, or are repeated, with why.
    pub risks: Vec<CostRisk>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum CostRisk {
    /// `collect()` (or iteration, `count()`) of a range: every document in it is scanned.
    Unbounded { location: Location, table: String, table_wide: bool, text: String },
    /// `.filter(...)` before `take(n)` / `first()`: the scan runs until `n` documents pass.
    FilteredLimit { location: Location, table: String, text: String },
    /// A read per element of a collection: one index range each.
    PerElement { location: Location, table: String, text: String },
}

pub fn analyze(transactions: &Transactions) -> Vec<FunctionCost> {
    transactions
        .functions
        .iter()
        .map(|(function, transaction)| {
            let mut risks = Vec::new();
            for read in &transaction.reads {
                risks.extend(risk(read));
            }
            risks.dedup();
            let bounded = !risks.iter().any(|r| matches!(r, CostRisk::Unbounded { .. } | CostRisk::FilteredLimit { .. }));
            FunctionCost { function: (*function).to_owned(), bounded, risks }
        })
        .collect()
}

fn risk(read: &Read) -> Option<CostRisk> {
    let table = read.table.name().unwrap_or("?").to_owned();
    let location = read.site.location.clone();
    let (terminal, table_wide, filtered) = match &read.access {
        Access::Get { .. } => {
            return read.site.in_loop.then(|| CostRisk::PerElement {
                text: format!("reads one `{table}` document per element (each `db.get` is an index range; a transaction may read {MAX_INDEX_RANGES})"),
                location,
                table,
            });
        }
        Access::Query(query) => {
            let table_wide = !matches!(&query.index, IndexUse::Index { eq, .. } if !eq.is_empty());
            (&query.terminal, table_wide, !query.filters.is_empty())
        }
        Access::Search(search) => (&search.terminal, search.eq.is_empty(), !search.filters.is_empty()),
    };
    if read.site.in_loop {
        return Some(CostRisk::PerElement {
            text: format!("runs a `{table}` query per element (each is an index range; a transaction may read {MAX_INDEX_RANGES}, and every document scanned counts toward {MAX_DOCUMENTS_SCANNED})"),
            location,
            table,
        });
    }
    match terminal {
        Terminal::Collect | Terminal::Iterate | Terminal::Count => {
            let scope = if table_wide { format!("every `{table}` document") } else { format!("every `{table}` document in the range") };
            Some(CostRisk::Unbounded {
                text: format!("scans {scope}; the transaction fails above {MAX_DOCUMENTS_SCANNED} documents scanned or 16 MiB read"),
                location,
                table,
                table_wide,
            })
        }
        Terminal::Take { .. } | Terminal::First | Terminal::Unique if filtered => Some(CostRisk::FilteredLimit {
            text: format!("`.filter` runs before the limit: it scans `{table}` until enough documents pass, up to every document in the range"),
            location,
            table,
        }),
        _ => None,
    }
}
