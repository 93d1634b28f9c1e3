//! Reading a project from disk the way `convex-lens inspect` does, shared with the tests that
//! compare the engine with the real `convex` package.

use std::path::{Path, PathBuf};

use convex_lens_engine::{analyze_project, Analysis, SourceFile};

/// Source files the engine reads (`json` for `convex.json` and `tsconfig.json`).
const SOURCE_EXTENSIONS: [&str; 9] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "json"];
/// Folders that never hold the user's backend source.
const SKIPPED_DIRS: [&str; 3] = ["node_modules", "_generated", ".git"];

/// The files of the project around `dir`, with paths relative to the project root and `/` as the
/// separator, and the functions directory when `dir` is one.
///
/// When `dir` holds `convex.json` or a `convex/` folder it is the project root. Otherwise `dir` is
/// a functions directory: a `convex/` folder, whose parent is the root, or a component's source
/// folder, whose root is the nearest folder above it with a `package.json`. Either way imports
/// that leave `dir` still resolve.
pub fn read_project(dir: &Path) -> std::io::Result<(Vec<SourceFile>, Option<String>)> {
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


/// swc parses by recursion; a big stack keeps deeply nested input from overflowing (the engine
/// also refuses nesting past its limit, so this is a margin, not the only guard).
const ANALYSIS_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs the engine on a thread with a big stack.
pub fn analyze_on_big_stack(files: Vec<SourceFile>, functions_dir: Option<String>) -> Result<Analysis, String> {
    let handle = std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK_BYTES)
        .spawn(move || analyze_project(&files, functions_dir.as_deref()))
        .map_err(|error| format!("cannot start the analysis thread: {error}"))?;
    handle.join().map_err(|_| "the analysis panicked; this is a bug, please report it with the input".to_owned())
}
