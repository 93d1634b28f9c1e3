// A post-pass for dagre's edges, per connected component (before packing). Dagre ends an edge
// where the line from the node's centre to the edge's first bend leaves the box; with tall,
// wide table boxes that point is often on the box's side, and the first segment runs flat
// across the neighbours of the same rank (most of dagre's "edges through nodes"). Here each end
// moves onto the side that faces the next rank (bottom or top for TB, right or left for LR);
// the ends on one side are spread evenly along it in the order of their bends (so that a node's
// own edges do not cross each other there), and, when a taller neighbour makes the rank deeper
// than the box, the edge runs straight out to the rank's edge first. The first and last
// segments then stay in the gap between ranks. Self-references keep dagre's loop.

const INSET = 8;

export function endsOnRankSides(layout, rankdir) {
  const axis = rankdir === "TB" ? { along: 1, across: 0, size: "height", extent: "width" } : { along: 0, across: 1, size: "width", extent: "height" };
  const boxes = new Map(layout.nodes.map((node) => [node.id, box(node, axis)]));
  const routed = layout.edges.map((edge) => ({ edge, inner: edge.points.slice(1, -1) }));
  const ends = routed.filter(({ edge, inner }) => edge.source !== edge.target && inner.length > 0);
  const sides = new Map();
  for (const end of ends) {
    addEnd(sides, boxes, end, "start", end.edge.source, end.inner[0], axis);
    addEnd(sides, boxes, end, "end", end.edge.target, end.inner[end.inner.length - 1], axis);
  }
  for (const side of sides.values()) spreadAlong(side, boxes, axis);
  const edges = routed.map(({ edge, inner, start, end }) =>
    start && end ? { ...edge, points: [...start, ...inner, ...end.reverse()] } : edge,
  );
  return { ...layout, edges };
}

/** A node as [low, high] along the ranks' axis and across it. */
function box(node, axis) {
  const low = [node.x, node.y];
  return {
    along: [low[axis.along], low[axis.along] + node[axis.size]],
    across: [low[axis.across], low[axis.across] + node[axis.extent]],
  };
}

function addEnd(sides, boxes, routed, which, nodeId, toward, axis) {
  const node = boxes.get(nodeId);
  const forward = toward[axis.along] > (node.along[0] + node.along[1]) / 2;
  const key = `${nodeId}\u0000${forward}`;
  if (!sides.has(key)) sides.set(key, { node, forward, ends: [] });
  sides.get(key).ends.push({ routed, which, toward: toward[axis.across] });
}

/** The side's ends at even steps along it, ordered by where their bends are; each then out to the rank's edge. */
function spreadAlong({ node, forward, ends }, boxes, axis) {
  ends.sort((a, b) => a.toward - b.toward);
  const [low, high] = [node.across[0] + INSET, node.across[1] - INSET];
  const centre = (node.along[0] + node.along[1]) / 2;
  const rank = [...boxes.values()].filter((other) => Math.abs((other.along[0] + other.along[1]) / 2 - centre) < 1);
  const rankEdge = forward ? Math.max(...rank.map((other) => other.along[1])) : Math.min(...rank.map((other) => other.along[0]));
  const side = forward ? node.along[1] : node.along[0];
  ends.forEach((end, i) => {
    const across = ends.length === 1 ? Math.min(Math.max(end.toward, low), high) : low + ((high - low) * i) / (ends.length - 1);
    const point = (along) => (axis.along === 1 ? [across, along] : [along, across]);
    end.routed[end.which] = Math.abs(rankEdge - side) > 0.5 ? [point(side), point(rankEdge)] : [point(side)];
  });
}
