//! The problems of the newest analysis, under the editor: every diagnostic, by file and line, one
//! line each with its severity, place, code and message. Unknowns say why a value is not known.
//! A place opens its file in the editor. The Diagnostics tab shows them with code frames.

use std::rc::Rc;

use convex_lens_engine::{Analysis, Diagnostic, Severity};
use yew::prelude::*;

use crate::source_link::SourceLink;

#[derive(Properties)]
pub struct ProblemsProps {
    /// The newest analysis; `None` while there is none (loading, or the analyser crashed).
    pub analysis: Option<Rc<Analysis>>,
}

impl PartialEq for ProblemsProps {
    fn eq(&self, other: &Self) -> bool {
        match (&self.analysis, &other.analysis) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// Diagnostics by file, then line and column.
pub fn by_place(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by(|a, b| (&a.location.file, a.location.line, a.location.column).cmp(&(&b.location.file, b.location.line, b.location.column)));
    sorted
}

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    let diagnostics = props.analysis.as_ref().map_or(&[][..], |a| &a.diagnostics[..]);
    let count = |severity: Severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    let counts: Vec<String> = [(Severity::Error, "error", "errors"), (Severity::Warning, "warning", "warnings"), (Severity::Info, "note", "notes")]
        .into_iter()
        .filter_map(|(severity, one, many)| match count(severity) {
            0 => None,
            n => Some(crate::results::count(n, one, many)),
        })
        .collect();
    html! {
        <section class="problems" aria-labelledby="problems-title">
            <h2 class="pane-title" id="problems-title">
                { "Problems" }
                if !counts.is_empty() { <span class="problem-counts">{ counts.join(", ") }</span> }
            </h2>
            if props.analysis.is_none() {
                <p class="empty">{ "The current files have no analysis yet." }</p>
            } else if diagnostics.is_empty() {
                <p class="empty no-problems">{ "No problems: every value was understood." }</p>
            }
            if !diagnostics.is_empty() {
                <ul class="diagnostics" aria-label="Diagnostics">
                    { for by_place(diagnostics).into_iter().map(|d| {
                        let severity = d.severity.as_str();
                        let code = crate::serde_name(&d.code);
                        html! {
                            <li class={classes!("diagnostic", severity)} data-code={code.clone()}>
                                <span class={classes!("badge", "severity", severity)}>{ severity }</span>
                                <SourceLink class="place" location={d.location.clone()} />
                                <code class="code">{ code }</code>
                                <span class="message">{ &d.message }</span>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn every_problem_shows_its_severity_place_code_and_reason() {
        let analysis = analysis(serde_json::json!({
            "diagnostics": [
                diagnostic("syntax-error", "error", "Expression expected", "convex/schema.ts", 2, 5),
                diagnostic("unknown", "warning", "`vNote` is imported from the package \"@acme/notes\", whose source is not among the files analysed", "convex/notes.ts", 5, 17),
            ],
        }));
        let root = render::<Problems>(ProblemsProps { analysis: Some(analysis) }).await;
        // By file, then line.
        assert_eq!(texts(&root, ".diagnostic .place"), ["convex/notes.ts:5:17", "convex/schema.ts:2:5"]);
        assert_eq!(texts(&root, ".diagnostic .severity"), ["warning", "error"]);
        assert_eq!(texts(&root, ".diagnostic .code"), ["unknown", "syntax-error"]);
        assert!(texts(&root, ".diagnostic.warning .message")[0].contains("whose source is not among the files analysed"));
        assert_eq!(texts(&root, ".problem-counts"), ["1 error, 1 warning"]);
        assert!(root.query_selector(".no-problems").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn an_analysis_without_diagnostics_says_so() {
        let root = render::<Problems>(ProblemsProps { analysis: Some(analysis(serde_json::json!({}))) }).await;
        assert_eq!(texts(&root, ".no-problems").len(), 1);
        assert!(texts(&root, ".diagnostic").is_empty());
    }
}
