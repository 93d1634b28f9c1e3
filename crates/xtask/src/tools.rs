//! Installs what the build and the tests need when it is missing: the wasm target, the npm
//! packages (pinned by `www/package-lock.json`), Chromium and chromedriver from Debian's packages,
//! and `wasm-bindgen-test-runner` at the same version as wasm-bindgen.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::root;

/// Must equal the `wasm-bindgen` pin in the workspace's Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Runs a command, echoing it, and fails if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status = command.status().with_context(|| format!("could not start `{}`", describe(command)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(command));
    }
    Ok(())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

fn output(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

pub fn ensure_wasm_target() -> Result<()> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The standard library's source, which a release build of the wasm compiles (see
/// `build::RELEASE_STD`).
pub fn ensure_rust_src() -> Result<()> {
    let installed = output(Command::new("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|line| line.trim().starts_with("rust-src")) {
        run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// Folders with an npm lockfile: the playground's build tools, the ground-truth harness (the real
/// `convex` package), the npm component corpus, which is third-party code and only read, so its
/// install scripts never run, and the VitePress site the widget's recipe is tested in (whose
/// only install script, esbuild's, checks a binary npm installs anyway).
const NPM_PROJECTS: [(&str, &[&str]); 4] = [
    ("www", &[]),
    ("tests/ground-truth", &["--ignore-scripts"]),
    ("tests/npm-corpus", &["--ignore-scripts"]),
    ("tests/docs-site", &["--ignore-scripts"]),
];

/// `npm ci` in each npm project unless its `node_modules` already matches its lockfile.
pub fn ensure_npm_packages() -> Result<()> {
    for (project, flags) in NPM_PROJECTS {
        let dir = root().join(project);
        let lock = std::fs::read(dir.join("package-lock.json")).with_context(|| format!("reading {project}/package-lock.json"))?;
        let stamp = dir.join("node_modules/.convex-lens-lock");
        if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..]) {
            continue;
        }
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).args(flags).current_dir(&dir))?;
        std::fs::write(&stamp, lock)?;
    }
    Ok(())
}

pub fn npm_bin(name: &str) -> PathBuf {
    root().join("www/node_modules/.bin").join(name)
}

pub fn ensure_chromium() -> Result<()> {
    if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    eprintln!("Chromium or chromedriver is missing; installing Debian's packages");
    let noninteractive = [("DEBIAN_FRONTEND", "noninteractive")];
    run(Command::new("apt-get").arg("update").envs(noninteractive))?;
    run(Command::new("apt-get").args(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]).envs(noninteractive))
}

/// The wasm-bindgen test runner ships only in the `wasm-bindgen-cli` crate. `--locked` fails
/// against this registry (a pinned dependency is missing), so it is installed unlocked, once.
pub fn ensure_wasm_bindgen_test_runner() -> Result<()> {
    let version = output(Command::new("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if version.contains(WASM_BINDGEN_VERSION) {
        return Ok(());
    }
    eprintln!("installing wasm-bindgen-test-runner {WASM_BINDGEN_VERSION} (a few minutes, once)");
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION]))
}
