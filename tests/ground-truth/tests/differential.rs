//! convex-lens against the real `convex` package, on every fixture under `tests/fixtures`, every
//! example of the playground under `www/examples`, and every component of the npm corpus
//! (`tests/npm-corpus`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use convex_lens_ground_truth::{check, compare, engine, ground_truth, repo_root, resolve_sites, Mismatch, Tally};

/// The folders whose every subfolder is a project compared with the package: the fixtures (one
/// per family of syntax) and the playground's examples.
const PROJECT_FOLDERS: [&str; 2] = ["tests/fixtures", "www/examples"];

/// Each project's root and its functions directory: what `convex.json` names, else `convex/`.
fn fixtures() -> Vec<(String, String)> {
    let root = repo_root();
    let mut fixtures: Vec<(String, String)> = PROJECT_FOLDERS
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(root.join(folder)).unwrap_or_else(|e| panic!("{folder}: {e}")).filter_map(|entry| entry.ok()).map(move |entry| (folder, entry))
        })
        .filter(|(_, entry)| entry.path().is_dir())
        .map(|(folder, entry)| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let project = format!("{folder}/{name}");
            let config = std::fs::read_to_string(entry.path().join("convex.json")).ok();
            let functions = config
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .and_then(|json| json["functions"].as_str().map(|d| d.trim_matches('/').trim_start_matches("./").to_owned()))
                .unwrap_or_else(|| "convex".to_owned());
            (project.clone(), format!("{project}/{functions}"))
        })
        .collect();
    // Components installed in the app's own folder (`convex/betterAuth/convex.config.ts`) are
    // projects of their own: the Convex CLI bundles them apart from the app.
    let local: Vec<(String, String)> = fixtures
        .iter()
        .flat_map(|(_, functions)| std::fs::read_dir(root.join(functions)).into_iter().flatten().filter_map(|entry| entry.ok()))
        .filter(|entry| entry.path().join("convex.config.ts").is_file())
        .filter_map(|entry| entry.path().strip_prefix(&root).ok().map(|p| p.to_string_lossy().into_owned()))
        .map(|component| (component.clone(), component))
        .collect();
    fixtures.extend(local);
    fixtures.sort();
    fixtures
}

/// The corpus packages that ship their backend's TypeScript source, and where it is.
fn corpus() -> Vec<String> {
    let list = std::fs::read_to_string(repo_root().join("tests/npm-corpus/npm-components.tsv")).expect("the corpus list");
    list.lines()
        .skip(1)
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            (columns.get(2) == Some(&"yes")).then(|| format!("tests/npm-corpus/node_modules/{}/{}", columns[0], columns[3]))
        })
        .collect()
}

fn run(title: &str, targets: &[(String, String)], truth: &Truth, packages: bool, expectations: &str) {
    let models: Vec<serde_json::Value> = targets.iter().map(|(project, _)| engine(project, packages)).collect();
    compare_all(title, targets, truth, &models, expectations);
}

fn compare_all(title: &str, targets: &[(String, String)], truth: &Truth, models: &[serde_json::Value], expectations: &str) {
    let mut tally = Tally::default();
    let mut mismatches: Vec<Mismatch> = Vec::new();
    for ((project, functions), model) in targets.iter().zip(models) {
        compare(project, &truth[functions], model, &mut tally, &mut mismatches);
    }
    check(&repo_root().join(expectations), &mismatches, &tally, title);
}

fn truth_of(targets: &[(String, String)]) -> Truth {
    ground_truth(&targets.iter().map(|(_, functions)| functions.clone()).collect::<Vec<_>>())
}

#[test]
fn fixtures_match_the_convex_package() {
    let targets = fixtures();
    run("fixtures", &targets, &truth_of(&targets), true, "tests/ground-truth/expected-fixtures.tsv");
}

/// Each target's project and functions directory, and what `load.mjs` reports for each.
type Targets = Vec<(String, String)>;
type Truth = BTreeMap<String, serde_json::Value>;

/// The corpus targets, their ground truth, and what the engine makes of each with its
/// packages, computed once for the tests that share them.
struct Corpus {
    targets: Targets,
    truth: Truth,
    models: Vec<serde_json::Value>,
}

fn corpus_truth() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        check_corpus_installed();
        let targets: Targets = corpus().into_iter().map(|dir| (dir.clone(), dir)).collect();
        let truth = truth_of(&targets);
        let models = targets.iter().map(|(project, _)| engine(project, true)).collect();
        Corpus { targets, truth, models }
    })
}

#[test]
fn npm_components_match_the_convex_package() {
    let corpus = corpus_truth();
    compare_all("npm components", &corpus.targets, &corpus.truth, &corpus.models, "tests/ground-truth/expected-corpus.tsv");
}

/// What the playground sees of a component's folder: no installed packages, so values imported
/// from other packages are unknown.
#[test]
fn npm_components_without_their_installed_packages() {
    let corpus = corpus_truth();
    run("npm components without packages", &corpus.targets, &corpus.truth, false, "tests/ground-truth/expected-corpus-without-packages.tsv");
}

/// What each function reads and writes, on the corpus read with its packages: the share of
/// `ctx.db` call sites resolved to a table, and to an index or an explicit scan. Every site that
/// is not is listed with the engine's reason in `expected-corpus-sites.tsv`.
#[test]
fn npm_components_database_sites_resolve() {
    let corpus = corpus_truth();
    let mut tally = Tally::default();
    let mut unresolved = Vec::new();
    for ((project, _), model) in corpus.targets.iter().zip(&corpus.models) {
        resolve_sites(project, model, &mut tally, &mut unresolved);
    }
    check(&repo_root().join("tests/ground-truth/expected-corpus-sites.tsv"), &unresolved, &tally, "npm components database sites");
}

fn check_corpus_installed() {
    let root = repo_root();
    assert!(
        root.join("tests/npm-corpus/node_modules/@convex-dev").is_dir(),
        "the npm corpus is not installed: run `cargo xtask test`, or `npm ci --ignore-scripts` in tests/npm-corpus"
    );
    let integrity = std::process::Command::new("node")
        .args(["tests/npm-corpus/check-integrity.mjs", "--installed"])
        .current_dir(&root)
        .status()
        .expect("node runs");
    assert!(integrity.success(), "the installed corpus does not match the pinned versions and integrity hashes of npm-components.tsv");
}
