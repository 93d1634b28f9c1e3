//! The client side of the analysis worker (`www/worker.js`).
//!
//! The engine runs in its own wasm instance inside a Web Worker so that typing never waits for it
//! and so that a trap (swc has no stack growth on wasm32) kills only that instance: the page then
//! replaces the worker and says what happened. Only the newest files matter: while a request runs,
//! later sets of files replace each other and the last one is sent when the worker answers.

use std::cell::RefCell;
use std::rc::Rc;

use convex_lens_diagram::Diagrams;
use convex_lens_engine::Analysis;
use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::analysis::Analysed;
use crate::set_property as set;
use crate::workspace::File;

/// How long one analysis may run before the worker is considered stuck and replaced.
const ANALYSIS_TIMEOUT_MS: u32 = 10_000;

/// What the worker reported for one request.
#[derive(Clone, Debug, PartialEq)]
pub enum AnalyzerEvent {
    Done { analysed: Analysed, millis: f64 },
    /// The diagrams of the analysis of request `id`, which the worker lays out after answering.
    Diagrams { id: u32, diagrams: Rc<Diagrams> },
    /// The worker trapped, failed to start, or timed out; a fresh one has been started.
    Crashed { message: String },
    /// The worker's answer could not be read (a bug in the page, not in the user's code).
    Failed { message: String },
}

struct InFlight {
    id: u32,
    /// `None` once the analysis came back and the worker is laying out its diagrams.
    files: Option<Rc<[File]>>,
    started: f64,
    _timeout: Timeout,
}

/// The worker's `onmessage` and `onerror` handlers, kept alive as long as the worker.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

struct Inner {
    worker: Option<Worker>,
    _handlers: Option<Handlers>,
    in_flight: Option<InFlight>,
    pending: Option<Rc<[File]>>,
    next_id: u32,
    on_event: Callback<AnalyzerEvent>,
}

/// A handle to the analysis worker; cheap to clone.
#[derive(Clone)]
pub struct Analyzer(Rc<RefCell<Inner>>);

impl Analyzer {
    pub fn new(on_event: Callback<AnalyzerEvent>) -> Self {
        let inner = Inner { worker: None, _handlers: None, in_flight: None, pending: None, next_id: 0, on_event };
        let analyzer = Analyzer(Rc::new(RefCell::new(inner)));
        analyzer.start_worker();
        analyzer
    }

    /// Asks for an analysis of the project made of `files`.
    pub fn analyze(&self, files: Rc<[File]>) {
        let busy = self.0.borrow().in_flight.is_some();
        if busy {
            self.0.borrow_mut().pending = Some(files);
        } else {
            self.send(files);
        }
    }

    fn start_worker(&self) {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options("worker.js", &options) {
            Ok(worker) => worker,
            Err(error) => {
                let message = format!("The analysis worker could not start ({error:?})");
                self.0.borrow().on_event.emit(AnalyzerEvent::Crashed { message });
                return;
            }
        };
        let this = self.clone();
        let on_message = Closure::new(move |event: MessageEvent| this.on_message(event));
        let this = self.clone();
        let on_error = Closure::new(move |event: web_sys::Event| {
            let detail = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
            this.replace_worker(format!("The analysis worker failed ({detail})"));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut inner = self.0.borrow_mut();
        inner.worker = Some(worker);
        inner._handlers = Some((on_message, on_error));
    }

    fn send(&self, files: Rc<[File]>) {
        let id = {
            let mut inner = self.0.borrow_mut();
            inner.next_id += 1;
            inner.next_id
        };
        let this = self.clone();
        let timeout = Timeout::new(ANALYSIS_TIMEOUT_MS, move || {
            let seconds = ANALYSIS_TIMEOUT_MS / 1000;
            this.replace_worker(format!("The analysis took longer than {seconds} s on this input and was stopped"));
        });
        let message = request_message(id, &files);
        let mut inner = self.0.borrow_mut();
        inner.in_flight = Some(InFlight { id, files: Some(files), started: now(), _timeout: timeout });
        if let Some(worker) = &inner.worker {
            if let Err(error) = worker.post_message(&message) {
                drop(inner);
                self.replace_worker(format!("The page could not reach the analysis worker ({error:?})"));
            }
        }
    }

    fn on_message(&self, event: MessageEvent) {
        let data = event.data();
        let field = |name: &str| js_sys::Reflect::get(&data, &JsValue::from_str(name)).ok();
        let id = field("id").and_then(|v| v.as_f64()).unwrap_or(-1.0) as u32;
        let kind = field("kind").and_then(|v| v.as_string()).unwrap_or_default();
        let json = || field("json").and_then(|v| v.as_string()).unwrap_or_default();
        match kind.as_str() {
            // The request stays in flight (and under its timeout) while the worker lays out.
            "done" => {
                let Some((files, started)) = self.answered(id) else { return };
                let event = match serde_json::from_str::<Analysis>(&json()) {
                    Ok(analysis) => {
                        let analysed = Analysed { id, analysis: Rc::new(analysis), files };
                        AnalyzerEvent::Done { analysed, millis: now() - started }
                    }
                    Err(error) => AnalyzerEvent::Failed { message: format!("The analysis could not be read ({error})") },
                };
                self.emit(event);
            }
            "diagrams" => {
                if self.take_in_flight(id).is_none() {
                    return;
                }
                let event = match serde_json::from_str::<Diagrams>(&json()) {
                    Ok(diagrams) => AnalyzerEvent::Diagrams { id, diagrams: Rc::new(diagrams) },
                    Err(error) => AnalyzerEvent::Failed { message: format!("The diagrams could not be read ({error})") },
                };
                self.emit(event);
                self.send_pending();
            }
            _ => {
                if self.take_in_flight(id).is_none() {
                    return;
                }
                let message = field("message").and_then(|v| v.as_string()).unwrap_or_default();
                self.restart(format!("The analyser crashed on this input ({message})"));
            }
        }
    }

    /// The files and start time of request `id`, if it is the one in flight and not answered yet.
    fn answered(&self, id: u32) -> Option<(Rc<[File]>, f64)> {
        let mut inner = self.0.borrow_mut();
        let in_flight = inner.in_flight.as_mut().filter(|f| f.id == id)?;
        Some((in_flight.files.take()?, in_flight.started))
    }

    fn take_in_flight(&self, id: u32) -> Option<InFlight> {
        let mut inner = self.0.borrow_mut();
        match &inner.in_flight {
            Some(in_flight) if in_flight.id == id => inner.in_flight.take(),
            _ => None,
        }
    }

    /// Replaces a worker that trapped or hangs; the request it held is dropped.
    fn replace_worker(&self, message: String) {
        self.0.borrow_mut().in_flight = None;
        self.restart(message);
    }

    fn restart(&self, message: String) {
        let (old_worker, old_handlers) = {
            let mut inner = self.0.borrow_mut();
            (inner.worker.take(), inner._handlers.take())
        };
        if let Some(worker) = old_worker {
            worker.terminate();
        }
        // This may run inside one of the old handlers: drop them in a later task, not under it.
        Timeout::new(0, move || drop(old_handlers)).forget();
        self.start_worker();
        self.emit(AnalyzerEvent::Crashed { message });
        self.send_pending();
    }

    fn send_pending(&self) {
        let pending = self.0.borrow_mut().pending.take();
        if let Some(files) = pending {
            self.send(files);
        }
    }

    fn emit(&self, event: AnalyzerEvent) {
        let on_event = self.0.borrow().on_event.clone();
        on_event.emit(event);
    }
}

/// `{ id, files: [{ path, text }] }`, the request `www/worker.js` expects.
fn request_message(id: u32, files: &[File]) -> JsValue {
    let list: js_sys::Array = files
        .iter()
        .map(|file| {
            let item = js_sys::Object::new();
            set(&item, "path", &JsValue::from_str(&file.path));
            set(&item, "text", &JsValue::from_str(&file.text));
            JsValue::from(item)
        })
        .collect();
    let message = js_sys::Object::new();
    set(&message, "id", &JsValue::from(id));
    set(&message, "files", &list);
    message.into()
}

fn now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}
