//! Keyboard shortcuts for the main actions, and the dialog that lists them (`?`, or the header's
//! keyboard button). One table, [`SHORTCUTS`], gives both the keys and the help, so the help
//! cannot drift from what the keys do. Keys act only when the focus is not in a text field or the
//! editor (Escape leaves the editor), so they never take a character the user is typing.
//!
//! The actions press the page's own controls (a tab, "+ New file") and move the focus to its
//! panes, by their roles and classes: each keeps working however the control's component keeps
//! its state.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::theme;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    Help,
    /// The n-th results tab, from 0.
    Tab(usize),
    PreviousTab,
    NextTab,
    FocusFiles,
    FocusEditor,
    FocusResults,
    NewFile,
    NextTheme,
}

pub struct Shortcut {
    /// As the help shows them.
    pub keys: &'static str,
    pub does: &'static str,
}

pub const SHORTCUTS: [Shortcut; 9] = [
    Shortcut { keys: "?", does: "Show these shortcuts" },
    Shortcut { keys: "1 … 9", does: "Show the n-th results tab (Overview, Tables, …)" },
    Shortcut { keys: "[  ]", does: "Show the previous or the next results tab" },
    Shortcut { keys: "f", does: "Focus the file list" },
    Shortcut { keys: "e", does: "Focus the editor" },
    Shortcut { keys: "r", does: "Focus the results (the selected tab)" },
    Shortcut { keys: "n", does: "New file" },
    Shortcut { keys: "t", does: "Next colour theme (system, light, dark)" },
    Shortcut { keys: "Esc", does: "In the editor: leave it, so that these keys work" },
];

/// The action of a key pressed outside text fields, if any.
pub fn action(key: &str, ctrl_alt_or_meta: bool) -> Option<Action> {
    if ctrl_alt_or_meta {
        return None;
    }
    Some(match key {
        "?" => Action::Help,
        "[" => Action::PreviousTab,
        "]" => Action::NextTab,
        "f" => Action::FocusFiles,
        "e" => Action::FocusEditor,
        "r" => Action::FocusResults,
        "n" => Action::NewFile,
        "t" => Action::NextTheme,
        digit => match digit.parse::<usize>() {
            Ok(n @ 1..=9) if digit.len() == 1 => Action::Tab(n - 1),
            _ => return None,
        },
    })
}

/// Whether keys typed at `target` are text: an input, a text area, a select or the editor.
fn is_typing_into(target: Option<&Element>) -> bool {
    let Some(element) = target else { return false };
    let editable = element.dyn_ref::<HtmlElement>().is_some_and(|e| e.is_content_editable());
    editable || matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
}

fn elements(css: &str) -> Vec<HtmlElement> {
    let Ok(nodes) = gloo::utils::document().query_selector_all(css) else { return Vec::new() };
    (0..nodes.length()).filter_map(|i| nodes.item(i)?.dyn_into::<HtmlElement>().ok()).collect()
}

fn first(selectors: &[&str]) -> Option<HtmlElement> {
    selectors.iter().find_map(|css| elements(css).into_iter().next())
}

/// Selects a results tab and puts the focus on it, as the tabs' own arrow keys do.
fn show_tab(index: impl FnOnce(usize, usize) -> usize) {
    let tabs = elements("[role='tab']");
    if tabs.is_empty() {
        return;
    }
    let selected = tabs.iter().position(|t| t.get_attribute("aria-selected").as_deref() == Some("true")).unwrap_or(0);
    if let Some(tab) = tabs.get(index(selected, tabs.len())) {
        tab.click();
        let _ = tab.focus();
    }
}

fn run(action: Action, help: &NodeRef) {
    let focus = |selectors: &[&str]| {
        if let Some(element) = first(selectors) {
            let _ = element.focus();
        }
    };
    match action {
        Action::Help => {
            if let Some(dialog) = help.cast::<HtmlDialogElement>() {
                let _ = dialog.show_modal();
            }
        }
        Action::Tab(n) => show_tab(|_, _| n),
        Action::PreviousTab => show_tab(|selected, count| (selected + count - 1) % count),
        Action::NextTab => show_tab(|selected, count| (selected + 1) % count),
        Action::FocusFiles => focus(&[".file.active .file-name", ".file .file-name", ".add-file"]),
        Action::FocusEditor => focus(&[".cm-content"]),
        Action::FocusResults => focus(&["[role='tab'][aria-selected='true']", ".findings"]),
        Action::NewFile => {
            if let Some(button) = first(&[".add-file"]) {
                button.click();
            }
        }
        Action::NextTheme => theme::choose_next(),
    }
}

/// The header's keyboard button and the help dialog; listens for the shortcuts on the page.
#[function_component(Shortcuts)]
pub fn shortcuts() -> Html {
    let help = use_node_ref();
    {
        let help = help.clone();
        use_effect_with((), move |_| {
            // Not passive (gloo's default), or `prevent_default` is ignored and the key that
            // moved the focus is typed where it lands (`e` into the editor).
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
                let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
                if event.default_prevented() || is_typing_into(target.as_ref()) {
                    return;
                }
                let Some(action) = action(&event.key(), event.ctrl_key() || event.alt_key() || event.meta_key()) else { return };
                event.prevent_default();
                run(action, &help);
            });
            move || drop(listener)
        });
    }
    let open = {
        let help = help.clone();
        Callback::from(move |_: MouseEvent| run(Action::Help, &help))
    };
    let close = {
        let help = help.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(dialog) = help.cast::<HtmlDialogElement>() {
                dialog.close();
            }
        })
    };
    html! {
        <>
            <button type="button" class="icon-button shortcuts-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={open}
                aria-haspopup="dialog">{ "⌨" }</button>
            <dialog ref={help} class="shortcuts-dialog" aria-labelledby="shortcuts-title">
                <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
                <p class="note">{ "These keys work when the focus is not in a text field. In the results tabs, the arrow keys, Home and End move between tabs." }</p>
                <table class="shortcut-table">
                    <thead><tr><th scope="col">{ "Key" }</th><th scope="col">{ "Action" }</th></tr></thead>
                    <tbody>
                        { for SHORTCUTS.iter().map(|s| html! {
                            <tr><td><kbd>{ s.keys }</kbd></td><td>{ s.does }</td></tr>
                        }) }
                    </tbody>
                </table>
                <button type="button" class="close-dialog" onclick={close}>{ "Close" }</button>
            </dialog>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn keys_map_to_actions_and_modified_keys_are_left_to_the_browser() {
        assert_eq!(action("?", false), Some(Action::Help));
        assert_eq!(action("1", false), Some(Action::Tab(0)));
        assert_eq!(action("9", false), Some(Action::Tab(8)));
        assert_eq!(action("0", false), None);
        assert_eq!(action("]", false), Some(Action::NextTab));
        assert_eq!(action("n", false), Some(Action::NewFile));
        assert_eq!(action("n", true), None);
        assert_eq!(action("F5", false), None);
    }

    #[wasm_bindgen_test]
    fn keys_typed_into_text_are_not_shortcuts() {
        let document = gloo::utils::document();
        let input = document.create_element("input").unwrap();
        let editable = document.create_element("div").unwrap();
        editable.set_attribute("contenteditable", "true").unwrap();
        document.body().unwrap().append_child(&editable).unwrap();
        let button = document.create_element("button").unwrap();
        assert!(is_typing_into(Some(&input)));
        assert!(is_typing_into(Some(&editable)));
        assert!(!is_typing_into(Some(&button)));
        assert!(!is_typing_into(None));
    }

    /// Every key the help lists does something, and every action has a line in the help.
    #[wasm_bindgen_test]
    fn the_help_lists_every_key() {
        let listed: Vec<&str> = SHORTCUTS.iter().flat_map(|s| s.keys.split_whitespace()).filter(|k| *k != "…" && *k != "Esc").collect();
        for key in &listed {
            assert!(action(key, false).is_some(), "{key}");
        }
        for key in ["?", "[", "]", "f", "e", "r", "n", "t", "1", "9"] {
            assert!(listed.contains(&key) || key.parse::<usize>().is_ok(), "{key} is not in the help");
        }
    }
}
