//! `defineTable` and its index methods, `defineSchema`, and the schema helpers (`schema.doc`,
//! `schema.id`, `docValidator`). See `shared/reference/convex-api.md` §3.

use super::{entry, fail, required_validator, string_arg, Outcome};
use super::values::{merge_fields, object_fields};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, Validator};
use crate::values::{Arg, IndexDef, IndexKind, SchemaDef, Span, TableDef, Unknown};

pub(super) fn define_table(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let Arg { value, span: at } = args.first().ok_or_else(|| fail(span, "defineTable() needs a document schema"))?;
    let document = match value {
        Value::Object(_) => Validator::Object(object_fields(evaluator, value, *at)?),
        Value::Validator { validator, .. } => {
            if !is_document_validator(validator) {
                evaluator.report_problem(
                    *at,
                    "the document validator of a table must be an object, a union of objects, or v.any()".into(),
                );
            }
            validator.clone()
        }
        Value::Unknown(u) => return Err(u.clone()),
        _ => return Err(fail(*at, "defineTable() takes an object of validators or a validator")),
    };
    Ok(Value::Table(std::rc::Rc::new(TableDef { document, staged_document: None, indexes: Vec::new(), span, library: None })))
}

fn is_document_validator(validator: &Validator) -> bool {
    match validator {
        Validator::Object(_) | Validator::Any => true,
        Validator::Union(members) => members.iter().all(|m| matches!(m, Validator::Object(_))),
        _ => false,
    }
}

pub(super) fn call_table_method(
    evaluator: &mut Evaluator,
    mut table: TableDef,
    method: &str,
    args: Vec<Arg>,
    span: Span,
) -> Outcome {
    match method {
        "index" | "searchIndex" | "vectorIndex" => {
            let name = string_arg(&args, 0, span, "the index name")?;
            // Point at the index's name: the call's own range starts at `defineTable(`.
            let name_span = args[0].span;
            let Arg { value: config, span: at } = args.get(1).ok_or_else(|| fail(span, format!("index `{name}` has no definition")))?;
            let (kind, staged) = match method {
                "index" => db_index(config, *at)?,
                "searchIndex" => search_index(config, *at)?,
                _ => vector_index(config, *at)?,
            };
            table.indexes.push(IndexDef { name, kind, staged, span: name_span, library: None });
            Ok(Value::Table(std::rc::Rc::new(table)))
        }
        "staged" => {
            if table.staged_document.is_some() {
                evaluator.report_problem(span, "`.staged()` may be called once per table".into());
            }
            let Arg { value, span: at } = args.first().ok_or_else(|| fail(span, "`.staged()` needs changes"))?;
            table.staged_document = Some(staged_document(evaluator, &table.document, value, *at)?);
            Ok(Value::Table(std::rc::Rc::new(table)))
        }
        _ => Err(fail(span, format!("`.{method}()` is not a method of a table definition"))),
    }
}

/// `.staged({...changes})` merges field changes into an object (or `v.any()`) document, where
/// `undefined` removes a field; `.staged(validator)` replaces the document validator.
fn staged_document(evaluator: &mut Evaluator, document: &Validator, value: &Value, at: Span) -> Result<Validator, Unknown> {
    let Value::Object(changes) = value else {
        return required_validator(value, at, "the staged document validator");
    };
    let mut fields = match document {
        Validator::Object(fields) => fields.clone(),
        Validator::Any => Vec::new(),
        _ => return Err(fail(at, "field changes in `.staged()` need an object or v.any() table")),
    };
    let removed: Vec<&String> = changes.iter().filter(|(_, v)| matches!(v, Value::Undefined)).map(|(k, _)| k).collect();
    fields.retain(|(name, _)| !removed.contains(&name));
    let present: Vec<(String, Value)> =
        changes.iter().filter(|(_, v)| !matches!(v, Value::Undefined)).cloned().collect();
    let changed = object_fields(evaluator, &Value::Object(present), at)?;
    Ok(Validator::Object(merge_fields(fields, changed)))
}

fn string_list(value: Option<&Value>, at: Span, what: &str) -> Result<Vec<String>, Unknown> {
    match value {
        None | Some(Value::Undefined) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Unknown(u) => Err(u.clone()),
                _ => Err(fail(at, format!("{what} must be strings"))),
            })
            .collect(),
        Some(Value::Unknown(u)) => Err(u.clone()),
        Some(_) => Err(fail(at, format!("{what} must be an array of strings"))),
    }
}

fn staged_flag(config: &[(String, Value)], at: Span) -> Result<bool, Unknown> {
    match entry(config, "staged") {
        None | Some(Value::Undefined) | Some(Value::Bool(false)) => Ok(false),
        Some(Value::Bool(true)) => Ok(true),
        Some(Value::Unknown(u)) => Err(u.clone()),
        Some(_) => Err(fail(at, "`staged` must be a boolean")),
    }
}

fn config_object(value: &Value, at: Span) -> Result<&[(String, Value)], Unknown> {
    match value {
        Value::Object(config) => Ok(config),
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(at, "the index definition must be an object")),
    }
}

fn db_index(config: &Value, at: Span) -> Result<(IndexKind, bool), Unknown> {
    if let Value::Array(_) = config {
        return Ok((IndexKind::Db { fields: string_list(Some(config), at, "index fields")? }, false));
    }
    let config = config_object(config, at)?;
    let fields = string_list(entry(config, "fields"), at, "index fields")?;
    Ok((IndexKind::Db { fields }, staged_flag(config, at)?))
}

fn search_index(config: &Value, at: Span) -> Result<(IndexKind, bool), Unknown> {
    let config = config_object(config, at)?;
    let search_field = match entry(config, "searchField") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(at, "a search index needs a `searchField` string")),
    };
    let filter_fields = string_list(entry(config, "filterFields"), at, "filter fields")?;
    Ok((IndexKind::Search { search_field, filter_fields }, staged_flag(config, at)?))
}

fn vector_index(config: &Value, at: Span) -> Result<(IndexKind, bool), Unknown> {
    let config = config_object(config, at)?;
    let vector_field = match entry(config, "vectorField") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(at, "a vector index needs a `vectorField` string")),
    };
    let dimensions = match entry(config, "dimensions") {
        Some(Value::Number(n)) => *n,
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(at, "a vector index needs `dimensions`, a number")),
    };
    let filter_fields = string_list(entry(config, "filterFields"), at, "filter fields")?;
    Ok((IndexKind::Vector { vector_field, dimensions, filter_fields }, staged_flag(config, at)?))
}

pub(super) fn define_schema(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let Arg { value: tables, span: at } = args.first().ok_or_else(|| fail(span, "defineSchema() needs the tables"))?;
    let Value::Object(entries) = tables else {
        return match tables {
            Value::Unknown(u) => Err(u.clone()),
            _ => Err(fail(*at, "defineSchema() takes an object of tables")),
        };
    };
    let schema_validation = match args.get(1) {
        Some(Arg { value: Value::Object(options), span: options_at }) => match entry(options, "schemaValidation") {
            None | Some(Value::Undefined) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                evaluator.report_problem(*options_at, "`schemaValidation` must be a boolean".into());
                true
            }
        },
        _ => true,
    };
    let tables = entries.iter().map(|(name, value)| (name.clone(), value.clone(), table_range(value, *at))).collect();
    // Only spreads of a literal given here are known to be the schema's (`defineSchema({...a,
    // ...b})`); an object built elsewhere and passed by name is not traced back.
    let left_out = evaluator.dropped_spreads.iter().filter(|(object, _)| object == at).map(|(_, u)| u.clone()).collect();
    Ok(Value::Schema(std::rc::Rc::new(SchemaDef { tables, left_out, schema_validation, span })))
}

fn table_range(value: &Value, fallback: Span) -> Span {
    match value {
        Value::Table(table) => table.span,
        Value::Unknown(u) => u.span,
        _ => fallback,
    }
}

/// `schema.doc("t")` and `schema.id("t")`.
pub(super) fn call_schema_method(schema: SchemaDef, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let table_name = string_arg(&args, 0, span, "the table name")?;
    let Some((_, table, _)) = schema.tables.iter().find(|(name, _, _)| *name == table_name) else {
        return Err(fail(span, format!("the schema has no table `{table_name}`")));
    };
    match method {
        "id" => Ok(Value::Validator { validator: Validator::Id { table: table_name }, optional: false }),
        "doc" => match table {
            Value::Table(table) => document_with_system_fields(&table_name, &table.document, span),
            Value::Unknown(u) => Err(u.clone()),
            _ => Err(fail(span, format!("table `{table_name}` is not a `defineTable(...)` value"))),
        },
        _ => Err(fail(span, format!("`.{method}()` of a schema is not evaluated statically"))),
    }
}

/// `docValidator("t", schema.tables.t)`.
pub(super) fn doc_validator(args: Vec<Arg>, span: Span) -> Outcome {
    let table_name = string_arg(&args, 0, span, "the table name")?;
    match args.get(1).map(|a| &a.value) {
        Some(Value::Table(table)) => document_with_system_fields(&table_name, &table.document, span),
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => Err(fail(span, "docValidator() needs a table definition")),
    }
}

/// `addSystemFields` in `convex/src/server/schema.ts`: objects get `_id` and `_creationTime`
/// after their fields, unions get them in each member, `v.any()` stays as it is.
pub fn document_with_system_fields(table_name: &str, document: &Validator, span: Span) -> Outcome {
    fn with_system_fields(table_name: &str, document: &Validator) -> Option<Validator> {
        match document {
            Validator::Object(fields) => Some(Validator::Object(merge_fields(fields.clone(), system_fields(table_name)))),
            Validator::Union(members) => {
                members.iter().map(|m| with_system_fields(table_name, m)).collect::<Option<_>>().map(Validator::Union)
            }
            Validator::Any => Some(Validator::Any),
            _ => None,
        }
    }
    match with_system_fields(table_name, document) {
        Some(validator) => Ok(Value::Validator { validator, optional: false }),
        None => Err(fail(span, format!("table `{table_name}` has documents that are not objects"))),
    }
}

pub(crate) fn system_fields(table_name: &str) -> Vec<(String, Field)> {
    vec![
        ("_id".to_owned(), Field { validator: Validator::Id { table: table_name.to_owned() }, optional: false }),
        ("_creationTime".to_owned(), Field { validator: Validator::Number, optional: false }),
    ]
}
