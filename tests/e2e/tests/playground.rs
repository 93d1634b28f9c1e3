//! The playground as a user meets it: the example backend on load, a workspace of files to add,
//! rename and delete, results that follow edits, problems that open their file, diagnostics for
//! broken code, and a page that survives a crash of the engine.

use convex_lens_e2e::Browser;
use fantoccini::key::Key;
use fantoccini::Locator;

const EXAMPLE_TABLES: [&str; 5] = ["users", "channels", "memberships", "messages", "presence"];

/// The example's files as the playground lists them: every file of `www/examples/chat` but its
/// README (the examples menu's description), by folder, then by name.
fn example_paths() -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, paths: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, paths);
            } else if path.file_name().is_some_and(|name| name != "README.md") {
                paths.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples/chat");
    let mut paths = Vec::new();
    walk(&root, &root, &mut paths);
    paths.sort_by(|a, b| a.rsplit_once('/').cmp(&b.rsplit_once('/')));
    paths
}

async fn table_names(browser: &Browser) -> Vec<String> {
    browser.texts(".table .table-name").await
}

/// The badges of a function in the functions tab.
async fn badges(browser: &Browser, path: &str) -> Vec<String> {
    browser.texts(&format!("[data-function='{path}'] .function-head .badge")).await
}

const NOTES_QUERY: &str = r#"import { query } from "./_generated/server";
import { v } from "convex/values";

export const list = query({
  args: { limit: v.number() },
  handler: async (ctx, { limit }) => await ctx.db.query("messages").take(limit),
});
"#;

#[tokio::test]
async fn the_page_shows_the_example_backend_with_its_files_tables_and_functions() {
    let browser = Browser::open_with_example().await;
    assert_eq!(browser.client.title().await.unwrap(), "convex-lens playground");
    assert_eq!(browser.file_paths().await, example_paths());
    assert_eq!(browser.texts(".active-path").await, ["convex/schema.ts"]);
    assert_eq!(table_names(&browser).await, EXAMPLE_TABLES);
    let message_indexes = browser.texts(".table[data-table='messages'] .index-name").await;
    assert_eq!(message_indexes, ["by_channel", "by_author", "search_body", "by_embedding"]);
    let summary = browser.wait_for(".summary-model").await.text().await.unwrap();
    assert!(summary.starts_with("5 tables · 9 indexes · 17 functions · 2 HTTP routes · 2 crons · 0 components · 0 problems · analysed in"), "{summary}");
    let by_kind = browser.wait_for(".summary-functions").await.text().await.unwrap();
    assert_eq!(by_kind, "Functions: 6 queries, 9 mutations, 1 action, 1 HTTP action · 10 public, 6 internal");
    assert!(browser.texts(".diagnostic").await.is_empty());
    browser.wait_for(".no-problems").await;
    browser.screenshot("playground-example").await;

    browser.open_tab("functions").await;
    let modules = browser.texts(".module .module-path").await;
    assert_eq!(modules, ["avatars", "channels", "messages", "presence", "users", "webhooks"]);
    assert_eq!(badges(&browser, "messages:list").await, ["query", "public"]);
    assert_eq!(badges(&browser, "messages:postAs").await, ["mutation", "internal"]);
    assert_eq!(badges(&browser, "avatars:refresh").await, ["action", "internal", "node"]);
    assert_eq!(badges(&browser, "webhooks:postMessage").await, ["httpAction"]);
    let args = browser.texts("[data-function='messages:list'] .args .field-name").await;
    assert_eq!(args, ["channel", "paginationOpts"]);
    browser.screenshot("playground-functions").await;

    browser.open_tab("routes").await;
    assert_eq!(browser.texts(".route-path").await, ["/health", "/webhooks/message"]);
    browser.open_tab("crons").await;
    assert_eq!(browser.texts(".cron-function").await, ["channels:purgeDeleted", "presence:removeStale"]);
    assert_eq!(browser.texts(".schedule").await, ["daily at 03:30 UTC", "every 5 minutes"]);
    browser.screenshot("playground-crons").await;
    browser.close().await;
}

#[tokio::test]
async fn typing_a_schema_updates_the_results() {
    let browser = Browser::open_with_example().await;
    let editor = browser.wait_for(".cm-content").await;
    editor.click().await.unwrap();
    editor.send_keys(&(Key::Control + "a")).await.unwrap();
    editor.send_keys(&(Key::Backspace.to_string())).await.unwrap();
    // One line, so that no Enter can accept an autocompletion.
    let schema = r#"import { defineSchema, defineTable } from "convex/server"; import { v } from "convex/values"; export default defineSchema({ books: defineTable({ title: v.string(), author: v.id("authors") }).index("by_author", ["author"]), authors: defineTable({ name: v.string() }) });"#;
    editor.send_keys(schema).await.unwrap();
    browser.wait_for(".table[data-table='authors']").await;
    assert_eq!(table_names(&browser).await, ["books", "authors"]);
    assert_eq!(browser.texts(".table[data-table='books'] .index-name").await, ["by_author"]);
    let author_type = browser.texts(".table[data-table='books'] .field-type").await;
    assert_eq!(author_type, ["string", "Id<\"authors\">"]);
    browser.close().await;
}

#[tokio::test]
async fn a_new_file_with_a_query_adds_the_function_and_a_rename_changes_its_path() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("functions").await;
    browser.add_file("convex/notes.ts").await;
    assert_eq!(browser.texts(".active-path").await, ["convex/notes.ts"]);
    browser.paste(NOTES_QUERY).await;
    browser.wait_for("[data-function='notes:list']").await;
    assert_eq!(badges(&browser, "notes:list").await, ["query", "public"]);
    assert_eq!(browser.texts("[data-function='notes:list'] .args .field-name").await, ["limit"]);
    browser.screenshot("playground-new-file").await;

    browser.click(".file[data-path='convex/notes.ts'] .rename").await;
    browser.type_path("convex/journal/notes.ts").await;
    browser.wait_for("[data-function='journal/notes:list']").await;
    browser.wait_for_none("[data-function='notes:list']").await;
    // The editor still holds the file's text, under its new name.
    assert_eq!(browser.texts(".active-path").await, ["convex/journal/notes.ts"]);
    let label = browser.wait_for(".cm-content").await.attr("aria-label").await.unwrap();
    assert_eq!(label.as_deref(), Some("convex/journal/notes.ts source"));
    assert_eq!(browser.editor_text().await, NOTES_QUERY);
    browser.close().await;
}

#[tokio::test]
async fn bad_paths_are_refused_with_a_reason() {
    let browser = Browser::open_with_example().await;
    for (typed, reason) in [
        ("", "Type a path"),
        ("/etc/notes.ts", "not an absolute one"),
        ("../notes.ts", "cannot leave the project"),
        ("convex/schema.ts", "convex/schema.ts already exists"),
    ] {
        browser.click(".add-file").await;
        browser.type_path(typed).await;
        let refusal = browser.wait_for(".path-error").await.text().await.unwrap();
        assert!(refusal.contains(reason), "{typed:?}: {refusal}");
        // What was typed stays, to be corrected.
        let value = browser.wait_for(".path-input").await.prop("value").await.unwrap();
        assert_eq!(value.as_deref(), Some(typed));
        browser.screenshot("playground-bad-path").await;
        browser.wait_for(".path-input").await.send_keys(&Key::Escape.to_string()).await.unwrap();
        browser.wait_for_none(".path-input").await;
    }
    assert_eq!(browser.file_paths().await, example_paths());
    browser.close().await;
}

#[tokio::test]
async fn deleting_a_file_removes_its_functions() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("functions").await;
    browser.wait_for("[data-function='presence:heartbeat']").await;
    browser.select_file("convex/presence.ts").await;
    browser.click(".file[data-path='convex/presence.ts'] .delete").await;
    browser.click(".file[data-path='convex/presence.ts'] .confirm-delete").await;
    browser.wait_for_none("[data-function='presence:heartbeat']").await;
    assert!(!browser.file_paths().await.contains(&"convex/presence.ts".to_owned()));
    assert!(browser.texts(".module-path").await.iter().all(|m| m != "presence"));
    // The file after it in the list is opened.
    assert_eq!(browser.texts(".active-path").await, ["convex/schema.ts"]);
    browser.close().await;
}

#[tokio::test]
async fn an_import_the_engine_cannot_follow_is_an_unknown_with_its_reason_and_its_problem_opens_the_file() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("functions").await;
    browser.add_file("convex/notes.ts").await;
    let source = "import { query } from \"./_generated/server\";\nimport { vNote } from \"@acme/validators\";\n\nexport const list = query({\n  args: { note: vNote },\n  handler: async () => [],\n});\n";
    browser.paste(source).await;
    let problem = browser.wait_for(".diagnostic[data-code='unknown']").await;
    let message = problem.find(Locator::Css(".message")).await.unwrap().text().await.unwrap();
    assert!(message.contains("@acme/validators") && message.contains("not among the files analysed"), "{message}");
    assert_eq!(problem.find(Locator::Css(".place")).await.unwrap().text().await.unwrap(), "convex/notes.ts:5:17");
    assert_eq!(browser.texts("[data-function='notes:list'] .args").await, ["unknown"]);
    assert!(!browser.texts("[data-function='notes:list'] .unknown-reasons li").await.is_empty());
    // Not a problem of the code: a note, underlined as one.
    browser.wait_for(".cm-lintRange-info").await;
    browser.screenshot("playground-unknown").await;

    // The editor underlines only the diagnostics of the file it shows.
    browser.select_file("convex/schema.ts").await;
    browser.wait_for_none(".cm-lintRange").await;
    // From there, clicking the problem opens notes.ts with the cursor on the unknown.
    browser.click(".diagnostic[data-code='unknown'] .place").await;
    browser.wait_for(".file.active[data-path='convex/notes.ts']").await;
    assert_eq!(browser.texts(".active-path").await, ["convex/notes.ts"]);
    let line = browser.wait_for(".cm-activeLine").await.text().await.unwrap();
    assert_eq!(line.trim(), "args: { note: vNote },");
    assert_eq!(browser.editor_cursor().await, source.find("vNote },").unwrap());
    browser.screenshot("playground-problem-opened").await;
    browser.close().await;
}

#[tokio::test]
async fn each_file_keeps_its_own_text_and_undo_history() {
    let browser = Browser::open_with_example().await;
    browser.select_file("convex/crons.ts").await;
    let editor = browser.wait_for(".cm-content").await;
    editor.click().await.unwrap();
    editor.send_keys(&(Key::Control + &Key::End.to_string())).await.unwrap();
    editor.send_keys("// typed").await.unwrap();
    browser.select_file("convex/schema.ts").await;
    assert!(browser.editor_text().await.starts_with("import { defineSchema"));
    browser.select_file("convex/crons.ts").await;
    assert!(browser.editor_text().await.ends_with("// typed"));
    let editor = browser.wait_for(".cm-content").await;
    editor.click().await.unwrap();
    editor.send_keys(&(Key::Control + "z")).await.unwrap();
    assert_eq!(browser.editor_text().await, include_str!("../../../www/examples/chat/convex/crons.ts"));
    browser.close().await;
}

#[tokio::test]
async fn a_syntax_error_is_shown_with_its_place_and_the_last_model_stays_visible() {
    let browser = Browser::open_with_example().await;
    let text = include_str!("../../../www/examples/chat/convex/schema.ts").replace("name: v.string(),", "name: v.string(,");
    browser.paste(&text).await;
    let place = browser.wait_for(".diagnostic.error .place").await.text().await.unwrap();
    assert!(place.starts_with("convex/schema.ts:14:"), "{place}");
    browser.wait_for(".outdated").await;
    assert_eq!(table_names(&browser).await, EXAMPLE_TABLES);
    // The editor underlines the error too.
    browser.wait_for(".cm-lintRange-error").await;
    browser.screenshot("playground-syntax-error").await;
    browser.close().await;
}

#[tokio::test]
async fn nesting_too_deep_is_refused_with_a_clear_message() {
    let browser = Browser::open_with_example().await;
    // Brackets, and a chain of unary operators with none, which used to overflow the wasm stack.
    for text in [format!("export default {}1{};", "(".repeat(50_000), ")".repeat(50_000)), unary_chain()] {
        browser.paste(&text).await;
        let diagnostic = browser.wait_for(".diagnostic.error").await.text().await.unwrap();
        assert!(diagnostic.contains("nests too deeply"), "{diagnostic}");
    }
    browser.close().await;
}

/// A chain of 200,000 unary minus signs: the parser follows it by recursion.
fn unary_chain() -> String {
    format!("export default {}1;", "-".repeat(400_000).replace("--", "- -"))
}

#[tokio::test]
async fn an_engine_crash_is_reported_and_the_next_edit_works() {
    let browser = Browser::open_with_example().await;
    // No known input crashes the engine any more, so the fault is injected: the next request
    // reaches the worker as a value the engine cannot read, and the worker reports the throw
    // as it reports a trap.
    let corrupt_next_request = r#"
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function (message) {
            Worker.prototype.postMessage = post;
            return post.call(this, { ...message, files: "not a file list" });
        };"#;
    browser.client.execute(corrupt_next_request, vec![]).await.unwrap();
    browser.paste("export const edited = 1;\n").await;
    let alert = browser.wait_for("[role='alert']").await.text().await.unwrap();
    assert!(alert.contains("crashed"), "{alert}");
    // The model of the previous files stays, marked as not describing the current ones.
    browser.wait_for(".outdated").await;
    assert_eq!(table_names(&browser).await, EXAMPLE_TABLES);
    browser.screenshot("playground-crash").await;
    browser.paste("import { defineSchema, defineTable } from \"convex/server\";\nexport default defineSchema({ recovered: defineTable({}) });\n").await;
    browser.wait_for(".table[data-table='recovered']").await;
    assert!(browser.client.find(Locator::Css("[role='alert']")).await.is_err(), "the alert clears");
    browser.close().await;
}

#[tokio::test]
async fn index_coverage_shows_how_each_read_is_served_and_follows_edits() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("coverage").await;
    browser.wait_for(".coverage-table[data-table='messages']").await;
    // The example's channel page reads messages through its index, a page at a time.
    let messages = browser.texts(".coverage-table[data-table='messages'] .site .badge.coverage").await;
    assert_eq!(messages, ["indexed", "search"]);
    let presence = browser.texts(".coverage-table[data-table='presence'] .site .badge.coverage").await;
    assert!(presence.contains(&"full scan".to_owned()), "{presence:?}");
    assert_eq!(browser.texts(".missing-indexes .definition").await.len(), 2);
    browser.screenshot("playground-coverage").await;
    // A new query that filters a whole table shows up as a full scan with the index it needs.
    browser.add_file("convex/notes.ts").await;
    browser.paste(
        "import { query } from \"./_generated/server\";\nimport { v } from \"convex/values\";\n\
         export const byAuthor = query({\n  args: { author: v.id(\"users\") },\n  handler: async (ctx, { author }) =>\n    await ctx.db.query(\"messages\").filter((q) => q.eq(q.field(\"author\"), author)).collect(),\n});\n",
    )
    .await;
    browser.wait_for(".coverage-table[data-table='messages'] .site[data-status='scan'] .suggestion").await;
    // The example's schema has a staged `by_author` index: it is the one to enable.
    let suggestion = browser.texts(".coverage-table[data-table='messages'] .site[data-status='scan'] .suggestion :is(.note, code)").await;
    assert_eq!(
        suggestion,
        // `author` as the handler names it (destructured), not `args.author`.
        ["Enable the staged index by_author (staged: false), then read with:", ".withIndex(\"by_author\", (q) => q.eq(\"author\", author))"]
    );
    browser.close().await;
}

#[tokio::test]
async fn re_runs_list_what_each_mutation_invalidates_and_what_re_runs_each_query() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("reruns").await;
    browser.wait_for(".rerun-group[data-function='messages:send']").await;
    let sent = browser.texts("[data-function='messages:send'] .rerun .function-name").await;
    assert!(sent.contains(&"messages:list".to_owned()), "{sent:?}");
    let list_badge = browser.texts("[data-function='messages:send'] .rerun[data-other='messages:list'] .badge").await;
    assert_eq!(list_badge, ["keyed"]);
    browser.screenshot("playground-reruns").await;
    browser.click(".toggle:nth-child(2)").await;
    browser.wait_for(".rerun-group[data-function='presence:list']").await;
    let presence = browser.texts("[data-function='presence:list'] .rerun .function-name").await;
    // Heartbeats, the cleanup, and the user writes whose documents the list joins in.
    assert_eq!(presence, ["presence:heartbeat", "presence:removeStale", "users:setAvatar", "users:store"]);
    browser.close().await;
}
