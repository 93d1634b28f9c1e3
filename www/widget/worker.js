// The docs widget's worker: one wasm instance of the engine and the views (crates/widget),
// shared by every widget of the page. Protocol: the page posts { id, files, view, focus }; the
// worker answers { id, kind: "done", json } with the view's tree and the files' parse errors,
// { id, kind: "invalid", message } for a request the engine refuses (an unknown view), or
// { id, kind: "crashed", message } when the engine threw otherwise: then the page replaces it.
import init, { renderView } from "./convex_lens_widget.js";

const ready = init();

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch (error) {
    self.postMessage({ id: data.id, kind: "crashed", message: `the engine failed to load: ${error}` });
    return;
  }
  try {
    self.postMessage({ id: data.id, kind: "done", json: renderView(JSON.stringify(data.files), data.view, data.focus ?? undefined) });
  } catch (error) {
    const message = String(error?.message ?? error);
    self.postMessage({ id: data.id, kind: message.startsWith("no view named") ? "invalid" : "crashed", message });
  }
};
