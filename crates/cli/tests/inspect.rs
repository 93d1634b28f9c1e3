//! `convex-lens inspect` as a user runs it, on the example project and on broken input.

use std::process::Command;

fn inspect(dir: &std::path::Path, json: bool) -> (Option<i32>, String) {
    inspect_with(dir, if json { &["--json"] } else { &[] })
}

fn inspect_with(dir: &std::path::Path, options: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_convex-lens")).arg("inspect").arg(dir).args(options).output().expect("convex-lens runs");
    (output.status.code(), String::from_utf8(output.stdout).expect("UTF-8 output"))
}

fn write_files(dir: &std::path::Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn example() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples/chat")
}

#[test]
fn inspect_prints_the_tables_and_indexes_of_a_project() {
    let (status, stdout) = inspect(&example(), false);
    assert_eq!(status, Some(0));
    insta::assert_snapshot!(stdout);
}

#[test]
fn inspect_reads_a_convex_folder_given_directly() {
    let (status, stdout) = inspect(&example().join("convex"), false);
    assert_eq!(status, Some(0));
    assert!(stdout.starts_with("convex/schema.ts: 5 tables\n"), "{stdout}");
}

#[test]
fn inspect_json_is_the_model_in_convex_shapes() {
    let (status, stdout) = inspect(&example(), true);
    assert_eq!(status, Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let keys: Vec<&String> = json.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        ["tables", "functions", "httpRoutes", "crons", "components", "facts", "coverage", "reactivity", "conflicts", "callGraph", "costs", "diagnostics"]
    );
    assert_eq!(json["tables"][3]["tableName"], "messages");
    assert_eq!(json["tables"][3]["searchIndexes"][0]["indexDescriptor"], "search_body");
}

#[test]
fn broken_and_binary_files_are_reported_with_their_place_and_the_exit_status_is_1() {
    let dir = std::env::temp_dir().join(format!("convex-lens-cli-test-{}", std::process::id()));
    let convex = dir.join("convex");
    std::fs::create_dir_all(&convex).unwrap();
    std::fs::write(convex.join("schema.ts"), "import { v } from \"convex/values\";\nexport default defineSchema({\n  t: defineTable({ a: v.string( }),\n});\n").unwrap();
    std::fs::write(convex.join("image.ts"), [0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe]).unwrap();
    let (status, stdout) = inspect(&dir, false);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status, Some(1));
    assert!(stdout.contains("convex/image.ts:1:5: error[not-text]"), "{stdout}");
    assert!(stdout.contains("convex/schema.ts:3:"), "{stdout}");
    assert!(stdout.contains("error[syntax-error]"), "{stdout}");
}

#[test]
fn installed_packages_are_read_for_the_values_the_project_imports() {
    let dir = std::env::temp_dir().join(format!("convex-lens-cli-packages-{}", std::process::id()));
    // The package is installed above the project, as in a monorepo with hoisted dependencies.
    write_files(&dir, &[
        ("node_modules/@acme/jobs/package.json", r#"{ "name": "@acme/jobs", "type": "module", "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } } }"#),
        ("node_modules/@acme/jobs/dist/index.js", "export { vJobStatus } from \"./validators.js\";\nexport { JobQueue } from \"./queue.js\";\n"),
        ("node_modules/@acme/jobs/dist/validators.js", "import { v } from \"convex/values\";\nexport const vJobStatus = v.union(v.literal(\"queued\"), v.literal(\"done\"));\n"),
        (
            "node_modules/@acme/jobs/dist/queue.js",
            "import { internalMutationGeneric } from \"convex/server\";\nimport { v } from \"convex/values\";\nimport { vJobStatus } from \"./validators.js\";\n\
             export class JobQueue {\n  constructor(component) { this.component = component; }\n\
               defineOnDone(context) { return internalMutationGeneric({ args: { jobId: v.string(), status: vJobStatus, context }, handler: async () => {} }); }\n}\n",
        ),
        ("app/convex/schema.ts", "import { defineSchema, defineTable } from \"convex/server\";\nimport { vJobStatus } from \"@acme/jobs\";\nexport default defineSchema({ jobs: defineTable({ status: vJobStatus }) });\n"),
        (
            "app/convex/jobs.ts",
            "import { JobQueue } from \"@acme/jobs\";\nimport { v } from \"convex/values\";\nconst queue = new JobQueue({});\nexport const onDone = queue.defineOnDone(v.id(\"jobs\"));\n",
        ),
    ]);
    let project = dir.join("app");
    let (status, with_packages) = inspect_with(&project, &["--json"]);
    let (_, without_packages) = inspect_with(&project, &["--json", "--no-packages"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status, Some(0));
    let with_packages: serde_json::Value = serde_json::from_str(&with_packages).unwrap();
    assert_eq!(with_packages["diagnostics"], serde_json::json!([]));
    assert_eq!(with_packages["tables"][0]["documentType"]["value"]["status"]["fieldType"]["type"], "union");
    assert_eq!(with_packages["functions"][0]["path"], "jobs:onDone");
    assert_eq!(with_packages["functions"][0]["args"]["value"]["context"]["fieldType"], serde_json::json!({ "type": "id", "tableName": "jobs" }));
    // Without them, the same imports are explicit unknowns.
    let without_packages: serde_json::Value = serde_json::from_str(&without_packages).unwrap();
    assert_eq!(without_packages["functions"], serde_json::json!([]));
    let messages: Vec<&str> = without_packages["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("\"@acme/jobs\", whose source is not among the files analysed")), "{messages:?}");
}

/// `convex-lens inspect . | head -1`: the reader goes away after one line, which is no error
/// (the CLI used to panic on the broken pipe).
#[test]
fn a_reader_that_stops_early_does_not_make_it_panic() {
    use std::io::{BufRead, BufReader};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/examples/chat");
    let mut child = Command::new(env!("CARGO_BIN_EXE_convex-lens"))
        .args(["inspect", dir, "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("convex-lens runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(first.trim(), "{");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
