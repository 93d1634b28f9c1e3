//! Packages among the files: `node_modules/<name>/package.json` nearest above the importer, and
//! the file its `exports` (or `module` / `main`) names for a subpath, as esbuild resolves them
//! for the Convex CLI (conditions `convex` and `module`, browser platform, ES imports).
//!
//! Hosts decide which package files to hand over (the CLI reads installed packages on demand,
//! see [`super::Resolver::wanted`]); here they are only looked up.

use serde_json::Value as Json;

/// The conditions esbuild matches in `exports`, for the Convex CLI's bundle of the isolate.
const CONDITIONS: [&str; 5] = ["convex", "module", "browser", "import", "default"];

/// `@scope/name/sub/path` → (`@scope/name`, `./sub/path`); `name` → (`name`, `.`).
pub(super) fn split_specifier(specifier: &str) -> Option<(&str, String)> {
    let (name, inside) = split_package_path(specifier)?;
    let subpath = if inside.is_empty() { ".".to_owned() } else { format!("./{inside}") };
    Some((name, subpath))
}

/// A package's name and the path inside it: `@scope/pkg/dist/x.js` is (`@scope/pkg`,
/// `dist/x.js`), `pkg` is (`pkg`, ``).
pub fn split_package_path(path: &str) -> Option<(&str, &str)> {
    let mut parts = path.splitn(if path.starts_with('@') { 3 } else { 2 }, '/');
    let first = parts.next()?;
    let name_len = if path.starts_with('@') { first.len() + 1 + parts.next()?.len() } else { first.len() };
    let (name, rest) = path.split_at(name_len);
    if name.is_empty() || name.ends_with('/') {
        return None;
    }
    Some((name, rest.strip_prefix('/').unwrap_or(rest)))
}

/// The directories whose `node_modules` Node.js searches from `from_dir`, nearest first.
pub(super) fn search_dirs(from_dir: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(from_dir), |dir| (!dir.is_empty()).then(|| super::parent(dir)))
        .filter(|dir| dir.rsplit('/').next() != Some("node_modules"))
}

/// The path, relative to the package directory, that `subpath` of a package resolves to.
pub(super) fn entry(manifest: &Json, subpath: &str) -> Option<String> {
    if let Some(exports) = manifest.get("exports") {
        return exported(exports, subpath);
    }
    if subpath != "." {
        return Some(subpath.trim_start_matches("./").to_owned());
    }
    let field = |name: &str| manifest.get(name).and_then(Json::as_str).map(|s| s.trim_start_matches("./").to_owned());
    // esbuild's main fields for the browser: `browser` (when it is a path), `module`, `main`.
    field("browser").or_else(|| field("module")).or_else(|| field("main")).or_else(|| Some("index".into()))
}

/// `exports` of a package.json: a target for `.`, or a map from subpaths (and patterns with
/// `*`) to targets.
fn exported(exports: &Json, subpath: &str) -> Option<String> {
    let is_subpath_map = matches!(exports, Json::Object(map) if map.keys().any(|k| k.starts_with('.')));
    if !is_subpath_map {
        return (subpath == ".").then(|| target(exports, None)).flatten();
    }
    let map = exports.as_object()?;
    if let Some(exact) = map.get(subpath) {
        return target(exact, None);
    }
    // The longest pattern prefix wins.
    let (pattern, value) = map
        .iter()
        .filter_map(|(key, value)| {
            let (prefix, suffix) = key.split_once('*')?;
            let star = subpath.strip_prefix(prefix)?.strip_suffix(suffix)?;
            Some(((prefix.len(), star.to_owned()), value))
        })
        .max_by_key(|((prefix, _), _)| *prefix)?;
    target(value, Some(&pattern.1))
}

/// A target: a path (with `*` replaced), the first usable entry of an array, or the first
/// condition of an object that applies.
fn target(value: &Json, star: Option<&str>) -> Option<String> {
    match value {
        Json::String(path) => {
            let path = match star {
                Some(star) => path.replace('*', star),
                None => path.clone(),
            };
            Some(path.trim_start_matches("./").to_owned())
        }
        Json::Array(items) => items.iter().find_map(|item| target(item, star)),
        Json::Object(conditions) => conditions
            .iter()
            .filter(|(condition, _)| CONDITIONS.contains(&condition.as_str()))
            .find_map(|(_, value)| target(value, star)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn specifiers_split_into_package_names_and_subpaths() {
        assert_eq!(split_specifier("@convex-dev/workpool"), Some(("@convex-dev/workpool", ".".into())));
        assert_eq!(split_specifier("@convex-dev/workpool/convex.config"), Some(("@convex-dev/workpool", "./convex.config".into())));
        assert_eq!(split_specifier("convex-helpers/server/zod4"), Some(("convex-helpers", "./server/zod4".into())));
        assert_eq!(split_specifier("lodash"), Some(("lodash", ".".into())));
        assert_eq!(split_specifier("@scope"), None);
    }

    #[test]
    fn exports_are_matched_by_subpath_pattern_and_condition() {
        let manifest = json!({
            "main": "./dist/cjs/index.js",
            "exports": {
                ".": { "types": "./dist/index.d.ts", "require": "./dist/cjs/index.js", "default": "./dist/esm/index.js" },
                "./convex.config": { "@convex-dev/component-source": "./src/component/convex.config.ts", "default": "./dist/component/convex.config.js" },
                "./server/*": "./dist/server/*.js",
                "./package.json": "./package.json"
            }
        });
        assert_eq!(entry(&manifest, "."), Some("dist/esm/index.js".into()));
        assert_eq!(entry(&manifest, "./convex.config"), Some("dist/component/convex.config.js".into()));
        assert_eq!(entry(&manifest, "./server/zod4"), Some("dist/server/zod4.js".into()));
        assert_eq!(entry(&manifest, "./internal"), None);
        assert_eq!(entry(&json!({ "exports": "./index.mjs" }), "."), Some("index.mjs".into()));
        assert_eq!(entry(&json!({ "module": "esm.js", "main": "cjs.js" }), "."), Some("esm.js".into()));
        assert_eq!(entry(&json!({ "main": "lib/index.js" }), "./lib/other"), Some("lib/other".into()));
    }

    #[test]
    fn packages_are_searched_from_the_importer_up_but_not_inside_node_modules_itself() {
        let dirs: Vec<&str> = search_dirs("node_modules/@convex-dev/resend/dist/client").collect();
        assert_eq!(
            dirs,
            ["node_modules/@convex-dev/resend/dist/client", "node_modules/@convex-dev/resend/dist", "node_modules/@convex-dev/resend", "node_modules/@convex-dev", ""]
        );
    }
}
