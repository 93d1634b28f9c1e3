// Picture-quality figures of a layout, computed the same way for every library from what it
// returned: node boxes (top-left corner) and each edge's routed polyline.

const EPSILON = 0.5;
/** An edge longer than the screenshots' window (1600 px) cannot be followed without panning. */
const SCREEN_WIDTH = 1600;

export function measure(layout) {
  const box = boundingBox(layout);
  const lengths = layout.edges.map((edge) => polylineLength(edge.points));
  return {
    width: Math.round(box.width),
    height: Math.round(box.height),
    aspect: round2(box.width / Math.max(box.height, 1)),
    crossings: crossings(layout.edges),
    edgesThroughNodes: edgesThroughNodes(layout),
    overlappingNodes: overlappingNodes(layout.nodes),
    edgeLength: Math.round(lengths.reduce((sum, length) => sum + length, 0)),
    longestEdge: Math.round(Math.max(0, ...lengths)),
    edgesOverScreen: lengths.filter((length) => length > SCREEN_WIDTH).length,
  };
}

function round2(n) {
  return Math.round(n * 100) / 100;
}

/** The extent of every node and every edge point (what the picture needs), not the library's own figure. */
export function boundingBox(layout) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  const take = (x, y) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  for (const node of layout.nodes) {
    take(node.x, node.y);
    take(node.x + node.width, node.y + node.height);
  }
  for (const edge of layout.edges) for (const [x, y] of edge.points) take(x, y);
  if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function segments(points) {
  const result = [];
  for (let i = 1; i < points.length; i++) result.push([points[i - 1], points[i]]);
  return result;
}

function polylineLength(points) {
  return segments(points).reduce((sum, [a, b]) => sum + Math.hypot(b[0] - a[0], b[1] - a[1]), 0);
}

function orientation(a, b, c) {
  const cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(cross) < 1e-9 ? 0 : Math.sign(cross);
}

/** Two segments cross at one point inside both (touching ends and collinear overlaps do not count). */
function properlyCross([a, b], [c, d]) {
  const [o1, o2, o3, o4] = [orientation(a, b, c), orientation(a, b, d), orientation(c, d, a), orientation(c, d, b)];
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/** Points where two different edges' polylines cross (edges of one node fanning out do not). */
export function crossings(edges) {
  const polylines = edges.map((edge) => segments(edge.points));
  let count = 0;
  for (let i = 0; i < polylines.length; i++) {
    for (let j = i + 1; j < polylines.length; j++) {
      for (const s of polylines[i]) for (const t of polylines[j]) if (properlyCross(s, t)) count++;
    }
  }
  return count;
}

function shrink(node, by) {
  return { left: node.x + by, top: node.y + by, right: node.x + node.width - by, bottom: node.y + node.height - by };
}

function pointInside([x, y], r) {
  return x > r.left && x < r.right && y > r.top && y < r.bottom;
}

function segmentHitsRect([a, b], r) {
  if (pointInside(a, r) || pointInside(b, r)) return true;
  const corners = [
    [r.left, r.top],
    [r.right, r.top],
    [r.right, r.bottom],
    [r.left, r.bottom],
  ];
  return segments([...corners, corners[0]]).some((side) => properlyCross([a, b], side));
}

/** Edges whose polyline enters a node other than their own two ends (by more than half a pixel). */
export function edgesThroughNodes(layout) {
  const rects = layout.nodes.map((node) => ({ id: node.id, rect: shrink(node, EPSILON) }));
  return layout.edges.filter((edge) =>
    rects.some(
      ({ id, rect }) =>
        id !== edge.source && id !== edge.target && segments(edge.points).some((s) => segmentHitsRect(s, rect)),
    ),
  ).length;
}

/** Pairs of node boxes that share more than half a pixel in both directions. */
export function overlappingNodes(nodes) {
  let count = 0;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const [a, b] = [nodes[i], nodes[j]];
      const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (dx > EPSILON && dy > EPSILON) count++;
    }
  }
  return count;
}
