//! The results pane: the tables and indexes the engine found, and its diagnostics.

use std::rc::Rc;

use convex_lens_engine::schema::Table;
use convex_lens_engine::validator::Validator;
use convex_lens_engine::{Analysis, Definition, DefinitionKind, Diagnostic};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The analysis of the current text; `None` when it produced none (the analyser crashed).
    pub analysis: Option<Rc<Analysis>>,
    /// The newest analysis that produced a schema, shown (marked as outdated) while the current
    /// text does not parse, so the picture does not vanish at every keystroke.
    pub last_schema: Option<Rc<Analysis>>,
    pub millis: Option<f64>,
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let current = props.analysis.as_ref().filter(|a| a.schema.is_some());
    let shown = current.or(props.last_schema.as_ref());
    let outdated = current.is_none() && shown.is_some();
    let diagnostics = props.analysis.as_ref().map_or(&[][..], |a| &a.diagnostics[..]);
    html! {
        <section class="results" aria-label="Analysis results">
            <p class="summary" role="status">{ summary(shown.map(|a| &**a), props.millis.filter(|_| !outdated)) }</p>
            { diagnostic_list(diagnostics) }
            if outdated {
                <p class="outdated">{ "The current code gives no schema; showing the last version that did." }</p>
            }
            if let Some(shown) = shown {
                <div class={classes!("tables", outdated.then_some("is-outdated"))}>
                    { for shown.schema.iter().flat_map(|s| &s.tables).map(|t| table_card(t, &shown.definitions)) }
                </div>
            } else if diagnostics.is_empty() {
                <p class="empty">{ "No schema found: write `export default defineSchema({ ... })`." }</p>
            }
        </section>
    }
}

fn summary(analysis: Option<&Analysis>, millis: Option<f64>) -> String {
    let Some(schema) = analysis.and_then(|a| a.schema.as_ref()) else {
        return "No tables found".into();
    };
    let tables = schema.tables.len();
    let indexes: usize = schema.tables.iter().map(index_count).sum();
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = format!("{} · {}", count(tables, "table", "tables"), count(indexes, "index", "indexes"));
    if let Some(ms) = millis {
        text.push_str(&format!(" · analysed in {ms:.0} ms"));
    }
    text
}

fn index_count(table: &Table) -> usize {
    table.indexes.len()
        + table.staged_db_indexes.len()
        + table.search_indexes.len()
        + table.staged_search_indexes.len()
        + table.vector_indexes.len()
        + table.staged_vector_indexes.len()
}

fn line_of(definitions: &[Definition], kind: DefinitionKind, name: &str) -> Option<usize> {
    definitions.iter().find(|d| d.kind == kind && d.name == name).map(|d| d.location.line)
}

fn table_card(table: &Table, definitions: &[Definition]) -> Html {
    let name = &table.table_name;
    let line = line_of(definitions, DefinitionKind::Table, name);
    html! {
        <article class="table" data-table={name.clone()}>
            <h3>
                <span class="table-name">{ name }</span>
                if let Some(line) = line { <span class="line">{ format!("line {line}") }</span> }
            </h3>
            { document_fields(&table.document_type) }
            { index_list(table, definitions) }
        </article>
    }
}

fn document_fields(document: &Validator) -> Html {
    match document {
        Validator::Object(fields) => html! {
            <ul class="fields">
                { for fields.iter().map(|(name, field)| html! {
                    <li>
                        <code class="field-name">{ name }{ if field.optional { "?" } else { "" } }</code>
                        <code class="field-type">{ field.validator.describe() }</code>
                    </li>
                }) }
            </ul>
        },
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
                let line = line_of(definitions, DefinitionKind::Index, &qualified);
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

fn diagnostic_list(diagnostics: &[Diagnostic]) -> Html {
    if diagnostics.is_empty() {
        return html! {};
    }
    html! {
        <ul class="diagnostics" aria-label="Diagnostics">
            { for diagnostics.iter().map(|d| {
                let severity = d.severity.as_str();
                let place = format!("{}:{}:{}", d.location.file, d.location.line, d.location.column);
                html! {
                    <li class={classes!("diagnostic", severity)}>
                        <span class="place">{ place }</span>
                        <span class="message">{ &d.message }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// An analysis of a schema-only project: no functions, routes, crons or components.
    fn analysis(mut json: serde_json::Value) -> Rc<Analysis> {
        let model = serde_json::json!({ "functionsDir": "convex", "functions": [], "httpRoutes": [], "crons": [], "components": [] });
        for (key, value) in model.as_object().unwrap() {
            json[key] = value.clone();
        }
        Rc::new(serde_json::from_value(json).expect("an Analysis"))
    }

    fn table(name: &str, indexes: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "tableName": name,
            "indexes": indexes,
            "stagedDbIndexes": [], "searchIndexes": [], "stagedSearchIndexes": [],
            "vectorIndexes": [], "stagedVectorIndexes": [],
            "documentType": { "type": "object", "value": {
                "title": { "fieldType": { "type": "string" }, "optional": false },
                "owner": { "fieldType": { "type": "id", "tableName": "users" }, "optional": true },
            }},
        })
    }

    fn with_schema(tables: Vec<serde_json::Value>) -> Rc<Analysis> {
        analysis(serde_json::json!({
            "schemaFile": "convex/schema.ts",
            "schema": { "tables": tables, "schemaValidation": true },
            "definitions": [],
            "diagnostics": [],
        }))
    }

    async fn render(props: ResultsProps) -> web_sys::Element {
        let document = gloo::utils::document();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<Results>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        root
    }

    fn texts(root: &web_sys::Element, css: &str) -> Vec<String> {
        let nodes = root.query_selector_all(css).unwrap();
        (0..nodes.length()).map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default()).collect()
    }

    #[wasm_bindgen_test]
    async fn tables_fields_and_indexes_are_listed_with_counts() {
        let books = table("books", serde_json::json!([{ "indexDescriptor": "by_owner", "fields": ["owner"] }]));
        let props = ResultsProps { analysis: Some(with_schema(vec![books, table("users", serde_json::json!([]))])), last_schema: None, millis: Some(3.2) };
        let root = render(props).await;
        assert_eq!(texts(&root, ".summary"), ["2 tables · 1 index · analysed in 3 ms"]);
        assert_eq!(texts(&root, ".table-name"), ["books", "users"]);
        assert_eq!(texts(&root, "[data-table='books'] .field-name"), ["title", "owner?"]);
        assert_eq!(texts(&root, "[data-table='books'] .field-type"), ["string", "Id<\"users\">"]);
        assert_eq!(texts(&root, "[data-table='books'] .index-name"), ["by_owner"]);
        assert_eq!(texts(&root, "[data-table='users'] .no-indexes").len(), 1);
    }

    #[wasm_bindgen_test]
    async fn names_from_user_code_are_text_never_markup() {
        let payload = "<img src=x onerror=\"window.__pwned=1\">";
        let props = ResultsProps { analysis: Some(with_schema(vec![table(payload, serde_json::json!([]))])), last_schema: None, millis: None };
        let root = render(props).await;
        assert_eq!(texts(&root, ".table-name"), [payload]);
        assert!(root.query_selector("img").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn without_a_current_schema_the_last_one_is_shown_as_outdated_with_the_diagnostics() {
        let broken = analysis(serde_json::json!({
            "schemaFile": "convex/schema.ts", "schema": null, "definitions": [],
            "diagnostics": [{ "code": "syntax-error", "severity": "error", "message": "Expression expected",
                "location": { "file": "convex/schema.ts", "start": 10, "end": 11, "line": 2, "column": 5 } }],
        }));
        let props = ResultsProps { analysis: Some(broken), last_schema: Some(with_schema(vec![table("books", serde_json::json!([]))])), millis: Some(1.0) };
        let root = render(props).await;
        assert_eq!(texts(&root, ".diagnostic .place"), ["convex/schema.ts:2:5"]);
        assert_eq!(texts(&root, ".outdated").len(), 1);
        assert_eq!(texts(&root, ".is-outdated .table-name"), ["books"]);
        assert_eq!(texts(&root, ".summary"), ["1 table · 0 indexes"]);
    }
}
