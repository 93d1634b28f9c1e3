//! What the docs widget shows, as data: each view renders an [`Analysis`] into a tree of
//! elements ([`Element`], the diagram crate's, so that a diagram is one more subtree), which the
//! widget's script turns into DOM with text nodes and a fixed set of attributes. A new view is one
//! more renderer here; the script does not change.
//!
//! Nothing here judges code: findings, their severity and their wording come from
//! `engine::findings`, index coverage and re-runs from the analyses, the wording of a read's
//! status from [`text`], which the playground shares.

mod diagrams;
mod findings;
mod indexes;
mod markup;
mod reruns;
mod summary;
pub mod text;

use convex_lens_diagram::Scene;
use convex_lens_engine::Analysis;

pub use convex_lens_diagram::render::{Content, Element};
pub use markup::{to_html, to_json};

/// One of the widget's views, by the name an author writes in `view="..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The schema diagram: tables, relations, indexes.
    Schema,
    /// Each read, the index that serves it and what it scans; missing and unused indexes.
    Indexes,
    /// The reactive graph: which subscriptions each mutation re-runs.
    Reruns,
    /// The call graph.
    Calls,
    /// The findings and what could not be verified.
    Findings,
    /// Counts and the findings in one line each.
    Summary,
}

impl View {
    pub const ALL: [View; 6] = [View::Schema, View::Indexes, View::Reruns, View::Calls, View::Findings, View::Summary];

    pub fn parse(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|view| view.name() == name.trim())
    }

    pub fn name(self) -> &'static str {
        match self {
            View::Schema => "schema",
            View::Indexes => "indexes",
            View::Reruns => "reruns",
            View::Calls => "calls",
            View::Findings => "findings",
            View::Summary => "summary",
        }
    }

    /// What the view is called on the page (its landmark's label).
    pub fn title(self) -> &'static str {
        match self {
            View::Schema => "Schema",
            View::Indexes => "Indexes",
            View::Reruns => "Re-runs",
            View::Calls => "Calls",
            View::Findings => "Findings",
            View::Summary => "Summary",
        }
    }

    /// The diagram it draws, if any: the host lays it out (and may keep it) before rendering.
    pub fn diagram(self) -> Option<DiagramKind> {
        match self {
            View::Schema => Some(DiagramKind::Schema),
            View::Reruns => Some(DiagramKind::Reactivity),
            View::Calls => Some(DiagramKind::Calls),
            View::Indexes | View::Findings | View::Summary => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiagramKind {
    Schema,
    Reactivity,
    Calls,
}

impl DiagramKind {
    /// Lays the diagram out (the slow part: dagre).
    pub fn scene(self, analysis: &Analysis) -> Scene {
        match self {
            DiagramKind::Schema => convex_lens_diagram::schema_scene(analysis),
            DiagramKind::Reactivity => convex_lens_diagram::reactivity_scene(analysis),
            DiagramKind::Calls => convex_lens_diagram::call_scene(analysis),
        }
    }
}

/// What the author asked for besides the view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// A table, function or module to centre and light (`focus="messages"`).
    pub focus: Option<String>,
}

/// Renders one view of an analysis. `scene` is the view's diagram, laid out by the caller (see
/// [`View::diagram`]); views without a diagram ignore it.
pub fn render(analysis: &Analysis, view: View, scene: Option<&Scene>, options: &Options) -> Element {
    let focus = options.focus.as_deref().map(str::trim).filter(|f| !f.is_empty());
    let body = match view {
        View::Schema => diagrams::schema(analysis, scene, focus),
        View::Reruns => reruns::reruns(analysis, scene, focus),
        View::Calls => diagrams::calls(analysis, scene, focus),
        View::Indexes => indexes::indexes(analysis, focus),
        View::Findings => findings::findings(analysis, focus),
        View::Summary => summary::summary(analysis),
    };
    Element::new("div").attr("class", format!("view view-{}", view.name())).child(body)
}

/// Builders for the HTML the views write, so that each renderer reads as its markup does.
pub(crate) mod html {
    use super::Element;

    pub fn el(tag: &'static str, class: &str) -> Element {
        let element = Element::new(tag);
        if class.is_empty() { element } else { element.attr("class", class) }
    }

    /// An element with one text child.
    pub fn text(tag: &'static str, class: &str, text: impl Into<String>) -> Element {
        el(tag, class).text(text)
    }

    /// A text with its `quoted` names as `<code>` children, as the engine writes its messages.
    pub fn with_code(tag: &'static str, class: &str, text: &str) -> Element {
        text.split('`').enumerate().filter(|(_, part)| !part.is_empty()).fold(el(tag, class), |element, (i, part)| {
            if i % 2 == 0 { element.text(part) } else { element.child(el("code", "").text(part)) }
        })
    }

    /// `file:line`.
    pub fn place(location: &convex_lens_engine::Location) -> Element {
        text("span", "place", format!("{}:{}", location.file, location.line))
    }

    /// Whether `subject` is the focus or inside it (a function of the focused module).
    pub fn is_focus(focus: Option<&str>, subject: &str) -> bool {
        focus.is_some_and(|focus| subject == focus || subject.strip_prefix(focus).is_some_and(|rest| rest.starts_with(':') || rest.starts_with('.')))
    }
}
