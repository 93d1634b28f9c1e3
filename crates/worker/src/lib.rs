//! The engine behind a thin wasm boundary, for the playground's Web Worker (`www/worker.js`).
//!
//! No analysis logic lives here: files come in as `[{ path, text }]`, the engine's [`Analysis`]
//! goes out as JSON text (one string crosses `postMessage` cheaply, and the UI reads it with the
//! engine's own serde types).

use convex_lens_engine::{analyze, SourceFile};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[derive(Deserialize)]
struct FileInput {
    path: String,
    text: String,
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface FileInput { path: string; text: string }
/** Returns the engine's `Analysis` as JSON: { functionsDir, schemaFile, schema, functions, httpRoutes, crons, components, definitions, diagnostics }. */
export function analyzeFiles(files: FileInput[]): string;
"#;

/// Analyses the given files and returns the engine's analysis as JSON.
#[wasm_bindgen(js_name = analyzeFiles, skip_typescript)]
pub fn analyze_files(files: JsValue) -> Result<String, JsError> {
    let files: Vec<FileInput> = serde_wasm_bindgen::from_value(files)?;
    let files: Vec<SourceFile> = files.into_iter().map(|f| SourceFile::new(f.path, f.text)).collect();
    let mut analysis = analyze(&files);
    // The page draws the analyses built from the facts, not the facts themselves (and does not
    // read them back): they stay here rather than cross postMessage.
    analysis.facts.clear();
    Ok(serde_json::to_string(&analysis)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use convex_lens_engine::{Analysis, DiagnosticCode};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn run_files(files: &[(&str, &str)]) -> Analysis {
        use serde::Serialize as _;
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let files: Vec<_> = files.iter().map(|(path, text)| serde_json::json!({ "path": path, "text": text })).collect();
        serde_json::from_str(&analyze_files(files.serialize(&serializer).unwrap()).unwrap()).unwrap()
    }

    fn run(path: &str, text: &str) -> Analysis {
        run_files(&[(path, text)])
    }

    /// Part of the playground's example: the schema and a module whose functions import
    /// validators and helpers from other files.
    #[wasm_bindgen_test]
    fn a_backend_of_several_files_is_analysed_in_the_browser() {
        let analysis = run_files(&[
            ("convex/schema.ts", include_str!("../../../www/examples/chat/convex/schema.ts")),
            ("convex/messages.ts", include_str!("../../../www/examples/chat/convex/messages.ts")),
            ("convex/lib/auth.ts", include_str!("../../../www/examples/chat/convex/lib/auth.ts")),
            ("convex/lib/validators.ts", include_str!("../../../www/examples/chat/convex/lib/validators.ts")),
        ]);
        let tables: Vec<&str> = analysis.schema.as_ref().unwrap().tables.iter().map(|t| t.table_name.as_str()).collect();
        assert_eq!(tables, ["users", "channels", "memberships", "messages", "presence"]);
        let functions: Vec<&str> = analysis.functions.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(functions, ["messages:list", "messages:postAs", "messages:search", "messages:send"]);
        let send = &analysis.functions[3];
        let args = send.args.as_ref().map(|a| a.describe()).unwrap_or_default();
        assert_eq!(args, "{ channel: Id<\"channels\">; body: string; attachments?: { storageId: Id<\"_storage\">; name: string }[] }");
        assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    }

    /// The deepest nesting the pre-check lets through must parse within wasm's fixed stack,
    /// or the limit protects nothing.
    #[wasm_bindgen_test]
    fn nesting_at_the_limit_parses_without_overflowing_the_wasm_stack() {
        let depth = convex_lens_engine::parse::MAX_NESTING - 1;
        for (open, close) in [("(", ")"), ("[", "]"), ("{a:", "}")] {
            let text = format!("export const x = {}1{};\n", open.repeat(depth), close.repeat(depth));
            let analysis = run("convex/schema.ts", &text);
            assert!(
                analysis.diagnostics.iter().all(|d| d.code != DiagnosticCode::SyntaxError),
                "{open}: {:?}",
                analysis.diagnostics
            );
        }
    }

    #[wasm_bindgen_test]
    fn nesting_past_the_limit_is_refused_with_a_diagnostic() {
        let text = format!("export default {}1{};\n", "(".repeat(100_000), ")".repeat(100_000));
        let analysis = run("convex/schema.ts", &text);
        assert_eq!(analysis.diagnostics[0].code, DiagnosticCode::NestingTooDeep);
    }

    #[wasm_bindgen_test]
    fn malformed_input_is_an_error_not_a_trap() {
        assert!(analyze_files(JsValue::from_str("not a file list")).is_err());
    }
}
