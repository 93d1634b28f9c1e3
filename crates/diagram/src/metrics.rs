//! The sizes every renderer agrees on. Nodes are drawn in a 12 px monospace font, so that a
//! row's width is known from its character count without a DOM to measure text in (the layout
//! runs in the worker and in the CLI).

/// Width of one character of 12 px monospace (0.6 em, with a little room for wider fonts).
pub const CHAR_WIDTH: f64 = 7.3;
pub const FONT_SIZE: f64 = 12.0;
pub const HEADER_HEIGHT: f64 = 26.0;
pub const ROW_HEIGHT: f64 = 18.0;
pub const PADDING: f64 = 10.0;
/// Indentation of one level of nested fields.
pub const INDENT: f64 = 14.0;
/// A type or an index's fields longer than this is cut, with the whole text in a tooltip.
pub const MAX_DETAIL_CHARS: usize = 40;
/// Node titles longer than this are cut the same way.
pub const MAX_TITLE_CHARS: usize = 48;

pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

/// `text` cut to `max` characters with an ellipsis, and whether it was cut.
pub fn cut(text: &str, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        return (text.to_string(), false);
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    (format!("{kept}…"), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_an_ellipsis_to_its_maximum() {
        assert_eq!(cut("string", 40), ("string".to_string(), false));
        let (cut_text, was_cut) = cut("abcdefghij", 5);
        assert_eq!((cut_text.as_str(), was_cut), ("abcd…", true));
        assert_eq!(cut_text.chars().count(), 5);
    }
}
