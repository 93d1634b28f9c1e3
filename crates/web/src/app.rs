//! The playground page: the toolbar, the file list, the editor with the problems beneath it, and
//! the results, wired to the analysis worker. The workspace (files, active file) is one reducer
//! shared through a context; every change to the files is analysed, all files at once, after a
//! short pause. The session (selected tab, share link, autosave) restores it when the page opens.
//! Files or folders dropped anywhere on the page replace the workspace.

use convex_lens_engine::Location;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::analysis::Analyses;
use crate::analyzer::Analyzer;
use crate::disk;
use crate::editor::Editor;
use crate::file_list::FileList;
use crate::problems::Problems;
use crate::results::{Results, Tab};
use crate::session::{use_session, Session};
use crate::shortcuts::Shortcuts;
use crate::source_link::Navigator;
use crate::theme::ThemeSwitch;
use crate::toolbar::Toolbar;
use crate::workspace::{Workspace, WorkspaceAction};

/// Pause after the last keystroke before the files are analysed.
const DEBOUNCE_MS: u32 = 80;

#[function_component(App)]
pub fn app() -> Html {
    // Empty until the session restores it (from a link, the autosave or the first example).
    let workspace = use_reducer(Workspace::default);
    let session = use_session(&workspace);
    let dropping = use_state(|| false);
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
        <div class={classes!("page", dropping.then_some("is-dropping"))} ondragover={on_drag_over(&dropping)}
            ondragleave={on_drag_leave(&dropping)} ondrop={on_drop(&dropping, &session)}>
            // The toolbar is in the banner with the title: every part of the page is in a
            // landmark, so a screen reader's list of them reaches it.
            <header class="banner">
                <div class="masthead">
                    <h1>{ "convex-lens" }</h1>
                    <p class="tagline">{ "See a Convex backend at a glance: its data model, its functions, and how they fit together." }</p>
                    <p class="privacy">{ "Runs entirely in your browser: your code never leaves this page." }</p>
                    <div class="header-tools">
                        <ThemeSwitch />
                        <Shortcuts />
                    </div>
                </div>
                <Toolbar session={session.clone()} />
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
                            tab={*session.tab}
                            on_tab={select_tab(&session)}
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

fn select_tab(session: &Session) -> Callback<Tab> {
    let tab = session.tab.clone();
    Callback::from(move |selected| tab.set(selected))
}

/// Accepts a drag of files (text dragged in the editor is left to the editor).
fn on_drag_over(dropping: &UseStateHandle<bool>) -> Callback<DragEvent> {
    let dropping = dropping.clone();
    Callback::from(move |event: DragEvent| {
        if disk::carries_files(&event) {
            event.prevent_default();
            if !*dropping {
                dropping.set(true);
            }
        }
    })
}

fn on_drag_leave(dropping: &UseStateHandle<bool>) -> Callback<DragEvent> {
    let dropping = dropping.clone();
    // Leaving a child for another fires too; only leaving the window has no related target.
    Callback::from(move |event: DragEvent| {
        if event.related_target().is_none() {
            dropping.set(false);
        }
    })
}

fn on_drop(dropping: &UseStateHandle<bool>, session: &Session) -> Callback<DragEvent> {
    let (dropping, session) = (dropping.clone(), session.clone());
    Callback::from(move |event: DragEvent| {
        if !disk::carries_files(&event) {
            return;
        }
        event.prevent_default();
        dropping.set(false);
        let entries = disk::dropped_entries(&event);
        let session = session.clone();
        wasm_bindgen_futures::spawn_local(async move { session.import(disk::read_entries(entries).await) });
    })
}
