//! Drawing a scene as SVG elements. The playground turns the same elements into its DOM (so
//! that highlighting and focus are one re-render) and the export and the CLI serialise them to
//! SVG text: one drawing, two outputs. Text from user code only ever becomes a text node or an
//! attribute value, escaped by `to_svg` (and by the DOM in the playground).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::metrics::{CHAR_WIDTH, FONT_SIZE, HEADER_HEIGHT, INDENT, PADDING, ROW_HEIGHT};
use crate::route::{arrowhead, path_data};
use crate::scene::{Edge, Node, Scene};

/// An SVG element: a tag, its attributes and its children.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Content>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn new(tag: &'static str) -> Element {
        Element { tag, attrs: Vec::new(), children: Vec::new() }
    }

    pub fn attr(mut self, name: &'static str, value: impl ToString) -> Element {
        self.attrs.push((name, value.to_string()));
        self
    }

    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Content::Element(child));
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Content::Text(text.into()));
        self
    }

    /// Adds a `<text>` and a space after it. SVG texts are placed, not flowed: without the space
    /// a node's text content (what checkers compare its name with) runs words together, `titlesubtitle`.
    /// Outside a `<text>` the space draws nothing.
    fn child_word(self, text: Element) -> Element {
        self.child(text).text(" ")
    }

    /// A `<title>` child: the tooltip browsers show on hover.
    fn tooltip(self, text: Option<&str>) -> Element {
        match text {
            Some(text) => self.child(Element::new("title").text(text)),
            None => self,
        }
    }
}

/// What the viewer is looking at: a selected node (its neighbours stay lit, the rest dims) and
/// the nodes matching a search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Highlight {
    pub selected: Option<String>,
    /// Nodes to light besides the selection and its neighbours (the queries a mutation re-runs).
    pub lit: BTreeSet<String>,
    pub matches: BTreeSet<String>,
}

/// Colours for a standalone SVG, which has no page stylesheet to take them from: the page's
/// theme variables (`--diagram-*` in `www/style.css`), read from the page when it exports, or
/// the same values built in for the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette(pub Vec<(&'static str, String)>);

/// The variables a drawing uses, with their light and dark values (as in `www/style.css`).
const VARIABLES: [(&str, &str, &str); 14] = [
    ("--diagram-bg", "#f7f7f8", "#16161a"),
    ("--diagram-node-bg", "#ffffff", "#1f1f25"),
    ("--diagram-node-header-bg", "#f1ecfd", "#2a2540"),
    ("--diagram-node-border", "#c9c9d2", "#44444f"),
    ("--diagram-node-text", "#1d1d22", "#ececf1"),
    ("--diagram-node-muted", "#62626d", "#a0a0ab"),
    ("--diagram-edge", "#8d8d99", "#767682"),
    ("--diagram-accent", "#7c4ddb", "#a78bfa"),
    ("--diagram-selected", "#7c4ddb", "#a78bfa"),
    ("--diagram-keyed", "#15803d", "#4ade80"),
    ("--diagram-wide", "#c62828", "#ff6b6b"),
    ("--diagram-warning", "#a16207", "#facc15"),
    ("--diagram-query", "#2f6fde", "#7aa7ff"),
    ("--diagram-mutation", "#b45309", "#fbbf24"),
];

impl Palette {
    pub fn light() -> Palette {
        Palette(VARIABLES.iter().map(|(name, light, _)| (*name, light.to_string())).collect())
    }

    pub fn dark() -> Palette {
        Palette(VARIABLES.iter().map(|(name, _, dark)| (*name, dark.to_string())).collect())
    }

    /// The page's values, where `lookup` finds them (a computed style), light ones elsewhere.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Palette {
        let value = |name: &str, light: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).unwrap_or_else(|| light.to_string());
        Palette(VARIABLES.iter().map(|(name, light, _)| (*name, value(name, light))).collect())
    }
}

/// The scene as one `<svg>` element. With a palette, the colours are embedded (export); without,
/// the page's stylesheet gives them.
pub fn draw(scene: &Scene, highlight: &Highlight, palette: Option<&Palette>) -> Element {
    let lit = lit_nodes(scene, highlight);
    let mut svg = Element::new("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("class", "diagram")
        .attr("viewBox", format!("0 0 {:.0} {:.0}", scene.width, scene.height))
        .attr("width", format!("{:.0}", scene.width))
        .attr("height", format!("{:.0}", scene.height))
        .attr("font-family", "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace")
        .attr("font-size", FONT_SIZE);
    if let Some(palette) = palette {
        svg = svg.child(Element::new("style").text(stylesheet(palette)));
        svg = svg.child(
            Element::new("rect").attr("class", "background").attr("width", format!("{:.0}", scene.width)).attr("height", format!("{:.0}", scene.height)),
        );
    }
    for group in &scene.groups {
        svg = svg.child(
            Element::new("g").attr("class", "group").child(rect(group.x, group.y, group.width, group.height, "group-frame")).child(
                Element::new("text").attr("class", "group-name").attr("x", group.x + PADDING).attr("y", group.y + 16.0).text(&group.name),
            ),
        );
    }
    let interactive = palette.is_none();
    let mut edges = Element::new("g").attr("class", "edges");
    for (i, edge) in scene.edges.iter().enumerate() {
        let on = lit.as_ref().map(|lit| lit.contains(edge.from.as_str()) && lit.contains(edge.to.as_str()) && touches(edge, highlight));
        edges = edges.child(draw_edge(i, edge, on));
    }
    let mut nodes = Element::new("g").attr("class", "nodes");
    for node in &scene.nodes {
        let on = lit.as_ref().map(|lit| lit.contains(node.id.as_str()));
        nodes = nodes.child(draw_node(node, on, highlight, interactive));
    }
    svg.child(edges).child(nodes)
}

/// The nodes that stay lit when one is selected: it, its neighbours and the extra lit ones.
fn lit_nodes<'s>(scene: &'s Scene, highlight: &'s Highlight) -> Option<BTreeSet<&'s str>> {
    let selected = highlight.selected.as_deref()?;
    let mut lit: BTreeSet<&str> = convex_lens_engine::order::set(scene.neighbours(selected));
    lit.insert(selected);
    lit.extend(highlight.lit.iter().map(String::as_str));
    Some(lit)
}

/// Whether an edge between two lit nodes belongs to the selection (not merely joins two lit
/// neighbours of it).
fn touches(edge: &Edge, highlight: &Highlight) -> bool {
    let selected = highlight.selected.as_deref();
    selected == Some(edge.from.as_str()) || selected == Some(edge.to.as_str()) || highlight.lit.contains(&edge.from) || highlight.lit.contains(&edge.to)
}

fn state_class(base: String, on: Option<bool>) -> String {
    match on {
        Some(true) => format!("{base} lit"),
        Some(false) => format!("{base} dim"),
        None => base,
    }
}

fn rect(x: f64, y: f64, width: f64, height: f64, class: &str) -> Element {
    Element::new("rect")
        .attr("class", class)
        .attr("x", format!("{x:.1}"))
        .attr("y", format!("{y:.1}"))
        .attr("width", format!("{width:.1}"))
        .attr("height", format!("{height:.1}"))
        .attr("rx", 6)
}

fn draw_edge(index: usize, edge: &Edge, on: Option<bool>) -> Element {
    let mut g = Element::new("g")
        .attr("class", state_class(format!("edge edge-{}", edge.style.as_str()), on))
        .attr("data-edge", index)
        .tooltip(edge.note.as_deref());
    g = g.child(Element::new("path").attr("class", "edge-line").attr("d", path_data(&edge.points)));
    if let Some(head) = arrowhead(&edge.points) {
        let mut points = String::new();
        for p in head {
            let _ = write!(points, "{:.1},{:.1} ", p.x, p.y);
        }
        g = g.child(Element::new("polygon").attr("class", "edge-arrow").attr("points", points.trim_end()));
    }
    g
}

/// `interactive`: on the page, where a node is a button in the tab order (a screen reader reads
/// its label), not in an exported file.
fn draw_node(node: &Node, on: Option<bool>, highlight: &Highlight, interactive: bool) -> Element {
    let mut class = format!("node node-{}", node.kind.as_str());
    if highlight.selected.as_deref() == Some(node.id.as_str()) {
        class.push_str(" selected");
    }
    if highlight.matches.contains(&node.id) {
        class.push_str(" match");
    }
    if node.warning.is_some() {
        class.push_str(" warning");
    }
    let mut g = Element::new("g")
        .attr("class", state_class(class, on))
        .attr("data-node", &node.id);
    if interactive {
        g = g.attr("tabindex", 0).attr("role", "button").attr("aria-label", accessible_name(node));
    }
    g = g
        .tooltip(node.warning.as_deref())
        .child(rect(node.x, node.y, node.width, node.height, "node-box"))
        .child(header_band(node));
    let baseline = node.y + HEADER_HEIGHT / 2.0 + FONT_SIZE / 3.0;
    g = g.child_word(Element::new("text").attr("class", "node-title").attr("x", format!("{:.1}", node.x + PADDING)).attr("y", format!("{baseline:.1}")).text(&node.title));
    if let Some(subtitle) = &node.subtitle {
        let x = node.x + node.width - PADDING;
        g = g.child_word(Element::new("text").attr("class", "node-subtitle").attr("x", format!("{x:.1}")).attr("y", format!("{baseline:.1}")).attr("text-anchor", "end").text(subtitle));
    }
    for (i, row) in node.rows.iter().enumerate() {
        let y = node.y + HEADER_HEIGHT + i as f64 * ROW_HEIGHT;
        let x = node.x + PADDING + f64::from(row.depth) * INDENT;
        let baseline = y + ROW_HEIGHT / 2.0 + FONT_SIZE / 3.0;
        let mut line = Element::new("g")
            .attr("class", format!("row row-{}", row_kind(row.kind)))
            .attr("data-row", i)
            .tooltip(row.note.as_deref().or(row.full.as_deref()));
        if i > 0 && row.kind != crate::scene::RowKind::Field && node.rows[i - 1].kind == crate::scene::RowKind::Field {
            line = line.child(Element::new("line").attr("class", "row-rule").attr("x1", format!("{:.1}", node.x)).attr("x2", format!("{:.1}", node.x + node.width)).attr("y1", format!("{y:.1}")).attr("y2", format!("{y:.1}")));
        }
        line = line.child_word(Element::new("text").attr("class", "row-name").attr("x", format!("{x:.1}")).attr("y", format!("{baseline:.1}")).text(&row.name));
        let detail_x = x + (row.name.chars().count() as f64 + 2.0) * CHAR_WIDTH;
        line = line.child_word(Element::new("text").attr("class", "row-detail").attr("x", format!("{detail_x:.1}")).attr("y", format!("{baseline:.1}")).text(&row.detail));
        if let Some(mark) = row.mark {
            let x = node.x + node.width - PADDING;
            line = line.child_word(
                Element::new("text")
                    .attr("class", format!("row-mark mark-{}", mark.as_str().replace(' ', "-")))
                    .attr("x", format!("{x:.1}"))
                    .attr("y", format!("{baseline:.1}"))
                    .attr("text-anchor", "end")
                    .text(mark.as_str()),
            );
        }
        g = g.child(line);
    }
    g
}

/// What a screen reader says for a node and what voice control knows it by: its text as drawn
/// (title, subtitle, then each row's name, detail and mark), so that the name holds every word
/// on the screen (WCAG 2.5.3, label in name; a button's own texts are not read apart from its
/// name). The kind leads when no subtitle shows it; the warning, which is only a tooltip, ends it.
fn accessible_name(node: &Node) -> String {
    let mut name = match &node.subtitle {
        Some(subtitle) => format!("{} {subtitle}", node.title),
        None => format!("{} {}", node.kind.as_str(), node.title),
    };
    let rows: Vec<String> = node
        .rows
        .iter()
        .map(|row| [row.name.as_str(), row.detail.as_str(), row.mark.map_or("", |m| m.as_str())].iter().filter(|t| !t.is_empty()).copied().collect::<Vec<_>>().join(" "))
        .collect();
    if !rows.is_empty() {
        let _ = write!(name, ": {}", rows.join(", "));
    }
    if let Some(warning) = &node.warning {
        let _ = write!(name, ". {warning}");
    }
    name
}

/// The header's background: rounded at the top only, so it is a path.
fn header_band(node: &Node) -> Element {
    let (x, y, w, h, r) = (node.x, node.y, node.width, if node.rows.is_empty() { node.height } else { HEADER_HEIGHT }, 6.0);
    let bottom = if node.rows.is_empty() {
        format!("V{:.1}Q{:.1},{:.1} {:.1},{:.1}H{:.1}Q{x:.1},{:.1} {x:.1},{:.1}", y + h - r, x + w, y + h, x + w - r, y + h, x + r, y + h, y + h - r)
    } else {
        format!("V{:.1}H{x:.1}", y + h)
    };
    let d = format!("M{x:.1},{:.1}Q{x:.1},{y:.1} {:.1},{y:.1}H{:.1}Q{:.1},{y:.1} {:.1},{:.1}{bottom}Z", y + r, x + r, x + w - r, x + w, x + w, y + r);
    Element::new("path").attr("class", "node-header").attr("d", d)
}

fn row_kind(kind: crate::scene::RowKind) -> &'static str {
    match kind {
        crate::scene::RowKind::Field => "field",
        crate::scene::RowKind::Index => "index",
        crate::scene::RowKind::SearchIndex => "search",
        crate::scene::RowKind::VectorIndex => "vector",
    }
}

/// The diagram classes' rules for a standalone file, with the palette's values in place of the
/// variables (tools that open SVG files do not all know CSS variables).
fn stylesheet(palette: &Palette) -> String {
    palette.0.iter().fold(RULES.to_string(), |rules, (name, value)| rules.replace(&format!("var({name})"), value))
}

/// The drawing's rules, in the variables' terms: a page that draws scenes without a palette
/// (the docs widget) adds them to its own stylesheet.
pub const RULES: &str = ".background{fill:var(--diagram-bg)}\
.node-box{fill:var(--diagram-node-bg);stroke:var(--diagram-node-border)}.node-header{fill:var(--diagram-node-header-bg)}\
.node-title{fill:var(--diagram-node-text);font-weight:600}.node-subtitle,.row-detail{fill:var(--diagram-node-muted)}\
.row-name{fill:var(--diagram-node-text)}.row-rule{stroke:var(--diagram-node-border)}.row-mark{fill:var(--diagram-warning);font-size:10px}\
.node-query .node-title{fill:var(--diagram-query)}.node-mutation .node-title{fill:var(--diagram-mutation)}\
.group-frame{fill:none;stroke:var(--diagram-node-border);stroke-dasharray:4 3}.group-name{fill:var(--diagram-node-muted)}\
.edge-line{fill:none;stroke:var(--diagram-edge);stroke-width:1.4}.edge-arrow{fill:var(--diagram-edge)}\
.edge-write .edge-line{stroke:var(--diagram-accent)}.edge-write .edge-arrow{fill:var(--diagram-accent)}\
.edge-keyed .edge-line{stroke:var(--diagram-keyed)}.edge-keyed .edge-arrow{fill:var(--diagram-keyed)}\
.edge-table-wide .edge-line{stroke:var(--diagram-wide);stroke-width:2.2}.edge-table-wide .edge-arrow{fill:var(--diagram-wide)}\
.edge-schedule .edge-line,.edge-trigger .edge-line{stroke-dasharray:6 4}\
.edge-problem .edge-line{stroke:var(--diagram-wide)}.edge-problem .edge-arrow{fill:var(--diagram-wide)}\
.warning .node-box{stroke:var(--diagram-wide);stroke-width:2}";

/// The element as SVG text, with every text and attribute value escaped.
pub fn to_svg(element: &Element) -> String {
    let mut out = String::new();
    write_element(element, &mut out);
    out
}

fn write_element(element: &Element, out: &mut String) {
    out.push('<');
    out.push_str(element.tag);
    for (name, value) in &element.attrs {
        let _ = write!(out, " {name}=\"{}\"", escape(value));
    }
    if element.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in &element.children {
        match child {
            Content::Element(e) => write_element(e, out),
            Content::Text(t) => out.push_str(&escape(t)),
        }
    }
    let _ = write!(out, "</{}>", element.tag);
}

/// Text as it may stand in SVG or HTML, inside an element or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
