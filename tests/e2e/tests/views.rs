//! The overview, the diagnostics with their code frames, the light and dark themes, the
//! keyboard shortcuts, and the two promises the page makes: after it has loaded it makes no
//! network request, and names from the user's code are text that never runs.

use std::time::Duration;

use convex_lens_e2e::Browser;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

async fn selected_tab(browser: &Browser) -> String {
    browser.wait_for("[role='tab'][aria-selected='true']").await.attr("data-tab").await.unwrap().unwrap_or_default()
}

async fn eval(browser: &Browser, script: &str) -> Value {
    browser.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Presses keys with the focus on the page's body, as a user does outside any text field.
async fn press(browser: &Browser, keys: &str) {
    eval(browser, "document.activeElement && document.activeElement.blur()").await;
    browser.client.find(Locator::Css("body")).await.unwrap().send_keys(keys).await.unwrap();
}

#[tokio::test]
async fn the_overview_is_first_with_the_counts_the_ranked_findings_and_their_places() {
    let browser = Browser::open_playground().await;
    browser.wait_for(".overview [data-count='tables']").await;
    assert_eq!(selected_tab(&browser).await, "overview");
    assert_eq!(browser.tab_ids().await[0], "overview");
    let count = |id: &'static str| {
        let browser = &browser;
        async move { browser.texts(&format!("[data-count='{id}'] .count-number")).await }
    };
    assert_eq!(count("tables").await, ["5"]);
    assert_eq!(count("indexes").await, ["9"]);
    assert_eq!(count("functions").await, ["17"]);
    assert_eq!((count("routes").await, count("crons").await, count("components").await), (vec!["2".into()], vec!["2".into()], vec!["0".into()]));
    assert_eq!(browser.texts("[data-count='functions'] .count-detail").await, ["6 queries, 9 mutations, 1 action, 1 HTTP action · 10 public, 6 internal"]);
    let index_kinds = browser.texts("[data-count='indexes'] .count-detail").await;
    assert!(index_kinds[0].contains("search") && index_kinds[0].contains("vector") && index_kinds[0].contains("staged"), "{index_kinds:?}");

    // Most severe first: no note before a warning, no warning before an error.
    let rank = |severity: &str| ["error", "warning", "note"].iter().position(|s| *s == severity).expect("a known severity");
    // Read from the DOM: the badges' text is upper case on the screen.
    let severities: Vec<usize> = browser.texts(".finding .severity").await.iter().map(|s| rank(&s.to_lowercase())).collect();
    assert!(!severities.is_empty());
    assert!(severities.windows(2).all(|w| w[0] <= w[1]), "{severities:?}");
    // The example's presence list scans its whole table (the Indexes tab says so too).
    browser.wait_for(".finding[data-kind='full-scan']").await;
    let mut scans = Vec::new();
    for finding in browser.client.find_all(Locator::Css(".finding[data-kind='full-scan']")).await.unwrap() {
        let text = finding.find(Locator::Css(".finding-text")).await.unwrap().text().await.unwrap();
        scans.push((text, finding));
    }
    let texts: Vec<&str> = scans.iter().map(|(t, _)| t.as_str()).collect();
    let (_, scan) = scans.iter().find(|(t, _)| t.contains("scans presence")).unwrap_or_else(|| panic!("{texts:?}"));
    // On demand: how it behaves at scale and how to fix it.
    scan.find(Locator::Css(".finding-details > summary")).await.unwrap().click().await.unwrap();
    let advice = scan.find(Locator::Css(".advice")).await.unwrap().text().await.unwrap();
    assert!(advice.contains("Its cost grows with the table") && advice.contains(".index(\"by_lastSeen\""), "{advice}");
    browser.screenshot("views-overview").await;

    // Its place opens the code.
    let place = scan.find(Locator::Css(".place")).await.unwrap();
    let label = place.text().await.unwrap();
    let (file, line) = label.rsplit_once(':').unwrap();
    place.click().await.unwrap();
    browser.wait_for(&format!(".file.active[data-path='{file}']")).await;
    let active_line = browser.wait_for(".cm-activeLine").await.text().await.unwrap();
    let source = std::fs::read_to_string(format!("{}/../../www/examples/chat/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert_eq!(active_line, source.lines().nth(line.parse::<usize>().unwrap() - 1).unwrap());

    // What rests on a library convex-lens cannot read is one quiet line, by the library value.
    browser.add_file("convex/notes.ts").await;
    browser.paste("import { query } from \"./_generated/server\";\nimport { vNote } from \"@acme/validators\";\nexport const list = query({ args: { note: vNote }, handler: async () => [] });\n").await;
    let unknown = browser.wait_for(".unverified-group .cause").await.text().await.unwrap();
    assert_eq!(unknown, "vNote from \"@acme/validators\"");
    browser.close().await;
}

const BROKEN: &str = "import { query } from \"./_generated/server\";\n\nexport const list = query({\n  handler: async (ctx) => {\n    return await ctx.db.query(\"messages\").collect(;\n  },\n});\n";

#[tokio::test]
async fn diagnostics_have_code_frames_by_file_and_line_and_open_the_code() {
    let browser = Browser::open_with_example().await;
    browser.add_file("convex/broken.ts").await;
    browser.paste(BROKEN).await;
    // The analysis of the broken file puts a notice above the tabs, which moves them: a click
    // made while it appears can land beside the tab (seen under load), so wait for it first.
    browser.wait_for(".results .outdated").await;
    browser.open_tab("diagnostics").await;
    let entry = browser.wait_for(".diagnostic-file[data-file='convex/broken.ts'] .diagnostic-entry.error").await;
    let place = entry.find(Locator::Css(".place")).await.unwrap().text().await.unwrap();
    assert!(place.starts_with("convex/broken.ts:5:"), "{place}");
    let column: usize = place.rsplit(':').next().unwrap().parse().unwrap();
    let marked = browser.texts(".diagnostic-file[data-file='convex/broken.ts'] .frame-line.marked .frame-text").await;
    assert_eq!(marked, ["    return await ctx.db.query(\"messages\").collect(;"]);
    let numbers = browser.texts(".diagnostic-file[data-file='convex/broken.ts'] .frame-line .gutter").await;
    assert_eq!(numbers.iter().map(|n| n.trim_end_matches(['│', ' ']).trim().to_owned()).collect::<Vec<_>>(), ["3", "4", "5", "6", "7"]);
    // The caret is under the column the place names.
    let marker = browser.texts(".diagnostic-file[data-file='convex/broken.ts'] .frame-marker").await[0].clone();
    let after_gutter = marker.split_once("│ ").unwrap().1;
    assert_eq!(after_gutter.find('^').unwrap() + 1, column, "{marker:?}");
    // The Problems panel under the editor lists it too, and the tab's count is the panel's.
    assert!(browser.texts(".problems .diagnostic .place").await.contains(&place));
    browser.screenshot("views-diagnostics").await;

    // Clicking it opens the file with the cursor there.
    browser.select_file("convex/schema.ts").await;
    browser.click(".diagnostic-file[data-file='convex/broken.ts'] .diagnostic-entry.error .place").await;
    browser.wait_for(".file.active[data-path='convex/broken.ts']").await;
    let line = browser.wait_for(".cm-activeLine").await.text().await.unwrap();
    assert_eq!(line, "    return await ctx.db.query(\"messages\").collect(;");
    browser.close().await;
}

/// The page's background and the editor's, as computed.
async fn colours(browser: &Browser) -> (String, String, String) {
    let script = "return [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('.cm-editor')).backgroundColor, document.documentElement.dataset.theme]";
    let values = eval(browser, script).await;
    let value = |i: usize| values[i].as_str().unwrap().to_owned();
    (value(0), value(1), value(2))
}

#[tokio::test]
async fn the_theme_follows_the_system_can_be_switched_and_is_kept() {
    let browser = Browser::open_with_example().await;
    browser.open_tab("overview").await;
    // By default the page follows the system setting, and follows it when it changes.
    assert_eq!(eval(&browser, "return document.documentElement.dataset.themeChoice").await, "system");
    browser.cdp("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] })).await;
    browser.wait_for("html[data-theme='dark']").await;
    browser.cdp("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] })).await;
    browser.wait_for("html[data-theme='light']").await;

    browser.choose_theme("light").await;
    let light = colours(&browser).await;
    assert_eq!(light.2, "light");
    browser.screenshot("views-theme-light").await;
    browser.choose_theme("dark").await;
    let dark = colours(&browser).await;
    assert_eq!(dark.2, "dark");
    assert_ne!(light.0, dark.0, "the page's background changes");
    assert_ne!(light.1, dark.1, "the editor's background changes");
    browser.screenshot("views-theme-dark").await;
    browser.open_tab("coverage").await;
    browser.screenshot("views-theme-dark-coverage").await;

    // The choice outlives a reload, and a choice of its own wins over the system's.
    browser.client.refresh().await.unwrap();
    browser.wait_for(".overview").await;
    assert_eq!(colours(&browser).await, dark);
    assert_eq!(browser.wait_for(".theme-choice").await.prop("value").await.unwrap().as_deref(), Some("dark"));
    browser.choose_theme("system").await;
    assert_eq!(colours(&browser).await.0, light.0);
    browser.close().await;
}

#[tokio::test]
async fn keyboard_shortcuts_switch_tabs_focus_the_panes_and_are_listed_in_the_help() {
    let browser = Browser::open_with_example().await;
    let tabs = browser.tab_ids().await;
    press(&browser, "3").await;
    browser.wait_for(&format!("[role='tab'][data-tab='{}'][aria-selected='true']", tabs[2])).await;
    // The focus is on the tab, whose arrow keys move on (the WAI-ARIA tabs pattern).
    assert_eq!(eval(&browser, "return document.activeElement.dataset.tab").await, tabs[2].as_str());
    browser.client.active_element().await.unwrap().send_keys(&Key::Right.to_string()).await.unwrap();
    browser.wait_for(&format!("[role='tab'][data-tab='{}'][aria-selected='true']", tabs[3])).await;
    browser.client.active_element().await.unwrap().send_keys(&Key::Home.to_string()).await.unwrap();
    browser.wait_for(&format!("[role='tab'][data-tab='{}'][aria-selected='true']", tabs[0])).await;
    press(&browser, "]").await;
    browser.wait_for(&format!("[role='tab'][data-tab='{}'][aria-selected='true']", tabs[1])).await;
    press(&browser, "[").await;
    browser.wait_for(&format!("[role='tab'][data-tab='{}'][aria-selected='true']", tabs[0])).await;

    let untouched = browser.editor_text().await;
    press(&browser, "e").await;
    assert_eq!(eval(&browser, "return document.activeElement.classList.contains('cm-content')").await, true);
    // The key that moved the focus is not typed where it landed.
    assert_eq!(browser.editor_text().await, untouched);
    // Keys typed in the editor are text, not shortcuts; Escape leaves it once nothing in the
    // editor takes it: autocompletion may open on the typed key (after its own delay), and then
    // the first Escape rightly closes the completion.
    let before = browser.editor_text().await;
    browser.client.active_element().await.unwrap().send_keys("2").await.unwrap();
    assert_eq!(browser.editor_text().await.len(), before.len() + 1);
    assert_eq!(selected_tab(&browser).await, tabs[0]);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    if eval(&browser, "return document.querySelector('.cm-tooltip-autocomplete') !== null").await == true {
        browser.client.active_element().await.unwrap().send_keys(&Key::Escape.to_string()).await.unwrap();
        assert_eq!(eval(&browser, "return document.activeElement.classList.contains('cm-content')").await, true);
    }
    browser.client.active_element().await.unwrap().send_keys(&Key::Escape.to_string()).await.unwrap();
    assert_eq!(eval(&browser, "return document.activeElement.classList.contains('cm-content')").await, false);

    press(&browser, "f").await;
    assert_eq!(eval(&browser, "return document.activeElement.closest('.file.active') !== null").await, true);
    press(&browser, "r").await;
    assert_eq!(eval(&browser, "return document.activeElement.getAttribute('role')").await, "tab");
    press(&browser, "n").await;
    browser.wait_for(".path-input").await;
    browser.type_path("convex/shortcut.ts").await;
    browser.wait_for(".file.active[data-path='convex/shortcut.ts']").await;
    press(&browser, "t").await;
    browser.wait_for("html[data-theme-choice='light']").await;

    press(&browser, "?").await;
    browser.wait_for(".shortcuts-dialog[open]").await;
    let keys = browser.texts(".shortcuts-dialog kbd").await;
    for key in ["?", "1 … 9", "f", "e", "r", "n", "t", "Esc"] {
        assert!(keys.iter().any(|k| k == key), "{key} is not in the help: {keys:?}");
    }
    browser.screenshot("views-shortcuts").await;
    browser.client.active_element().await.unwrap().send_keys(&Key::Escape.to_string()).await.unwrap();
    browser.wait_for_none(".shortcuts-dialog[open]").await;
    // The header's button opens it too; it has a name for screen readers.
    let button = browser.wait_for(".shortcuts-button").await;
    assert_eq!(button.attr("aria-label").await.unwrap().as_deref(), Some("Keyboard shortcuts"));
    button.click().await.unwrap();
    browser.wait_for(".shortcuts-dialog[open]").await;
    browser.click(".close-dialog").await;
    browser.wait_for_none(".shortcuts-dialog[open]").await;
    browser.close().await;
}

#[tokio::test]
async fn landmarks_headings_labels_and_a_live_region_let_a_screen_reader_reach_the_findings() {
    let browser = Browser::open_playground().await;
    browser.wait_for(".overview").await;
    let landmarks = eval(&browser, "return ['header', 'main', 'nav[aria-label]', 'section[aria-labelledby=\"results-title\"]'].map((css) => document.querySelectorAll(css).length)").await;
    assert_eq!(landmarks, json!([1, 1, 1, 1]));
    let headings = browser.texts("h1, h2, h3").await;
    for heading in ["convex-lens", "Findings", "Could not verify", "Problems"] {
        assert!(headings.iter().any(|h| h.starts_with(heading)), "{heading} is not a heading: {headings:?}");
    }
    assert_eq!(eval(&browser, "return document.getElementById('results-title').textContent").await, "Analysis results");
    // Every button has a name: its text or its label.
    let unnamed = eval(&browser, "return [...document.querySelectorAll('button, select, input')].filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length)).map((e) => e.outerHTML)").await;
    assert_eq!(unnamed, json!([]));
    // The live region is hidden from sight, so its text is read through the DOM.
    let announced = eval(&browser, "return document.querySelector(\".results [role='status']\").textContent").await;
    assert!(announced.as_str().unwrap().starts_with("Analysed: 5 tables, 17 functions, "), "{announced}");
    let tablist = eval(&browser, "const list = document.querySelector('[role=tablist]'); const panel = document.querySelector('[role=tabpanel]'); return [list.getAttribute('aria-label'), panel.getAttribute('aria-labelledby'), document.querySelector('[role=tab][aria-selected=true]').id]").await;
    assert_eq!(tablist[1], tablist[2]);
    browser.close().await;
}

/// The lines of the server's request log (`cargo xtask test` sets `CONVEX_LENS_REQUEST_LOG`).
fn served_requests() -> Vec<String> {
    let path = std::env::var("CONVEX_LENS_REQUEST_LOG").expect("CONVEX_LENS_REQUEST_LOG is not set: run the end-to-end tests through `cargo xtask test`");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")).lines().map(str::to_owned).collect()
}

/// Records, in the page, what a request leaves behind there: a resource timing entry (fetch,
/// XHR, images, scripts, styles, beacons), and a Content-Security-Policy violation (a request to
/// any other origin, which the policy blocks before it leaves).
const WATCH_REQUESTS: &str = r#"
    performance.setResourceTimingBufferSize(100000);
    window.__requests = { before: performance.getEntriesByType("resource").length, violations: [] };
    document.addEventListener("securitypolicyviolation", (e) => window.__requests.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"#;

const REQUESTS_SINCE: &str = r#"
    const entries = performance.getEntriesByType("resource").slice(window.__requests.before).map((e) => e.name);
    return { entries, violations: window.__requests.violations };
"#;

/// Waits until the page has made no request for a while (the worker and its wasm are loaded).
async fn settled_requests() -> Vec<String> {
    let mut seen = served_requests();
    loop {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let now = served_requests();
        if now == seen {
            return now;
        }
        seen = now;
    }
}

#[tokio::test]
async fn after_loading_the_page_makes_no_request_while_it_is_used() {
    let browser = Browser::open_with_example().await;
    let loaded = settled_requests().await;
    assert!(loaded.iter().any(|r| r.contains("convex_lens_worker_bg.wasm")), "the log records the page's requests: {loaded:?}");
    eval(&browser, WATCH_REQUESTS).await;

    // Edit: type, paste, add, rename and delete files, open a problem.
    let editor = browser.wait_for(".cm-content").await;
    editor.click().await.unwrap();
    editor.send_keys("// typed\n").await.unwrap();
    browser.add_file("convex/notes.ts").await;
    browser.paste("import { query } from \"./_generated/server\";\nimport { vNote } from \"@acme/validators\";\nexport const list = query({ args: { note: vNote }, handler: async (ctx) => await ctx.db.query(\"messages\").collect() });\n").await;
    browser.click(".diagnostic .place").await;
    browser.click(".file[data-path='convex/notes.ts'] .rename").await;
    browser.type_path("convex/journal.ts").await;
    browser.wait_for(".file[data-path='convex/journal.ts']").await;
    // Every tab, and what each offers: filters, toggles, show all, links to the code.
    for tab in browser.tab_ids().await {
        browser.open_tab(&tab).await;
        for filter in browser.client.find_all(Locator::Css("[role='tabpanel'] .filter input")).await.unwrap() {
            filter.send_keys("m").await.unwrap();
        }
        for toggle in browser.client.find_all(Locator::Css("[role='tabpanel'] .toggle")).await.unwrap() {
            toggle.click().await.unwrap();
        }
        if let Ok(link) = browser.client.find(Locator::Css("[role='tabpanel'] button.source-link")).await {
            link.click().await.unwrap();
        }
        // A diagram: select a node, then every button of its toolbar (zoom, wide, the exports).
        if let Ok(node) = browser.client.find(Locator::Css("[role='tabpanel'] [data-node] .node-title")).await {
            node.click().await.unwrap();
        }
        for button in browser.client.find_all(Locator::Css("[role='tabpanel'] .diagram-toolbar button")).await.unwrap() {
            button.click().await.unwrap();
        }
    }
    // The theme, the shortcuts and their help.
    for choice in ["dark", "light", "system"] {
        browser.choose_theme(choice).await;
    }
    press(&browser, "?").await;
    browser.wait_for(".shortcuts-dialog[open]").await;
    browser.click(".close-dialog").await;
    press(&browser, "2").await;
    press(&browser, "e").await;
    browser.click(".file[data-path='convex/journal.ts'] .delete").await;
    browser.click(".file[data-path='convex/journal.ts'] .confirm-delete").await;
    browser.wait_for_none(".file[data-path='convex/journal.ts']").await;

    let after = settled_requests().await;
    assert_eq!(after[loaded.len()..], [] as [String; 0], "requests after load");
    let in_page = eval(&browser, REQUESTS_SINCE).await;
    assert_eq!(in_page, json!({ "entries": [], "violations": [] }), "requests after load, seen by the page");
    browser.close().await;
}

/// Payloads that run if a name reaches the page as markup: each sets `window.__pwned` or the
/// title.
const TABLE: &str = "<img src=x onerror=\"window.__pwned='table'\">";
const FIELD: &str = "<svg onload=\"window.__pwned='field'\">";
const INDEX: &str = "\"><script>window.__pwned='index'</script>";
/// A module path, as a file name and as a function reference.
const MODULE: &str = "x\"><img src=x onerror=\"document.title='pwned'\">";
const ROUTE: &str = "/</script><script>window.__pwned='route'</script>";
const CRON: &str = "javascript:window.__pwned='cron'";
const STRING: &str = "<iframe src=\"javascript:window.parent.__pwned='string'\"></iframe>";

fn escaping_files() -> Vec<(String, String)> {
    let js = |s: &str| serde_json::to_string(s).unwrap();
    let schema = format!(
        "import {{ defineSchema, defineTable }} from \"convex/server\";\nimport {{ v }} from \"convex/values\";\n\n\
         export default defineSchema({{\n  {t}: defineTable({{ {f}: v.string(), owner: v.optional(v.id({t})), note: v.literal({s}) }})\n    .index({i}, [{f}]),\n}});\n",
        t = js(TABLE),
        f = js(FIELD),
        i = js(INDEX),
        s = js(STRING),
    );
    let functions = format!(
        "import {{ query, mutation, internalMutation }} from \"./_generated/server\";\nimport {{ v }} from \"convex/values\";\n\n\
         export const list = query({{ args: {{ {f}: v.string() }}, handler: async (ctx) => await ctx.db.query({t}).filter((q) => q.eq(q.field({f}), {s})).collect() }});\n\
         export const byIndex = query({{ args: {{}}, handler: async (ctx) => await ctx.db.query({t}).withIndex({i}).collect() }});\n\
         export const wrong = query({{ args: {{}}, handler: async (ctx) => await ctx.db.query({t}).withIndex({s}).collect() }});\n\
         export const add = mutation({{ args: {{}}, handler: async (ctx) => {{ await ctx.db.insert({t}, {{ {f}: {s}, note: {s} }}); }} }});\n\
         export const purge = internalMutation({{ args: {{}}, handler: async () => {{}} }});\n",
        t = js(TABLE),
        f = js(FIELD),
        i = js(INDEX),
        s = js(STRING),
    );
    let http = format!(
        "import {{ httpRouter }} from \"convex/server\";\nimport {{ httpAction }} from \"./_generated/server\";\n\n\
         const http = httpRouter();\nhttp.route({{ path: {r}, method: \"GET\", handler: httpAction(async () => new Response({s})) }});\nexport default http;\n",
        r = js(ROUTE),
        s = js(STRING),
    );
    let crons = format!(
        "import {{ cronJobs }} from \"convex/server\";\nimport {{ internal }} from \"./_generated/api\";\n\n\
         const crons = cronJobs();\ncrons.interval({c}, {{ minutes: 5 }}, internal.payloads.purge);\ncrons.interval({s}, {{ minutes: 5 }}, internal[{m}].gone);\nexport default crons;\n",
        c = js(CRON),
        m = js(MODULE),
        s = js(STRING),
    );
    vec![
        ("convex/schema.ts".into(), schema),
        ("convex/payloads.ts".into(), functions),
        ("convex/http.ts".into(), http),
        ("convex/crons.ts".into(), crons),
        (format!("convex/{MODULE}.ts"), "export const x = 1;\n".into()),
        // A file that does not parse, whose code frame shows the payload.
        ("convex/broken.ts".into(), format!("export const x = {};\n", js(TABLE)).replace(';', "(")),
    ]
}

/// Waits until the editor shows `path` (which no CSS selector can hold).
async fn wait_until_open(browser: &Browser, path: &str) {
    let started = std::time::Instant::now();
    while browser.texts(".active-path").await != [path] {
        assert!(started.elapsed() < convex_lens_e2e::PATIENCE, "{path} is not opened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a payload would have left in the page had it become markup: elements, handlers,
/// `javascript:` URLs, the globals and the title it sets. The editor's own elements (CodeMirror
/// draws `img` spacers) are left out: it shows the text, as text.
const INJECTED: &str = r#"
    const all = [...document.getElementById("app").querySelectorAll("*")].filter((e) => !e.closest(".cm-editor"));
    const app = { querySelectorAll: (css) => all.filter((e) => e.matches(css)) };
    const elements = app.querySelectorAll("img, script, iframe, object, embed").map((e) => e.outerHTML);
    const handlers = app.querySelectorAll("*").flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.tagName} ${a.name}`));
    const urls = app.querySelectorAll("[href], [src], [action], [formaction]").map((e) => e.outerHTML).filter((h) => /javascript:/i.test(h));
    return { elements, handlers, urls, pwned: window.__pwned ?? null, title: document.title };
"#;

#[tokio::test]
async fn names_from_user_code_are_shown_as_text_and_never_run_in_any_tab() {
    let browser = Browser::open_with_example().await;
    // Every file of the example is replaced: the payloads are the whole backend.
    for path in browser.file_paths().await {
        browser.select_file(&path).await;
        browser.click(&format!(".file[data-path='{path}'] .delete")).await;
        browser.click(&format!(".file[data-path='{path}'] .confirm-delete")).await;
        browser.wait_for_none(&format!(".file[data-path='{path}']")).await;
    }
    for (path, text) in escaping_files() {
        if path == "convex/broken.ts" {
            // The views keep the last model of files that all parse: the payloads' own model
            // must have arrived before the file that does not parse, or (when the analyses of
            // the pastes merge into one) the views show the empty model of the emptied workspace.
            let payloads = "return document.querySelector('.summary-model')?.textContent.startsWith('1 table · 1 index · 5 functions · 1 HTTP route · 2 crons') ?? false";
            browser.wait_until("the payloads' model", payloads, vec![]).await;
        }
        browser.click(".add-file").await;
        let input = browser.wait_for(".path-input").await;
        input.clear().await.unwrap();
        // The path holds quotes; it is typed as a user types it.
        input.send_keys(&format!("{path}{}", Key::Enter)).await.unwrap();
        wait_until_open(&browser, &path).await;
        browser.paste(&text).await;
    }
    browser.wait_for(".diagnostic").await;
    let clean = json!({ "elements": [], "handlers": [], "urls": [], "pwned": null, "title": "convex-lens playground" });
    let mut shown = String::new();
    for tab in browser.tab_ids().await {
        browser.open_tab(&tab).await;
        // Open whatever the tab folds away.
        eval(&browser, "document.querySelectorAll('[role=tabpanel] details').forEach((d) => d.open = true); document.querySelector('.show-all')?.click()").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(eval(&browser, INJECTED).await, clean, "the {tab} tab");
        shown.push_str(eval(&browser, "return document.querySelector('[role=tabpanel]').innerText").await.as_str().unwrap());
        browser.screenshot(&format!("views-escaping-{tab}")).await;
    }
    // The names are there, as the user wrote them.
    for payload in [TABLE, FIELD, INDEX, MODULE, ROUTE, CRON, STRING] {
        assert!(shown.contains(payload), "{payload} is not shown as text in:\n{shown}");
    }
    // A file whose path is a payload is listed as text too (Convex does not take it as a module).
    let files = browser.file_paths().await;
    assert!(files.contains(&format!("convex/{MODULE}.ts")), "{files:?}");
    assert_eq!(eval(&browser, INJECTED).await, clean);
    browser.close().await;
}
