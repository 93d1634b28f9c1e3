//! Field-by-field comparison of what convex-lens extracts with what the real `convex` package
//! reports (`load.mjs`), and the bookkeeping of known, explained differences.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// One difference between convex-lens and Convex: where, what, and both sides.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub target: String,
    /// `table messages documentType`, `function chat:send args`, ...
    pub item: String,
    pub detail: String,
}

/// Counts of compared items per category: (equal, compared).
#[derive(Default, Debug)]
pub struct Tally(pub BTreeMap<&'static str, (usize, usize)>);

impl Tally {
    fn count(&mut self, category: &'static str, equal: bool) {
        let entry = self.0.entry(category).or_default();
        entry.0 += usize::from(equal);
        entry.1 += 1;
    }

    pub fn report(&self) -> String {
        self.0
            .iter()
            .map(|(category, (equal, total))| {
                let percent = if *total == 0 { 100.0 } else { 100.0 * *equal as f64 / *total as f64 };
                format!("  {category:<22} {equal:>5} / {total:<5} {percent:6.2} %\n")
            })
            .collect()
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root")
}

/// Runs the harness on functions directories (relative to the repository root).
pub fn ground_truth(dirs: &[String]) -> BTreeMap<String, Value> {
    let root = repo_root();
    let harness = root.join("tests/ground-truth");
    assert!(
        harness.join("node_modules/convex").is_dir(),
        "the harness's npm packages are missing: run `cargo xtask test`, or `npm ci --ignore-scripts` in tests/ground-truth"
    );
    let out = root.join("target/ground-truth").join(format!("truth-{}.json", std::process::id()));
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let status = Command::new("node")
        .arg(harness.join("load.mjs"))
        .arg("--out")
        .arg(&out)
        .args(dirs)
        .current_dir(&root)
        .status()
        .expect("node runs");
    assert!(status.success(), "load.mjs failed");
    let json: BTreeMap<String, Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let _ = std::fs::remove_file(&out);
    json
}

/// What `convex-lens inspect --json` prints for a directory (relative to the repository root);
/// without `packages`, what `--no-packages` and the playground (which reads no `node_modules`)
/// give.
pub fn engine(dir: &str, packages: bool) -> Value {
    let project = convex_lens::read_project(&repo_root().join(dir), packages).expect("the project is readable");
    let analysis = convex_lens::analyze_on_big_stack(project.files, project.functions_dir).expect("the analysis runs");
    serde_json::to_value(analysis.inspection()).unwrap()
}

fn by_key<'a>(items: &'a Value, key: &str) -> BTreeMap<String, &'a Value> {
    items.as_array().into_iter().flatten().map(|item| (item[key].as_str().unwrap_or("").to_owned(), item)).collect()
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 160 { format!("{}…", &text[..text.floor_char_boundary(160)]) } else { text }
}

/// Compares one target; mismatches are appended, counts tallied.
pub fn compare(target: &str, truth: &Value, engine: &Value, tally: &mut Tally, mismatches: &mut Vec<Mismatch>) {
    let mut mismatch = |item: String, detail: String| mismatches.push(Mismatch { target: target.to_owned(), item, detail });
    for error in truth["errors"].as_array().into_iter().flatten() {
        mismatch(format!("harness error {}", error["module"].as_str().unwrap_or("")), short(&error["message"]));
    }
    // The real package loads every file the engine reads, so an error there is the engine's.
    for diagnostic in engine["diagnostics"].as_array().into_iter().flatten().filter(|d| d["severity"] == "error") {
        let file = diagnostic["location"]["file"].as_str().unwrap_or("");
        mismatch(format!("engine error in {file}:{}", diagnostic["location"]["line"]), short(&diagnostic["message"]));
    }
    let engine_tables = by_key(&engine["tables"], "tableName");
    for (name, table) in by_key(&truth["tables"], "tableName") {
        let found = engine_tables.get(&name);
        tally.count("tables", found.is_some());
        let Some(found) = found else {
            mismatch(format!("table {name}"), "missing".into());
            continue;
        };
        let equal = table["documentType"] == found["documentType"] && table.get("stagedDocumentType") == found.get("stagedDocumentType");
        tally.count("document types", equal);
        if !equal {
            mismatch(format!("table {name} documentType"), format!("convex {} / convex-lens {}", short(&table["documentType"]), short(&found["documentType"])));
        }
        for list in ["indexes", "stagedDbIndexes", "searchIndexes", "stagedSearchIndexes", "vectorIndexes", "stagedVectorIndexes"] {
            for index in table[list].as_array().into_iter().flatten() {
                let present = found[list].as_array().is_some_and(|l| l.contains(index));
                tally.count("indexes", present);
                if !present {
                    mismatch(format!("table {name} {list} {}", index["indexDescriptor"].as_str().unwrap_or("")), short(index));
                }
            }
        }
    }
    for name in engine_tables.keys().filter(|n| !by_key(&truth["tables"], "tableName").contains_key(*n)) {
        mismatch(format!("table {name}"), "extra: Convex has no such table".into());
    }
    let truth_functions = by_key(&truth["functions"], "path");
    let engine_functions = by_key(&engine["functions"], "path");
    for (path, function) in &truth_functions {
        let found = engine_functions.get(path);
        tally.count("functions", found.is_some());
        let Some(found) = found else {
            mismatch(format!("function {path}"), "missing".into());
            continue;
        };
        for field in ["kind", "visibility"] {
            let equal = function[field] == found[field];
            tally.count(if field == "kind" { "kinds" } else { "visibilities" }, equal);
            if !equal {
                mismatch(format!("function {path} {field}"), format!("convex {} / convex-lens {}", function[field], found[field]));
            }
        }
        if function["runtime"] != found["runtime"] {
            mismatch(format!("function {path} runtime"), format!("convex {} / convex-lens {}", function["runtime"], found["runtime"]));
        }
        if function["kind"] == "httpAction" {
            continue;
        }
        for field in ["args", "returns"] {
            let equal = function[field] == found[field];
            tally.count("args and returns", equal);
            if !equal {
                mismatch(format!("function {path} {field}"), format!("convex {} / convex-lens {}", short(&function[field]), short(&found[field])));
            }
        }
    }
    for path in engine_functions.keys().filter(|p| !truth_functions.contains_key(*p)) {
        mismatch(format!("function {path}"), "extra: Convex registers no such function".into());
    }
    let routes = |model: &Value| -> Vec<String> {
        model["httpRoutes"].as_array().into_iter().flatten().map(|r| format!("{} {}", r["method"].as_str().unwrap_or(""), r["path"].as_str().unwrap_or(""))).collect()
    };
    let engine_routes = routes(engine);
    for route in routes(truth) {
        let present = engine_routes.contains(&route);
        tally.count("http routes", present);
        if !present {
            mismatch(format!("route {route}"), "missing".into());
        }
    }
    if routes(truth) != engine_routes && routes(truth).iter().all(|r| engine_routes.contains(r)) {
        mismatch("routes order or extra routes".into(), format!("convex {:?} / convex-lens {:?}", routes(truth), engine_routes));
    }
    let engine_crons = by_key(&engine["crons"], "name");
    for (name, job) in by_key(&truth["crons"], "name") {
        let equal = engine_crons.get(&name).is_some_and(|found| ["function", "args", "schedule"].iter().all(|f| job[*f] == found[*f]));
        tally.count("crons", equal);
        if !equal {
            mismatch(format!("cron {name}"), format!("convex {} / convex-lens {}", short(job), engine_crons.get(&name).map_or("missing".into(), |f| short(f))));
        }
    }
    let names = |model: &Value| -> Vec<String> {
        let mut names: Vec<String> = model["components"].as_array().into_iter().flatten().map(|c| c["name"].as_str().unwrap_or("?").to_owned()).collect();
        names.sort();
        names
    };
    let engine_components = names(engine);
    for name in names(truth) {
        let present = engine_components.contains(&name);
        tally.count("components", present);
        if !present {
            mismatch(format!("component {name}"), "missing".into());
        }
    }
}

/// Known differences, each with its reason: `target<TAB>item<TAB>reason` lines, `#` comments.
pub fn expected(path: &Path) -> BTreeMap<(String, String), String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let target = parts.next().unwrap_or("").to_owned();
            let item = parts.next().unwrap_or("").to_owned();
            let reason = parts.next().unwrap_or("").trim().to_owned();
            assert!(!reason.is_empty(), "{}: every expected mismatch needs a reason: {line}", path.display());
            ((target, item), reason)
        })
        .collect()
}

/// Checks mismatches against the expectation file: new ones and ones that no longer occur both
/// fail, so the file always says exactly where convex-lens differs from Convex and why.
pub fn check(expectations: &Path, mismatches: &[Mismatch], tally: &Tally, title: &str) {
    let expected = expected(expectations);
    let actual: BTreeMap<(String, String), &Mismatch> = mismatches.iter().map(|m| ((m.target.clone(), m.item.clone()), m)).collect();
    let unexpected: Vec<String> = actual
        .iter()
        .filter(|(key, _)| !expected.contains_key(*key))
        .map(|((target, item), m)| format!("{target}\t{item}\t<reason>   ({})", m.detail))
        .collect();
    let fixed: Vec<String> = expected.keys().filter(|key| !actual.contains_key(*key)).map(|(t, i)| format!("{t}\t{i}")).collect();
    eprintln!("{title}: convex-lens against convex@1.51.0\n{}  known differences: {}", tally.report(), expected.len());
    let report = repo_root().join("target/ground-truth").join(format!("{}.txt", title.replace(' ', "-")));
    let _ = std::fs::create_dir_all(report.parent().unwrap());
    let _ = std::fs::write(&report, format!("{title}\n{}", tally.report()));
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "{title} differs from {}:\nnew mismatches (fix them, or add them with a reason):\n{}\nno longer mismatching (remove them):\n{}",
        expectations.display(),
        unexpected.join("\n"),
        fixed.join("\n"),
    );
}

/// Where each `ctx.db` call site of a target resolves: every site (a helper's once, whoever
/// calls it) counts toward "table" when its table is known, and toward "index or scan" when the
/// index it reads is one of the schema (or `by_id` for point reads and writes, or an explicit
/// full scan). Unresolved sites become mismatches carrying the engine's reason, so that the
/// expectation file lists each with why it cannot be known statically.
pub fn resolve_sites(target: &str, engine: &Value, tally: &mut Tally, mismatches: &mut Vec<Mismatch>) {
    // (file:line:column) → (table known, index or scan known, reason when not)
    let mut sites: BTreeMap<String, (bool, bool, Option<String>)> = BTreeMap::new();
    let mut mark = |location: &Value, table: bool, index: bool, reason: Option<String>| {
        let key = format!("{}:{}:{}", location["file"].as_str().unwrap_or(""), location["line"], location["column"]);
        let entry = sites.entry(key).or_insert((true, true, None));
        entry.0 &= table;
        entry.1 &= index;
        if entry.2.is_none() {
            entry.2 = reason;
        }
    };
    for site in engine["coverage"]["sites"].as_array().into_iter().flatten() {
        let table = site["table"].is_string();
        let status = site["status"]["type"].as_str().unwrap_or("");
        let index = table && !matches!(status, "unknown" | "missingIndex");
        let reason = match (table, index) {
            (false, _) => site["table"]["unknown"].as_str().map(str::to_owned),
            (true, false) => site["status"]["reason"].as_str().map(|r| format!("index: {r}")),
            _ => None,
        };
        mark(&site["location"], table, index, reason);
    }
    for facts in engine["facts"].as_array().into_iter().flatten() {
        for write in facts["writes"].as_array().into_iter().flatten() {
            let table = write["table"].is_string();
            mark(&write["site"]["location"], table, table, write["table"]["unknown"].as_str().map(str::to_owned));
        }
    }
    for (site, (table, index, reason)) in sites {
        tally.count("ctx.db sites: table", table);
        tally.count("ctx.db sites: index or scan", index);
        if !(table && index) {
            mismatches.push(Mismatch { target: target.to_owned(), item: format!("site {site}"), detail: reason.unwrap_or_default() });
        }
    }
}
