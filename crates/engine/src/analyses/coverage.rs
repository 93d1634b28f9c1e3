//! Index coverage: for every place a function reads the database, the index that serves it (and
//! whether its range uses the index's fields the way Convex allows), a `.filter` after it that
//! an index could take over, or the full table scan; for every index, the reads it serves,
//! whether it is unused or redundant; and the indexes a scan with a filter is missing.
//! See `shared/reference/reactivity.md` §1.1 and §7 (A1-A3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Inputs;
use crate::facts::{Access, FilterTest, IndexUse, KeyPart, Keying, Order, Provenance, Read, TableRef, Terminal};
use crate::schema::{Owner, SchemaGap, Table};
use crate::source::Location;
use crate::values::LibraryValue;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// Every read site, in file order.
    pub sites: Vec<ReadSite>,
    /// Every index of the schema, with what uses it.
    pub indexes: Vec<IndexUsage>,
    /// Indexes that reads need, with the reads.
    pub missing: Vec<MissingIndex>,
}

/// One place that reads the database (a helper's read is one site, whoever calls it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadSite {
    pub location: Location,
    pub table: TableRef,
    /// The functions whose handlers reach it.
    pub functions: Vec<String>,
    pub status: SiteStatus,
    pub bound: ReadBound,
    /// What its range covers, which decides whether it grows with the table.
    pub range: RangeKind,
    /// In a loop or a per-element callback: it runs once per element.
    pub in_loop: bool,
    /// What bounds that loop, when it is in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loop_bound: Option<crate::facts::LoopBound>,
    /// Its `.filter` looks for the documents of a value that varies between calls (an email, an
    /// id): scanning until enough pass may read far.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub seeks: bool,
}

/// What a read's range covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RangeKind {
    /// One document by id.
    Point,
    /// The documents of one key that varies between calls (one user's, one channel's): it
    /// grows with that key's fan-out, not with the table.
    Keyed,
    /// A range keyed only by constants (`.eq("status", "open")`): the same for every call, and
    /// it grows with the table.
    Constant,
    /// The whole table, or an index range without `.eq`: it grows with the table.
    Table,
    /// A range bounded on its next field by a value that varies between calls (`.lte("dueAt",
    /// now)`, `.gte("createdAt", since)`): a window, as big as what falls in it (the items due,
    /// the last week's), not the whole table.
    Window,
    /// A search (at most 1,024 results).
    Search,
    /// Not known (an index name convex-lens cannot tell).
    Unknown,
}

impl RangeKind {
    pub fn of(access: &Access) -> RangeKind {
        match access {
            Access::Get { .. } => RangeKind::Point,
            Access::Search(_) | Access::VectorSearch { .. } => RangeKind::Search,
            Access::Query(query) => match access.keying() {
                Some(Keying::Varying(_)) => RangeKind::Keyed,
                Some(Keying::Constant(_) | Keying::Unkeyed) if varying_bound(&query.index) => RangeKind::Window,
                Some(Keying::Constant(_)) => RangeKind::Constant,
                Some(Keying::Unkeyed) => RangeKind::Table,
                _ => RangeKind::Unknown,
            },
        }
    }

    /// Whether the range grows with its table, whoever calls.
    pub fn grows_with_table(self) -> bool {
        matches!(self, RangeKind::Constant | RangeKind::Table)
    }
}

/// Whether an index range has a bound whose value varies between calls (the time, an argument).
fn varying_bound(index: &IndexUse) -> bool {
    let IndexUse::Index { lower, upper, .. } = index else { return false };
    lower.iter().chain(upper.iter()).any(|b| !matches!(b.value, Provenance::Const(_)))
}

/// How a read reaches its documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum SiteStatus {
    /// `ctx.db.get`: one document by id.
    Point,
    /// An index serves the read; `eq` and `range` are the index fields its range uses.
    Indexed { index: String, eq: Vec<String>, range: Option<String> },
    /// An index serves the read, but a `.filter` after it tests fields the index could take
    /// (or an index with them would).
    PartiallyIndexed { index: String, eq: Vec<String>, range: Option<String>, filtered: Vec<String>, suggestion: Option<IndexSuggestion> },
    /// No index: every document of the table is scanned (`filtered` tells what is kept).
    FullScan { filtered: Vec<String>, suggestion: Option<IndexSuggestion> },
    Search { index: String },
    /// The range does not use the index's fields as Convex requires (the query is rejected).
    InvalidRange { index: String, reason: String },
    /// The index does not exist, or is staged and not queryable yet.
    MissingIndex { index: String, reason: String },
    /// What the read uses could not be told: the table, the index, or the schema (`library`
    /// names the library value behind it, when one is).
    Unknown {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        library: Option<LibraryValue>,
    },
}

/// How many documents a read scans, as far as the code tells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum ReadBound {
    /// `db.get`: one document.
    One,
    /// `first()`, `take(n)`; with a `.filter` in front, the scan goes on until `n` documents
    /// pass it, so only the result is bounded.
    Limit { n: Option<f64>, filtered: bool },
    /// `unique()`: at most one document (Convex reads a second to prove it is alone).
    Unique { filtered: bool },
    /// `paginate()`: a page (its size is the caller's).
    Page,
    /// `collect()`, `for await`, `count()`: every document in the range.
    Unbounded,
    /// Built here but run elsewhere.
    NotRun,
}

/// An index that would serve a read better, and the read rewritten to use it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexSuggestion {
    pub table: String,
    pub name: String,
    pub fields: Vec<String>,
    /// `.index("by_a_and_b", ["a", "b"])` for the schema.
    pub definition: String,
    /// `.withIndex("by_a_and_b", (q) => q.eq("a", …).eq("b", …))` for the query.
    pub query: String,
    pub action: SuggestedAction,
}

/// What the user does to get the suggested index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SuggestedAction {
    /// An index of the schema already starts with these fields: the read only has to use it.
    UseExisting,
    /// A staged index starts with them: it has to be enabled (`staged: false`) first.
    EnableStaged,
    /// No index does: add `definition` to the schema.
    Add,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexUsage {
    pub table: String,
    pub index: String,
    /// `db`, `search` or `vector`.
    pub kind: String,
    pub fields: Vec<String>,
    pub staged: bool,
    /// The read sites it serves.
    pub sites: Vec<Location>,
    pub status: IndexStatus,
    /// The library or generator that defines it, when not the app's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// A library the table is handed to (`createApi(schema, ...)`), which may read it through
    /// this index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_by: Option<LibraryValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum IndexStatus {
    Used,
    /// No read that convex-lens followed uses it (`unresolved` reads of the table might).
    Unused { unresolved: usize },
    /// Another index holds the same fields first: it serves every read this one serves
    /// (`unresolved` reads of the table might need its order).
    Redundant {
        covered_by: String,
        reason: String,
        #[serde(default)]
        unresolved: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingIndex {
    pub suggestion: IndexSuggestion,
    pub sites: Vec<Location>,
}

/// The coverage of every read of the facts against the schema's indexes.
pub fn analyze(inputs: &Inputs) -> Coverage {
    let facts = inputs.facts;
    let tables: BTreeMap<&str, &Table> = inputs.schema.map(|s| crate::order::map(s.tables.iter().map(|t| (t.table_name.as_str(), t)))).unwrap_or_default();
    let schema = SchemaView { tables: &tables, gaps: inputs.schema_gaps };
    let mut sites: Vec<(ReadSite, &Read)> = Vec::new();
    // The sites at each location, so that merging a helper's read reached by many functions
    // does not scan every site.
    let mut at_location: BTreeMap<Location, Vec<usize>> = BTreeMap::new();
    for function in facts {
        for read in &function.reads {
            let status = classify(read, &schema);
            let bound = bound_of(&read.access);
            let site = ReadSite {
                location: read.site.location.clone(),
                table: read.table.clone(),
                functions: vec![function.function.clone()],
                status,
                bound,
                range: RangeKind::of(&read.access),
                in_loop: read.site.in_loop,
                loop_bound: read.site.loop_bound,
                seeks: match &read.access {
                    Access::Query(query) => seeks(&query.filters),
                    Access::Search(search) => seeks(&search.filters),
                    _ => false,
                },
            };
            let candidates = at_location.entry(site.location.clone()).or_default();
            // A helper reached with other index names (`withIndex(dep.indexName)` over a table
            // it cannot tell) reads other indexes: each is a site of its own.
            match candidates.iter().find(|&&i| same_site(&sites[i].0, &site) && index_named(sites[i].1) == index_named(read)) {
                Some(&i) => {
                    let existing = &mut sites[i].0;
                    if !existing.functions.contains(&function.function) {
                        existing.functions.push(function.function.clone());
                    }
                    existing.in_loop |= site.in_loop;
                    existing.loop_bound = existing.loop_bound.max(site.loop_bound);
                }
                None => {
                    candidates.push(sites.len());
                    sites.push((site, read));
                }
            }
        }
    }
    crate::order::sort_by(&mut sites, |(a, _), (b, _)| (&a.location.file, a.location.line, a.location.column).cmp(&(&b.location.file, b.location.line, b.location.column)));
    let opaque_tables: Vec<&str> = facts.iter().flat_map(|f| f.opaque.iter().flat_map(|o| o.tables.iter().map(String::as_str))).collect();
    let indexes = index_usage(&tables, &sites, &opaque_tables, &inputs.owners, inputs.tables_given_to_libraries);
    let missing = missing_indexes(&sites);
    Coverage { sites: sites.into_iter().map(|(site, _)| site).collect(), indexes, missing }
}

/// Two reads at one location are one site when they read the same way.
fn same_site(a: &ReadSite, b: &ReadSite) -> bool {
    a.table == b.table && a.status == b.status && a.bound == b.bound
}

/// The schema as far as it is known: its tables, and what it may lack.
struct SchemaView<'s> {
    tables: &'s BTreeMap<&'s str, &'s Table>,
    gaps: &'s [SchemaGap],
}

impl SchemaView<'_> {
    /// Why a table that is not in the model may still exist: a gap that may hold it.
    fn gap_for(&self, table: &str) -> Option<&SchemaGap> {
        self.gaps.iter().find(|g| g.table.as_deref() == Some(table)).or_else(|| self.gaps.iter().find(|g| g.table.is_none()))
    }
}

fn classify(read: &Read, schema: &SchemaView) -> SiteStatus {
    let Some(table_name) = read.table.name() else {
        let TableRef::Unknown { unknown } = &read.table else { unreachable!("a table without a name is unknown") };
        return SiteStatus::Unknown { reason: unknown.clone(), library: None };
    };
    let table = schema.tables.get(table_name).copied();
    // A table the model lacks may be in what it could not read.
    if table.is_none() && !is_system(table_name) {
        if let Some(gap) = schema.gap_for(table_name) {
            return SiteStatus::Unknown { reason: format!("`{table_name}` is not in the schema as far as it could be read: {}", gap.reason), library: gap.library.clone() };
        }
    }
    let unknown = |reason: &str| SiteStatus::Unknown { reason: reason.to_owned(), library: None };
    match &read.access {
        Access::Get { .. } => SiteStatus::Point,
        Access::Search(search) => match (table, &search.index) {
            (_, None) => unknown("the search index name is not known statically"),
            (Some(table), Some(index)) if table.search_indexes.iter().any(|i| i.index_descriptor == *index) => SiteStatus::Search { index: index.clone() },
            (Some(table), Some(index)) if table.staged_search_indexes.iter().any(|i| i.index_descriptor == *index) => {
                SiteStatus::MissingIndex { index: index.clone(), reason: "this search index is staged: it cannot be queried until it is enabled".into() }
            }
            (_, Some(index)) if is_system(table_name) => SiteStatus::Search { index: index.clone() },
            (Some(_), Some(index)) => SiteStatus::MissingIndex { index: index.clone(), reason: format!("`{table_name}` has no search index named `{index}`") },
            (None, Some(index)) => SiteStatus::MissingIndex { index: index.clone(), reason: format!("the schema has no table `{table_name}`") },
        },
        Access::VectorSearch { index } => match (table, index) {
            (_, None) => unknown("the vector index name is not known statically"),
            (Some(table), Some(index)) if table.vector_indexes.iter().any(|i| i.index_descriptor == *index) => SiteStatus::Search { index: index.clone() },
            (Some(table), Some(index)) if table.staged_vector_indexes.iter().any(|i| i.index_descriptor == *index) => {
                SiteStatus::MissingIndex { index: index.clone(), reason: "this vector index is staged: it cannot be queried until it is enabled".into() }
            }
            (Some(_), Some(index)) => SiteStatus::MissingIndex { index: index.clone(), reason: format!("`{table_name}` has no vector index named `{index}`") },
            (None, Some(index)) => SiteStatus::MissingIndex { index: index.clone(), reason: format!("the schema has no table `{table_name}`") },
        },
        Access::Query(query) => match &query.index {
            IndexUse::Unknown { reason } => unknown(reason),
            IndexUse::FullScan { .. } => {
                let filtered = filter_fields(&query.filters);
                let suggestion = suggest(table_name, &[], &query.filters, table);
                SiteStatus::FullScan { filtered, suggestion }
            }
            IndexUse::Index { name, eq, lower, upper, unknown: unreadable } => {
                if let Some(reason) = unreadable {
                    return unknown(reason);
                }
                let fields = match index_fields(table_name, name, table) {
                    Ok(fields) => fields,
                    Err(reason) => return SiteStatus::MissingIndex { index: name.clone(), reason },
                };
                let range_field = lower.as_ref().map(|b| &b.field).or(upper.as_ref().map(|b| &b.field));
                if let Err(reason) = check_range(name, &fields, eq, lower.as_deref(), upper.as_deref()) {
                    return SiteStatus::InvalidRange { index: name.clone(), reason };
                }
                let eq_fields: Vec<String> = eq.iter().map(|k| k.field.clone()).collect();
                let range = range_field.cloned();
                let filtered = filter_fields(&query.filters);
                if filtered.is_empty() {
                    return SiteStatus::Indexed { index: name.clone(), eq: eq_fields, range };
                }
                let on_next_field = if range.is_none() { next_field_range(table_name, name, &fields, eq, &query.filters) } else { None };
                let suggestion = on_next_field.or_else(|| suggest(table_name, eq, &query.filters, table));
                SiteStatus::PartiallyIndexed { index: name.clone(), eq: eq_fields, range, filtered, suggestion }
            }
        },
    }
}

fn is_system(table: &str) -> bool {
    table.starts_with('_')
}

/// The fields of a queryable index (`_creationTime` appended); an error when it is not one.
fn index_fields(table_name: &str, name: &str, table: Option<&Table>) -> Result<Vec<String>, String> {
    match name {
        "by_creation_time" => return Ok(vec!["_creationTime".into()]),
        "by_id" => return Ok(vec!["_id".into()]),
        _ => {}
    }
    let Some(table) = table else {
        return if is_system(table_name) {
            Err(format!("system table `{table_name}` has only `by_id` and `by_creation_time`"))
        } else {
            Err(format!("the schema has no table `{table_name}`, so it has only `by_id` and `by_creation_time`"))
        };
    };
    if let Some(index) = table.indexes.iter().find(|i| i.index_descriptor == name) {
        let mut fields = index.fields.clone();
        fields.push("_creationTime".into());
        return Ok(fields);
    }
    if table.staged_db_indexes.iter().any(|i| i.index_descriptor == name) {
        return Err(format!("`{name}` is staged: it cannot be queried until it is enabled (`staged: false`)"));
    }
    Err(format!("`{table_name}` has no index named `{name}`"))
}

/// Convex's rule for a range: `.eq` on the index's fields in order from the first, then at
/// most a lower and an upper bound on the next field.
fn check_range(name: &str, fields: &[String], eq: &[KeyPart], lower: Option<&crate::facts::Bound>, upper: Option<&crate::facts::Bound>) -> Result<(), String> {
    for (i, part) in eq.iter().enumerate() {
        match fields.get(i) {
            Some(field) if *field == part.field => {}
            Some(field) => {
                return Err(format!(
                    "`.eq(\"{}\", …)` is on field {} of the range, but `{name}`'s field {} is `{field}`: a range uses the index's fields in order",
                    part.field,
                    i + 1,
                    i + 1
                ))
            }
            None => return Err(format!("the range has more `.eq` than `{name}` has fields")),
        }
    }
    let next = fields.get(eq.len());
    for bound in [lower, upper].into_iter().flatten() {
        if next != Some(&bound.field) {
            return Err(match next {
                Some(next) => format!("`.{}(\"{}\", …)` must be on `{next}`, the field after the `.eq`s of `{name}`", bound.op, bound.field),
                None => format!("`.{}(\"{}\", …)` comes after every field of `{name}` is fixed by `.eq`", bound.op, bound.field),
            });
        }
    }
    Ok(())
}

/// A `.filter` bound (`gt`, `lte`, ...) on the field that comes right after the range's `.eq`s in
/// the index it reads (`_creationTime` after every field): the same index takes it as its range,
/// so the scan starts and stops there instead of reading the whole range.
fn next_field_range(table_name: &str, index: &str, fields: &[String], eq: &[KeyPart], filters: &[FilterTest]) -> Option<IndexSuggestion> {
    let next = fields.get(eq.len())?;
    let bounds: Vec<&FilterTest> = filters.iter().filter(|t| !t.alternative && t.field == *next && matches!(t.op.as_str(), "lt" | "lte" | "gt" | "gte")).collect();
    if bounds.is_empty() {
        return None;
    }
    let range: String = eq
        .iter()
        .map(|k| range_call("eq", &k.field, &k.value, k.text.as_deref()))
        .chain(bounds.iter().take(2).map(|t| range_call(&t.op, &t.field, &t.value, t.text.as_deref())))
        .collect();
    let indexed: Vec<String> = fields.iter().filter(|f| *f != "_creationTime").cloned().collect();
    Some(IndexSuggestion {
        table: table_name.to_owned(),
        name: index.to_owned(),
        definition: format!(".index(\"{index}\", [{}])", indexed.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")),
        query: format!(".withIndex(\"{index}\", (q) => q{range})"),
        fields: fields[..=eq.len()].to_vec(),
        action: SuggestedAction::UseExisting,
    })
}

/// The fields `.filter` keeps documents by, each once, in order.
fn filter_fields(filters: &[FilterTest]) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for test in filters {
        if !fields.contains(&test.field) {
            fields.push(test.field.clone());
        }
    }
    fields
}

/// An index for a read's eq prefix followed by the fields its filter tests for equality (and one
/// for a range), when the filter is not an alternative (`q.or`).
fn suggest(table_name: &str, eq: &[KeyPart], filters: &[FilterTest], table: Option<&Table>) -> Option<IndexSuggestion> {
    let plain: Vec<&FilterTest> = filters.iter().filter(|t| !t.alternative && t.field != "_id").collect();
    if is_system(table_name) {
        // A system table has only its system indexes.
        let by_time = eq.is_empty() && plain.iter().all(|t| t.field == "_creationTime" && t.op != "eq") && !plain.is_empty();
        return by_time.then(|| creation_time_range(table_name, &plain));
    }
    // Each field of the range, with its call (`.eq("channel", channel)`).
    let mut parts: Vec<(String, String)> = eq.iter().map(|k| (k.field.clone(), range_call("eq", &k.field, &k.value, k.text.as_deref()))).collect();
    for test in plain.iter().filter(|t| t.op == "eq") {
        if !parts.iter().any(|(f, _)| *f == test.field) {
            parts.push((test.field.clone(), range_call("eq", &test.field, &test.value, test.text.as_deref())));
        }
    }
    if let Some(range) = plain.iter().find(|t| matches!(t.op.as_str(), "lt" | "lte" | "gt" | "gte") && !parts.iter().any(|(f, _)| *f == t.field)) {
        if range.field != "_creationTime" {
            parts.push((range.field.clone(), range_call(&range.op, &range.field, &range.value, range.text.as_deref())));
        } else if parts.is_empty() {
            // A scan kept by `_creationTime` alone: the table's own `by_creation_time` range.
            return Some(creation_time_range(table_name, &plain));
        }
    }
    if parts.len() == eq.len() {
        return None;
    }
    let fields: Vec<String> = parts.iter().map(|(f, _)| f.clone()).collect();
    // An existing index with these fields first is the one to use.
    let starts_with = |i: &&crate::schema::DbIndex| i.fields.starts_with(&fields);
    let existing = table.and_then(|t| t.indexes.iter().find(starts_with)).map(|i| (i, SuggestedAction::UseExisting));
    let staged = table.and_then(|t| t.staged_db_indexes.iter().find(starts_with)).map(|i| (i, SuggestedAction::EnableStaged));
    let (existing, action) = match existing.or(staged) {
        Some((index, action)) => (Some(index.index_descriptor.clone()), action),
        None => (None, SuggestedAction::Add),
    };
    let name = existing.unwrap_or_else(|| format!("by_{}", fields.iter().map(|f| f.replace('.', "_")).collect::<Vec<_>>().join("_and_")));
    let range: String = parts.iter().map(|(_, call)| call.as_str()).collect();
    Some(IndexSuggestion {
        table: table_name.to_owned(),
        definition: format!(".index(\"{name}\", [{}])", fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")),
        query: format!(".withIndex(\"{name}\", (q) => q{range})"),
        name,
        fields,
        action,
    })
}

/// `.withIndex("by_creation_time", (q) => q.gt("_creationTime", ...))` for a scan whose filter
/// keeps a span of creation times: every table has that index.
fn creation_time_range(table_name: &str, filters: &[&FilterTest]) -> IndexSuggestion {
    let bounds: String = filters
        .iter()
        .filter(|t| t.field == "_creationTime" && matches!(t.op.as_str(), "lt" | "lte" | "gt" | "gte"))
        .take(2)
        .map(|t| range_call(&t.op, "_creationTime", &t.value, t.text.as_deref()))
        .collect();
    IndexSuggestion {
        table: table_name.to_owned(),
        name: "by_creation_time".into(),
        fields: vec!["_creationTime".into()],
        definition: String::new(),
        query: format!(".withIndex(\"by_creation_time\", (q) => q{bounds})"),
        action: SuggestedAction::UseExisting,
    }
}

/// One call of a rewritten range: `.eq("channel", channel)`, `.lt("dueAt", now)`.
fn range_call(op: &str, field: &str, value: &Provenance, written: Option<&str>) -> String {
    format!(".{op}(\"{field}\", {})", value_text(value, written))
}

/// How a value reads in a rewritten query: as written where the read is, else a stand-in named
/// after where it comes from.
fn value_text(value: &Provenance, written: Option<&str>) -> String {
    if let Some(text) = written {
        return text.to_owned();
    }
    match value {
        Provenance::Arg(path) => format!("args.{path}"),
        Provenance::Auth(claim) => format!("identity.{claim}"),
        Provenance::Const(json) => json.clone(),
        Provenance::Doc { table, field } => format!("{table}Doc.{field}"),
        _ => "…".into(),
    }
}

/// Whether a filter may keep few documents: a test other than `neq` (which almost every
/// document passes, so a limit after it is reached soon).
fn selective(filters: &[FilterTest]) -> bool {
    filters.iter().any(|t| t.op != "neq")
}

/// Whether a filter looks for the documents of a value that varies between calls (a user's
/// email, a post's id): a limit after it may scan far to find them. A test against a constant
/// (`published == true`) or one applied only on some paths is passed by most documents as far
/// as the code tells.
fn seeks(filters: &[FilterTest]) -> bool {
    filters.iter().any(|t| t.op != "neq" && !t.alternative && !matches!(t.value, Provenance::Const(_)))
}

/// The most results a text search gives (`MAX_CANDIDATE_REVISIONS`).
const MAX_SEARCH_RESULTS: f64 = 1024.0;

pub(super) fn bound_of(access: &Access) -> ReadBound {
    let (terminal, filtered) = match access {
        Access::Get { .. } => return ReadBound::One,
        Access::VectorSearch { .. } => return ReadBound::Limit { n: None, filtered: false },
        Access::Query(query) => (&query.terminal, selective(&query.filters)),
        // A search gives at most 1,024 results, whatever takes them (`collect()` throws beyond).
        Access::Search(search) if matches!(search.terminal, Terminal::Collect | Terminal::Iterate) => {
            return ReadBound::Limit { n: Some(MAX_SEARCH_RESULTS), filtered: selective(&search.filters) }
        }
        Access::Search(search) => (&search.terminal, selective(&search.filters)),
    };
    match terminal {
        Terminal::Collect | Terminal::Iterate | Terminal::Count => ReadBound::Unbounded,
        Terminal::Paginate => ReadBound::Page,
        Terminal::None => ReadBound::NotRun,
        Terminal::Unique => ReadBound::Unique { filtered },
        limit => ReadBound::Limit { n: limit.limit(), filtered },
    }
}

/// What each index of the schema serves. Reads convex-lens could not follow (an unknown index
/// name, a library handed the table's name) may use any index of their table.
fn index_usage(
    tables: &BTreeMap<&str, &Table>,
    sites: &[(ReadSite, &Read)],
    opaque_tables: &[&str],
    owners: &BTreeMap<String, Owner>,
    given: &[(LibraryValue, Vec<String>)],
) -> Vec<IndexUsage> {
    let mut usage = Vec::new();
    for table in tables.values() {
        let name = table.table_name.as_str();
        let handed = opaque_tables.iter().filter(|t| **t == name).count();
        let unresolved = |index: &str| sites.iter().filter(|(s, read)| unresolved_read(s, read, name, index)).count() + handed;
        let served = |index: &str| -> Vec<Location> {
            sites
                .iter()
                .filter(|(s, _)| s.table.name() == Some(name))
                .filter(|(s, _)| match &s.status {
                    SiteStatus::Indexed { index: i, .. } | SiteStatus::PartiallyIndexed { index: i, .. } | SiteStatus::Search { index: i } => i == index,
                    _ => false,
                })
                .map(|(s, _)| s.location.clone())
                .collect()
        };
        let entry = |index: &str, kind: &str, fields: Vec<String>, staged: bool, status: IndexStatus, sites: Vec<Location>| IndexUsage {
            table: name.to_owned(),
            index: index.to_owned(),
            kind: kind.to_owned(),
            fields,
            staged,
            sites,
            status,
            owner: owners.get(&format!("{name}.{index}")).cloned(),
            read_by: given.iter().find(|(_, tables)| tables.iter().any(|t| t == name)).map(|(library, _)| library.clone()),
        };
        let plain = |index: &str, sites_served: &[Location]| if sites_served.is_empty() { IndexStatus::Unused { unresolved: unresolved(index) } } else { IndexStatus::Used };
        for (indexes, staged) in [(&table.indexes, false), (&table.staged_db_indexes, true)] {
            for index in indexes.iter() {
                let name = index.index_descriptor.as_str();
                let sites_served = served(name);
                let status = if staged {
                    IndexStatus::Unused { unresolved: unresolved(name) }
                } else if let Some((covered_by, reason)) = redundancy(table, name, &index.fields, sites) {
                    IndexStatus::Redundant { covered_by, reason, unresolved: unresolved(name) }
                } else {
                    plain(name, &sites_served)
                };
                usage.push(entry(&index.index_descriptor, "db", index.fields.clone(), staged, status, sites_served));
            }
        }
        for (indexes, staged) in [(&table.search_indexes, false), (&table.staged_search_indexes, true)] {
            for index in indexes.iter() {
                let sites_served = served(&index.index_descriptor);
                let mut fields = vec![index.search_field.clone()];
                fields.extend(index.filter_fields.iter().cloned());
                usage.push(entry(&index.index_descriptor, "search", fields, staged, plain(&index.index_descriptor, &sites_served), sites_served));
            }
        }
        for (indexes, staged) in [(&table.vector_indexes, false), (&table.staged_vector_indexes, true)] {
            for index in indexes.iter() {
                let sites_served = served(&index.index_descriptor);
                let mut fields = vec![index.vector_field.clone()];
                fields.extend(index.filter_fields.iter().cloned());
                usage.push(entry(&index.index_descriptor, "vector", fields, staged, plain(&index.index_descriptor, &sites_served), sites_served));
            }
        }
    }
    usage
}

/// A read that may use the index `index` of `table` without convex-lens telling: one of the
/// table through an index it cannot tell, or one of a table it cannot tell through an index of
/// that name (or one it cannot tell). A point read (`db.get`) and a query without `withIndex`
/// use no index of the schema, whatever their table.
pub fn unresolved_read(site: &ReadSite, read: &Read, table: &str, index: &str) -> bool {
    let named = match index_named(read) {
        IndexNamed::None => return false,
        IndexNamed::Named(name) => Some(name),
        IndexNamed::Unknown => None,
    };
    match site.table.name() {
        Some(name) => name == table && matches!(site.status, SiteStatus::Unknown { .. }),
        None => named.is_none_or(|name| name == index),
    }
}

/// The index a read names: none (a point read, a query without `withIndex`), one, or one
/// convex-lens cannot tell.
#[derive(PartialEq)]
enum IndexNamed<'r> {
    None,
    Named(&'r str),
    Unknown,
}

fn index_named(read: &Read) -> IndexNamed<'_> {
    let named = match &read.access {
        Access::Get { .. } => return IndexNamed::None,
        Access::Query(query) => match &query.index {
            IndexUse::FullScan { .. } => return IndexNamed::None,
            IndexUse::Index { name, .. } => Some(name),
            IndexUse::Unknown { .. } => None,
        },
        Access::Search(search) => search.index.as_ref(),
        Access::VectorSearch { index } => index.as_ref(),
    };
    named.map_or(IndexNamed::Unknown, |name| IndexNamed::Named(name))
}

/// An index is redundant when another holds the same fields (the later of two duplicates), or
/// when its fields are the start of another's, unless a read needs its own order: with every
/// field fixed by `.eq`, its documents come in `_creationTime` order, which the longer index does
/// not give (Convex's best practices).
fn redundancy(table: &Table, name: &str, fields: &[String], sites: &[(ReadSite, &Read)]) -> Option<(String, String)> {
    let position = table.indexes.iter().position(|i| i.index_descriptor == name);
    let used = |index: &str| {
        sites.iter().any(|(site, _)| {
            site.table.name() == Some(&table.table_name)
                && matches!(&site.status, SiteStatus::Indexed { index: i, .. } | SiteStatus::PartiallyIndexed { index: i, .. } if i == index)
        })
    };
    for (other_position, other) in table.indexes.iter().enumerate() {
        if other.index_descriptor == name {
            continue;
        }
        // Of two indexes with the same fields, the one reads do not use (else the later one)
        // is the one to remove.
        let earlier = Some(other_position) < position;
        if other.fields == fields && (used(&other.index_descriptor), earlier) > (used(name), !earlier) {
            return Some((other.index_descriptor.clone(), format!("`{}` has the same fields", other.index_descriptor)));
        }
        // A longer index no read uses is the one to remove (its own finding says so), not this.
        if other.fields.len() > fields.len() && other.fields.starts_with(fields) && used(&other.index_descriptor) {
            let needs_order = sites.iter().any(|(site, read)| {
                site.table.name() == Some(&table.table_name)
                    && matches!(&site.status, SiteStatus::Indexed { index, eq, .. } | SiteStatus::PartiallyIndexed { index, eq, .. } if index == name && eq.len() == fields.len())
                    && depends_on_order(read)
            });
            if !needs_order {
                return Some((
                    other.index_descriptor.clone(),
                    format!("its fields are the first fields of `{}`, which serves the same ranges", other.index_descriptor),
                ));
            }
        }
    }
    None
}

/// Whether a read uses the `_creationTime` order of its range: it asks for an order, takes the
/// first or the last documents, pages through them, or bounds `_creationTime`.
fn depends_on_order(read: &Read) -> bool {
    let Access::Query(query) = &read.access else { return false };
    let bounded_on_time = matches!(&query.index, IndexUse::Index { lower, upper, .. }
        if lower.iter().chain(upper.iter()).any(|b| b.field == "_creationTime"));
    bounded_on_time || query.order != Order::Asc || query.ordered || matches!(query.terminal, Terminal::First | Terminal::Take { .. } | Terminal::Paginate | Terminal::Iterate)
}

fn missing_indexes(sites: &[(ReadSite, &Read)]) -> Vec<MissingIndex> {
    let mut missing: Vec<MissingIndex> = Vec::new();
    // A range of one key (one user's, one channel's) is small by design: filtering it is fine.
    for (site, _) in sites.iter().filter(|(site, _)| site.range.grows_with_table()) {
        let suggestion = match &site.status {
            SiteStatus::FullScan { suggestion: Some(s), .. } | SiteStatus::PartiallyIndexed { suggestion: Some(s), .. }
                if s.action == SuggestedAction::Add =>
            {
                s
            }
            _ => continue,
        };
        match missing.iter_mut().find(|m| m.suggestion.table == suggestion.table && m.suggestion.fields == suggestion.fields) {
            Some(entry) => entry.sites.push(site.location.clone()),
            None => missing.push(MissingIndex { suggestion: suggestion.clone(), sites: vec![site.location.clone()] }),
        }
    }
    missing
}
