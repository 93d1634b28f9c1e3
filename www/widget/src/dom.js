// Builds the DOM of a view from the engine's tree: [tag, {attributes}, ...children], a child
// being a string (a text node) or another tree. Tags and attributes outside the lists below are
// dropped, so that a tree can only ever make inert elements: names from the code stay text.

const SVG_NS = "http://www.w3.org/2000/svg";
const HTML_TAGS = new Set([
  "div", "section", "p", "ul", "ol", "li", "span", "code", "strong", "em", "h3", "h4",
  "details", "summary", "dl", "dt", "dd",
]);
const SVG_TAGS = new Set(["svg", "g", "rect", "path", "polygon", "line", "text", "title"]);
const ATTRIBUTE = /^(class|role|tabindex|title|open|viewBox|width|height|x|y|x1|y1|x2|y2|d|rx|points|text-anchor|font-family|font-size|xmlns|aria-(label|hidden|expanded|pressed)|data-[a-z-]+)$/;

export function build(tree, inSvg = false) {
  if (typeof tree === "string") return document.createTextNode(tree);
  if (!Array.isArray(tree) || typeof tree[0] !== "string") return document.createTextNode("");
  const [tag, attributes, ...children] = tree;
  const svg = inSvg || tag === "svg";
  if (!(svg ? SVG_TAGS : HTML_TAGS).has(tag)) return document.createTextNode("");
  const element = svg ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (ATTRIBUTE.test(name) && name !== "xmlns") element.setAttribute(name, String(value));
  }
  for (const child of children) element.append(build(child, svg));
  return element;
}
