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
//
// The editor's colours are the page's CSS variables (`--code-*`, `--syntax-*` in style.css), so
// it follows the light and dark themes with the rest of the page without being told.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { Annotation, Compartment, EditorSelection, EditorState, Prec } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { setDiagnostics } from "@codemirror/lint";
import { tags } from "@lezer/highlight";

/** Per view: `files` (path → EditorState), the path shown (`current`), the scroll position of each
 * file not shown, and the app's `onChange`. */
const sessions = new WeakMap();

/** Marks the changes the app makes itself (`open` with a new text), which `onChange` does not echo. */
const fromApp = Annotation.define();

/** The accessible name of the text area, which names the file shown. */
const label = new Compartment();
const labelFor = (path) => EditorView.contentAttributes.of({ "aria-label": `${path} source` });

/** The text area in the tab order by name, as an editable element is anyway: the scroller
 * around it is a scrollable region, which the keyboard must reach (WCAG 2.1.1), and checkers
 * such as axe-core count only native controls and `tabindex` as reaching it. */
const tabStop = EditorView.contentAttributes.of({ tabindex: "0" });

const reportChanges = EditorView.updateListener.of((update) => {
  const session = sessions.get(update.view);
  if (!session || session.current === null || !update.docChanged) return;
  if (update.transactions.every((tr) => tr.annotation(fromApp))) return;
  session.onChange(session.current, update.state.doc.toString());
});

/** The chrome of the editor in the theme's colours. */
const colours = EditorView.theme({
  "&": { backgroundColor: "var(--code-bg)", color: "var(--syntax-variable)" },
  ".cm-content": { caretColor: "var(--code-cursor)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--code-cursor)" },
  ".cm-gutters": { backgroundColor: "var(--code-gutter)", color: "var(--code-line-number)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "var(--code-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--code-active-line)", color: "var(--text)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    backgroundColor: "var(--code-selection)",
  },
  ".cm-searchMatch": { backgroundColor: "var(--code-match)", outline: "none" },
  ".cm-selectionMatch": { backgroundColor: "var(--code-match)" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--code-selection)", outline: "1px solid var(--border)" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--text)" },
  ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--border)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
  ".cm-textfield": { backgroundColor: "var(--code-bg)", color: "var(--text)", border: "1px solid var(--border)" },
  ".cm-button": { backgroundImage: "none", backgroundColor: "var(--panel)", color: "var(--text)", border: "1px solid var(--border)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--text)", border: "1px solid var(--border)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-text)" },
  ".cm-foldPlaceholder": { backgroundColor: "var(--code-gutter)", color: "var(--muted)", border: "1px solid var(--border)" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--error)" },
  ".cm-diagnostic-warning": { borderLeftColor: "var(--warning)" },
  ".cm-diagnostic-info": { borderLeftColor: "var(--info)" },
});

/** TypeScript's syntax in the theme's colours. */
const highlighting = syntaxHighlighting(
  HighlightStyle.define([
    { tag: [tags.keyword, tags.modifier, tags.controlKeyword, tags.operatorKeyword, tags.definitionKeyword, tags.moduleKeyword], color: "var(--syntax-keyword)" },
    { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "var(--syntax-string)" },
    { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--syntax-number)" },
    { tag: [tags.comment, tags.lineComment, tags.blockComment, tags.docComment], color: "var(--syntax-comment)", fontStyle: "italic" },
    { tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.function(tags.definition(tags.variableName))], color: "var(--syntax-function)" },
    { tag: [tags.typeName, tags.className, tags.namespace, tags.self], color: "var(--syntax-type)" },
    { tag: [tags.propertyName, tags.definition(tags.propertyName), tags.labelName], color: "var(--syntax-property)" },
    { tag: [tags.variableName, tags.definition(tags.variableName)], color: "var(--syntax-variable)" },
    { tag: [tags.punctuation, tags.bracket, tags.operator, tags.separator], color: "var(--syntax-punctuation)" },
    { tag: tags.invalid, color: "var(--syntax-invalid)" },
  ]),
);

/** Escape, when nothing in the editor takes it (a search panel, a completion), leaves the editor,
 * so that the page's keyboard shortcuts work and the focus is not trapped. */
const escapeLeaves = Prec.lowest(
  keymap.of([
    {
      key: "Escape",
      run: (view) => {
        view.contentDOM.blur();
        return true;
      },
    },
  ]),
);

function fileState(path, text) {
  return EditorState.create({
    doc: text,
    extensions: [basicSetup, javascript({ typescript: true }), colours, highlighting, escapeLeaves, reportChanges, tabStop, label.of(labelFor(path))],
  });
}

/** What the view shows while no file is open. */
function emptyState() {
  return EditorState.create({
    doc: "",
    extensions: [colours, EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ "aria-label": "No file open" })],
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
