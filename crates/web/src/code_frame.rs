//! A code frame, as rustc and miette print one: the lines around a place in a file, numbered,
//! with the place's columns marked beneath its line. The text is the one the analysis was made
//! for, so that the engine's lines and byte offsets mean what they meant to it.

use convex_lens_engine::Location;
use yew::prelude::*;

/// Lines shown above and below the marked one.
pub const CONTEXT_LINES: usize = 2;

#[derive(Clone, Debug, PartialEq)]
pub struct FrameLine {
    pub number: usize,
    pub text: String,
    /// On the marked line: the columns marked, 1-based, `start..end` (in characters).
    pub mark: Option<(usize, usize)>,
}

/// The frame of `location` in `text`; `None` when the text has no such line.
pub fn code_frame(text: &str, location: &Location, context: usize) -> Option<Vec<FrameLine>> {
    // Each line with its `\r` (of a `\r\n` ending) left off; offsets count it.
    let raw: Vec<&str> = text.split('\n').collect();
    let lines: Vec<&str> = raw.iter().map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let marked = location.line.checked_sub(1).filter(|&i| i < lines.len())?;
    let line_start: usize = raw[..marked].iter().map(|l| l.len() + 1).sum();
    let line = lines[marked];
    let width = line.chars().count();
    let start = location.column.clamp(1, width + 1);
    // The span's end on this line; a span that goes on past it is marked to the line's end.
    let end_byte = location.end.checked_sub(line_start).filter(|&b| b <= line.len() && line.is_char_boundary(b));
    let end = match end_byte {
        Some(b) if location.end > location.start => line[..b].chars().count() + 1,
        _ if location.end > location.start => width + 1,
        _ => start + 1,
    };
    let end = end.max(start + 1);
    let first = marked.saturating_sub(context);
    // The empty "line" after a final newline is shown only when it is the place (the end of
    // the file).
    let count = if lines.len() > 1 && lines.last() == Some(&"") && marked < lines.len() - 1 { lines.len() - 1 } else { lines.len() };
    let last = (marked + context).min(count - 1);
    Some(
        (first..=last)
            .map(|i| FrameLine { number: i + 1, text: lines[i].to_owned(), mark: (i == marked).then_some((start, end)) })
            .collect(),
    )
}

/// The marker beneath a line: spaces (tabs where the line has tabs, so that it lines up)
/// up to the start, then one `^` per marked column.
pub fn marker(line: &str, (start, end): (usize, usize)) -> String {
    let pad: String = line.chars().take(start - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    format!("{pad}{}", "^".repeat(end - start))
}

#[derive(Properties, PartialEq)]
pub struct CodeFrameProps {
    pub text: AttrValue,
    pub location: Location,
}

#[function_component(CodeFrame)]
pub fn code_frame_view(props: &CodeFrameProps) -> Html {
    let Some(lines) = code_frame(&props.text, &props.location, CONTEXT_LINES) else {
        return html! {};
    };
    let gutter = lines.last().map_or(1, |l| l.number.to_string().len());
    html! {
        <pre class="code-frame"><code>
            { for lines.iter().map(|line| html! {
                <>
                    // Each line ends in its newline, so that a copied frame keeps its lines.
                    <span class={classes!("frame-line", line.mark.is_some().then_some("marked"))} data-line={line.number.to_string()}>
                        <span class="gutter">{ format!("{:>gutter$} │ ", line.number) }</span>
                        <span class="frame-text">{ &line.text }</span>
                        { "\n" }
                    </span>
                    if let Some(mark) = line.mark {
                        <span class="frame-marker" aria-hidden="true">
                            <span class="gutter">{ format!("{:>gutter$} │ ", "") }</span>
                            { marker(&line.text, mark) }
                            { "\n" }
                        </span>
                    }
                </>
            }) }
        </code></pre>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn at(text: &str, needle: &str, length: usize) -> Location {
        let start = text.find(needle).unwrap();
        let line = text[..start].matches('\n').count() + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        Location { file: "convex/a.ts".into(), start, end: start + length, line, column }
    }

    const TEXT: &str = "one\ntwo\nconst x = bad(1);\nfour\nfive\nsix\n";

    #[wasm_bindgen_test]
    fn the_frame_has_the_lines_around_the_place_with_its_columns_marked() {
        let frame = code_frame(TEXT, &at(TEXT, "bad", 3), CONTEXT_LINES).unwrap();
        let numbers: Vec<usize> = frame.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
        let marked = frame.iter().find(|l| l.mark.is_some()).unwrap();
        assert_eq!((marked.number, marked.mark), (3, Some((11, 14))));
        assert_eq!(marker(&marked.text, marked.mark.unwrap()), "          ^^^");
    }

    #[wasm_bindgen_test]
    fn the_first_and_last_lines_have_less_context() {
        let first = code_frame(TEXT, &at(TEXT, "one", 1), CONTEXT_LINES).unwrap();
        assert_eq!(first.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3]);
        let last = code_frame(TEXT, &at(TEXT, "six", 3), CONTEXT_LINES).unwrap();
        assert_eq!(last.iter().map(|l| l.number).collect::<Vec<_>>(), [4, 5, 6]);
    }

    #[wasm_bindgen_test]
    fn a_span_past_its_line_is_marked_to_the_end_and_an_empty_one_marks_one_column() {
        let long = code_frame(TEXT, &at(TEXT, "x = ", 40), 0).unwrap();
        assert_eq!(long[0].mark, Some((7, 18)));
        let empty = code_frame(TEXT, &at(TEXT, "four", 0), 0).unwrap();
        assert_eq!(empty[0].mark, Some((1, 2)));
    }

    #[wasm_bindgen_test]
    fn tabs_wide_characters_and_crlf_line_up() {
        let text = "a\r\n\tconst é = \"ü\" + bad;\r\n";
        let location = at(text, "bad", 3);
        let frame = code_frame(text, &location, 0).unwrap();
        assert_eq!(frame[0].text, "\tconst é = \"ü\" + bad;");
        let mark = frame[0].mark.unwrap();
        assert_eq!(mark, (location.column, location.column + 3));
        assert_eq!(marker(&frame[0].text, mark), format!("\t{}^^^", " ".repeat(16)));
    }

    #[wasm_bindgen_test]
    fn a_place_past_the_text_has_no_frame() {
        let mut location = at(TEXT, "one", 1);
        location.line = 40;
        assert_eq!(code_frame(TEXT, &location, 2), None);
        location.line = 0;
        assert_eq!(code_frame(TEXT, &location, 2), None);
    }
}
