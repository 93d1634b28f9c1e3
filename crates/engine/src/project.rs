//! The project as the Convex CLI sees it: where the functions directory is, which files in it are
//! function modules, and what each module's path is. See `shared/reference/convex-api.md` §1.
//!
//! Paths are POSIX, relative to the root of what the user gave the engine.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::source::SourceFile;

/// Extensions of files the Convex CLI bundles as function modules (`entryPoints()` in
/// `convex/src/bundler/index.ts`).
pub const MODULE_EXTENSIONS: [&str; 8] = ["js", "mjs", "cjs", "ts", "tsx", "mts", "cts", "jsx"];

/// The files of a project, by path, and where its functions directory is.
pub struct Project<'a> {
    pub files: BTreeMap<&'a str, &'a SourceFile>,
    /// The functions directory: `""` for the root, else a path without a trailing slash.
    pub functions_dir: String,
    /// Set when `convex.json` could not be read; the default directory is used instead.
    pub convex_json_problem: Option<String>,
}

/// A function module: a file the CLI bundles and the backend analyses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleEntry {
    /// The file's path in the project.
    pub file: String,
    /// The module path Convex uses in function paths: relative to the functions directory,
    /// without its extension (`chat/threads`).
    pub module_path: String,
}

#[derive(Deserialize)]
struct ConvexJson {
    functions: Option<String>,
}

impl<'a> Project<'a> {
    /// Finds the functions directory: the one `convex.json` names, else `convex/` when the
    /// project has one, else the root (a pasted `convex/` folder's contents, or a component's
    /// source folder).
    pub fn new(files: &'a [SourceFile]) -> Self {
        let files: BTreeMap<&str, &SourceFile> = crate::order::map(files.iter().map(|f| (f.path.as_str(), f)));
        let mut convex_json_problem = None;
        let configured = files.get("convex.json").and_then(|file| {
            match crate::jsonc::parse::<ConvexJson>(&file.text) {
                Ok(config) => config.functions.map(|dir| normalize_dir(&dir)),
                Err(error) => {
                    convex_json_problem = Some(format!("convex.json cannot be read ({error}); using convex/"));
                    None
                }
            }
        });
        let functions_dir = configured.unwrap_or_else(|| {
            // Codegen output alone does not make a functions directory: a stray `convex/_generated/`
            // inside one (a codegen run from the wrong folder) must not hide the real one.
            if files.keys().any(|path| path.starts_with("convex/") && !path.starts_with("convex/_generated/")) {
                "convex".to_owned()
            } else {
                String::new()
            }
        });
        Self { files, functions_dir, convex_json_problem }
    }

    /// The path of `name` inside the functions directory.
    pub fn in_functions_dir(&self, name: &str) -> String {
        join(&self.functions_dir, name)
    }

    /// The path of a file relative to the functions directory, if it is inside it.
    pub fn relative_to_functions_dir<'p>(&self, path: &'p str) -> Option<&'p str> {
        if self.functions_dir.is_empty() {
            return Some(path);
        }
        path.strip_prefix(self.functions_dir.as_str())?.strip_prefix('/')
    }

    /// The function modules, in path order, following the CLI's `entryPoints()` rules.
    pub fn function_modules(&self) -> Vec<ModuleEntry> {
        let component_dirs: Vec<&str> = self
            .files
            .keys()
            .filter_map(|path| self.relative_to_functions_dir(path))
            .filter_map(|relative| relative.strip_suffix("/convex.config.ts").or(relative.strip_suffix("/convex.config.js")))
            .collect();
        self.files
            .values()
            .filter_map(|file| {
                let relative = self.relative_to_functions_dir(&file.path)?;
                let in_component = component_dirs.iter().any(|dir| relative.starts_with(&format!("{dir}/")));
                (!in_component && is_function_module(relative, &file.text)).then(|| ModuleEntry {
                    file: file.path.clone(),
                    module_path: strip_extension(relative).to_owned(),
                })
            })
            .collect()
    }

    /// The first of `names` that exists at the root of the functions directory.
    pub fn root_file(&self, names: &[&str]) -> Option<&'a SourceFile> {
        names.iter().find_map(|name| self.files.get(self.in_functions_dir(name).as_str()).copied())
    }
}

/// Whether a file (path relative to the functions directory) is a function module.
fn is_function_module(relative: &str, text: &str) -> bool {
    let base = relative.rsplit('/').next().unwrap_or(relative);
    let Some((_, extension)) = base.rsplit_once('.') else {
        return false;
    };
    let skipped = !MODULE_EXTENSIONS.contains(&extension)
        // Only the top-level `_generated/` is Convex's: the CLI bundles a deeper one, and every other
        // folder starting with `_` (`_system/`), like any folder.
        || relative.starts_with("_generated/")
        || relative.split('/').any(|part| part == "node_modules")
        || base.starts_with('.')
        || base.starts_with('#')
        || base == "schema.ts"
        || base == "schema.js"
        || base.matches('.').count() > 1
        || relative.contains(' ');
    if skipped {
        return false;
    }
    // The CLI drops TypeScript files without a line that starts with `import` or `export`.
    let typescript = matches!(extension, "ts" | "tsx");
    !typescript || has_import_or_export_line(text)
}

/// `/^\s{0,100}(import|export)/m`, as the CLI tests it.
fn has_import_or_export_line(text: &str) -> bool {
    text.lines().any(|line| {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        indent <= 100 && (trimmed.starts_with("import") || trimmed.starts_with("export"))
    })
}

fn strip_extension(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') => stem,
        _ => path,
    }
}

/// `./convex/`, `convex`, `/convex/` → `convex`; `.`, `./` → `` (the root).
fn normalize_dir(dir: &str) -> String {
    let trimmed = dir.trim().trim_start_matches("./").trim_matches('/');
    if trimmed == "." { String::new() } else { trimmed.to_owned() }
}

/// Joins a directory (`""` for the root) and a relative path.
pub fn join(dir: &str, path: &str) -> String {
    if dir.is_empty() { path.to_owned() } else { format!("{dir}/{path}") }
}

/// Whether the directive prologue of a module says `"use node"`.
pub fn has_use_node_directive(module: &swc_ecma_ast::Module) -> bool {
    use swc_ecma_ast::{Expr, Lit, ModuleItem, Stmt};
    for item in &module.body {
        let ModuleItem::Stmt(Stmt::Expr(statement)) = item else {
            return false;
        };
        let Expr::Lit(Lit::Str(directive)) = &*statement.expr else {
            return false;
        };
        if directive.value.as_str() == Some("use node") {
            return true;
        }
    }
    false
}

/// Files Convex gives a fixed name: the code that calls these can only live there.
const FIXED: [(&str, &str); 3] = [("defineSchema", "convex/schema.ts"), ("httpRouter", "convex/http.ts"), ("cronJobs", "convex/crons.ts")];

/// The path proposed for code that comes without one (pasted in the playground, a code block
/// on a docs page): the fixed file its code defines, else
/// `convex/<first table it queries or inserts into>.ts`, else `convex/pasted.ts`, numbered
/// (`convex/messages2.ts`) when `exists` says the path is taken.
pub fn propose_path(text: &str, exists: impl Fn(&str) -> bool) -> String {
    if let Some((_, path)) = FIXED.iter().find(|(call, _)| text.contains(&format!("{call}("))) {
        return path.to_string();
    }
    let name = first_table(text).unwrap_or("pasted");
    let numbered = |n: usize| if n == 1 { format!("convex/{name}.ts") } else { format!("convex/{name}{n}.ts") };
    (1..).map(numbered).find(|path| !exists(path)).expect("some number is free")
}

/// The first table named in `.query("…")` or `.insert("…"` that can be a file name.
fn first_table(text: &str) -> Option<&str> {
    let quoted_after = |call: &str| {
        text.match_indices(call).filter_map(|(at, _)| {
            let rest = text[at + call.len()..].trim_start();
            let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
            let name = rest[1..].split(quote).next()?;
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some((at, name))
        }).next()
    };
    let found = [quoted_after(".query("), quoted_after(".insert(")];
    found.into_iter().flatten().min_by_key(|(at, _)| *at).map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_files(paths: &[(&str, &str)]) -> Vec<SourceFile> {
        paths.iter().map(|(path, text)| SourceFile::new(*path, *text)).collect()
    }

    fn module_paths(files: &[SourceFile]) -> Vec<String> {
        Project::new(files).function_modules().into_iter().map(|m| m.module_path).collect()
    }

    #[test]
    fn function_modules_follow_the_cli_rules() {
        let code = "export const a = 1;";
        let files = project_files(&[
            ("convex/messages.ts", code),
            ("convex/chat/threads.ts", code),
            ("convex/schema.ts", code),
            ("convex/sub/schema.ts", code),
            ("convex/auth.config.ts", code),
            ("convex/foo.test.ts", code),
            ("convex/.hidden.ts", code),
            ("convex/#private.ts", code),
            ("convex/with space.ts", code),
            ("convex/_generated/server.js", code),
            ("convex/_system/admin.ts", code),
            ("convex/lib/_generated/rollup.ts", code),
            ("convex/types.ts", "type A = string;"),
            ("convex/legacy.js", "module.exports = {};"),
            ("convex/widget.tsx", code),
            ("convex/local/convex.config.ts", code),
            ("convex/local/lib.ts", code),
            ("convex/README.md", code),
            ("src/app.ts", code),
        ]);
        assert_eq!(module_paths(&files), ["_system/admin", "chat/threads", "legacy", "lib/_generated/rollup", "messages", "widget"]);
    }

    #[test]
    fn convex_json_names_the_functions_directory() {
        let files = project_files(&[
            ("convex.json", r#"{ "functions": "./packages/backend/convex/", /* comment */ }"#),
            ("packages/backend/convex/tasks.ts", "export const a = 1;"),
            ("convex/ignored.ts", "export const a = 1;"),
        ]);
        let project = Project::new(&files);
        assert_eq!(project.functions_dir, "packages/backend/convex");
        assert_eq!(module_paths(&files), ["tasks"]);
    }

    #[test]
    fn a_convex_folder_holding_only_codegen_is_not_the_functions_directory() {
        let files = project_files(&[("convex/_generated/api.js", "export const api = {};"), ("tasks.ts", "export const a = 1;")]);
        assert_eq!(Project::new(&files).functions_dir, "");
        // Below the top level, a `_generated/` folder is bundled like any other, as the CLI does.
        assert_eq!(module_paths(&files), ["convex/_generated/api", "tasks"]);
    }

    #[test]
    fn without_a_convex_folder_the_root_is_the_functions_directory() {
        let files = project_files(&[("lib.ts", "export const a = 1;"), ("schema.ts", "export default 1;")]);
        assert_eq!(Project::new(&files).functions_dir, "");
        assert_eq!(module_paths(&files), ["lib"]);
    }

    #[test]
    fn a_broken_convex_json_is_reported_and_the_default_used() {
        let files = project_files(&[("convex.json", "{ functions: "), ("convex/a.ts", "export const a = 1;")]);
        let project = Project::new(&files);
        assert!(project.convex_json_problem.is_some());
        assert_eq!(project.functions_dir, "convex");
    }

    fn proposed(text: &str) -> String {
        propose_path(text, |_| false)
    }

    #[test]
    fn the_path_follows_what_the_code_defines() {
        assert_eq!(proposed("export default defineSchema({ a: defineTable({}) });"), "convex/schema.ts");
        assert_eq!(proposed("const http = httpRouter();\nexport default http;"), "convex/http.ts");
        assert_eq!(proposed("const crons = cronJobs();"), "convex/crons.ts");
        let module = "export const list = query({ handler: (ctx) => ctx.db.query(\"messages\").collect() });\nawait ctx.db.insert('users', {});";
        assert_eq!(proposed(module), "convex/messages.ts");
        assert_eq!(proposed("await ctx.db.insert(\n  'users', {})"), "convex/users.ts");
        assert_eq!(proposed("export const a = 1;"), "convex/pasted.ts");
        // A table name that is not a plain name does not become a path.
        assert_eq!(proposed("ctx.db.query(\"../etc\")"), "convex/pasted.ts");
    }

    #[test]
    fn a_taken_module_path_is_numbered_but_a_fixed_file_is_not() {
        let taken = |path: &str| ["convex/messages.ts", "convex/messages2.ts", "convex/schema.ts"].contains(&path);
        assert_eq!(propose_path("ctx.db.query('messages')", taken), "convex/messages3.ts");
        assert_eq!(propose_path("defineSchema({})", taken), "convex/schema.ts");
    }
}
