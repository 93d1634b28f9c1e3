// The benchmark's own pieces, each able to fail: `node --test benches/layout/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { endsOnRankSides } from "./ends.mjs";
import { idTargets, schemaGraph, tableNode, typeText } from "./graph.mjs";
import { crossings, edgesThroughNodes, measure, overlappingNodes } from "./metrics.mjs";
import { connectedComponents, packComponents } from "./pack.mjs";

const id = (tableName) => ({ type: "id", tableName });
const field = (fieldType, optional = false) => ({ fieldType, optional });
const object = (fields) => ({ type: "object", value: fields });

test("ids are found inside arrays, unions, records and nested objects", () => {
  const validator = {
    type: "union",
    value: [
      { type: "array", value: id("a") },
      { type: "record", keys: id("b"), values: field(object({ c: field(id("c")) })) },
      id("a"),
    ],
  };
  assert.deepEqual([...idTargets(validator)], ["a", "b", "c"]);
});

test("one edge per field and target table, self-references kept, unknown tables dropped", () => {
  const model = {
    tables: [
      { tableName: "users", documentType: object({ name: field({ type: "string" }) }), indexes: [] },
      {
        tableName: "messages",
        documentType: object({
          author: field({ type: "union", value: [id("users"), id("users")] }),
          parent: field(id("messages"), true),
          elsewhere: field(id("not_here")),
        }),
        indexes: [{ indexDescriptor: "by_author", fields: ["author", "_creationTime"] }],
      },
    ],
  };
  const graph = schemaGraph([{ prefix: "app", model }]);
  assert.deepEqual(graph.edges, [
    { source: "app/messages", target: "app/users", field: "author" },
    { source: "app/messages", target: "app/messages", field: "parent" },
  ]);
});

test("node size: header, a row per field and per index, the longest line with padding", () => {
  const table = {
    documentType: object({ body: field({ type: "string" }, true), author: field(id("users")) }),
    indexes: [{ indexDescriptor: "by_author", fields: ["author"] }],
    searchIndexes: [{ indexDescriptor: "search_body", searchField: "body", filterFields: [] }],
  };
  const node = tableNode("messages", table);
  assert.deepEqual(node.rows, ["body?: string", 'author: Id<"users">', "by_author (author)", "search_body (search body)"]);
  assert.equal(node.height, 26 + 4 * 18);
  assert.equal(node.width, Math.round((20 + 7.2 * "search_body (search body)".length) * 10) / 10);
});

test("type text is cut at 40 characters with an ellipsis", () => {
  const wide = object(Object.fromEntries("abcdefghij".split("").map((k) => [k, field({ type: "string" })])));
  const [row] = tableNode("t", { documentType: object({ w: field(wide) }) }).rows;
  assert.equal(row.length, "w: ".length + 40);
  assert.ok(row.endsWith("…"));
  assert.equal(typeText({ type: "array", value: { type: "union", value: [id("a"), { type: "null" }] } }), '(Id<"a"> | null)[]');
});

test("crossings count proper crossings only, not shared ends", () => {
  const edge = (points) => ({ source: "s", target: "t", field: "f", points });
  assert.equal(crossings([edge([[0, 0], [10, 10]]), edge([[0, 10], [10, 0]])]), 1);
  assert.equal(crossings([edge([[0, 0], [10, 10]]), edge([[0, 0], [10, 0]])]), 0);
});

test("an edge through a third node is counted, one ending at its own nodes is not", () => {
  const nodes = [
    { id: "a", x: 0, y: 0, width: 10, height: 10 },
    { id: "b", x: 20, y: 0, width: 10, height: 10 },
    { id: "c", x: 40, y: 0, width: 10, height: 10 },
  ];
  const through = { source: "a", target: "c", field: "f", points: [[10, 5], [40, 5]] };
  const beside = { source: "a", target: "b", field: "f", points: [[10, 5], [20, 5]] };
  assert.equal(edgesThroughNodes({ nodes, edges: [through, beside] }), 1);
  assert.equal(overlappingNodes([...nodes, { id: "d", x: 5, y: 5, width: 10, height: 10 }]), 1);
});

test("packing separates components without overlaps and aims at the aspect ratio", () => {
  const graph = {
    nodes: Array.from({ length: 20 }, (_, i) => ({ id: `n${i}`, width: 100, height: 60 })),
    edges: [{ source: "n0", target: "n1", field: "f" }],
  };
  const components = connectedComponents(graph);
  assert.equal(components.length, 19);
  const laidOut = components.map((component) => ({
    nodes: component.nodes.map((node, i) => ({ ...node, x: i * 140, y: 0 })),
    edges: component.edges.map((edge) => ({ ...edge, points: [[100, 30], [140, 30]] })),
  }));
  const packed = packComponents(laidOut, { gap: 40, aspect: 1 });
  const figures = measure(packed);
  assert.equal(figures.overlappingNodes, 0);
  assert.ok(figures.aspect > 0.5 && figures.aspect < 2, `aspect ${figures.aspect}`);
  assert.equal(packed.nodes[0].id, "n0", "the connected pair comes first");
});

test("edge ends move to the rank side and clear a deeper rank", () => {
  // TB: `a` (short) and `tall` share a rank; `a` references `b` in the next rank.
  const layout = {
    nodes: [
      { id: "a", x: 0, y: 40, width: 100, height: 20 },
      { id: "tall", x: 140, y: 0, width: 100, height: 100 },
      { id: "b", x: 0, y: 200, width: 100, height: 20 },
    ],
    edges: [{ source: "a", target: "b", field: "f", points: [[100, 52], [60, 150], [50, 200]] }],
  };
  const [edge] = endsOnRankSides(layout, "TB").edges;
  assert.deepEqual(edge.points, [[60, 60], [60, 100], [60, 150], [60, 200]]);
});
