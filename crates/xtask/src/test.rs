//! `cargo xtask test`: every test there is, in order of speed, stopping at the first failure.
//! 1. native: the engine, the CLI and xtask (`cargo test` on the default members);
//! 2. wasm: the worker and web crates in headless Chromium (wasm-bindgen-test);
//! 3. end to end: the release playground served on loopback, and a VitePress site built with the
//!    README's recipe for the docs widget, driven through chromedriver.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Result;

use crate::build::{self, Profile};
use crate::tools::{self, run};
use crate::{root, serve};

/// `cargo xtask test [--e2e]`: `--e2e` skips the native and wasm tests, for a change to the UI or
/// the widget.
pub fn command(args: &[String]) -> Result<()> {
    let e2e_only = match args {
        [] => false,
        [flag] if flag == "--e2e" => true,
        other => anyhow::bail!("unknown options {other:?}: `cargo xtask test [--e2e]`"),
    };
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\n== {name}");
        let t = Instant::now();
        f()?;
        timings.push((name, t.elapsed().as_secs_f64()));
        Ok(())
    };

    step("prerequisites", &mut || {
        tools::ensure_wasm_target()?;
        tools::ensure_npm_packages()?;
        tools::ensure_chromium()?;
        tools::ensure_wasm_bindgen_test_runner()
    })?;
    if !e2e_only {
        step("native tests", &mut || run(cargo().arg("test")))?;
        step("wasm tests (headless Chromium)", &mut || {
            run(cargo()
                .args(["test", "--target", "wasm32-unknown-unknown", "--package", "convex-lens-worker", "--package", "convex-lens-web", "--package", "convex-lens-widget"])
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
                .env("CHROMEDRIVER", tools::CHROMEDRIVER))
        })?;
    }
    let mut dist = None;
    step("release build of the playground", &mut || {
        dist = Some(build::build(Profile::Release)?);
        Ok(())
    })?;
    let mut docs_site = None;
    step("the docs site (VitePress, the widget's recipe)", &mut || {
        docs_site = Some(build_docs_site(dist.as_ref().expect("built above"))?);
        Ok(())
    })?;
    step("end-to-end tests (headless Chromium)", &mut || {
        // The privacy test reads which requests the page made; the tests run one at a time.
        let request_log = root().join("target/e2e/requests.log");
        let (address, _server) = serve::start(dist.as_ref().expect("built above"), 0, Some(&request_log))?;
        let docs_request_log = root().join("target/e2e/docs-requests.log");
        let (docs_address, _docs_server) = serve::start(docs_site.as_ref().expect("built above"), 0, Some(&docs_request_log))?;
        run(cargo()
            .args(["test", "--package", "convex-lens-e2e", "--", "--test-threads=1"])
            .env("CONVEX_LENS_URL", format!("http://{address}/"))
            .env("CONVEX_LENS_DOCS_URL", format!("http://{docs_address}/"))
            .env("CONVEX_LENS_REQUEST_LOG", &request_log)
            .env("CONVEX_LENS_DOCS_REQUEST_LOG", &docs_request_log)
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("CHROMIUM", tools::CHROMIUM))
    })?;

    eprintln!("\nall tests passed in {:.0} s", started.elapsed().as_secs_f64());
    for (name, seconds) in timings {
        eprintln!("  {seconds:>6.0} s  {name}");
    }
    Ok(())
}

/// Builds `tests/docs-site` as an author would: the widget's folder copied to `docs/public/`,
/// then `vitepress build`. Returns the built site's folder.
fn build_docs_site(dist: &Path) -> Result<PathBuf> {
    let site = root().join("tests/docs-site");
    let public = site.join("docs/public/convex-lens");
    if public.exists() {
        std::fs::remove_dir_all(&public)?;
    }
    std::fs::create_dir_all(&public)?;
    for entry in std::fs::read_dir(dist.join("widget"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), public.join(entry.file_name()))?;
    }
    run(Command::new(site.join("node_modules/.bin/vitepress")).args(["build", "docs"]).current_dir(&site))?;
    Ok(site.join("docs/.vitepress/dist"))
}

fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(root());
    command
}
