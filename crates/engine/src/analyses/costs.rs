//! Cost bounds: for each query and mutation, whether the documents its transaction scans are
//! bounded, by what (`take(n)`, `first`, `unique`, pagination, a point read), and where they
//! are not, against Convex's per-transaction limits (32,000 documents scanned, 16 MiB read,
//! 4,096 index ranges; `shared/reference/reactivity.md` §3.1); and reads repeated per element
//! of a collection (N+1).

use serde::{Deserialize, Serialize};

use super::Transactions;
use super::coverage::{bound_of, ReadBound};
use crate::facts::{Access, Keying, Read};
use crate::source::Location;

pub const MAX_DOCUMENTS_SCANNED: u32 = 32_000;
pub const MAX_INDEX_RANGES: u32 = 4_096;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionCost {
    pub function: String,
    /// Every read of the transaction scans a bounded number of documents. A bounded read
    /// repeated per element is listed as a risk but still counts as bounded: the collection it
    /// walks bounds it.
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
            let mut risks: Vec<CostRisk> = Vec::new();
            // A helper's read reached on several paths is one risk.
            for risk in transaction.reads.iter().flat_map(|read| risks_of(read)) {
                if !risks.contains(&risk) {
                    risks.push(risk);
                }
            }
            let bounded = !risks.iter().any(|r| matches!(r, CostRisk::Unbounded { .. } | CostRisk::FilteredLimit { .. }));
            FunctionCost { function: (*function).to_owned(), bounded, risks }
        })
        .collect()
}

/// What a read risks: running once per element, and scanning without a bound (a read in a loop
/// can do both).
fn risks_of(read: &Read) -> Vec<CostRisk> {
    let table = read.table.name().unwrap_or("?").to_owned();
    let location = || read.site.location.clone();
    let mut risks = Vec::new();
    if read.site.in_loop {
        let text = match read.access {
            Access::Get { .. } => format!("reads one `{table}` document per element (each `db.get` is an index range; a transaction may read {MAX_INDEX_RANGES})"),
            _ => format!("runs a `{table}` query per element (each is an index range; a transaction may read {MAX_INDEX_RANGES}, and every document scanned counts toward {MAX_DOCUMENTS_SCANNED})"),
        };
        risks.push(CostRisk::PerElement { location: location(), table: table.clone(), text });
    }
    match bound_of(&read.access) {
        ReadBound::Unbounded => {
            let table_wide = !matches!(read.access.keying(), Some(Keying::Constant(_) | Keying::Varying(_)));
            let scope = if table_wide { format!("every `{table}` document") } else { format!("every `{table}` document in the range") };
            let text = format!("scans {scope}; the transaction fails above {MAX_DOCUMENTS_SCANNED} documents scanned or 16 MiB read");
            risks.push(CostRisk::Unbounded { location: location(), table, table_wide, text });
        }
        ReadBound::Limit { filtered: true, .. } | ReadBound::Unique { filtered: true } => {
            let text = format!("`.filter` runs before the limit: it scans `{table}` until enough documents pass, up to every document in the range");
            risks.push(CostRisk::FilteredLimit { location: location(), table, text });
        }
        _ => {}
    }
    risks
}
