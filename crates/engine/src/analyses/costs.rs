//! Cost bounds: for each query and mutation, whether the documents its transaction scans are
//! bounded, by what (`take(n)`, `first`, `unique`, pagination, a point read, one key's range),
//! and where they are not, against Convex's per-transaction limits (32,000 documents scanned, 16 MiB read,
//! 4,096 index ranges; `shared/reference/reactivity.md` §3.1); and reads repeated per element
//! of a collection (N+1).

use serde::{Deserialize, Serialize};

use super::Transactions;
use super::coverage::{bound_of, RangeKind, ReadBound};
use crate::facts::{Access, LoopBound, Read};
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
    /// A read per element of a collection that is not bounded by design: one index range each.
    /// `over` is the read whose documents the loop walks, when it walks a read's.
    PerElement {
        location: Location,
        table: String,
        bound: LoopBound,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        over: Option<Location>,
        text: String,
    },
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

/// What a read risks: running once per element of a collection that is not bounded by design,
/// and scanning a range that grows with its table without a bound (a read in a loop can do
/// both). A range of one key (one user's sessions, one order's items) is bounded by that key's
/// fan-out, and a loop over it, or over a literal number of elements, by design.
fn risks_of(read: &Read) -> Vec<CostRisk> {
    let table = read.table.name().unwrap_or("?").to_owned();
    let location = || read.site.location.clone();
    let range = RangeKind::of(&read.access);
    let mut risks = Vec::new();
    let too_many = |n: &Option<u32>| n.is_some_and(|n| n > MAX_INDEX_RANGES);
    if let Some(bound @ (LoopBound::Table | LoopBound::Unknown | LoopBound::Literal(_))) = read.site.loop_bound {
        let over = match bound {
            LoopBound::Table => "per document of a range that grows with its table".to_owned(),
            LoopBound::Literal(n) if too_many(&n) => format!("per element of up to {} elements", n.unwrap_or_default()),
            LoopBound::Literal(_) => return risks_of_range(read, table, range, risks),
            _ => "per element of a collection nothing in the code bounds".to_owned(),
        };
        let text = match read.access {
            Access::Get { .. } => format!("reads one `{table}` document {over} (each `db.get` is an index range; a transaction may read {MAX_INDEX_RANGES})"),
            _ => format!("runs a `{table}` query {over} (each is an index range; a transaction may read {MAX_INDEX_RANGES}, and every document scanned counts toward {MAX_DOCUMENTS_SCANNED})"),
        };
        risks.push(CostRisk::PerElement { location: location(), table: table.clone(), bound, over: read.site.loop_over.clone(), text });
    }
    risks_of_range(read, table, range, risks)
}

/// What scanning the read's range risks, added to `risks`.
fn risks_of_range(read: &Read, table: String, range: RangeKind, mut risks: Vec<CostRisk>) -> Vec<CostRisk> {
    let location = || read.site.location.clone();
    if !range.grows_with_table() {
        return risks;
    }
    match bound_of(&read.access) {
        ReadBound::Unbounded => {
            let table_wide = range == RangeKind::Table;
            let scope = if table_wide { format!("every `{table}` document") } else { format!("every `{table}` document of a range keyed only by constants") };
            let text = format!("scans {scope}; the transaction fails above {MAX_DOCUMENTS_SCANNED} documents scanned or 16 MiB read");
            risks.push(CostRisk::Unbounded { location: location(), table, table_wide, text });
        }
        ReadBound::Limit { filtered: true, .. } | ReadBound::Unique { filtered: true } => {
            let text = format!("`.filter` runs before the limit: it scans `{table}` until enough documents pass, up to every document of a range that grows with the table");
            risks.push(CostRisk::FilteredLimit { location: location(), table, text });
        }
        _ => {}
    }
    risks
}
