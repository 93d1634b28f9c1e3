//! A tree as the widget's script reads it, and as the tests read it.

use convex_lens_diagram::render::escape;
use serde_json::{json, Map, Value};

use crate::{Content, Element};

/// `[tag, {attribute: value}, ...children]`, a child being a text (a JSON string) or an element.
/// The script builds each element with `createElement(NS)` and `setAttribute`, each text with a
/// text node: names from user code never become markup.
pub fn to_json(element: &Element) -> Value {
    let attrs: Map<String, Value> = element.attrs.iter().map(|(name, value)| ((*name).to_owned(), json!(value))).collect();
    let mut array = vec![json!(element.tag), Value::Object(attrs)];
    array.extend(element.children.iter().map(|child| match child {
        Content::Element(element) => to_json(element),
        Content::Text(text) => json!(text),
    }));
    Value::Array(array)
}

/// Indented markup, one element per line (texts inline), escaped: how the tests read a view.
pub fn to_html(element: &Element) -> String {
    let mut out = String::new();
    write(element, 0, &mut out);
    out
}

fn write(element: &Element, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let attrs: String = element.attrs.iter().map(|(name, value)| format!(" {name}=\"{}\"", escape(value))).collect();
    let inline = element.children.iter().all(|child| matches!(child, Content::Text(_)) || is_inline(child));
    if inline {
        out.push_str(&format!("{indent}<{}{attrs}>{}</{}>\n", element.tag, inline_children(element), element.tag));
        return;
    }
    out.push_str(&format!("{indent}<{}{attrs}>\n", element.tag));
    for child in &element.children {
        match child {
            Content::Element(child) => write(child, depth + 1, out),
            Content::Text(text) => out.push_str(&format!("{indent}  {}\n", escape(text))),
        }
    }
    out.push_str(&format!("{indent}</{}>\n", element.tag));
}

/// `<code>` and other phrasing elements holding only text stay on their parent's line.
fn is_inline(child: &Content) -> bool {
    match child {
        Content::Text(_) => true,
        Content::Element(e) => matches!(e.tag, "code" | "strong" | "em") && e.children.iter().all(|c| matches!(c, Content::Text(_))),
    }
}

fn inline_children(element: &Element) -> String {
    element
        .children
        .iter()
        .map(|child| match child {
            Content::Text(text) => escape(text),
            Content::Element(e) => {
                let attrs: String = e.attrs.iter().map(|(name, value)| format!(" {name}=\"{}\"", escape(value))).collect();
                format!("<{}{attrs}>{}</{}>", e.tag, inline_children(e), e.tag)
            }
        })
        .collect()
}
