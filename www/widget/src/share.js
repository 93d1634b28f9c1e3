// "Open in playground": the same files in the playground's share-link format (`#v1=` and the
// base64url of the snapshot's JSON, raw-deflated by the browser). Nothing is uploaded: the
// files travel in the link's fragment, which browsers never send to a server.

// The playground tab that shows what a view shows.
const TABS = { schema: "schema", indexes: "coverage", reruns: "reactivity", calls: "calls", findings: "overview", summary: "overview" };

export async function playgroundLink(base, files, view) {
  const snapshot = {
    files: files.map((f) => [f.path, f.text]),
    open: files[0]?.path ?? null,
    tab: TABS[view] ?? "overview",
    example: null,
    edited: true,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(snapshot));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const compressed = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = "";
  for (const byte of compressed) binary += String.fromCharCode(byte);
  const base64url = btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${base}#v1=${base64url}`;
}
