// The benchmark's input: a schema (`tables` of convex-lens's model JSON, `inspect --json`) as a graph of
// tables (nodes sized by the rows they show) and `v.id` relations (edges).
//
// NODE SIZE RULE (the diagram crate uses the same numbers; this is the one place they live):
// a monospace 12px font at 7.2 px per character; a header row of 26 px with the table name,
// then one 18 px row per top-level field (`name?: type`, the type text cut to 40 characters
// with an ellipsis) and one per index (`by_x (a, b)`; search and vector indexes too); 10 px of
// padding on each side. Width = 2 × 10 + 7.2 × the longest line (header included).

export const NODE_SIZE = Object.freeze({
  charWidth: 7.2,
  headerHeight: 26,
  rowHeight: 18,
  padding: 10,
  maxTypeChars: 40,
});

/** One table of the model as a node: `{ id, width, height, rows }`. */
export function tableNode(id, table) {
  const rows = [...fieldRows(table.documentType), ...indexRows(table)];
  const longest = Math.max(id.length, ...rows.map((row) => row.length));
  return {
    id,
    width: round(2 * NODE_SIZE.padding + NODE_SIZE.charWidth * longest),
    height: NODE_SIZE.headerHeight + NODE_SIZE.rowHeight * rows.length,
    rows,
  };
}

function round(n) {
  return Math.round(n * 10) / 10;
}

function fieldRows(documentType) {
  if (documentType?.type !== "object") return documentType ? [`(document): ${clip(typeText(documentType))}`] : [];
  return Object.entries(documentType.value).map(
    ([name, field]) => `${name}${field.optional ? "?" : ""}: ${clip(typeText(field.fieldType))}`,
  );
}

function indexRows(table) {
  const rows = (table.indexes ?? []).map((index) => `${index.indexDescriptor} (${index.fields.join(", ")})`);
  for (const index of table.searchIndexes ?? []) {
    const filters = index.filterFields?.length ? ` + ${index.filterFields.join(", ")}` : "";
    rows.push(`${index.indexDescriptor} (search ${index.searchField}${filters})`);
  }
  for (const index of table.vectorIndexes ?? []) {
    rows.push(`${index.indexDescriptor} (vector ${index.vectorField}, ${index.dimensions})`);
  }
  return rows;
}

function clip(text) {
  return text.length <= NODE_SIZE.maxTypeChars ? text : `${text.slice(0, NODE_SIZE.maxTypeChars - 1)}…`;
}

/** A validator as TypeScript-like text: `Id<"users">[]`, `{ a: string, b?: number }`, `"x" | null`. */
export function typeText(validator) {
  switch (validator.type) {
    case "id":
      return `Id<"${validator.tableName}">`;
    case "literal":
      return literalText(validator.value);
    case "array":
      return `${wrapUnion(validator.value)}[]`;
    case "record":
      return `Record<${typeText(validator.keys)}, ${typeText(validator.values.fieldType)}>`;
    case "object": {
      const fields = Object.entries(validator.value).map(
        ([name, field]) => `${name}${field.optional ? "?" : ""}: ${typeText(field.fieldType)}`,
      );
      return fields.length ? `{ ${fields.join(", ")} }` : "{}";
    }
    case "union":
      return validator.value.map(typeText).join(" | ");
    default:
      return validator.type;
  }
}

function wrapUnion(validator) {
  const text = typeText(validator);
  return validator.type === "union" ? `(${text})` : text;
}

function literalText(value) {
  if (value && typeof value === "object" && "$integer" in value) {
    return `${Buffer.from(value.$integer, "base64").readBigInt64LE()}n`;
  }
  return JSON.stringify(value);
}

/** The tables each `v.id` inside a validator names, in order of first appearance. */
export function idTargets(validator, found = new Set()) {
  switch (validator?.type) {
    case "id":
      found.add(validator.tableName);
      break;
    case "array":
      idTargets(validator.value, found);
      break;
    case "record":
      idTargets(validator.keys, found);
      idTargets(validator.values.fieldType, found);
      break;
    case "object":
      for (const field of Object.values(validator.value)) idTargets(field.fieldType, found);
      break;
    case "union":
      for (const member of validator.value) idTargets(member, found);
      break;
  }
  return found;
}

/**
 * The graph of several components' schemas: `{ nodes, edges }`, table names prefixed by the
 * component (`agent/messages`) so they stay unique. One edge per (field, target table) for each
 * `v.id` reachable inside a top-level field's validator; self-references are kept; an id of a
 * table the schema does not define (another component's, say) has no edge.
 */
export function schemaGraph(components) {
  const nodes = [];
  const edges = [];
  for (const { prefix, model } of components) {
    const tables = model.tables ?? [];
    const names = new Set(tables.map((table) => table.tableName));
    const qualified = (name) => `${prefix}/${name}`;
    for (const table of tables) {
      nodes.push(tableNode(qualified(table.tableName), table));
      const fields = table.documentType?.type === "object" ? Object.entries(table.documentType.value) : [];
      for (const [field, { fieldType }] of fields) {
        for (const target of idTargets(fieldType)) {
          if (names.has(target)) edges.push({ source: qualified(table.tableName), target: qualified(target), field });
        }
      }
    }
  }
  return { nodes, edges };
}
