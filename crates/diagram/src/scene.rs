//! A laid-out diagram: boxes with rows of text, routed edges and group frames, in pixels. The
//! playground draws it (and highlights, pans and zooms it); `svg` renders it for export and for
//! the CLI. Every string is text from user code: renderers escape it.

use convex_lens_engine::Location;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Frames around the nodes of one module, when the diagram is grouped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Unique in the scene: the table name, or the function path, route or cron.
    pub id: String,
    pub kind: NodeKind,
    pub title: String,
    /// A second word in the header (a function's visibility, a table's document count hint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Top-left corner.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Row>,
    /// Why this node stands out (a public function writing without an auth check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Where it is defined, for "go to definition".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    Table,
    Query,
    Mutation,
    Action,
    HttpAction,
    Route,
    Cron,
    Component,
    /// A call whose target is not known statically.
    Unknown,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Table => "table",
            NodeKind::Query => "query",
            NodeKind::Mutation => "mutation",
            NodeKind::Action => "action",
            NodeKind::HttpAction => "httpAction",
            NodeKind::Route => "route",
            NodeKind::Cron => "cron",
            NodeKind::Component => "component",
            NodeKind::Unknown => "unknown",
        }
    }
}

/// One line inside a node: a field with its type, or an index with its fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub kind: RowKind,
    pub name: String,
    /// The type, or the indexed fields; cut to fit, the whole text is in `full`.
    pub detail: String,
    /// The uncut detail, when `detail` was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full: Option<String>,
    /// Nesting below a top-level field (fields of a nested object).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub depth: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<RowMark>,
    /// Why the row is marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RowKind {
    Field,
    Index,
    SearchIndex,
    VectorIndex,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RowMark {
    Unused,
    Redundant,
    Staged,
}

impl RowMark {
    pub fn as_str(self) -> &'static str {
        match self {
            RowMark::Unused => "unused",
            RowMark::Redundant => "redundant",
            RowMark::Staged => "staged",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// The row of `from` the edge leaves (the field holding the id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_row: Option<usize>,
    pub style: EdgeStyle,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Why the edge is there, for the tooltip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The route from `from` to `to`, arrow at the end.
    pub points: Vec<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EdgeStyle {
    /// A `v.id` field referring to a table.
    Relation,
    /// A mutation writing a table.
    Write,
    /// A table read by a query whose subscriptions re-run only when their key is written.
    Keyed,
    /// A table read by a query every subscription of which re-runs on any write.
    TableWide,
    /// `ctx.runQuery` / `runMutation` / `runAction`.
    Call,
    /// `ctx.scheduler.runAfter` / `runAt`.
    Schedule,
    /// A cron job or an HTTP route running its function.
    Trigger,
    /// A call whose target is wrong (not registered, wrong kind, wrong `api`/`internal`).
    Problem,
}

impl EdgeStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeStyle::Relation => "relation",
            EdgeStyle::Write => "write",
            EdgeStyle::Keyed => "keyed",
            EdgeStyle::TableWide => "table-wide",
            EdgeStyle::Call => "call",
            EdgeStyle::Schedule => "schedule",
            EdgeStyle::Trigger => "trigger",
            EdgeStyle::Problem => "problem",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Scene {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The ids of the nodes joined to `id` by an edge, either way.
    pub fn neighbours<'s>(&'s self, id: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.edges.iter().filter_map(move |e| match () {
            _ if e.from == id => Some(e.to.as_str()),
            _ if e.to == id => Some(e.from.as_str()),
            _ => None,
        })
    }
}
