// @dagrejs/dagre behind the benchmark's runner protocol (the same shape as src/lib.rs).
import { graphlib, layout } from "@dagrejs/dagre";

export function layOut(graph, options) {
  const g = new graphlib.Graph({ directed: true, multigraph: true, compound: false });
  g.setGraph({ rankdir: options.rankdir, nodesep: options.nodeSep, ranksep: options.rankSep, edgesep: options.edgeSep });
  for (const node of graph.nodes) g.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target, {}, edge.field);
  layout(g);
  const label = g.graph();
  return {
    width: label.width,
    height: label.height,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id);
      return { id: node.id, x: placed.x - node.width / 2, y: placed.y - node.height / 2, width: node.width, height: node.height };
    }),
    edges: graph.edges.map((edge) => ({
      ...edge,
      points: g.edge(edge.source, edge.target, edge.field).points.map((p) => [p.x, p.y]),
    })),
  };
}
