//! Each view of the widget on the playground's chat example, as the reader sees it (the
//! diagram's drawing is the diagram crate's, tested there; here it is counted), and what the
//! author's options do.

use convex_lens_engine::{analyze, Analysis, SourceFile};
use convex_lens_views::{render, to_html, to_json, Content, Element, Options, View};

fn example(name: &str) -> Analysis {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/examples").join(name);
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ts") {
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                files.push(SourceFile::new(relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    analyze(&files)
}

fn view(analysis: &Analysis, view: View, focus: Option<&str>) -> Element {
    let scene = view.diagram().map(|kind| kind.scene(analysis));
    render(analysis, view, scene.as_ref(), &Options { focus: focus.map(str::to_owned) })
}

/// The view with each drawing replaced by what it draws: its nodes, selected or lit.
fn outline(element: &Element) -> String {
    to_html(&summarise_svg(element))
}

fn summarise_svg(element: &Element) -> Element {
    if element.tag == "svg" {
        let mut nodes = Vec::new();
        collect_nodes(element, &mut nodes);
        return Element { tag: "svg", attrs: Vec::new(), children: vec![Content::Text(nodes.join(", "))] };
    }
    let children = element
        .children
        .iter()
        .map(|child| match child {
            Content::Element(e) => Content::Element(summarise_svg(e)),
            text => text.clone(),
        })
        .collect();
    Element { children, ..element.clone() }
}

fn collect_nodes(element: &Element, out: &mut Vec<String>) {
    let attr = |name: &str| element.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
    if let Some(id) = attr("data-node") {
        let class = attr("class").unwrap_or_default();
        let state = ["selected", "lit", "dim"].into_iter().find(|s| class.split(' ').any(|c| c == *s));
        out.push(match state {
            Some(state) => format!("{id} ({state})"),
            None => id.to_owned(),
        });
    }
    for child in &element.children {
        if let Content::Element(child) = child {
            collect_nodes(child, out);
        }
    }
}

#[test]
fn every_view_of_the_chat_example() {
    let analysis = example("chat");
    for view_kind in View::ALL {
        insta::assert_snapshot!(view_kind.name(), outline(&view(&analysis, view_kind, None)));
    }
}

#[test]
fn a_focused_table_is_selected_in_the_schema_and_its_neighbours_lit() {
    let analysis = example("chat");
    let schema = outline(&view(&analysis, View::Schema, Some("messages")));
    assert!(schema.contains("messages (selected)"), "{schema}");
    assert!(schema.contains("channels (lit)"), "{schema}");
    assert!(schema.contains("presence (dim)"), "{schema}");
    assert!(schema.contains("data-focus=\"messages\""), "{schema}");
}

#[test]
fn a_focused_table_marks_the_mutations_that_write_it_and_a_module_its_first_function() {
    let analysis = example("chat");
    let reruns = outline(&view(&analysis, View::Reruns, Some("messages")));
    assert!(reruns.contains("data-focus=\"messages\""), "{reruns}");
    assert!(reruns.contains("class=\"rerun-group focused\" data-subject=\"messages:send\""), "{reruns}");
    assert!(reruns.contains("class=\"rerun-group\" data-subject=\"presence:heartbeat\""), "{reruns}");
    // A selected mutation lights the queries it re-runs, beyond its neighbour, the table.
    let send = outline(&view(&analysis, View::Reruns, Some("messages:send")));
    assert!(send.contains("messages:send (selected)") && send.contains("messages:list (lit)"), "{send}");
    assert!(send.contains("presence:list (dim)"), "{send}");
    let calls = outline(&view(&analysis, View::Calls, Some("presence")));
    assert!(calls.contains("data-focus=\"presence:heartbeat\""), "{calls}");
    let indexes = outline(&view(&analysis, View::Indexes, Some("messages")));
    assert!(indexes.contains("class=\"table focused\" data-subject=\"messages\""), "{indexes}");
}

#[test]
fn an_unknown_focus_selects_nothing() {
    let analysis = example("chat");
    let schema = outline(&view(&analysis, View::Schema, Some("nowhere")));
    assert!(!schema.contains("selected") && !schema.contains("data-focus"), "{schema}");
}

#[test]
fn names_stay_text_in_the_tree() {
    let files = [SourceFile::new(
        "convex/schema.ts",
        "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\nexport default defineSchema({ \"<img src=x onerror=alert(1)>\": defineTable({ a: v.string() }) });\n",
    )];
    let analysis = analyze(&files);
    let tree = view(&analysis, View::Schema, None);
    let json = to_json(&tree).to_string();
    assert!(json.contains("\"<img src=x onerror=alert(1)>\""), "the name is a text: {json}");
    assert!(!to_html(&tree).contains("<img"), "and escaped when written as markup");
}

#[test]
fn views_are_named_as_authors_write_them() {
    for view in View::ALL {
        assert_eq!(View::parse(view.name()), Some(view));
    }
    assert_eq!(View::parse(" schema "), Some(View::Schema));
    assert_eq!(View::parse("tables"), None);
}

#[test]
fn an_empty_backend_says_what_is_missing_in_each_view() {
    let analysis = analyze(&[]);
    for view_kind in View::ALL {
        let html = outline(&view(&analysis, view_kind, None));
        assert!(html.contains("empty") || view_kind == View::Summary, "{}: {html}", view_kind.name());
    }
}
