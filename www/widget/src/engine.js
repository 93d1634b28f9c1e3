// The one engine every widget of the page shares: one Web Worker, started when the first widget
// needs it, answering one request at a time. A request that throws (a trap leaves the wasm
// instance unusable) or takes too long is answered with an error for its widget alone: the
// worker is replaced and the other widgets' requests go on in the new one.

const TIMEOUT_MS = 10_000;

let worker = null;
let nextId = 1;
const queue = [];
let current = null;

// Resolves with { tree, errors } or rejects with an Error whose message says what happened.
export function render(files, view, focus) {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, message: { files, view, focus }, resolve, reject });
    pump();
  });
}

function start() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "convex-lens" });
  worker.onmessage = ({ data }) => {
    if (!current || data.id !== current.id) return;
    const done = finish();
    if (data.kind === "done") {
      done.resolve(JSON.parse(data.json));
      pump();
    } else fail(done, data.kind === "invalid" ? data.message : `the analysis crashed (${data.message})`, data.kind !== "invalid");
  };
  worker.onerror = (event) => {
    event.preventDefault();
    if (current) fail(finish(), `the analyser failed to start (${event.message ?? "error"})`, true);
  };
}

function pump() {
  if (current || queue.length === 0) return;
  if (!worker) start();
  current = queue.shift();
  current.timer = setTimeout(() => fail(finish(), `the analysis was stopped after ${TIMEOUT_MS / 1000} s`, true), TIMEOUT_MS);
  worker.postMessage({ id: current.id, ...current.message });
}

function finish() {
  const done = current;
  clearTimeout(done.timer);
  current = null;
  return done;
}

function fail(done, message, restart) {
  if (restart) {
    worker.terminate();
    worker = null;
  }
  done.reject(new Error(message));
  pump();
}
