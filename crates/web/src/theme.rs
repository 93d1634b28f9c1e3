//! The header's theme switch: system, light or dark. `www/theme.js` owns the theme (it runs
//! before the first paint, keeps the choice in localStorage and follows the system setting);
//! this calls it through `globalThis.ConvexLensTheme`. style.css gives every colour per theme,
//! and the editor's colours are the same CSS variables, so nothing else needs telling.

use wasm_bindgen::prelude::*;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ConvexLensTheme, js_name = choice)]
    fn current_choice() -> Result<String, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensTheme, js_name = choose)]
    fn choose(choice: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensTheme, js_name = subscribe)]
    fn subscribe(listener: &Closure<dyn FnMut(String, String)>) -> Result<(), JsValue>;
}

/// The choices, in the order of the switch and of the `t` shortcut.
const CHOICES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

fn choice() -> String {
    current_choice().unwrap_or_else(|_| "system".into())
}

/// Moves to the next choice (the `t` shortcut).
pub fn choose_next() {
    let now = choice();
    let index = CHOICES.iter().position(|(id, _)| *id == now).unwrap_or(0);
    // Without theme.js (the wasm test page) there is no theme to change.
    let _ = choose(CHOICES[(index + 1) % CHOICES.len()].0);
}

#[function_component(ThemeSwitch)]
pub fn theme_switch() -> Html {
    let selected = use_state(choice);
    {
        let selected = selected.setter();
        use_effect_with((), move |_| {
            // The choice changes from the `t` shortcut and from other tabs too.
            let listener = Closure::<dyn FnMut(String, String)>::new(move |choice: String, _theme: String| selected.set(choice));
            let _ = subscribe(&listener);
            // theme.js keeps it for the page's life, as the switch lives.
            listener.forget();
        });
    }
    let onchange = Callback::from(|event: Event| {
        if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
            let _ = choose(&select.value());
        }
    });
    html! {
        <label class="theme-switch">
            <span class="theme-label">{ "Theme" }</span>
            <select class="theme-choice" aria-label="Colour theme" {onchange}>
                { for CHOICES.iter().map(|(id, label)| html! {
                    <option value={*id} selected={*selected == *id}>{ *label }</option>
                }) }
            </select>
        </label>
    }
}
