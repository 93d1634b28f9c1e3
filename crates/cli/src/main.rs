//! `convex-lens`: the engine on the command line.
//!
//! `convex-lens inspect <dir> [--json]` reads a project (the folder holding `convex/`, or the
//! `convex/` folder itself) and prints its tables and indexes, or the engine's analysis as JSON.
//! Exit status: 0 when the engine reported no error, 1 when it did, 2 for bad usage or I/O.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use convex_lens_engine::{analyze, Analysis, Severity, SourceFile};

/// swc parses by recursion; a big stack keeps deeply nested input from overflowing (the engine
/// also refuses nesting past its limit, so this is a margin, not the only guard).
const ANALYSIS_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Source files the engine reads.
const SOURCE_EXTENSIONS: [&str; 8] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];
/// Folders that never hold the user's backend source.
const SKIPPED_DIRS: [&str; 3] = ["node_modules", "_generated", ".git"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some("inspect"), Some(dir)) = (args.first().map(String::as_str), args.get(1)) else {
        eprintln!("usage: convex-lens inspect <dir> [--json]");
        return ExitCode::from(2);
    };
    let json = args[2..].iter().any(|a| a == "--json");
    if let Some(unknown) = args[2..].iter().find(|a| *a != "--json") {
        eprintln!("convex-lens: unknown option {unknown}");
        return ExitCode::from(2);
    }
    let files = match read_project(Path::new(dir)) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("convex-lens: cannot read {dir}: {error}");
            return ExitCode::from(2);
        }
    };
    let analysis = match std::thread::Builder::new().stack_size(ANALYSIS_STACK_BYTES).spawn(move || analyze(&files)) {
        Ok(handle) => match handle.join() {
            Ok(analysis) => analysis,
            Err(_) => {
                eprintln!("convex-lens: the analysis panicked; this is a bug, please report it with the input");
                return ExitCode::from(2);
            }
        },
        Err(error) => {
            eprintln!("convex-lens: cannot start the analysis thread: {error}");
            return ExitCode::from(2);
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&analysis).expect("the analysis serialises"));
    } else {
        print!("{}", render_text(&analysis));
    }
    if analysis.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads every source file under `dir`, with paths relative to the project root and `/` as the
/// separator. A `dir` that is itself a `convex/` folder is read as `convex/...`.
fn read_project(dir: &Path) -> std::io::Result<Vec<SourceFile>> {
    let dir = dir.canonicalize()?;
    let prefix = if dir.file_name().is_some_and(|n| n == "convex") { "convex/" } else { "" };
    let mut paths = Vec::new();
    collect_sources(&dir, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&dir).expect("under dir").components();
            let relative: Vec<String> = relative.map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let bytes = std::fs::read(&path)?;
            Ok(SourceFile::new(format!("{prefix}{}", relative.join("/")), String::from_utf8_lossy(&bytes)))
        })
        .collect()
}

fn collect_sources(dir: &Path, paths: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                collect_sources(&path, paths)?;
            }
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| SOURCE_EXTENSIONS.contains(&e)) {
            paths.push(path);
        }
    }
    Ok(())
}

fn render_text(analysis: &Analysis) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let severity = d.severity.as_str();
        let code = serde_json::to_value(d.code).ok().and_then(|c| c.as_str().map(str::to_owned)).unwrap_or_default();
        out.push_str(&format!("{}:{}:{}: {severity}[{code}]: {}\n", d.location.file, d.location.line, d.location.column, d.message));
    }
    match (&analysis.schema_file, &analysis.schema) {
        (None, _) => out.push_str("no schema file (convex/schema.ts) found\n"),
        (Some(file), None) => out.push_str(&format!("{file}: no schema could be read\n")),
        (Some(file), Some(schema)) => {
            out.push_str(&format!("{file}: {} tables\n", schema.tables.len()));
            for table in &schema.tables {
                out.push_str(&format!("  {}\n", table.table_name));
                let db = table.indexes.iter().map(|i| (i, "")).chain(table.staged_db_indexes.iter().map(|i| (i, " (staged)")));
                for (index, staged) in db {
                    out.push_str(&format!("    index {} [{}]{staged}\n", index.index_descriptor, index.fields.join(", ")));
                }
                let search = table.search_indexes.iter().map(|i| (i, "")).chain(table.staged_search_indexes.iter().map(|i| (i, " (staged)")));
                for (index, staged) in search {
                    out.push_str(&format!("    search {} on {} [{}]{staged}\n", index.index_descriptor, index.search_field, index.filter_fields.join(", ")));
                }
                let vector = table.vector_indexes.iter().map(|i| (i, "")).chain(table.staged_vector_indexes.iter().map(|i| (i, " (staged)")));
                for (index, staged) in vector {
                    out.push_str(&format!("    vector {} on {} ({} dimensions) [{}]{staged}\n", index.index_descriptor, index.vector_field, index.dimensions, index.filter_fields.join(", ")));
                }
            }
        }
    }
    out
}
