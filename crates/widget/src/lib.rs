//! The engine and the widget's views behind a thin wasm boundary, for the docs widget's Web
//! Worker (`www/widget/worker.js`), which every widget of a page shares.
//!
//! No analysis and no wording live here: files come in as the JSON text of `[{ path, text }]`
//! (one string, rather than a JS value read field by field: serde-wasm-bindgen's glue and code
//! cost the widget's download more than a JSON reader it already has) with a view's name,
//! the view's tree goes out as JSON text with the parse errors that make it stale. The last
//! analysis is kept with the diagrams laid out for it, so that widgets showing the same files
//! (a schema and its re-runs, say) and a selection in a diagram do not analyse again.

use std::cell::RefCell;
use std::collections::BTreeMap;

use convex_lens_diagram::render::Palette;
use convex_lens_diagram::Scene;
use convex_lens_engine::project::propose_path;
use convex_lens_engine::{analyze, Analysis, DiagnosticCode, SourceFile};
use convex_lens_views::{render, to_json, DiagramKind, Options, View};
use serde::Deserialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// A file as the widget found it: a code block names its path (`data-path`, a title) or not.
#[derive(Deserialize, PartialEq)]
struct FileInput {
    #[serde(default)]
    path: Option<String>,
    text: String,
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface FileInput { path?: string; text: string }
/** `files` is the JSON text of a `FileInput[]`. Returns the view as JSON: { tree: [tag, attrs, ...children], errors: [{ file, line, column, message }], paths: the files' paths as analysed, rules: the diagrams' stylesheet }. `errors` are the files that did not parse: the tree then describes the others only. */
export function renderView(files: string, view: string, focus?: string): string;
"#;

struct Last {
    files: Vec<FileInput>,
    /// The files' paths as analysed (given or proposed), for "Open in playground".
    analysis_paths: Vec<String>,
    analysis: Analysis,
    scenes: BTreeMap<DiagramKind, Scene>,
}

thread_local! {
    static LAST: RefCell<Option<Last>> = const { RefCell::new(None) };
}

/// Renders one view of the given files (analysing them unless they are the last ones).
#[wasm_bindgen(js_name = renderView, skip_typescript)]
pub fn render_view(files: &str, view: &str, focus: Option<String>) -> Result<String, JsError> {
    let files: Vec<FileInput> = serde_json::from_str(files)?;
    let view = View::parse(view).ok_or_else(|| JsError::new(&format!("no view named \"{view}\"; the views: {}", names())))?;
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.as_ref().is_none_or(|l| l.files != files) {
            let sources = sources(&files);
            let analysis_paths = sources.iter().map(|s| s.path.clone()).collect();
            *last = Some(Last { analysis: analyze(&sources), analysis_paths, files, scenes: BTreeMap::new() });
        }
        let last = last.as_mut().expect("set above");
        let scene = view.diagram().map(|kind| &*last.scenes.entry(kind).or_insert_with(|| kind.scene(&last.analysis)));
        let tree = render(&last.analysis, view, scene, &Options { focus });
        let paths: Vec<&str> = last.analysis_paths.iter().map(String::as_str).collect();
        Ok(json!({ "tree": to_json(&tree), "errors": parse_errors(&last.analysis), "paths": paths, "rules": stylesheet() }).to_string())
    })
}

/// A drawn diagram's rules and its colours in either theme (`[data-theme=light|dark]`), for the
/// widget's stylesheet: the diagram crate is their one source.
fn stylesheet() -> String {
    let theme = |name: &str, palette: Palette| {
        let variables: String = palette.0.iter().map(|(variable, value)| format!("{variable}:{value};")).collect();
        format!("[data-theme={name}]{{{variables}}}")
    };
    format!("{}{}{}", theme("light", Palette::light()), theme("dark", Palette::dark()), convex_lens_diagram::render::RULES)
}

/// The files with their paths: a file without one gets the path its code proposes, as pasted
/// code does in the playground (`defineSchema` → `convex/schema.ts`, else the first table).
fn sources(files: &[FileInput]) -> Vec<SourceFile> {
    let mut sources: Vec<SourceFile> = Vec::with_capacity(files.len());
    for file in files {
        let given = file.path.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let path = match given {
            Some(path) => path.to_owned(),
            None => propose_path(&file.text, |p| sources.iter().any(|s| s.path == p) || files.iter().any(|f| f.path.as_deref() == Some(p))),
        };
        sources.push(SourceFile::new(path, file.text.clone()));
    }
    sources
}

fn names() -> String {
    View::ALL.map(View::name).join(", ")
}

/// The files that did not parse, where: the reader sees them at their line while the widget
/// keeps its last view of code that parsed.
fn parse_errors(analysis: &Analysis) -> Vec<serde_json::Value> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, DiagnosticCode::SyntaxError | DiagnosticCode::NestingTooDeep))
        .map(|d| json!({ "file": d.location.file, "line": d.location.line, "column": d.location.column, "message": d.message }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn run(files: &[(&str, &str)], view: &str, focus: Option<&str>) -> Result<serde_json::Value, JsError> {
        let files: Vec<_> = files.iter().map(|(path, text)| json!({ "path": path, "text": text })).collect();
        let json = render_view(&serde_json::to_string(&files).unwrap(), view, focus.map(str::to_owned))?;
        Ok(serde_json::from_str(&json).unwrap())
    }

    const SCHEMA: &str = "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\nexport default defineSchema({ messages: defineTable({ body: v.string() }) });\n";

    #[wasm_bindgen_test]
    fn a_view_is_rendered_in_the_browser() {
        let answer = run(&[("convex/schema.ts", SCHEMA)], "schema", Some("messages")).unwrap();
        let tree = answer["tree"].to_string();
        assert!(tree.starts_with("[\"div\",{\"class\":\"view view-schema\"}"), "{tree}");
        assert!(tree.contains("\"data-focus\":\"messages\""), "{tree}");
        assert_eq!(answer["errors"], json!([]));
    }

    #[wasm_bindgen_test]
    fn a_file_that_does_not_parse_is_an_error_at_its_line() {
        let answer = run(&[("convex/schema.ts", SCHEMA), ("convex/messages.ts", "export const x = (;\n")], "summary", None).unwrap();
        assert_eq!(answer["errors"][0]["file"], "convex/messages.ts");
        assert_eq!(answer["errors"][0]["line"], 1);
    }

    #[wasm_bindgen_test]
    fn files_without_a_path_are_named_from_their_code() {
        let module = "import { query } from \"./_generated/server\";\nexport const list = query({ handler: (ctx) => ctx.db.query(\"messages\").collect() });\n";
        let files = [json!({ "text": SCHEMA }), json!({ "text": module }), json!({ "path": "", "text": module })];
        let files = serde_json::to_string(&files).unwrap();
        let answer: serde_json::Value = serde_json::from_str(&render_view(&files, "calls", Some("messages".into())).unwrap()).unwrap();
        assert_eq!(answer["errors"], json!([]));
        let functions: Vec<String> = LAST.with(|last| last.borrow().as_ref().unwrap().analysis.functions.iter().map(|f| f.path.clone()).collect());
        assert_eq!(functions, ["messages2:list", "messages:list"]);
    }

    #[wasm_bindgen_test]
    fn an_unknown_view_or_malformed_files_are_errors_not_traps() {
        assert!(run(&[("convex/schema.ts", SCHEMA)], "tables", None).is_err());
        assert!(render_view("\"not a file list\"", "schema", None).is_err());
        assert!(render_view("[{", "schema", None).is_err());
        assert!(run(&[("convex/schema.ts", SCHEMA)], "indexes", None).is_ok());
    }
}
