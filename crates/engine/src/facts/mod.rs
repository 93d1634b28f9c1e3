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
mod flow;
mod helpers;
mod library;
mod opaque;
mod security;
mod triggers;
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
    /// Calls that hand `ctx` (or its `db` or `auth`) to code convex-lens cannot read: a library
    /// function, a value it could not evaluate. What they do to the database or the identity is
    /// not in these facts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opaque: Vec<OpaqueCall>,
}

impl FunctionFacts {
    /// When the caller's identity is checked, relative to the first read or write.
    pub fn identity(&self) -> IdentityCheck {
        let Some(first_check) = self.auth.iter().filter(|a| a.by.is_none()).map(|a| a.site.step).min() else { return IdentityCheck::Never };
        let first_access = self.reads.iter().map(|r| r.site.step).chain(self.writes.iter().map(|w| w.site.step)).min();
        match first_access {
            Some(access) if access < first_check => IdentityCheck::After,
            _ => IdentityCheck::Before,
        }
    }

}

/// When a function checks the caller's identity (`ctx.auth.getUserIdentity()`, itself or in a
/// helper), relative to its first database read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IdentityCheck {
    Before,
    After,
    Never,
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
    /// What bounds the loops around it, the loosest of them (`None` outside loops).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loop_bound: Option<LoopBound>,
    /// The read whose documents that loop walks, when it walks a read's documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loop_over: Option<Location>,
    /// On which paths of the handler it happens.
    #[serde(default, skip_serializing_if = "Branch::is_always")]
    pub branch: Branch,
    /// Its place in the order the walk met the facts of its function (the code's order; both
    /// branches of an `if` in turn), to tell what comes before what.
    #[serde(skip)]
    pub step: usize,
}

/// How many times a loop (or a callback run per element) runs, as far as the code tells; the
/// variants go from the tightest bound to none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LoopBound {
    /// At most a number written in the code: `take(25)`, `i < 10`, a literal array (the number,
    /// when known).
    Literal(Option<u32>),
    /// Per document of one parent's range (an `.eq` on a key that varies), per element of a
    /// document's array, per page.
    Parent,
    /// Per element of an argument: the caller's list.
    Caller,
    /// Nothing in the code bounds it (`while (cursor)`, a value convex-lens cannot follow).
    Unknown,
    /// Per document of a range that grows with its table: a full scan, a range keyed only by
    /// constants.
    Table,
}

/// On which paths of a handler a fact happens. A write on a rare path (the first call for a
/// key) is not a write of every commit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Branch {
    /// On every path that gets this far (a guard that throws or returns before it does not
    /// count: that is the path that commits).
    #[default]
    Always,
    /// Under a condition of the code (`if`, `switch`, `? :`, `&&`, `catch`).
    Conditional,
    /// Only when a document looked up before it was not found (get-or-create): the first call
    /// for a key, which later calls skip.
    FirstUse,
}

impl Branch {
    pub fn is_always(&self) -> bool {
        *self == Branch::Always
    }
}

/// A call that hands `ctx` (or a part of it) to code convex-lens cannot read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpaqueCall {
    pub site: Site,
    /// The callee as written (`getAuthUserId`, `rateLimiter.limit`).
    pub callee: String,
    /// The library value it comes from, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<crate::values::LibraryValue>,
    /// Why its code cannot be read.
    pub reason: String,
    /// What it is given.
    pub given: Given,
    /// Tables named by string arguments of the call (what it may read or write).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<String>,
}

/// What an [`OpaqueCall`] is handed, as the JSON names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Given {
    #[serde(rename = "ctx")]
    Ctx,
    /// Only the database: the code reads and writes for the caller, it does not check them.
    #[serde(rename = "ctx.db")]
    Db,
    #[serde(rename = "ctx.auth")]
    Auth,
    /// A secret from the environment, in code only the server calls (a webhook's verification).
    #[serde(rename = "a secret")]
    Secret,
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
            Access::Get { .. } | Access::VectorSearch { .. } => return None,
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
    /// `ctx.vectorSearch(table, index, ...)` in an action.
    VectorSearch { index: Option<String> },
}

/// A `ctx.db.query(table)` chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryShape {
    pub index: IndexUse,
    pub order: Order,
    /// `.order(...)` was called: the code asks for an order, even the default one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ordered: bool,
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
    /// The value as written (`args.channel`, `member._id`), for rewritten queries: names in
    /// scope where the read is. Not part of the facts' JSON.
    #[serde(skip)]
    pub text: Option<String>,
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
    /// The value as written, as for [`KeyPart::text`].
    #[serde(skip)]
    pub text: Option<String>,
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
    /// Fields of the written document that a guard tested before the write (`if (stock.count
    /// <= 0) throw ...`): a read-modify-write of them is a check the app needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guarded: Vec<String>,
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
    /// `step.runQuery`, `step.runMutation` or `step.runAction` of a workflow
    /// (`@convex-dev/workflow`): run later, in its own transaction, when the workflow gets there.
    Step,
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
    /// Not the identity but another check of the caller, in words: a guard that compares with
    /// a secret from the environment (`if (args.key !== process.env.API_KEY) throw ...`), or one
    /// that rejects the caller (throws "Unauthorized", answers 401).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// It lets only some callers through (a role or permission: "not authorized", 403), not
    /// whoever is signed in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restricts: bool,
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
    /// The walk stopped here (too deep, too long): what the code does past it is not in the
    /// facts at all.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped: bool,
}
