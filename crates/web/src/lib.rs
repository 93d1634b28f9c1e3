//! The convex-lens playground: a Yew app in which the user edits a Convex schema and sees what
//! the engine found. The engine runs in a Web Worker ([`analyzer`]); this crate never parses, it
//! renders the engine's [`convex_lens_engine::Analysis`].

// Test builds leave out the `start` entry point (there is no page to mount into), which makes
// the app's wiring look unused to the compiler.
#![cfg_attr(test, allow(dead_code))]

mod analyzer;
mod app;
mod editor;
mod results;

/// The example shown on first load.
pub const EXAMPLE_SCHEMA: &str = include_str!("../../../www/examples/chat/convex/schema.ts");
/// The path the editor's text is analysed under.
pub const SCHEMA_PATH: &str = "convex/schema.ts";

#[cfg(not(test))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let root = gloo::utils::document().get_element_by_id("app").expect("index.html has #app");
    yew::Renderer::<app::App>::with_root(root).render();
}
