//! Diagnostics, in full: every diagnostic of the newest analysis by file and line, with its
//! severity, code and message, and a code frame of the lines around it. The Problems panel
//! under the editor lists the same diagnostics one line each; this tab is for reading them.

use convex_lens_engine::Diagnostic;
use yew::prelude::*;

use super::count;
use crate::analysis::Analysed;
use crate::code_frame::CodeFrame;
use crate::problems::by_place;
use crate::source_link::SourceLink;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    /// The newest analysis, with the texts it was made for.
    pub analysed: Analysed,
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let sorted = by_place(&props.analysed.analysis.diagnostics);
    if sorted.is_empty() {
        return html! { <p class="empty no-problems">{ "No diagnostics: every file parsed and every value was understood." }</p> };
    }
    let mut files: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for diagnostic in sorted {
        match files.last_mut() {
            Some((file, list)) if *file == diagnostic.location.file => list.push(diagnostic),
            _ => files.push((&diagnostic.location.file, vec![diagnostic])),
        }
    }
    html! {
        <div class="diagnostic-files">
            { for files.into_iter().map(|(file, list)| html! {
                <section class="diagnostic-file" data-file={file.to_owned()} aria-label={format!("Diagnostics of {file}")}>
                    <h3><code>{ file }</code><span class="heading-note">{ count(list.len(), "diagnostic", "diagnostics") }</span></h3>
                    <ol class="diagnostic-entries">
                        { for list.into_iter().map(|d| entry(d, text_of(&props.analysed, file))) }
                    </ol>
                </section>
            }) }
        </div>
    }
}

/// The text a file had when it was analysed, shared rather than copied.
fn text_of(analysed: &Analysed, path: &str) -> Option<AttrValue> {
    analysed.files.iter().find(|f| &*f.path == path).map(|f| AttrValue::from(f.text.clone()))
}

fn entry(diagnostic: &Diagnostic, text: Option<AttrValue>) -> Html {
    let severity = diagnostic.severity.as_str();
    let code = crate::serde_name(&diagnostic.code);
    html! {
        <li class={classes!("diagnostic-entry", severity)} data-code={code.clone()}>
            <div class="entry-head">
                <span class={classes!("badge", "severity", severity)}>{ severity }</span>
                <code class="code">{ code }</code>
                <SourceLink class="place" location={diagnostic.location.clone()} />
            </div>
            <p class="message">{ &diagnostic.message }</p>
            if let Some(text) = text {
                <CodeFrame {text} location={diagnostic.location.clone()} />
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn diagnostics_are_grouped_by_file_in_line_order_each_with_its_code_frame() {
        let schema = "import x from \"y\";\nexport default defineSchema({\n  a: defineTable({ n: v.strin() }),\n});\n";
        let model = analysis(json!({ "diagnostics": [
            diagnostic("unknown", "warning", "`v.strin` is not a validator", "convex/schema.ts", 3, 22),
            diagnostic("syntax-error", "error", "Expression expected", "convex/b.ts", 1, 1),
            diagnostic("unknown", "warning", "the import is not followed", "convex/schema.ts", 1, 1),
        ]}));
        let analysed = analysed(model, &[("convex/schema.ts", schema), ("convex/b.ts", "(\n")]);
        let root = render::<Diagnostics>(DiagnosticsProps { analysed }).await;
        assert_eq!(texts(&root, ".diagnostic-file h3 code"), ["convex/b.ts", "convex/schema.ts"]);
        assert_eq!(texts(&root, ".diagnostic-entry .place"), ["convex/b.ts:1:1", "convex/schema.ts:1:1", "convex/schema.ts:3:22"]);
        assert_eq!(texts(&root, ".diagnostic-entry .severity"), ["error", "warning", "warning"]);
        let frame = &texts(&root, "[data-file='convex/schema.ts'] .diagnostic-entry:last-child .code-frame")[0];
        assert_eq!(
            frame,
            "1 │ import x from \"y\";\n2 │ export default defineSchema({\n3 │   a: defineTable({ n: v.strin() }),\n  │                      ^\n4 │ });\n"
        );
    }
}
