//! Assembles the playground in `target/www` and the docs widget in `target/www/widget`: the wasm
//! crates through wasm-bindgen (as a library, pinned to the crates' version) and wasm-opt, the
//! CodeMirror and widget bundles (esbuild), the static files; then prints what each costs a
//! visitor and fails when the widget's first view passes its budget.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::tools::{self, run};
use crate::{dist_dir, root};

/// The wasm crates: the UI (Yew), the engine's worker and the widget's worker, with the folder of
/// `target/www` each goes to. Each becomes `<name>.js` + `<name>_bg.wasm`.
const WASM_CRATES: [(&str, &str, &str); 3] =
    [("convex-lens-web", "convex_lens_web", ""), ("convex-lens-worker", "convex_lens_worker", ""), ("convex-lens-widget", "convex_lens_widget", "widget")];
/// The wasm crates, by cargo call: the playground's, then the docs widget's.
const WASM_BUILDS: [&[&str]; 2] = [&["convex-lens-web", "convex-lens-worker"], &["convex-lens-widget"]];
/// The wasm crates that run in a worker, and the worker's script (under `www/`): their diagrams
/// are laid out by dagre.js (feature `js-layout`, whose glue imports `./dagre-layout.js`), and
/// each worker is bundled into one file with its glue and dagre.js ([`bundle_worker`]).
const WORKERS: [(&str, &str); 2] = [("convex-lens-worker", "worker.js"), ("convex-lens-widget", "widget/worker.js")];
const STATIC_FILES: [&str; 8] = [
    "index.html",
    "style.css",
    "theme.js",
    "main.js",
    "icon.svg",
    "widget/embed.html",
    "widget/embed.js",
    "widget/demo.html",
];
/// Files of the demo page that are not the widget's (a docs site's own stylesheet).
const DEMO_FILES: [&str; 2] = ["widget/demo.css", "widget/demo.js"];

/// What the playground downloads before it shows anything.
const PLAYGROUND: [&str; 8] =
    ["index.html", "style.css", "theme.js", "main.js", "convex_lens_web.js", "convex_lens_web_bg.wasm", "editor.js", "worker.js"];
/// The worker's wasm, which the playground also loads at once.
const PLAYGROUND_ENGINE: &str = "convex_lens_worker_bg.wasm";
/// What a page with a widget downloads until the widget's first view is drawn.
const WIDGET: [&str; 3] = ["widget/convex-lens.js", "widget/worker.js", "widget/convex_lens_widget_bg.wasm"];
/// The widget's budget for its first view, brotli (issue 11): a docs page should not pay more
/// for a live view than for a large image.
const WIDGET_BUDGET_BROTLI: usize = 400 * 1024;

/// How a release build compiles the standard library into the wasm: from source, with the
/// profile's size optimisation and LTO, and with panics as a bare trap (`-Cpanic=immediate-abort`):
/// no panic message is formatted, so the message code, the panic locations and the `Debug`
/// impls only panics reached (swc's syntax tree, mostly) are gone. Nothing a user saw is lost:
/// the wasm installs no panic hook, so a panic's message already went to a stderr that the
/// browser does not have; the page reports the trap as it did. The widget's first view is 21 KiB
/// brotli smaller (ARCHITECTURE.md, "Build facts"). These are unstable options of the stable
/// compiler, enabled by `RUSTC_BOOTSTRAP=1` for this build only; the native builds and the wasm
/// tests do not use them.
const RELEASE_STD: [&str; 3] = [
    "-Zbuild-std=std,panic_abort",
    "--config",
    "target.wasm32-unknown-unknown.rustflags=[\"-Zunstable-options\", \"-Cpanic=immediate-abort\"]",
];

/// wasm-opt's flags in release. `-Os` rather than `-Oz`: it inlines a little more, which costs
/// raw bytes but brotli finds more repeats (widget 455.1 -> 453.2 KiB, the playground's engine
/// 513.0 -> 508.8). `--low-memory-unused` lets it fold constant offsets into loads and stores
/// (another 3 KiB on the widget): the low 1 KiB of memory is the far end of the 8 MiB shadow
/// stack (`.cargo/config.toml`), which a program that reaches it has already overflowed.
const WASM_OPT: [&str; 2] = ["-Os", "--low-memory-unused"];

#[derive(Clone, Copy, PartialEq)]
pub enum Profile {
    /// Fast to build, unoptimised.
    Dev,
    /// What users get: `wasm-release` profile (size over speed), then wasm-opt ([`WASM_OPT`]).
    Release,
}

impl Profile {
    pub fn from_args(args: &[String]) -> Self {
        if args.iter().any(|a| a == "--dev") { Profile::Dev } else { Profile::Release }
    }

    /// Cargo's profile for the wasm crates, and the folder of `target/wasm32-unknown-unknown` it
    /// builds into.
    fn cargo_profile(self) -> (&'static str, &'static str) {
        match self {
            Profile::Dev => ("dev", "debug"),
            Profile::Release => ("wasm-release", "wasm-release"),
        }
    }
}

/// Builds the playground and returns its directory.
pub fn build(profile: Profile) -> Result<PathBuf> {
    let started = std::time::Instant::now();
    tools::ensure_wasm_target()?;
    tools::ensure_npm_packages()?;
    if profile == Profile::Release {
        tools::ensure_rust_src()?;
    }
    // Two cargo calls: cargo unifies the features of the packages one call builds, and the
    // widget's engine is built without the models of app libraries (`app-libraries`), which the
    // playground's has (ARCHITECTURE.md, "Libraries").
    for packages in WASM_BUILDS {
        let mut cargo = Command::new(env!("CARGO"));
        cargo.current_dir(root()).args(["build", "--target", "wasm32-unknown-unknown", "--profile", profile.cargo_profile().0]);
        if profile == Profile::Release {
            cargo.env("RUSTC_BOOTSTRAP", "1").args(RELEASE_STD);
        }
        for package in packages {
            cargo.args(["--package", package]);
            if WORKERS.iter().any(|(worker, _)| worker == package) {
                cargo.arg("--features").arg(format!("{package}/js-layout"));
            }
        }
        run(&mut cargo)?;
    }

    let dist = dist_dir();
    std::fs::create_dir_all(dist.join("widget"))?;
    for (_, stem, folder) in WASM_CRATES {
        let out = dist.join(folder);
        let wasm = root().join("target/wasm32-unknown-unknown").join(profile.cargo_profile().1).join(format!("{stem}.wasm"));
        Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            .typescript(false)
            .omit_default_module_path(false)
            .debug(profile == Profile::Dev)
            .generate(&out)
            .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;
        if profile == Profile::Release {
            let output = out.join(format!("{stem}_bg.wasm"));
            run(Command::new(tools::npm_bin("wasm-opt")).args(WASM_OPT).arg(&output).arg("-o").arg(&output))?;
        }
    }
    bundle(&dist, profile, "editor/src/editor.js", "editor.js")?;
    bundle(&dist, profile, "widget/src/index.js", "widget/convex-lens.js")?;
    for (package, worker) in WORKERS {
        bundle_worker(&dist, profile, package, worker)?;
    }
    for file in STATIC_FILES.iter().chain(&DEMO_FILES) {
        std::fs::copy(root().join("www").join(file), dist.join(file)).with_context(|| format!("copying www/{file}"))?;
    }
    print_sizes(&dist, profile)?;
    eprintln!("built the playground in {} ({:.0} s)", dist.display(), started.elapsed().as_secs_f64());
    Ok(dist)
}

/// The worker script `worker` (under `www/`) as one file in `dist`, with what it imports: the
/// wasm glue of `package` and, through the glue, dagre.js. One file rather than three saves two
/// round trips before the engine can start (each import is only seen once its importer has
/// arrived) and lets esbuild minify the glue; the widget's first view is 1.2 KiB brotli smaller.
fn bundle_worker(dist: &Path, profile: Profile, package: &str, worker: &str) -> Result<()> {
    let layout = Path::new(worker).with_file_name("dagre-layout.js");
    bundle(dist, profile, "layout/dagre-layout.js", &layout.display().to_string())?;
    let folder = dist.join(worker).parent().expect("a file in dist").to_owned();
    let (layout, glue) = (dist.join(layout), folder.join(format!("{}.js", package.replace('-', "_"))));
    // The script is read from stdin so that esbuild resolves its imports in `folder`, beside the
    // glue that wasm-bindgen wrote there.
    let mut esbuild = Command::new(tools::npm_bin("esbuild"));
    esbuild
        .current_dir(&folder)
        .args(["--bundle", "--format=esm", "--target=es2022", "--log-level=warning"])
        .arg(format!("--outfile={}", dist.join(worker).display()))
        .stdin(std::fs::File::open(root().join("www").join(worker)).with_context(|| format!("opening www/{worker}"))?);
    if profile == Profile::Release {
        esbuild.arg("--minify");
    }
    run(&mut esbuild)?;
    for inlined in [layout, glue] {
        std::fs::remove_file(&inlined).with_context(|| format!("removing {}", inlined.display()))?;
    }
    Ok(())
}

/// One ES module from `entry` (under `www/`) and what it imports; CSS imported as text (the
/// widget adopts it as a constructed stylesheet, which a strict CSP allows).
fn bundle(dist: &Path, profile: Profile, entry: &str, output: &str) -> Result<()> {
    let mut esbuild = Command::new(tools::npm_bin("esbuild"));
    esbuild
        .current_dir(root().join("www"))
        .args([entry, "--bundle", "--format=esm", "--target=es2022", "--loader:.css=text", "--log-level=warning"])
        .arg(format!("--outfile={}", dist.join(output).display()));
    if profile == Profile::Release {
        esbuild.arg("--minify");
    }
    run(&mut esbuild)
}

/// Prints what a visitor downloads, raw, gzip and brotli: the playground, then the widget's
/// first view against its budget, which a release build must keep (a dev build is not minified).
fn print_sizes(dist: &Path, profile: Profile) -> Result<()> {
    eprintln!("{:<36} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    let playground: Vec<&str> = PLAYGROUND.iter().copied().chain([PLAYGROUND_ENGINE]).collect();
    size_table(dist, "playground", &playground)?;
    let widget = size_table(dist, "widget, first view", &WIDGET)?;
    let over = widget[2] > WIDGET_BUDGET_BROTLI;
    let verdict = if over { "OVER" } else { "within" };
    eprintln!("the widget's first view: {} brotli, {verdict} its budget of {}", kib(widget[2]), kib(WIDGET_BUDGET_BROTLI));
    if over && profile == Profile::Release {
        anyhow::bail!(
            "the widget's first view is {} brotli, over its budget of {}: see ARCHITECTURE.md, \"Build facts\", for what it carries and what was cut",
            kib(widget[2]),
            kib(WIDGET_BUDGET_BROTLI)
        );
    }
    Ok(())
}

/// Prints each file and the total, and returns the totals (raw, gzip, brotli).
fn size_table(dist: &Path, name: &str, files: &[&str]) -> Result<[usize; 3]> {
    let mut totals = [0usize; 3];
    for file in files {
        let bytes = std::fs::read(dist.join(file)).with_context(|| format!("reading {file}"))?;
        let sizes = [bytes.len(), gzip_size(&bytes)?, brotli_size(&bytes)?];
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        eprintln!("{file:<36} {:>10} {:>10} {:>10}", kib(sizes[0]), kib(sizes[1]), kib(sizes[2]));
    }
    eprintln!("{:<36} {:>10} {:>10} {:>10}\n", format!("= {name}"), kib(totals[0]), kib(totals[1]), kib(totals[2]));
    Ok(totals)
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
