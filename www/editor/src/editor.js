// The playground's code editor: CodeMirror 6 with TypeScript highlighting, bundled by esbuild into
// one ES module. It installs a small API on `globalThis.ConvexLensEditor`, which the Yew app calls
// through `#[wasm_bindgen(js_namespace = ConvexLensEditor)]`. A global (rather than an ES import
// from the wasm glue) keeps the wasm module loadable where the bundle is absent, such as the
// wasm-bindgen test runner, and keeps this file the only place that knows CodeMirror.
//
// One view shows one file at a time. Each file has its own `EditorState`, kept here by path, so
// switching files keeps each file's text, undo history, selection and scroll position. The app
// owns the list of files; it tells the editor which file to show (`open`) and when a file is
// renamed or removed, and hears about every edit through `onChange(path, text)`.
import { basicSetup } from "codemirror";
import { EditorView } from "@codemirror/view";
import { Annotation, Compartment, EditorSelection, EditorState } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics } from "@codemirror/lint";

/** Per view: `files` (path → EditorState), the path shown (`current`), the scroll position of each
 * file not shown, and the app's `onChange`. */
const sessions = new WeakMap();

/** Marks the changes the app makes itself (`open` with a new text), which `onChange` does not echo. */
const fromApp = Annotation.define();

/** The accessible name of the text area, which names the file shown. */
const label = new Compartment();
const labelFor = (path) => EditorView.contentAttributes.of({ "aria-label": `${path} source` });

const reportChanges = EditorView.updateListener.of((update) => {
  const session = sessions.get(update.view);
  if (!session || session.current === null || !update.docChanged) return;
  if (update.transactions.every((tr) => tr.annotation(fromApp))) return;
  session.onChange(session.current, update.state.doc.toString());
});

function fileState(path, text) {
  return EditorState.create({
    doc: text,
    extensions: [basicSetup, javascript({ typescript: true }), reportChanges, label.of(labelFor(path))],
  });
}

/** What the view shows while no file is open. */
function emptyState() {
  return EditorState.create({
    doc: "",
    extensions: [EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ "aria-label": "No file open" })],
  });
}

/** Mounts an editor in `parent` with no file open; `onChange(path, text)` runs after every edit
 * the user makes. */
function create(parent, onChange) {
  const view = new EditorView({ parent, state: emptyState() });
  sessions.set(view, { files: new Map(), current: null, scroll: new Map(), onChange });
  return view;
}

/** Saves the shown file's state (the view's state moves on with every transaction). */
function save(view, session) {
  if (session.current !== null) {
    session.files.set(session.current, view.state);
    session.scroll.set(session.current, view.scrollSnapshot());
  }
}

/** Shows the file at `path`. Its state is made from `text` the first time; after that the editor
 * keeps its own, unless `text` differs from it (the app replaced the file), in which case the text
 * is replaced as one undoable change. */
function open(view, path, text) {
  const session = sessions.get(view);
  save(view, session);
  let state = session.files.get(path);
  if (state === undefined) {
    state = fileState(path, text);
  } else if (state.doc.toString() !== text) {
    const changes = { from: 0, to: state.doc.length, insert: text };
    state = state.update({ changes, annotations: fromApp.of(true) }).state;
  }
  session.files.set(path, state);
  session.current = path;
  view.setState(state);
  const scroll = session.scroll.get(path);
  if (scroll) view.dispatch({ effects: scroll });
}

/** Moves a file's state (history, selection) to its new path. */
function rename(view, from, to) {
  const session = sessions.get(view);
  save(view, session);
  const state = session.files.get(from);
  if (state === undefined) return;
  session.files.delete(from);
  const scroll = session.scroll.get(from);
  session.scroll.delete(from);
  const renamed = state.update({ effects: label.reconfigure(labelFor(to)) }).state;
  session.files.set(to, renamed);
  if (scroll) session.scroll.set(to, scroll);
  if (session.current === from) {
    session.current = to;
    view.setState(renamed);
    if (scroll) view.dispatch({ effects: scroll });
  }
}

/** Forgets a file; if it is the one shown, the view shows no file. */
function remove(view, path) {
  const session = sessions.get(view);
  session.files.delete(path);
  session.scroll.delete(path);
  if (session.current === path) {
    session.current = null;
    view.setState(emptyState());
  }
}

/** Shows the engine's diagnostics of the file shown as squiggles. Each item: { from, to,
 * severity, message } in UTF-16 offsets, clamped here because the text may have changed since
 * the analysis ran. */
function showDiagnostics(view, diagnostics) {
  const length = view.state.doc.length;
  const clamped = diagnostics.map((d) => {
    const from = Math.min(Math.max(0, d.from), length);
    const to = Math.min(Math.max(from, d.to), length);
    return { from, to, severity: d.severity, message: d.message };
  });
  view.dispatch(setDiagnostics(view.state, clamped));
}

/** Puts the cursor on a 1-based line and column (in characters, as the engine counts them),
 * clamped to the text, scrolls it into view and focuses the editor. */
function moveCursor(view, line, column) {
  const doc = view.state.doc;
  const target = doc.line(Math.min(Math.max(1, line), doc.lines));
  let offset = 0;
  let characters = 1;
  for (const character of target.text) {
    if (characters >= column) break;
    offset += character.length;
    characters += 1;
  }
  const selection = EditorSelection.cursor(target.from + offset);
  view.dispatch({ selection, effects: EditorView.scrollIntoView(selection.head, { y: "center" }) });
  view.focus();
}

function text(view) {
  return view.state.doc.toString();
}

/** The editor that owns a DOM element, for scripts that drive the page (such as the end-to-end
 * tests, which paste text the way a user does). */
function findView(element) {
  return EditorView.findFromDOM(element);
}

globalThis.ConvexLensEditor = { create, open, rename, remove, showDiagnostics, moveCursor, text, findView };
