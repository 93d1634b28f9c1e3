//! The code editor: CodeMirror 6, bundled from `www/editor/src/editor.js`, which installs
//! `globalThis.ConvexLensEditor`. This component mounts one editor view and keeps it in step with
//! the workspace: it shows the active file, follows renames and removals (the editor keeps one
//! state per file, with its undo history), passes edits up, underlines the active file's
//! diagnostics and moves the cursor where the workspace asks.

use std::collections::HashMap;
use std::rc::Rc;

use convex_lens_engine::Diagnostic;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::analysis::Analysed;
use crate::workspace::{FileId, Workspace, WorkspaceAction};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = create)]
    fn create_editor(parent: &HtmlElement, on_change: &Closure<dyn FnMut(String, String)>) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = open)]
    fn open_file(view: &JsValue, path: &str, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = rename)]
    fn rename_file(view: &JsValue, from: &str, to: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = remove)]
    fn remove_file(view: &JsValue, path: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = showDiagnostics)]
    fn show_diagnostics(view: &JsValue, diagnostics: &js_sys::Array) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = moveCursor)]
    fn move_cursor(view: &JsValue, line: u32, column: u32) -> Result<(), JsValue>;
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The newest analysis, whose diagnostics of the active file are underlined.
    pub analysed: Option<Analysed>,
}

/// What the editor view holds, as last told.
struct Session {
    view: JsValue,
    _on_change: Closure<dyn FnMut(String, String)>,
    /// Every file the view may have a state for, by the path it knows it under.
    known: HashMap<FileId, Rc<str>>,
    /// The file shown: id, path and `loaded` count.
    shown: Option<(FileId, Rc<str>, u32)>,
    /// The analysis whose diagnostics are underlined, and for which file.
    underlined: Option<(Option<Analysed>, FileId)>,
    cursor_seq: u32,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let workspace = use_context::<UseReducerHandle<Workspace>>().expect("the editor is inside the workspace provider");
    let host = use_node_ref();
    let session = use_mut_ref(|| None::<Session>);
    let load_error = use_state(|| None::<String>);

    {
        let (host, session, load_error, workspace) = (host.clone(), session.clone(), load_error.clone(), workspace.clone());
        use_effect_with((), move |_| {
            let Some(parent) = host.cast::<HtmlElement>() else { return };
            let dispatcher = workspace.dispatcher();
            let on_change = Closure::new(move |path: String, text: String| {
                dispatcher.dispatch(WorkspaceAction::Edit { path: path.into(), text: text.into() });
            });
            match create_editor(&parent, &on_change) {
                Ok(view) => {
                    let known = HashMap::new();
                    *session.borrow_mut() = Some(Session { view, _on_change: on_change, known, shown: None, underlined: None, cursor_seq: 0 });
                }
                Err(error) => load_error.set(Some(format!("{error:?}"))),
            }
        });
    }
    {
        let session = session.clone();
        // Runs after the view is created above: effects run in the order they are declared.
        use_effect_with((workspace.clone(), props.analysed.clone()), move |(workspace, analysed)| {
            if let Some(session) = &mut *session.borrow_mut() {
                // The editor is an aid: a failure in it must not take the page down.
                let _ = sync(session, workspace, analysed);
            }
        });
    }

    html! {
        <div class="editor" ref={host}>
            if let Some(error) = &*load_error {
                <p class="alert" role="alert">{ format!("The code editor failed to load: {error}") }</p>
            }
        </div>
    }
}

/// Brings the view in line with the workspace and the newest analysis.
fn sync(session: &mut Session, workspace: &Workspace, analysed: &Option<Analysed>) -> Result<(), JsValue> {
    let files = workspace.files();
    // Removals first, so that a new file may take a removed one's path.
    let removed: Vec<FileId> = session.known.keys().filter(|id| !files.iter().any(|f| f.id == **id)).copied().collect();
    for id in removed {
        if let Some(path) = session.known.remove(&id) {
            remove_file(&session.view, &path)?;
        }
    }
    let renames: Vec<(FileId, Rc<str>, Rc<str>)> = files
        .iter()
        .filter_map(|f| session.known.get(&f.id).filter(|known| **known != f.path).map(|known| (f.id, known.clone(), f.path.clone())))
        .collect();
    // Several renames at once may swap paths: move them out of the way first.
    let parked = |id: FileId| format!("\u{0}{id:?}");
    if renames.len() > 1 {
        for (id, from, _) in &renames {
            rename_file(&session.view, from, &parked(*id))?;
        }
    }
    for (id, from, to) in &renames {
        let from = if renames.len() > 1 { parked(*id) } else { from.to_string() };
        rename_file(&session.view, &from, to)?;
    }
    session.known = files.iter().map(|f| (f.id, f.path.clone())).collect();
    if let Some(shown) = &mut session.shown {
        if let Some(file) = files.iter().find(|f| f.id == shown.0) {
            shown.1 = file.path.clone();
        }
    }

    let Some(active) = workspace.active() else {
        session.shown = None;
        return Ok(());
    };
    let wanted = (active.id, active.path.clone(), active.loaded);
    if session.shown.as_ref() != Some(&wanted) {
        open_file(&session.view, &active.path, &active.text)?;
        session.shown = Some(wanted);
        session.underlined = None;
    }
    let underlined = (analysed.clone(), active.id);
    if session.underlined.as_ref() != Some(&underlined) {
        let diagnostics = analysed.as_ref().map_or_else(js_sys::Array::new, |analysed| {
            let in_file: Vec<&Diagnostic> = analysed.analysis.diagnostics.iter().filter(|d| *d.location.file == *active.path).collect();
            editor_diagnostics(analysed.text_of(&active.path).unwrap_or_default(), &in_file)
        });
        show_diagnostics(&session.view, &diagnostics)?;
        session.underlined = Some(underlined);
    }
    if let Some(cursor) = workspace.cursor().filter(|c| c.seq != session.cursor_seq && c.file == active.id) {
        session.cursor_seq = cursor.seq;
        move_cursor(&session.view, cursor.line as u32, cursor.column as u32)?;
    }
    Ok(())
}

/// CodeMirror wants UTF-16 offsets; the engine gives byte offsets into the analysed text.
fn editor_diagnostics(text: &str, diagnostics: &[&Diagnostic]) -> js_sys::Array {
    let utf16 = |byte: usize| -> usize {
        let byte = byte.min(text.len());
        let boundary = (0..=byte).rev().find(|&b| text.is_char_boundary(b)).unwrap_or(0);
        text[..boundary].encode_utf16().count()
    };
    diagnostics
        .iter()
        .map(|d| {
            let item = js_sys::Object::new();
            let from = utf16(d.location.start);
            let to = utf16(d.location.end).max(from);
            for (key, value) in [
                ("from", JsValue::from(from as u32)),
                ("to", JsValue::from(to as u32)),
                ("severity", JsValue::from_str(d.severity.as_str())),
                ("message", JsValue::from_str(&d.message)),
            ] {
                crate::set_property(&item, key, &value);
            }
            JsValue::from(item)
        })
        .collect()
}
