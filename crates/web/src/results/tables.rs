//! The tables of the schema: fields with their types and optional marks, and indexes with their
//! kind and staged badges.

use std::rc::Rc;

use convex_lens_engine::schema::Table;
use convex_lens_engine::validator::Validator;
use convex_lens_engine::{Analysis, Definition, DefinitionKind};
use yew::prelude::*;

use super::{field_list, filter, matches, Model};
use crate::source_link::SourceLink;

#[function_component(Tables)]
pub fn tables(props: &Model) -> Html {
    let typed = use_state(String::new);
    let Some(schema) = props.analysis.schema.as_ref() else {
        let file = props.analysis.schema_file.clone().unwrap_or_else(|| format!("{}/schema.ts", props.analysis.functions_dir));
        return html! { <p class="empty">{ format!("No schema: write `export default defineSchema({{ ... }})` in {file}.") }</p> };
    };
    let shown: Vec<&Table> = schema.tables.iter().filter(|t| matches(&typed, &t.table_name)).collect();
    html! {
        <>
            if schema.tables.len() > 1 {
                { filter("Filter tables", &typed, shown.len(), schema.tables.len()) }
            }
            <div class="tables">
                { for shown.into_iter().map(|t| table_card(t, &props.analysis)) }
            </div>
        </>
    }
}

pub(super) fn index_count(table: &Table) -> usize {
    table.indexes.len()
        + table.staged_db_indexes.len()
        + table.search_indexes.len()
        + table.staged_search_indexes.len()
        + table.vector_indexes.len()
        + table.staged_vector_indexes.len()
}

fn definition<'a>(definitions: &'a [Definition], kind: DefinitionKind, name: &str) -> Option<&'a Definition> {
    definitions.iter().find(|d| d.kind == kind && d.name == name)
}

fn table_card(table: &Table, analysis: &Rc<Analysis>) -> Html {
    let name = &table.table_name;
    let defined = definition(&analysis.definitions, DefinitionKind::Table, name);
    html! {
        <article class="table" data-table={name.clone()}>
            <h3>
                <span class="table-name">{ name }</span>
                if let Some(defined) = defined {
                    <SourceLink class="line" location={defined.location.clone()} label={format!("line {}", defined.location.line)} />
                }
            </h3>
            { document_fields(&table.document_type) }
            { index_list(table, &analysis.definitions) }
        </article>
    }
}

fn document_fields(document: &Validator) -> Html {
    match document {
        Validator::Object(fields) => field_list(fields),
        Validator::Union(members) => html! {
            <div class="variants">
                <p class="note">{ format!("one of {} shapes", members.len()) }</p>
                { for members.iter().map(document_fields) }
            </div>
        },
        Validator::Any => html! { <p class="note">{ "any document (v.any())" }</p> },
        other => html! { <p class="note">{ other.describe() }</p> },
    }
}

fn index_list(table: &Table, definitions: &[Definition]) -> Html {
    let mut rows: Vec<(String, &'static str, bool, String)> = Vec::new();
    let list = |fields: &[String]| fields.join(", ");
    for (indexes, staged) in [(&table.indexes, false), (&table.staged_db_indexes, true)] {
        rows.extend(indexes.iter().map(|i| (i.index_descriptor.clone(), "index", staged, list(&i.fields))));
    }
    for (indexes, staged) in [(&table.search_indexes, false), (&table.staged_search_indexes, true)] {
        rows.extend(indexes.iter().map(|i| {
            let mut detail = format!("search {}", i.search_field);
            if !i.filter_fields.is_empty() {
                detail.push_str(&format!("; filter {}", list(&i.filter_fields)));
            }
            (i.index_descriptor.clone(), "search", staged, detail)
        }));
    }
    for (indexes, staged) in [(&table.vector_indexes, false), (&table.staged_vector_indexes, true)] {
        rows.extend(indexes.iter().map(|i| {
            let mut detail = format!("{} × {}", i.vector_field, i.dimensions);
            if !i.filter_fields.is_empty() {
                detail.push_str(&format!("; filter {}", list(&i.filter_fields)));
            }
            (i.index_descriptor.clone(), "vector", staged, detail)
        }));
    }
    if rows.is_empty() {
        return html! { <p class="note no-indexes">{ "no indexes of its own (only the built-in by_id and by_creation_time)" }</p> };
    }
    html! {
        <ul class="indexes" aria-label={format!("Indexes of {}", table.table_name)}>
            { for rows.into_iter().map(|(name, kind, staged, detail)| {
                let qualified = format!("{}.{name}", table.table_name);
                let line = definition(definitions, DefinitionKind::Index, &qualified).map(|d| d.location.line);
                html! {
                    <li data-index={name.clone()} title={line.map(|l| format!("defined on line {l}"))}>
                        <span class={classes!("badge", kind)}>{ kind }</span>
                        if staged { <span class="badge staged">{ "staged" }</span> }
                        <code class="index-name">{ name }</code>
                        <span class="index-fields">{ detail }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn tables_fields_and_indexes_are_listed() {
        let books = table("books", serde_json::json!([{ "indexDescriptor": "by_owner", "fields": ["owner"] }]));
        let root = render::<Tables>(Model { analysis: with_schema(vec![books, table("users", serde_json::json!([]))]) }).await;
        assert_eq!(texts(&root, ".table-name"), ["books", "users"]);
        assert_eq!(texts(&root, "[data-table='books'] .field-name"), ["title", "owner?"]);
        assert_eq!(texts(&root, "[data-table='books'] .field-type"), ["string", "Id<\"users\">"]);
        assert_eq!(texts(&root, "[data-table='books'] .index-name"), ["by_owner"]);
        assert_eq!(texts(&root, "[data-table='users'] .no-indexes").len(), 1);
    }

    #[wasm_bindgen_test]
    async fn staged_and_search_indexes_have_their_badges() {
        let mut messages = table("messages", serde_json::json!([]));
        messages["stagedDbIndexes"] = serde_json::json!([{ "indexDescriptor": "by_owner", "fields": ["owner"] }]);
        messages["searchIndexes"] = serde_json::json!([{ "indexDescriptor": "search_title", "searchField": "title", "filterFields": [] }]);
        let root = render::<Tables>(Model { analysis: with_schema(vec![messages]) }).await;
        assert_eq!(texts(&root, "[data-index='by_owner'] .badge"), ["index", "staged"]);
        assert_eq!(texts(&root, "[data-index='search_title'] .badge"), ["search"]);
    }
}
