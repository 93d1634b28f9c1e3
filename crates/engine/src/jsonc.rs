//! JSON with comments and trailing commas, as `tsconfig.json` and `convex.json` are written.
//!
//! `json-strip-comments` blanks the comments and trailing commas in place (so serde_json's line
//! and column still point into the file) and serde_json, which the engine carries anyway, reads
//! the rest. It replaced `jsonc-parser`, whose own parser and serde bridge were 9 KiB brotli of
//! the docs widget's first view for two small files (ARCHITECTURE.md, "Build facts").

use serde::de::DeserializeOwned;

/// Reads `text` as JSONC into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut text = text.to_owned();
    // The stripper fails only on a comment left open at the end; serde_json then reports the
    // text itself, so its verdict is the one to give.
    let _ = json_strip_comments::strip(&mut text);
    serde_json::from_str(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Config {
        functions: String,
        paths: Vec<String>,
    }

    #[test]
    fn comments_and_trailing_commas_are_read_past() {
        let text = "{\n  // where the functions are\n  \"functions\": \"src/convex/\", /* a block */\n  \"paths\": [\"a\", \"b\",],\n}\n";
        assert_eq!(
            parse::<Config>(text).unwrap(),
            Config {
                functions: "src/convex/".into(),
                paths: vec!["a".into(), "b".into()]
            }
        );
    }

    #[test]
    fn a_comment_marker_inside_a_string_is_text() {
        let text = r#"{ "functions": "http://x//y/*z*/", "paths": [] }"#;
        assert_eq!(parse::<Config>(text).unwrap().functions, "http://x//y/*z*/");
    }

    #[test]
    fn an_error_says_where_in_the_file() {
        let error =
            parse::<Config>("{\n  // fine\n  \"functions\": 3,\n  \"paths\": []\n}").unwrap_err();
        assert_eq!(error.line(), 3, "{error}");
    }

    #[test]
    fn an_unclosed_comment_is_an_error_not_a_panic() {
        assert!(parse::<Config>("{ \"functions\": \"x\", \"paths\": [] /* open").is_err());
    }
}
