//! Drives the served playground in headless Chromium through chromedriver.
//!
//! `cargo xtask test` builds and serves the playground and sets `CONVEX_LENS_URL`; each test
//! starts its own chromedriver and browser so that tests cannot leak state into each other.

use std::os::unix::process::CommandExt;
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

/// The viewport of a phone held upright (an iPhone 12 to 15), in CSS pixels. A window cannot be
/// made this narrow (Chromium keeps it 500 px wide or more), so [`Browser::open_on_phone`]
/// emulates the device.
pub const PHONE: (u32, u32) = (390, 844);

/// How long to wait for the page to reach an expected state.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How long a page may take to load (chromedriver's default is five minutes).
const PAGE_LOAD: Duration = Duration::from_secs(60);

pub struct Browser {
    pub client: Client,
    driver: Child,
    /// chromedriver's log, read when a page does not load.
    driver_log: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, and opens the playground.
    pub async fn open_playground() -> Browser {
        Browser::open(&playground_url()).await
    }

    /// Starts chromedriver and a fresh headless Chromium (its own profile: no local storage),
    /// and opens `url` (the playground with a fragment, say).
    pub async fn open(url: &str) -> Browser {
        let browser = Browser::start().await;
        browser.goto(url).await;
        browser
    }

    /// [`Browser::open`] as a phone shows a page: a [`PHONE`]-sized viewport at twice the pixel
    /// density, the page's `<meta name="viewport">` honoured, from the first layout on.
    pub async fn open_on_phone(url: &str) -> Browser {
        let browser = Browser::start().await;
        let (width, height) = PHONE;
        browser.cdp("Emulation.setDeviceMetricsOverride", json!({ "width": width, "height": height, "deviceScaleFactor": 2, "mobile": true })).await;
        browser.goto(url).await;
        browser
    }

    /// Starts chromedriver and a fresh headless Chromium on a blank page.
    async fn start() -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let driver_log = e2e_dir().join(format!("chromedriver-{port}.log"));
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", driver_log.display()))
            // Its own process group, Chromium's too: see `Drop`.
            .process_group(0)
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
        // A page that does not load in a minute will not: [`Browser::goto`] fails then.
        let timeouts = fantoccini::wd::TimeoutConfiguration::new(None, Some(PAGE_LOAD), None);
        client.update_timeouts(timeouts).await.expect("chromedriver takes timeouts");
        Browser { client, driver, driver_log }
    }

    /// Opens `url`; a page that does not load fails with what chromedriver saw and the requests
    /// the servers answered (a request never answered is the usual cause).
    pub async fn goto(&self, url: &str) {
        let Err(error) = self.client.goto(url).await else { return };
        let log = std::fs::read_to_string(&self.driver_log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(60)..].join("\n");
        let served: Vec<String> = ["CONVEX_LENS_REQUEST_LOG", "CONVEX_LENS_DOCS_REQUEST_LOG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .map(|path| format!("requests served ({path}):\n{}", std::fs::read_to_string(&path).unwrap_or_default()))
            .collect();
        panic!("{url} does not load: {error}\nchromedriver's last lines:\n{tail}\n{}", served.join("\n"));
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

    /// The ids of the results tabs, in the order the page shows them.
    pub async fn tab_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for tab in self.client.find_all(Locator::Css("[role='tab']")).await.expect("find_all") {
            ids.push(tab.attr("data-tab").await.expect("attr").expect("every tab has a data-tab"));
        }
        ids
    }

    /// Chooses `system`, `light` or `dark` in the header's theme switch.
    pub async fn choose_theme(&self, choice: &str) {
        self.wait_for(".theme-choice").await.select_by_value(choice).await.unwrap_or_else(|e| panic!("the theme {choice} cannot be chosen: {e}"));
        self.wait_for(&format!("html[data-theme-choice='{choice}']")).await;
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

    /// Every rule of axe-core's default set (WCAG 2.0 to 2.2 A and AA, and best practices) that the
    /// page breaks, within the elements matching `context_css` or the whole document; open shadow
    /// roots included. axe is read from `www/node_modules` (never the network) and put into the
    /// page through WebDriver, whose scripts the page's Content-Security-Policy does not govern.
    pub async fn axe(&self, context_css: Option<&str>) -> Vec<Violation> {
        if self.client.execute("return typeof axe", vec![]).await.expect("typeof axe") != "object" {
            self.client.execute(&axe_source(), vec![]).await.expect("axe-core loads in the page");
        }
        let script = r#"
            const [css, done] = arguments;
            const context = css === null ? document : { include: [css] };
            axe.run(context, { resultTypes: ["violations"] }).then(
                (results) => done(results.violations.map((v) => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    // A node is named by a selector per frame, and inside shadow roots by a list
                    // of selectors, one per root, outermost first.
                    targets: v.nodes.map((n) => n.target.map((t) => [t].flat().join(" >>> ")).join(" / ")),
                    first_failure: v.nodes[0]?.failureSummary ?? "",
                }))),
                (error) => done({ error: String(error) }),
            );
        "#;
        let found = self.client.execute_async(script, vec![json!(context_css)]).await.expect("axe runs");
        assert!(found.get("error").is_none(), "axe failed: {found}");
        serde_json::from_value::<Vec<serde_json::Value>>(found).expect("a list of violations").iter().map(Violation::from_json).collect()
    }

    /// What [`Browser::axe`] finds that is serious or critical: what keeps someone from using the
    /// page (text too faint to read, a control without a name, a region the keyboard cannot reach).
    pub async fn axe_violations(&self, context_css: Option<&str>) -> Vec<Violation> {
        self.axe(context_css).await.into_iter().filter(|v| matches!(v.impact.as_str(), "serious" | "critical")).collect()
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

    /// Ends the session, which lets chromedriver close Chromium; [`Drop`] does the rest.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// A test that fails never reaches [`Browser::close`]: chromedriver and the Chromium it started
/// (its process group) are killed here, so that a failure does not leave browsers loading the
/// machine for the tests after it.
impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(self.driver.id());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_file(&self.driver_log);
    }
}

/// A rule of axe-core's that the page breaks, with the nodes that break it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// axe's rule id (`color-contrast`, `region`...), which names its documentation.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    pub help: String,
    /// One CSS selector per node (a path of them through shadow roots joined by ` >>> `, and
    /// through frames by ` / `).
    pub targets: Vec<String>,
    /// What axe says is wrong with the first node (the colours and the ratio it measured, say).
    pub first_failure: String,
}

impl Violation {
    fn from_json(value: &serde_json::Value) -> Violation {
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_owned();
        let targets = value["targets"].as_array().map(|t| t.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        Violation { id: text("id"), impact: text("impact"), help: text("help"), targets, first_failure: text("first_failure") }
    }
}

/// One line per violation, naming a few of its nodes (a gutter's every line number would drown
/// the others) and what is wrong with the first.
impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const NAMED: usize = 4;
        write!(f, "{} ({}): {} at {}", self.id, self.impact, self.help, self.targets.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", "))?;
        if self.targets.len() > NAMED {
            write!(f, " and {} more", self.targets.len() - NAMED)?;
        }
        write!(f, " ({})", self.first_failure.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// axe-core as `www/package-lock.json` pins it (`npm ci` in `www/`, which every build runs).
fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask build`, which installs www's npm packages)", path.display()))
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

/// Kills the process group `leader` leads, and nothing else. Not `kill -KILL -<pid>` through a
/// command: procps's `kill` reads that as `kill(-1)`, every process the user may signal, and took
/// the whole machine's work down with the browser.
fn kill_group(leader: u32) {
    let Ok(group) = libc::pid_t::try_from(leader) else { return };
    if group > 1 {
        // SAFETY: kill(2) takes plain integers and touches no memory of ours; a negative pid
        // names exactly one process group, and `group > 1` rules out -1 (everyone) and 0.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn killing_a_browsers_process_group_spares_every_other_process() {
        let mut group = Command::new("sleep").arg("30").process_group(0).spawn().unwrap();
        let mut bystander = Command::new("sleep").arg("30").spawn().unwrap();
        kill_group(group.id());
        assert!(!group.wait().unwrap().success(), "the group's leader is killed");
        assert!(bystander.try_wait().unwrap().is_none(), "a process outside the group lives on");
        bystander.kill().unwrap();
        bystander.wait().unwrap();
    }
}
