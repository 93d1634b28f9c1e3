//! Index coverage: for every place a function reads the database, the index that serves it (and
//! whether its range uses the index's fields the way Convex allows), a `.filter` after it that
//! an index could take over, or the full table scan; for every index, the reads it serves,
//! whether it is unused or redundant; and the indexes a scan with a filter is missing.
//! See `shared/reference/reactivity.md` §1.1 and §7 (A1-A3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::{Access, FilterTest, FunctionFacts, IndexUse, KeyPart, Order, Provenance, Read, TableRef, Terminal};
use crate::schema::{Schema, Table};
use crate::source::Location;

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
    /// In a loop or a per-element callback: it runs once per element.
    pub in_loop: bool,
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
    Unknown { reason: String },
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum IndexStatus {
    Used,
    /// No read that convex-lens followed uses it (`unresolved` reads of the table might).
    Unused { unresolved: usize },
    /// Another index holds the same fields first: it serves every read this one serves.
    Redundant { covered_by: String, reason: String },
    /// Vector indexes are read by `ctx.vectorSearch` in actions, which the facts do not follow.
    NotTracked,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingIndex {
    pub suggestion: IndexSuggestion,
    pub sites: Vec<Location>,
}

/// The coverage of every read of the facts against the schema's indexes.
pub fn analyze(schema: Option<&Schema>, facts: &[FunctionFacts]) -> Coverage {
    let tables: BTreeMap<&str, &Table> = schema.map(|s| s.tables.iter().map(|t| (t.table_name.as_str(), t)).collect()).unwrap_or_default();
    let mut sites: Vec<(ReadSite, &Read)> = Vec::new();
    // The sites at each location, so that merging a helper's read reached by many functions
    // does not scan every site.
    let mut at_location: BTreeMap<Location, Vec<usize>> = BTreeMap::new();
    for function in facts {
        for read in &function.reads {
            let status = classify(read, &tables);
            let bound = bound_of(&read.access);
            let site = ReadSite {
                location: read.site.location.clone(),
                table: read.table.clone(),
                functions: vec![function.function.clone()],
                status,
                bound,
                in_loop: read.site.in_loop,
            };
            let candidates = at_location.entry(site.location.clone()).or_default();
            match candidates.iter().find(|&&i| same_site(&sites[i].0, &site)) {
                Some(&i) => {
                    let existing = &mut sites[i].0;
                    if !existing.functions.contains(&function.function) {
                        existing.functions.push(function.function.clone());
                    }
                    existing.in_loop |= site.in_loop;
                }
                None => {
                    candidates.push(sites.len());
                    sites.push((site, read));
                }
            }
        }
    }
    sites.sort_by(|(a, _), (b, _)| (&a.location.file, a.location.line, a.location.column).cmp(&(&b.location.file, b.location.line, b.location.column)));
    let indexes = index_usage(&tables, &sites);
    let missing = missing_indexes(&sites);
    Coverage { sites: sites.into_iter().map(|(site, _)| site).collect(), indexes, missing }
}

/// Two reads at one location are one site when they read the same way.
fn same_site(a: &ReadSite, b: &ReadSite) -> bool {
    a.table == b.table && a.status == b.status && a.bound == b.bound
}

fn classify(read: &Read, tables: &BTreeMap<&str, &Table>) -> SiteStatus {
    let Some(table_name) = read.table.name() else {
        let TableRef::Unknown { unknown } = &read.table else { unreachable!("a table without a name is unknown") };
        return SiteStatus::Unknown { reason: unknown.clone() };
    };
    let table = tables.get(table_name).copied();
    match &read.access {
        Access::Get { .. } => SiteStatus::Point,
        Access::Search(search) => match (table, &search.index) {
            (_, None) => SiteStatus::Unknown { reason: "the search index name is not known statically".into() },
            (Some(table), Some(index)) if table.search_indexes.iter().any(|i| i.index_descriptor == *index) => SiteStatus::Search { index: index.clone() },
            (Some(table), Some(index)) if table.staged_search_indexes.iter().any(|i| i.index_descriptor == *index) => {
                SiteStatus::MissingIndex { index: index.clone(), reason: "this search index is staged: it cannot be queried until it is enabled".into() }
            }
            (_, Some(index)) if is_system(table_name) => SiteStatus::Search { index: index.clone() },
            (Some(_), Some(index)) => SiteStatus::MissingIndex { index: index.clone(), reason: format!("`{table_name}` has no search index named `{index}`") },
            (None, Some(index)) => SiteStatus::Search { index: index.clone() },
        },
        Access::Query(query) => match &query.index {
            IndexUse::Unknown { reason } => SiteStatus::Unknown { reason: reason.clone() },
            IndexUse::FullScan { .. } => {
                let filtered = filter_fields(&query.filters);
                let suggestion = suggest(table_name, &[], &query.filters, table);
                SiteStatus::FullScan { filtered, suggestion }
            }
            IndexUse::Index { name, eq, lower, upper, unknown } => {
                if let Some(reason) = unknown {
                    return SiteStatus::Unknown { reason: reason.clone() };
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
                let suggestion = suggest(table_name, eq, &query.filters, table);
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
            Err(format!("the schema has no table `{table_name}`"))
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
    if is_system(table_name) {
        return None;
    }
    let mut parts: Vec<(String, String, Provenance)> = eq.iter().map(|k| (k.field.clone(), "eq".to_owned(), k.value.clone())).collect();
    let plain: Vec<&FilterTest> = filters.iter().filter(|t| !t.alternative && t.field != "_id").collect();
    for test in plain.iter().filter(|t| t.op == "eq") {
        if !parts.iter().any(|(f, _, _)| *f == test.field) {
            parts.push((test.field.clone(), "eq".into(), test.value.clone()));
        }
    }
    if let Some(range) = plain.iter().find(|t| matches!(t.op.as_str(), "lt" | "lte" | "gt" | "gte") && !parts.iter().any(|(f, _, _)| *f == t.field)) {
        if range.field != "_creationTime" {
            parts.push((range.field.clone(), range.op.clone(), range.value.clone()));
        }
    }
    if parts.len() == eq.len() {
        return None;
    }
    let fields: Vec<String> = parts.iter().map(|(f, _, _)| f.clone()).collect();
    // An existing index with these fields first is the one to use.
    let starts_with = |i: &&crate::schema::DbIndex| i.fields.starts_with(&fields);
    let existing = table.and_then(|t| t.indexes.iter().find(starts_with)).map(|i| (i, SuggestedAction::UseExisting));
    let staged = table.and_then(|t| t.staged_db_indexes.iter().find(starts_with)).map(|i| (i, SuggestedAction::EnableStaged));
    let (existing, action) = match existing.or(staged) {
        Some((index, action)) => (Some(index.index_descriptor.clone()), action),
        None => (None, SuggestedAction::Add),
    };
    let name = existing.unwrap_or_else(|| format!("by_{}", fields.iter().map(|f| f.replace('.', "_")).collect::<Vec<_>>().join("_and_")));
    let range: String = parts.iter().map(|(field, op, value)| format!(".{op}(\"{field}\", {})", value_text(value))).collect();
    Some(IndexSuggestion {
        table: table_name.to_owned(),
        definition: format!(".index(\"{name}\", [{}])", fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")),
        query: format!(".withIndex(\"{name}\", (q) => q{range})"),
        name,
        fields,
        action,
    })
}

/// How a value reads in a rewritten query.
fn value_text(value: &Provenance) -> String {
    match value {
        Provenance::Arg(path) => format!("args.{path}"),
        Provenance::Auth(claim) => format!("identity.{claim}"),
        Provenance::Const(json) => json.clone(),
        Provenance::Doc { table, field } => format!("{table}Doc.{field}"),
        _ => "…".into(),
    }
}

pub(super) fn bound_of(access: &Access) -> ReadBound {
    let (terminal, filtered) = match access {
        Access::Get { .. } => return ReadBound::One,
        Access::Query(query) => (&query.terminal, !query.filters.is_empty()),
        Access::Search(search) => (&search.terminal, !search.filters.is_empty()),
    };
    match terminal {
        Terminal::Collect | Terminal::Iterate | Terminal::Count => ReadBound::Unbounded,
        Terminal::Paginate => ReadBound::Page,
        Terminal::None => ReadBound::NotRun,
        Terminal::Unique => ReadBound::Unique { filtered },
        limit => ReadBound::Limit { n: limit.limit(), filtered },
    }
}

/// What each index of the schema serves.
fn index_usage(tables: &BTreeMap<&str, &Table>, sites: &[(ReadSite, &Read)]) -> Vec<IndexUsage> {
    let mut usage = Vec::new();
    for table in tables.values() {
        let name = table.table_name.as_str();
        let unresolved = sites.iter().filter(|(s, _)| s.table.name() == Some(name) && matches!(s.status, SiteStatus::Unknown { .. })).count()
            + sites.iter().filter(|(s, _)| s.table.name().is_none()).count();
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
        };
        for (indexes, staged) in [(&table.indexes, false), (&table.staged_db_indexes, true)] {
            for index in indexes.iter() {
                let sites_served = served(&index.index_descriptor);
                let status = if staged {
                    IndexStatus::Unused { unresolved }
                } else if let Some((covered_by, reason)) = redundancy(table, &index.index_descriptor, &index.fields, sites) {
                    IndexStatus::Redundant { covered_by, reason }
                } else if sites_served.is_empty() {
                    IndexStatus::Unused { unresolved }
                } else {
                    IndexStatus::Used
                };
                usage.push(entry(&index.index_descriptor, "db", index.fields.clone(), staged, status, sites_served));
            }
        }
        for (indexes, staged) in [(&table.search_indexes, false), (&table.staged_search_indexes, true)] {
            for index in indexes.iter() {
                let sites_served = served(&index.index_descriptor);
                let status = if sites_served.is_empty() { IndexStatus::Unused { unresolved } } else { IndexStatus::Used };
                let mut fields = vec![index.search_field.clone()];
                fields.extend(index.filter_fields.iter().cloned());
                usage.push(entry(&index.index_descriptor, "search", fields, staged, status, sites_served));
            }
        }
        for (indexes, staged) in [(&table.vector_indexes, false), (&table.staged_vector_indexes, true)] {
            for index in indexes.iter() {
                let mut fields = vec![index.vector_field.clone()];
                fields.extend(index.filter_fields.iter().cloned());
                usage.push(entry(&index.index_descriptor, "vector", fields, staged, IndexStatus::NotTracked, Vec::new()));
            }
        }
    }
    usage
}

/// An index is redundant when another holds the same fields (the later of two duplicates), or
/// when its fields are the start of another's, unless a read needs its own order: with every
/// field fixed by `.eq`, its documents come in `_creationTime` order, which the longer index does
/// not give (Convex's best practices).
fn redundancy(table: &Table, name: &str, fields: &[String], sites: &[(ReadSite, &Read)]) -> Option<(String, String)> {
    let position = table.indexes.iter().position(|i| i.index_descriptor == name);
    for (other_position, other) in table.indexes.iter().enumerate() {
        if other.index_descriptor == name {
            continue;
        }
        if other.fields == fields && Some(other_position) < position {
            return Some((other.index_descriptor.clone(), format!("`{}` has the same fields", other.index_descriptor)));
        }
        if other.fields.len() > fields.len() && other.fields.starts_with(fields) {
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

/// Whether a read uses the `_creationTime` order of its range: it takes the first or the last
/// documents, pages through them, or bounds `_creationTime`.
fn depends_on_order(read: &Read) -> bool {
    let Access::Query(query) = &read.access else { return false };
    let bounded_on_time = matches!(&query.index, IndexUse::Index { lower, upper, .. }
        if lower.iter().chain(upper.iter()).any(|b| b.field == "_creationTime"));
    bounded_on_time || query.order == Order::Desc || matches!(query.terminal, Terminal::First | Terminal::Take { .. } | Terminal::Paginate | Terminal::Iterate)
}

fn missing_indexes(sites: &[(ReadSite, &Read)]) -> Vec<MissingIndex> {
    let mut missing: Vec<MissingIndex> = Vec::new();
    for (site, _) in sites {
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
