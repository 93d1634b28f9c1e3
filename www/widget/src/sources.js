// Which code a widget shows, in the order an author would expect:
// 1. files inside the element: <script type="text/plain" data-path="convex/schema.ts">;
// 2. `selector="#schema, #send"`: code blocks anywhere on the page;
// 3. otherwise the code blocks before it, back to the previous widget (or the start of its
//    container): docs put the code first and the view after it, as Codapi's snippets do.
// A block's path is its `data-path` (on the <pre>, the <code> or a wrapper), else the title a docs
// generator shows above it (Docusaurus ```ts title="convex/schema.ts"```), else none: the
// engine then names it from its code, as the playground names pasted code.

const PATH = /^[\w@.\-/]+\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|json)$/;

// [{ element, path, text, editable }]: `element` is what the reader edits and what is watched.
export function sourcesOf(widget) {
  const inline = [...widget.querySelectorAll(":scope > script[type='text/plain']")];
  if (inline.length > 0) return inline.map((script) => ({ element: script, path: script.dataset.path ?? null, inline: true }));
  const selector = widget.getAttribute("selector");
  const found = selector ? [...document.querySelectorAll(selector)].flatMap(blocksIn) : blocksBefore(widget);
  // A selector may match a block and its wrapper: each block once, in page order.
  const blocks = found.filter((block, i) => found.findIndex((other) => other.code === block.code) === i);
  blocks.sort((a, b) => (a.code.compareDocumentPosition(b.code) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return blocks.map(({ code, wrapper }) => ({ element: code, path: pathOf(code, wrapper), inline: false }));
}

export function textOf(source) {
  return source.element.textContent ?? "";
}

function blocksBefore(widget) {
  // Markdown renderers may wrap a lone tag in a paragraph: then the paragraph is what follows
  // the code.
  const parent = widget.parentElement;
  const anchor = parent?.localName === "p" && parent.children.length === 1 ? parent : widget;
  const found = [];
  for (let sibling = anchor.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    if (sibling.localName === "convex-lens-view" || sibling.querySelector("convex-lens-view")) break;
    found.unshift(...blocksIn(sibling));
  }
  return found;
}

// The code blocks in (or at) an element: a <pre> with its <code>, or a lone <code> block.
function blocksIn(element) {
  const pres = element.localName === "pre" ? [element] : [...element.querySelectorAll("pre")];
  return pres.map((pre) => ({ code: pre.querySelector("code") ?? pre, wrapper: element }));
}

function pathOf(code, wrapper) {
  for (let node = code; node && node !== wrapper.parentElement; node = node.parentElement) {
    if (node.dataset?.path) return node.dataset.path;
  }
  const title = wrapper.querySelector("[class*='itle']:not(pre):not(code)");
  const text = title?.textContent?.trim();
  return text && PATH.test(text) ? text : null;
}
