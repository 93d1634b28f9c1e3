//! Which files of a dropped or opened folder become the workspace, and under which paths. Pure
//! rules, so that they are tested without a browser; `disk` does the reading.
//!
//! - A folder named `convex` keeps its name: `convex/schema.ts`.
//! - A folder holding `convex/` or `convex.json` is the project's root: paths are relative to it,
//!   so `convex.json` is read, and only the functions folder it names (else `convex/`) and the
//!   project's config files are taken (a root also holds the front end).
//! - Any other folder is the functions folder under another name and is read as `convex/`.
//! - Loose files go into `convex/`, except the project's config files.
//! - `node_modules/`, `_generated/` and hidden folders (`.git/`) are not read: packages and
//!   generated code are not the backend's source (the engine models `_generated/` itself).
//! - Only source files are taken (`.ts`, `.tsx`, `.js`, `.jsx`, `.mjs`, `.cjs`, `.json`), each
//!   at most [`MAX_FILE_BYTES`], at most [`MAX_FILES`] of them; binary files are skipped once
//!   read. Each file or folder left out is in the [`Plan`]'s note.

use std::collections::BTreeSet;

/// Bigger files are not read: real modules are far smaller, and a huge one (a bundle, a data
/// dump) would only slow the analysis down.
pub const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0;

/// More files than this are not taken: a backend has tens of modules, not thousands.
pub const MAX_FILES: usize = 1000;

/// How many entries a folder walk visits before it stops, so a huge tree cannot hang the page.
pub const MAX_ENTRIES: usize = 20_000;

pub const SOURCE_EXTENSIONS: [&str; 7] = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "json"];

/// The project's config files, kept at its root.
const ROOT_FILES: [&str; 3] = ["convex.json", "package.json", "tsconfig.json"];

const FUNCTIONS_DIR: &str = "convex";

/// Folders that are never read: packages and hidden folders. (Generated code is left out by
/// [`plan`], which knows where the functions folder is: only its own `_generated/` is Convex's,
/// as the Convex CLI and the engine see it; a deeper `_generated/` holds function modules.)
pub fn is_ignored_folder(name: &str) -> bool {
    name == "node_modules" || name.starts_with('.')
}

fn is_source(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, extension)| !stem.is_empty() && SOURCE_EXTENSIONS.contains(&extension))
}

/// Why a file found on disk is not in the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    NotSource,
    TooLarge,
    Binary,
    OutsideFunctions,
    TooMany,
}

/// A file found on disk: its path from the dropped or chosen item (the folder's name first,
/// `/` separators) and its size in bytes. A folder that was not read is given as its path with
/// a trailing `/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub path: String,
    pub size: f64,
}

/// What to take and what was left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Index into the found files, and the path in the workspace.
    pub take: Vec<(usize, String)>,
    /// Workspace paths of the folders not read, with a trailing `/`.
    pub ignored_folders: BTreeSet<String>,
    pub skipped: Vec<(String, Skip)>,
    /// A functions folder read as `convex/`: its name.
    pub renamed: Option<String>,
    /// The walk stopped at [`MAX_ENTRIES`].
    pub truncated: bool,
}

/// Where each found path goes in the workspace (see the module's rules).
pub fn project_paths(found: &[Found]) -> (Vec<String>, Option<String>) {
    let roots: BTreeSet<&str> = found.iter().filter_map(|f| f.path.split_once('/').map(|(root, _)| root)).collect();
    let is_project = |root: &str| found.iter().any(|f| f.path == format!("{root}/convex.json") || f.path.starts_with(&format!("{root}/{FUNCTIONS_DIR}/")));
    let has_functions = roots.iter().any(|root| *root == FUNCTIONS_DIR || is_project(root));
    let mut renamed = None;
    let paths = found
        .iter()
        .map(|f| match f.path.split_once('/') {
            None if ROOT_FILES.contains(&f.path.as_str()) => f.path.clone(),
            None => format!("{FUNCTIONS_DIR}/{}", f.path),
            Some((root, _)) if root == FUNCTIONS_DIR => f.path.clone(),
            Some((root, rest)) if is_project(root) => rest.to_owned(),
            Some((root, rest)) if !has_functions => {
                renamed = Some(root.to_owned());
                format!("{FUNCTIONS_DIR}/{rest}")
            }
            Some(_) => f.path.clone(),
        })
        .collect();
    (paths, renamed)
}

/// The one field of `convex.json` that moves the files (typed, so that no generic JSON value
/// code is linked in).
#[derive(serde::Deserialize)]
struct ConvexJson {
    functions: Option<String>,
}

/// The functions folder a `convex.json` names (`"functions": "src/convex/"`), else `convex`.
pub fn functions_dir(convex_json: Option<&str>) -> String {
    let named = convex_json.and_then(|text| serde_json::from_str::<ConvexJson>(text).ok()).and_then(|json| json.functions);
    let dir = named.map(|d| d.trim_start_matches("./").trim_matches('/').to_owned()).filter(|d| !d.is_empty());
    dir.unwrap_or_else(|| FUNCTIONS_DIR.to_owned())
}

/// Decides, from the found files and their workspace paths, what to read.
pub fn plan(found: &[Found], paths: &[String], functions_dir: &str, truncated: bool) -> Plan {
    let mut plan = Plan { truncated, ..Plan::default() };
    let inside = format!("{functions_dir}/");
    for (index, (file, path)) in found.iter().zip(paths).enumerate() {
        let parts: Vec<&str> = path.split('/').collect();
        if let Some(at) = parts[..parts.len() - 1].iter().position(|part| is_ignored_folder(part)) {
            plan.ignored_folders.insert(format!("{}/", parts[..=at].join("/")));
            continue;
        }
        let generated = format!("{inside}_generated/");
        if path.starts_with(&generated) {
            plan.ignored_folders.insert(generated);
            continue;
        }
        let skip = if !path.starts_with(&inside) && !ROOT_FILES.contains(&path.as_str()) {
            Some(Skip::OutsideFunctions)
        } else if !is_source(path) {
            Some(Skip::NotSource)
        } else if file.size > MAX_FILE_BYTES {
            Some(Skip::TooLarge)
        } else if plan.take.len() >= MAX_FILES {
            Some(Skip::TooMany)
        } else {
            None
        };
        match skip {
            Some(skip) => plan.skipped.push((path.clone(), skip)),
            None => plan.take.push((index, path.clone())),
        }
    }
    plan
}

/// Whether a file's text is binary data rather than source (a NUL byte never appears in code).
pub fn is_binary(text: &str) -> bool {
    text.contains('\0')
}

/// What the user is told about an import: how many files were taken, and every file or
/// folder left out, by reason.
pub fn note(plan: &Plan, functions_dir: &str) -> Vec<String> {
    let mut lines = vec![format!("Opened {}.", count(plan.take.len(), "file", "files"))];
    if let Some(renamed) = &plan.renamed {
        lines.push(format!("Read {renamed}/ as the functions folder convex/."));
    }
    if !plan.ignored_folders.is_empty() {
        let folders: Vec<&str> = plan.ignored_folders.iter().map(String::as_str).collect();
        lines.push(format!(
            "Left out {} (packages, generated code and hidden folders are not read): {}.",
            count(folders.len(), "folder", "folders"),
            listed(&folders)
        ));
    }
    let extensions = SOURCE_EXTENSIONS.map(|e| format!(".{e}")).join(", ");
    for skip in [Skip::NotSource, Skip::TooLarge, Skip::Binary, Skip::OutsideFunctions, Skip::TooMany] {
        let paths: Vec<&str> = plan.skipped.iter().filter(|(_, s)| *s == skip).map(|(p, _)| p.as_str()).collect();
        let one = paths.len() == 1;
        let reason = match skip {
            Skip::NotSource => format!("that {} not source code ({extensions})", if one { "is" } else { "are" }),
            Skip::TooLarge => format!("over {} MiB", MAX_FILE_BYTES / (1024.0 * 1024.0)),
            Skip::Binary => format!("that {} binary data", if one { "holds" } else { "hold" }),
            Skip::OutsideFunctions => format!("outside the functions folder {functions_dir}/"),
            Skip::TooMany => format!("past the first {MAX_FILES}"),
        };
        if !paths.is_empty() {
            lines.push(format!("Skipped {} {reason}: {}.", count(paths.len(), "file", "files"), listed(&paths)));
        }
    }
    if plan.truncated {
        lines.push(format!("Stopped reading after {MAX_ENTRIES} entries; the rest of the folder was not read."));
    }
    lines
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first few names, then how many more.
fn listed(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn found(paths: &[&str]) -> Vec<Found> {
        paths.iter().map(|p| Found { path: p.to_string(), size: 100.0 }).collect()
    }

    fn mapped(paths: &[&str]) -> Vec<String> {
        project_paths(&found(paths)).0
    }

    /// The workspace paths taken and the plan, for found files of 100 bytes.
    fn planned(found: &[Found]) -> (Vec<String>, Plan) {
        let (paths, renamed) = project_paths(found);
        let mut plan = plan(found, &paths, "convex", false);
        plan.renamed = renamed;
        (plan.take.iter().map(|(_, p)| p.clone()).collect(), plan)
    }

    #[wasm_bindgen_test]
    fn a_convex_folder_keeps_its_name_and_a_parent_is_the_root() {
        assert_eq!(mapped(&["convex/schema.ts", "convex/lib/a.ts"]), ["convex/schema.ts", "convex/lib/a.ts"]);
        assert_eq!(mapped(&["app/convex.json", "app/src/convex/a.ts", "app/package.json"]), ["convex.json", "src/convex/a.ts", "package.json"]);
        assert_eq!(mapped(&["app/convex/schema.ts", "app/src/App.tsx"]), ["convex/schema.ts", "src/App.tsx"]);
    }

    #[wasm_bindgen_test]
    fn another_folder_is_the_functions_folder_and_loose_files_go_into_it() {
        let (paths, renamed) = project_paths(&found(&["backend/schema.ts", "backend/lib/a.ts"]));
        assert_eq!((paths, renamed.as_deref()), (vec!["convex/schema.ts".to_string(), "convex/lib/a.ts".into()], Some("backend")));
        assert_eq!(mapped(&["schema.ts", "convex.json"]), ["convex/schema.ts", "convex.json"]);
        // Beside a convex/ folder, another folder is not renamed onto it.
        assert_eq!(mapped(&["convex/a.ts", "src/b.ts"]), ["convex/a.ts", "src/b.ts"]);
    }

    #[wasm_bindgen_test]
    fn generated_code_packages_and_hidden_folders_are_left_out_with_a_note() {
        let files = found(&["app/convex/schema.ts", "app/convex/_generated/api.d.ts", "app/node_modules/", "app/.git/", "app/convex/_generated/server.js"]);
        let (taken, plan) = planned(&files);
        assert_eq!(taken, ["convex/schema.ts"]);
        let folders: Vec<&str> = plan.ignored_folders.iter().map(String::as_str).collect();
        assert_eq!(folders, [".git/", "convex/_generated/", "node_modules/"]);
        let note = note(&plan, "convex");
        assert_eq!(note[0], "Opened 1 file.");
        assert_eq!(note[1], "Left out 3 folders (packages, generated code and hidden folders are not read): .git/, convex/_generated/, node_modules/.");
    }

    #[wasm_bindgen_test]
    fn a_generated_folder_deeper_than_the_functions_folders_own_holds_function_modules() {
        let files = found(&["app/convex/_generated/api.d.ts", "app/convex/analytics/_generated/rollup.ts", "app/convex/schema.ts"]);
        let (taken, plan) = planned(&files);
        assert_eq!(taken, ["convex/analytics/_generated/rollup.ts", "convex/schema.ts"]);
        assert_eq!(plan.ignored_folders.iter().map(String::as_str).collect::<Vec<_>>(), ["convex/_generated/"]);
    }

    #[wasm_bindgen_test]
    fn only_source_files_within_the_size_limit_are_taken() {
        let mut files = found(&["convex/a.ts", "convex/README.md", "convex/logo.png", "convex/.env", "convex/b.mjs", "convex/c.json", "convex/d.tsx", "convex/big.ts"]);
        files[7].size = MAX_FILE_BYTES + 1.0;
        let (taken, plan) = planned(&files);
        assert_eq!(taken, ["convex/a.ts", "convex/b.mjs", "convex/c.json", "convex/d.tsx"]);
        let note = note(&plan, "convex");
        assert_eq!(note[1], "Skipped 3 files that are not source code (.ts, .tsx, .js, .jsx, .mjs, .cjs, .json): convex/README.md, convex/logo.png, convex/.env.");
        assert_eq!(note[2], "Skipped 1 file over 1 MiB: convex/big.ts.");
    }

    #[wasm_bindgen_test]
    fn a_project_root_gives_only_its_functions_folder_and_config() {
        let files = found(&["app/convex.json", "app/src/convex/a.ts", "app/src/App.tsx", "app/package.json", "app/index.html"]);
        let (paths, _) = project_paths(&files);
        let functions = functions_dir(Some(r#"{ "functions": "./src/convex/" }"#));
        assert_eq!(functions, "src/convex");
        let plan = plan(&files, &paths, &functions, false);
        let taken: Vec<&str> = plan.take.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(taken, ["convex.json", "src/convex/a.ts", "package.json"]);
        assert_eq!(note(&plan, &functions)[1], "Skipped 2 files outside the functions folder src/convex/: src/App.tsx, index.html.");
        assert_eq!(functions_dir(None), "convex");
        assert_eq!(functions_dir(Some("{ not json")), "convex");
    }

    #[wasm_bindgen_test]
    fn past_the_file_limit_files_are_skipped_and_long_lists_are_cut() {
        let paths: Vec<String> = (0..MAX_FILES + 7).map(|i| format!("convex/m{i}.ts")).collect();
        let files = found(&paths.iter().map(String::as_str).collect::<Vec<_>>());
        let (taken, plan) = planned(&files);
        assert_eq!(taken.len(), MAX_FILES);
        let note = note(&plan, "convex");
        assert!(note[1].starts_with("Skipped 7 files past the first 1000: convex/m1000.ts,") && note[1].ends_with(" and 2 more."), "{}", note[1]);
    }

    #[wasm_bindgen_test]
    fn binary_text_is_recognised() {
        assert!(is_binary("\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR"));
        assert!(!is_binary("export const a = 1;\n"));
    }
}
