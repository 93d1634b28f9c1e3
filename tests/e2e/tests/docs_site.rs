//! The README's VitePress recipe, built by `cargo xtask test` into a real VitePress site
//! (`tests/docs-site`, `CONVEX_LENS_DOCS_URL`): the views read the code fences VitePress renders
//! (no `data-path`: each file is named from its code), survive Vue's hydration, and follow the
//! site's own dark mode.

use convex_lens_e2e::Browser;
use serde_json::json;

fn site_url() -> String {
    std::env::var("CONVEX_LENS_DOCS_URL").expect("CONVEX_LENS_DOCS_URL is not set: run the end-to-end tests through `cargo xtask test`")
}

async fn texts(browser: &Browser, widget: usize, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll('convex-lens-view')[arguments[0]].shadowRoot.querySelectorAll(arguments[1])].map((e) => e.textContent)";
    serde_json::from_value(browser.client.execute(script, vec![json!(widget), json!(css)]).await.unwrap()).unwrap()
}

#[tokio::test]
async fn the_vitepress_recipe_shows_the_views_of_the_page_code() {
    let browser = Browser::open(&site_url()).await;
    let count = browser.wait_until("the page's views", "const n = document.querySelectorAll('convex-lens-view').length; return n > 0 && n", vec![]).await;
    assert_eq!(count, json!(3));
    for widget in 0..3 {
        browser.client.execute("document.querySelectorAll('convex-lens-view')[arguments[0]].scrollIntoView()", vec![json!(widget)]).await.unwrap();
        let ready = "return document.querySelectorAll('convex-lens-view')[arguments[0]].dataset.state === 'ready'";
        browser.wait_until(&format!("view {widget} is ready"), ready, vec![json!(widget)]).await;
    }
    assert_eq!(texts(&browser, 0, ".node .node-title").await, ["projects", "tasks"]);
    let reads = texts(&browser, 1, ".site .site-head").await;
    assert!(reads.iter().any(|r| r.starts_with("indexed") && r.contains("tasks:forProject")), "{reads:?}");
    assert!(reads.iter().any(|r| r.starts_with("full scan") && r.contains("tasks:open")), "{reads:?}");
    let reruns = texts(&browser, 2, ".rerun-group[data-subject='tasks:add'] .rerun .function-name").await;
    assert_eq!(reruns, ["tasks:forProject", "tasks:open"]);
    // The link to the playground names the files as the engine did.
    let link = browser.client.execute("return document.querySelectorAll('convex-lens-view')[1].shadowRoot.querySelector('a.open').href", vec![]).await.unwrap();
    assert!(link.as_str().unwrap().contains("#v1="), "{link}");
    // VitePress's dark mode is a class on <html>: the views follow it.
    browser.client.execute("document.documentElement.classList.add('dark')", vec![]).await.unwrap();
    let dark = "return document.querySelector('convex-lens-view').shadowRoot.querySelector('.root').dataset.theme === 'dark'";
    browser.wait_until("the views follow VitePress's dark mode", dark, vec![]).await;
    browser.client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    browser.screenshot("docs-site-vitepress").await;
    browser.close().await;
}
