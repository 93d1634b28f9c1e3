//! The playground as axe-core judges it, in every results tab and both themes, and as a phone
//! shows it: a shared link reads at 390 px without scrolling sideways.

use convex_lens_e2e::{playground_url, Browser, PHONE};

/// The tabs that draw a diagram, which the worker lays out after the lists are shown.
const DIAGRAMS: [&str; 3] = ["schema", "reactivity", "calls"];

/// Shows a tab with everything it folds away opened, once it is drawn.
async fn show_all_of(browser: &Browser, tab: &str) {
    browser.open_tab(tab).await;
    if DIAGRAMS.contains(&tab) {
        // A selected node adds its details beside the diagram. The first node may lie outside
        // the canvas's view, where no pointer reaches it: the click is dispatched to it.
        let node = browser.wait_for(&format!("[data-diagram='{tab}'] [data-node]")).await;
        let click = "arguments[0].dispatchEvent(new MouseEvent('click', { bubbles: true })); return true";
        browser.client.execute(click, vec![serde_json::to_value(&node).unwrap()]).await.expect("the node takes a click");
        browser.wait_for(".diagram-details").await;
    }
    let opened = "document.querySelectorAll('[role=tabpanel] details').forEach((d) => d.open = true); return true";
    browser.client.execute(opened, vec![]).await.expect("the tab's details open");
}

#[tokio::test]
async fn every_tab_in_both_themes_has_no_serious_or_critical_axe_violation() {
    let browser = Browser::open_with_example().await;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        browser.choose_theme(theme).await;
        for tab in browser.tab_ids().await {
            show_all_of(&browser, &tab).await;
            found.extend(browser.axe_violations(None).await.into_iter().map(|v| format!("{theme} theme, {tab} tab: {v}")));
        }
    }
    assert!(found.is_empty(), "axe-core finds:\n{}", found.join("\n"));
    browser.close().await;
}

/// How wide something is laid out against the width it is shown in, in CSS pixels.
struct Fit {
    laid_out: u64,
    shown: u64,
}

/// The page against the window, the tab's panel against its box, and the list of problems
/// under the code against its box (a pane that scrolls sideways hides as much as a page that
/// does; a code frame or a diagram scrolls or pans in a box of its own).
async fn fits(browser: &Browser) -> [Fit; 3] {
    let script = "const panel = document.querySelector('[role=tabpanel]'); const problems = document.querySelector('.problems .diagnostics'); \
        return [document.documentElement.scrollWidth, window.innerWidth, panel.scrollWidth, panel.clientWidth, problems.scrollWidth, problems.clientWidth]";
    let widths = browser.client.execute(script, vec![]).await.expect("the page's widths");
    let width = |i: usize| widths[i].as_u64().expect("a width");
    [Fit { laid_out: width(0), shown: width(1) }, Fit { laid_out: width(2), shown: width(3) }, Fit { laid_out: width(4), shown: width(5) }]
}

/// A module whose path, names and lines are longer than a phone is wide: a function named at
/// length, a value from a package the playground cannot read (a note with a code frame), and a
/// query that scans a table (a finding with a rewritten query).
const LONG_PATH: &str = "convex/integrations/billing/stripe_subscription_lifecycle_webhook_handlers.ts";
const LONG_MODULE: &str = r#"import { query } from "./_generated/server";
import { vSubscriptionLifecycleEvent } from "@acme/validators-for-subscription-lifecycle-events";

export const listEverySubscriptionLifecycleEventForTheCurrentBillingPeriodIncludingRetries = query({ args: { event: vSubscriptionLifecycleEvent }, handler: async (ctx) => await ctx.db.query("messages").filter((q) => q.eq(q.field("body"), "a string literal that makes this line far wider than any phone")).collect() });
"#;

/// Makes a share link of the chat example with the long module open and the Indexes tab
/// selected.
async fn share_link() -> String {
    let browser = Browser::open_with_example().await;
    browser.add_file(LONG_PATH).await;
    browser.paste(LONG_MODULE).await;
    browser.open_tab("overview").await;
    browser.wait_for(".unverified-group").await;
    browser.open_tab("coverage").await;
    browser.click(".share-button").await;
    let link = browser.wait_for(".share-link").await.prop("value").await.unwrap().expect("the link");
    browser.close().await;
    assert!(link.starts_with(&format!("{}#v1=", playground_url())), "{link}");
    link
}

#[tokio::test]
async fn a_shared_link_on_a_phone_shows_every_tab_without_scrolling_sideways() {
    let link = share_link().await;
    let phone = Browser::open_on_phone(&link).await;
    phone.wait_for("[role='tab'][data-tab='coverage'][aria-selected='true']").await;
    phone.wait_for(".coverage-table").await;
    let [page, ..] = fits(&phone).await;
    assert_eq!(page.shown, u64::from(PHONE.0), "the window is a phone's");
    let mut wide = Vec::new();
    for tab in phone.tab_ids().await {
        show_all_of(&phone, &tab).await;
        for (what, fit) in ["the page", "the tab's panel", "the list of problems under the code"].iter().zip(fits(&phone).await) {
            if fit.laid_out > fit.shown {
                wide.push(format!("{tab}: {what} is {} px wide in {} px", fit.laid_out, fit.shown));
            }
        }
        // The results, scrolled into view as a reader would see them.
        phone.client.execute("document.querySelector('.results').scrollIntoView(); return true", vec![]).await.unwrap();
        phone.screenshot(&format!("accessibility-phone-{tab}")).await;
    }
    assert!(wide.is_empty(), "the page scrolls sideways:\n{}", wide.join("\n"));
    phone.client.execute("window.scrollTo(0, 0); return true", vec![]).await.unwrap();
    phone.screenshot("accessibility-phone-top").await;
    phone.close().await;
}
