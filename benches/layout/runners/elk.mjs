// elkjs (the layered algorithm, orthogonal edge routing) behind the benchmark's runner protocol.
// ELK packs disconnected components itself (`separateConnectedComponents`, on by default,
// rows aiming at `elk.aspectRatio`), so it always gets the whole graph.
import ELK from "elkjs/lib/elk.bundled.js";

const elk = new ELK();

export async function layOut(graph, options) {
  const root = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": options.rankdir === "TB" ? "DOWN" : "RIGHT",
      "elk.edgeRouting": "ORTHOGONAL",
      "elk.spacing.nodeNode": String(options.nodeSep),
      "elk.layered.spacing.nodeNodeBetweenLayers": String(options.rankSep),
      "elk.spacing.edgeEdge": String(options.edgeSep / 2),
      "elk.spacing.edgeNode": String(options.edgeSep / 2),
      "elk.spacing.componentComponent": String(options.nodeSep),
      "elk.aspectRatio": String(16 / 10),
    },
    children: graph.nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: graph.edges.map((edge, i) => ({ id: `e${i}`, sources: [edge.source], targets: [edge.target] })),
  };
  const laidOut = await elk.layout(root);
  const byId = new Map(laidOut.children.map((child) => [child.id, child]));
  return {
    width: laidOut.width,
    height: laidOut.height,
    nodes: graph.nodes.map((node) => {
      const placed = byId.get(node.id);
      return { id: node.id, x: placed.x, y: placed.y, width: node.width, height: node.height };
    }),
    edges: graph.edges.map((edge, i) => ({ ...edge, points: sectionPoints(laidOut.edges[i]) })),
  };
}

function sectionPoints(edge) {
  return (edge.sections ?? []).flatMap((section) =>
    [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => [p.x, p.y]),
  );
}
