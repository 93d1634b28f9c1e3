//! `convex-lens`: the engine on the command line.
//!
//! `convex-lens inspect <dir> [--json]` reads a project (the folder holding `convex/`, or the
//! `convex/` folder itself) and prints its tables and indexes, or the engine's analysis as JSON.
//! Exit status: 0 when the engine reported no error, 1 when it did, 2 for bad usage or I/O.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use convex_lens_engine::{analyze_project, Analysis, Severity, SourceFile};

/// swc parses by recursion; a big stack keeps deeply nested input from overflowing (the engine
/// also refuses nesting past its limit, so this is a margin, not the only guard).
const ANALYSIS_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Source files the engine reads.
const SOURCE_EXTENSIONS: [&str; 9] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "json"];
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
    let (files, functions_dir) = match read_project(Path::new(dir)) {
        Ok(project) => project,
        Err(error) => {
            eprintln!("convex-lens: cannot read {dir}: {error}");
            return ExitCode::from(2);
        }
    };
    let analysis = match std::thread::Builder::new().stack_size(ANALYSIS_STACK_BYTES).spawn(move || analyze_project(&files, functions_dir.as_deref())) {
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
        println!("{}", serde_json::to_string_pretty(&analysis.inspection()).expect("the analysis serialises"));
    } else {
        print!("{}", render_text(&analysis));
    }
    if analysis.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The files of the project around `dir`, with paths relative to the project root and `/` as the
/// separator, and the functions directory when `dir` is one.
///
/// When `dir` holds `convex.json` or a `convex/` folder it is the project root. Otherwise `dir` is
/// a functions directory: a `convex/` folder, whose parent is the root, or a component's source
/// folder, whose root is the nearest folder above it with a `package.json`. Either way imports
/// that leave `dir` still resolve.
fn read_project(dir: &Path) -> std::io::Result<(Vec<SourceFile>, Option<String>)> {
    let dir = dir.canonicalize()?;
    let is_root = |d: &Path| d.join("convex.json").is_file() || d.join("convex").is_dir();
    let root = if is_root(&dir) {
        dir.clone()
    } else if dir.file_name().is_some_and(|name| name == "convex") {
        dir.parent().unwrap_or(&dir).to_path_buf()
    } else {
        dir.ancestors().skip(1).take(6).find(|d| d.join("package.json").is_file()).unwrap_or(&dir).to_path_buf()
    };
    let functions_dir = (root != dir).then(|| relative_path(&root, &dir));
    let mut paths = Vec::new();
    collect_sources(&root, &mut paths)?;
    paths.sort();
    let files = paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)?;
            Ok(SourceFile::new(relative_path(&root, &path), String::from_utf8_lossy(&bytes)))
        })
        .collect::<std::io::Result<_>>()?;
    Ok((files, functions_dir))
}

fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).expect("under the root").components();
    relative.map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
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
    render_schema(analysis, &mut out);
    out.push_str(&format!("{} functions\n", analysis.functions.len()));
    for function in &analysis.functions {
        let kind = serde_json::to_value(function.kind).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default();
        let visibility = serde_json::to_value(function.visibility).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default();
        let node = if function.runtime == convex_lens_engine::Runtime::Node { " (node)" } else { "" };
        let args = function.args.as_ref().map_or("?".to_owned(), |a| a.describe());
        out.push_str(&format!("  {visibility} {kind} {}{node}  args: {args}\n", function.path));
    }
    if !analysis.http_routes.is_empty() {
        out.push_str(&format!("{} http routes\n", analysis.http_routes.len()));
        for route in &analysis.http_routes {
            out.push_str(&format!("  {} {}\n", route.method, route.path));
        }
    }
    if !analysis.crons.is_empty() {
        out.push_str(&format!("{} cron jobs\n", analysis.crons.len()));
        for job in &analysis.crons {
            out.push_str(&format!("  {} → {} {}\n", job.name, job.function.as_deref().unwrap_or("?"), job.schedule));
        }
    }
    if !analysis.components.is_empty() {
        out.push_str(&format!("{} components\n", analysis.components.len()));
        for component in &analysis.components {
            out.push_str(&format!("  {} ({})\n", component.name.as_deref().unwrap_or("?"), component.definition));
        }
    }
    out
}

fn render_schema(analysis: &Analysis, out: &mut String) {
    match (&analysis.schema_file, &analysis.schema) {
        (None, _) => out.push_str("no schema file found\n"),
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
}
