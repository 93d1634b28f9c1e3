//! What the views' tests share: analyses built from JSON in the engine's shapes, rendering a
//! component alone in the test page, and reading what it shows.

use std::rc::Rc;

use convex_lens_engine::Analysis;
use serde_json::{json, Value};
use yew::prelude::*;

/// An analysis from the given fields of the engine's JSON; the others are empty.
pub fn analysis(fields: Value) -> Rc<Analysis> {
    let mut json = json!({
        "functionsDir": "convex", "schemaFile": null, "schema": null, "functions": [], "httpRoutes": [],
        "crons": [], "components": [], "definitions": [], "diagnostics": [],
    });
    for (key, value) in fields.as_object().expect("an object of Analysis fields") {
        json[key] = value.clone();
    }
    Rc::new(serde_json::from_value(json).expect("an Analysis"))
}

pub fn location(file: &str, line: usize, column: usize) -> Value {
    json!({ "file": file, "start": 0, "end": 0, "line": line, "column": column })
}

pub fn diagnostic(code: &str, severity: &str, message: &str, file: &str, line: usize, column: usize) -> Value {
    json!({ "code": code, "severity": severity, "message": message, "location": location(file, line, column) })
}

/// A table whose documents have `title: string` and `owner?: Id<"users">`.
pub fn table(name: &str, indexes: Value) -> Value {
    json!({
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

pub fn with_schema(tables: Vec<Value>) -> Rc<Analysis> {
    analysis(json!({ "schemaFile": "convex/schema.ts", "schema": { "tables": tables, "schemaValidation": true } }))
}

/// An analysis with the texts of the files it was made for.
pub fn analysed(analysis: Rc<Analysis>, files: &[(&str, &str)]) -> crate::analysis::Analysed {
    let files = files.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect();
    let workspace = yew::Reducible::reduce(Rc::new(crate::workspace::Workspace::default()), crate::workspace::WorkspaceAction::Load { files, open: None, edited: false });
    crate::analysis::Analysed { id: 0, analysis, files: workspace.files().clone() }
}

/// Mounts a component with its props in a fresh element of the test page.
pub async fn render<C: BaseComponent>(props: C::Properties) -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// The text of every element matching `css`.
pub fn texts(root: &web_sys::Element, css: &str) -> Vec<String> {
    let nodes = root.query_selector_all(css).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

/// Whether any element in `root` was made from markup in a name (an XSS payload).
pub fn has_injected_markup(root: &web_sys::Element) -> bool {
    root.query_selector("img, script, [onerror]").unwrap().is_some()
}

/// Renders a view that is a plain function of the analysis rather than a component.
#[derive(Properties)]
pub struct ViewProps {
    pub analysis: Rc<Analysis>,
    pub view: fn(&Analysis) -> Html,
}

impl PartialEq for ViewProps {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

#[function_component(View)]
pub fn view(props: &ViewProps) -> Html {
    (props.view)(&props.analysis)
}
