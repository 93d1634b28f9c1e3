// Draws a layout the same way for every library: a caption, boxes with a header (the table) and
// its rows (fields, then indexes), and each edge as the library routed it (a polyline through its
// points, an arrow at the referenced table).
import { boundingBox } from "./metrics.mjs";
import { NODE_SIZE } from "./graph.mjs";

const MARGIN = 20;
const CAPTION_HEIGHT = 28;

/** The picture as SVG text, its size, and the offset that maps layout coordinates into it. */
export function svg(layout, rowsById, caption) {
  const box = boundingBox(layout);
  const width = Math.ceil(box.width + 2 * MARGIN);
  const height = Math.ceil(box.height + 2 * MARGIN + CAPTION_HEIGHT);
  const dx = MARGIN - box.x;
  const dy = MARGIN + CAPTION_HEIGHT - box.y;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, monospace" font-size="12">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#3b6ea8"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="20" font-size="14" font-weight="bold">${escape(caption)}</text>`,
    `<g transform="translate(${dx} ${dy})">`,
  ];
  for (const node of layout.nodes) parts.push(nodeSvg(node, rowsById.get(node.id) ?? []));
  for (const edge of layout.edges) parts.push(edgeSvg(edge));
  parts.push("</g></svg>");
  return { text: parts.join("\n"), width, height, dx, dy };
}

function nodeSvg(node, rows) {
  const { padding, headerHeight, rowHeight } = NODE_SIZE;
  const text = rows.map(
    (row, i) =>
      `<text x="${node.x + padding}" y="${node.y + headerHeight + rowHeight * i + 13}">${escape(row)}</text>`,
  );
  return [
    `<g>`,
    `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" fill="#f7f9fc" stroke="#5b6b7f"/>`,
    `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${headerHeight}" fill="#dde6f2" stroke="#5b6b7f"/>`,
    `<text x="${node.x + padding}" y="${node.y + 17}" font-weight="bold">${escape(node.id)}</text>`,
    ...text,
    `</g>`,
  ].join("");
}

function edgeSvg(edge) {
  const points = edge.points.map(([x, y]) => `${round(x)},${round(y)}`).join(" ");
  return `<polyline points="${points}" fill="none" stroke="#3b6ea8" stroke-opacity="0.75" stroke-width="1.2" marker-end="url(#arrow)"><title>${escape(`${edge.source}.${edge.field} → ${edge.target}`)}</title></polyline>`;
}

function round(n) {
  return Math.round(n * 10) / 10;
}

function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
