//! Source files as the user has them, and positions within them.

use serde::{Deserialize, Serialize};

/// One file of the user's project: a path (POSIX separators, relative to what the user opened)
/// and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self { path: path.into(), text: text.into() }
    }
}

/// A byte range in one file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ByteRange {
    pub start: usize,
    pub end: usize,
}

/// A place in the user's code, ready to show: the file, the byte range, and the 1-based line and
/// column (in characters) of its start.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets of one text to lines and columns.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(offset, _)| offset + 1))
            .collect();
        Self { text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset, clamped to the text.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count();
        (line + 1, column + 1)
    }

    pub fn location(&self, file: &str, range: ByteRange) -> Location {
        let (line, column) = self.line_column(range.start);
        Location { file: file.to_owned(), start: range.start, end: range.end, line, column }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let index = LineIndex::new("ab\néé x\n");
        assert_eq!(index.line_column(0), (1, 1));
        assert_eq!(index.line_column(3), (2, 1));
        // "éé " is 5 bytes and 3 characters.
        assert_eq!(index.line_column(8), (2, 4));
        assert_eq!(index.line_column(999), (3, 1));
    }

    #[test]
    fn an_offset_inside_a_character_is_clamped_to_its_start() {
        let index = LineIndex::new("é");
        assert_eq!(index.line_column(1), (1, 1));
    }
}
