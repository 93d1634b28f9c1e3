//! The convex-lens playground: a Yew app in which the user edits a Convex backend, file by file,
//! and sees what the engine found. The engine runs in a Web Worker ([`analyzer`]); this crate
//! never parses, it renders the engine's [`convex_lens_engine::Analysis`].

// Test builds leave out the `start` entry point (there is no page to mount into), which makes
// the app's wiring look unused to the compiler.
#![cfg_attr(test, allow(dead_code))]

mod analysis;
mod analyzer;
mod app;
mod code_frame;
mod copy_button;
mod disk;
mod editor;
mod examples;
mod export;
mod file_list;
mod import;
mod paste;
mod problems;
mod results;
mod session;
mod share;
mod shortcuts;
mod snapshot;
mod source_link;
mod storage;
#[cfg(test)]
mod test_support;
mod theme;
mod toolbar;
mod workspace;

use wasm_bindgen::JsValue;

#[cfg(not(test))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let root = gloo::utils::document().get_element_by_id("app").expect("index.html has #app");
    yew::Renderer::<app::App>::with_root(root).render();
}

/// Sets a property on a plain object made here, which cannot fail.
fn set_property(object: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// The name serde gives an engine enum (`httpAction`, `syntax-error`), as the JSON shows it.
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
