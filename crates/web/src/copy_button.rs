//! A small button that puts a piece of text (a suggested index, a rewritten query) on the
//! clipboard and says so.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::export::copy_text;

/// How long the button says "Copied" before it reads "Copy" again.
const CONFIRM_MS: u32 = 1500;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    /// What is copied, for the button's label ("Copy the index definition").
    pub what: AttrValue,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let reset = use_mut_ref(|| None::<Timeout>);
    let onclick = {
        let (text, copied) = (props.text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            copy_text(&text);
            copied.set(true);
            let copied = copied.clone();
            *reset.borrow_mut() = Some(Timeout::new(CONFIRM_MS, move || copied.set(false)));
        })
    };
    html! {
        <button type="button" class="copy" aria-label={format!("Copy {}", props.what)} title={format!("Copy {}", props.what)} {onclick}>
            { if *copied { "Copied" } else { "Copy" } }
        </button>
    }
}
