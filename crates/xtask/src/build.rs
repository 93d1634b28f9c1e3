//! Assembles the playground in `target/www`: the two wasm crates through wasm-bindgen (as a
//! library, pinned to the crates' version) and wasm-opt, the CodeMirror bundle, the static files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::tools::{self, run};
use crate::{dist_dir, root};

/// The wasm crates: the UI (Yew) and the engine's worker. Each becomes `<name>.js` +
/// `<name>_bg.wasm`.
const WASM_CRATES: [(&str, &str); 2] = [("convex-lens-web", "convex_lens_web"), ("convex-lens-worker", "convex_lens_worker")];
const STATIC_FILES: [&str; 6] = ["index.html", "style.css", "theme.js", "main.js", "worker.js", "icon.svg"];

#[derive(Clone, Copy, PartialEq)]
pub enum Profile {
    /// Fast to build, unoptimised.
    Dev,
    /// What users get: `wasm-release` profile (size over speed), then `wasm-opt -Oz`.
    Release,
}

impl Profile {
    pub fn from_args(args: &[String]) -> Self {
        if args.iter().any(|a| a == "--dev") { Profile::Dev } else { Profile::Release }
    }

    fn cargo_name(self) -> &'static str {
        match self {
            Profile::Dev => "dev",
            Profile::Release => "wasm-release",
        }
    }

    fn target_dir(self) -> &'static str {
        match self {
            Profile::Dev => "debug",
            Profile::Release => "wasm-release",
        }
    }
}

/// Builds the playground and returns its directory.
pub fn build(profile: Profile) -> Result<PathBuf> {
    let started = std::time::Instant::now();
    tools::ensure_wasm_target()?;
    tools::ensure_npm_packages()?;
    let mut cargo = Command::new(env!("CARGO"));
    cargo.current_dir(root()).args(["build", "--target", "wasm32-unknown-unknown", "--profile", profile.cargo_name()]);
    for (package, _) in WASM_CRATES {
        cargo.args(["--package", package]);
    }
    run(&mut cargo)?;

    let dist = dist_dir();
    std::fs::create_dir_all(&dist)?;
    for (_, stem) in WASM_CRATES {
        let wasm = root().join("target/wasm32-unknown-unknown").join(profile.target_dir()).join(format!("{stem}.wasm"));
        Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            .typescript(false)
            .omit_default_module_path(false)
            .debug(profile == Profile::Dev)
            .generate(&dist)
            .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;
        if profile == Profile::Release {
            let output = dist.join(format!("{stem}_bg.wasm"));
            run(Command::new(tools::npm_bin("wasm-opt")).arg("-Oz").arg(&output).arg("-o").arg(&output))?;
        }
    }
    bundle_editor(&dist, profile)?;
    for file in STATIC_FILES {
        std::fs::copy(root().join("www").join(file), dist.join(file)).with_context(|| format!("copying www/{file}"))?;
    }
    print_sizes(&dist)?;
    eprintln!("built the playground in {} ({:.0} s)", dist.display(), started.elapsed().as_secs_f64());
    Ok(dist)
}

fn bundle_editor(dist: &Path, profile: Profile) -> Result<()> {
    let mut esbuild = Command::new(tools::npm_bin("esbuild"));
    esbuild
        .current_dir(root().join("www"))
        .args(["editor/src/editor.js", "--bundle", "--format=esm", "--target=es2020", "--log-level=warning"])
        .arg(format!("--outfile={}", dist.join("editor.js").display()));
    if profile == Profile::Release {
        esbuild.arg("--minify");
    }
    run(&mut esbuild)
}

/// Prints what a visitor downloads: each wasm and script, raw, gzip and brotli.
fn print_sizes(dist: &Path) -> Result<()> {
    let mut files: Vec<String> = WASM_CRATES.iter().map(|(_, stem)| format!("{stem}_bg.wasm")).collect();
    files.extend(WASM_CRATES.iter().map(|(_, stem)| format!("{stem}.js")));
    files.push("editor.js".into());
    eprintln!("{:<28} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    let mut totals = [0usize; 3];
    for file in files {
        let bytes = std::fs::read(dist.join(&file))?;
        let sizes = [bytes.len(), gzip_size(&bytes)?, brotli_size(&bytes)?];
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        eprintln!("{file:<28} {:>10} {:>10} {:>10}", kib(sizes[0]), kib(sizes[1]), kib(sizes[2]));
    }
    eprintln!("{:<28} {:>10} {:>10} {:>10}", "total", kib(totals[0]), kib(totals[1]), kib(totals[2]));
    Ok(())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn gzip_size(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn brotli_size(bytes: &[u8]) -> Result<usize> {
    let mut output = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut output, &params)?;
    Ok(output.len())
}
