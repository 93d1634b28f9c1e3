//! Files the page hands to the user without any server: a download made from text in memory, a
//! PNG drawn from an SVG on a canvas, and text put on the clipboard.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// The longest side of an exported PNG: browsers refuse bigger canvases (and 80 tables at twice
/// the pixel density would pass it).
const MAX_PNG_SIDE: f64 = 8192.0;

fn blob(mime: &str, text: &str) -> Option<Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

fn save(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else { return };
    let document = gloo::utils::document();
    if let Some(link) = document.create_element("a").ok().and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok()) {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = Url::revoke_object_url(&url);
}

pub fn download(name: &str, mime: &str, text: &str) {
    if let Some(blob) = blob(mime, text) {
        save(name, &blob);
    }
}

/// Draws the SVG on a canvas at twice its size (within `MAX_PNG_SIDE`) and saves it as PNG.
pub fn download_png(name: &str, svg: &str, width: f64, height: f64) {
    let (Some(svg), Ok(image)) = (blob("image/svg+xml", svg), HtmlImageElement::new()) else { return };
    let Ok(url) = Url::create_object_url_with_blob(&svg) else { return };
    let scale = 2.0_f64.min(MAX_PNG_SIDE / width.max(height).max(1.0));
    let name = name.to_string();
    let loaded = image.clone();
    let source = url.clone();
    let onload = Closure::once(move || {
        let _ = Url::revoke_object_url(&source);
        let document = gloo::utils::document();
        let Some(canvas) = document.create_element("canvas").ok().and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) else { return };
        canvas.set_width((width * scale).ceil() as u32);
        canvas.set_height((height * scale).ceil() as u32);
        let Some(context) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok()) else {
            return;
        };
        let _ = context.scale(scale, scale);
        let _ = context.draw_image_with_html_image_element(&loaded, 0.0, 0.0);
        let saved = Closure::once(move |png: Option<Blob>| {
            if let Some(png) = png {
                save(&name, &png);
            }
        });
        let _ = canvas.to_blob(saved.as_ref().unchecked_ref());
        saved.forget();
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&url);
}

/// Puts text on the clipboard (asynchronously; the page needs no answer).
pub fn copy_text(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}
