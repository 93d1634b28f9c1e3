//! The abstract values of the facts walker: what a handler's variables hold, as far as the
//! facts need (the ctx and its parts, documents and ids of a table, the arguments, the caller's
//! identity, queries being built), with where keys come from.

use std::collections::HashMap;
use std::rc::Rc;

use super::{IndexUse, KeyPart, LoopBound, Order, Provenance, Site, FilterTest, TableRef};
use crate::validator::{Field, ObjectFields, Validator};
use crate::values::{ClosureId, Value};

/// Local variables of walked code, innermost scope last.
pub(super) type Env = Vec<HashMap<String, Abs>>;

#[derive(Clone, Debug)]
pub(super) enum Abs {
    /// The function's `ctx`, with what customizations added to it (`ctx.user`).
    Ctx(Rc<Vec<(String, Abs)>>),
    /// `ctx.db`, or `ctx.db.system`; a writer that runs convex-helpers' triggers after each
    /// write (`triggers.wrapDB(ctx).db`) when `triggers` is given.
    /// With `rules`, a reader or writer of convex-helpers' row-level security, which runs the
    /// table's rules on each document it reads or writes.
    Db { system: bool, triggers: Option<Rc<TriggerScope>>, rules: Option<Rc<RulesScope>> },
    Auth,
    Scheduler,
    /// A workflow's `step` (`@convex-dev/workflow`): its `run*` run functions later.
    WorkflowStep,
    Storage,
    /// A method of an abstract value, about to be called (`ctx.db.get`, `docs.map`).
    Method(Box<Abs>, String),
    /// A `ctx.db.query(...)` chain being built.
    Query(Rc<QueryState>),
    /// A document (or `null`) of a table, found by a key of the given provenance.
    Doc(Rc<DocRef>),
    /// Several documents of one table (`collect()`, `take(n)`, a mapped array of `get`s).
    Docs(Rc<DocRef>),
    /// `paginate()`'s result: `{ page, isDone, continueCursor }`.
    Page(Rc<DocRef>),
    Id { table: Option<String>, prov: Provenance },
    /// An array of ids of one table.
    Ids { table: Option<String>, prov: Provenance },
    /// The handler's arguments: their validator's fields, and what customizations added.
    Args(Rc<ArgsShape>),
    /// A value inside the arguments, by path, with its validator.
    Arg { path: String, validator: Option<Validator> },
    /// An object or array inside a document, by path, with its validator.
    Field { table: String, path: String, validator: Validator },
    /// `ctx.auth.getUserIdentity()`'s result.
    Identity,
    /// Any other value of known provenance: a document's field, a claim, the time.
    Scalar(Provenance),
    Object(Rc<Vec<(String, Abs)>>),
    Array(Rc<Vec<Abs>>),
    /// A `Map` whose values are like this one.
    Map(Rc<Abs>),
    /// A function of walked code, with the locals it closes over: those of the frame that made
    /// it while that frame runs (JavaScript closes over variables, not values), else a copy.
    Func { closure: ClosureId, env: Rc<Env>, frame: usize },
    /// A value the evaluator computes statically: constants, `api.x.y`, helpers of other modules.
    Static(Value),
    Unknown,
}

/// The rules of a row-level-security wrapper (`wrapDatabaseReader(ctx, db, rules)`): the
/// rules object, per table `{ read, modify, insert }`, and the ctx they get.
#[derive(Debug)]
pub(super) struct RulesScope {
    pub rules: Abs,
    pub ctx: Abs,
}

/// The triggers a wrapped writer runs, and the ctx it was made from, which the triggers get
/// with the wrapped writer as `db` and the plain one as `innerDb`.
#[derive(Debug)]
pub(super) struct TriggerScope {
    pub triggers: Rc<crate::values::TriggersDef>,
    pub ctx: Abs,
}

impl Abs {
    /// `ctx.db` as Convex gives it.
    pub(super) fn db() -> Abs {
        Abs::Db { system: false, triggers: None, rules: None }
    }
}

#[derive(Debug)]
pub(super) struct DocRef {
    pub table: Option<String>,
    /// How the document was found: its id's provenance.
    pub key: Provenance,
    /// For several documents: how many there can be.
    pub bound: LoopBound,
    /// The read that gave them, when one did.
    pub from: Option<crate::source::Location>,
}

#[derive(Debug, Default)]
pub(super) struct ArgsShape {
    /// The args validator's fields (`None`: unvalidated, any field).
    pub fields: Option<ObjectFields>,
    /// Arguments a customization's input added (`{ args: { user } }`).
    pub added: Vec<(String, Abs)>,
}

/// A query chain as far as it is built.
#[derive(Clone, Debug)]
pub(super) struct QueryState {
    pub table: TableRef,
    /// The `ctx.db.query(...)` call.
    pub site: Site,
    pub index: IndexUse,
    pub search: Option<SearchState>,
    pub order: Order,
    /// `.order(...)` was called.
    pub ordered: bool,
    pub filters: Vec<FilterTest>,
}

#[derive(Clone, Debug)]
pub(super) struct SearchState {
    /// `None` when the index name is not known statically.
    pub index: Option<String>,
    pub search_field: Option<String>,
    pub query: Provenance,
    pub eq: Vec<KeyPart>,
}

impl Abs {
    /// The value, when the evaluator knows it.
    pub fn static_value(&self) -> Option<Value> {
        match self {
            Abs::Static(value) => Some(value.clone()),
            _ => None,
        }
    }

    pub fn doc(table: Option<String>, key: Provenance) -> Abs {
        Abs::Doc(Rc::new(DocRef { table, key, bound: LoopBound::Literal(Some(1)), from: None }))
    }

    pub fn docs(table: Option<String>, key: Provenance, bound: LoopBound) -> Abs {
        Abs::Docs(Rc::new(DocRef { table, key, bound, from: None }))
    }

    /// Documents a read at `from` gives.
    pub fn docs_from(table: Option<String>, bound: LoopBound, from: crate::source::Location) -> Abs {
        Abs::Docs(Rc::new(DocRef { table, key: Provenance::Unknown, bound, from: Some(from) }))
    }

    /// Where the value comes from, when it is used as a key or a written field.
    pub fn provenance(&self) -> Provenance {
        match self {
            Abs::Arg { path, .. } => Provenance::Arg(path.clone()),
            Abs::Field { table, path, .. } => Provenance::Doc { table: table.clone(), field: path.clone() },
            Abs::Id { prov, .. } | Abs::Ids { prov, .. } | Abs::Scalar(prov) => prov.clone(),
            Abs::Identity => Provenance::Auth("subject".into()),
            Abs::Static(value) => match static_json(value) {
                Some(json) => Provenance::Const(json),
                None => Provenance::Unknown,
            },
            _ => Provenance::Unknown,
        }
    }

    /// The table of an id, an array of ids, a document or documents.
    pub fn table(&self) -> Option<&str> {
        match self {
            Abs::Id { table, .. } | Abs::Ids { table, .. } => table.as_deref(),
            Abs::Doc(doc) | Abs::Docs(doc) | Abs::Page(doc) => doc.table.as_deref(),
            Abs::Arg { validator: Some(validator), .. } => id_table(validator),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Abs::Unknown | Abs::Static(Value::Unknown(_)))
    }

    /// What iterating the value gives (`for (const x of value)`, `value.map(x => ...)`).
    pub fn element(&self) -> Abs {
        match self {
            Abs::Docs(doc) | Abs::Page(doc) => Abs::Doc(doc.clone()),
            Abs::Ids { table, prov } => Abs::Id { table: table.clone(), prov: prov.clone() },
            Abs::Array(items) => items.iter().cloned().reduce(join).unwrap_or(Abs::Unknown),
            Abs::Map(value) => Abs::Array(Rc::new(vec![Abs::Unknown, (**value).clone()])),
            Abs::Arg { path, validator: Some(Validator::Array(element)) } => {
                Abs::Arg { path: format!("{path}[]"), validator: Some((**element).clone()) }
            }
            Abs::Field { table, path, validator: Validator::Array(element) } => {
                field_value(table, format!("{path}[]"), Some((**element).clone()))
            }
            _ => Abs::Unknown,
        }
    }

    /// An array whose elements are like `element` (what `.map` returns).
    pub fn collection(element: Abs) -> Abs {
        match element {
            Abs::Doc(doc) => Abs::Docs(doc),
            Abs::Id { table, prov } => Abs::Ids { table, prov },
            Abs::Unknown => Abs::Unknown,
            other => Abs::Array(Rc::new(vec![other])),
        }
    }
}

/// A document's value at `path`: an id (or ids) of the table its validator names, an object or
/// array to look into, or a plain value.
pub(super) fn field_value(table: &str, path: String, validator: Option<Validator>) -> Abs {
    let prov = Provenance::Doc { table: table.to_owned(), field: path.clone() };
    match validator {
        Some(Validator::Array(element)) if id_table(&element).is_some() => {
            Abs::Ids { table: id_table(&element).map(str::to_owned), prov }
        }
        Some(validator) => match id_table(&validator) {
            Some(id) => Abs::Id { table: Some(id.to_owned()), prov },
            None if matches!(validator, Validator::Object(_) | Validator::Union(_) | Validator::Array(_) | Validator::Record { .. }) => {
                Abs::Field { table: table.to_owned(), path, validator }
            }
            None => Abs::Scalar(prov),
        },
        None => Abs::Scalar(prov),
    }
}

/// A value a validator describes: a document when it is an object with `_id: v.id("t")`, an
/// id, or arrays of them (what `ctx.runQuery` of a function with this `returns` gives).
pub(super) fn of_validator(validator: &&Validator) -> Abs {
    match validator {
        Validator::Object(fields) => match fields.iter().find(|(name, _)| name == "_id").and_then(|(_, f)| id_table(&f.validator)) {
            Some(table) => Abs::doc(Some(table.to_owned()), Provenance::Unknown),
            None => Abs::Unknown,
        },
        Validator::Id { table } => Abs::Id { table: Some(table.clone()), prov: Provenance::Unknown },
        Validator::Array(element) => Abs::collection(of_validator(&&**element)),
        Validator::Union(members) => members.iter().map(|m| of_validator(&m)).find(|abs| !abs.is_unknown()).unwrap_or(Abs::Unknown),
        _ => Abs::Unknown,
    }
}

/// One of two values that a branch may give: the more informative one.
pub(super) fn join(a: Abs, b: Abs) -> Abs {
    let weak = |abs: &Abs| abs.is_unknown() || matches!(abs, Abs::Static(Value::Null | Value::Undefined));
    match (a, b) {
        // One query built two ways (`status ? q.filter(...) : q`): it may filter.
        (Abs::Query(x), Abs::Query(y)) if x.site.location == y.site.location => {
            // A filter only one way has is not always applied: no index can replace it alone.
            let mut merged = (*x).clone();
            let shared = |test: &FilterTest, other: &[FilterTest]| other.iter().any(|t| t == test);
            for test in merged.filters.iter_mut() {
                if !shared(test, &y.filters) {
                    test.alternative = true;
                }
            }
            for test in &y.filters {
                if !shared(test, &x.filters) {
                    merged.filters.push(FilterTest { alternative: true, ..test.clone() });
                }
            }
            Abs::Query(Rc::new(merged))
        }
        // Objects returned on two paths (`{ id: null }` or `{ id: user._id }`): each key may hold
        // either value.
        (Abs::Object(x), Abs::Object(y)) => {
            let mut entries: Vec<(String, Abs)> = x.to_vec();
            for (key, value) in y.iter() {
                match entries.iter_mut().find(|(k, _)| k == key) {
                    Some((_, existing)) => *existing = join(existing.clone(), value.clone()),
                    None => entries.push((key.clone(), value.clone())),
                }
            }
            Abs::Object(Rc::new(entries))
        }
        // A constant on one path and something else on another (not `null`): no one constant,
        // so a table or an index named so is not known. (`x ? { index: "a" } : y ? ... : null`
        // once joined `"a"` with the unknown rest into `"a"`.)
        (Abs::Static(a), b) if is_constant(&a) && mixes_with_constant(&a, &b) => Abs::Scalar(Provenance::Unknown),
        (a, Abs::Static(b)) if is_constant(&b) && mixes_with_constant(&b, &a) => Abs::Scalar(Provenance::Unknown),
        (a, b) if weak(&a) && !weak(&b) => b,
        // Two different constants (`"a"` on one path, `"b"` on another): either one, so no one
        // constant; a table or an index named so is not known.
        (Abs::Static(a), Abs::Static(b)) if different_constants(&a, &b) => Abs::Scalar(Provenance::Unknown),
        // `null` or something unknown is unknown, not `null`.
        (Abs::Static(Value::Null | Value::Undefined), b) if b.is_unknown() => b,
        (a, _) => a,
    }
}

fn is_constant(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// Whether `other`, on another path than the constant `constant`, makes the join not that
/// constant: anything but the same constant, `null` and `undefined`.
fn mixes_with_constant(constant: &Value, other: &Abs) -> bool {
    match other {
        Abs::Static(Value::Null | Value::Undefined) => false,
        Abs::Static(value) if is_constant(value) => different_constants(constant, value),
        _ => true,
    }
}

fn different_constants(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x != y,
        (Value::Number(x), Value::Number(y)) => x != y,
        (Value::Bool(x), Value::Bool(y)) => x != y,
        (Value::String(_) | Value::Number(_) | Value::Bool(_), Value::String(_) | Value::Number(_) | Value::Bool(_)) => true,
        _ => false,
    }
}

/// The table `v.id("t")` (or an optional or nullable one) names.
pub(super) fn id_table(validator: &Validator) -> Option<&str> {
    match validator {
        Validator::Id { table } => Some(table),
        Validator::Union(members) => {
            let mut tables = members.iter().filter(|m| !matches!(m, Validator::Null)).map(id_table);
            let first = tables.next()??;
            tables.all(|t| t == Some(first)).then_some(first)
        }
        _ => None,
    }
}

/// The field of an object validator; of a union of objects, the union of the members' fields
/// (`v.literal("a") | v.literal("b")` for a discriminant).
pub(super) fn field_of(validator: &Validator, name: &str) -> Option<Field> {
    match validator {
        Validator::Object(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, f)| f.clone()),
        Validator::Union(members) => {
            let fields: Vec<Field> = members.iter().filter_map(|m| field_of(m, name)).collect();
            let first = fields.first()?.clone();
            if fields.iter().all(|f| f.validator == first.validator) {
                return Some(first);
            }
            let optional = fields.iter().any(|f| f.optional) || fields.len() < members.len();
            let mut validators: Vec<Validator> = Vec::new();
            for field in fields {
                if !validators.contains(&field.validator) {
                    validators.push(field.validator);
                }
            }
            Some(Field { validator: Validator::Union(validators), optional })
        }
        _ => None,
    }
}

/// A primitive static value as Convex JSON text, for [`Provenance::Const`].
fn static_json(value: &Value) -> Option<String> {
    Some(match value {
        Value::String(s) => serde_json::to_string(s).ok()?,
        Value::Number(n) => crate::validator::number_json(*n).to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::BigInt(n) => format!("{n}n"),
        _ => return None,
    })
}
