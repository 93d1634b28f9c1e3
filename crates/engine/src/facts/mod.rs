//! Facts per function: what each handler reads (`ctx.db.get`, query chains with their index
//! range, filters and terminal, searches, system tables, `ctx.auth`), writes (`insert`,
//! `patch`, `replace`, `delete` with the table and the fields), and calls (`ctx.runQuery` /
//! `runMutation` / `runAction`, the scheduler), following the helpers it calls across modules
//! with `ctx` passed along and the customizations' inputs that run before it.
//!
//! The facts come from an abstract reading of the handler ([`walk`]): values are followed as far
//! as where they come from matters (an argument, the caller's identity, a document of a table, a
//! constant); what cannot be followed is an explicit unknown with a reason. Each value used as a
//! key (an index range bound, a document id, a written field) carries its [`Provenance`], which
//! the analyses use to tell which subscriptions a write invalidates.

mod abs;
mod db;
mod helpers;
mod types;
mod walk;

use serde::{Deserialize, Serialize};

use crate::source::Location;
use crate::values::FunctionKind;

pub(crate) use walk::{extract, FunctionCode};

/// Everything one function does to the database and to other functions, its helpers included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionFacts {
    /// `dir/file:export`, or `http <METHOD> <path>` for a route's handler.
    pub function: String,
    pub kind: FunctionKind,
    pub reads: Vec<Read>,
    pub writes: Vec<Write>,
    pub calls: Vec<Call>,
    /// `ctx.auth.getUserIdentity()` calls, and which helper made them.
    pub auth: Vec<AuthCheck>,
    /// `Date.now()`, `new Date()`, `Math.random()` and the like.
    pub nondeterminism: Vec<Nondeterminism>,
    /// What the walk could not follow, and why.
    pub unknowns: Vec<FactUnknown>,
}

/// Where a fact was found: the call site, and the helpers it was reached through (outermost
/// first), each as `name (file:line)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    pub location: Location,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// Inside a loop or a callback run per element (`for`, `.map`, ...): it runs many times.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_loop: bool,
    /// Inside `Promise.all(...)`: it runs concurrently with its siblings.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub concurrent: bool,
}

/// A table as far as it is known: its name in JSON, or `{ "unknown": reason }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TableRef {
    Name(String),
    /// Why the table is not known statically.
    Unknown { unknown: String },
}

impl TableRef {
    pub fn name(&self) -> Option<&str> {
        match self {
            TableRef::Name(name) => Some(name),
            TableRef::Unknown { .. } => None,
        }
    }

    pub fn unknown(reason: impl Into<String>) -> TableRef {
        TableRef::Unknown { unknown: reason.into() }
    }
}

/// Where a value comes from, as far as keys and invalidation care.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Provenance {
    /// An argument of the function, by path (`channelId`, `filter.status`).
    Arg(String),
    /// The caller's identity (`ctx.auth.getUserIdentity()`), by claim (`tokenIdentifier`).
    Auth(String),
    /// A constant of the source, as Convex JSON.
    Const(String),
    /// A field of a document read earlier.
    Doc { table: String, field: String },
    /// The id of a document found by a query without a key: one document for every caller.
    Singleton { table: String },
    /// The id `insert` returned.
    Inserted { table: String },
    /// `Date.now()` and the like.
    Time,
    /// `Math.random()` and the like.
    Random,
    /// An environment variable.
    Env(String),
    Unknown,
}

/// How a query's or a search's range is keyed, which decides how many subscriptions a write
/// re-runs and how many calls a write conflicts with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Keying<'f> {
    /// No `.eq` on an index: the range covers the whole table.
    Unkeyed,
    /// `.eq` on constants only: the same range for every call.
    Constant(&'f [KeyPart]),
    /// `.eq` on values that vary between calls (arguments, identity, documents read).
    Varying(&'f [KeyPart]),
    /// `withIndex` with a name convex-lens cannot tell: the range is unknown.
    UnknownIndex,
}

impl Access {
    /// The keying of a query's or a search's range; `None` for a point read (`db.get`).
    pub fn keying(&self) -> Option<Keying<'_>> {
        let constant = |value: &Provenance| matches!(value, Provenance::Const(_));
        let (parts, varies_otherwise) = match self {
            Access::Get { .. } => return None,
            Access::Query(query) => match &query.index {
                IndexUse::Index { eq, .. } => (eq.as_slice(), false),
                IndexUse::FullScan { .. } => (&[][..], false),
                IndexUse::Unknown { .. } => return Some(Keying::UnknownIndex),
            },
            // A search's terms key it too.
            Access::Search(search) => (search.eq.as_slice(), !constant(&search.query)),
        };
        Some(if parts.is_empty() {
            Keying::Unkeyed
        } else if !varies_otherwise && parts.iter().all(|k| constant(&k.value)) {
            Keying::Constant(parts)
        } else {
            Keying::Varying(parts)
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Read {
    pub site: Site,
    pub table: TableRef,
    pub access: Access,
}

/// How a read reaches its documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum Access {
    /// `ctx.db.get(id)` / `ctx.db.get("table", id)`: a point read on `by_id`.
    Get { id: Provenance, explicit_table: bool },
    Query(QueryShape),
    Search(SearchShape),
}

/// A `ctx.db.query(table)` chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryShape {
    pub index: IndexUse,
    pub order: Order,
    /// What `.filter(...)` tests, in order.
    pub filters: Vec<FilterTest>,
    pub terminal: Terminal,
}

/// The index a query reads and the range it asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum IndexUse {
    /// No `withIndex`: the whole table in `_creationTime` order (`by_creation_time`), or
    /// `.fullTableScan()`.
    FullScan { explicit: bool },
    Index {
        name: String,
        /// `.eq(field, value)` in the order written.
        eq: Vec<KeyPart>,
        lower: Option<Box<Bound>>,
        upper: Option<Box<Bound>>,
        /// Range methods the walk could not read (a computed field name, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unknown: Option<String>,
    },
    /// `withIndex` with a name that is not static.
    Unknown { reason: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPart {
    pub field: String,
    pub value: Provenance,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bound {
    pub field: String,
    /// `gt`, `gte`, `lt` or `lte`.
    pub op: String,
    pub value: Provenance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Order {
    Asc,
    Desc,
    /// `.order(x)` with `x` not static.
    Unknown,
}

/// One field a `.filter` callback tests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterTest {
    pub field: String,
    /// `eq`, `neq`, `lt`, `lte`, `gt`, `gte`, or `other` (arithmetic, a field compared with a
    /// field).
    pub op: String,
    /// Set when the test sits under `q.or` or `q.not`, so no index range can replace it alone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub alternative: bool,
    pub value: Provenance,
}

/// How a query's documents are consumed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum Terminal {
    Collect,
    /// `.take(n)`; `n` when static.
    Take { n: Option<f64> },
    First,
    Unique,
    Paginate,
    /// `for await (const doc of query)`.
    Iterate,
    /// `.count()` (internal, reads the whole table's size).
    Count,
    /// The query object is returned or passed on without being run here.
    None,
}

impl Terminal {
    /// The most documents the terminal returns, when it bounds them.
    pub fn limit(&self) -> Option<f64> {
        match self {
            Terminal::Take { n } => *n,
            Terminal::First => Some(1.0),
            Terminal::Unique => Some(2.0),
            _ => None,
        }
    }
}

/// A `.withSearchIndex(index, q => q.search(field, text).eq(...))` chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchShape {
    /// `None` when the index name is not known statically.
    pub index: Option<String>,
    pub search_field: Option<String>,
    pub query: Provenance,
    pub eq: Vec<KeyPart>,
    pub filters: Vec<FilterTest>,
    pub terminal: Terminal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WriteOp {
    Insert,
    Patch,
    Replace,
    Delete,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Write {
    pub site: Site,
    pub table: TableRef,
    pub op: WriteOp,
    /// Where the written document's id comes from (`patch`, `replace`, `delete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Provenance>,
    /// Whether the table was named in the call (`patch("t", id, ...)`, Convex 1.31+).
    pub explicit_table: bool,
    /// The fields written with where their values come from; `None` when the value's keys
    /// are not known (a document built elsewhere).
    pub fields: Option<Vec<KeyPart>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CallKind {
    RunQuery,
    RunMutation,
    RunAction,
    /// `ctx.scheduler.runAfter(delay, ...)`.
    RunAfter,
    /// `ctx.scheduler.runAt(time, ...)`.
    RunAt,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    pub site: Site,
    pub kind: CallKind,
    pub target: CallTarget,
}

/// The function a call names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum CallTarget {
    /// `api.a.b` or `internal.a.b` (or a string path): the function's path.
    Function { path: String, via_internal: bool },
    /// `components.<name>.<module>.<fn>`.
    Component { component: String, path: String },
    Unknown { reason: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthCheck {
    pub site: Site,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nondeterminism {
    pub site: Site,
    /// `Date.now()`, `new Date()`, `Math.random()`, `crypto.randomUUID()`, ...
    pub what: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactUnknown {
    pub site: Site,
    pub reason: String,
}
