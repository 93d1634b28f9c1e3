//! Paste a single file: a text area for the code and the file's path, proposed from the code
//! (a schema, the HTTP router, the cron jobs, or a module named after the first table it uses)
//! and checked like a typed path. A path that exists replaces that file, and says so.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use convex_lens_engine::project::propose_path;

use crate::workspace::{check_path, Workspace, WorkspaceAction};

#[derive(Properties, PartialEq)]
pub struct PasteProps {
    pub on_close: Callback<()>,
}

/// The paste panel: code first, then its path (proposed until the user edits it). Escape, for
/// every panel of the toolbar, closes it.
#[function_component(Paste)]
pub fn paste(props: &PasteProps) -> Html {
    let workspace = use_context::<UseReducerHandle<Workspace>>().expect("the paste panel is inside the workspace provider");
    let text = use_state(String::new);
    let typed_path = use_state(|| None::<String>);
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with((), move |_| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let _ = area.focus();
            }
        });
    }
    let path = (*typed_path).clone().unwrap_or_else(|| propose_path(&text, |p| workspace.file(p).is_some()));
    let checked = check_path(&path);
    let replaces = checked.as_ref().ok().is_some_and(|p| workspace.file(p).is_some());
    let on_text = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| text.set(event.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_path = {
        let typed_path = typed_path.clone();
        Callback::from(move |event: InputEvent| typed_path.set(Some(event.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let onsubmit = {
        let (workspace, text, checked, on_close) = (workspace.clone(), text.clone(), checked.clone(), props.on_close.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Ok(path) = checked.clone() else { return };
            workspace.dispatch(WorkspaceAction::Put { files: vec![(path.clone(), (*text).clone())] });
            workspace.dispatch(WorkspaceAction::Reveal { path: path.into(), line: 1, column: 1 });
            on_close.emit(());
        })
    };
    let submit = match &checked {
        Ok(path) if replaces => format!("Replace {path}"),
        _ => "Add file".to_owned(),
    };
    html! {
        <form class="paste panel" aria-label="Paste a file" {onsubmit}>
            <label class="paste-label" for="paste-text">{ "Paste the code of one file" }</label>
            <textarea ref={area} id="paste-text" class="paste-text" rows="10" spellcheck="false"
                placeholder="export const list = query({ … })" value={(*text).clone()} oninput={on_text} />
            <label class="paste-label" for="paste-path">{ "Path" }</label>
            <input id="paste-path" class="paste-path" type="text" spellcheck="false" autocomplete="off" value={path.clone()} oninput={on_path}
                aria-invalid={checked.is_err().then_some("true")} aria-describedby={checked.is_err().then_some("paste-error")} />
            if let Err(refusal) = &checked {
                <p class="path-error" id="paste-error" role="alert">{ refusal.to_string() }</p>
            } else if replaces {
                <p class="paste-replaces">{ format!("{path} exists: its text will be replaced.") }</p>
            }
            <span class="panel-actions">
                <button type="submit" class="primary paste-add" disabled={checked.is_err() || text.is_empty()}>{ submit }</button>
                <button type="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </span>
        </form>
    }
}
