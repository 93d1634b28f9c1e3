//! `cargo xtask <command>`: the project's build, serve and test orchestration, in Rust so that a
//! fresh machine needs nothing but cargo (each command installs what it is missing).
//!
//! - `build [--dev]`: the playground into `target/www` (release: wasm-opt and sizes printed).
//! - `serve [--port N] [--dev] [--no-build]`: build, then serve `target/www` on 127.0.0.1.
//! - `test`: every test: native, wasm in headless Chromium, end-to-end in headless Chromium.

mod build;
mod serve;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build::build(build::Profile::from_args(&args)).map(|_| ()),
        Some("serve") => serve::command(&args[1..]),
        Some("test") => test::command(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask build [--dev] | serve [--port N] [--dev] [--no-build] | test");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives in `crates/xtask`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root exists")
}

/// Where the playground is assembled.
pub fn dist_dir() -> PathBuf {
    root().join("target/www")
}
