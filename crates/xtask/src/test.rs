//! `cargo xtask test`: every test there is, in order of speed, stopping at the first failure.
//! 1. native: the engine, the CLI and xtask (`cargo test` on the default members);
//! 2. wasm: the worker and web crates in headless Chromium (wasm-bindgen-test);
//! 3. end to end: the release playground served on loopback, driven through chromedriver.

use std::process::Command;
use std::time::Instant;

use anyhow::Result;

use crate::build::{self, Profile};
use crate::tools::{self, run};
use crate::{root, serve};

pub fn command() -> Result<()> {
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
    step("native tests", &mut || run(cargo().arg("test")))?;
    step("wasm tests (headless Chromium)", &mut || {
        run(cargo()
            .args(["test", "--target", "wasm32-unknown-unknown", "--package", "convex-lens-worker", "--package", "convex-lens-web"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env("CHROMEDRIVER", tools::CHROMEDRIVER))
    })?;
    let mut dist = None;
    step("release build of the playground", &mut || {
        dist = Some(build::build(Profile::Release)?);
        Ok(())
    })?;
    step("end-to-end tests (headless Chromium)", &mut || {
        // The privacy test reads which requests the page made; the tests run one at a time.
        let request_log = root().join("target/e2e/requests.log");
        let (address, _server) = serve::start(dist.as_ref().expect("built above"), 0, Some(&request_log))?;
        run(cargo()
            .args(["test", "--package", "convex-lens-e2e", "--", "--test-threads=1"])
            .env("CONVEX_LENS_URL", format!("http://{address}/"))
            .env("CONVEX_LENS_REQUEST_LOG", &request_log)
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("CHROMIUM", tools::CHROMIUM))
    })?;

    eprintln!("\nall tests passed in {:.0} s", started.elapsed().as_secs_f64());
    for (name, seconds) in timings {
        eprintln!("  {seconds:>6.0} s  {name}");
    }
    Ok(())
}

fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(root());
    command
}
