// <convex-lens-view>: a live view of the Convex code on the page, computed in the page by the
// shared engine (engine.js). It renders what the engine computed and decides nothing about
// the code. Attributes: view, height, theme, focus, editable, selector, playground (README).

import { build } from "./dom.js";
import { render } from "./engine.js";
import { playgroundLink } from "./share.js";
import { sourcesOf, textOf } from "./sources.js";
import { themeOf, watchTheme } from "./theme.js";
import css from "./widget.css";

const VIEWS = { schema: "Schema", indexes: "Indexes", reruns: "Re-runs", calls: "Calls", findings: "Findings", summary: "Summary" };
const EDIT_DELAY_MS = 300;
const widgets = new Set();
let sheet = null;
let diagramSheet = null;

// Widgets start when they come within a screen of the viewport: before that, nothing loads.
const nearViewport = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) {
        entry.target.state ??= "idle";
        continue;
      }
      nearViewport.unobserve(entry.target);
      entry.target.start();
    }
  },
  { rootMargin: "50% 0px" },
);
watchTheme(() => widgets.forEach((widget) => widget.applyTheme()));

export class ConvexLensView extends HTMLElement {
  static observedAttributes = ["view", "focus", "theme", "height", "editable"];

  #parts = null;
  #sources = [];
  #started = false;
  #tree = null;
  #paths = [];
  #focus = null;
  #timer = 0;
  #generation = 0;
  #observer = null;
  #startedAt = 0;

  connectedCallback() {
    if (!this.#parts) this.#parts = this.#skeleton();
    widgets.add(this);
    this.applyTheme();
    this.#applyHeight();
    if (this.#started) this.#refresh();
    else nearViewport.observe(this);
  }

  disconnectedCallback() {
    widgets.delete(this);
    nearViewport.unobserve(this);
    this.#observer?.disconnect();
    this.#observer = null;
    this.#started = false;
  }

  attributeChangedCallback(name) {
    if (!this.#parts) return;
    if (name === "theme") this.applyTheme();
    else if (name === "height") this.#applyHeight();
    else if (this.#started) {
      if (name === "focus") this.#focus = null;
      if (name === "editable") this.#watch();
      this.#parts.title.textContent = this.#title();
      this.#refresh();
    }
  }

  // What the widget is doing, on the element as `data-state` for host CSS and tests: `idle` (not
  // near the viewport yet, nothing loaded), `loading`, `ready`, `stale` (showing the last view
  // while the code has an error), `error` (no view to show).
  get state() {
    return this.dataset.state;
  }

  set state(value) {
    this.dataset.state = value;
  }

  get view() {
    const view = this.getAttribute("view")?.trim() || "schema";
    return view;
  }

  start() {
    if (this.#started || !this.isConnected) return;
    this.#started = true;
    this.#startedAt = performance.now();
    this.#watch();
    this.#refresh();
  }

  applyTheme() {
    if (this.#parts) this.#parts.root.dataset.theme = themeOf(this.getAttribute("theme"));
  }

  #title() {
    return VIEWS[this.view] ?? this.view;
  }

  #skeleton() {
    const shadow = this.attachShadow({ mode: "open" });
    sheet ??= new CSSStyleSheet();
    if (sheet.cssRules.length === 0) sheet.replaceSync(css);
    shadow.adoptedStyleSheets = diagramSheet ? [sheet, diagramSheet] : [sheet];
    const root = element("section", "root");
    const title = element("strong", "title", this.#title());
    const label = () => `${title.textContent} of the code above, by convex-lens`;
    root.setAttribute("aria-label", label());
    const status = element("span", "status");
    status.setAttribute("role", "status");
    const zoom = element("span", "zoom");
    zoom.hidden = true;
    // A name holds the button's visible text (axe's label-content-name-mismatch): a reader who
    // says "1:1" to a voice control must reach it.
    for (const [text, name, factor] of [["−", "Zoom out", 1 / 1.25], ["+", "Zoom in", 1.25], ["1:1", "1:1, actual size", 0]]) {
      const button = element("button", "zoom-button", text);
      button.type = "button";
      button.setAttribute("aria-label", name);
      button.addEventListener("click", () => this.#zoom(factor));
      zoom.append(button);
    }
    const open = element("a", "open", "Open in playground");
    open.target = "_blank";
    open.rel = "noopener";
    open.setAttribute("aria-disabled", "true");
    const bar = element("div", "bar");
    bar.append(title, status, zoom, open);
    const errors = element("div", "errors");
    errors.setAttribute("role", "alert");
    // The view scrolls when it is long: focusable, so the keyboard scrolls it too.
    const body = element("div", "body");
    body.tabIndex = 0;
    body.append(element("p", "placeholder", "The view appears when it scrolls into sight."));
    body.addEventListener("click", (event) => this.#select(event.target));
    body.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        if (this.#select(event.target)) event.preventDefault();
      }
    });
    const files = element("div", "files");
    root.append(bar, errors, body, files);
    shadow.append(root);
    return { shadow, root, title, status, zoom, open, errors, body, files, scale: 1, zoomed: false };
  }

  #applyHeight() {
    const height = this.getAttribute("height")?.trim();
    const value = height ? (/^\d+(\.\d+)?$/.test(height) ? `${height}px` : height) : "";
    this.#parts.body.style.maxHeight = value ? "none" : "";
    this.#parts.body.style.height = value;
  }

  // Watches the code the widget reads, and with `editable` lets the reader change it.
  #watch() {
    this.#observer?.disconnect();
    this.#sources = sourcesOf(this);
    const editable = this.hasAttribute("editable");
    this.#observer = new MutationObserver(() => this.#edited());
    for (const source of this.#sources) {
      if (source.inline) continue;
      this.#observer.observe(source.element, { characterData: true, childList: true, subtree: true });
      if (editable) {
        source.element.contentEditable = "plaintext-only";
        source.element.spellcheck = false;
        source.element.setAttribute("aria-label", `Code of ${source.path ?? "the view below"}, editable`);
      }
    }
    this.#showInlineFiles(editable);
  }

  // Files given inside the element have no block on the page: with `editable`, the widget shows
  // them in its own editable blocks.
  #showInlineFiles(editable) {
    const box = this.#parts.files;
    box.replaceChildren();
    if (!editable) return;
    for (const source of this.#sources.filter((s) => s.inline)) {
      const pre = element("pre", "file", textOf(source));
      pre.contentEditable = "plaintext-only";
      pre.spellcheck = false;
      // It scrolls when its lines are long: reachable by the keyboard whatever the browser
      // makes of `contenteditable`.
      pre.tabIndex = 0;
      pre.setAttribute("aria-label", `Code of ${source.path ?? "a file"}, editable`);
      pre.addEventListener("input", () => {
        source.element.textContent = pre.textContent;
        this.#edited();
      });
      box.append(element("p", "file-name", source.path ?? "file"), pre);
    }
  }

  #edited() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#refresh(), EDIT_DELAY_MS);
  }

  #files() {
    return this.#sources.map((source) => ({ path: source.path, text: textOf(source) }));
  }

  async #refresh() {
    const generation = ++this.#generation;
    const files = this.#files();
    const parts = this.#parts;
    parts.status.textContent = this.#tree ? "Updating…" : "Analysing…";
    if (!this.#tree) this.state = "loading";
    if (files.length === 0) {
      this.#show(null, [{ message: "No code to read: put code blocks before this element, or name them with selector=\"…\"." }]);
      return;
    }
    const focus = this.#focus ?? this.getAttribute("focus") ?? undefined;
    try {
      const answer = await render(files, this.view, focus);
      if (generation !== this.#generation) return;
      if (answer.rules && !diagramSheet) {
        diagramSheet = new CSSStyleSheet();
        diagramSheet.replaceSync(answer.rules);
        for (const widget of widgets) widget.#adoptDiagramSheet();
      }
      this.#paths = answer.paths;
      this.#updateLink();
      const stale = answer.errors.length > 0 && this.#tree !== null;
      this.#show(stale ? null : answer.tree, answer.errors.map((e) => ({ ...e, message: e.message })), stale);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#show(null, [{ message: `${error.message}. The view shows the last code it could read.` }], this.#tree !== null);
    }
  }

  #adoptDiagramSheet() {
    this.#parts.shadow.adoptedStyleSheets = [sheet, diagramSheet];
  }

  // Shows a new tree (or keeps the last one, marked stale) and the errors, each at its place.
  #show(tree, errors, stale = false) {
    const parts = this.#parts;
    parts.status.textContent = stale ? "Outdated: showing the last code that parsed" : "";
    parts.root.classList.toggle("stale", stale);
    this.state = tree ? "ready" : stale ? "stale" : "error";
    parts.errors.replaceChildren(
      ...errors.map((error) => {
        const item = element("p", "error");
        if (error.file) item.append(element("code", "place", `${error.file}:${error.line}:${error.column}`), " ");
        item.append(error.message);
        return item;
      }),
    );
    if (!tree) return;
    // From near the viewport to drawn, in the page's performance timeline (DevTools shows it).
    if (!this.#tree) performance.measure("convex-lens: view drawn", { start: this.#startedAt, detail: { view: this.view } });
    this.#tree = tree;
    const view = build(tree);
    parts.body.replaceChildren(view);
    const frame = view.querySelector(".diagram-frame");
    parts.zoom.hidden = !frame;
    if (frame) {
      if (!parts.zoomed) parts.scale = fitted(frame);
      this.#applyZoom();
      this.#centre(frame);
    }
    // In a list, the first item about the focus comes into sight (the view scrolls, the page not).
    const focused = frame ? null : view.querySelector(".focused");
    if (focused) parts.body.scrollTop = focused.getBoundingClientRect().top - parts.body.getBoundingClientRect().top + parts.body.scrollTop;
  }

  #select(target) {
    const node = target instanceof Element ? target.closest("[data-node]") : null;
    if (!node) return false;
    const id = node.getAttribute("data-node");
    this.#focus = this.#focus === id ? "" : id;
    this.#refresh();
    return true;
  }

  // Brings the focused node to the middle of the frame (the frame scrolls, the page does not).
  #centre(frame) {
    const focus = frame.dataset.focus;
    if (!focus) return;
    const node = frame.querySelector(`[data-node="${CSS.escape(focus)}"]`);
    if (!node) return;
    const frameBox = frame.getBoundingClientRect();
    const nodeBox = node.getBoundingClientRect();
    frame.scrollLeft += nodeBox.left + nodeBox.width / 2 - (frameBox.left + frameBox.width / 2);
    frame.scrollTop += nodeBox.top + nodeBox.height / 2 - (frameBox.top + frameBox.height / 2);
  }

  #zoom(factor) {
    this.#parts.zoomed = true;
    this.#parts.scale = factor === 0 ? 1 : Math.min(3, Math.max(0.25, this.#parts.scale * factor));
    this.#applyZoom();
  }

  #applyZoom() {
    const svg = this.#parts.body.querySelector(".diagram-frame > svg");
    if (!svg) return;
    const scale = this.#parts.scale;
    svg.style.width = `${Number(svg.getAttribute("width")) * scale}px`;
    svg.style.height = `${Number(svg.getAttribute("height")) * scale}px`;
  }

  #playground() {
    const meta = document.querySelector("meta[name='convex-lens-playground']")?.content;
    return this.getAttribute("playground") ?? meta ?? new URL("../", import.meta.url).href;
  }

  // The link carries the files as analysed (a block without a path has the one the engine gave it).
  async #updateLink() {
    const files = this.#files().map((file, i) => ({ path: this.#paths[i] ?? file.path, text: file.text }));
    const open = this.#parts.open;
    open.href = await playgroundLink(this.#playground(), files, this.view);
    open.removeAttribute("aria-disabled");
  }
}

// The first scale of a drawing: as wide as the frame, but text stays readable (60 %); wider
// drawings scroll.
function fitted(frame) {
  const width = Number(frame.querySelector("svg")?.getAttribute("width")) || 1;
  return Math.min(1, Math.max(0.6, frame.clientWidth / width));
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
