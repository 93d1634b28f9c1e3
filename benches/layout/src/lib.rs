//! The wasm module Node loads (`runners/dagre-rs.mjs`). The crate is a `cdylib` only, as the
//! playground's wasm crates are (an `rlib` beside it turns LTO off and skews the size figure), so
//! the native binary includes `layout.rs` itself rather than linking this library.

#[cfg(target_arch = "wasm32")]
mod layout;

/// The wasm entry point: a request as JSON in, the layouts as JSON out. The caller times the
/// call, so wasm figures include the JSON crossing (small next to the layout; see README.md).
#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::layout;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(js_name = layOut)]
    pub fn lay_out(request_json: &str) -> Result<String, JsError> {
        let request: layout::Request = serde_json::from_str(request_json)?;
        Ok(serde_json::to_string(&layout::lay_out_all(&request))?)
    }
}
