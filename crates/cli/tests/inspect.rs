//! `convex-lens inspect` as a user runs it, on the example project and on broken input.

use std::process::Command;

fn inspect(dir: &std::path::Path, json: bool) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_convex-lens"));
    command.arg("inspect").arg(dir);
    if json {
        command.arg("--json");
    }
    let output = command.output().expect("convex-lens runs");
    (output.status.code(), String::from_utf8(output.stdout).expect("UTF-8 output"))
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
    assert_eq!(keys, ["tables", "functions", "httpRoutes", "crons", "components", "diagnostics"]);
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
