//! The docs widget as a reader meets it, on `widget/demo.html`: a docs page with long prose,
//! several code blocks, six views, a dark theme of its own, a strict Content-Security-Policy
//! and a stylesheet that restyles `*`, `pre` and `svg`. Nothing loads until a view comes near
//! the viewport; all views share one engine; each shows what the code above it does and
//! follows edits; a broken block or a failed analysis stays in its own views.

use convex_lens_e2e::{playground_url, Browser};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

const SCHEMA: usize = 0;
const INDEXES: usize = 1;
const RERUNS: usize = 2;
const FINDINGS: usize = 3;
const SUMMARY: usize = 4;
const CALLS: usize = 5;

fn demo_url() -> String {
    format!("{}widget/demo.html", playground_url())
}

/// The texts of what matches `css` in a widget's shadow root.
async fn texts(browser: &Browser, widget: usize, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll('convex-lens-view')[arguments[0]].shadowRoot.querySelectorAll(arguments[1])].map((e) => e.textContent)";
    let value = browser.client.execute(script, vec![json!(widget), json!(css)]).await.expect("the widget's texts");
    serde_json::from_value(value).expect("strings")
}

/// Waits until something matches `css` in a widget's shadow root.
async fn wait_in(browser: &Browser, widget: usize, css: &str) {
    let script = "return !!document.querySelectorAll('convex-lens-view')[arguments[0]].shadowRoot?.querySelector(arguments[1])";
    browser.wait_until(&format!("widget {widget} shows `{css}`"), script, vec![json!(widget), json!(css)]).await;
}

async fn wait_state(browser: &Browser, widget: usize, state: &str) {
    let script = "return document.querySelectorAll('convex-lens-view')[arguments[0]].dataset.state === arguments[1]";
    browser.wait_until(&format!("widget {widget} is {state}"), script, vec![json!(widget), json!(state)]).await;
}

async fn states(browser: &Browser) -> Vec<String> {
    let value = browser.client.execute("return [...document.querySelectorAll('convex-lens-view')].map((w) => w.dataset.state ?? '')", vec![]).await.unwrap();
    serde_json::from_value(value).unwrap()
}

/// Scrolls each widget into view in turn, waiting until it is ready.
async fn visit_all(browser: &Browser) {
    let count = states(browser).await.len();
    for widget in 0..count {
        browser.client.execute("document.querySelectorAll('convex-lens-view')[arguments[0]].scrollIntoView()", vec![json!(widget)]).await.unwrap();
        wait_state(browser, widget, "ready").await;
    }
}

/// The requests the server answered since `from` lines of its log.
fn requests_since(from: usize) -> Vec<String> {
    let path = std::env::var("CONVEX_LENS_REQUEST_LOG").expect("CONVEX_LENS_REQUEST_LOG is not set: run the end-to-end tests through `cargo xtask test`");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")).lines().skip(from).map(str::to_owned).collect()
}

fn log_length() -> usize {
    requests_since(0).len()
}

#[tokio::test]
async fn nothing_loads_until_a_view_is_near_and_all_views_share_one_engine() {
    let start = log_length();
    let browser = Browser::open("about:blank").await;
    // A short window: the first view is more than a screen below the top.
    browser.client.set_window_size(1400, 500).await.unwrap();
    browser.client.execute("window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.blockedURI))", vec![]).await.unwrap();
    browser.goto(&demo_url()).await;
    browser.wait_until("every widget knows whether it is near the viewport", "return [...document.querySelectorAll('convex-lens-view')].every((w) => w.dataset.state)", vec![]).await;
    assert!(states(&browser).await.iter().all(|s| s == "idle"), "{:?}", states(&browser).await);
    let early = requests_since(start);
    assert!(!early.iter().any(|r| r.contains("worker") || r.contains("wasm") || r.contains("convex_lens_widget")), "loaded before scrolling: {early:?}");
    browser.client.set_window_size(1400, 900).await.unwrap();
    visit_all(&browser).await;
    let requests = requests_since(start);
    let engines = requests.iter().filter(|r| r.ends_with("/widget/convex_lens_widget_bg.wasm")).count();
    assert_eq!(engines, 1, "one engine for six views: {requests:?}");
    assert!(requests.iter().all(|r| r.contains(" /widget/")), "only the widget's own files: {requests:?}");
    let origin = browser.client.execute("return [...performance.getEntriesByType('resource')].map((e) => new URL(e.name).origin).filter((o) => o !== location.origin)", vec![]).await.unwrap();
    assert_eq!(origin, json!([]), "no request to another origin");
    let violations = browser.client.execute("return window.__violations ?? []", vec![]).await.unwrap();
    assert_eq!(violations, json!([]), "nothing the page's CSP blocks");
    // From near the viewport to drawn, per view: the first one loads the engine (cold), the
    // others find it ready (warm). Printed with --nocapture, never asserted.
    let times = browser.client.execute("return performance.getEntriesByName('convex-lens: view drawn').map((m) => `${m.detail.view} ${m.duration.toFixed(0)} ms`)", vec![]).await.unwrap();
    eprintln!("time to view drawn (cold first, then warm): {times}");
    browser.close().await;
}

#[tokio::test]
async fn each_view_shows_what_the_code_above_it_does() {
    let browser = Browser::open(&demo_url()).await;
    visit_all(&browser).await;
    // The schema: the page's tables, centred on `messages`, its neighbours lit.
    let nodes = texts(&browser, SCHEMA, ".node .node-title").await;
    assert_eq!(nodes, ["users", "channels", "messages"]);
    wait_in(&browser, SCHEMA, ".diagram-frame[data-focus='messages'] .node.selected[data-node='messages']").await;
    wait_in(&browser, SCHEMA, ".node.lit[data-node='channels']").await;
    // Each read and what serves it, with the index the scan lacks.
    let reads = texts(&browser, INDEXES, ".site .site-head").await;
    assert!(reads.iter().any(|r| r.starts_with("indexed") && r.contains("messages:list") && r.contains("by_channel")), "{reads:?}");
    assert!(reads.iter().any(|r| r.starts_with("full scan") && r.contains("messages:archived")), "{reads:?}");
    assert_eq!(texts(&browser, INDEXES, ".missing-index .definition").await, [".index(\"by_archived\", [\"archived\"])"]);
    // What `send` re-runs: only the subscriptions of the channel it wrote to.
    let reruns = texts(&browser, RERUNS, ".rerun-group[data-subject='messages:send'] .rerun").await;
    assert_eq!(reruns.len(), 1, "{reruns:?}");
    assert!(reruns[0].starts_with("messages:list keyed"), "{reruns:?}");
    wait_in(&browser, RERUNS, ".node.lit[data-node='messages:list']").await;
    // The findings, with their advice; the summary of the inline files; the call graph.
    let findings = texts(&browser, FINDINGS, ".finding .finding-text").await;
    assert!(findings[0].contains("messages:archived") && findings[0].contains("channels"), "{findings:?}");
    assert_eq!(texts(&browser, SUMMARY, ".findings-line").await, ["1 warning"]);
    assert_eq!(texts(&browser, CALLS, ".node .node-title").await, ["digest:recent", "digest:send", "cron digest"]);
    // The page's CSS restyles `svg`, `pre` and `*`: none of it reaches inside.
    let style = browser
        .client
        .execute(
            "const root = document.querySelector('convex-lens-view').shadowRoot; \
             return [getComputedStyle(root.querySelector('svg')).display, getComputedStyle(root.querySelector('.root')).fontFamily]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(style[0], "block", "the diagram shows");
    assert!(style[1].as_str().unwrap().starts_with("system-ui"), "its own font: {style}");
    browser.close().await;
}

#[tokio::test]
async fn an_edit_updates_the_views_and_a_syntax_error_stays_in_the_views_of_that_code() {
    let browser = Browser::open(&demo_url()).await;
    visit_all(&browser).await;
    // The messages block is editable (its view says `editable`): type a new query at its end.
    let code = browser.client.find(Locator::Css("#messages-block code")).await.unwrap();
    browser.client.execute("const code = document.querySelector('#messages-block code'); code.scrollIntoView({ block: 'center' }); code.focus(); const range = document.createRange(); range.selectNodeContents(code); range.collapse(false); const s = getSelection(); s.removeAllRanges(); s.addRange(range);", vec![]).await.unwrap();
    let added = "\nexport const everyone = query({ args: {}, handler: (ctx) => ctx.db.query(\"users\").collect() });\n";
    code.send_keys(added).await.unwrap();
    wait_in(&browser, INDEXES, ".site-functions").await;
    browser
        .wait_until(
            "the indexes view lists the new read",
            "return [...document.querySelectorAll('convex-lens-view')[1].shadowRoot.querySelectorAll('.site-functions')].some((e) => e.textContent === 'messages:everyone')",
            vec![],
        )
        .await;
    // A syntax error: the views of that code say where, and keep their last view; the others
    // (the schema's, the inline files') are untouched.
    code.send_keys("export const broken = (;").await.unwrap();
    wait_state(&browser, INDEXES, "stale").await;
    wait_state(&browser, RERUNS, "stale").await;
    let error = texts(&browser, INDEXES, ".errors .error").await;
    assert!(error[0].starts_with("convex/messages.ts:"), "{error:?}");
    assert!(!texts(&browser, INDEXES, ".site-functions").await.is_empty(), "the last view stays");
    assert_eq!(states(&browser).await[SCHEMA], "ready");
    assert_eq!(states(&browser).await[SUMMARY], "ready");
    browser.screenshot("widget-stale").await;
    for _ in 0.."export const broken = (;".len() {
        code.send_keys(&Key::Backspace.to_string()).await.unwrap();
    }
    wait_state(&browser, INDEXES, "ready").await;
    assert_eq!(texts(&browser, INDEXES, ".errors .error").await, Vec::<String>::new());
    browser.close().await;
}

/// The next request to the shared worker reaches it as something the engine cannot read (a
/// crash), or never reaches it (a runaway analysis, stopped by the timeout).
const CORRUPT_NEXT: &str = r#"
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
        Worker.prototype.postMessage = post;
        return post.call(this, { ...message, files: "not a file list" });
    };"#;
const DROP_NEXT: &str = r#"
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function () { Worker.prototype.postMessage = post; };"#;

#[tokio::test]
async fn a_crash_or_a_runaway_analysis_is_reported_in_its_view_only() {
    let browser = Browser::open(&demo_url()).await;
    visit_all(&browser).await;
    for (fault, said) in [(CORRUPT_NEXT, "crashed"), (DROP_NEXT, "stopped after 10 s")] {
        browser.client.execute(fault, vec![]).await.unwrap();
        // The summary's files are inside it, shown because it is editable: edit one.
        browser.client.execute("const pre = document.querySelectorAll('convex-lens-view')[4].shadowRoot.querySelector('pre.file'); pre.textContent += '\\n// edited'; pre.dispatchEvent(new InputEvent('input'));", vec![]).await.unwrap();
        let reported = "const widget = document.querySelectorAll('convex-lens-view')[4]; \
            return widget.dataset.state === 'stale' && widget.shadowRoot.querySelector('.errors').textContent.includes(arguments[0])";
        browser.wait_until(&format!("the summary says the analysis {said}"), reported, vec![json!(said)]).await;
        assert!(states(&browser).await.iter().enumerate().all(|(i, s)| i == SUMMARY || s == "ready"));
        // The engine was replaced: a view that asks again is answered.
        browser.client.execute("document.querySelectorAll('convex-lens-view')[0].setAttribute('focus', 'users')", vec![]).await.unwrap();
        wait_in(&browser, SCHEMA, ".diagram-frame[data-focus='users']").await;
        browser.client.execute("document.querySelectorAll('convex-lens-view')[0].setAttribute('focus', 'messages')", vec![]).await.unwrap();
        wait_in(&browser, SCHEMA, ".diagram-frame[data-focus='messages']").await;
    }
    browser.close().await;
}

#[tokio::test]
async fn ten_views_on_a_page_all_answer_and_a_diagram_node_selects_by_keyboard() {
    let browser = Browser::open(&demo_url()).await;
    let add = r##"
        const main = document.querySelector("main");
        for (const view of ["schema", "indexes", "reruns", "calls", "findings"]) {
            const widget = document.createElement("convex-lens-view");
            widget.setAttribute("view", view);
            widget.setAttribute("selector", "#schema-block, #messages-block");
            main.append(widget);
        }"##;
    browser.client.execute(add, vec![]).await.unwrap();
    visit_all(&browser).await;
    assert_eq!(states(&browser).await.len(), 11);
    // A node is a button: focus it and press Enter to light its neighbours.
    browser.client.execute("document.querySelectorAll('convex-lens-view')[6].scrollIntoView(); document.querySelectorAll('convex-lens-view')[6].shadowRoot.querySelector(\"[data-node='users']\").focus()", vec![]).await.unwrap();
    browser.client.active_element().await.unwrap().send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_in(&browser, 6, ".node.selected[data-node='users']").await;
    browser.close().await;
}

#[tokio::test]
async fn open_in_playground_and_the_iframe_form_carry_the_same_files() {
    let browser = Browser::open(&demo_url()).await;
    visit_all(&browser).await;
    let link = browser.client.execute("return document.querySelectorAll('convex-lens-view')[1].shadowRoot.querySelector('a.open').href", vec![]).await.unwrap();
    let link = link.as_str().unwrap().to_owned();
    let fragment = link.split_once('#').map(|(_, f)| f.to_owned()).expect("a share fragment");
    assert!(fragment.starts_with("v1="), "{link}");
    browser.goto(&link).await;
    browser.open_tab("tables").await;
    browser.wait_for(".table[data-table='messages']").await;
    assert_eq!(browser.texts(".table .table-name").await, ["users", "channels", "messages"]);
    // The same link's files in the iframe form, one view.
    browser.goto(&format!("{}widget/embed.html#{fragment}&view=indexes&theme=light", playground_url())).await;
    wait_state(&browser, 0, "ready").await;
    let reads = texts(&browser, 0, ".site .site-functions").await;
    assert!(reads.contains(&"messages:archived".to_owned()), "{reads:?}");
    browser.screenshot("widget-embed").await;
    browser.close().await;
}

#[tokio::test]
async fn the_views_follow_the_host_theme_and_fit_a_phone() {
    let browser = Browser::open(&demo_url()).await;
    visit_all(&browser).await;
    let theme = "return document.querySelectorAll('convex-lens-view')[0].shadowRoot.querySelector('.root').dataset.theme";
    assert_eq!(browser.client.execute(theme, vec![]).await.unwrap(), json!("dark"));
    let show_first = "document.querySelectorAll('convex-lens-view')[0].scrollIntoView({ block: 'center' })";
    browser.client.execute(show_first, vec![]).await.unwrap();
    browser.screenshot("widget-dark").await;
    browser.click("#theme-toggle").await;
    browser.wait_until("the views follow the page to light", &format!("return ({}) === 'light'", theme.trim_start_matches("return ")), vec![]).await;
    browser.client.execute(show_first, vec![]).await.unwrap();
    browser.screenshot("widget-light").await;
    // At 320 px the page does not scroll sideways: the diagrams scroll inside their frames.
    browser.client.set_window_size(320, 800).await.unwrap();
    browser.wait_until("the page fits 320 px", "return document.documentElement.scrollWidth <= window.innerWidth", vec![]).await;
    browser.client.execute("document.querySelectorAll('convex-lens-view')[1].scrollIntoView()", vec![]).await.unwrap();
    let widths: Value = browser.client.execute("return [...document.querySelectorAll('convex-lens-view')].map((w) => w.getBoundingClientRect().width)", vec![]).await.unwrap();
    assert!(widths.as_array().unwrap().iter().all(|w| w.as_f64().unwrap() <= 320.0), "{widths}");
    browser.screenshot("widget-narrow").await;
    browser.close().await;
}

/// axe-core (the playground's pinned copy) on the demo page, inside the views' shadow roots too:
/// every view drawn, a diagram node selected (lit and dimmed nodes have colours of their own) and
/// a view outdated by a syntax error, in the page's dark and light themes; then the iframe form
/// in both themes. No serious or critical violation.
#[tokio::test]
async fn axe_finds_no_serious_or_critical_violation_in_the_views() {
    let browser = Browser::open(&demo_url()).await;
    visit_all(&browser).await;
    let select = "document.querySelectorAll('convex-lens-view')[arguments[0]].shadowRoot.querySelector(\"[data-node='messages']\").dispatchEvent(new MouseEvent('click', { bubbles: true }))";
    browser.client.execute(select, vec![json!(SCHEMA)]).await.unwrap();
    wait_in(&browser, SCHEMA, ".node.selected[data-node='messages']").await;
    let broken = "const code = document.querySelector('#messages-block code'); code.textContent += '\\nexport const broken = (;';";
    browser.client.execute(broken, vec![]).await.unwrap();
    wait_state(&browser, INDEXES, "stale").await;
    let mut found = Vec::new();
    for theme in ["dark", "light"] {
        if theme == "light" {
            browser.click("#theme-toggle").await;
            let light = "return document.querySelector('convex-lens-view').shadowRoot.querySelector('.root').dataset.theme === 'light'";
            browser.wait_until("the views follow the page to light", light, vec![]).await;
        }
        found.extend(browser.axe_violations(None).await.into_iter().map(|v| format!("demo page, {theme}: {v}")));
    }
    let link = browser.client.execute("return document.querySelectorAll('convex-lens-view')[0].shadowRoot.querySelector('a.open').href", vec![]).await.unwrap();
    let fragment = link.as_str().and_then(|l| l.split_once('#')).map(|(_, f)| f.to_owned()).expect("a share fragment");
    for theme in ["dark", "light"] {
        browser.goto(&format!("{}widget/embed.html#{fragment}&view=schema&theme={theme}", playground_url())).await;
        wait_state(&browser, 0, "ready").await;
        found.extend(browser.axe_violations(None).await.into_iter().map(|v| format!("iframe form, {theme}: {v}")));
    }
    assert!(found.is_empty(), "axe-core finds:\n{}", found.join("\n"));
    browser.close().await;
}
