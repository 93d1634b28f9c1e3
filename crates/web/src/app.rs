//! The playground page: the file list, the editor with the problems beneath it, and the results,
//! wired to the analysis worker. The workspace (files, active file) is one reducer shared through
//! a context; every change to the files is analysed, all files at once, after a short pause.

use std::rc::Rc;

use convex_lens_engine::Location;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::analysis::Analyses;
use crate::analyzer::Analyzer;
use crate::editor::Editor;
use crate::examples;
use crate::file_list::FileList;
use crate::problems::Problems;
use crate::results::Results;
use crate::shortcuts::Shortcuts;
use crate::source_link::Navigator;
use crate::theme::ThemeSwitch;
use crate::workspace::{Workspace, WorkspaceAction};

/// Pause after the last keystroke before the files are analysed.
const DEBOUNCE_MS: u32 = 80;

fn first_workspace() -> Workspace {
    let (name, open) = examples::FIRST;
    let files = examples::example(name).map(|e| e.files()).unwrap_or_default();
    let action = WorkspaceAction::Load { files, open: Some(open.into()) };
    Rc::unwrap_or_clone(yew::Reducible::reduce(Rc::new(Workspace::default()), action))
}

#[function_component(App)]
pub fn app() -> Html {
    let workspace = use_reducer(first_workspace);
    let analyses = use_reducer(Analyses::default);
    let analyzer = use_mut_ref(|| None::<Analyzer>);
    let debounce = use_mut_ref(|| None::<Timeout>);

    {
        let (analyses, analyzer) = (analyses.dispatcher(), analyzer.clone());
        use_effect_with((), move |_| {
            *analyzer.borrow_mut() = Some(Analyzer::new(Callback::from(move |event| analyses.dispatch(event))));
        });
    }
    {
        // Runs after the analyzer starts (effects run in order), then after every change to the files.
        let files = workspace.files().clone();
        use_effect_with(workspace.revision(), move |_| {
            let analyzer = analyzer.clone();
            // Replacing the timeout cancels the previous one.
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                if let Some(analyzer) = &*analyzer.borrow() {
                    analyzer.analyze(files);
                }
            }));
        });
    }
    let navigator = {
        let workspace = workspace.dispatcher();
        use_memo((), move |_| {
            Navigator(Callback::from(move |at: Location| {
                workspace.dispatch(WorkspaceAction::Reveal { path: at.file.into(), line: at.line, column: at.column })
            }))
        })
    };

    let latest = analyses.latest.as_ref();
    let shown = analyses.shown();
    let active_path = workspace.active().map(|f| f.path.clone());
    html! {
        <ContextProvider<UseReducerHandle<Workspace>> context={workspace.clone()}>
        <ContextProvider<Navigator> context={(*navigator).clone()}>
        <div class="page">
            <header class="masthead">
                <h1>{ "convex-lens" }</h1>
                <p class="tagline">{ "See a Convex backend at a glance: its data model, its functions, and how they fit together." }</p>
                <p class="privacy">{ "Runs entirely in your browser: your code never leaves this page." }</p>
                <div class="header-tools">
                    <ThemeSwitch />
                    <Shortcuts />
                </div>
            </header>
            <main class="workspace">
                <nav class="files-pane" aria-label="Files">
                    <FileList />
                </nav>
                <section class="source" aria-label="Source">
                    <h2 class="pane-title source-title">
                        if let Some(path) = &active_path { <code class="active-path">{ &**path }</code> } else { { "No file open" } }
                    </h2>
                    <Editor analysed={latest.cloned()} />
                    <Problems analysis={latest.map(|a| a.analysis.clone())} />
                </section>
                <section class="findings" aria-labelledby="results-title">
                    <h2 id="results-title" class="visually-hidden">{ "Analysis results" }</h2>
                    if let Some(problem) = &analyses.problem {
                        <p class="alert" role="alert">{ problem }</p>
                    }
                    if let Some((shown, outdated)) = shown {
                        <Results
                            shown={shown.analysis.clone()}
                            diagrams={analyses.diagrams.as_ref().map(|(_, d)| d.clone())}
                            diagrams_outdated={analyses.diagrams.as_ref().is_none_or(|(id, _)| *id != shown.id)}
                            {outdated}
                            diagnosed={latest.cloned()}
                            millis={analyses.millis}
                        />
                    } else if analyses.problem.is_none() {
                        <p class="loading" role="status">{ "Analysing…" }</p>
                    }
                </section>
            </main>
        </div>
        </ContextProvider<Navigator>>
        </ContextProvider<UseReducerHandle<Workspace>>>
    }
}
