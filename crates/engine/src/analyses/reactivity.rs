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
//! Only public queries have subscriptions; a write made only on a get-or-create's first call is
//! marked rare; an insert that leaves a key field out, or sets it to an id made in the same
//! mutation, matches no existing subscription's key.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::Transactions;
use crate::app::FunctionSpec;
use crate::facts::{Access, Branch, KeyPart, Keying, Provenance, Read, Terminal, Write, WriteOp};
use crate::source::Location;
use crate::validator::Validator;
use crate::values::FunctionKind;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reactivity {
    /// Every (mutation, public query) pair a commit can re-run. Internal queries have no
    /// subscriptions: clients cannot call them (a public query that runs one with
    /// `ctx.runQuery` reads what it reads, and is listed).
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
    /// Every write behind it is made only on the first call for a key (get-or-create): most
    /// commits re-run nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rare: bool,
    /// One sentence per write and read pair, widest first.
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub effect: Effect,
    pub table: String,
    pub text: String,
    /// The write is made only on the first call for a key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rare: bool,
    /// Where the write and the read are.
    pub write: Location,
    pub read: Location,
}

pub fn analyze(transactions: &Transactions, specs: &BTreeMap<&str, &FunctionSpec>) -> Reactivity {
    let mut edges = Vec::new();
    for (mutation, m) in transactions.of_kind(FunctionKind::Mutation) {
        for (query, q) in transactions.of_kind(FunctionKind::Query).filter(|(_, q)| q.public) {
            let optional = |path: &str| optional_argument(specs.get(*query).copied(), path);
            let mut reasons: Vec<Reason> = Vec::new();
            for write in &m.writes {
                let Some(table) = write.table.name() else { continue };
                for read in q.reads.iter().filter(|r| r.table.name() == Some(table)) {
                    if let Some(reason) = pair(write, read, table, &optional) {
                        if !reasons.iter().any(|r| r.text == reason.text && r.rare == reason.rare) {
                            reasons.push(reason);
                        }
                    }
                }
            }
            if reasons.is_empty() {
                continue;
            }
            crate::order::sort_by_key(&mut reasons, |r| (r.rare, std::cmp::Reverse(r.effect)));
            let mut tables: Vec<String> = reasons.iter().map(|r| r.table.clone()).collect();
            crate::order::sort(&mut tables);
            tables.dedup();
            let rare = reasons.iter().all(|r| r.rare);
            let effect = reasons.iter().filter(|r| r.rare == rare).map(|r| r.effect).max().unwrap_or(Effect::Keyed);
            edges.push(Invalidation { mutation: (*mutation).to_owned(), query: (*query).to_owned(), effect, tables, rare, reasons });
        }
    }
    Reactivity { edges }
}

/// Whether the argument at `path` (`parentId`, `filter.owner`) of a function may be left out.
fn optional_argument(spec: Option<&FunctionSpec>, path: &str) -> bool {
    let Some(Validator::Object(fields)) = spec.and_then(|s| s.args.as_ref()) else { return true };
    let name = path.split(['.', '[']).next().unwrap_or(path);
    fields.iter().find(|(n, _)| n == name).is_none_or(|(_, field)| field.optional || path.contains('.'))
}

/// Whether a write can re-run subscriptions of a read, and how widely.
fn pair(write: &Write, read: &Read, table: &str, optional: &dyn Fn(&str) -> bool) -> Option<Reason> {
    let verb = match write.op {
        WriteOp::Insert => "inserts into",
        WriteOp::Patch => "patches",
        WriteOp::Replace => "replaces",
        WriteOp::Delete => "deletes from",
    };
    let rare = write.site.branch == Branch::FirstUse;
    let reason = |effect, text: String| {
        let when = if rare { " (only when a lookup before it finds nothing: the first call for a key)" } else { "" };
        Some(Reason { effect, table: table.to_owned(), text: format!("{text}{when}"), rare, write: write.site.location.clone(), read: read.site.location.clone() })
    };
    // A document inserted by this very mutation has an id no subscription has read yet.
    if matches!(write.id, Some(Provenance::Inserted { .. })) {
        return None;
    }
    match &read.access {
        Access::VectorSearch { .. } => None,
        Access::Get { .. } => match write.op {
            // A new document has an id no earlier read could have asked for.
            WriteOp::Insert => None,
            _ => reason(Effect::Keyed, format!("{verb} `{table}` documents; only subscriptions that read the written document by id re-run")),
        },
        Access::Query(_) | Access::Search(_) => {
            let what = if matches!(read.access, Access::Search(_)) { "search" } else { "range" };
            let extent = extent(read);
            match read.access.keying()? {
                Keying::UnknownIndex => reason(Effect::TableWide, format!("{verb} `{table}`, which the query reads through an index convex-lens cannot tell")),
                Keying::Unkeyed => {
                    let how = if what == "search" { format!("searches every `{table}` document") } else { format!("reads `{table}` without an `.eq` on an index{extent}") };
                    reason(Effect::TableWide, format!("{verb} `{table}`; the query {how}, so every subscription may re-run"))
                }
                // A key made only of constants is the same for every subscription: they all re-run.
                Keying::Constant(parts) => reason(
                    Effect::TableWide,
                    format!("{verb} `{table}`; the query's {what} is keyed by constants ({}){extent}, the same for every subscription, so all of them may re-run", keys_text(parts)),
                ),
                Keying::Varying(parts) => {
                    let (effect, text) = keyed_or_wide(write, verb, table, parts, what, optional)?;
                    reason(effect, text)
                }
            }
        }
    }
}

/// For a read that stops early, how far its range goes: Convex records a range up to the last
/// document it read, so writes past it re-run nothing.
fn extent(read: &Read) -> String {
    let Access::Query(query) = &read.access else { return String::new() };
    match (&query.terminal, query.filters.is_empty()) {
        (Terminal::First | Terminal::Unique, true) => " (its first document)".into(),
        (Terminal::First | Terminal::Unique, false) => " (up to its first match)".into(),
        (Terminal::Take { n: Some(n) }, true) => format!(" (its first {n} documents)"),
        (Terminal::Take { .. }, _) => " (up to the documents it takes)".into(),
        (Terminal::Paginate, _) => " (the pages loaded)".into(),
        _ => String::new(),
    }
}

/// A write into a range keyed by values that vary between subscriptions re-runs only those
/// whose key is the written document's, when the write says the keyed fields. An insert that
/// leaves a key field out cannot match a subscription that asks for a value there; one that
/// sets it to an id made in the same mutation cannot match any subscription that exists.
fn keyed_or_wide(write: &Write, verb: &str, table: &str, parts: &[KeyPart], what: &str, optional: &dyn Fn(&str) -> bool) -> Option<(Effect, String)> {
    let keys = keys_text(parts);
    let keyed = (Effect::Keyed, format!("{verb} `{table}`; the query's {what} is keyed by {keys}, so only subscriptions whose key is the written document's re-run"));
    if write.op != WriteOp::Insert {
        return Some(keyed);
    }
    let Some(written) = &write.fields else {
        let fields: Vec<&str> = parts.iter().map(|k| k.field.as_str()).collect();
        return Some((Effect::TableWide, format!("{verb} `{table}` with fields convex-lens cannot tell ({} among them?); the query's {what} is keyed by {keys}, so any subscription may re-run", fields.join(", "))));
    };
    for part in parts {
        match written.iter().find(|w| w.field == part.field) {
            Some(KeyPart { value: Provenance::Inserted { .. }, .. }) => return None,
            None if !may_be_undefined(&part.value, optional) => return None,
            _ => {}
        }
    }
    Some(keyed)
}

/// Whether a subscription's key value may be `undefined` (an optional argument), which an
/// insert that leaves the field out matches.
fn may_be_undefined(value: &Provenance, optional: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Provenance::Arg(path) => optional(path),
        Provenance::Const(json) => json == "undefined",
        Provenance::Unknown => true,
        _ => false,
    }
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
        Provenance::Singleton { table } => format!("the one `{table}` document every call finds"),
        Provenance::Inserted { table } => format!("a `{table}` document inserted here"),
        Provenance::Time => "the time".into(),
        Provenance::Random => "a random value".into(),
        Provenance::Env(name) => format!("the environment variable {name}"),
        Provenance::Unknown => "a value convex-lens cannot follow".into(),
    }
}
