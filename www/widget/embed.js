// The iframe form of the widget, for hosts that allow only iframes:
// embed.html#v1=<the playground's share data>&view=schema&theme=dark&focus=messages
// The files travel in the fragment, which the browser never sends to a server.

const MAX_JSON_BYTES = 16 * 1024 * 1024;
const VIEW_OF_TAB = { schema: "schema", coverage: "indexes", reactivity: "reruns", reruns: "reruns", calls: "calls" };

const params = new Map(
  location.hash
    .slice(1)
    .split("&")
    .map((pair) => pair.split("="))
    .filter(([key]) => key)
    .map(([key, ...value]) => [key, decodeURIComponent(value.join("="))]),
);
const main = document.getElementById("view");

try {
  const snapshot = await decode(params.get("v1"));
  const widget = document.createElement("convex-lens-view");
  widget.setAttribute("view", params.get("view") ?? VIEW_OF_TAB[snapshot.tab] ?? "summary");
  for (const name of ["theme", "focus", "height"]) {
    if (params.has(name)) widget.setAttribute(name, params.get(name));
  }
  if (params.has("editable")) widget.setAttribute("editable", "");
  for (const [path, text] of snapshot.files) {
    const script = document.createElement("script");
    script.type = "text/plain";
    script.dataset.path = path;
    script.textContent = text;
    widget.append(script);
  }
  main.replaceChildren(widget);
} catch (error) {
  const message = document.createElement("p");
  message.className = "embed-error";
  message.textContent = `This link holds no backend to show: ${error.message}`;
  main.replaceChildren(message);
}

async function decode(data) {
  if (!data) throw new Error("it has no #v1= part");
  const binary = atob(data.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_JSON_BYTES) throw new Error("it is too big");
    chunks.push(value);
  }
  const snapshot = JSON.parse(new TextDecoder().decode(await new Blob(chunks).arrayBuffer()));
  if (!Array.isArray(snapshot.files)) throw new Error("it is not a convex-lens link");
  return snapshot;
}
