//! The actions above the workspace: the examples menu, opening files or a folder from disk,
//! pasting a file, a share link, and Reset; and the notices they leave (what an import left
//! out, an undo, a link that could not be read, autosave being off).

use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::disk;
use crate::examples::{self, EXAMPLES};
use crate::import::SOURCE_EXTENSIONS;
use crate::paste::Paste;
use crate::session::Session;
use crate::share;

/// What the toolbar has open below it; one at a time.
#[derive(Clone, PartialEq)]
enum Panel {
    Nothing,
    Examples,
    Paste,
    Share(Sharing),
    Reset,
}

#[derive(Clone, PartialEq)]
enum Sharing {
    Making,
    Copied(String),
    /// The clipboard refused: the link is shown, selected, to copy by hand.
    ByHand(String),
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub session: Session,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let panel = use_state(|| Panel::Nothing);
    let session = &props.session;
    let toggle = |target: Panel| {
        let panel = panel.clone();
        Callback::from(move |_: MouseEvent| panel.set(if *panel == target { Panel::Nothing } else { target.clone() }))
    };
    let close = {
        let panel = panel.clone();
        Callback::from(move |()| panel.set(Panel::Nothing))
    };
    let share = {
        let (panel, session) = (panel.clone(), session.clone());
        Callback::from(move |_: MouseEvent| {
            panel.set(Panel::Share(Sharing::Making));
            let (panel, snapshot) = (panel.clone(), session.snapshot());
            wasm_bindgen_futures::spawn_local(async move { panel.set(Panel::Share(share_link(&snapshot).await)) });
        })
    };
    let reset = {
        let (panel, session) = (panel.clone(), session.clone());
        Callback::from(move |_: MouseEvent| {
            session.reset();
            panel.set(Panel::Nothing);
        })
    };
    let example_title = examples::example(&session.example).map_or("", |e| e.title);
    let is_open = |kind: fn(&Panel) -> bool| kind(&panel).to_string();
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                close.emit(());
            }
        })
    };
    html! {
        <div class="toolbar" {onkeydown}>
            <div class="actions" role="toolbar" aria-label="Workspace">
                <button type="button" class="action examples-button" aria-expanded={is_open(|p| *p == Panel::Examples)}
                    aria-controls="examples-menu" onclick={toggle(Panel::Examples)}>{ "Examples ▾" }</button>
                <OpenFromDisk session={session.clone()} folder={false} />
                <OpenFromDisk session={session.clone()} folder={true} />
                <button type="button" class="action paste-button" aria-expanded={is_open(|p| *p == Panel::Paste)} onclick={toggle(Panel::Paste)}>{ "Paste" }</button>
                <button type="button" class="action share-button" aria-expanded={is_open(|p| matches!(p, Panel::Share(_)))} onclick={share}
                    title="A link that holds the files themselves: nothing is uploaded">{ "Share" }</button>
                <button type="button" class="action reset-button" aria-expanded={is_open(|p| *p == Panel::Reset)} onclick={toggle(Panel::Reset)}
                    title={format!("Back to the example “{example_title}”")}>{ "Reset" }</button>
                if let Some(problem) = &*session.autosave_problem {
                    <span class="autosave-problem" role="status">{ problem }</span>
                }
            </div>
            { match &*panel {
                Panel::Nothing => html! {},
                Panel::Examples => examples_menu(session, &close),
                Panel::Paste => html! { <Paste on_close={close.clone()} /> },
                Panel::Share(sharing) => html! { <SharePanel sharing={sharing.clone()} on_close={close.clone()} /> },
                Panel::Reset => html! {
                    <div class="panel reset-panel" role="alertdialog" aria-label="Reset">
                        <p>{ format!("Replace the files with the example “{example_title}” as it was written?") }</p>
                        <span class="panel-actions">
                            <button type="button" class="danger confirm-reset" onclick={reset}>{ "Reset" }</button>
                            <button type="button" onclick={close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                        </span>
                    </div>
                },
            } }
            <Notices session={session.clone()} />
        </div>
    }
}

/// The examples, each with what it shows off; choosing one loads it. A disclosed list of
/// buttons (Tab moves through them), not an ARIA menu, which would promise arrow keys.
fn examples_menu(session: &Session, close: &Callback<()>) -> Html {
    html! {
        <ul class="panel examples-menu" id="examples-menu" aria-label="Examples">
            { for EXAMPLES.iter().map(|example| {
                let onclick = {
                    let (session, close) = (session.clone(), close.clone());
                    Callback::from(move |_: MouseEvent| {
                        session.load_example(example);
                        close.emit(());
                    })
                };
                let current = *session.example == example.name;
                html! {
                    <li>
                        <button type="button" class={classes!("example", current.then_some("current"))} data-example={example.name} {onclick}>
                            <span class="example-title">{ example.title }</span>
                            <span class="example-description">{ with_code(example.description) }</span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Text with `code` spans (as the examples' READMEs write names) shown as code.
fn with_code(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { part } });
    html! { <>{ for parts }</> }
}

async fn share_link(snapshot: &crate::snapshot::Snapshot) -> Sharing {
    let location = gloo::utils::window().location();
    let page = format!("{}{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    match share::encode(snapshot).await {
        Ok(fragment) => {
            let link = format!("{page}{fragment}");
            if share::copy_to_clipboard(&link).await {
                Sharing::Copied(link)
            } else {
                Sharing::ByHand(link)
            }
        }
        Err(error) => Sharing::Failed(format!("{error:?}")),
    }
}

#[derive(Properties, PartialEq)]
struct SharePanelProps {
    sharing: Sharing,
    on_close: Callback<()>,
}

#[function_component(SharePanel)]
fn share_panel(props: &SharePanelProps) -> Html {
    let link_input = use_node_ref();
    {
        // When the clipboard refused, the link is focused and selected: one keystroke copies it.
        let link_input = link_input.clone();
        use_effect_with(props.sharing.clone(), move |sharing| {
            if let (Sharing::ByHand(_), Some(input)) = (sharing, link_input.cast::<HtmlInputElement>()) {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let (sharing, close) = (&props.sharing, &props.on_close);
    let (message, link) = match sharing {
        Sharing::Making => ("Making the link…".to_owned(), None),
        Sharing::Copied(link) => (format!("Link copied ({}). It holds the files themselves: nothing is uploaded.", kib(link)), Some(link)),
        Sharing::ByHand(link) => (format!("Copy this link ({}), for example with Ctrl+C. It holds the files themselves: nothing is uploaded.", kib(link)), Some(link)),
        Sharing::Failed(why) => (format!("The link could not be made: {why}"), None),
    };
    let select = Callback::from(|event: FocusEvent| event.target_unchecked_into::<HtmlInputElement>().select());
    html! {
        <div class="panel share-panel" role="dialog" aria-label="Share link">
            <p class="share-status" role="status">{ message }</p>
            if let Some(link) = link {
                <input ref={link_input} class="share-link" type="text" readonly=true value={link.clone()} aria-label="Share link" onfocus={select} />
            }
            <span class="panel-actions">
                <button type="button" onclick={close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </span>
        </div>
    }
}

fn kib(link: &str) -> String {
    format!("{:.1} KiB", link.len() as f64 / 1024.0)
}

#[derive(Properties, PartialEq)]
struct OpenProps {
    session: Session,
    /// A folder (`webkitdirectory`) rather than files.
    folder: bool,
}

/// A button that opens the browser's file chooser, for files or for a folder.
#[function_component(OpenFromDisk)]
fn open_from_disk(props: &OpenProps) -> Html {
    let input = use_node_ref();
    let choose = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlElement>() {
                input.click();
            }
        })
    };
    let onchange = {
        let session = props.session.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(files) = input.files().map(|list| disk::chosen_files(&list)) else { return };
            // Cleared, so that choosing the same files again is a change too.
            input.set_value("");
            let session = session.clone();
            wasm_bindgen_futures::spawn_local(async move { session.import(disk::read_files(files).await) });
        })
    };
    let (label, class) = if props.folder { ("Open folder", "open-folder") } else { ("Open files", "open-files") };
    let accept = SOURCE_EXTENSIONS.map(|e| format!(".{e}")).join(",");
    html! {
        <>
            <button type="button" class={classes!("action", format!("{class}-button"))} onclick={choose}>{ label }</button>
            <input ref={input} type="file" class={classes!("file-input", class)} hidden=true tabindex="-1" aria-label={label} {onchange}
                multiple={!props.folder} accept={(!props.folder).then_some(accept)} webkitdirectory={props.folder} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NoticesProps {
    session: Session,
}

/// The last notice, with its Undo, and a way to dismiss it.
#[function_component(Notices)]
fn notices(props: &NoticesProps) -> Html {
    let session = &props.session;
    let Some(notice) = (*session.notice).clone() else { return html! {} };
    let dismiss = {
        let notice = session.notice.clone();
        Callback::from(move |_: MouseEvent| notice.set(None))
    };
    let undo = notice.undo.clone().map(|snapshot| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.undo(&snapshot))
    });
    html! {
        <div class={classes!("notice", notice.warning.then_some("warning"))} role={if notice.warning { "alert" } else { "status" }}>
            <ul class="notice-lines">{ for notice.lines.iter().map(|line| html! { <li>{ line }</li> }) }</ul>
            <span class="panel-actions">
                if let Some(undo) = undo { <button type="button" class="undo" onclick={undo}>{ "Undo" }</button> }
                <button type="button" class="icon dismiss" aria-label="Dismiss" title="Dismiss" onclick={dismiss}>{ "×" }</button>
            </span>
        </div>
    }
}
