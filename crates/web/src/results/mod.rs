//! The results pane: a summary of the model and one tab per part of it (the overview, the schema
//! diagram, tables, functions, index coverage, the reactive graph, re-runs, the call graph, HTTP
//! routes, cron jobs, components, diagnostics). Each view draws only what the engine's
//! `Analysis` holds and the diagrams the worker laid out from it.

mod coverage;
mod diagnostics;
mod diagram;
mod entry_points;
mod findings;
mod functions;
mod overview;
mod reactivity;
mod tables;

use std::rc::Rc;

use convex_lens_diagram::Diagrams;
use convex_lens_engine::validator::ObjectFields;
use convex_lens_engine::Analysis;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::analysis::Analysed;
use coverage::Coverage;
use diagram::{DiagramKind, DiagramView};
use diagnostics::Diagnostics;
use functions::Functions;
use overview::Overview;
use reactivity::Reactivity;
use tables::Tables;

#[derive(Properties)]
pub struct ResultsProps {
    /// The model to show: the newest analysis, or an older one when `outdated`.
    pub shown: Option<Rc<Analysis>>,
    /// The newest diagrams laid out, of `shown` unless `diagrams_outdated`.
    pub diagrams: Option<Rc<Diagrams>>,
    #[prop_or_default]
    pub diagrams_outdated: bool,
    /// Whether `shown` is older than the current files (a file does not parse, or the analyser
    /// crashed).
    pub outdated: bool,
    /// The newest analysis, whose diagnostics the Diagnostics tab shows.
    pub diagnosed: Option<Analysed>,
    pub millis: Option<f64>,
    /// The selected tab: the app's, so that a share link and the autosave keep it.
    pub tab: Tab,
    pub on_tab: Callback<Tab>,
}

impl PartialEq for ResultsProps {
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.shown, &other.shown) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        let same_diagrams = match (&self.diagrams, &other.diagrams) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        same && same_diagrams
            && self.diagrams_outdated == other.diagrams_outdated
            && self.outdated == other.outdated
            && self.diagnosed == other.diagnosed
            && self.millis == other.millis
            && self.tab == other.tab
            && self.on_tab == other.on_tab
    }
}

/// The props of each view: the analysis it draws, compared by identity.
#[derive(Properties, Clone)]
pub struct Model {
    pub analysis: Rc<Analysis>,
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
    }
}

/// One tab of the results. Its [`Tab::id`] is what links and the autosave keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Schema,
    Tables,
    Functions,
    Coverage,
    Reactivity,
    Reruns,
    Calls,
    Routes,
    Crons,
    Components,
    Diagnostics,
}

/// In the order they are shown; the first is selected on load.
const TABS: [Tab; 12] = [
    Tab::Overview,
    Tab::Schema,
    Tab::Tables,
    Tab::Functions,
    Tab::Coverage,
    Tab::Reactivity,
    Tab::Reruns,
    Tab::Calls,
    Tab::Routes,
    Tab::Crons,
    Tab::Components,
    Tab::Diagnostics,
];

impl Tab {
    /// The tab with this id; the first tab for an unknown one (a link from another version).
    pub fn from_id(id: &str) -> Tab {
        TABS.iter().copied().find(|tab| tab.id() == id).unwrap_or(TABS[0])
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Schema => "schema",
            Tab::Tables => "tables",
            Tab::Functions => "functions",
            Tab::Coverage => "coverage",
            Tab::Reactivity => "reactivity",
            Tab::Reruns => "reruns",
            Tab::Calls => "calls",
            Tab::Routes => "routes",
            Tab::Crons => "crons",
            Tab::Components => "components",
            Tab::Diagnostics => "diagnostics",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Schema => "Schema",
            Tab::Tables => "Tables",
            Tab::Functions => "Functions",
            Tab::Coverage => "Indexes",
            Tab::Reactivity => "Reactivity",
            Tab::Reruns => "Re-runs",
            Tab::Calls => "Calls",
            Tab::Routes => "HTTP",
            Tab::Crons => "Crons",
            Tab::Components => "Components",
            Tab::Diagnostics => "Diagnostics",
        }
    }

    /// What the tab's badge counts; `None` for the overview, which counts everything.
    fn count(self, analysis: &Analysis, problems: Option<usize>) -> Option<usize> {
        Some(match self {
            Tab::Overview => return None,
            Tab::Diagnostics => return problems,
            Tab::Schema => analysis.schema.as_ref().map_or(0, |s| s.tables.len()),
            Tab::Reactivity => analysis.analyses.reactivity.edges.len(),
            Tab::Calls => analysis.analyses.call_graph.edges.len(),
            Tab::Tables => analysis.schema.as_ref().map_or(0, |s| s.tables.len()),
            Tab::Functions => analysis.functions.len(),
            Tab::Coverage => analysis.analyses.coverage.sites.len(),
            Tab::Reruns => analysis.analyses.reactivity.edges.len(),
            Tab::Routes => analysis.http_routes.len(),
            Tab::Crons => analysis.crons.len(),
            Tab::Components => analysis.components.len(),
        })
    }
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let Some(shown) = props.shown.clone() else {
        return html! {};
    };
    let millis = props.millis.filter(|_| !props.outdated);
    let tab = props.tab;
    // Notes (a value that could not be evaluated) are listed, but are not problems of the code.
    let problems = props.diagnosed.as_ref().map(|d| d.analysis.diagnostics.iter().filter(|x| x.severity != convex_lens_engine::Severity::Info).count());
    let listed = props.diagnosed.as_ref().map(|d| d.analysis.diagnostics.len());
    let (model_summary, functions_summary) = summary(&shown, problems, millis);
    let model = Model { analysis: shown.clone() };
    let show_diagnostics = props.on_tab.reform(|()| Tab::Diagnostics);
    html! {
        // Not a landmark of its own: the page's section around it is the results' region, and
        // two regions of the same name are one too many to tell apart.
        <div class="results">
            <p class="visually-hidden" role="status">{ announcement(&shown, problems, props.outdated) }</p>
            <p class="summary">
                <span class="summary-model">{ model_summary }</span>
                if let Some(by_kind) = functions_summary { <span class="summary-functions">{ by_kind }</span> }
            </p>
            // The Diagnostics tab is of the current files; the others show the older model.
            if props.outdated && tab != Tab::Diagnostics {
                <p class="outdated">{ "The current files give no complete model (see Problems); showing the last one that did." }</p>
            }
            { tab_list(tab, &props.on_tab, &shown, listed) }
            <div class={classes!("tab-panel", (props.outdated && tab != Tab::Diagnostics).then_some("is-outdated"))} role="tabpanel"
                id={format!("panel-{}", tab.id())} aria-labelledby={format!("tab-{}", tab.id())} tabindex="0">
                { match tab {
                    Tab::Overview => html! { <Overview analysis={shown.clone()} {show_diagnostics} /> },
                    Tab::Schema | Tab::Reactivity | Tab::Calls => diagram_tab(tab, &shown, props.diagrams.as_ref(), props.diagrams_outdated),
                    Tab::Tables => html! { <Tables ..model /> },
                    Tab::Functions => html! { <Functions ..model /> },
                    Tab::Coverage => html! { <Coverage ..model /> },
                    Tab::Reruns => html! { <Reactivity ..model /> },
                    Tab::Routes => entry_points::routes(&shown),
                    Tab::Crons => entry_points::crons(&shown),
                    Tab::Components => entry_points::components(&shown),
                    Tab::Diagnostics => match &props.diagnosed {
                        Some(analysed) => html! { <Diagnostics analysed={analysed.clone()} /> },
                        None => html! { <p class="empty">{ "The current files have no analysis yet." }</p> },
                    },
                } }
            </div>
        </div>
    }
}

/// A diagram tab: the diagram of the shown analysis.
fn diagram_tab(tab: Tab, analysis: &Rc<Analysis>, diagrams: Option<&Rc<Diagrams>>, outdated: bool) -> Html {
    let Some(diagrams) = diagrams else { return html! { <p class="loading">{ "Laying out…" }</p> } };
    let kind = match tab {
        Tab::Reactivity => DiagramKind::Reactivity,
        Tab::Calls => DiagramKind::Calls,
        _ => DiagramKind::Schema,
    };
    // Keyed by kind: a new analysis keeps the pan, zoom and selection of the diagram on show,
    // and switching tabs starts the other diagram afresh.
    html! { <DiagramView key={kind.name()} diagrams={diagrams.clone()} analysis={analysis.clone()} {kind} {outdated} /> }
}

/// The tabs, as the WAI-ARIA tabs pattern has them: the selected one is in the tab order, the
/// arrow keys, Home and End move between them.
/// `diagnostics`: how many the Diagnostics tab lists, for its count.
fn tab_list(selected: Tab, on_tab: &Callback<Tab>, analysis: &Analysis, diagnostics: Option<usize>) -> Html {
    let onkeydown = {
        let on_tab = on_tab.clone();
        Callback::from(move |event: KeyboardEvent| {
            let index = TABS.iter().position(|t| *t == selected).unwrap_or(0);
            let next = match event.key().as_str() {
                "ArrowRight" => (index + 1) % TABS.len(),
                "ArrowLeft" => (index + TABS.len() - 1) % TABS.len(),
                "Home" => 0,
                "End" => TABS.len() - 1,
                _ => return,
            };
            event.prevent_default();
            on_tab.emit(TABS[next]);
            let tab = gloo::utils::document().get_element_by_id(&format!("tab-{}", TABS[next].id()));
            if let Some(tab) = tab.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = tab.focus();
            }
        })
    };
    html! {
        <div class="tabs" role="tablist" aria-label="Parts of the model" {onkeydown}>
            { for TABS.iter().map(|&tab| {
                let is_selected = tab == selected;
                let onclick = on_tab.reform(move |_: MouseEvent| tab);
                html! {
                    <button type="button" role="tab" class={classes!("tab", is_selected.then_some("selected"))}
                        id={format!("tab-{}", tab.id())} data-tab={tab.id()} aria-controls={format!("panel-{}", tab.id())}
                        aria-selected={is_selected.to_string()} tabindex={if is_selected { "0" } else { "-1" }} {onclick}>
                        { tab.title() }
                        if let Some(n) = tab.count(analysis, diagnostics) { <span class="tab-count">{ n }</span> }
                    </button>
                }
            }) }
        </div>
    }
}

/// What a screen reader announces when an analysis arrives: only what changes the picture (not
/// the timing, which changes with every keystroke).
fn announcement(analysis: &Analysis, problems: Option<usize>, outdated: bool) -> String {
    if outdated {
        return "The current files give no complete model; showing the last one that did.".into();
    }
    let found = analysis.findings.len();
    let tables = analysis.schema.as_ref().map_or(0, |s| s.tables.len());
    let mut parts = vec![count(tables, "table", "tables"), count(analysis.functions.len(), "function", "functions"), count(found, "finding", "findings")];
    parts.extend(problems.map(|n| count(n, "problem", "problems")));
    format!("Analysed: {}.", parts.join(", "))
}

pub(crate) use convex_lens_views::text::count;

/// The size of everything: tables, indexes, functions, routes, crons, components, problems;
/// then the functions by kind and by visibility.
fn summary(analysis: &Analysis, problems: Option<usize>, millis: Option<f64>) -> (String, Option<String>) {
    let tables = analysis.schema.as_ref().map_or(&[][..], |s| &s.tables[..]);
    let indexes: usize = tables.iter().map(tables::index_count).sum();
    let functions = &analysis.functions;
    let mut model = vec![
        count(tables.len(), "table", "tables"),
        count(indexes, "index", "indexes"),
        count(functions.len(), "function", "functions"),
        count(analysis.http_routes.len(), "HTTP route", "HTTP routes"),
        count(analysis.crons.len(), "cron", "crons"),
        count(analysis.components.len(), "component", "components"),
    ];
    if let Some(problems) = problems {
        model.push(count(problems, "problem", "problems"));
    }
    if let Some(ms) = millis {
        model.push(format!("analysed in {ms:.0} ms"));
    }
    let (kinds, visibilities) = function_counts(functions);
    let by_kind = (!functions.is_empty()).then(|| format!("Functions: {} · {}", kinds.join(", "), visibilities.join(", ")));
    (model.join(" · "), by_kind)
}

use convex_lens_views::text::function_counts;

/// Whether a name matches a filter typed by the user (a case-insensitive substring).
fn matches(filter: &str, name: &str) -> bool {
    filter.is_empty() || name.to_lowercase().contains(&filter.to_lowercase())
}

/// A search box that narrows a long list, with how many items it keeps.
fn filter(label: &'static str, text: &UseStateHandle<String>, shown: usize, total: usize) -> Html {
    let oninput = {
        let text = text.setter();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                text.set(input.value());
            }
        })
    };
    html! {
        <div class="filter">
            <input type="search" placeholder={label} aria-label={label} value={(**text).clone()} {oninput} />
            if shown != total {
                <span class="filter-count" role="status">{ format!("{shown} of {total}") }</span>
            }
        </div>
    }
}

/// The fields of an object validator, one per line: `name?` and its type.
fn field_list(fields: &ObjectFields) -> Html {
    html! {
        <ul class="fields">
            { for fields.iter().map(|(name, field)| html! {
                <li>
                    <code class="field-name">{ name }{ if field.optional { "?" } else { "" } }</code>
                    <code class="field-type">{ field.validator.describe() }</code>
                </li>
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problems::{Problems, ProblemsProps};
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn props(shown: Rc<Analysis>, outdated: bool) -> ResultsProps {
        let diagnosed = Some(analysed(shown.clone(), &[]));
        ResultsProps { shown: Some(shown), diagrams: None, diagrams_outdated: false, outdated, diagnosed, millis: Some(3.2), tab: TABS[0], on_tab: Callback::noop() }
    }

    /// The results with the selected tab held above them, as the app holds it.
    #[derive(Properties, PartialEq)]
    struct HeldProps {
        shown: Rc<Analysis>,
    }

    #[function_component(HeldTab)]
    fn held_tab(props: &HeldProps) -> Html {
        let tab = use_state(|| Tab::Tables);
        let on_tab = {
            let tab = tab.clone();
            Callback::from(move |selected| tab.set(selected))
        };
        let diagnosed = Some(analysed(props.shown.clone(), &[]));
        html! { <Results shown={props.shown.clone()} diagrams={None} outdated={false} {diagnosed} millis={None} tab={*tab} {on_tab} /> }
    }

    #[wasm_bindgen_test]
    fn a_tab_is_found_by_its_id_and_an_unknown_id_gives_the_first() {
        for tab in TABS {
            assert_eq!(Tab::from_id(tab.id()), tab);
        }
        assert_eq!(Tab::from_id("no-such-tab"), TABS[0]);
        assert_eq!(Tab::from_id(""), TABS[0]);
    }

    fn spec(path: &str, kind: &str, visibility: Option<&str>) -> serde_json::Value {
        json!({ "path": path, "kind": kind, "visibility": visibility, "runtime": "isolate", "args": { "type": "any" },
            "returns": null, "location": location("convex/a.ts", 1, 1), "handler": null })
    }

    #[wasm_bindgen_test]
    async fn the_summary_counts_every_part_of_the_model() {
        let books = table("books", json!([{ "indexDescriptor": "by_owner", "fields": ["owner"] }]));
        let mut model = with_schema(vec![books, table("users", json!([]))]);
        let functions = json!([spec("a:list", "query", Some("public")), spec("a:get", "query", Some("internal")), spec("a:send", "mutation", Some("public")), spec("a:hook", "httpAction", None)]);
        Rc::get_mut(&mut model).unwrap().functions = serde_json::from_value(functions).unwrap();
        let root = render::<Results>(props(model, false)).await;
        assert_eq!(texts(&root, ".summary-model"), ["2 tables · 1 index · 4 functions · 0 HTTP routes · 0 crons · 0 components · 0 problems · analysed in 3 ms"]);
        assert_eq!(texts(&root, ".summary-functions"), ["Functions: 2 queries, 1 mutation, 1 HTTP action · 2 public, 1 internal"]);
        assert_eq!(texts(&root, "[role='tab'] .tab-count"), ["2", "2", "4", "0", "0", "0", "0", "0", "0", "0", "0"]);
        assert_eq!(texts(&root, "[role='tab'][aria-selected='true']"), ["Overview"]);
        assert_eq!(texts(&root, "[role='tabpanel'] [data-count='tables'] dd"), ["2"]);
    }

    #[wasm_bindgen_test]
    async fn a_tab_shows_its_part_of_the_model() {
        let model = analysis(json!({ "functions": [spec("a:list", "query", Some("public"))] }));
        let root = render::<HeldTab>(HeldProps { shown: model }).await;
        let tab: web_sys::HtmlElement = root.query_selector("[data-tab='functions']").unwrap().unwrap().unchecked_into();
        tab.click();
        yew::scheduler::flush().await;
        assert_eq!(texts(&root, "[role='tab'][aria-selected='true']"), ["Functions1"]);
        assert_eq!(texts(&root, "[role='tabpanel'] .function-name"), ["list"]);
        assert!(root.query_selector(".tables").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn an_outdated_model_is_marked_and_has_no_timing() {
        let root = render::<Results>(props(with_schema(vec![table("books", json!([]))]), true)).await;
        assert_eq!(texts(&root, ".outdated").len(), 1);
        assert_eq!(texts(&root, ".is-outdated [data-count='tables'] dd"), ["1"]);
        assert_eq!(texts(&root, ".summary-model"), ["1 table · 0 indexes · 0 functions · 0 HTTP routes · 0 crons · 0 components · 0 problems"]);
        assert!(texts(&root, ".summary-functions").is_empty());
    }

    #[wasm_bindgen_test]
    async fn names_from_user_code_are_text_never_markup() {
        let payload = "<img src=x onerror=\"window.__pwned=1\">";
        let mut model = with_schema(vec![table(payload, json!([]))]);
        let functions = json!([spec(&format!("{payload}:{payload}"), "query", Some("public"))]);
        let diagnostics = json!([diagnostic("unknown", "warning", payload, payload, 1, 1)]);
        let routes = json!([{ "path": payload, "method": "GET", "location": location(payload, 1, 1), "handler": null }]);
        {
            let model = Rc::get_mut(&mut model).unwrap();
            model.functions = serde_json::from_value(functions).unwrap();
            model.diagnostics = serde_json::from_value(diagnostics).unwrap();
            model.http_routes = serde_json::from_value(routes).unwrap();
            model.unverified = serde_json::from_value(json!([{
                "cause": payload, "exports": 1, "values": 0, "location": location(payload, 1, 1),
                "held": [{ "kind": "unused-index", "message": payload, "location": location(payload, 1, 1) }],
            }])).unwrap();
            model.findings = serde_json::from_value(json!([{
                "kind": "full-scan", "severity": "warning", "message": payload, "advice": payload,
                "location": location(payload, 1, 1), "related": [], "facts": [payload],
            }])).unwrap();
        }
        let views = [
            render::<Tables>(Model { analysis: model.clone() }).await,
            render::<Functions>(Model { analysis: model.clone() }).await,
            render::<View>(ViewProps { analysis: model.clone(), view: entry_points::routes }).await,
            render::<Problems>(ProblemsProps { analysis: Some(model.clone()) }).await,
            render::<Overview>(overview::OverviewProps { analysis: model.clone(), show_diagnostics: Callback::noop() }).await,
            render::<Diagnostics>(diagnostics::DiagnosticsProps { analysed: analysed(model.clone(), &[(payload, payload)]) }).await,
        ];
        assert_eq!(texts(&views[0], ".table-name"), [payload]);
        assert_eq!(texts(&views[1], ".module-path"), [payload]);
        assert_eq!(texts(&views[1], ".function-name"), [payload]);
        assert_eq!(texts(&views[2], ".route-path"), [payload]);
        assert_eq!(texts(&views[3], ".diagnostic .message"), [payload]);
        assert_eq!(texts(&views[3], ".diagnostic .place"), [format!("{payload}:1:1")]);
        assert_eq!(texts(&views[4], ".unverified-group .cause"), [payload]);
        assert_eq!(texts(&views[4], ".held-text"), [payload]);
        assert_eq!(texts(&views[4], ".finding-text"), [payload]);
        assert_eq!(texts(&views[4], ".finding-details .advice"), [payload]);
        assert_eq!(texts(&views[5], ".diagnostic-file h3 code"), [payload]);
        assert_eq!(texts(&views[5], ".code-frame .frame-text"), [payload]);
        for view in &views {
            assert!(!has_injected_markup(view), "{}", view.inner_html());
        }
    }
}
