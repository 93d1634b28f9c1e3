//! The state around the files: which results tab is selected, which example Reset returns to,
//! what the page has to tell the user (an import's note, a broken link, an undo), and how the
//! whole of it is restored when the page opens and autosaved after each change.
//!
//! On open, a share link in the fragment wins over the autosaved workspace, which wins over the
//! first example. The fragment is then removed from the address, so that a reload shows the
//! autosaved state with the edits made since, not the link again.
//!
//! Replacing edited files (an example, a drop, a link, Reset) offers to undo it rather than
//! asking first: the files are replaced at once, as asked, and the edited ones are one click
//! away, so nothing is lost without a question in the way of every load.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::disk::Imported;
use crate::examples::{self, Example};
use crate::results::Tab;
use crate::share;
use crate::snapshot::Snapshot;
use crate::storage;
use crate::workspace::{Workspace, WorkspaceAction};

/// Pause after the last change before the state is autosaved.
const AUTOSAVE_MS: u32 = 400;

/// A message above the workspace, with what it can undo.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub lines: Vec<String>,
    pub warning: bool,
    /// The state before a replacement, which the notice's Undo brings back.
    pub undo: Option<Rc<Snapshot>>,
}

impl Notice {
    fn warning(line: String) -> Notice {
        Notice { lines: vec![line], warning: true, undo: None }
    }
}

#[derive(Clone, PartialEq)]
pub struct Session {
    workspace: UseReducerHandle<Workspace>,
    pub tab: UseStateHandle<Tab>,
    /// The example Reset returns to.
    pub example: UseStateHandle<&'static str>,
    pub notice: UseStateHandle<Option<Notice>>,
    /// Why autosave does not work, while it does not.
    pub autosave_problem: UseStateHandle<Option<String>>,
}

impl Session {
    /// The state to autosave or share.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.workspace, self.tab.id(), &self.example)
    }

    /// Puts a snapshot's state back: files, open file, tab and example.
    fn restore(&self, snapshot: &Snapshot) {
        let Snapshot { files, open, tab, example, edited } = snapshot.clone();
        self.workspace.dispatch(WorkspaceAction::Load { files, open, edited });
        self.tab.set(Tab::from_id(&tab));
        if let Some(example) = example.as_deref().and_then(examples::example) {
            self.example.set(example.name);
        }
    }

    /// Replaces the files, keeping the edited ones for Undo, and tells `lines`.
    fn replace(&self, files: Vec<(String, String)>, open: Option<String>, mut lines: Vec<String>) {
        let undo = self.workspace.edited().then(|| Rc::new(self.snapshot()));
        if undo.is_some() {
            lines.push("Your edited files were replaced.".into());
        }
        self.workspace.dispatch(WorkspaceAction::Load { files, open, edited: false });
        self.notice.set((!lines.is_empty()).then_some(Notice { lines, warning: false, undo }));
    }

    pub fn load_example(&self, example: &'static Example) {
        let lines = if self.workspace.edited() { vec![format!("Opened the example “{}”.", example.title)] } else { Vec::new() };
        self.example.set(example.name);
        self.replace(example.files(), Some(examples::OPEN.into()), lines);
    }

    /// Back to the chosen example's files, as they were written.
    pub fn reset(&self) {
        if let Some(example) = examples::example(&self.example) {
            self.load_example(example);
        }
    }

    /// Opens files read from disk, unless there are none (then the note says why).
    pub fn import(&self, imported: Imported) {
        if imported.files.is_empty() {
            let mut lines = imported.note;
            lines[0] = "Nothing to open: no source files were found.".into();
            self.notice.set(Some(Notice { lines, warning: true, undo: None }));
            return;
        }
        let open = imported.files.iter().find(|(path, _)| path.ends_with("/schema.ts")).map(|(path, _)| path.clone());
        self.replace(imported.files, open, imported.note);
    }

    pub fn undo(&self, snapshot: &Snapshot) {
        self.restore(snapshot);
        self.notice.set(None);
    }
}

/// The session of the page: restores the state once (link, autosave, first example), then
/// autosaves it after every change.
#[hook]
pub fn use_session(workspace: &UseReducerHandle<Workspace>) -> Session {
    let session = Session {
        workspace: workspace.clone(),
        tab: use_state(|| Tab::from_id("")),
        example: use_state(|| examples::FIRST),
        notice: use_state(|| None),
        autosave_problem: use_state(|| None),
    };
    // Nothing is saved before the state is restored, or the saved state would be lost.
    let restored = use_mut_ref(|| false);
    let autosave = use_mut_ref(|| None::<Timeout>);
    {
        let (session, restored) = (session.clone(), restored.clone());
        use_effect_with((), move |_| start(session, restored));
    }
    {
        let session = session.clone();
        let changes = (workspace.revision(), workspace.active().map(|f| f.id), *session.tab, *session.example);
        use_effect_with(changes, move |_| {
            if !*restored.borrow() {
                return;
            }
            // Replacing the timeout cancels the previous one.
            *autosave.borrow_mut() = Some(Timeout::new(AUTOSAVE_MS, move || {
                let problem = storage::save(&session.snapshot()).err().map(|why| format!("Autosave is off: {why}."));
                if *session.autosave_problem != problem {
                    session.autosave_problem.set(problem);
                }
            }));
        });
    }
    session
}

/// Restores the state the page opens with.
fn start(session: Session, restored: Rc<RefCell<bool>>) {
    let saved = storage::load();
    let fragment = gloo::utils::window().location().hash().unwrap_or_default();
    if share::payload_of(&fragment).is_none() {
        open_saved(&session, saved);
        *restored.borrow_mut() = true;
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match share::decode(&fragment).await {
            Some(Ok(link)) => {
                // The autosaved files are kept for Undo when they were the user's own edits.
                let undo = saved.ok().flatten().filter(|s| s.edited).map(Rc::new);
                session.restore(&link);
                if undo.is_some() {
                    let lines = vec!["Opened the shared workspace in place of your autosaved one.".into()];
                    session.notice.set(Some(Notice { lines, warning: false, undo }));
                }
            }
            Some(Err(error)) => {
                let instead = if matches!(saved, Ok(Some(_))) { "your autosaved workspace" } else { "the first example" };
                open_saved(&session, saved);
                session.notice.set(Some(Notice::warning(format!("{error} Showing {instead} instead."))));
            }
            None => open_saved(&session, saved),
        }
        forget_fragment();
        *restored.borrow_mut() = true;
    });
}

/// The autosaved state, else the first example (saying why when the saved one is unreadable).
fn open_saved(session: &Session, saved: Result<Option<Snapshot>, String>) {
    match saved {
        Ok(Some(snapshot)) => session.restore(&snapshot),
        Ok(None) => session.reset(),
        Err(why) => {
            session.reset();
            session.notice.set(Some(Notice::warning(format!("Autosave: {why}; showing the first example."))));
        }
    }
}

/// Removes the fragment from the address without reloading: the link has been read.
fn forget_fragment() {
    let window = gloo::utils::window();
    let location = window.location();
    let address = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}
