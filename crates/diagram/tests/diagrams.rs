//! The diagrams of the playground's chat example: what each draws, that nothing overlaps, and
//! that a scene crosses to the page (JSON) and back unchanged.

use convex_lens_diagram::scene::{EdgeStyle, Node, Scene};
use convex_lens_diagram::{diagrams, Diagrams};
use convex_lens_engine::{analyze, Analysis, SourceFile};

fn chat() -> Analysis {
    chat_with(Vec::new())
}

/// The chat example with more files.
fn chat_with(extra: Vec<SourceFile>) -> Analysis {
    example("chat", extra)
}

/// A playground example (`www/examples/<name>`) with more files.
fn example(name: &str, extra: Vec<SourceFile>) -> Analysis {
    let root = format!("{}/../../www/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let root = root.as_str();
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                files.push(SourceFile::new(relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.extend(extra);
    analyze(&files)
}

fn overlaps(a: &Node, b: &Node) -> bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

fn assert_tidy(scene: &Scene) {
    for (i, a) in scene.nodes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.width <= scene.width && a.y + a.height <= scene.height, "{} is cut off", a.id);
        for b in &scene.nodes[i + 1..] {
            assert!(!overlaps(a, b), "{} overlaps {}", a.id, b.id);
        }
    }
    for edge in &scene.edges {
        assert!(edge.points.len() >= 2, "{} → {} has no route", edge.from, edge.to);
        assert!(edge.points.iter().all(|p| p.x.is_finite() && p.y.is_finite()), "{} → {}: {:?}", edge.from, edge.to, edge.points);
    }
}

#[test]
fn every_diagram_of_the_chat_example_is_laid_out_without_overlaps_and_round_trips() {
    let diagrams = diagrams(&chat());
    for scene in [&diagrams.schema.scene, &diagrams.reactivity.scene, &diagrams.calls.scene] {
        assert_tidy(scene);
    }
    let json = serde_json::to_string(&diagrams).unwrap();
    let back: Diagrams = serde_json::from_str(&json).unwrap();
    assert_eq!(back, diagrams);
}

#[test]
fn the_schema_has_a_relation_per_id_field_leaving_from_its_row() {
    let schema = diagrams(&chat()).schema.scene;
    let relations: Vec<String> = schema
        .edges
        .iter()
        .filter(|e| e.style == EdgeStyle::Relation)
        .map(|e| format!("{}.{} → {}", e.from, schema.node(&e.from).unwrap().rows[e.from_row.unwrap()].name, e.to))
        .collect();
    assert_eq!(
        relations,
        [
            "channels.createdBy → users",
            "memberships.channel → channels",
            "memberships.user → users",
            "messages.channel → channels",
            "messages.author → users",
            "presence.user → users",
            "presence.channel → channels",
        ]
    );
}

/// Every index the engine calls unused is marked, also when one finding names several of a
/// table (the feed's `follows` has two: only the first, where the finding sits, used to be).
#[test]
fn every_index_a_finding_names_is_marked() {
    let schema = diagrams(&example("feed", Vec::new())).schema.scene;
    let marked: Vec<String> = schema
        .nodes
        .iter()
        .flat_map(|node| node.rows.iter().filter(|row| row.mark.is_some()).map(move |row| format!("{}.{} {:?}", node.id, row.name, row.mark.unwrap())))
        .collect();
    assert_eq!(marked, ["follows.by_followee Unused", "follows.by_pair Unused"]);
}

/// A big schema whose tables are defined in three files, with references across them.
fn spread_schema() -> Analysis {
    let mut files = vec![SourceFile::new(
        "convex/schema.ts",
        "import { defineSchema } from \"convex/server\";\nimport { billing } from \"./tables/billing\";\nimport { content } from \"./tables/content\";\nimport { people } from \"./tables/people\";\nexport default defineSchema({ ...people, ...billing, ...content });\n",
    )];
    for (module, prefix, refers) in [("people", "person", None), ("billing", "invoice", Some("person0")), ("content", "post", Some("person1"))] {
        let tables: String = (0..10)
            .map(|i| {
                let reference = refers.map(|t| format!(", owner: v.id(\"{t}\")")).unwrap_or_default();
                let local = if i > 0 { format!(", parent: v.id(\"{prefix}{}\")", i - 1) } else { String::new() };
                format!("  {prefix}{i}: defineTable({{ name: v.string(){reference}{local} }}),\n")
            })
            .collect();
        let text = format!("import {{ defineTable }} from \"convex/server\";\nimport {{ v }} from \"convex/values\";\nexport const {module} = {{\n{tables}}};\n");
        files.push(SourceFile::new(format!("convex/tables/{module}.ts"), text));
    }
    analyze(&files)
}

#[test]
fn a_big_schema_spread_over_files_is_grouped_by_file_and_stays_tidy() {
    let analysis = spread_schema();
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    let scene = diagrams(&analysis).schema.scene;
    assert_eq!(scene.nodes.len(), 30);
    assert_tidy(&scene);
    let groups: Vec<&str> = scene.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["convex/tables/people.ts", "convex/tables/billing.ts", "convex/tables/content.ts"]);
    for node in &scene.nodes {
        let module = ["person", "invoice", "post"].iter().position(|p| node.id.starts_with(p)).unwrap();
        let frame = &scene.groups[module];
        assert!(node.x >= frame.x && node.x + node.width <= frame.x + frame.width && node.y >= frame.y && node.y + node.height <= frame.y + frame.height, "{} is outside {}", node.id, frame.name);
    }
    // References across files are drawn too: 9 inside each file, 10 from billing and content each.
    assert_eq!(scene.edges.len(), 3 * 9 + 2 * 10);
}

/// An exported SVG carries its colours as values (no variable left for a viewer to resolve),
/// and every name in it is escaped.
#[test]
fn an_exported_svg_has_its_colours_and_escapes_names() {
    use convex_lens_diagram::render::{draw, to_svg, Highlight, Palette};
    let payload = "<img src=x onerror=alert(1)>";
    let files = [SourceFile::new(
        "convex/schema.ts",
        format!("import {{ defineSchema, defineTable }} from \"convex/server\";\nimport {{ v }} from \"convex/values\";\nexport default defineSchema({{ \"{payload}\": defineTable({{ \"a&b\": v.string() }}) }});\n"),
    )];
    let scene = diagrams(&analyze(&files)).schema.scene;
    let svg = to_svg(&draw(&scene, &Highlight::default(), Some(&Palette::dark())));
    assert!(!svg.contains("var(--"), "{svg}");
    assert!(svg.contains("fill:#1f1f25"), "the dark node colour");
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;") && !svg.contains(payload), "{svg}");
    assert!(svg.contains(">a&amp;b</text>"), "{svg}");
}

/// Nodes carry a warning only for the engine's problems: the chat example's cleanup crons read
/// whole tables that heartbeats write (a conflict the analyses list), which the reactive graph
/// used to mark on its own, and its webhook checks a bearer token; an open mutation is marked.
#[test]
fn nodes_are_marked_only_for_the_engines_problems() {
    let mut analysis = chat();
    let warned = |scene: &Scene| scene.nodes.iter().filter(|n| n.warning.is_some()).map(|n| n.id.clone()).collect::<Vec<_>>();
    assert!(analysis.analyses.conflicts.pairs.iter().any(|p| p.reader == "presence:removeStale"));
    let drawn = diagrams(&analysis);
    assert_eq!(warned(&drawn.reactivity.scene), Vec::<String>::new());
    assert_eq!(warned(&drawn.calls.scene), Vec::<String>::new());
    let open = "import { v } from \"convex/values\";\nimport { mutation } from \"./_generated/server\";\n\
        export const set = mutation({ args: { channel: v.id(\"channels\"), topic: v.string() }, handler: async (ctx, { channel, topic }) => { await ctx.db.patch(\"channels\", channel, { topic }); } });\n";
    analysis = chat_with(vec![SourceFile::new("convex/topics.ts", open)]);
    let drawn = diagrams(&analysis);
    assert_eq!(warned(&drawn.calls.scene), ["topics:set"]);
    let node = drawn.calls.scene.nodes.iter().find(|n| n.id == "topics:set").unwrap();
    assert_eq!(node.warning.as_deref(), Some("The public topics:set writes channels with no check of the caller on the way"));
}

/// The words of a text as axe-core compares a name with visible text: lower case, punctuation
/// dropped, spaces collapsed.
fn words(text: &str) -> String {
    let kept: String = text.to_lowercase().chars().map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' }).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text content of an element as axe-core reads it to compare with its name: every text
/// node in order, run together (a tooltip's `<title>` is not drawn, so it is left out).
fn drawn_text(element: &convex_lens_diagram::render::Element, out: &mut String) {
    use convex_lens_diagram::render::Content;
    for child in &element.children {
        match child {
            Content::Element(e) if e.tag != "title" => drawn_text(e, out),
            Content::Text(text) => out.push_str(text),
            Content::Element(_) => {}
        }
    }
}

/// Each node drawn on the page as `(its aria-label, its drawn text)`.
fn labelled_nodes(scene: &Scene) -> Vec<(String, String)> {
    use convex_lens_diagram::render::{draw, Content, Element, Highlight};
    fn walk(element: &Element, out: &mut Vec<(String, String)>) {
        let attr = |name: &str| element.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
        if let (Some(_), Some(label)) = (attr("data-node"), attr("aria-label")) {
            let mut text = String::new();
            drawn_text(element, &mut text);
            out.push((label, text));
        }
        for child in &element.children {
            if let Content::Element(e) = child {
                walk(e, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&draw(scene, &Highlight::default(), None), &mut out);
    out
}

/// A node is a button whose name is what a screen reader says and what voice control knows it
/// by: it holds every word drawn in the node, in order (WCAG 2.5.3), and its warning.
#[test]
fn a_node_is_named_by_the_text_drawn_in_it_and_its_warning() {
    let open = "import { v } from \"convex/values\";\nimport { mutation } from \"./_generated/server\";\n\
        export const set = mutation({ args: { channel: v.id(\"channels\"), topic: v.string() }, handler: async (ctx, { channel, topic }) => { await ctx.db.patch(\"channels\", channel, { topic }); } });\n";
    let drawn = diagrams(&chat_with(vec![SourceFile::new("convex/topics.ts", open)]));
    for scene in [&drawn.schema.scene, &drawn.reactivity.scene, &drawn.calls.scene] {
        let nodes = labelled_nodes(scene);
        assert_eq!(nodes.len(), scene.nodes.len());
        for (label, text) in nodes {
            assert!(words(&label).contains(&words(&text)), "the name {label:?} leaves out some of {text:?}");
        }
    }
    let users = labelled_nodes(&drawn.schema.scene).into_iter().find(|(label, _)| label.starts_with("table users")).expect("the users table");
    assert!(users.0.contains("email string") && users.0.contains("by_email (email)"), "{}", users.0);
    let (set, _) = labelled_nodes(&drawn.calls.scene).into_iter().find(|(label, _)| label.starts_with("topics:set")).expect("topics:set");
    assert!(set.ends_with(". The public topics:set writes channels with no check of the caller on the way"), "{set}");
}
