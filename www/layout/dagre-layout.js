// The layered layout for the engine's wasm in the browser: dagre.js, called synchronously by
// crates/diagram/src/layered.rs (feature `js-layout`) through the import `./dagre-layout.js` of
// the wasm glue. esbuild bundles this file with @dagrejs/dagre beside each worker's glue.
//
// In: the rank direction, dagre's three spacings, the nodes as [name, width, height, ...] and the
// edges as [name, from, to, ...], names being the Rust side's indices (dagre breaks ties by
// them, so the crate and this file are given the same ones). Out: each node's centre (x, y), in
// the order given, then each edge's route as its number of points and their x and y.
import { graphlib, layout } from "@dagrejs/dagre";

export function layOutLayers(rankdir, nodesep, ranksep, edgesep, nodes, edges) {
  const g = new graphlib.Graph({ directed: true, multigraph: true, compound: false });
  g.setGraph({ rankdir, nodesep, ranksep, edgesep });
  const names = [];
  for (let i = 0; i < nodes.length; i += 3) {
    const name = String(nodes[i]);
    names.push(name);
    g.setNode(name, { width: nodes[i + 1], height: nodes[i + 2] });
  }
  const ends = [];
  for (let i = 0; i < edges.length; i += 3) {
    const edge = { v: String(edges[i + 1]), w: String(edges[i + 2]), name: String(edges[i]) };
    ends.push(edge);
    g.setEdge(edge, {});
  }
  layout(g);
  const out = [];
  for (const name of names) {
    const { x, y } = g.node(name);
    out.push(x, y);
  }
  for (const edge of ends) {
    const points = g.edge(edge)?.points ?? [];
    out.push(points.length);
    for (const p of points) out.push(p.x, p.y);
  }
  return new Float64Array(out);
}
