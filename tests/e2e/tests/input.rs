//! How a backend gets into the playground and how its state survives: the examples menu, a
//! pasted file, a dropped folder, files and folders opened from disk, share links, autosave
//! and Reset.

use std::path::{Path, PathBuf};

use convex_lens_e2e::{playground_url, Browser};
use fantoccini::Locator;
use serde_json::{json, Value};

/// Each example and the tables of its schema, in order.
const EXAMPLES: [(&str, &[&str]); 4] = [
    ("chat", &["users", "channels", "memberships", "messages", "presence"]),
    ("feed", &["profiles", "posts", "follows", "likes"]),
    ("game", &["players", "games", "scores", "stats"]),
    ("saas", &["users", "teams", "members", "projects", "tasks", "auditLog", "invitations"]),
];

const BOOKS_SCHEMA: &str = r#"import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({ books: defineTable({ title: v.string() }) });
"#;

async fn tables(browser: &Browser) -> Vec<String> {
    browser.texts(".table .table-name").await
}

/// Waits until the results show exactly these tables.
async fn wait_for_tables(browser: &Browser, expected: &[&str]) {
    let last = expected.last().expect("some table");
    browser.wait_for(&format!(".table[data-table='{last}']")).await;
    let started = std::time::Instant::now();
    while tables(browser).await != expected {
        assert!(started.elapsed() < convex_lens_e2e::PATIENCE, "tables {:?}, expected {expected:?}", tables(browser).await);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The files of an example folder, as the file list has them (without the README).
fn example_file_count(name: &str) -> usize {
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).map(|p| if p.is_dir() { count(&p) } else { 1 }).sum()
    }
    count(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples").join(name).join("convex"))
}

async fn load_example(browser: &Browser, name: &str) {
    browser.click(".examples-button").await;
    browser.click(&format!(".examples-menu [data-example='{name}']")).await;
}

/// A fresh playground showing one of the examples.
async fn open_example(name: &str) -> Browser {
    let browser = Browser::open_with_example().await;
    load_example(&browser, name).await;
    let (_, expected) = EXAMPLES.iter().find(|(example, _)| *example == name).expect("an example");
    wait_for_tables(&browser, expected).await;
    browser
}

async fn notice(browser: &Browser) -> String {
    browser.wait_for(".notice").await.text().await.unwrap()
}

#[tokio::test]
async fn the_examples_menu_loads_each_example_with_its_tables() {
    let browser = Browser::open_with_example().await;
    browser.click(".examples-button").await;
    let titles = browser.texts(".examples-menu .example-title").await;
    assert_eq!(titles, ["Chat with presence", "Feed with pagination and search", "Game with a hot leaderboard", "Multi-tenant SaaS"]);
    browser.screenshot("input-examples-menu").await;
    let first = browser.wait_for(".examples-menu .example").await;
    first.send_keys(&fantoccini::key::Key::Escape.to_string()).await.unwrap();
    browser.wait_for_none(".examples-menu").await;
    for (name, expected) in EXAMPLES.iter().rev() {
        load_example(&browser, name).await;
        wait_for_tables(&browser, expected).await;
        assert_eq!(browser.file_paths().await.len(), example_file_count(name), "{name}");
        assert_eq!(browser.texts(".active-path").await, ["convex/schema.ts"]);
        // An example that was not edited is replaced without a notice.
        assert!(browser.client.find(Locator::Css(".notice")).await.is_err(), "{name}");
    }
    browser.close().await;
}

#[tokio::test]
async fn replacing_edited_files_can_be_undone() {
    let browser = Browser::open_with_example().await;
    browser.paste(BOOKS_SCHEMA).await;
    wait_for_tables(&browser, &["books"]).await;
    load_example(&browser, "game").await;
    wait_for_tables(&browser, EXAMPLES[2].1).await;
    let text = notice(&browser).await;
    assert!(text.contains("Opened the example “Game with a hot leaderboard”.") && text.contains("Your edited files were replaced."), "{text}");
    browser.click(".notice .undo").await;
    wait_for_tables(&browser, &["books"]).await;
    assert!(browser.file_paths().await.contains(&"convex/presence.ts".to_string()));
    browser.wait_for_none(".notice").await;
    browser.close().await;
}

#[tokio::test]
async fn a_pasted_file_gets_a_path_from_its_code() {
    let browser = Browser::open_with_example().await;
    browser.click(".paste-button").await;
    let area = browser.wait_for(".paste-text").await;
    area.send_keys("export const top = query({ handler: (ctx) => ctx.db.query(\"presence\").take(5) });").await.unwrap();
    let path = browser.wait_for(".paste-path").await;
    assert_eq!(path.prop("value").await.unwrap().as_deref(), Some("convex/presence2.ts"));
    area.clear().await.unwrap();
    area.send_keys("export default defineSchema({});").await.unwrap();
    assert_eq!(path.prop("value").await.unwrap().as_deref(), Some("convex/schema.ts"));
    assert_eq!(browser.texts(".paste-add").await, ["Replace convex/schema.ts"]);
    path.clear().await.unwrap();
    path.send_keys("/etc/passwd").await.unwrap();
    assert_eq!(browser.texts(".paste .path-error").await.len(), 1);
    path.clear().await.unwrap();
    path.send_keys("convex/top.ts").await.unwrap();
    browser.screenshot("input-paste").await;
    browser.click(".paste-add").await;
    browser.wait_for(".file.active[data-path='convex/top.ts']").await;
    browser.wait_for_none(".paste").await;
    assert!(browser.editor_text().await.starts_with("export default defineSchema"));
    browser.close().await;
}

/// Opens the share panel and returns the link it made.
async fn share_link(browser: &Browser) -> String {
    browser.click(".share-button").await;
    let link = browser.wait_for(".share-link").await;
    link.prop("value").await.unwrap().expect("the link")
}

#[tokio::test]
async fn a_share_link_opens_the_same_files_open_file_and_tab_in_a_fresh_browser() {
    let browser = open_example("feed").await;
    browser.add_file("convex/books.ts").await;
    browser.paste("// ünïcode and 💥 survive the link\n").await;
    browser.select_file("convex/posts.ts").await;
    browser.open_tab("reruns").await;
    let link = share_link(&browser).await;
    assert!(link.starts_with(&format!("{}#v1=", playground_url())), "{link}");
    let status = browser.texts(".share-status").await.join(" ");
    assert!(status.contains("nothing is uploaded"), "{status}");
    browser.screenshot("input-share").await;
    let files = browser.file_paths().await;
    browser.close().await;

    let opened = Browser::open(&link).await;
    opened.wait_for("[role='tab'][data-tab='reruns'][aria-selected='true']").await;
    assert_eq!(opened.file_paths().await, files);
    assert_eq!(opened.texts(".active-path").await, ["convex/posts.ts"]);
    opened.wait_for(".rerun").await;
    opened.select_file("convex/books.ts").await;
    assert_eq!(opened.editor_text().await, "// ünïcode and 💥 survive the link\n");
    // The fragment is read once: a reload shows the autosave, with the edits made since.
    let address = opened.client.current_url().await.unwrap();
    assert_eq!(address.fragment(), None, "{address}");
    opened.close().await;
}

#[tokio::test]
async fn a_broken_or_unknown_link_says_so_and_opens_the_first_example() {
    for (fragment, expected) in [("#v1=bm90IGRlZmxhdGU", "This share link is damaged"), ("#v7=AAAA", "format v7")] {
        let browser = Browser::open(&format!("{}{fragment}", playground_url())).await;
        browser.open_tab("tables").await;
        browser.wait_for(".table[data-table='presence']").await;
        let text = notice(&browser).await;
        assert!(text.contains(expected) && text.contains("Showing the first example instead."), "{text}");
        assert!(browser.client.find(Locator::Css(".notice.warning")).await.is_ok());
        browser.close().await;
    }
}

#[tokio::test]
async fn autosave_survives_a_reload_and_reset_returns_to_the_example() {
    let browser = open_example("game").await;
    browser.select_file("convex/crons.ts").await;
    browser.select_file("convex/schema.ts").await;
    browser.paste(BOOKS_SCHEMA).await;
    wait_for_tables(&browser, &["books"]).await;
    browser.open_tab("functions").await;
    // Autosave waits for a pause in the changes.
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    browser.client.refresh().await.unwrap();
    browser.wait_for("[role='tab'][data-tab='functions'][aria-selected='true']").await;
    assert!(browser.file_paths().await.contains(&"convex/game.ts".to_string()));
    assert_eq!(browser.texts(".active-path").await, ["convex/schema.ts"]);
    browser.open_tab("tables").await;
    wait_for_tables(&browser, &["books"]).await;

    browser.click(".reset-button").await;
    let question = browser.wait_for(".reset-panel").await.text().await.unwrap();
    assert!(question.contains("“Game with a hot leaderboard”"), "{question}");
    browser.click(".confirm-reset").await;
    wait_for_tables(&browser, EXAMPLES[2].1).await;
    assert!(notice(&browser).await.contains("Your edited files were replaced."));
    browser.close().await;
}

/// Dispatches a drop of `tree` on the element matching `target` (the page when null) as the
/// browser does: a `DataTransfer` whose items give `FileSystemEntry`-like objects, read with
/// `createReader().readEntries()` (in batches of two) and `file()`, and whose `files` are the
/// dropped files. Files are real `File`s; `bytes` gives binary ones, `size` a big one.
const DROP: &str = r#"
    const [tree, target] = arguments;
    function entry(node, parent) {
        const fullPath = parent + "/" + node.name;
        if (node.children) {
            return { name: node.name, fullPath, isFile: false, isDirectory: true, createReader() {
                let left = node.children.map((child) => entry(child, fullPath));
                return { readEntries(done) { const batch = left.slice(0, 2); left = left.slice(2); setTimeout(() => done(batch)); } };
            } };
        }
        const content = node.bytes ? new Uint8Array(node.bytes) : node.size ? "x".repeat(node.size) : node.text;
        const file = new File([content], node.name);
        return { name: node.name, fullPath, isFile: true, isDirectory: false, file(done) { setTimeout(() => done(file)); } };
    }
    const entries = tree.map((node) => entry(node, ""));
    const items = entries.map((e) => ({ kind: "file", webkitGetAsEntry: () => e }));
    const files = tree.filter((node) => !node.children).map((node) => new File([node.text ?? ""], node.name));
    const dataTransfer = { types: ["Files"], items, files, getData: () => "", dropEffect: "none", effectAllowed: "all" };
    const page = document.querySelector(target ?? ".page");
    const box = page.getBoundingClientRect();
    const at = { clientX: box.left + box.width / 2, clientY: box.top + Math.min(box.height / 2, 20) };
    for (const type of ["dragover", "drop"]) {
        const event = new DragEvent(type, { bubbles: true, cancelable: true, ...at });
        Object.defineProperty(event, "dataTransfer", { value: dataTransfer });
        page.dispatchEvent(event);
    }
"#;

fn file(name: &str, text: &str) -> Value {
    json!({ "name": name, "text": text })
}

fn folder(name: &str, children: Vec<Value>) -> Value {
    json!({ "name": name, "children": children })
}

#[tokio::test]
async fn a_dropped_convex_folder_replaces_the_workspace_and_notes_what_was_left_out() {
    let browser = Browser::open_with_example().await;
    let convex = folder("convex", vec![
        file("schema.ts", BOOKS_SCHEMA),
        file("books.ts", "import { query } from \"./_generated/server\";\nexport const list = query({ handler: (ctx) => ctx.db.query(\"books\").collect() });\n"),
        folder("lib", vec![file("util.ts", "export const one = 1;\n")]),
        folder("_generated", vec![file("api.d.ts", "export {};"), file("server.js", "export {};")]),
        file("README.md", "# Books"),
        json!({ "name": "logo.png", "bytes": [137, 80, 78, 71, 0, 0] }),
        json!({ "name": "data.ts", "bytes": [0, 1, 2, 3] }),
        json!({ "name": "bundle.js", "size": 1_100_000 }),
    ]);
    browser.client.execute(DROP, vec![json!([convex]), Value::Null]).await.unwrap();
    wait_for_tables(&browser, &["books"]).await;
    assert_eq!(browser.file_paths().await, ["convex/books.ts", "convex/schema.ts", "convex/lib/util.ts"]);
    assert_eq!(browser.texts(".active-path").await, ["convex/schema.ts"]);
    browser.screenshot("input-drop-note").await;
    browser.open_tab("functions").await;
    browser.wait_for("[data-function='books:list']").await;
    let lines = browser.texts(".notice-lines li").await;
    assert_eq!(lines, [
        "Opened 3 files.",
        "Left out 1 folder (packages, generated code and hidden folders are not read): convex/_generated/.",
        "Skipped 2 files that are not source code (.ts, .tsx, .js, .jsx, .mjs, .cjs, .json): convex/README.md, convex/logo.png.",
        "Skipped 1 file over 1 MiB: convex/bundle.js.",
        "Skipped 1 file that holds binary data: convex/data.ts.",
    ]);
    browser.close().await;
}

#[tokio::test]
async fn a_dropped_project_keeps_its_paths_so_convex_json_applies() {
    let browser = Browser::open_with_example().await;
    let project = folder("shop", vec![
        file("convex.json", r#"{ "functions": "backend/" }"#),
        file("package.json", r#"{ "name": "shop" }"#),
        folder("backend", vec![file("schema.ts", BOOKS_SCHEMA)]),
        folder("src", vec![file("App.tsx", "export default function App() { return null; }")]),
        folder("node_modules", vec![folder("convex", vec![file("index.js", "")])]),
        folder(".git", vec![file("HEAD", "ref: refs/heads/main")]),
    ]);
    browser.client.execute(DROP, vec![json!([project]), Value::Null]).await.unwrap();
    wait_for_tables(&browser, &["books"]).await;
    assert_eq!(browser.file_paths().await, ["convex.json", "package.json", "backend/schema.ts"]);
    let lines = browser.texts(".notice-lines li").await;
    assert_eq!(lines[1], "Left out 2 folders (packages, generated code and hidden folders are not read): .git/, node_modules/.");
    assert_eq!(lines[2], "Skipped 1 file outside the functions folder backend/: src/App.tsx.");
    browser.close().await;
}

/// CodeMirror inserts the text of files dropped on it unless the drop was handled already; the
/// page's handler runs first and opens them as the workspace, so the open file is left alone.
#[tokio::test]
async fn files_dropped_on_the_editor_open_as_the_workspace_and_leave_the_editor_alone() {
    let browser = Browser::open_with_example().await;
    let schema = json!([file("schema.ts", BOOKS_SCHEMA)]);
    browser.client.execute(DROP, vec![schema, json!(".cm-content")]).await.unwrap();
    wait_for_tables(&browser, &["books"]).await;
    assert_eq!(browser.file_paths().await, ["convex/schema.ts"]);
    assert_eq!(browser.editor_text().await, BOOKS_SCHEMA);
    let text = notice(&browser).await;
    assert!(!text.contains("edited"), "{text}");
    browser.close().await;
}

/// A folder of files on disk for the file inputs, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, &str)]) -> Folder {
        let root = std::env::temp_dir().join(format!("convex-lens-e2e-{name}-{}", std::process::id()));
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Folder(root)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn files_and_folders_open_from_disk_through_the_file_inputs() {
    let disk = Folder::new("open", &[
        ("app/convex/schema.ts", BOOKS_SCHEMA),
        ("app/convex/books.ts", "export const x = 1;\n"),
        ("app/convex/_generated/api.js", "export {};\n"),
        ("app/convex/notes.md", "notes"),
    ]);
    let browser = Browser::open_with_example().await;
    let folder_input = browser.client.find(Locator::Css("input.open-folder")).await.unwrap();
    folder_input.send_keys(&disk.0.join("app/convex").display().to_string()).await.unwrap();
    wait_for_tables(&browser, &["books"]).await;
    assert_eq!(browser.file_paths().await, ["convex/books.ts", "convex/schema.ts"]);
    let lines = browser.texts(".notice-lines li").await;
    assert!(lines.iter().any(|l| l.contains("convex/_generated/")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("convex/notes.md")), "{lines:?}");

    // Files chosen one by one go into convex/; the edited ones can be had back.
    browser.click(".notice .dismiss").await;
    browser.paste("// edited\n").await;
    browser.wait_for_none(".table[data-table='books']").await;
    let files_input = browser.client.find(Locator::Css("input.open-files")).await.unwrap();
    let chosen = ["schema.ts", "books.ts"].map(|f| disk.0.join("app/convex").join(f).display().to_string()).join("\n");
    files_input.send_keys(&chosen).await.unwrap();
    wait_for_tables(&browser, &["books"]).await;
    let text = notice(&browser).await;
    assert!(text.contains("Opened 2 files.") && text.contains("Your edited files were replaced."), "{text}");
    assert_eq!(browser.file_paths().await, ["convex/books.ts", "convex/schema.ts"]);
    browser.close().await;
}

#[tokio::test]
async fn when_the_clipboard_refuses_the_link_is_selected_to_copy_by_hand() {
    let browser = Browser::open_with_example().await;
    let refuse = "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));";
    browser.client.execute(refuse, vec![]).await.unwrap();
    let link = share_link(&browser).await;
    let status = browser.texts(".share-status").await.join(" ");
    assert!(status.starts_with("Copy this link"), "{status}");
    let selected = "const input = document.querySelector('.share-link');
        return document.activeElement === input && input.selectionStart === 0 && input.selectionEnd === input.value.length;";
    let started = std::time::Instant::now();
    while browser.client.execute(selected, vec![]).await.unwrap() != json!(true) {
        assert!(started.elapsed() < convex_lens_e2e::PATIENCE, "the link is not selected");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(link.contains("#v1="), "{link}");
    browser.screenshot("input-share-by-hand").await;
    browser.close().await;
}
