//! Default names of published Convex components: what `defineComponent("...")` says in each
//! package's `convex.config`, which the Convex CLI reads when it bundles `app.use(...)`. The
//! versions are those of `tests/npm-corpus`; a name that is not here is an explicit unknown
//! unless `app.use` gives `{ name }`.

use crate::eval::Value;

/// (package, default name).
const DEFAULT_NAMES: [(&str, &str); 0] = [];

/// `import x from "<package>/convex.config"` (with or without `.js`).
pub(super) fn definition(package: &str, name: &str) -> Option<Value> {
    let config = package.strip_suffix(".js").unwrap_or(package);
    let package_name = config.strip_suffix("/convex.config")?;
    if name != "default" {
        return None;
    }
    let default_name = DEFAULT_NAMES.iter().find(|(p, _)| *p == package_name).map(|(_, n)| (*n).to_owned());
    Some(Value::ComponentDefinition { specifier: package.to_owned(), default_name })
}
