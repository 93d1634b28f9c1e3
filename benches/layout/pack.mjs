import { boundingBox } from "./metrics.mjs";

// Packing on top of a layered layout. A layered layout of a graph with many connected components
// (most schemas: a few clusters of related tables and many tables with no relation at all)
// puts every component side by side in one band, so an 80-table schema comes out as one very
// long strip. The remedy: lay out each connected component on its own, then place the
// components' boxes in rows (shelf packing) whose width aims at a target aspect ratio,
// largest components first so that the related tables come before the loose ones.

/** The connected components of a graph (edges taken undirected), each a graph, in node order. */
export function connectedComponents(graph) {
  const parent = new Map(graph.nodes.map((node) => [node.id, node.id]));
  const find = (id) => {
    while (parent.get(id) !== id) {
      parent.set(id, parent.get(parent.get(id)));
      id = parent.get(id);
    }
    return id;
  };
  for (const edge of graph.edges) parent.set(find(edge.source), find(edge.target));
  const byRoot = new Map();
  for (const node of graph.nodes) {
    const root = find(node.id);
    if (!byRoot.has(root)) byRoot.set(root, { nodes: [], edges: [] });
    byRoot.get(root).nodes.push(node);
  }
  for (const edge of graph.edges) byRoot.get(find(edge.source)).edges.push(edge);
  return [...byRoot.values()];
}

/**
 * Places laid-out components (each `{ nodes, edges }` with its own coordinates) in rows: the
 * components sorted by node count then height, rows filled left to right up to a width chosen
 * so that the whole comes near `aspect` (width / height), `gap` pixels between boxes.
 */
export function packComponents(layouts, { gap = 40, aspect = 16 / 10 } = {}) {
  const boxes = layouts.map((layout) => ({ layout, box: boundingBox(layout) }));
  boxes.sort((a, b) => b.layout.nodes.length - a.layout.nodes.length || b.box.height - a.box.height);
  const area = boxes.reduce((sum, { box }) => sum + (box.width + gap) * (box.height + gap), 0);
  const widest = Math.max(0, ...boxes.map(({ box }) => box.width));
  const rowWidth = Math.max(widest, Math.sqrt(area * aspect));

  const placed = { nodes: [], edges: [] };
  let [x, y, rowHeight] = [0, 0, 0];
  for (const { layout, box } of boxes) {
    if (x > 0 && x + box.width > rowWidth) {
      [x, y, rowHeight] = [0, y + rowHeight + gap, 0];
    }
    const [dx, dy] = [x - box.x, y - box.y];
    for (const node of layout.nodes) placed.nodes.push({ ...node, x: node.x + dx, y: node.y + dy });
    for (const edge of layout.edges) {
      placed.edges.push({ ...edge, points: edge.points.map(([px, py]) => [px + dx, py + dy]) });
    }
    x += box.width + gap;
    rowHeight = Math.max(rowHeight, box.height);
  }
  return placed;
}
