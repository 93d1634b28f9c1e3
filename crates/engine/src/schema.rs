//! The data model: tables and indexes, in the exact shape of Convex's `schema.export()` JSON, and
//! its extraction from the evaluated default export of `schema.ts`.

use serde::{Deserialize, Serialize};

use crate::eval::{Evaluator, Value};
use crate::values::{IndexKind, SchemaDef, Span, TableDef, Unknown};
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefinitionKind {
    Table,
    Index,
}

/// Turns an evaluated `defineSchema(...)` into the model. Tables whose definition cannot be
/// evaluated are reported through the evaluator and left out.
pub fn model_schema(evaluator: &mut Evaluator, schema: SchemaDef) -> (Schema, Vec<DefinitionSite>) {
    let mut tables = Vec::new();
    let mut sites = Vec::new();
    for (name, value, span) in schema.tables {
        match value {
            Value::Table(table) => {
                sites.push(DefinitionSite { kind: DefinitionKind::Table, name: name.clone(), span: table.span });
                sites.extend(table.indexes.iter().map(|index| DefinitionSite {
                    kind: DefinitionKind::Index,
                    name: format!("{name}.{}", index.name),
                    span: index.span,
                }));
                tables.push(model_table(name, std::rc::Rc::unwrap_or_clone(table)));
            }
            Value::Unknown(u) => evaluator.report_unknown(Unknown {
                span: u.span,
                reason: format!("table `{name}` is left out: {}", u.reason),
            }),
            _ => evaluator.report_problem(span, format!("table `{name}` is not a `defineTable(...)` value")),
        }
    }
    (Schema { tables, schema_validation: schema.schema_validation }, sites)
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
