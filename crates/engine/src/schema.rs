//! The data model: tables and indexes, in the exact shape of Convex's `schema.export()` JSON, and
//! its extraction from the evaluated default export of `schema.ts`.

use serde::{Deserialize, Serialize};

use crate::eval::{Evaluator, Value};
use crate::values::{IndexKind, LibraryValue, SchemaDef, Span, TableDef, Unknown};
use crate::validator::Validator;

/// `schema.export()`: the tables in the order of the `defineSchema` record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub tables: Vec<Table>,
    pub schema_validation: bool,
}

/// One element of `schema.export().tables`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    pub table_name: String,
    pub indexes: Vec<DbIndex>,
    pub staged_db_indexes: Vec<DbIndex>,
    pub search_indexes: Vec<SearchIndex>,
    pub staged_search_indexes: Vec<SearchIndex>,
    pub vector_indexes: Vec<VectorIndex>,
    pub staged_vector_indexes: Vec<VectorIndex>,
    pub document_type: Validator,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staged_document_type: Option<Validator>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DbIndex {
    pub index_descriptor: String,
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchIndex {
    pub index_descriptor: String,
    pub search_field: String,
    pub filter_fields: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VectorIndex {
    pub index_descriptor: String,
    pub vector_field: String,
    #[serde(serialize_with = "serialize_number")]
    pub dimensions: f64,
    pub filter_fields: Vec<String>,
}

fn serialize_number<S: serde::Serializer>(n: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    crate::validator::number_json(*n).serialize(serializer)
}

/// A named thing in the model and where it is defined, for "go to definition".
#[derive(Clone, Debug, PartialEq)]
pub struct DefinitionSite {
    pub kind: DefinitionKind,
    /// `messages` for a table, `messages.by_channel` for an index.
    pub name: String,
    pub span: Span,
    pub owner: Option<Owner>,
}

/// Who defines a table or an index when it is not the app's own code: then it is not the app's
/// to prune, whatever the app's reads do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum Owner {
    /// A library's value (`authTables` of `@convex-dev/auth`) or a package's source.
    Library { package: String },
    /// A file a generator writes (headed "auto-generated, do not edit"), such as the schema the
    /// Better Auth CLI writes.
    Generated { file: String },
}

impl Owner {
    /// `@convex-dev/auth`, `the generated convex/betterAuth/schema.ts`.
    pub fn describe(&self) -> String {
        match self {
            Owner::Library { package } => format!("the library {package}"),
            Owner::Generated { file } => format!("the generated {file}"),
        }
    }
}

/// What the schema model may lack: a table whose definition could not be evaluated, entries
/// spread into the tables from a value convex-lens could not follow, or the whole schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaGap {
    /// The table left out, when its name is known.
    pub table: Option<String>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<LibraryValue>,
    pub location: crate::source::Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefinitionKind {
    Table,
    Index,
}

/// Turns an evaluated `defineSchema(...)` into the model. Tables whose definition cannot be
/// evaluated are reported through the evaluator and left out.
/// Also returns what the model may lack: each left-out table (by name when known) with why.
pub fn model_schema(evaluator: &mut Evaluator, schema: SchemaDef) -> (Schema, Vec<DefinitionSite>, Vec<(Option<String>, Unknown)>) {
    let mut tables = Vec::new();
    let mut sites = Vec::new();
    let mut gaps: Vec<(Option<String>, Unknown)> = schema.left_out.iter().map(|u| (None, u.clone())).collect();
    for (name, value, span) in schema.tables {
        match value {
            Value::Table(table) => {
                let table_owner = owner(evaluator, table.library.as_deref(), table.span);
                sites.push(DefinitionSite { kind: DefinitionKind::Table, name: name.clone(), span: table.span, owner: table_owner });
                sites.extend(table.indexes.iter().map(|index| DefinitionSite {
                    kind: DefinitionKind::Index,
                    name: format!("{name}.{}", index.name),
                    span: index.span,
                    owner: owner(evaluator, index.library.as_deref(), index.span),
                }));
                tables.push(model_table(name, std::rc::Rc::unwrap_or_clone(table)));
            }
            Value::Unknown(u) => {
                let left_out = u.wrap(u.span, format!("table `{name}` is left out: {}", u.reason));
                gaps.push((Some(name.clone()), left_out.clone()));
                evaluator.report_unknown(left_out);
            }
            _ => evaluator.report_problem(span, format!("table `{name}` is not a `defineTable(...)` value")),
        }
    }
    (Schema { tables, schema_validation: schema.schema_validation }, sites, gaps)
}

/// Who defines what is at `span`: the library whose value it is, a package's source, or a file
/// a generator wrote; `None` for the app's own code.
fn owner(evaluator: &Evaluator, library: Option<&str>, span: Span) -> Option<Owner> {
    if let Some(package) = library {
        return Some(Owner::Library { package: package.to_owned() });
    }
    let file = evaluator.graph.modules[span.module].file;
    if let Some(rest) = file.path.strip_prefix("node_modules/").or_else(|| file.path.split_once("/node_modules/").map(|(_, rest)| rest)) {
        let package = crate::resolve::split_package_path(rest).map_or(rest, |(name, _)| name);
        return Some(Owner::Library { package: package.to_owned() });
    }
    is_generated(&file.text).then(|| Owner::Generated { file: file.path.clone() })
}

/// Whether a file says, in the comments it opens with, that a tool writes it.
pub fn is_generated(text: &str) -> bool {
    let header: String = text
        .lines()
        .map(str::trim)
        .take_while(|line| line.is_empty() || line.starts_with("//") || line.starts_with("/*") || line.starts_with('*'))
        .take(40)
        .collect::<Vec<_>>()
        .join(" ")
        // ASCII lowering finds the same marks as `to_lowercase` (and keeps the Unicode case
        // tables out of the widget's wasm): the only non-ASCII letters that lower to ASCII are
        // the Kelvin sign (`k`, in no mark) and the dotted capital I (`i` and a combining dot,
        // which no mark has after an `i`).
        .to_ascii_lowercase();
    ["do not edit", "auto-generated", "autogenerated", "@generated", "this file is generated", "generated by"].iter().any(|mark| header.contains(mark))
}
fn model_table(table_name: String, definition: TableDef) -> Table {
    let mut table = Table {
        table_name,
        indexes: Vec::new(),
        staged_db_indexes: Vec::new(),
        search_indexes: Vec::new(),
        staged_search_indexes: Vec::new(),
        vector_indexes: Vec::new(),
        staged_vector_indexes: Vec::new(),
        document_type: definition.document,
        staged_document_type: definition.staged_document,
    };
    for index in definition.indexes {
        let index_descriptor = index.name;
        match index.kind {
            IndexKind::Db { fields } => {
                let list = if index.staged { &mut table.staged_db_indexes } else { &mut table.indexes };
                list.push(DbIndex { index_descriptor, fields });
            }
            IndexKind::Search { search_field, filter_fields } => {
                let list = if index.staged { &mut table.staged_search_indexes } else { &mut table.search_indexes };
                list.push(SearchIndex { index_descriptor, search_field, filter_fields });
            }
            IndexKind::Vector { vector_field, dimensions, filter_fields } => {
                let list = if index.staged { &mut table.staged_vector_indexes } else { &mut table.vector_indexes };
                list.push(VectorIndex { index_descriptor, vector_field, dimensions, filter_fields });
            }
        }
    }
    table
}
