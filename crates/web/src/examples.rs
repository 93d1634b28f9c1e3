//! The example backends of `www/examples/`, embedded at compile time (see `build.rs`).

/// One example: its name (the folder's), its title and description (its `README.md`) and its
/// files, by path relative to the project root.
pub struct Example {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

pub const EXAMPLES: &[Example] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The example shown on first load.
pub const FIRST: &str = "chat";

/// The file an example opens with.
pub const OPEN: &str = "convex/schema.ts";

pub fn example(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

impl Example {
    pub fn files(&self) -> Vec<(String, String)> {
        self.files.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn every_example_has_a_title_a_description_a_schema_and_no_readme() {
        let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        assert_eq!(names, ["chat", "feed", "game", "saas"]);
        for example in EXAMPLES {
            assert!(!example.title.is_empty() && example.description.len() > 40, "{}", example.name);
            assert!(example.files.iter().any(|(path, _)| *path == OPEN), "{}", example.name);
            assert!(example.files.iter().all(|(path, _)| !path.ends_with("README.md")), "{}", example.name);
        }
        assert!(example(FIRST).is_some());
    }
}
