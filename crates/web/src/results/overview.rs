//! The overview, the first tab: how big the backend is (tables, indexes by kind, functions by
//! kind and visibility, routes, crons, components), the engine's findings most severe first,
//! each with its place and, on demand, its advice; then, quietly, what could not be verified,
//! one line per cause.

use std::rc::Rc;

use convex_lens_engine::findings::Finding;
use convex_lens_engine::{Analysis, DiagnosticCode, Severity};
use yew::prelude::*;

use super::findings::{finding_item, unverified_item};
use super::{count, function_counts};

/// How many findings show before "Show all".
const FIRST_FINDINGS: usize = 12;

#[derive(Properties, Clone)]
pub struct OverviewProps {
    pub analysis: Rc<Analysis>,
    /// Opens the Diagnostics tab.
    pub show_diagnostics: Callback<()>,
}

impl PartialEq for OverviewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis) && self.show_diagnostics == other.show_diagnostics
    }
}

#[function_component(Overview)]
pub fn overview(props: &OverviewProps) -> Html {
    let show_all = use_state(|| false);
    let analysis = &props.analysis;
    let found = &analysis.findings;
    let shown = if *show_all { found.len() } else { found.len().min(FIRST_FINDINGS) };
    let toggle = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(!*show_all))
    };
    html! {
        <div class="overview">
            <section aria-labelledby="overview-counts">
                <h3 id="overview-counts">{ "At a glance" }</h3>
                { counts(analysis) }
            </section>
            <section aria-labelledby="overview-findings">
                <h3 id="overview-findings">
                    { "Findings" }
                    <span class="heading-note">{ severity_counts(found) }</span>
                </h3>
                if found.is_empty() {
                    <p class="empty no-findings">{ "Nothing to report: no read grows with its table, no write is open to anyone, and every index is used." }</p>
                } else {
                    <ol class="finding-list" aria-label="Findings, most severe first">
                        { for found[..shown].iter().map(finding_item) }
                    </ol>
                    if found.len() > FIRST_FINDINGS {
                        <button type="button" class="toggle show-all" aria-expanded={show_all.to_string()} onclick={toggle}>
                            { if *show_all { "Show the first findings only".to_owned() } else { format!("Show all {} findings", found.len()) } }
                        </button>
                    }
                }
            </section>
            <section aria-labelledby="overview-unverified" class="unverified">
                <h3 id="overview-unverified">
                    { "Could not verify" }
                    <span class="heading-note">{ unverified_note(analysis) }</span>
                </h3>
                { unverified(analysis, &props.show_diagnostics) }
            </section>
        </div>
    }
}

fn counts(analysis: &Analysis) -> Html {
    let tables = analysis.schema.as_ref().map_or(&[][..], |s| &s.tables[..]);
    let sum = |f: fn(&convex_lens_engine::Table) -> usize| tables.iter().map(f).sum::<usize>();
    let (db, search, vector) = (sum(|t| t.indexes.len()), sum(|t| t.search_indexes.len()), sum(|t| t.vector_indexes.len()));
    let staged = sum(|t| t.staged_db_indexes.len() + t.staged_search_indexes.len() + t.staged_vector_indexes.len());
    let index_kinds = [(db, "db"), (search, "search"), (vector, "vector"), (staged, "staged")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let (kinds, visibilities) = function_counts(&analysis.functions);
    let functions = [kinds.join(", "), visibilities.join(", ")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
    let card = |id: &'static str, label: &'static str, n: usize, detail: String| {
        html! {
            <div class="count" data-count={id}>
                <dt>{ label }</dt>
                <dd><span class="count-number">{ n }</span>
                    if !detail.is_empty() { <span class="count-detail">{ detail }</span> }
                </dd>
            </div>
        }
    };
    html! {
        <dl class="counts">
            { card("tables", "Tables", tables.len(), String::new()) }
            { card("indexes", "Indexes", db + search + vector + staged, index_kinds) }
            { card("functions", "Functions", analysis.functions.len(), functions) }
            { card("routes", "HTTP routes", analysis.http_routes.len(), String::new()) }
            { card("crons", "Crons", analysis.crons.len(), String::new()) }
            { card("components", "Components", analysis.components.len(), String::new()) }
        </dl>
    }
}

fn severity_counts(found: &[Finding]) -> String {
    [(Severity::Error, "error", "errors"), (Severity::Warning, "warning", "warnings"), (Severity::Info, "note", "notes")]
        .into_iter()
        .filter_map(|(severity, one, many)| match found.iter().filter(|f| f.severity == severity).count() {
            0 => None,
            n => Some(count(n, one, many)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many conclusions rest on code convex-lens cannot read.
fn unverified_note(analysis: &Analysis) -> String {
    match analysis.unverified.iter().map(|u| u.held.len()).sum::<usize>() {
        0 => String::new(),
        held => format!("{} resting on code convex-lens cannot read", count(held, "conclusion", "conclusions")),
    }
}

/// What could not be verified, one line per cause (a library value, a module not among the
/// files, ...) with what it hides; and how many other problems the Diagnostics tab lists.
fn unverified(analysis: &Analysis, show_diagnostics: &Callback<()>) -> Html {
    let problems = analysis.diagnostics.iter().filter(|d| d.code != DiagnosticCode::Unknown).count();
    let open = {
        let show = show_diagnostics.clone();
        Callback::from(move |_: MouseEvent| show.emit(()))
    };
    html! {
        <>
            if analysis.unverified.is_empty() {
                <p class="empty no-unverified">{ "Nothing: every value and call the conclusions need was read." }</p>
            } else {
                <ul class="unverified-list">{ for analysis.unverified.iter().map(unverified_item) }</ul>
            }
            if problems > 0 {
                <p class="note other-problems">
                    { format!("{} in the code. ", count(problems, "other problem", "other problems")) }
                    <button type="button" class="link-button" onclick={open}>{ "Open Diagnostics" }</button>
                </p>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn props(analysis: Rc<Analysis>) -> OverviewProps {
        OverviewProps { analysis, show_diagnostics: Callback::noop() }
    }

    #[wasm_bindgen_test]
    async fn the_counts_break_indexes_and_functions_down_by_kind() {
        let mut messages = table("messages", json!([{ "indexDescriptor": "by_owner", "fields": ["owner"] }]));
        messages["searchIndexes"] = json!([{ "indexDescriptor": "search_title", "searchField": "title", "filterFields": [] }]);
        messages["stagedDbIndexes"] = json!([{ "indexDescriptor": "by_title", "fields": ["title"] }]);
        let mut model = with_schema(vec![messages, table("users", json!([]))]);
        let function = |path: &str, kind: &str, visibility: &str| json!({ "path": path, "kind": kind, "visibility": visibility,
            "runtime": "isolate", "args": { "type": "any" }, "returns": null, "location": location("convex/a.ts", 1, 1), "handler": null });
        Rc::get_mut(&mut model).unwrap().functions = serde_json::from_value(json!([function("a:list", "query", "public"), function("a:add", "mutation", "internal")])).unwrap();
        let root = render::<Overview>(props(model)).await;
        assert_eq!(texts(&root, "[data-count='tables'] dd"), ["2"]);
        assert_eq!(texts(&root, "[data-count='indexes'] .count-detail"), ["1 db · 1 search · 1 staged"]);
        assert_eq!(texts(&root, "[data-count='functions'] .count-detail"), ["1 query, 1 mutation · 1 public, 1 internal"]);
        assert_eq!(texts(&root, ".no-findings").len(), 1);
        assert_eq!(texts(&root, ".no-unverified").len(), 1);
    }

    #[wasm_bindgen_test]
    async fn what_could_not_be_verified_is_one_line_per_cause_and_other_problems_point_to_the_diagnostics() {
        let model = analysis(json!({
            "unverified": [
                { "cause": "`crud` from \"convex-crud-kit\"", "exports": 5, "values": 0, "location": location("convex/users.ts", 3, 1),
                  "held": [{ "kind": "broken-call", "message": "whether `a:b` → `users:read` (runQuery) can run", "location": location("convex/a.ts", 7, 3) }] },
                { "cause": "the table name is computed", "exports": 0, "values": 1, "location": location("convex/a.ts", 2, 3), "held": [] },
            ],
            "diagnostics": [
                diagnostic("unknown", "info", "the table name is computed", "convex/a.ts", 2, 3),
                diagnostic("syntax-error", "error", "Expression expected", "convex/b.ts", 1, 1),
            ],
        }));
        let opened = Rc::new(std::cell::Cell::new(false));
        let show_diagnostics = {
            let opened = opened.clone();
            Callback::from(move |()| opened.set(true))
        };
        let root = render::<Overview>(OverviewProps { analysis: model, show_diagnostics }).await;
        assert_eq!(texts(&root, ".unverified-group .cause"), ["crud from \"convex-crud-kit\"", "the table name is computed"]);
        assert_eq!(texts(&root, ".unverified-group .unverified-counts"), ["5 exports unknown · 1 conclusion held back", "1 value unknown"]);
        assert_eq!(texts(&root, "#overview-unverified .heading-note"), ["1 conclusion resting on code convex-lens cannot read"]);
        assert!(texts(&root, ".other-problems")[0].starts_with("1 other problem in the code."));
        let button: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root.query_selector(".other-problems button").unwrap().unwrap());
        button.click();
        assert!(opened.get());
    }

    #[wasm_bindgen_test]
    async fn findings_show_most_severe_first_and_the_rest_on_demand() {
        // The engine ranks its findings; the page shows them in its order.
        let finding = |severity: &str, kind: &str, line: usize| json!({ "kind": kind, "severity": severity,
            "message": format!("`t` read at line {line}"), "location": location("convex/a.ts", line, 1) });
        let findings: Vec<serde_json::Value> = std::iter::once(finding("error", "rejected-read", 99)).chain((1..=14).map(|line| finding("warning", "full-scan", line))).collect();
        let model = analysis(json!({ "findings": findings }));
        let root = render::<Overview>(props(model)).await;
        assert_eq!(texts(&root, ".finding").len(), FIRST_FINDINGS);
        assert_eq!(texts(&root, ".finding .severity")[..2], ["error", "warning"]);
        assert_eq!(texts(&root, "#overview-findings .heading-note"), ["1 error, 14 warnings"]);
        let more: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root.query_selector(".show-all").unwrap().unwrap());
        assert_eq!(more.text_content().unwrap(), "Show all 15 findings");
        more.click();
        yew::scheduler::flush().await;
        assert_eq!(texts(&root, ".finding").len(), 15);
    }
}
