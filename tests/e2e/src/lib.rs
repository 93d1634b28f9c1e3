//! Drives the served playground in headless Chromium through chromedriver.
//!
//! `cargo xtask test` builds and serves the playground and sets `CONVEX_LENS_URL`; each test
//! starts its own chromedriver and browser so that tests cannot leak state into each other.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// Flags for a browser on a machine without network access: without the networking ones,
/// Chromium keeps trying to reach Google's services.
const CHROMIUM_ARGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
];

/// How long to wait for the page to reach an expected state.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How long a page may take to load (chromedriver's default is five minutes).
const PAGE_LOAD: Duration = Duration::from_secs(60);

pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, and opens the playground.
    pub async fn open_playground() -> Browser {
        Browser::open(&playground_url()).await
    }

    /// Starts chromedriver and a fresh headless Chromium (its own profile: no local storage),
    /// and opens `url` (the playground with a fragment, say).
    pub async fn open(url: &str) -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let driver_log = e2e_dir().join(format!("chromedriver-{port}.log"));
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", driver_log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let capabilities = json!({
            "goog:chromeOptions": { "binary": chromium, "args": CHROMIUM_ARGS },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let capabilities = capabilities.as_object().expect("an object").clone();
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut client = None;
        // chromedriver takes a moment to listen.
        for _ in 0..100 {
            match ClientBuilder::new(connector.clone()).capabilities(capabilities.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let client = client.expect("a WebDriver session with headless Chromium");
        // A page that does not load in a minute will not: fail then, with what chromedriver saw.
        let timeouts = fantoccini::wd::TimeoutConfiguration::new(None, Some(PAGE_LOAD), None);
        client.update_timeouts(timeouts).await.expect("chromedriver takes timeouts");
        if let Err(error) = client.goto(url).await {
            let log = std::fs::read_to_string(&driver_log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(60).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            let served: Vec<String> = ["CONVEX_LENS_REQUEST_LOG", "CONVEX_LENS_DOCS_REQUEST_LOG"]
                .iter()
                .filter_map(|name| std::env::var(name).ok())
                .map(|path| format!("requests served ({path}):\n{}", std::fs::read_to_string(&path).unwrap_or_default()))
                .collect();
            panic!("{url} does not load: {error}\nchromedriver's last lines:\n{}\n{}", tail.join("\n"), served.join("\n"));
        }
        let _ = std::fs::remove_file(&driver_log);
        Browser { client, driver }
    }

    /// Opens the playground, waits until the example is analysed (the overview, selected on
    /// load, shows it), and shows its tables.
    pub async fn open_with_example() -> Browser {
        let browser = Browser::open_playground().await;
        browser.wait_for(".overview [data-count='tables']").await;
        browser.open_tab("tables").await;
        browser.wait_for(".table[data-table='presence']").await;
        browser
    }

    /// Runs a Chrome DevTools command (`Emulation.setEmulatedMedia`, ...) through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        self.client.issue_cmd(Cdp { cmd: cmd.to_owned(), params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Waits for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element matches `{css}` within {PATIENCE:?}: {e}"))
    }

    /// The texts of all elements matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.expect("find_all") {
            texts.push(element.text().await.expect("text"));
        }
        texts
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap_or_else(|e| panic!("`{css}` cannot be clicked: {e}"));
    }

    /// Shows one tab of the results: `overview`, `tables`, `functions`, `coverage`, `reruns`,
    /// `routes`, `crons`, `components` or `diagnostics`.
    pub async fn open_tab(&self, tab: &str) {
        self.click(&format!("[role='tab'][data-tab='{tab}']")).await;
        self.wait_for(&format!("[role='tab'][data-tab='{tab}'][aria-selected='true']")).await;
    }

    /// Opens a file of the workspace in the editor.
    pub async fn select_file(&self, path: &str) {
        self.click(&format!(".file[data-path='{path}'] .file-name")).await;
        self.wait_for(&format!(".file.active[data-path='{path}']")).await;
    }

    /// Types a path into the inline input of the file list (after `+ New file` or a rename) and
    /// presses Enter.
    pub async fn type_path(&self, path: &str) {
        let input = self.wait_for(".path-input").await;
        input.clear().await.expect("the path input can be cleared");
        input.send_keys(&format!("{path}{}", fantoccini::key::Key::Enter)).await.expect("the path input takes keys");
    }

    /// Adds a file through the file list and waits until it is the one being edited.
    pub async fn add_file(&self, path: &str) {
        self.click(".add-file").await;
        self.type_path(path).await;
        self.wait_for(&format!(".file.active[data-path='{path}']")).await;
    }

    /// The paths in the file list, in its order.
    pub async fn file_paths(&self) -> Vec<String> {
        let mut paths = Vec::new();
        for element in self.client.find_all(Locator::Css(".file[data-path]")).await.expect("find_all") {
            paths.push(element.attr("data-path").await.expect("attr").unwrap_or_default());
        }
        paths
    }

    /// Waits until no element matches `css`.
    pub async fn wait_for_none(&self, css: &str) {
        let started = std::time::Instant::now();
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(started.elapsed() < PATIENCE, "`{css}` still matches after {PATIENCE:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the file in the editor.
    pub async fn editor_text(&self) -> String {
        let script = "return ConvexLensEditor.text(ConvexLensEditor.findView(document.querySelector('.cm-editor')))";
        let text = self.client.execute(script, vec![]).await.expect("the editor's text");
        text.as_str().expect("a string").to_owned()
    }

    /// Where the cursor is in the file in the editor, in UTF-16 code units.
    pub async fn editor_cursor(&self) -> usize {
        let script = "return ConvexLensEditor.findView(document.querySelector('.cm-editor')).state.selection.main.head";
        let head = self.client.execute(script, vec![]).await.expect("the editor's cursor");
        head.as_u64().expect("a number") as usize
    }

    /// Replaces the text of the file in the editor, as a paste does.
    pub async fn paste(&self, text: &str) {
        let script = r#"
            const view = ConvexLensEditor.findView(document.querySelector(".cm-editor"));
            view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: arguments[0] } });
        "#;
        self.client.execute(script, vec![json!(text)]).await.expect("the editor accepts a paste");
    }

    /// Saves a screenshot as `target/e2e/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = e2e_dir().join(format!("{name}.png"));
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(&path, png).expect("the screenshot is saved");
        path
    }

    /// Runs `script` (a function body; `arguments` are `args`) until it returns something other
    /// than `null`, `undefined` or `false`, and returns that; `what` says what was awaited.
    pub async fn wait_until(&self, what: &str, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        let started = std::time::Instant::now();
        loop {
            let value = self.client.execute(script, args.clone()).await.unwrap_or_else(|e| panic!("{what}: {e}"));
            if !matches!(value, serde_json::Value::Null | serde_json::Value::Bool(false)) {
                return value;
            }
            assert!(started.elapsed() < PATIENCE, "not within {PATIENCE:?}: {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// chromedriver's `goog/cdp/execute`: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// The served playground's address.
pub fn playground_url() -> String {
    std::env::var("CONVEX_LENS_URL").expect("CONVEX_LENS_URL is not set: run the end-to-end tests through `cargo xtask test`")
}

/// `target/e2e`: screenshots and chromedriver's logs.
fn e2e_dir() -> PathBuf {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&directory).expect("target/e2e can be created");
    directory
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("an address").port()
}
