#!/usr/bin/env node
// Ground truth for convex-lens: load Convex functions directories with the
// REAL `convex` npm package (pinned in ./package.json) and print what Convex
// itself sees: tables, functions, HTTP routes, crons, installed components.
//
//   node tests/ground-truth/load.mjs [--out FILE] [--node-path DIR]... [--keep] DIR...
//
// The output contract is documented in ./README.md. Summary of the method:
//
// * Module discovery and runtime selection call the CLI's own code:
//   `entryPoints()`, `determineEnvironment()` / `hasUseNodeDirective()` and
//   `innerEsbuild()` from node_modules/convex/dist/esm/bundler/{index,debugBundle}.js
//   (sources: node_modules/convex/src/bundler/index.ts, debugBundle.ts).
//   Those files are not importable as they are (they import CLI-only packages
//   such as chalk and @sentry/node that `convex` does not install), so at
//   start-up they are bundled once with esbuild, every such package replaced
//   by an inert Proxy; `esbuild` and `@babel/parser` (7.28.5, the version the
//   convex 1.51.0 CLI bundles) are the real ones.
// * Isolate modules (+ the root schema) are bundled in one esbuild call and
//   "use node" modules in a second, exactly as `configFromProjectConfig()` in
//   src/cli/lib/config.ts does (platform browser / node, conditions
//   ["convex","module"], splitting, NODE_ENV=production, minify, keepNames).
//   If a bundle fails, each entry point is bundled alone to attribute errors.
// * `_generated/{server,api,dataModel}` imports are replaced by what
//   `npx convex codegen` writes (src/cli/codegen_templates/server.ts, api.ts,
//   component_api.ts); the files on disk (if any) are never used.
// * Bare imports resolve from the importer's own node_modules, else from
//   tests/ground-truth/node_modules (and any --node-path DIR); packages found
//   nowhere become a Proxy stub and are listed in `stubbed`.
// * Bundles are written to a temp dir and `import()`ed; exports are
//   classified like the backend's analyze step (crates/isolate/src/
//   environment/analyze.rs, see shared/reference/convex-api.md §1.5).
// * convex.config.ts: child component configs are replaced by
//   `{ componentDefinitionPath, defaultName }` like
//   src/cli/lib/components/definition/bundle.ts + the backend do; defaultName
//   is learned by loading the child's own convex.config.
import * as esbuild from "esbuild";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire, isBuiltin } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const GT_DIR = path.dirname(fileURLToPath(import.meta.url));
const requireGt = createRequire(path.join(GT_DIR, "load.mjs"));
const IMPORT_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------- arguments
function usage(msg) {
  if (msg) process.stderr.write(`load.mjs: ${msg}\n`);
  process.stderr.write(
    "usage: node tests/ground-truth/load.mjs [--out FILE] [--node-path DIR]... [--keep] FUNCTIONS_DIR...\n",
  );
  process.exit(2);
}
const argv = process.argv.slice(2);
let outFile = null;
let keepTmp = false;
const extraNodePaths = [];
const dirs = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--out") outFile = argv[++i] ?? usage("--out needs a file");
  else if (a === "--node-path") extraNodePaths.push(argv[++i] ?? usage("--node-path needs a dir"));
  else if (a === "--keep") keepTmp = true;
  else if (a === "-h" || a === "--help") usage();
  else if (a.startsWith("--")) usage(`unknown option ${a}`);
  else dirs.push(a);
}
if (dirs.length === 0) usage("no functions directory given");

// Directories whose node_modules serve as fallback for bare imports (like
// esbuild's nodePaths). A "--node-path x/node_modules" is taken as "x".
const fallbackResolveDirs = [GT_DIR, ...extraNodePaths.map((p) => {
  const abs = path.resolve(p);
  return path.basename(abs) === "node_modules" ? path.dirname(abs) : abs;
})];

// User code may print; keep stdout for the JSON.
for (const m of ["log", "info", "debug", "warn", "trace"]) {
  console[m] = (...args) => process.stderr.write(args.map(String).join(" ") + "\n");
}

const TMP_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), "convex-ground-truth-"));
fs.writeFileSync(path.join(TMP_ROOT, "package.json"), '{"type":"module"}\n');

// Errors thrown asynchronously by user code are charged to the dir being loaded.
let currentErrors = null;
function asyncError(e) {
  const entry = { module: "<async>", message: errMessage(e) };
  if (currentErrors) currentErrors.push(entry);
  else process.stderr.write(`load.mjs: async error outside a dir: ${entry.message}\n`);
}
process.on("unhandledRejection", asyncError);
process.on("uncaughtException", asyncError);

// Messages are made independent of the cwd and of the temp dir: esbuild
// locations are given relative to the functions dir being loaded.
let currentDir = null;
function errMessage(e) {
  let msg;
  if (e && Array.isArray(e.errors) && e.errors.length && e.errors[0].text !== undefined) {
    msg = e.errors.map(fmtEsbuildMessage).join("\n");
  } else if (e instanceof Error) msg = e.message;
  else msg = String(e);
  return msg.split(pathToFileURL(TMP_ROOT).href).join("<tmp>").split(TMP_ROOT).join("<tmp>");
}
function fmtEsbuildMessage(m) {
  let loc = "";
  if (m.location) {
    const abs = path.resolve(m.location.file);
    const file = currentDir ? posix(path.relative(currentDir, abs)) : m.location.file;
    loc = `${file}:${m.location.line}:${m.location.column}: `;
  }
  return `${loc}${m.text}`;
}

// ------------------------------------------------------ stub (Proxy) module
// Any property read, call or construction gives the stub back; `then` and
// `__esModule` are undefined so it is neither a thenable nor an ES namespace.
// The prototype trick makes esbuild's __toESM() interop see every named export.
const STUB_SOURCE = `
const mk = () => {
  const h = {
    get: (t, p) => p === Symbol.toPrimitive ? () => "" : (p === "then" || p === "__esModule") ? undefined : P,
    apply: () => P,
    construct: () => P,
    getPrototypeOf: () => Q,
  };
  const Q = new Proxy({}, { get: h.get });
  const P = new Proxy(function stub() {}, h);
  return P;
};
module.exports = mk();
`;

// --------------------------------------------- the convex CLI's own bundler
async function loadCliBundler() {
  const convexDir = path.dirname(requireGt.resolve("convex/package.json"));
  const bundlerDir = path.join(convexDir, "dist", "esm", "bundler");
  const real = {
    esbuild: requireGt.resolve("esbuild"),
    "@babel/parser": requireGt.resolve("@babel/parser"),
  };
  const res = await esbuild.build({
    stdin: {
      contents: `
        export { entryPoints, mustBeIsolate, hasUseNodeDirective, determineEnvironment } from "./index.js";
        export { innerEsbuild } from "./debugBundle.js";
        export { serverOnlyPlugin } from "./serverOnly.js";
        export { wasmPlugin } from "./wasm.js";
        export { nodeFs } from "./fs.js";`,
      resolveDir: bundlerDir,
      loader: "js",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
    plugins: [{
      name: "cli-deps",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (a) => {
          if (isBuiltin(a.path)) return { path: a.path, external: true };
          if (real[a.path]) return { path: real[a.path], external: true };
          return { path: a.path, namespace: "cli-stub" };
        });
        b.onLoad({ filter: /.*/, namespace: "cli-stub" }, () => ({ contents: STUB_SOURCE, loader: "js" }));
        // hasUseNodeDirective/determineEnvironment are module-private: export them.
        b.onLoad({ filter: /[\\/]dist[\\/]esm[\\/]bundler[\\/]index\.js$/ }, (a) => ({
          contents: fs.readFileSync(a.path, "utf8") +
            "\nexport { hasUseNodeDirective, determineEnvironment };\n",
          loader: "js",
        }));
      },
    }],
  });
  const file = path.join(TMP_ROOT, "convex-cli-bundler.js");
  fs.writeFileSync(file, res.outputFiles[0].text);
  return await import(pathToFileURL(file).href);
}

// ------------------------------------------------------ codegen equivalents
// src/cli/codegen_templates/server.ts (js/dts mode) and api.ts /
// component_api.ts: runtime content of the generated files.
const GENERATED = {
  server: `
import { actionGeneric, httpActionGeneric, queryGeneric, mutationGeneric,
  internalActionGeneric, internalMutationGeneric, internalQueryGeneric } from "convex/server";
export const query = queryGeneric;
export const internalQuery = internalQueryGeneric;
export const mutation = mutationGeneric;
export const internalMutation = internalMutationGeneric;
export const action = actionGeneric;
export const internalAction = internalActionGeneric;
export const httpAction = httpActionGeneric;
export const env = process.env;
`,
  api: `
import { anyApi, componentsGeneric } from "convex/server";
export const api = anyApi;
export const internal = anyApi;
export const components = componentsGeneric();
`,
  // types only (dataModel.d.ts / dataModel.ts)
  dataModel: "export {};\n",
};
const GENERATED_RE = /(^|\/)_generated\/(server|api|dataModel)(\.(?:js|mjs|cjs|ts|mts|cts|jsx|tsx))?$/;

function packageName(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

// Resolution plugin shared by all builds of one functions dir.
function resolvePlugin(state) {
  return {
    name: "ground-truth-resolve",
    setup(build) {
      build.onResolve({ filter: GENERATED_RE }, (args) => {
        if (args.pluginData?.gtSkip) return undefined;
        const m = GENERATED_RE.exec(args.path);
        const which = m[2];
        const isRelative = args.path.startsWith(".") || args.path.startsWith("/");
        const virtualPath = isRelative
          ? path.join(path.resolve(args.resolveDir, path.dirname(args.path)), which)
          : `${args.resolveDir}|${args.path.slice(0, args.path.length - (m[3]?.length ?? 0))}`;
        return {
          path: virtualPath,
          namespace: "convex-generated",
          pluginData: { which, resolveDir: isRelative ? path.dirname(virtualPath) : args.resolveDir },
        };
      });
      build.onLoad({ filter: /.*/, namespace: "convex-generated" }, (args) => ({
        contents: GENERATED[args.pluginData.which],
        loader: "js",
        resolveDir: args.pluginData.resolveDir,
      }));

      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.gtSkip) return undefined;
        if (args.namespace === "gt-stub") return undefined;
        if (isBuiltin(args.path)) return undefined; // esbuild decides (external for node, error for browser)
        if (!args.resolveDir) return undefined;
        const opts = {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { gtSkip: true },
        };
        const first = await build.resolve(args.path, opts);
        if (first.errors.length === 0) return undefined; // normal resolution works: let esbuild do it
        for (const dir of fallbackResolveDirs) {
          const r = await build.resolve(args.path, { ...opts, resolveDir: dir });
          if (r.errors.length === 0) {
            return {
              path: r.path,
              namespace: r.namespace,
              external: r.external,
              sideEffects: r.sideEffects,
              suffix: r.suffix || undefined,
            };
          }
        }
        state.stubbed.add(packageName(args.path));
        return { path: args.path, namespace: "gt-stub" };
      });
      build.onLoad({ filter: /.*/, namespace: "gt-stub" }, () => ({ contents: STUB_SOURCE, loader: "js" }));
    },
  };
}

// ------------------------------------------------------------------ helpers
const posix = (p) => p.split(path.sep).join("/");
const stripExt = (p) => p.replace(/\.[^/.]+$/, "");

async function importWithTimeout(file) {
  let timer;
  try {
    return await Promise.race([
      import(pathToFileURL(file).href),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`import timed out after ${IMPORT_TIMEOUT_MS} ms`)), IMPORT_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

let tmpCounter = 0;
function freshTmpDir(label) {
  const d = path.join(TMP_ROOT, `${String(++tmpCounter).padStart(3, "0")}-${label.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(-60)}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

// Bundle a group of entry points the way `bundle()` in src/bundler/index.ts
// does and write the output under outDir. Returns Map<absEntry, absOutFile>;
// entries that cannot be bundled get an error instead.
async function bundleGroup(cli, state, absDir, entries, platform, outDir, errors) {
  const outputs = new Map();
  if (entries.length === 0) return outputs;
  const run = (eps) =>
    cli.innerEsbuild({
      entryPoints: eps,
      platform,
      dir: absDir,
      extraConditions: [],
      generateSourceMaps: false,
      // CLI order: serverOnlyPlugin, external.plugin (no-op without
      // node.externalPackages), wasmPlugin.
      plugins: [cli.serverOnlyPlugin, resolvePlugin(state), cli.wasmPlugin],
      chunksFolder: platform === "node" ? path.join("_deps", "node") : "_deps",
      logLevel: "silent",
    });
  const write = (result) => {
    const outBase = path.resolve("out");
    const byOut = new Map();
    for (const f of result.outputFiles) {
      const rel = path.relative(outBase, f.path);
      const dest = path.join(outDir, rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      let text = f.text;
      // "use node" bundles may contain CommonJS code calling require().
      if (platform === "node" && dest.endsWith(".js")) {
        text = `import { createRequire as __gtCreateRequire } from "node:module"; const require = __gtCreateRequire(import.meta.url);\n${text}`;
      }
      fs.writeFileSync(dest, text);
      byOut.set(path.resolve(f.path), dest);
    }
    for (const [outKey, meta] of Object.entries(result.metafile.outputs)) {
      if (!meta.entryPoint) continue;
      const dest = byOut.get(path.resolve(outKey));
      if (dest) outputs.set(path.resolve(meta.entryPoint), dest);
    }
  };
  try {
    const result = await run(entries);
    if (result.errors.length) throw result;
    write(result);
    return outputs;
  } catch {
    // Attribute failures: bundle each entry point alone.
    for (const ep of entries) {
      try {
        const result = await run([ep]);
        if (result.errors.length) throw result;
        write(result);
        if (!outputs.has(path.resolve(ep))) throw new Error("esbuild produced no output for this entry point");
      } catch (e) {
        errors.push({ module: posix(path.relative(absDir, ep)), message: `bundle: ${errMessage(e)}` });
      }
    }
    return outputs;
  }
}

// ------------------------------------------------------------ components
// Emulates the CLI (componentPlugin in src/cli/lib/components/definition/
// bundle.ts) + backend: every import of a child `convex.config` becomes
// `{ componentDefinitionPath, defaultName }`.
function componentDirOf(resolvedConfig) {
  const dir = path.dirname(resolvedConfig);
  return fs.existsSync(path.join(dir, "convex.config.ts")) || fs.existsSync(path.join(dir, "convex.config.js"))
    ? dir
    : null;
}

async function evaluateConfig(configFile, rootDir, state, errors, loading = new Set()) {
  const absConfig = path.resolve(configFile);
  loading.add(absConfig);
  const relModule = posix(path.relative(rootDir, absConfig));
  const componentPlugin = {
    name: "ground-truth-components",
    setup(build) {
      build.onResolve({ filter: /.*convex.config.*/ }, async (args) => {
        if (args.kind === "entry-point" || args.pluginData?.gtSkip) return undefined;
        if (args.namespace !== "file") return undefined;
        const candidates = [args.path];
        const ext = path.extname(args.path);
        if (ext === ".js") candidates.push(args.path.slice(0, -3) + ".ts");
        if (ext !== ".js" && ext !== ".ts") candidates.push(args.path + ".js", args.path + ".ts");
        let resolved;
        outer: for (const resolveDir of [args.resolveDir, ...(/^[./]/.test(args.path) ? [] : fallbackResolveDirs)]) {
          for (const c of candidates) {
            const r = await build.resolve(c, { kind: args.kind, resolveDir, importer: args.importer, pluginData: { gtSkip: true } });
            if (r.errors.length === 0 && r.path) { resolved = r.path; break outer; }
          }
        }
        if (resolved !== undefined && !componentDirOf(resolved)) return undefined; // not a component
        return {
          path: `${resolved ?? "<unresolved>"}?${args.path}`,
          namespace: "convex-component-definition",
          pluginData: { resolved, specifier: args.path },
        };
      });
      build.onLoad({ filter: /.*/, namespace: "convex-component-definition" }, async (args) => {
        const { resolved, specifier } = args.pluginData;
        let defaultName = null;
        let definitionPath;
        if (resolved === undefined) {
          if (!/^[./]/.test(specifier)) state.stubbed.add(packageName(specifier));
          errors.push({ module: relModule, message: `cannot resolve component definition "${specifier}"` });
          definitionPath = specifier.replace(/\/convex\.config.*$/, "");
        } else {
          const childDir = componentDirOf(resolved);
          definitionPath = posix(path.relative(rootDir, childDir));
          defaultName = await componentDefaultName(resolved, rootDir, state, errors, loading);
        }
        const def = { componentDefinitionPath: definitionPath, defaultName: defaultName ?? undefined, __gtSpecifier: specifier };
        return { contents: `export default ${JSON.stringify(def)};`, loader: "js" };
      });
    },
  };
  // sharedEsbuildOptions() in src/cli/lib/components/definition/bundle.ts
  const result = await esbuild.build({
    entryPoints: [absConfig],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "esnext",
    conditions: ["convex", "module"],
    splitting: false,
    write: false,
    outdir: path.join(TMP_ROOT, "cfg-out"),
    minify: true,
    keepNames: true,
    metafile: true,
    logLevel: "silent",
    plugins: [componentPlugin, resolvePlugin(state)],
  });
  const outJs = result.outputFiles.find((f) => f.path.endsWith(".js"));
  const dest = path.join(freshTmpDir("config"), "convex.config.js");
  fs.writeFileSync(dest, outJs.text);
  const ns = await importWithTimeout(dest);
  loading.delete(absConfig);
  return ns.default;
}

// abs config path -> { name: string | null, errors: [{file, message}] }; the
// errors are replayed for every directory that installs the component.
const defaultNameCache = new Map();
async function componentDefaultName(configFile, rootDir, state, errors, loading) {
  const abs = path.resolve(configFile);
  const replay = (cached) => {
    for (const e of cached.errors) errors.push({ module: posix(path.relative(rootDir, e.file)), message: e.message });
    return cached.name;
  };
  if (defaultNameCache.has(abs)) return replay(defaultNameCache.get(abs));
  if (loading.has(abs)) return null; // cycle
  const cached = { name: null, errors: [] };
  const childErrors = [];
  try {
    const def = await evaluateConfig(abs, path.dirname(abs), state, childErrors, loading);
    cached.name = typeof def?._name === "string" ? def._name : null;
    if (cached.name === null) cached.errors.push({ file: abs, message: "component config's default export is not a defineComponent() definition" });
  } catch (e) {
    cached.errors.push({ file: abs, message: `component config: ${errMessage(e)}` });
  }
  // Errors of the child's own children were recorded relative to the child's dir.
  for (const e of childErrors) cached.errors.push({ file: path.resolve(path.dirname(abs), e.module), message: e.message });
  defaultNameCache.set(abs, cached);
  return replay(cached);
}

// ---------------------------------------------------------- one directory
async function analyzeDir(cli, dirArg) {
  const absDir = path.resolve(dirArg);
  const errors = [];
  currentErrors = errors;
  currentDir = absDir;
  const state = { stubbed: new Set() };
  const out = {
    tables: [],
    schemaValidation: null,
    functions: [],
    httpRoutes: [],
    crons: [],
    components: [],
    stubbed: [],
    errors,
  };
  if (!fs.existsSync(absDir) || !fs.statSync(absDir).isDirectory()) {
    errors.push({ module: ".", message: `not a directory: ${dirArg}` });
    return out;
  }
  const ctx = {
    fs: cli.nodeFs,
    crash: async (opts) => {
      throw new Error(opts?.printedMessage ?? `CLI crash (${opts?.errorType ?? "unknown"})`);
    },
  };

  // 1. module discovery (the CLI's own entryPoints()) and runtime selection.
  let entries = [];
  try {
    entries = await cli.entryPoints(ctx, absDir);
  } catch (e) {
    errors.push({ module: ".", message: `entryPoints: ${errMessage(e)}` });
  }
  const isolate = [];
  const node = [];
  const runtimeOf = new Map();
  for (const ep of entries) {
    let env;
    try {
      env = await cli.determineEnvironment(ctx, absDir, ep);
    } catch (e) {
      // The CLI would abort the push ("use node" in http/crons/..., or
      // actions/ without "use node"); record it and go on with the directive.
      errors.push({ module: posix(path.relative(absDir, ep)), message: errMessage(e) });
      env = cli.hasUseNodeDirective(ctx, ep) ? "node" : "isolate";
    }
    runtimeOf.set(ep, env);
    (env === "node" ? node : isolate).push(ep);
  }
  let schemaFile = path.join(absDir, "schema.ts");
  if (!fs.existsSync(schemaFile)) schemaFile = path.join(absDir, "schema.js");
  if (!fs.existsSync(schemaFile)) schemaFile = null;

  // 2. bundle (isolate + schema in one call, node in another), write, import.
  const outDir = freshTmpDir(posix(path.relative(process.cwd(), absDir)) || "dir");
  const outputs = new Map([
    ...(await bundleGroup(cli, state, absDir, schemaFile ? [...isolate, schemaFile] : isolate, "browser", outDir, errors)),
    ...(await bundleGroup(cli, state, absDir, node, "node", outDir, errors)),
  ]);
  const loaded = new Map(); // module path -> namespace
  for (const ep of entries) {
    const file = outputs.get(path.resolve(ep));
    if (!file) continue;
    const rel = posix(path.relative(absDir, ep));
    try {
      loaded.set(stripExt(rel), await importWithTimeout(file));
    } catch (e) {
      errors.push({ module: rel, message: `import: ${errMessage(e)}` });
    }
  }

  // 3. functions (analyze.rs: every own export with exactly one of
  //    isQuery/isMutation/isAction; isHttp values reported as httpAction).
  for (const ep of entries) {
    const rel = posix(path.relative(absDir, ep));
    const modulePath = stripExt(rel);
    const ns = loaded.get(modulePath);
    if (!ns) continue;
    const runtime = runtimeOf.get(ep);
    for (const name of Object.getOwnPropertyNames(ns)) {
      let value;
      try {
        value = ns[name];
      } catch (e) {
        errors.push({ module: rel, message: `export ${name}: ${errMessage(e)}` });
        continue;
      }
      if (value === null || (typeof value !== "object" && typeof value !== "function")) continue;
      const isQuery = "isQuery" in value;
      const isMutation = "isMutation" in value;
      const isAction = "isAction" in value;
      const path_ = `${modulePath}:${name}`;
      if (isQuery + isMutation + isAction === 1) {
        const isPublic = "isPublic" in value;
        const isInternal = "isInternal" in value;
        if (isPublic && isInternal) {
          errors.push({ module: rel, message: `export ${name}: both isPublic and isInternal; skipped (as the backend does)` });
          continue;
        }
        const fn = {
          path: path_,
          kind: isQuery ? "query" : isMutation ? "mutation" : "action",
          visibility: isPublic ? "public" : isInternal ? "internal" : null,
          runtime,
          args: null,
          returns: null,
        };
        for (const [key, method] of [["args", "exportArgs"], ["returns", "exportReturns"]]) {
          try {
            if (typeof value[method] === "function") fn[key] = JSON.parse(value[method]());
          } catch (e) {
            errors.push({ module: rel, message: `export ${name}: ${method}(): ${errMessage(e)}` });
          }
        }
        out.functions.push(fn);
      } else if (isQuery + isMutation + isAction === 0 && "isHttp" in value) {
        out.functions.push({ path: path_, kind: "httpAction", visibility: null, runtime, args: null, returns: null });
      }
    }
  }
  out.functions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // 4. schema
  if (schemaFile) {
    const rel = posix(path.relative(absDir, schemaFile));
    const file = outputs.get(path.resolve(schemaFile));
    if (file) {
      try {
        const ns = await importWithTimeout(file);
        const schema = ns.default;
        if (schema === undefined) throw new Error("Schema file missing default export.");
        if (typeof schema?.export !== "function") throw new Error("Default export from schema file isn't a Convex schema.");
        const exported = JSON.parse(schema.export());
        out.tables = exported.tables;
        out.schemaValidation = exported.schemaValidation;
      } catch (e) {
        errors.push({ module: rel, message: `schema: ${errMessage(e)}` });
      }
    }
  }

  // 5. http router (root http.*) and crons (root crons.*)
  const httpEp = entries.find((ep) => stripExt(posix(path.relative(absDir, ep))) === "http");
  if (httpEp && loaded.has("http")) {
    const rel = posix(path.relative(absDir, httpEp));
    try {
      const router = loaded.get("http").default;
      if (!router || router.isRouter !== true) throw new Error("default export of http.js must be an HttpRouter (isRouter === true)");
      out.httpRoutes = router.getRoutes().map(([p, method]) => ({ path: p, method }));
    } catch (e) {
      errors.push({ module: rel, message: `http: ${errMessage(e)}` });
    }
  }
  const cronsEp = entries.find((ep) => stripExt(posix(path.relative(absDir, ep))) === "crons");
  if (cronsEp && loaded.has("crons")) {
    const rel = posix(path.relative(absDir, cronsEp));
    try {
      const crons = loaded.get("crons").default;
      if (!crons || crons.isCrons !== true) throw new Error("default export of crons.js must be a Crons object (isCrons === true)");
      const exported = JSON.parse(crons.export());
      out.crons = Object.entries(exported)
        .map(([identifier, job]) => ({ name: identifier, function: job.name, args: job.args, schedule: job.schedule }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      errors.push({ module: rel, message: `crons: ${errMessage(e)}` });
    }
  }

  // 6. components (root convex.config.ts, else .js, as isComponentDirectory())
  let configFile = path.join(absDir, "convex.config.ts");
  if (!fs.existsSync(configFile)) configFile = path.join(absDir, "convex.config.js");
  if (fs.existsSync(configFile)) {
    const rel = posix(path.relative(absDir, configFile));
    try {
      const def = await evaluateConfig(configFile, absDir, state, errors);
      if (!def || typeof def.export !== "function") throw new Error("default export is not a defineApp()/defineComponent() definition");
      const exported = def.export();
      const installed = def._childComponents ?? [];
      const mounts = exported.httpMounts ?? {};
      out.components = exported.childComponents.map((child, i) => {
        const prefix = Object.keys(mounts).find((k) => mounts[k] === `_reference/childComponent/${child.name}`);
        return {
          name: child.name,
          definition: installed[i]?.[1]?.__gtSpecifier ?? child.path,
          httpPrefix: prefix ?? null,
        };
      });
    } catch (e) {
      errors.push({ module: rel, message: `components: ${errMessage(e)}` });
    }
  }

  out.stubbed = [...state.stubbed].sort();
  currentErrors = null;
  currentDir = null;
  return out;
}

// ------------------------------------------------------------------- main
const t0 = performance.now();
const cli = await loadCliBundler();
const results = {};
for (const d of dirs) {
  const t = performance.now();
  try {
    results[d] = await analyzeDir(cli, d);
  } catch (e) {
    results[d] = {
      tables: [], schemaValidation: null, functions: [], httpRoutes: [], crons: [], components: [], stubbed: [],
      errors: [{ module: ".", message: `harness: ${e?.stack ?? e}` }],
    };
  }
  currentErrors = null;
  const r = results[d];
  process.stderr.write(
    `load.mjs: ${d}: ${r.functions.length} functions, ${r.tables.length} tables, ${r.errors.length} errors (${Math.round(performance.now() - t)} ms)\n`,
  );
}
const json = JSON.stringify(results, null, 2) + "\n";
if (!keepTmp) fs.rmSync(TMP_ROOT, { recursive: true, force: true });
else process.stderr.write(`load.mjs: bundles kept in ${TMP_ROOT}\n`);
process.stderr.write(`load.mjs: ${dirs.length} dirs in ${Math.round(performance.now() - t0)} ms\n`);
// User modules may leave timers or handles open: exit explicitly, after
// stdout has been flushed.
if (outFile) {
  fs.writeFileSync(outFile, json);
  process.exit(0);
} else {
  process.stdout.write(json, () => process.exit(0));
}
