//! Embeds the examples of `www/examples/`: for each example folder, its title and description
//! (the `README.md`: a `# Title` line, then the description) and the list of its other files as
//! `(path, include_str!(...))`, so that a file added to an example is in the playground without
//! another edit. Written to `$OUT_DIR/examples.rs`, included by `src/examples.rs`.

use std::path::{Path, PathBuf};

/// Describes an example for the menu; it is not one of the example's source files.
const README: &str = "README.md";

fn main() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples");
    println!("cargo:rerun-if-changed={}", examples.display());
    let mut code = String::from("&[\n");
    for example in sorted_entries(&examples).into_iter().filter(|p| p.is_dir()) {
        let name = example.file_name().unwrap().to_string_lossy().into_owned();
        let readme = std::fs::read_to_string(example.join(README)).unwrap_or_else(|_| panic!("www/examples/{name} has no {README}"));
        let (title, description) = title_and_description(&readme).unwrap_or_else(|| panic!("www/examples/{name}/{README} starts with `# Title`"));
        let mut files = Vec::new();
        collect_files(&example, &mut files);
        code.push_str(&format!("    Example {{ name: {name:?}, title: {title:?}, description: {description:?}, files: &[\n"));
        for file in files.into_iter().filter(|f| *f != example.join(README)) {
            let path = file.strip_prefix(&example).unwrap().to_string_lossy().replace('\\', "/");
            let absolute = file.canonicalize().unwrap();
            code.push_str(&format!("        ({path:?}, include_str!({:?})),\n", absolute.display().to_string()));
        }
        code.push_str("    ] },\n");
    }
    code.push_str("]\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("examples.rs");
    std::fs::write(out, code).unwrap();
}

/// The `# Title` line and the text after it, joined into one paragraph.
fn title_and_description(readme: &str) -> Option<(String, String)> {
    let (first, rest) = readme.split_once('\n')?;
    let title = first.strip_prefix("# ")?.trim().to_owned();
    Some((title, rest.split_whitespace().collect::<Vec<_>>().join(" ")))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for path in sorted_entries(dir) {
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}
