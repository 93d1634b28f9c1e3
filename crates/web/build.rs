//! Embeds the examples of `www/examples/`: for each example folder, the list of its files as
//! `(path, include_str!(...))`, so that a file added to an example is in the playground without
//! another edit. Written to `$OUT_DIR/examples.rs`, included by `src/examples.rs`.

use std::path::{Path, PathBuf};

fn main() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples");
    println!("cargo:rerun-if-changed={}", examples.display());
    let mut code = String::from("&[\n");
    for example in sorted_entries(&examples).into_iter().filter(|p| p.is_dir()) {
        let name = example.file_name().unwrap().to_string_lossy().into_owned();
        let mut files = Vec::new();
        collect_files(&example, &mut files);
        code.push_str(&format!("    Example {{ name: {name:?}, files: &[\n"));
        for file in files {
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
