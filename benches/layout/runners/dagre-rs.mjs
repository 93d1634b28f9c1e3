// The Rust dagre crate (src/lib.rs) behind the runner protocol: natively, through the
// `dagre-layout` binary, and as wasm in this Node process (built by run.mjs).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Lays out `graphs` `runs` times with the native release binary; `{ layouts, ms }`. */
export function layOutNative(binary, requestPath, graphs, options, runs) {
  writeFileSync(requestPath, JSON.stringify({ graphs, options }));
  const output = execFileSync(binary, [requestPath, "--runs", String(runs)], { maxBuffer: 256 << 20 });
  return JSON.parse(output);
}

/** The wasm module's `layOut(graphs, options)`, from the wasm-bindgen `nodejs` glue. */
export function loadWasm(gluePath) {
  const { layOut } = createRequire(import.meta.url)(gluePath);
  return (graphs, options) => JSON.parse(layOut(JSON.stringify({ graphs, options })));
}
