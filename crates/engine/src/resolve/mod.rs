//! Where an import specifier leads, the way esbuild (which the Convex CLI bundles with) resolves
//! it: relative paths with or without an extension, `.js` specifiers that name `.ts` files,
//! directory `index` files, `tsconfig.json` `paths` aliases, and packages whose files are among
//! the project's (under `node_modules/`, see [`packages`]).

mod packages;

pub use packages::split_package_path;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::source::SourceFile;

/// Where an import leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the project.
    File(String),
    /// Code Convex generates (`_generated/server`, `_generated/api`, ...), known without its
    /// source; the string is the generated module's name (`server`).
    Generated(String),
    /// A package (`convex/values`, `convex-helpers/server/customFunctions`), by specifier, and
    /// the file of its source that the specifier names, when the files hold it.
    Package { specifier: String, file: Option<String> },
    /// A relative or aliased path that names no file the project has.
    Missing(String),
}

/// Candidate suffixes, in esbuild's order for TypeScript projects.
const EXTENSIONS: [&str; 8] = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/// `.js`-family specifiers that TypeScript lets name TypeScript files.
const REWRITTEN_EXTENSIONS: [(&str, &[&str]); 4] =
    [(".js", &[".ts", ".tsx"]), (".jsx", &[".tsx"]), (".mjs", &[".mts"]), (".cjs", &[".cts"])];

/// Resolves specifiers for the files of one project.
pub struct Resolver<'a> {
    files: &'a BTreeMap<&'a str, &'a SourceFile>,
    tsconfigs: Vec<TsConfig>,
    manifests: std::cell::RefCell<std::collections::HashMap<String, Option<std::rc::Rc<serde_json::Value>>>>,
}

/// The parts of a `tsconfig.json` that change resolution, with `extends` applied.
#[derive(Clone, Debug, Default)]
struct TsConfig {
    /// The directory the config is in.
    dir: String,
    /// `baseUrl`, resolved against the directory of the config that sets it.
    base_url: Option<String>,
    /// `paths` patterns in order, with their targets resolved to project paths.
    paths: Vec<(String, Vec<String>)>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct TsConfigJson {
    extends: Option<serde_json::Value>,
    #[serde(default)]
    compiler_options: CompilerOptions,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CompilerOptions {
    base_url: Option<String>,
    paths: Option<serde_json::Map<String, serde_json::Value>>,
}

impl<'a> Resolver<'a> {
    pub fn new(files: &'a BTreeMap<&'a str, &'a SourceFile>) -> Self {
        let tsconfigs = files
            .keys()
            .filter(|path| path.rsplit('/').next() == Some("tsconfig.json"))
            .map(|path| load_tsconfig(files, path, 0))
            .collect();
        Self { files, tsconfigs, manifests: Default::default() }
    }

    /// Resolves `specifier` as imported by the file at `from`.
    pub fn resolve(&self, from: &str, specifier: &str) -> Resolved {
        let from_dir = parent(from);
        if specifier.starts_with("./") || specifier.starts_with("../") || specifier == "." || specifier == ".." {
            let target = normalize(&crate::project::join(from_dir, specifier));
            return self.resolve_path(target.as_deref(), specifier);
        }
        if !is_package_file(from) {
            if let Some(resolved) = self.resolve_alias(from_dir, specifier) {
                return resolved;
            }
        }
        let file = self.package_entry(from_dir, specifier).and_then(|entry| self.find_file(&entry));
        Resolved::Package { specifier: self.canonical_package(from_dir, specifier), file }
    }

    /// The installed package directory that a bare specifier names, nearest above `from_dir`.
    fn package_dir(&self, from_dir: &str, name: &str) -> Option<(String, std::rc::Rc<serde_json::Value>)> {
        packages::search_dirs(from_dir).find_map(|dir| {
            let package_dir = crate::project::join(dir, &format!("node_modules/{name}"));
            let manifest = self.package_json(&format!("{package_dir}/package.json"))?;
            Some((package_dir, manifest))
        })
    }

    /// The path (maybe without its extension) that a bare specifier's package exports it as.
    /// Convex itself is never read: [`crate::builders`] knows it.
    fn package_entry(&self, from_dir: &str, specifier: &str) -> Option<String> {
        let (name, subpath) = packages::split_specifier(specifier)?;
        if name == "convex" || is_builtin_module(name) {
            return None;
        }
        let (dir, manifest) = self.package_dir(from_dir, name)?;
        let entry = packages::entry(&manifest, &subpath)?;
        normalize(&crate::project::join(&dir, &entry))
    }

    /// The files that would let `specifier` resolve further, when a host can provide them: a
    /// package's `package.json` wherever Node.js would look for it, then the file it exports,
    /// then the files a package's own relative imports name.
    pub fn wanted(&self, from: &str, specifier: &str) -> Vec<String> {
        let from_dir = parent(from);
        if specifier.starts_with('.') {
            if !is_package_file(from) {
                return Vec::new();
            }
            let Some(target) = normalize(&crate::project::join(from_dir, specifier)) else { return Vec::new() };
            return if self.find_file(&target).is_some() { Vec::new() } else { file_candidates(&target) };
        }
        let Some((name, _)) = packages::split_specifier(specifier) else { return Vec::new() };
        if name == "convex" || is_builtin_module(name) {
            return Vec::new();
        }
        if self.package_dir(from_dir, name).is_none() {
            return packages::search_dirs(from_dir)
                .map(|dir| crate::project::join(dir, &format!("node_modules/{name}/package.json")))
                .collect();
        }
        match self.package_entry(from_dir, specifier) {
            Some(entry) if self.find_file(&entry).is_none() => file_candidates(&entry),
            _ => Vec::new(),
        }
    }

    /// `zod` is zod 3 in zod@3 and zod 4 in zod@4 (both ship the other as `zod/v3` or `zod/v4`):
    /// it is named by the major the project installs or depends on, when the files tell.
    fn canonical_package(&self, from_dir: &str, specifier: &str) -> String {
        if specifier != "zod" {
            return specifier.to_owned();
        }
        match self.dependency_major(from_dir, specifier) {
            Some(3) => "zod/v3".into(),
            Some(major) if major >= 4 => "zod/v4".into(),
            _ => specifier.to_owned(),
        }
    }

    /// The major version of a package: the installed one (`node_modules/<name>/package.json`
    /// nearest above `from_dir`), else the range the nearest `package.json` that names it asks for.
    fn dependency_major(&self, from_dir: &str, name: &str) -> Option<u64> {
        let installed = self.package_dir(from_dir, name).and_then(|(_, manifest)| manifest.get("version")?.as_str().and_then(major_of_range));
        installed.or_else(|| {
            packages::search_dirs(from_dir).find_map(|dir| {
                let manifest = self.package_json(&crate::project::join(dir, "package.json"))?;
                ["dependencies", "devDependencies", "peerDependencies"]
                    .iter()
                    .find_map(|list| manifest.get(*list)?.get(name)?.as_str().and_then(major_of_range))
            })
        })
    }

    /// A `package.json` of the files, parsed once.
    fn package_json(&self, path: &str) -> Option<std::rc::Rc<serde_json::Value>> {
        if let Some(parsed) = self.manifests.borrow().get(path) {
            return parsed.clone();
        }
        let parsed = self.files.get(path).and_then(|file| serde_json::from_str(&file.text).ok()).map(std::rc::Rc::new);
        self.manifests.borrow_mut().insert(path.to_owned(), parsed.clone());
        parsed
    }

    fn resolve_path(&self, target: Option<&str>, specifier: &str) -> Resolved {
        let Some(target) = target else {
            return Resolved::Missing(specifier.to_owned());
        };
        if let Some(generated) = generated_module(target) {
            return Resolved::Generated(generated);
        }
        match self.find_file(target) {
            Some(file) => Resolved::File(file),
            None => Resolved::Missing(specifier.to_owned()),
        }
    }

    /// `paths` (and `baseUrl`) of the nearest `tsconfig.json` above the importing file.
    fn resolve_alias(&self, from_dir: &str, specifier: &str) -> Option<Resolved> {
        let config = self
            .tsconfigs
            .iter()
            .filter(|c| c.dir.is_empty() || from_dir == c.dir || from_dir.starts_with(&format!("{}/", c.dir)))
            .max_by_key(|c| c.dir.len())?;
        for (pattern, targets) in &config.paths {
            let Some(star) = match_pattern(pattern, specifier) else { continue };
            for target in targets {
                let candidate = target.replacen('*', star, 1);
                if let Some(resolved) = self.existing(&candidate) {
                    return Some(resolved);
                }
            }
        }
        let base = config.base_url.as_ref()?;
        self.existing(&crate::project::join(base, specifier))
    }

    fn existing(&self, path: &str) -> Option<Resolved> {
        let path = normalize(path)?;
        if let Some(generated) = generated_module(&path) {
            return Some(Resolved::Generated(generated));
        }
        self.find_file(&path).map(Resolved::File)
    }

    /// The file a path names: itself, with an extension added or rewritten, or its `index`.
    fn find_file(&self, path: &str) -> Option<String> {
        file_candidates(path).into_iter().find(|candidate| self.files.contains_key(candidate.as_str()))
    }
}

/// The files a path may name, in esbuild's order.
fn file_candidates(path: &str) -> Vec<String> {
    let mut candidates = vec![path.to_owned()];
    candidates.extend(EXTENSIONS.iter().map(|ext| format!("{path}{ext}")));
    for (written, actual) in REWRITTEN_EXTENSIONS {
        if let Some(stem) = path.strip_suffix(written) {
            candidates.extend(actual.iter().map(|ext| format!("{stem}{ext}")));
        }
    }
    candidates.extend(EXTENSIONS.iter().map(|ext| format!("{path}/index{ext}")));
    candidates
}

/// A file of an installed package rather than of the project.
pub fn is_package_file(path: &str) -> bool {
    path.starts_with("node_modules/") || path.contains("/node_modules/")
}

/// Node.js built-in modules (`node:fs`, `crypto`, ...), which have no package to read.
fn is_builtin_module(name: &str) -> bool {
    const BUILTINS: [&str; 24] = [
        "assert", "async_hooks", "buffer", "child_process", "crypto", "dns", "events", "fs", "http", "https", "net",
        "os", "path", "process", "querystring", "readline", "stream", "string_decoder", "timers", "tls", "url", "util",
        "worker_threads", "zlib",
    ];
    name.starts_with("node:") || BUILTINS.contains(&name)
}

/// The major version a version or range starts with: `3.25.76`, `^4.1.0`, `~3.22`, `>=4`.
fn major_of_range(range: &str) -> Option<u64> {
    let digits: String = range
        .trim_start_matches(['^', '~', '>', '=', 'v', ' '])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// `_generated/server`, `_generated/api.js`, ... → the generated module's name.
fn generated_module(path: &str) -> Option<String> {
    let mut parts = path.rsplit('/');
    let file = parts.next()?;
    (parts.next()? == "_generated").then(|| {
        let name = file.split('.').next().unwrap_or(file);
        name.to_owned()
    })
}

/// Matches a `paths` pattern (at most one `*`) and returns what the star stands for.
fn match_pattern<'s>(pattern: &str, specifier: &'s str) -> Option<&'s str> {
    match pattern.split_once('*') {
        None => (pattern == specifier).then_some(""),
        Some((prefix, suffix)) => {
            let rest = specifier.strip_prefix(prefix)?;
            rest.strip_suffix(suffix).filter(|_| rest.len() >= suffix.len())
        }
    }
}

/// Reads a tsconfig and the configs it extends (relative paths only; package configs such as
/// `@tsconfig/node20` hold no `paths`).
fn load_tsconfig(files: &BTreeMap<&str, &SourceFile>, path: &str, depth: usize) -> TsConfig {
    let dir = parent(path).to_owned();
    let Some(file) = files.get(path) else {
        return TsConfig { dir, ..Default::default() };
    };
    let json: TsConfigJson = crate::jsonc::parse(&file.text).unwrap_or_default();
    let mut config = match json.extends.as_ref().and_then(|e| e.as_str()) {
        Some(parent_path) if depth < 8 && parent_path.starts_with('.') => {
            let mut target = normalize(&crate::project::join(&dir, parent_path)).unwrap_or_default();
            if !target.ends_with(".json") {
                target.push_str(".json");
            }
            TsConfig { dir: dir.clone(), ..load_tsconfig(files, &target, depth + 1) }
        }
        _ => TsConfig { dir: dir.clone(), ..Default::default() },
    };
    if let Some(base_url) = &json.compiler_options.base_url {
        config.base_url = normalize(&crate::project::join(&dir, base_url));
    }
    if let Some(paths) = json.compiler_options.paths {
        // Targets are relative to `baseUrl` when there is one, else to the config's directory.
        let base = config.base_url.clone().unwrap_or_else(|| dir.clone());
        config.paths = paths
            .into_iter()
            .map(|(pattern, targets)| {
                let targets = targets
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str())
                    .filter_map(|t| normalize(&crate::project::join(&base, t)))
                    .collect();
                (pattern, targets)
            })
            .collect();
    }
    config
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Resolves `.` and `..` segments; `None` when the path climbs above the project root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(paths: &[&str], from: &str, specifier: &str) -> Resolved {
        let sources: Vec<SourceFile> = paths.iter().map(|p| SourceFile::new(*p, "")).collect();
        let files = sources.iter().map(|f| (f.path.as_str(), f)).collect();
        Resolver::new(&files).resolve(from, specifier)
    }

    fn file(path: &str) -> Resolved {
        Resolved::File(path.to_owned())
    }

    fn package(specifier: &str) -> Resolved {
        Resolved::Package { specifier: specifier.to_owned(), file: None }
    }

    #[test]
    fn installed_packages_resolve_to_the_file_they_export_and_ask_for_what_is_missing() {
        let sources = [
            SourceFile::new("node_modules/@convex-dev/workpool/package.json", r#"{"exports": {".": {"types": "./dist/index.d.ts", "default": "./dist/client/index.js"}}}"#),
            SourceFile::new("node_modules/@convex-dev/workpool/dist/client/index.js", "export * from \"./utils.js\";"),
            SourceFile::new("node_modules/convex/package.json", r#"{"main": "index.js"}"#),
        ];
        let files = sources.iter().map(|f| (f.path.as_str(), f)).collect();
        let resolver = Resolver::new(&files);
        assert_eq!(
            resolver.resolve("convex/a.ts", "@convex-dev/workpool"),
            Resolved::Package { specifier: "@convex-dev/workpool".into(), file: Some("node_modules/@convex-dev/workpool/dist/client/index.js".into()) }
        );
        // Convex itself is never read.
        assert_eq!(resolver.resolve("convex/a.ts", "convex/server"), package("convex/server"));
        assert_eq!(resolver.wanted("convex/a.ts", "convex/server"), Vec::<String>::new());
        // A package that is not there: its package.json wherever Node.js would look.
        assert_eq!(resolver.wanted("convex/lib/a.ts", "left-pad"), ["convex/lib/node_modules/left-pad/package.json", "convex/node_modules/left-pad/package.json", "node_modules/left-pad/package.json"]);
        // A package file's relative import that is not there yet.
        let wanted = resolver.wanted("node_modules/@convex-dev/workpool/dist/client/index.js", "./utils.js");
        assert_eq!(wanted.first().map(String::as_str), Some("node_modules/@convex-dev/workpool/dist/client/utils.js"));
        // The project's own missing files are not asked for.
        assert_eq!(resolver.wanted("convex/a.ts", "./missing"), Vec::<String>::new());
    }

    #[test]
    fn relative_specifiers_find_typescript_files_indexes_and_js_spellings() {
        let paths = ["convex/a.ts", "convex/lib/index.ts", "convex/b.tsx", "convex/c.js"];
        assert_eq!(resolve(&paths, "convex/x.ts", "./a"), file("convex/a.ts"));
        assert_eq!(resolve(&paths, "convex/x.ts", "./a.js"), file("convex/a.ts"));
        assert_eq!(resolve(&paths, "convex/x.ts", "./b.js"), file("convex/b.tsx"));
        assert_eq!(resolve(&paths, "convex/x.ts", "./c.js"), file("convex/c.js"));
        assert_eq!(resolve(&paths, "convex/lib/y.ts", ".."), Resolved::Missing("..".into()));
        assert_eq!(resolve(&paths, "convex/x.ts", "./lib"), file("convex/lib/index.ts"));
        assert_eq!(resolve(&paths, "convex/x.ts", "../../up"), Resolved::Missing("../../up".into()));
    }

    #[test]
    fn generated_modules_and_packages_are_named_not_read() {
        let paths = ["convex/a.ts"];
        assert_eq!(resolve(&paths, "convex/chat/x.ts", "../_generated/server"), Resolved::Generated("server".into()));
        assert_eq!(resolve(&paths, "convex/x.ts", "./_generated/api.js"), Resolved::Generated("api".into()));
        assert_eq!(resolve(&paths, "convex/x.ts", "convex/values"), package("convex/values"));
    }

    #[test]
    fn tsconfig_paths_and_extends_are_followed() {
        let sources = [
            SourceFile::new("tsconfig.base.json", r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"], "~lib": ["convex/lib/index.ts"] } } }"#),
            SourceFile::new("tsconfig.json", "{ // app\n \"extends\": \"./tsconfig.base\", }"),
            SourceFile::new("src/util.ts", ""),
            SourceFile::new("convex/lib/index.ts", ""),
        ];
        let files = sources.iter().map(|f| (f.path.as_str(), f)).collect();
        let resolver = Resolver::new(&files);
        assert_eq!(resolver.resolve("convex/a.ts", "@/util"), file("src/util.ts"));
        assert_eq!(resolver.resolve("convex/a.ts", "~lib"), file("convex/lib/index.ts"));
        assert_eq!(resolver.resolve("convex/a.ts", "src/util"), file("src/util.ts"));
        assert_eq!(resolver.resolve("convex/a.ts", "@other/pkg"), package("@other/pkg"));
    }

    #[test]
    fn zod_is_named_by_the_major_the_project_installs_or_asks_for() {
        let resolve_zod = |files: &[(&str, &str)]| {
            let sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
            let files = sources.iter().map(|f| (f.path.as_str(), f)).collect();
            Resolver::new(&files).resolve("convex/a.ts", "zod")
        };
        assert_eq!(resolve_zod(&[("package.json", r#"{"dependencies":{"zod":"^3.23.8"}}"#)]), package("zod/v3"));
        assert_eq!(resolve_zod(&[("package.json", r#"{"devDependencies":{"zod":"~4.1"}}"#)]), package("zod/v4"));
        assert_eq!(resolve_zod(&[("package.json", r#"{"dependencies":{"zod":"latest"}}"#)]), package("zod"));
        assert_eq!(resolve_zod(&[]), package("zod"));
        let installed = [
            ("package.json", r#"{"dependencies":{"zod":"*"}}"#),
            ("node_modules/zod/package.json", r#"{"name":"zod","version":"3.25.76"}"#),
        ];
        assert_eq!(resolve_zod(&installed), package("zod/v3"));
    }
}
