// The layout benchmark, end to end (README.md): schemas of real components → graphs → layouts
// by each library → figures, SVGs and PNG screenshots in target/layout-compare/.
//
//   node benches/layout/run.mjs [--runs N]
//   node benches/layout/run.mjs --table      (the table again, from target/layout-compare/results.json)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib } from "node:zlib";

import { schemaGraph } from "./graph.mjs";
import { measure } from "./metrics.mjs";
import { connectedComponents, packComponents } from "./pack.mjs";
import { endsOnRankSides } from "./ends.mjs";
import { svg } from "./svg.mjs";
import { layOut as layOutDagreJs } from "./runners/dagre-js.mjs";
import { layOut as layOutElk } from "./runners/elk.mjs";
import { layOutNative, loadWasm } from "./runners/dagre-rs.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const OUT = path.join(ROOT, "target/layout-compare");
const CORPUS = path.join(ROOT, "tests/npm-corpus/node_modules");
const RUNS = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 21;
const WARMUP_RUNS = 2;
/** The Rust crate as wasm, loaded once built. */
let layOutWasm;

/** Node and rank separation, the same for every library (px). */
const SPACING = { nodeSep: 40, rankSep: 80, edgeSep: 20 };

/**
 * The two schemas, each the union of components' schemas. 30 tables: agent (threads, messages,
 * streams, memories, vector tables by dimension), workflow's journal and steps, workpool's work
 * items (40 relations, 2 of them self-references). 80 tables: those of four more components
 * with relations and of several without (better-auth, authz, revenuecat), as in an app that
 * installs many components: 68 relations, many tables that reference nothing.
 */
const SCHEMAS = {
  30: ["@convex-dev/agent", "@convex-dev/workflow", "@convex-dev/workpool"],
  80: [
    "@convex-dev/agent",
    "@convex-dev/rag",
    "@convex-dev/workflow",
    "@convex-dev/workpool",
    "@convex-dev/better-auth",
    "convex-revenuecat",
    "@djpanda/convex-authz",
    "@convex-dev/resend",
    "@convex-dev/sharded-counter",
  ],
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

async function main() {
  if (process.argv.includes("--table")) {
    const { rows, sizes } = JSON.parse(readFileSync(path.join(OUT, "results.json"), "utf8"));
    console.log(resultsTable(rows, sizes));
    return;
  }
  mkdirSync(OUT, { recursive: true });
  ensureCorpus();
  cargo(["build", "--release", "-p", "convex-lens", "-p", "convex-lens-layout-bench"]);
  const wasm = buildWasm();
  layOutWasm = loadWasm(wasm.gluePath);

  const rows = [];
  for (const [size, packages] of Object.entries(SCHEMAS)) {
    const graph = readSchema(packages, Number(size));
    writeFileSync(path.join(OUT, `graph-${size}.json`), JSON.stringify(graph, null, 1));
    const rowsById = new Map(graph.nodes.map((node) => [node.id, node.rows]));
    const components = connectedComponents(graph);
    console.error(`schema ${size}: ${graph.nodes.length} tables, ${graph.edges.length} relations, ${components.length} connected components (${components.filter((c) => c.nodes.length === 1).length} single tables)`);
    for (const rankdir of ["LR", "TB"]) {
      const options = { rankdir, ...SPACING };
      const runners = layoutRunners(options, `${size}-${rankdir}`);
      const whole = [graph];
      const variants = [
        { key: "dagre-rs", library: "dagre (Rust)", runner: runners.native, wasm: runners.wasm, graphs: whole },
        { key: "dagre-rs-packed", library: "dagre (Rust) + packing", runner: runners.native, wasm: runners.wasm, graphs: components, packed: true },
        { key: "dagre-rs-packed-ends", library: "dagre (Rust) + packing + ends on rank sides", runner: runners.native, graphs: components, packed: true, ends: true },
        { key: "dagre-js", library: "@dagrejs/dagre", runner: runners.dagreJs, graphs: whole },
        { key: "dagre-js-packed", library: "@dagrejs/dagre + packing", runner: runners.dagreJs, graphs: components, packed: true },
        { key: "elk", library: "elkjs", runner: runners.elk, graphs: whole },
      ];
      const times = await interleavedTimes(variants);
      for (const variant of variants) {
        const name = `${variant.key}-${size}-${rankdir}`;
        const layouts = await variant.runner.layOut(variant.graphs);
        const routed = variant.ends ? layouts.map((layout) => endsOnRankSides(layout, rankdir)) : layouts;
        const layout = variant.packed ? packComponents(routed, { gap: SPACING.nodeSep }) : routed[0];
        writeFileSync(path.join(OUT, `${name}.layout.json`), JSON.stringify(layout));
        const figures = measure(layout);
        const row = { name, size: Number(size), rankdir, library: variant.library, ms: median(times.get(variant.key)), ...figures };
        if (variant.wasm) row.wasmMs = median(times.get(`${variant.key}/wasm`));
        rows.push(row);
        const caption = `${variant.library} · ${size}-table schema · ${rankdir} · ${figures.width}×${figures.height} px, ${figures.crossings} crossings, ${figures.edgesThroughNodes} edges through nodes`;
        drawPictures(name, layout, rowsById, caption);
        console.error(`${name}: ${JSON.stringify(row)}`);
      }
    }
  }
  const sizes = { ...downloadSizes(), dagreRsWasm: wasm.sizes };
  writeFileSync(path.join(OUT, "results.json"), JSON.stringify({ runs: RUNS, spacing: SPACING, sizes, rows }, null, 1));
  const table = resultsTable(rows, sizes);
  writeFileSync(path.join(OUT, "results.md"), table);
  console.log(table);
}

function ensureCorpus() {
  if (existsSync(path.join(CORPUS, "@convex-dev/agent"))) return;
  console.error("installing the npm corpus (tests/npm-corpus, about 30 s)");
  execFileSync("npm", ["ci", "--prefix", path.join(ROOT, "tests/npm-corpus"), "--ignore-scripts", "--no-audit", "--no-fund"], { stdio: "inherit" });
}

function cargo(args, env = {}) {
  execFileSync("cargo", args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });
}

/** The model of each component (`convex-lens inspect --json`) as one graph, checked for its size. */
function readSchema(packages, expectedTables) {
  const components = packages.map((pkg) => {
    const dir = path.join(CORPUS, pkg, "src/component");
    const json = execFileSync(path.join(ROOT, "target/release/convex-lens"), ["inspect", dir, "--json"], { maxBuffer: 64 << 20 });
    return { prefix: pkg.split("/").pop().replace(/^convex-/, ""), model: JSON.parse(json) };
  });
  const graph = schemaGraph(components);
  if (graph.nodes.length !== expectedTables) {
    throw new Error(`the ${expectedTables}-table schema has ${graph.nodes.length} tables: the component list needs updating`);
  }
  return graph;
}

/**
 * Each library as `{ layOut(graphs) → layouts, time(graphs) → ms }`, `time` measuring the
 * library's work only: the native binary times itself (graph construction and layout, no JSON);
 * wasm and the JS libraries are timed around the call in this process (wasm includes the JSON
 * crossing into and out of the module).
 */
function layoutRunners(options, label) {
  const binary = path.join(ROOT, "target/release/dagre-layout");
  const request = path.join(OUT, `request-${label}.json`);
  const inProcess = (layOut) => ({
    layOut,
    async time(graphs) {
      const started = performance.now();
      await layOut(graphs);
      return performance.now() - started;
    },
  });
  return {
    native: {
      layOut: (graphs) => layOutNative(binary, request, graphs, options, 1).layouts,
      time: (graphs) => layOutNative(binary, request, graphs, options, 1).ms[0],
    },
    wasm: inProcess((graphs) => layOutWasm(graphs, options)),
    dagreJs: inProcess((graphs) => graphs.map((g) => layOutDagreJs(g, options))),
    elk: inProcess((graphs) => Promise.all(graphs.map((g) => layOutElk(g, options)))),
  };
}

/**
 * Times by variant key (`<key>/wasm` for the wasm twin): `RUNS` rounds, each running every variant once, so that the load of a
 * shared machine falls on all of them alike; the JIT-compiled ones are warmed up first.
 */
async function interleavedTimes(variants) {
  const timed = variants.flatMap((variant) => [
    { key: variant.key, runner: variant.runner, graphs: variant.graphs },
    ...(variant.wasm ? [{ key: `${variant.key}/wasm`, runner: variant.wasm, graphs: variant.graphs }] : []),
  ]);
  const times = new Map(timed.map(({ key }) => [key, []]));
  for (let round = 0; round < WARMUP_RUNS; round++) for (const { runner, graphs } of timed) await runner.time(graphs);
  for (let round = 0; round < RUNS; round++) {
    for (const { key, runner, graphs } of timed) times.get(key).push(await runner.time(graphs));
  }
  return times;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The Rust crate as a page would ship it: the bench's cdylib for wasm32 (the playground's
 * `wasm-release` profile, wasm-bindgen, `wasm-opt -Oz`), with the layout call and without it
 * (`--no-default-features`: the same JSON in and out), so that dagre's size is the difference.
 */
function buildWasm() {
  const wasmDir = path.join(OUT, "wasm");
  mkdirSync(wasmDir, { recursive: true });
  const sizes = {};
  for (const [label, features] of [["without", ["--no-default-features"]], ["with", []]]) {
    cargo(["build", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release", "-p", "convex-lens-layout-bench", "--lib", ...features]);
    const built = path.join(ROOT, "target/wasm32-unknown-unknown/wasm-release/convex_lens_layout_bench.wasm");
    const outDir = path.join(wasmDir, label);
    execFileSync("wasm-bindgen", ["--target", "nodejs", "--out-dir", outDir, built]);
    const wasmFile = path.join(outDir, "convex_lens_layout_bench_bg.wasm");
    execFileSync(wasmOpt(), ["-Oz", wasmFile, "-o", wasmFile]);
    sizes[label] = byteSizes(readFileSync(wasmFile));
  }
  return { gluePath: path.join(wasmDir, "with/convex_lens_layout_bench.js"), sizes };
}

function wasmOpt() {
  const local = path.join(ROOT, "www/node_modules/.bin/wasm-opt");
  if (!existsSync(local)) execFileSync("npm", ["ci", "--prefix", path.join(ROOT, "www"), "--no-audit", "--no-fund"], { stdio: "inherit" });
  return local;
}

/** What a page ships for each JS library: its runner bundled and minified by esbuild. */
function downloadSizes() {
  const sizes = {};
  for (const [key, entry] of [["dagreJs", "runners/dagre-js.mjs"], ["elk", "runners/elk.mjs"]]) {
    const outfile = path.join(OUT, `bundle-${key}.js`);
    execFileSync(path.join(HERE, "node_modules/.bin/esbuild"), [path.join(HERE, entry), "--bundle", "--minify", "--format=esm", "--platform=browser", `--outfile=${outfile}`, "--log-level=error"]);
    sizes[key] = byteSizes(readFileSync(outfile));
  }
  return sizes;
}

function byteSizes(bytes) {
  return { raw: bytes.length, brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length };
}

/**
 * The SVG, and two PNGs through headless Chromium: the whole diagram fitted into 1600×1000
 * (what a viewer shows first) and a 1600×1000 window at 100% centred on the busiest table.
 */
function drawPictures(name, layout, rowsById, caption) {
  const picture = svg(layout, rowsById, caption);
  const svgPath = path.join(OUT, `${name}.svg`);
  writeFileSync(svgPath, picture.text);
  const fit = `<body style="margin:0;background:#eee"><img src="${name}.svg" style="max-width:1600px;max-height:1000px;display:block"></body>`;
  screenshot(fit, path.join(OUT, `${name}-fit.png`));
  const hub = busiestNode(layout);
  const left = Math.max(0, hub.x + hub.width / 2 + picture.dx - 800);
  const top = Math.max(0, hub.y + hub.height / 2 + picture.dy - 500);
  const detail = `<body style="margin:0;overflow:hidden"><img src="${name}.svg" style="position:absolute;left:${-left}px;top:${-top}px"></body>`;
  screenshot(detail, path.join(OUT, `${name}-detail.png`));
}

function busiestNode(layout) {
  const degree = new Map();
  for (const edge of layout.edges) {
    for (const id of [edge.source, edge.target]) degree.set(id, (degree.get(id) ?? 0) + 1);
  }
  return layout.nodes.reduce((best, node) => ((degree.get(node.id) ?? 0) > (degree.get(best.id) ?? 0) ? node : best));
}

function screenshot(html, pngPath) {
  const page = pngPath.replace(/\.png$/, ".html");
  writeFileSync(page, html);
  const profile = mkdtempSync(path.join(tmpdir(), "layout-compare-chromium-"));
  try {
    execFileSync("chromium", [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--hide-scrollbars", `--user-data-dir=${profile}`, `--screenshot=${pngPath}`, "--window-size=1600,1000",
      `file://${page}`,
    ], { stdio: "ignore", timeout: 60_000 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
    rmSync(page, { force: true });
  }
}

/** The figures as a Markdown table; times also as a ratio to the Rust crate's (native, same graph, same direction). */
function resultsTable(rows, sizes) {
  const lines = [
    `Layout time: median of ${RUNS} interleaved rounds on this machine (JS after ${WARMUP_RUNS} warm-up rounds); ×: against dagre (Rust) native on the same input. Figures from the routed polylines.`,
    "",
    "| schema | dir | library | time ms (×) | wasm ms (×) | width × height | aspect | crossings | edges through nodes | overlaps | edge length | longest | edges > 1600 px |",
    "| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const reference = (row) => rows.find((other) => other.name === `dagre-rs${row.name.includes("-packed") ? "-packed" : ""}-${row.size}-${row.rankdir}`);
  const timed = (ms, row) => `${ms.toFixed(1)} (${(ms / reference(row).ms).toFixed(1)}×)`;
  for (const row of rows) {
    const wasm = row.wasmMs === undefined ? "" : timed(row.wasmMs, row);
    lines.push(`| ${row.size} | ${row.rankdir} | ${row.library} | ${timed(row.ms, row)} | ${wasm} | ${row.width} × ${row.height} | ${row.aspect} | ${row.crossings} | ${row.edgesThroughNodes} | ${row.overlappingNodes} | ${row.edgeLength} | ${row.longestEdge} | ${row.edgesOverScreen} |`);
  }
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const delta = sizes.dagreRsWasm.with.brotli - sizes.dagreRsWasm.without.brotli;
  lines.push(
    "",
    "| download (brotli, minified) | size | vs Rust dagre |",
    "| --- | ---: | ---: |",
    `| dagre (Rust), wasm delta of the layout call | ${kib(delta)} (raw ${kib(sizes.dagreRsWasm.with.raw - sizes.dagreRsWasm.without.raw)}) | 1.0× |`,
    `| @dagrejs/dagre (esbuild bundle) | ${kib(sizes.dagreJs.brotli)} (raw ${kib(sizes.dagreJs.raw)}) | ${(sizes.dagreJs.brotli / delta).toFixed(1)}× |`,
    `| elkjs (esbuild bundle of elk.bundled.js) | ${kib(sizes.elk.brotli)} (raw ${kib(sizes.elk.raw)}) | ${(sizes.elk.brotli / delta).toFixed(1)}× |`,
  );
  return lines.join("\n") + "\n";
}
