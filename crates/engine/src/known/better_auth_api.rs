//! `createApi(schema, createAuthOptions)` of `@convex-dev/better-auth` 0.12.5
//! (`src/client/create-api.ts`): the adapter functions of a Better Auth component installed in
//! the app's own folder (`convex/betterAuth/adapter.ts`). Their arguments are built from the
//! component's schema, table by table; their handlers are the package's database code over those
//! tables, which the facts record as an opaque call on them.

use super::Outcome;
use crate::builders::{fail, generic_builder, pagination_options};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, LiteralValue, ObjectFields, Validator};
use crate::values::{Arg, LibraryCode, LibraryHandler, LibraryValue, Span};

pub(super) fn create_api(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let schema = match args.into_iter().next().map(|a| a.value) {
        Some(Value::Schema(schema)) => schema,
        Some(Value::Unknown(unknown)) => return Err(unknown),
        _ => return Err(fail(span, "the schema given to `createApi` is not one convex-lens evaluated")),
    };
    let mut tables = Vec::new();
    for (name, table, _) in &schema.tables {
        match table {
            Value::Table(table) => match &table.document {
                Validator::Object(fields) => tables.push((name.clone(), fields.clone())),
                _ => return Err(fail(span, format!("`createApi` needs the fields of `{name}`, whose validator is not an object"))),
            },
            Value::Unknown(unknown) => return Err(unknown.clone()),
            _ => return Err(fail(span, format!("the table `{name}` of the schema is not one convex-lens evaluated"))),
        }
    }
    let names: Vec<String> = tables.iter().map(|(name, _)| name.clone()).collect();
    let model = || required(Validator::Union(names.iter().map(|n| literal(n)).collect()));
    // One member per table: `{ model: v.literal(table), ...rest(table) }`.
    let per_table = |rest: &dyn Fn(&ObjectFields) -> Vec<(String, Field)>| {
        required(Validator::Union(
            tables.iter().map(|(name, table)| Validator::Object([vec![("model".to_owned(), required(literal(name)))], rest(table)].concat())).collect(),
        ))
    };
    let where_of = |table: &ObjectFields| {
        let mut names: Vec<Validator> = table.iter().map(|(field, _)| literal(field)).collect();
        names.push(literal("_id"));
        vec![("where".to_owned(), optional(Validator::Array(Box::new(where_validator(Validator::Union(names))))))]
    };
    let handle = |name: &str| (name.to_owned(), optional(Validator::String));
    let strings = || optional(Validator::Array(Box::new(Validator::String)));
    let page = || ("paginationOpts".to_owned(), pagination_field());
    let adapter_where = || optional(Validator::Array(Box::new(where_validator(Validator::String))));
    let create = vec![
        ("input".to_owned(), per_table(&|table| vec![("data".to_owned(), required(Validator::Object(table.clone())))])),
        ("select".to_owned(), strings()),
        handle("onCreateHandle"),
    ];
    let find_one = vec![("model".to_owned(), model()), ("where".to_owned(), adapter_where()), ("select".to_owned(), strings()), ("join".to_owned(), optional(Validator::Any))];
    let sort_by = Validator::Object(vec![
        ("direction".to_owned(), required(Validator::Union(vec![literal("asc"), literal("desc")]))),
        ("field".to_owned(), required(Validator::String)),
    ]);
    let find_many = vec![
        ("model".to_owned(), model()),
        ("where".to_owned(), adapter_where()),
        ("select".to_owned(), strings()),
        ("limit".to_owned(), optional(Validator::Number)),
        ("sortBy".to_owned(), optional(sort_by)),
        ("offset".to_owned(), optional(Validator::Number)),
        ("join".to_owned(), optional(Validator::Any)),
        page(),
    ];
    let update = |table: &ObjectFields| {
        let partial = table.iter().map(|(name, field)| (name.clone(), Field { optional: true, ..field.clone() })).collect();
        [vec![("update".to_owned(), required(Validator::Object(partial)))], where_of(table)].concat()
    };
    let update_one = vec![("input".to_owned(), per_table(&update)), handle("onUpdateHandle")];
    let update_many = vec![("input".to_owned(), per_table(&update)), page(), handle("onUpdateHandle")];
    let delete_one = vec![("input".to_owned(), per_table(&where_of)), handle("onDeleteHandle")];
    let delete_many = vec![("input".to_owned(), per_table(&where_of)), page(), handle("onDeleteHandle")];
    let mut function = |builder: &str, args: Vec<(String, Field)>| {
        let value = LibraryValue { package: super::better_auth::LIBRARY.to_owned(), name: "createApi".to_owned() };
        let library = LibraryHandler { value, code: LibraryCode::Unread { tables: names.clone() } };
        let args = Value::Validator { validator: Validator::Object(args), optional: false };
        super::library_function(evaluator, generic_builder(builder).expect("a Convex builder"), args, None, library, span)
    };
    Ok(Value::Object(vec![
        ("create".to_owned(), function("mutationGeneric", create)),
        ("findOne".to_owned(), function("queryGeneric", find_one)),
        ("findMany".to_owned(), function("queryGeneric", find_many)),
        ("updateOne".to_owned(), function("mutationGeneric", update_one)),
        ("updateMany".to_owned(), function("mutationGeneric", update_many)),
        ("deleteOne".to_owned(), function("mutationGeneric", delete_one)),
        ("deleteMany".to_owned(), function("mutationGeneric", delete_many)),
    ]))
}

/// `adapterWhereValidator`, or `whereValidator(schema, table)` with `field` one of the table's.
fn where_validator(field: Validator) -> Validator {
    let operators = ["lt", "lte", "gt", "gte", "eq", "in", "not_in", "ne", "contains", "starts_with", "ends_with"];
    let array = |v: Validator| Validator::Array(Box::new(v));
    Validator::Object(vec![
        ("field".to_owned(), required(field)),
        ("operator".to_owned(), optional(Validator::Union(operators.iter().map(|o| literal(o)).collect()))),
        (
            "value".to_owned(),
            required(Validator::Union(vec![Validator::String, Validator::Number, Validator::Boolean, array(Validator::String), array(Validator::Number), Validator::Null])),
        ),
        ("connector".to_owned(), optional(Validator::Union(vec![literal("AND"), literal("OR")]))),
        ("mode".to_owned(), optional(Validator::Union(vec![literal("sensitive"), literal("insensitive")]))),
    ])
}

fn pagination_field() -> Field {
    match pagination_options() {
        Value::Validator { validator, .. } => required(validator),
        _ => unreachable!("paginationOptsValidator is a validator"),
    }
}

fn literal(value: &str) -> Validator {
    Validator::Literal(LiteralValue::String(value.to_owned()))
}

fn required(validator: Validator) -> Field {
    Field { validator, optional: false }
}

fn optional(validator: Validator) -> Field {
    Field { validator, optional: true }
}
