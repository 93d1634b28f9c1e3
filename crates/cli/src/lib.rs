//! Reading a project from disk the way `convex-lens inspect` does, shared with the tests that
//! compare the engine with the real `convex` package.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use convex_lens_engine::{analyze_project, Analysis, PackageCrawl, SourceFile};
use convex_lens_diagram::render::{self, Palette};

pub mod check;
pub mod report;

/// Source files the engine reads (`json` for `convex.json` and `tsconfig.json`).
const SOURCE_EXTENSIONS: [&str; 9] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "json"];
/// Folders never read (they never hold the user's backend source). `_generated/` is read: only the functions directory's own is Convex's code
/// (the engine knows it without reading it and skips it as a module), and the CLI bundles any
/// deeper one as function modules.
const SKIPPED_DIRS: [&str; 2] = ["node_modules", ".git"];

/// The files of the project around `dir`, with paths relative to the project root and `/` as the
/// separator, and the functions directory when `dir` is one.
///
/// When `dir` holds `convex.json` or a `convex/` folder it is the project root. Otherwise `dir` is
/// a functions directory: a `convex/` folder, whose parent is the root, or a component's source
/// folder, whose root is the nearest folder above it with a `package.json`. Either way imports
/// that leave `dir` still resolve.
///
/// With `packages`, the files of installed packages that the project imports are read too
/// ([`read_packages`]), so values they export can be followed.
pub fn read_project(dir: &Path, packages: bool) -> std::io::Result<Project> {
    let (root, files, functions_dir) = read_project_files(dir)?;
    if !packages {
        return Ok(Project { files, functions_dir, packages: PackageReading::default() });
    }
    on_big_stack(move || {
        let mut files = files;
        let packages = read_packages(&root, &mut files, functions_dir.as_deref());
        Project { files, functions_dir, packages }
    })
    .map_err(std::io::Error::other)
}

/// A project read from disk, ready for the engine.
pub struct Project {
    pub files: Vec<SourceFile>,
    pub functions_dir: Option<String>,
    pub packages: PackageReading,
}

/// The project's own files, without installed packages (what the playground sees of a dropped
/// folder): the root, the files and the functions directory.
fn read_project_files(dir: &Path) -> std::io::Result<(PathBuf, Vec<SourceFile>, Option<String>)> {
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
    Ok((root, files, functions_dir))
}

/// Installed packages are read file by file as the engine asks for them, within these bounds.
const MAX_PACKAGE_FILES: usize = 2_000;
const MAX_PACKAGE_BYTES: usize = 64 * 1024 * 1024;
const MAX_PACKAGE_FILE_BYTES: u64 = 2 * 1024 * 1024;
const MAX_ROUNDS: usize = 40;

/// What reading installed packages did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PackageReading {
    pub files: usize,
    pub bytes: usize,
    /// Set when a bound stopped the reading before the engine had all it asked for.
    pub stopped: Option<String>,
}

/// Adds the files of installed packages that the project's imports lead to: the engine names
/// the files it would read next ([`PackageCrawl`]), those that exist are read, and it is
/// asked again. Paths stay virtual (`node_modules/<package>/...` relative to the root); each
/// package is looked for in the `node_modules` of the root and of every folder above it, as
/// Node.js does for code at the root.
fn read_packages(root: &Path, files: &mut Vec<SourceFile>, functions_dir: Option<&str>) -> PackageReading {
    let mut reading = PackageReading::default();
    let mut tried: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut package_dirs: HashMap<String, Option<PathBuf>> = HashMap::new();
    let mut crawl = PackageCrawl::default();
    for _ in 0..MAX_ROUNDS {
        let wanted: Vec<String> = crawl.wanted(files, functions_dir).into_iter().filter(|p| tried.insert(p.clone())).collect();
        if wanted.is_empty() {
            return reading;
        }
        for path in wanted {
            let Some(real) = real_package_path(root, &path, &mut package_dirs) else { continue };
            let Ok(metadata) = std::fs::metadata(&real) else { continue };
            if !metadata.is_file() || metadata.len() > MAX_PACKAGE_FILE_BYTES {
                continue;
            }
            if reading.files >= MAX_PACKAGE_FILES || reading.bytes + metadata.len() as usize > MAX_PACKAGE_BYTES {
                reading.stopped = Some(format!(
                    "installed packages were read up to {} files and {} MiB; imports beyond those are unknown",
                    reading.files,
                    reading.bytes / (1024 * 1024)
                ));
                return reading;
            }
            let Ok(bytes) = std::fs::read(&real) else { continue };
            reading.files += 1;
            reading.bytes += bytes.len();
            files.push(SourceFile::new(path, String::from_utf8_lossy(&bytes)));
        }
    }
    reading.stopped = Some(format!("installed packages were read in {MAX_ROUNDS} rounds; imports beyond those are unknown"));
    reading
}

/// Where a virtual package path is on disk. `node_modules/<name>/rest` is the package `name` in
/// the `node_modules` of the root or the nearest folder above it; other paths (a project
/// folder's own `node_modules`) are under the root.
fn real_package_path(root: &Path, path: &str, package_dirs: &mut HashMap<String, Option<PathBuf>>) -> Option<PathBuf> {
    let Some(rest) = path.strip_prefix("node_modules/") else {
        return Some(root.join(path));
    };
    let (name, inside) = convex_lens_engine::resolve::split_package_path(rest)?;
    let dir = package_dirs
        .entry(name.to_owned())
        .or_insert_with(|| root.ancestors().map(|a| a.join("node_modules").join(name)).find(|d| d.is_dir()))
        .clone()?;
    Some(if inside.is_empty() { dir } else { dir.join(inside) })
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
    on_big_stack(move || analyze_project(&files, functions_dir.as_deref()))
}

/// Runs engine work (which parses, so recurses) on a thread with a big stack.
fn on_big_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let handle = std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK_BYTES)
        .spawn(work)
        .map_err(|error| format!("cannot start the analysis thread: {error}"))?;
    handle.join().map_err(|_| "the analysis panicked; this is a bug, please report it with the input".to_owned())
}

/// One diagram of the analysis (`schema`, `reactivity` or `calls`) as SVG, the drawing the
/// playground shows (light or dark), or as Mermaid text.
pub fn diagram_text(analysis: &Analysis, which: &str, mermaid: bool, dark: bool) -> String {
    let diagrams = convex_lens_diagram::diagrams(analysis);
    let diagram = match which {
        "reactivity" => diagrams.reactivity,
        "calls" => diagrams.calls,
        _ => diagrams.schema,
    };
    if mermaid {
        return diagram.mermaid;
    }
    let palette = if dark { Palette::dark() } else { Palette::light() };
    let svg = render::draw(&diagram.scene, &render::Highlight::default(), Some(&palette));
    format!("{}\n", render::to_svg(&svg))
}
