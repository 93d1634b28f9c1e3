//! The example backends of `www/examples/`, embedded at compile time (see `build.rs`).

/// One example: its name (the folder's) and its files, by path relative to the project root.
pub struct Example {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

pub const EXAMPLES: &[Example] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The example shown on first load, and the file it opens.
pub const FIRST: (&str, &str) = ("chat", "convex/schema.ts");

pub fn example(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

impl Example {
    pub fn files(&self) -> Vec<(String, String)> {
        self.files.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect()
    }
}
