//! The list of the workspace's files beside the editor: select a file to edit it, add one by
//! typing its path, rename or delete one. Paths are checked as they are typed in
//! ([`Workspace::check_new_path`]) and a refusal says why.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::workspace::{folder_and_name, File, Workspace, WorkspaceAction};

/// What the list is in the middle of.
#[derive(Clone, PartialEq)]
enum Editing {
    Nothing,
    Adding,
    Renaming(Rc<str>),
    Deleting(Rc<str>),
}

#[function_component(FileList)]
pub fn file_list() -> Html {
    let workspace = use_context::<UseReducerHandle<Workspace>>().expect("the file list is inside the workspace provider");
    let editing = use_state(|| Editing::Nothing);
    let error = use_state(|| None::<String>);

    let set_editing = {
        let (editing, error) = (editing.clone(), error.clone());
        Callback::from(move |next: Editing| {
            error.set(None);
            editing.set(next);
        })
    };
    let cancel = set_editing.reform(|()| Editing::Nothing);
    // A typed path: checked, then added or renamed to; a refusal stays on screen.
    let on_path = {
        let (workspace, editing, error, set_editing) = (workspace.clone(), editing.clone(), error.clone(), set_editing.clone());
        Callback::from(move |typed: String| {
            let renaming = match &*editing {
                Editing::Renaming(from) => Some(from.clone()),
                _ => None,
            };
            match workspace.check_new_path(&typed, renaming.as_deref()) {
                Err(refusal) => error.set(Some(refusal.to_string())),
                Ok(path) => {
                    match renaming {
                        Some(from) if *from == *path => {}
                        Some(from) => workspace.dispatch(WorkspaceAction::Rename { from, to: path }),
                        None => {
                            workspace.dispatch(WorkspaceAction::Put { files: vec![(path.clone(), String::new())] });
                            // Ready to type or paste into.
                            workspace.dispatch(WorkspaceAction::Reveal { path: path.into(), line: 1, column: 1 });
                        }
                    }
                    set_editing.emit(Editing::Nothing);
                }
            }
        })
    };
    let path_form = |initial: &str, label: &str| {
        html! {
            <PathForm initial={AttrValue::from(initial.to_owned())} label={AttrValue::from(label.to_owned())}
                error={(*error).clone().map(AttrValue::from)} on_submit={on_path.clone()} on_cancel={cancel.clone()} />
        }
    };

    let active = workspace.active().map(|f| f.id);
    let item = |file: &File| -> Html {
        let path = file.path.clone();
        match &*editing {
            Editing::Renaming(from) if *from == path => html! {
                <li class="file editing">{ path_form(&path, &format!("New path for {path}")) }</li>
            },
            Editing::Deleting(doomed) if *doomed == path => {
                let remove = {
                    let (workspace, set_editing, path) = (workspace.clone(), set_editing.clone(), path.clone());
                    Callback::from(move |_: MouseEvent| {
                        workspace.dispatch(WorkspaceAction::Remove { path: path.clone() });
                        set_editing.emit(Editing::Nothing);
                    })
                };
                html! {
                    <li class="file confirm" data-path={path.to_string()}>
                        <span class="confirm-text">{ "Delete " }<code>{ &*path }</code>{ "?" }</span>
                        <span class="confirm-actions">
                            <button type="button" class="danger confirm-delete" onclick={remove}>{ "Delete" }</button>
                            <button type="button" onclick={cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                        </span>
                    </li>
                }
            }
            _ => {
                let is_active = active == Some(file.id);
                let select = {
                    let (workspace, path) = (workspace.clone(), path.clone());
                    Callback::from(move |_: MouseEvent| workspace.dispatch(WorkspaceAction::Select { path: path.clone() }))
                };
                let edit = |next: fn(Rc<str>) -> Editing| {
                    let path = path.clone();
                    set_editing.reform(move |_: MouseEvent| next(path.clone()))
                };
                html! {
                    <li class={classes!("file", is_active.then_some("active"))} data-path={path.to_string()}>
                        <button type="button" class="file-name" aria-current={is_active.then_some("true")} title={path.to_string()} onclick={select}>
                            { folder_and_name(&path).1 }
                        </button>
                        <button type="button" class="icon rename" aria-label={format!("Rename {path}")} title="Rename" onclick={edit(Editing::Renaming)}>{ "✎" }</button>
                        <button type="button" class="icon delete" aria-label={format!("Delete {path}")} title="Delete" onclick={edit(Editing::Deleting)}>{ "×" }</button>
                    </li>
                }
            }
        }
    };
    html! {
        <div class="file-list">
            <div class="pane-title files-title">
                <h2 id="files-title">{ "Files" }</h2>
                <button type="button" class="add-file" onclick={set_editing.reform(|_| Editing::Adding)}
                    disabled={*editing == Editing::Adding}>{ "+ New file" }</button>
            </div>
            <ul class="files" aria-labelledby="files-title">
                { for folders(workspace.files()).into_iter().map(|(folder, files)| if folder.is_empty() {
                    html! { <>{ for files.into_iter().map(item) }</> }
                } else {
                    html! {
                        <li class="folder">
                            <span class="folder-name">{ format!("{folder}/") }</span>
                            <ul class="folder-files">{ for files.into_iter().map(item) }</ul>
                        </li>
                    }
                }) }
                if *editing == Editing::Adding {
                    <li class="file editing">{ path_form("convex/", "Path of the new file") }</li>
                }
            </ul>
            if workspace.files().is_empty() && *editing != Editing::Adding {
                <p class="empty">{ "No files. Add one, such as convex/schema.ts." }</p>
            }
        </div>
    }
}

/// The files by folder, in the workspace's order (folders, then names).
fn folders(files: &[File]) -> Vec<(&str, Vec<&File>)> {
    let mut folders: Vec<(&str, Vec<&File>)> = Vec::new();
    for file in files {
        let (folder, _) = folder_and_name(&file.path);
        match folders.last_mut() {
            Some((last, list)) if *last == folder => list.push(file),
            _ => folders.push((folder, vec![file])),
        }
    }
    folders
}

#[derive(Properties, PartialEq)]
struct PathFormProps {
    initial: AttrValue,
    /// The input's accessible name.
    label: AttrValue,
    /// Why the last path typed was refused.
    error: Option<AttrValue>,
    on_submit: Callback<String>,
    on_cancel: Callback<()>,
}

/// An inline input for a path: Enter submits, Escape cancels.
#[function_component(PathForm)]
fn path_form(props: &PathFormProps) -> Html {
    let input = use_node_ref();
    {
        // Uncontrolled: the initial path is set once, then the text is the user's (a refusal
        // re-renders the form and must not reset what they typed).
        let (input, initial) = (input.clone(), props.initial.clone());
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.set_value(&initial);
                let _ = input.focus();
                let end = input.value().len() as u32;
                let _ = input.set_selection_range(end, end);
            }
        });
    }
    let onsubmit = {
        let (input, on_submit) = (input.clone(), props.on_submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(input) = input.cast::<HtmlInputElement>() {
                on_submit.emit(input.value());
            }
        })
    };
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                on_cancel.emit(());
            }
        })
    };
    let error_id = "path-error";
    html! {
        <form class="path-form" {onsubmit}>
            <input ref={input} type="text" class="path-input" aria-label={props.label.clone()}
                aria-invalid={props.error.is_some().then_some("true")} aria-describedby={props.error.is_some().then_some(error_id)}
                spellcheck="false" autocomplete="off" {onkeydown} />
            <span class="path-actions">
                <button type="submit">{ "OK" }</button>
                <button type="button" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </span>
            if let Some(error) = &props.error {
                <p class="path-error" id={error_id} role="alert">{ error.clone() }</p>
            }
        </form>
    }
}
