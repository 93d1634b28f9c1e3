//! The playground as a user meets it: the example schema on load, results that follow edits,
//! diagnostics for broken code, and a page that survives an input that crashes the engine.

use convex_lens_e2e::Browser;
use fantoccini::key::Key;
use fantoccini::Locator;

const EXAMPLE_TABLES: [&str; 5] = ["users", "channels", "memberships", "messages", "presence"];

async fn table_names(browser: &Browser) -> Vec<String> {
    browser.texts(".table .table-name").await
}

#[tokio::test]
async fn the_page_shows_the_example_schema_with_its_tables_and_indexes() {
    let browser = Browser::open_with_example().await;
    assert_eq!(browser.client.title().await.unwrap(), "convex-lens playground");
    assert_eq!(table_names(&browser).await, EXAMPLE_TABLES);
    let message_indexes = browser.texts(".table[data-table='messages'] .index-name").await;
    assert_eq!(message_indexes, ["by_channel", "by_author", "search_body", "by_embedding"]);
    let summary = browser.wait_for(".summary").await.text().await.unwrap();
    assert!(summary.starts_with("5 tables · 9 indexes"), "{summary}");
    assert!(browser.texts(".diagnostic").await.is_empty());
    browser.screenshot("playground-example").await;
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
    browser.screenshot("playground-typed").await;
    browser.close().await;
}

#[tokio::test]
async fn a_syntax_error_is_shown_with_its_place_and_the_last_tables_stay_visible() {
    let browser = Browser::open_with_example().await;
    let text = include_str!("../../../www/examples/chat/convex/schema.ts").replace("name: v.string(),", "name: v.string(,");
    browser.paste(&text).await;
    let diagnostic = browser.wait_for(".diagnostic.error").await.text().await.unwrap();
    assert!(diagnostic.starts_with("convex/schema.ts:14:"), "{diagnostic}");
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
    browser.paste(&format!("export default {}1{};", "(".repeat(50_000), ")".repeat(50_000))).await;
    let diagnostic = browser.wait_for(".diagnostic.error").await.text().await.unwrap();
    assert!(diagnostic.contains("nest more than 200 levels"), "{diagnostic}");
    browser.close().await;
}

#[tokio::test]
async fn an_input_that_crashes_the_engine_is_reported_and_the_next_edit_works() {
    let browser = Browser::open_with_example().await;
    browser.paste(&crashing_input()).await;
    let alert = browser.wait_for("[role='alert']").await.text().await.unwrap();
    assert!(alert.contains("crashed"), "{alert}");
    // The tables of the previous text stay, marked as not describing the current text.
    browser.wait_for(".outdated").await;
    browser.screenshot("playground-crash").await;
    browser.paste("import { defineSchema, defineTable } from \"convex/server\";\nexport default defineSchema({ recovered: defineTable({}) });\n").await;
    browser.wait_for(".table[data-table='recovered']").await;
    assert!(browser.client.find(Locator::Css("[role='alert']")).await.is_err(), "the alert clears");
    browser.close().await;
}

/// An input that passes the nesting pre-check but still overflows the wasm stack: a long chain
/// of unary operators, which the parser follows by recursion.
fn crashing_input() -> String {
    format!("export default {}1;", "-".repeat(400_000).replace("--", "- -"))
}
