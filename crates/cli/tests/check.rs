//! `convex-lens check` as a user runs it: the engine's findings as text and JSON, what could not
//! be verified, and the exit status CI gates on.

use std::path::{Path, PathBuf};
use std::process::Command;

fn check(dir: &Path, options: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_convex-lens")).arg("check").arg(dir).args(options).output().expect("convex-lens runs");
    (output.status.code(), String::from_utf8(output.stdout).expect("UTF-8"), String::from_utf8(output.stderr).expect("UTF-8"))
}

fn project(files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("convex-lens-check-{}-{}", std::process::id(), files.len()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples").join(name)
}

/// What each example's overview lists, as the CLI prints it: reviewed, not accepted blindly.
#[test]
fn the_examples_findings_as_text() {
    for name in ["chat", "saas", "game", "feed"] {
        let (status, stdout, _) = check(&example(name), &["--no-packages"]);
        assert_eq!(status, Some(0), "{name}: warnings and notes do not fail the check");
        insta::assert_snapshot!(format!("check-{name}"), stdout);
    }
}

#[test]
fn json_holds_the_findings_with_their_advice_and_what_could_not_be_verified() {
    let (status, stdout, _) = check(&example("game"), &["--format", "json", "--no-packages"]);
    assert_eq!(status, Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["findings", "unverified"]);
    let hot = json["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "hot-document").expect("the global counter");
    assert_eq!(hot["severity"], "warning");
    assert!(hot["advice"].as_str().unwrap().contains("sharded-counter"), "{hot}");
    assert_eq!(hot["location"]["file"], "convex/game.ts");
    // `--format=json` is the same.
    assert_eq!(check(&example("game"), &["--format=json", "--no-packages"]).1, stdout);
}

#[test]
fn an_error_level_finding_fails_the_check_and_bad_usage_is_status_2() {
    let dir = project(&[
        ("convex/schema.ts", "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\nexport default defineSchema({ notes: defineTable({ body: v.string() }) });\n"),
        ("convex/notes.ts", "import { query } from \"./_generated/server\";\nexport const list = query({ handler: async (ctx) => await ctx.db.query(\"notes\").withIndex(\"by_body\").take(5) });\n"),
    ]);
    let (status, stdout, _) = check(&dir, &[]);
    assert_eq!(status, Some(1), "{stdout}");
    assert!(stdout.starts_with("convex/notes.ts:2:"), "{stdout}");
    assert!(stdout.contains("error[rejected-read]: A read of `notes` through `by_body` in `notes:list` is rejected: `notes` has no index named `by_body`"), "{stdout}");
    assert!(stdout.ends_with("1 error\n"), "{stdout}");
    let (status, _, stderr) = check(&dir, &["--format", "yaml"]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("unknown format yaml"), "{stderr}");
}

#[test]
fn what_rests_on_a_library_is_listed_as_could_not_verify() {
    let dir = project(&[
        // A library convex-lens neither models nor reads (convex-helpers' `crud` it models).
        ("convex/users.ts", "import { crud } from \"convex-crud-kit\";\nimport schema from \"./schema\";\nexport const { create, read } = crud(schema, \"users\");\n"),
        ("convex/schema.ts", "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\nexport default defineSchema({ users: defineTable({ name: v.string() }) });\n"),
        ("convex/app.ts", "import { action } from \"./_generated/server\";\nimport { internal } from \"./_generated/api\";\nexport const relay = action({ handler: async (ctx) => { await ctx.runQuery(internal.users.read, { id: \"x\" }); } });\n"),
    ]);
    let (status, stdout, _) = check(&dir, &["--no-packages"]);
    assert_eq!(status, Some(0), "{stdout}");
    assert_eq!(
        stdout,
        "no findings\n\ncould not verify 1 conclusion (they rest on code convex-lens cannot read):\n  `crud` from \"convex-crud-kit\": 2 exports unknown, 1 conclusion held back\n"
    );
}
