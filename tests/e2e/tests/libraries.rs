//! The app fixtures written on the libraries real apps use, opened in the playground as a share
//! link: what the library registers is listed, and the Problems panel holds nothing the code
//! does not deserve (issue 12).

use std::io::Write;
use std::path::Path;

use base64::Engine;
use convex_lens_e2e::{playground_url, Browser};

/// A share link of the fixture's files, in the playground's `#v1=` format (raw deflate of the
/// snapshot's JSON, base64url without padding).
fn share_link(fixture: &str, open: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(fixture);
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let snapshot = serde_json::json!({ "files": files, "open": open, "tab": "overview", "example": null, "edited": true });
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflate.write_all(snapshot.to_string().as_bytes()).unwrap();
    let fragment = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflate.finish().unwrap());
    format!("{}#v1={fragment}", playground_url())
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "ts") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// Opens the fixture from its share link and checks the summary line, an empty Problems panel
/// and the modules of the Functions tab; screenshots `library-<name>-overview` and `-functions`.
async fn check_fixture(fixture: &str, open: &str, summary_start: &str, modules: &[&str], name: &str) {
    let browser = Browser::open(&share_link(fixture, open)).await;
    let summary = browser.wait_for(".summary-model").await.text().await.unwrap();
    assert!(summary.starts_with(summary_start), "{summary}");
    assert!(browser.texts(".diagnostic").await.is_empty(), "{:?}", browser.texts(".diagnostic").await);
    browser.wait_for(".no-problems").await;
    browser.screenshot(&format!("library-{name}-overview")).await;
    browser.open_tab("functions").await;
    assert_eq!(browser.texts(".module .module-path").await, modules);
    browser.screenshot(&format!("library-{name}-functions")).await;
    browser.close().await;
}

#[tokio::test]
async fn a_convex_auth_app_shows_its_functions_and_routes_and_no_problem_it_does_not_have() {
    let summary = "8 tables · 12 indexes · 8 functions · 5 HTTP routes · 0 crons · 0 components · 0 problems";
    check_fixture("convex-auth", "convex/auth.ts", summary, &["auth", "notes"], "convex-auth").await;
}

#[tokio::test]
async fn a_convex_helpers_app_lists_what_its_libraries_make_and_no_problem() {
    let summary = "7 tables · 7 indexes · 20 functions · 0 HTTP routes · 0 crons · 0 components · 0 problems";
    let modules = ["comments", "feed", "likes", "migrations", "posts", "retries", "tags"];
    check_fixture("convex-helpers-app", "convex/lib/triggers.ts", summary, &modules, "convex-helpers").await;
}

#[tokio::test]
async fn a_better_auth_app_shows_what_its_client_makes_and_no_problem() {
    let summary = "2 tables · 2 indexes · 7 functions · 3 HTTP routes · 0 crons · 1 component · 0 problems";
    check_fixture("better-auth", "convex/auth.ts", summary, &["auth", "notes"], "better-auth").await;
}

#[tokio::test]
async fn a_better_auth_local_install_shows_the_adapter_and_no_problem() {
    let summary = "1 table · 1 index · 2 functions · 4 HTTP routes · 0 crons · 1 component · 0 problems";
    check_fixture("better-auth-local", "convex/betterAuth/adapter.ts", summary, &["carts"], "better-auth-local").await;
}

#[tokio::test]
async fn an_app_on_six_components_lists_what_their_clients_make_and_no_problem() {
    let summary = "2 tables · 2 indexes · 19 functions · 0 HTTP routes · 0 crons · 6 components · 0 problems";
    let modules = ["covers", "migrations", "posts", "publishing"];
    check_fixture("components-app", "convex/publishing.ts", summary, &modules, "components").await;
}

#[tokio::test]
async fn a_billing_app_on_polar_and_autumn_lists_their_functions_and_no_problem() {
    let summary = "1 table · 1 index · 17 functions · 1 HTTP route · 0 crons · 2 components · 0 problems";
    check_fixture("payments-app", "convex/billing.ts", summary, &["billing", "users"], "payments").await;
}
