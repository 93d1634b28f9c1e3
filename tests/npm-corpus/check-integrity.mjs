#!/usr/bin/env node
// Fails (exit 1) unless every package of npm-components.tsv with
// ships_ts_source=yes is in package-lock.json, as a direct dependency, at the
// TSV's version and with exactly the TSV's sha512 integrity.
// With --installed, also checks node_modules/<pkg>/package.json versions.
//
//   node tests/npm-corpus/check-integrity.mjs [--installed]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const checkInstalled = process.argv.includes("--installed");

const lines = fs.readFileSync(path.join(here, "npm-components.tsv"), "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
const header = lines.shift().split("\t");
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`npm-components.tsv: no column "${name}"`);
  return i;
};
const [iPkg, iVer, iTs, iInt] = ["package", "version", "ships_ts_source", "integrity"].map(col);

const lock = JSON.parse(fs.readFileSync(path.join(here, "package-lock.json"), "utf8"));
const manifest = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"));
const packages = lock.packages ?? {};

const problems = [];
let checked = 0;
for (const line of lines) {
  const f = line.split("\t");
  if (f[iTs] !== "yes") continue;
  checked++;
  const name = f[iPkg];
  const version = f[iVer];
  const integrity = f[iInt];
  if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(integrity ?? "")) {
    problems.push(`${name}: the TSV has no sha512 integrity ("${integrity ?? ""}")`);
    continue;
  }
  if (manifest.dependencies?.[name] !== version) {
    problems.push(`${name}: package.json asks for "${manifest.dependencies?.[name]}", the TSV pins ${version}`);
  }
  const entry = packages[`node_modules/${name}`];
  if (!entry) {
    problems.push(`${name}: not in package-lock.json (expected node_modules/${name})`);
    continue;
  }
  if (entry.version !== version) {
    problems.push(`${name}: package-lock.json has version ${entry.version}, the TSV pins ${version}`);
  }
  if (entry.integrity !== integrity) {
    problems.push(`${name}@${version}: integrity mismatch\n    lockfile: ${entry.integrity}\n    TSV:      ${integrity}`);
  }
  if (checkInstalled) {
    const pj = path.join(here, "node_modules", name, "package.json");
    if (!fs.existsSync(pj)) problems.push(`${name}: not installed (${pj} missing)`);
    else {
      const v = JSON.parse(fs.readFileSync(pj, "utf8")).version;
      if (v !== version) problems.push(`${name}: installed version ${v}, the TSV pins ${version}`);
    }
  }
}

if (checked === 0) problems.push("npm-components.tsv lists no package with ships_ts_source=yes");
if (problems.length) {
  process.stderr.write(`npm corpus integrity check FAILED (${problems.length} problem(s) in ${checked} packages):\n`);
  for (const p of problems) process.stderr.write(`  - ${p}\n`);
  process.exit(1);
}
process.stdout.write(`npm corpus integrity OK: ${checked} packages match npm-components.tsv (version and sha512)${checkInstalled ? ", installed versions too" : ""}\n`);
