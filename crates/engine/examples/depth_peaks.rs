//! Measures the parser pre-check's depth cost over real code, to see how far real files stay
//! from `MAX_DEPTH_COST` and which ones it would refuse:
//!
//! ```sh
//! cargo run --release -p convex-lens-engine --example depth_peaks -- tests/npm-corpus/node_modules
//! ```
//!
//! Prints the distribution of each file's peak cost, the costliest files and any refused file
//! with the line where the budget ran out.

use std::path::Path;

use convex_lens_engine::parse::{depth_cost, MAX_DEPTH_COST};

const EXTENSIONS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

fn main() {
    let mut peaks = Vec::new();
    let mut refused = Vec::new();
    for dir in std::env::args().skip(1) {
        visit(Path::new(&dir), &mut |path, text| match depth_cost(text, MAX_DEPTH_COST) {
            Ok(peak) => peaks.push((peak, path.display().to_string())),
            Err(at) => refused.push(format!("{}:{}", path.display(), text[..at].matches('\n').count() + 1)),
        });
    }
    peaks.sort();
    println!("{} files, {} refused (budget {MAX_DEPTH_COST})", peaks.len() + refused.len(), refused.len());
    if let Some(last) = peaks.len().checked_sub(1) {
        for quantile in [0.5, 0.9, 0.99, 0.999, 1.0] {
            let index = ((last as f64) * quantile) as usize;
            println!("p{:<5} {}", quantile * 100.0, peaks[index].0);
        }
    }
    for (peak, path) in peaks.iter().rev().take(10) {
        println!("{peak:>5} {path}");
    }
    for place in refused {
        println!("refused {place}");
    }
}

fn visit(dir: &Path, each: &mut impl FnMut(&Path, &str)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|entry| entry.path()) {
        if path.is_dir() {
            visit(&path, each);
        } else if path.extension().is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x)) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                each(&path, &text);
            }
        }
    }
}
