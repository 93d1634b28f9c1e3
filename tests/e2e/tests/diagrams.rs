//! The diagrams as a user meets them: the schema with its relations and index marks, laid out
//! without overlaps; selection, search, pan and zoom; the reactive graph lighting what a mutation
//! re-runs; the call graph marking open entry points; SVG, PNG and Mermaid exports.

use convex_lens_e2e::Browser;
use serde_json::{json, Value};

/// The boxes of the drawn nodes, in page pixels: `[id, x, y, width, height]`.
async fn node_boxes(browser: &Browser, diagram: &str) -> Vec<(String, f64, f64, f64, f64)> {
    let script = r#"
        return [...document.querySelectorAll(`[data-diagram='${arguments[0]}'] [data-node]`)].map((g) => {
            const r = g.querySelector('.node-box').getBoundingClientRect();
            return [g.getAttribute('data-node'), r.x, r.y, r.width, r.height];
        });
    "#;
    let value = browser.client.execute(script, vec![json!(diagram)]).await.expect("the boxes");
    serde_json::from_value::<Vec<(String, f64, f64, f64, f64)>>(value).expect("boxes")
}

fn overlapping(boxes: &[(String, f64, f64, f64, f64)]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.1 < b.1 + b.3 && b.1 < a.1 + a.3 && a.2 < b.2 + b.4 && b.2 < a.2 + a.4 {
                pairs.push((a.0.clone(), b.0.clone()));
            }
        }
    }
    pairs
}

/// The text content of every element matching `css`, rendered or not (tooltips' `<title>`).
async fn contents(browser: &Browser, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent);";
    let value = browser.client.execute(script, vec![json!(css)]).await.expect("the texts");
    serde_json::from_value(value).expect("strings")
}

async fn classes(browser: &Browser, css: &str) -> String {
    browser.wait_for(css).await.attr("class").await.unwrap().unwrap_or_default()
}

/// Records what the page saves (downloads) and copies, since headless Chromium shows neither.
async fn record_exports(browser: &Browser) {
    let script = r#"
        window.__saved = [];
        const create = URL.createObjectURL;
        URL.createObjectURL = (blob) => { window.__saved.push(blob); return create(blob); };
        window.__names = [];
        HTMLAnchorElement.prototype.click = function () { window.__names.push(this.download); };
        window.__copied = [];
        navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); };
    "#;
    browser.client.execute(script, vec![]).await.expect("exports are recorded");
}

/// The last saved file of the given type: its name, and its text (or its size for images).
async fn last_saved(browser: &Browser, mime: &str) -> (String, Value) {
    let script = r#"
        const [mime, done] = [arguments[0], arguments[1]];
        const wait = async () => {
            for (let i = 0; i < 100; i++) {
                const blob = window.__saved.filter((b) => b.type === mime).at(-1);
                if (blob && window.__names.length) {
                    const body = mime.startsWith('image/png') ? blob.size : await blob.text();
                    return [window.__names.at(-1), body];
                }
                await new Promise((r) => setTimeout(r, 100));
            }
            return null;
        };
        wait().then(done);
    "#;
    let value = browser.client.execute_async(script, vec![json!(mime)]).await.expect("a saved file");
    serde_json::from_value(value).unwrap_or_else(|e| panic!("nothing of type {mime} was saved: {e}"))
}

#[tokio::test]
async fn the_schema_diagram_draws_every_table_with_relations_and_index_marks() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("schema").await;
    browser.wait_for("[data-diagram='schema'] [data-node='presence']").await;
    let boxes = node_boxes(&browser, "schema").await;
    let mut ids: Vec<&str> = boxes.iter().map(|b| b.0.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["channels", "memberships", "messages", "presence", "users"]);
    assert!(overlapping(&boxes).is_empty(), "{:?}", overlapping(&boxes));
    // Every table is inside the canvas on first render.
    let canvas = browser.wait_for(".diagram-canvas").await.rectangle().await.unwrap();
    for (id, x, y, w, h) in &boxes {
        assert!(*x >= canvas.0 - 1.0 && *y >= canvas.1 - 1.0 && x + w <= canvas.0 + canvas.2 + 1.0 && y + h <= canvas.1 + canvas.3 + 1.0, "{id} is cut off");
    }
    // One edge per id field and table: messages.channel, messages.author, ...
    let relations = contents(&browser, "[data-diagram='schema'] .edge-relation > title").await;
    assert!(relations.contains(&"messages.author → users".to_string()), "{relations:?}");
    assert!(relations.contains(&"channels.createdBy → users".to_string()), "{relations:?}");
    assert_eq!(relations.len(), 7, "{relations:?}");
    let marks = browser.texts("[data-diagram='schema'] [data-node='messages'] .row-mark").await;
    // `by_author` is staged; no read of the example uses the vector index (a finding's note).
    assert_eq!(marks, ["staged", "unused"]);
    // Nested fields are rows of their own, indented below their parent.
    let rows = browser.texts("[data-diagram='schema'] [data-node='messages'] .row-name").await;
    assert!(rows.windows(3).any(|w| w == ["attachments", "storageId", "name"]), "{rows:?}");
    browser.screenshot("diagram-schema").await;

    // Selecting a table lights it and its neighbours and opens its definition.
    browser.select_file("convex/users.ts").await;
    browser.click("[data-diagram='schema'] [data-node='presence'] .node-title").await;
    assert!(classes(&browser, "[data-node='presence']").await.contains("selected"));
    assert!(classes(&browser, "[data-node='users']").await.contains("lit"));
    assert!(classes(&browser, "[data-node='messages']").await.contains("dim"));
    assert_eq!(browser.texts(".active-path").await, ["convex/schema.ts"]);
    let details = browser.texts(".diagram-details .details-list code").await;
    assert_eq!(details, ["channels", "users"]);
    browser.screenshot("diagram-schema-selected").await;

    // Search marks the matching tables (by table or field name).
    let search = browser.wait_for(".diagram-search").await;
    search.send_keys("lastSeen").await.unwrap();
    browser.wait_for("[data-node='presence'].match").await;
    assert_eq!(browser.texts(".diagram-toolbar .filter-count").await, ["1 match"]);

    // Zoom changes the drawing's scale; Fit brings it back.
    let before = browser.texts(".zoom-level").await;
    browser.click(".zoom-in").await;
    let after = browser.texts(".zoom-level").await;
    assert_ne!(before, after);
    browser.click(".zoom-fit").await;

    // Dragging the canvas pans the drawing, and the click that ends a drag selects nothing.
    let transform = || async { contents_attr(&browser, ".diagram-canvas > svg > g", "transform").await };
    let before = transform().await;
    let drag = r#"
        const canvas = document.querySelector('.diagram-canvas');
        const at = (type, x, y) => canvas.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, bubbles: true }));
        at('pointerdown', 900, 400); at('pointermove', 960, 430); at('pointerup', 960, 430);
        canvas.dispatchEvent(new MouseEvent('click', { clientX: 960, clientY: 430, bubbles: true }));
    "#;
    browser.client.execute(drag, vec![]).await.unwrap();
    browser.wait_for(".diagram-canvas").await;
    assert_ne!(transform().await, before, "the drag moved the drawing");
    assert!(classes(&browser, "[data-node='presence']").await.contains("selected"), "the drag's click kept the selection");

    browser.click(".wide-toggle").await;
    browser.wait_for(".wide-toggle[aria-pressed='true']").await;
    browser.click(".zoom-fit").await;
    browser.screenshot("diagram-schema-wide").await;
    browser.close().await;
}

async fn contents_attr(browser: &Browser, css: &str, name: &str) -> String {
    browser.wait_for(css).await.attr(name).await.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn the_reactive_graph_lights_the_queries_a_mutation_re_runs() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("reactivity").await;
    browser.click("[data-diagram='reactivity'] [data-node='messages:send'] .node-title").await;
    let reruns = browser.texts(".details-reruns li code").await;
    assert_eq!(reruns, ["messages:list", "messages:search"]);
    assert_eq!(contents(&browser, ".details-reruns li .badge").await, ["keyed", "keyed"]);
    assert!(classes(&browser, "[data-node='messages:list']").await.contains("lit"));
    assert!(classes(&browser, "[data-node='presence:list']").await.contains("dim"));
    let boxes = node_boxes(&browser, "reactivity").await;
    assert!(overlapping(&boxes).is_empty(), "{:?}", overlapping(&boxes));
    browser.screenshot("diagram-reactivity").await;

    // A query lists the mutations whose commits re-run it.
    browser.click("[data-diagram='reactivity'] [data-node='presence:list'] .node-title").await;
    let by = browser.texts(".details-reruns li code").await;
    assert_eq!(by, ["presence:heartbeat", "presence:removeStale", "users:setAvatar", "users:store"]);
    browser.close().await;
}

/// A mutation that writes with no check of its caller (it forgets `requireUser`).
const TOPIC_SETTER: &str = r#"import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const set = mutation({
  args: { channel: v.id("channels"), topic: v.string() },
  handler: async (ctx, { channel, topic }) => {
    await ctx.db.patch("channels", channel, { topic, updatedAt: Date.now() });
  },
});
"#;

#[tokio::test]
async fn the_call_graph_marks_entry_points_that_write_without_an_auth_check() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("calls").await;
    // The webhook compares a bearer token with a secret before it writes, and `messages:send`
    // reads the caller's identity: neither is marked.
    browser.wait_for("[data-diagram='calls'] [data-node='http POST /webhooks/message']").await;
    assert!(!classes(&browser, "[data-node='http POST /webhooks/message']").await.contains("warning"));
    assert!(!classes(&browser, "[data-node='messages:send']").await.contains("warning"));
    // A function that writes with no check is marked as soon as it is written, with the finding.
    browser.add_file("convex/topics.ts").await;
    browser.paste(TOPIC_SETTER).await;
    browser.wait_for("[data-diagram='calls'] [data-node='topics:set'].warning").await;
    let label = contents_attr(&browser, "[data-diagram='calls'] [data-node='topics:set']", "aria-label").await;
    assert_eq!(label, "topics:set public mutation. The public topics:set writes channels with no check of the caller on the way");
    let scheduled = contents(&browser, "[data-diagram='calls'] .edge-schedule > title").await;
    assert!(scheduled.contains(&"users:store —runAfter→ avatars:refresh".to_string()), "{scheduled:?}");
    let boxes = node_boxes(&browser, "calls").await;
    assert!(overlapping(&boxes).is_empty(), "{:?}", overlapping(&boxes));
    // Nodes are buttons a keyboard reaches: Enter selects the focused one.
    let node = browser.wait_for("[data-diagram='calls'] [data-node='users:store']").await;
    let label = node.attr("aria-label").await.unwrap();
    assert_eq!(label.as_deref(), Some("users:store public mutation"));
    browser.client.execute("document.querySelector(\"[data-node='users:store']\").focus();", vec![]).await.unwrap();
    node.send_keys(&fantoccini::key::Key::Enter.to_string()).await.unwrap();
    browser.wait_for("[data-node='users:store'].selected").await;
    assert_eq!(browser.texts(".diagram-details .details-list code").await, ["avatars:refresh"]);
    browser.screenshot("diagram-calls").await;
    browser.close().await;
}

#[tokio::test]
async fn a_diagram_exports_as_svg_png_and_mermaid() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("schema").await;
    browser.wait_for("[data-diagram='schema'] [data-node='users']").await;
    record_exports(&browser).await;

    browser.click(".export-svg").await;
    let (name, svg) = last_saved(&browser, "image/svg+xml").await;
    assert_eq!(name, "convex-schema.svg");
    let svg = svg.as_str().unwrap().to_string();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &svg[..80]);
    assert!(svg.contains("<style>") && svg.contains(">memberships</text>"), "the SVG embeds its colours and names");

    browser.click(".export-png").await;
    let (name, size) = last_saved(&browser, "image/png").await;
    assert_eq!(name, "convex-schema.png");
    assert!(size.as_f64().unwrap() > 10_000.0, "{size}");

    browser.click(".copy-mermaid").await;
    browser.wait_for(".copy-mermaid").await;
    let copied = browser.client.execute("return window.__copied;", vec![]).await.unwrap();
    let mermaid = copied[0].as_str().unwrap();
    assert!(mermaid.starts_with("erDiagram\n  users {"), "{mermaid}");
    assert!(mermaid.contains("messages }o--|| users : \"author\""), "{mermaid}");
    browser.close().await;
}
