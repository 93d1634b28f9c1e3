//! `crud(schema, table, query?, mutation?)` of convex-helpers 0.1.124 (`server/crud.ts`): five
//! functions over one table, registered with the builders given (internal ones by default) and
//! the arguments the package derives from the table's validator. Their handlers are a line or
//! two of the package's code each, which the facts state as the reads and writes they make.

use super::Outcome;
use crate::builders::{document_with_system_fields, fail, generic_builder, pagination_options, string_arg};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, Validator};
use crate::values::{Arg, BuilderDef, LibraryCode, LibraryEffect, LibraryHandler, LibraryValue, Span, Unknown};

pub(super) const LIBRARY: &str = "convex-helpers/server/crud";

pub(super) fn crud(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let table = string_arg(&args, 1, span, "the table name of crud()")?;
    let document = match args.first().map(|a| &a.value) {
        Some(Value::Schema(schema)) => match schema.tables.iter().find(|(name, _, _)| *name == table) {
            Some((_, Value::Table(definition), _)) => definition.document.clone(),
            Some((_, Value::Unknown(u), _)) => return Err(u.clone()),
            _ => return Err(fail(span, format!("crud() throws: table `{table}` is not in the schema"))),
        },
        Some(Value::Unknown(u)) => return Err(u.clone()),
        _ => return Err(fail(span, "the schema given to crud() is not one convex-lens evaluated")),
    };
    let query = builder_arg(args.get(2), "internalQueryGeneric", span)?;
    let mutation = builder_arg(args.get(3), "internalMutationGeneric", span)?;
    let neither = || fail(span, "crud() throws: the table's validator is neither an object nor a union");
    let create = system_fields_optional(&table, document.clone()).ok_or_else(neither)?;
    // `partial(doc(schema, table))`.
    let patch = match document_with_system_fields(&table, &document, span)? {
        Value::Validator { validator, .. } => super::convex_helpers::partial_validator(validator).ok_or_else(neither)?,
        _ => return Err(neither()),
    };
    let id = || (String::from("id"), Value::Validator { validator: Validator::Id { table: table.clone() }, optional: false });
    // Each handler is a line or two of the package's code (`server/crud.ts`): its facts are
    // those lines' reads and writes.
    let mut function = |builder: &BuilderDef, args: Value, effects: Vec<LibraryEffect>| {
        let value = LibraryValue { package: LIBRARY.to_owned(), name: "crud".to_owned() };
        super::library_function(evaluator, builder.clone(), args, None, LibraryHandler { value, code: LibraryCode::Effects(effects) }, span)
    };
    let on = |effect: fn(String) -> LibraryEffect| effect(table.clone());
    let validator = |validator| Value::Validator { validator, optional: false };
    Ok(Value::Object(vec![
        ("create".to_owned(), function(&mutation, validator(create), vec![on(LibraryEffect::Insert)])),
        ("read".to_owned(), function(&query, Value::Object(vec![id()]), vec![on(LibraryEffect::Get)])),
        ("paginate".to_owned(), function(&query, Value::Object(vec![("paginationOpts".to_owned(), pagination_options())]), vec![on(LibraryEffect::Paginate)])),
        ("update".to_owned(), function(&mutation, Value::Object(vec![id(), ("patch".to_owned(), validator(patch))]), vec![on(LibraryEffect::Patch)])),
        ("destroy".to_owned(), function(&mutation, Value::Object(vec![id()]), vec![on(LibraryEffect::Get), on(LibraryEffect::Delete)])),
    ]))
}

/// The builder crud() is given, else its default.
fn builder_arg(arg: Option<&Arg>, default: &str, span: Span) -> Result<BuilderDef, Unknown> {
    match arg.map(|a| &a.value) {
        None | Some(Value::Undefined) => generic_builder(default).ok_or_else(|| fail(span, format!("`{default}` is not a builder"))),
        Some(Value::Builder(builder)) => Ok((**builder).clone()),
        Some(Value::Unknown(u)) => Err(u.clone()),
        Some(_) => Err(fail(span, "the builder given to crud() is not one convex-lens evaluated")),
    }
}

/// `makeSystemFieldsOptional`: the document's fields, then `_id` and `_creationTime` optional; in
/// each member of a union.
fn system_fields_optional(table: &str, document: Validator) -> Option<Validator> {
    match document {
        Validator::Object(mut fields) => {
            // `{ ...validator.fields, ...partial(systemFields(table)) }`: a key already there keeps
            // its place and takes the new value, as a spread does.
            for (name, validator) in [("_id", Validator::Id { table: table.to_owned() }), ("_creationTime", Validator::Number)] {
                let field = Field { validator, optional: true };
                match fields.iter_mut().find(|(existing, _)| existing == name) {
                    Some((_, existing)) => *existing = field,
                    None => fields.push((name.to_owned(), field)),
                }
            }
            Some(Validator::Object(fields))
        }
        Validator::Union(members) => Some(Validator::Union(members.into_iter().map(|m| system_fields_optional(table, m)).collect::<Option<_>>()?)),
        _ => None,
    }
}
