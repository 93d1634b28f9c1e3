//! `dagre-layout <request.json> [--runs N]`: lays out a benchmark request with the Rust dagre
//! crate `N` times (default 1) and prints `{ "layouts": [...], "ms": [...] }`, `ms` being the
//! wall time of each run (graph construction and layout, no JSON).

use std::process::ExitCode;
use std::time::Instant;

#[path = "layout.rs"]
mod layout;

use layout::{lay_out_all, Request};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("dagre-layout: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let usage = "usage: dagre-layout <request.json> [--runs N]";
    let path = args.first().ok_or(usage)?;
    let runs = match args.get(1).map(String::as_str) {
        Some("--runs") => args.get(2).and_then(|n| n.parse::<usize>().ok()).filter(|&n| n > 0).ok_or(usage)?,
        Some(_) => return Err(usage.into()),
        None => 1,
    };
    let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    let request: Request = serde_json::from_str(&text).map_err(|error| format!("{path}: {error}"))?;
    let mut ms = Vec::with_capacity(runs);
    let mut layouts = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        layouts = lay_out_all(&request);
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(serde_json::json!({ "layouts": layouts, "ms": ms }).to_string())
}
