//! Mermaid text for each diagram, to paste into docs, issues and pull requests: an
//! `erDiagram` for the schema, a `flowchart` for the reactive graph and the call graph.
//! Mermaid's identifiers are restricted, so names are made safe and kept readable in labels.

use std::fmt::Write as _;

use convex_lens_engine::validator::Validator;
use convex_lens_engine::Analysis;

use crate::scene::{EdgeStyle, Scene};

/// The schema as an entity-relationship diagram: fields with simple types (the whole type in a
/// comment), and one relation per id field.
pub fn schema_mermaid(analysis: &Analysis, scene: &Scene) -> String {
    let mut out = String::from("erDiagram\n");
    let Some(schema) = &analysis.schema else { return out };
    for table in &schema.tables {
        let _ = writeln!(out, "  {} {{", identifier(&table.table_name));
        if let Validator::Object(fields) = &table.document_type {
            for (name, field) in fields {
                let (kind, described) = (field.validator.json_type(), field.validator.describe());
                let optional = if field.optional { "optional " } else { "" };
                // A comment only where it says more than the simple type.
                let comment = if described == kind && optional.is_empty() { String::new() } else { format!(" \"{}\"", label(&format!("{optional}{described}"))) };
                let _ = writeln!(out, "    {kind} {}{comment}", identifier(name));
            }
        }
        let _ = writeln!(out, "  }}");
    }
    for edge in scene.edges.iter().filter(|e| e.style == EdgeStyle::Relation) {
        let field = edge.from_row.and_then(|r| scene.node(&edge.from)?.rows.get(r)).map_or("", |r| r.name.as_str());
        let _ = writeln!(out, "  {} }}o--|| {} : \"{}\"", identifier(&edge.from), identifier(&edge.to), label(field));
    }
    out
}

/// A function diagram as a left-to-right flowchart; edge styles as Mermaid's line kinds.
pub fn flow_mermaid(scene: &Scene) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in scene.nodes.iter().enumerate() {
        let kind = node.subtitle.clone().unwrap_or_else(|| node.kind.as_str().to_string());
        let text = label(&format!("{} ({kind})", node.id));
        // Tables as cylinders, the rest as boxes.
        let shape = if node.kind == crate::scene::NodeKind::Table { format!("[(\"{text}\")]") } else { format!("[\"{text}\"]") };
        let _ = writeln!(out, "  n{i}{shape}");
    }
    let index = |id: &str| scene.nodes.iter().position(|n| n.id == id).unwrap_or(0);
    for edge in &scene.edges {
        let arrow = match edge.style {
            EdgeStyle::TableWide => "==>",
            EdgeStyle::Schedule | EdgeStyle::Trigger => "-.->",
            _ => "-->",
        };
        let _ = writeln!(out, "  n{} {arrow}|{}| n{}", index(&edge.from), edge.style.as_str(), index(&edge.to));
    }
    out
}

/// Letters, digits, `_` and `-` only (Mermaid's entity names).
fn identifier(name: &str) -> String {
    let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if safe.is_empty() || safe.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{safe}")
    } else {
        safe
    }
}

/// Text inside Mermaid quotes: double quotes cannot be escaped in every diagram type, so they
/// become single ones; markup characters become entity codes, which Mermaid shows as text.
fn label(text: &str) -> String {
    text.replace('"', "'").replace('<', "#lt;").replace('>', "#gt;")
}
