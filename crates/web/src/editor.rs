//! The code editor: CodeMirror 6, bundled from `www/editor/src/editor.js`, which installs
//! `globalThis.ConvexLensEditor`. This component mounts it and passes edits up.

use std::rc::Rc;

use convex_lens_engine::Diagnostic;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = create)]
    fn create_editor(parent: &HtmlElement, doc: &str, on_change: &Closure<dyn FnMut(String)>) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ConvexLensEditor, js_name = showDiagnostics)]
    fn show_diagnostics(view: &JsValue, diagnostics: &js_sys::Array) -> Result<(), JsValue>;
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub initial_text: Rc<str>,
    pub on_change: Callback<Rc<str>>,
    /// Diagnostics to underline, with the text they were computed for.
    pub diagnostics: Option<(Rc<str>, Rc<Vec<Diagnostic>>)>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let view = use_mut_ref(|| None::<(JsValue, Closure<dyn FnMut(String)>)>);
    let load_error = use_state(|| None::<String>);

    {
        let (host, view, load_error) = (host.clone(), view.clone(), load_error.clone());
        let (initial_text, on_change) = (props.initial_text.clone(), props.on_change.clone());
        use_effect_with((), move |_| {
            if let Some(parent) = host.cast::<HtmlElement>() {
                let closure = Closure::new(move |text: String| on_change.emit(Rc::from(text)));
                match create_editor(&parent, &initial_text, &closure) {
                    Ok(editor) => *view.borrow_mut() = Some((editor, closure)),
                    Err(error) => load_error.set(Some(format!("{error:?}"))),
                }
            }
        });
    }
    {
        let view = view.clone();
        use_effect_with(props.diagnostics.clone(), move |diagnostics| {
            if let (Some(view), Some((text, diagnostics))) = (&*view.borrow(), diagnostics) {
                // The squiggles are decoration; a failure here must not take the page down.
                let _ = show_diagnostics(&view.0, &editor_diagnostics(text, diagnostics));
            }
        });
    }

    html! {
        <div class="editor" ref={host}>
            if let Some(error) = &*load_error {
                <p class="error" role="alert">{ format!("The code editor failed to load: {error}") }</p>
            }
        </div>
    }
}

/// CodeMirror wants UTF-16 offsets; the engine gives byte offsets into the analysed text.
fn editor_diagnostics(text: &str, diagnostics: &[Diagnostic]) -> js_sys::Array {
    let utf16 = |byte: usize| -> usize {
        let byte = byte.min(text.len());
        let boundary = (0..=byte).rev().find(|&b| text.is_char_boundary(b)).unwrap_or(0);
        text[..boundary].encode_utf16().count()
    };
    diagnostics
        .iter()
        .map(|d| {
            let item = js_sys::Object::new();
            let from = utf16(d.location.start);
            let to = utf16(d.location.end).max(from);
            let severity = d.severity.as_str();
            for (key, value) in [
                ("from", JsValue::from(from as u32)),
                ("to", JsValue::from(to as u32)),
                ("severity", JsValue::from_str(severity)),
                ("message", JsValue::from_str(&d.message)),
            ] {
                let _ = js_sys::Reflect::set(&item, &JsValue::from_str(key), &value);
            }
            JsValue::from(item)
        })
        .collect()
}
