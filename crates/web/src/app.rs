//! The playground page: header, editor and results, wired to the analysis worker.

use std::rc::Rc;

use convex_lens_engine::Analysis;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::analyzer::{Analyzer, AnalyzerEvent};
use crate::editor::Editor;
use crate::results::Results;

/// Pause after the last keystroke before the text is analysed.
const DEBOUNCE_MS: u32 = 80;

/// What the page knows of the analyses so far.
#[derive(Default, PartialEq)]
pub struct Playground {
    /// The newest analysis and the text it was computed for.
    latest: Option<(Rc<Analysis>, Rc<str>)>,
    /// The newest analysis that produced a schema.
    last_schema: Option<Rc<Analysis>>,
    millis: Option<f64>,
    /// Why the last request produced no analysis (the worker crashed, ...).
    problem: Option<String>,
}

impl Reducible for Playground {
    type Action = AnalyzerEvent;

    fn reduce(self: Rc<Self>, event: AnalyzerEvent) -> Rc<Self> {
        let mut next = Playground {
            latest: self.latest.clone(),
            last_schema: self.last_schema.clone(),
            millis: self.millis,
            problem: None,
        };
        match event {
            AnalyzerEvent::Done { analysis, text, millis } => {
                if analysis.schema.is_some() {
                    next.last_schema = Some(analysis.clone());
                }
                next.latest = Some((analysis, text));
                next.millis = Some(millis);
            }
            AnalyzerEvent::Crashed { message } => {
                next.latest = None;
                next.problem = Some(format!("{message}. A fresh analyser has been started; edit the code to try again."));
            }
            AnalyzerEvent::Failed { message } => next.problem = Some(format!("{message}. This is a bug in convex-lens.")),
        }
        Rc::new(next)
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(Playground::default);
    let analyzer = use_mut_ref(|| None::<Analyzer>);
    let debounce = use_mut_ref(|| None::<Timeout>);
    let initial_text: Rc<str> = (*use_memo((), |_| Rc::<str>::from(crate::EXAMPLE_SCHEMA))).clone();

    {
        let (state, analyzer, initial_text) = (state.clone(), analyzer.clone(), initial_text.clone());
        use_effect_with((), move |_| {
            let client = Analyzer::new(Callback::from(move |event| state.dispatch(event)));
            client.analyze(initial_text);
            *analyzer.borrow_mut() = Some(client);
        });
    }

    let on_change = {
        let (analyzer, debounce) = (analyzer.clone(), debounce.clone());
        Callback::from(move |text: Rc<str>| {
            let analyzer = analyzer.clone();
            // Replacing the timeout cancels the previous one.
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                if let Some(analyzer) = &*analyzer.borrow() {
                    analyzer.analyze(text);
                }
            }));
        })
    };

    let diagnostics = state.latest.as_ref().map(|(analysis, text)| (text.clone(), Rc::new(analysis.diagnostics.clone())));
    html! {
        <div class="page">
            <header class="masthead">
                <h1>{ "convex-lens" }</h1>
                <p class="tagline">{ "See a Convex backend at a glance: its data model, its indexes, and how its queries and mutations use them." }</p>
                <p class="privacy">{ "Runs entirely in your browser: your code never leaves this page." }</p>
            </header>
            <main class="workspace">
                <section class="source" aria-label="Source">
                    <h2 class="pane-title"><code>{ crate::SCHEMA_PATH }</code></h2>
                    <Editor initial_text={initial_text} on_change={on_change} diagnostics={diagnostics} />
                </section>
                <section class="findings" aria-label="Findings">
                    <h2 class="pane-title">{ "Tables and indexes" }</h2>
                    if let Some(problem) = &state.problem {
                        <p class="error" role="alert">{ problem }</p>
                    }
                    if state.latest.is_some() || state.last_schema.is_some() {
                        <Results
                            analysis={state.latest.as_ref().map(|(analysis, _)| analysis.clone())}
                            last_schema={state.last_schema.clone()}
                            millis={state.millis}
                        />
                    } else if state.problem.is_none() {
                        <p class="loading">{ "Analysing…" }</p>
                    }
                </section>
            </main>
        </div>
    }
}
