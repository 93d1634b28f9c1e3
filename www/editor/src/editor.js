// The playground's code editor: CodeMirror 6 with TypeScript highlighting, bundled by esbuild into
// one ES module. It installs a small API on `globalThis.ConvexLensEditor`, which the Yew app calls
// through `#[wasm_bindgen(js_namespace = ConvexLensEditor)]`. A global (rather than an ES import
// from the wasm glue) keeps the wasm module loadable where the bundle is absent, such as the
// wasm-bindgen test runner, and keeps this file the only place that knows CodeMirror.
import { basicSetup } from "codemirror";
import { EditorView } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics } from "@codemirror/lint";

/** Mounts an editor in `parent` holding `doc`; `onChange(text)` runs after every edit. */
function create(parent, doc, onChange) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        javascript({ typescript: true }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "convex/schema.ts source" }),
      ],
    }),
  });
  return view;
}

/** Shows the engine's diagnostics as squiggles. Each item: { from, to, severity, message } in
 * UTF-16 offsets, clamped here because the text may have changed since the analysis ran. */
function showDiagnostics(view, diagnostics) {
  const length = view.state.doc.length;
  const clamped = diagnostics.map((d) => {
    const from = Math.min(Math.max(0, d.from), length);
    const to = Math.min(Math.max(from, d.to), length);
    return { from, to, severity: d.severity, message: d.message };
  });
  view.dispatch(setDiagnostics(view.state, clamped));
}

function text(view) {
  return view.state.doc.toString();
}

/** The editor that owns a DOM element, for scripts that drive the page (such as the end-to-end
 * tests, which paste text the way a user does). */
function findView(element) {
  return EditorView.findFromDOM(element);
}

globalThis.ConvexLensEditor = { create, showDiagnostics, text, findView };
