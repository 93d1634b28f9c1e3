//! The engine behind a thin wasm boundary, for the playground's Web Worker (`www/worker.js`).
//!
//! No analysis logic lives here: files come in as `[{ path, text }]`, the engine's [`Analysis`]
//! and its laid-out diagrams go out as JSON text (one string crosses `postMessage` cheaply, and
//! the UI reads it with the engine's own serde types). Layout runs here too, off the UI thread.

use std::cell::RefCell;

use convex_lens_engine::{analyze, Analysis, SourceFile};
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
/** Returns the engine's `Analysis` as JSON: { functionsDir, schemaFile, schema, functions, httpRoutes, crons, components, facts (always empty here), analyses, definitions, diagnostics }. */
export function analyzeFiles(files: FileInput[]): string;
/** Returns the diagrams of the last analysis as JSON (the diagram crate's `Diagrams`: { schema, reactivity, calls }, each { scene, mermaid }). */
export function layoutDiagrams(): string;
"#;

thread_local! {
    /// The last analysis, kept for `layoutDiagrams` with its facts.
    static LAST: RefCell<Option<Analysis>> = const { RefCell::new(None) };
}

/// Analyses the given files and returns the analysis as JSON. The page shows it at once; the
/// diagrams follow from `layoutDiagrams`, since laying them out can take longer than analysing.
#[wasm_bindgen(js_name = analyzeFiles, skip_typescript)]
pub fn analyze_files(files: JsValue) -> Result<String, JsError> {
    let files: Vec<FileInput> = serde_wasm_bindgen::from_value(files)?;
    let files: Vec<SourceFile> = files.into_iter().map(|f| SourceFile::new(f.path, f.text)).collect();
    let mut analysis = analyze(&files);
    // The page draws the analyses built from the facts, not the facts themselves (and does not
    // read them back): they stay here rather than cross postMessage.
    let facts = std::mem::take(&mut analysis.facts);
    let json = serde_json::to_string(&analysis)?;
    analysis.facts = facts;
    LAST.with(|last| *last.borrow_mut() = Some(analysis));
    Ok(json)
}

/// Lays out the diagrams of the last analysis and returns them as JSON (`Diagrams`).
#[wasm_bindgen(js_name = layoutDiagrams, skip_typescript)]
pub fn layout_diagrams() -> Result<String, JsError> {
    let analysis = LAST.with(|last| last.borrow_mut().take()).ok_or_else(|| JsError::new("no analysis to lay out"))?;
    Ok(serde_json::to_string(&convex_lens_diagram::diagrams(&analysis))?)
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

    /// Every way to nest, at the largest size the depth pre-check accepts, must get through the
    /// whole analysis (parse, evaluation, the facts walk, dropping the AST) within wasm's fixed
    /// stack, or the pre-check protects nothing. A trap fails the test.
    #[wasm_bindgen_test]
    fn every_form_of_nesting_at_the_limit_runs_without_overflowing_the_wasm_stack() {
        type Form = (&'static str, fn(usize) -> String);
        let forms: &[Form] = &[
            ("parentheses", |n| format!("{}a{}", "(".repeat(n), ")".repeat(n))),
            ("arrays", |n| format!("{}a{}", "[".repeat(n), "]".repeat(n))),
            ("objects", |n| format!("{}a{}", "{a:".repeat(n), "}".repeat(n))),
            ("spreads", |n| format!("{}a{}", "[...".repeat(n), "]".repeat(n))),
            ("members", |n| format!("a{}", ".a".repeat(n))),
            ("calls", |n| format!("a{}", ".a()".repeat(n))),
            ("indexes", |n| format!("a{}", "[0]".repeat(n))),
            ("tagged templates", |n| format!("a{}", "``".repeat(n))),
            ("template expressions", |n| format!("{}a{}", "`${".repeat(n), "}`".repeat(n))),
            ("sums", |n| format!("a{}", "+a".repeat(n))),
            ("comparisons", |n| format!("a{}", " === 1 || a".repeat(n))),
            ("ternaries", |n| format!("{}a", "a?a:".repeat(n))),
            ("negations", |n| format!("{}a", "!".repeat(n))),
            ("unary minus", |n| format!("{}a", "- ".repeat(n))),
            ("typeof", |n| format!("{}a", "typeof ".repeat(n))),
            ("new", |n| format!("{}a", "new ".repeat(n))),
            ("await", |n| format!("async () => {}a", "await ".repeat(n))),
            ("assignments", |n| format!("{}a", "a=".repeat(n))),
            ("arrows", |n| format!("{}a", "a=>".repeat(n))),
            ("arrows without parameters", |n| format!("{}a", "()=>".repeat(n))),
            ("arrow bodies", |n| format!("{}a{}", "()=>{return ".repeat(n), "}".repeat(n))),
            ("functions", |n| format!("{}a{}", "function(){return ".repeat(n), "}".repeat(n))),
            ("async functions", |n| format!("{}a{}", "async function(){return await ".repeat(n), "}".repeat(n))),
            ("methods", |n| format!("{}a{}", "{m(){return ".repeat(n), "}}".repeat(n))),
            ("classes", |n| format!("{}a{}", "class{m(){return ".repeat(n), "}}".repeat(n))),
            ("as", |n| format!("a{}", " as T".repeat(n))),
            ("type arguments", |n| format!("1 as {}T{}", "A<".repeat(n), ">".repeat(n))),
            ("conditional types", |n| format!("1 as {}T", "T extends A ? B : ".repeat(n))),
            ("keyof", |n| format!("1 as {}T", "keyof ".repeat(n))),
            ("array types", |n| format!("1 as T{}", "[]".repeat(n))),
            ("if", |n| format!("() => {{ {}a }}", "if (a) ".repeat(n))),
            ("if on lines", |n| format!("() => {{ {}a }}", "if (a)\n".repeat(n))),
            ("else if", |n| format!("() => {{ {}a }}", "if (a) {} else ".repeat(n))),
            ("minified else if", |n| format!("() => {{ {}a }}", "if(a)a;else ".repeat(n))),
            ("for", |n| format!("() => {{ {}a }}", "for (;;) ".repeat(n))),
            ("labels", |n| format!("() => {{ {}a }}", (0..n).map(|i| format!("l{i}: ")).collect::<String>())),
            ("blocks", |n| format!("() => {{ {}a{} }}", "{".repeat(n), "}".repeat(n))),
            ("type assertions", |n| format!("{}a", "<T>".repeat(n))),
        ];
        for (name, form) in forms {
            let module = |n| format!("export const x = {};\n", form(n));
            let accepted = |n| {
                convex_lens_engine::parse::depth_cost(&module(n), convex_lens_engine::parse::MAX_DEPTH_COST).is_ok()
            };
            let (mut low, mut high) = (1, 100_000);
            while low + 1 < high {
                let mid = (low + high) / 2;
                if accepted(mid) {
                    low = mid
                } else {
                    high = mid
                }
            }
            // Real code nests none of these 20 deep; accepting fewer would refuse real files.
            assert!(low >= 20, "{name}: only {low} levels accepted");
            let analysis = run("convex/deep.ts", &module(low));
            assert!(layout_diagrams().is_ok(), "{name}");
            let refused = analysis
                .diagnostics
                .iter()
                .find(|d| matches!(d.code, DiagnosticCode::NestingTooDeep | DiagnosticCode::SyntaxError));
            assert!(refused.is_none(), "{name} at {low}: {refused:?}");
        }
    }

    #[wasm_bindgen_test]
    fn nesting_past_the_limit_is_refused_with_a_diagnostic() {
        let text = format!("export default {}1{};\n", "(".repeat(100_000), ")".repeat(100_000));
        let analysis = run("convex/schema.ts", &text);
        assert_eq!(analysis.diagnostics[0].code, DiagnosticCode::NestingTooDeep);
    }

    /// The facts walker follows handlers expression by expression, so nesting at the limit must
    /// fit the stack there too; a file past it is refused alone, and the others are analysed.
    #[wasm_bindgen_test]
    fn deep_handlers_are_walked_and_a_file_past_the_limit_does_not_stop_the_others() {
        let depth = convex_lens_engine::parse::MAX_NESTING - 8;
        let nested = format!("{}ctx.db.get(\"t\", id){}", "(".repeat(depth), ")".repeat(depth));
        let walked = format!(
            "import {{ query }} from \"./_generated/server\";\n\
             export const nested = query({{ handler: async (ctx, {{ id }}) => {nested} }});\n"
        );
        let chained =
            format!("export const chained = query({{ handler: async (ctx) => ctx.db{} }});\n", ".a".repeat(30_000));
        let analysis = run_files(&[("convex/walked.ts", &walked), ("convex/chained.ts", &chained)]);
        let paths: Vec<&str> = analysis.functions.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["walked:nested"]);
        let refused: Vec<_> =
            analysis.diagnostics.iter().filter(|d| d.code == DiagnosticCode::NestingTooDeep).collect();
        assert_eq!(refused.len(), 1, "{:?}", analysis.diagnostics);
        assert_eq!(refused[0].location.file, "convex/chained.ts");
    }

    #[wasm_bindgen_test]
    fn malformed_input_is_an_error_not_a_trap() {
        assert!(analyze_files(JsValue::from_str("not a file list")).is_err());
        // The last good analysis is laid out once; a second call has nothing left to lay out.
        run("convex/schema.ts", "export default 1;");
        assert!(layout_diagrams().is_ok());
        assert!(layout_diagrams().is_err());
    }
}
