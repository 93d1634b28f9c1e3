// The analysis worker: one wasm instance of the engine (crates/worker), off the UI thread.
// Protocol: the page posts { id, files: [{ path, text }] }; the worker answers
// { id, kind: "done", json } with the engine's Analysis as JSON, then
// { id, kind: "diagrams", json } with its laid-out diagrams (which may take longer), or
// { id, kind: "crashed", message } when the engine threw: a trap (panic, or a stack overflow,
// which V8 reports as a RangeError) leaves the wasm instance unusable, and no other exception is
// expected of it, so the page replaces this worker whatever was thrown.
import init, { analyzeFiles, layoutDiagrams } from "./convex_lens_worker.js";

const ready = init();

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch (error) {
    self.postMessage({ id: data.id, kind: "crashed", message: `the engine failed to load: ${error}` });
    return;
  }
  try {
    const json = analyzeFiles(data.files);
    self.postMessage({ id: data.id, kind: "done", json });
    self.postMessage({ id: data.id, kind: "diagrams", json: layoutDiagrams() });
  } catch (error) {
    self.postMessage({ id: data.id, kind: "crashed", message: String(error) });
  }
};
