//! The schema diagram: one node per table listing its fields (nested object fields indented
//! below their parent) and its indexes, marked when the coverage analysis found them unused,
//! redundant, staged or not tracked; one edge per `v.id` field and table it refers to, wherever
//! the id sits (in an array, a union, a record or a nested object).

use std::collections::BTreeMap;

use convex_lens_engine::findings::FindingKind;
use convex_lens_engine::schema::Table;
use convex_lens_engine::validator::{ObjectFields, Validator};
use convex_lens_engine::{Analysis, DefinitionKind, Location};

use crate::layout::{place, place_grouped, Direction, LayoutGraph};
use crate::metrics::{cut, text_width, HEADER_HEIGHT, INDENT, MAX_DETAIL_CHARS, MAX_TITLE_CHARS, PADDING, ROW_HEIGHT};
use crate::route::anchored_route;
use crate::scene::{Edge, EdgeStyle, Group, Node, NodeKind, Row, RowKind, RowMark, Scene};

/// Nested objects are unfolded this deep; deeper ones stay as their type text.
const MAX_DEPTH: u8 = 2;

pub fn schema_scene(analysis: &Analysis) -> Scene {
    let Some(schema) = &analysis.schema else { return Scene::default() };
    let definitions: BTreeMap<(DefinitionKind, &str), &Location> =
        convex_lens_engine::order::map(analysis.definitions.iter().map(|d| ((d.kind, d.name.as_str()), &d.location)));
    let marks = index_marks(analysis);
    let mut nodes = Vec::new();
    let mut references = Vec::new();
    for table in &schema.tables {
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        field_rows(&table.document_type, &mut rows, &mut ids);
        index_rows(table, &marks, &definitions, &mut rows);
        let location = definitions.get(&(DefinitionKind::Table, table.table_name.as_str())).map(|l| (*l).clone());
        nodes.push(sized_node(&table.table_name, NodeKind::Table, None, rows, location));
        references.push(ids);
    }
    let index_of: BTreeMap<&str, usize> = convex_lens_engine::order::map(schema.tables.iter().enumerate().map(|(i, t)| (t.table_name.as_str(), i)));
    // (referring table, row, referred table): dagre ranks the referred table first, so that the
    // tables everything points at (users) come on the left and the ones pointing at them follow.
    let relations: Vec<(usize, usize, usize)> = references
        .iter()
        .enumerate()
        .flat_map(|(from, ids)| ids.iter().filter_map(|(row, table)| Some((from, *row, *index_of.get(table.as_str())?))).collect::<Vec<_>>())
        .collect();
    let graph = LayoutGraph {
        sizes: nodes.iter().map(|n| (n.width, n.height)).collect(),
        edges: relations.iter().map(|&(from, _, to)| (to, from)).collect(),
        direction: Direction::LeftToRight,
    };
    let (placement, groups) = match modules(analysis, schema) {
        Some((group_of, names)) => {
            let (placement, frames) = place_grouped(&graph, &group_of, names.len());
            let groups = names.into_iter().zip(frames).map(|(name, f)| Group { name, x: f.x, y: f.y, width: f.width, height: f.height }).collect();
            (placement, groups)
        }
        None => (place(&graph), Vec::new()),
    };
    for (node, position) in nodes.iter_mut().zip(&placement.positions) {
        (node.x, node.y) = (position.x, position.y);
    }
    let edges = relations
        .iter()
        .zip(placement.routes)
        .map(|(&(from, row, to), route)| {
            let field = &nodes[from].rows[row];
            Edge {
                from: nodes[from].id.clone(),
                to: nodes[to].id.clone(),
                from_row: Some(row),
                style: EdgeStyle::Relation,
                label: None,
                note: Some(format!("{}.{} → {}", nodes[from].id, field.name, nodes[to].id)),
                points: anchored_route(&nodes[from], row, route),
                location: None,
            }
        })
        .collect();
    Scene { width: placement.width, height: placement.height, nodes, edges, groups }
}

/// From this many tables a schema defined across several files is drawn grouped by file.
const GROUP_FROM_TABLES: usize = 24;

/// The file defining each table, when the schema is big enough and spread over files to group.
fn modules(analysis: &Analysis, schema: &convex_lens_engine::Schema) -> Option<(Vec<usize>, Vec<String>)> {
    if schema.tables.len() < GROUP_FROM_TABLES {
        return None;
    }
    let file_of: BTreeMap<&str, &str> = convex_lens_engine::order::map(
        analysis.definitions.iter().filter(|d| d.kind == DefinitionKind::Table).map(|d| (d.name.as_str(), d.location.file.as_str())),
    );
    let mut names: Vec<String> = Vec::new();
    let group_of = schema
        .tables
        .iter()
        .map(|t| {
            let file = file_of.get(t.table_name.as_str()).copied().unwrap_or("(unknown file)");
            names.iter().position(|n| n == file).unwrap_or_else(|| {
                names.push(file.to_string());
                names.len() - 1
            })
        })
        .collect();
    (names.len() > 1).then_some((group_of, names))
}

/// A node sized to its title and rows.
pub(crate) fn sized_node(title: &str, kind: NodeKind, subtitle: Option<String>, rows: Vec<Row>, location: Option<Location>) -> Node {
    let (shown_title, _) = cut(title, MAX_TITLE_CHARS);
    let header = text_width(&shown_title) + subtitle.as_deref().map_or(0.0, |s| text_width(s) + 2.0 * PADDING);
    let widest_row = rows.iter().map(row_width).fold(0.0, f64::max);
    let width = (header.max(widest_row) + 2.0 * PADDING).max(120.0).ceil();
    let height = HEADER_HEIGHT + rows.len() as f64 * ROW_HEIGHT + if rows.is_empty() { 0.0 } else { PADDING / 2.0 };
    Node { id: title.to_string(), kind, title: shown_title, subtitle, x: 0.0, y: 0.0, width, height, rows, warning: None, location }
}

fn row_width(row: &Row) -> f64 {
    // Name, two spaces, detail, and room for a mark badge.
    let mark = row.mark.map_or(0.0, |m| text_width(m.as_str()) + PADDING);
    f64::from(row.depth) * INDENT + text_width(&row.name) + 2.0 * text_width(" ") + text_width(&row.detail) + mark
}

fn field_rows(document: &Validator, rows: &mut Vec<Row>, ids: &mut Vec<(usize, String)>) {
    match document {
        Validator::Object(fields) => object_rows(fields, 0, rows, ids),
        // A table of a union of shapes: one row for the whole type.
        other => {
            push_row(rows, RowKind::Field, "document".into(), &other.describe(), 0);
            collect_ids(other, rows.len() - 1, ids);
        }
    }
}

fn object_rows(fields: &ObjectFields, depth: u8, rows: &mut Vec<Row>, ids: &mut Vec<(usize, String)>) {
    for (name, field) in fields {
        let name = if field.optional { format!("{name}?") } else { name.clone() };
        match unfoldable(&field.validator).filter(|_| depth < MAX_DEPTH) {
            Some((inner, suffix)) => {
                push_row(rows, RowKind::Field, name, &format!("{{…}}{suffix}"), depth);
                object_rows(inner, depth + 1, rows, ids);
            }
            None => {
                push_row(rows, RowKind::Field, name, &field.validator.describe(), depth);
                collect_ids(&field.validator, rows.len() - 1, ids);
            }
        }
    }
}

/// An object, or an array of objects, whose fields read better as rows of their own.
fn unfoldable(validator: &Validator) -> Option<(&ObjectFields, &'static str)> {
    match validator {
        Validator::Object(fields) if !fields.is_empty() => Some((fields, "")),
        Validator::Array(element) => match &**element {
            Validator::Object(fields) if !fields.is_empty() => Some((fields, "[]")),
            _ => None,
        },
        _ => None,
    }
}

fn push_row(rows: &mut Vec<Row>, kind: RowKind, name: String, detail: &str, depth: u8) {
    let (shown, was_cut) = cut(detail, MAX_DETAIL_CHARS);
    let full = was_cut.then(|| detail.to_string());
    rows.push(Row { kind, name, detail: shown, full, depth, mark: None, note: None, location: None });
}

/// Every table an id in `validator` refers to, once each, for the row at `row`.
fn collect_ids(validator: &Validator, row: usize, ids: &mut Vec<(usize, String)>) {
    match validator {
        Validator::Id { table } if !ids.iter().any(|(r, t)| *r == row && t == table) => ids.push((row, table.clone())),
        Validator::Array(element) => collect_ids(element, row, ids),
        Validator::Record { keys, values } => {
            collect_ids(keys, row, ids);
            collect_ids(values, row, ids);
        }
        Validator::Object(fields) => fields.iter().for_each(|(_, f)| collect_ids(&f.validator, row, ids)),
        Validator::Union(members) => members.iter().for_each(|m| collect_ids(m, row, ids)),
        _ => {}
    }
}

/// The engine's findings about indexes (unused, redundant), by the indexes they are about
/// (`table.index` among their subjects; one finding may name several of a table): the diagram
/// marks what the engine concluded, not what it could not verify.
fn index_marks(analysis: &Analysis) -> BTreeMap<&str, (RowMark, String)> {
    let mut marks = BTreeMap::new();
    for finding in &analysis.findings {
        let mark = match finding.kind {
            FindingKind::UnusedIndex => RowMark::Unused,
            FindingKind::RedundantIndex => RowMark::Redundant,
            _ => continue,
        };
        for subject in &finding.subjects {
            marks.insert(subject.as_str(), (mark, finding.message.replace('`', "")));
        }
    }
    marks
}

fn index_rows(
    table: &Table,
    marks: &BTreeMap<&str, (RowMark, String)>,
    definitions: &BTreeMap<(DefinitionKind, &str), &Location>,
    rows: &mut Vec<Row>,
) {
    let name = table.table_name.as_str();
    let mut push = |kind: RowKind, index: &str, detail: String, staged: bool| {
        push_row(rows, kind, index.to_string(), &detail, 0);
        let row = rows.last_mut().expect("just pushed");
        let (mark, note) = match marks.get(format!("{name}.{index}").as_str()) {
            _ if staged => (Some(RowMark::Staged), Some("staged: not built yet, no query can use it".to_string())),
            Some((mark, note)) => (Some(*mark), Some(note.clone())),
            None => (None, None),
        };
        (row.mark, row.note) = (mark, note);
        row.location = definitions.get(&(DefinitionKind::Index, format!("{name}.{index}").as_str())).map(|l| (*l).clone());
    };
    for (index, staged) in table.indexes.iter().map(|i| (i, false)).chain(table.staged_db_indexes.iter().map(|i| (i, true))) {
        push(RowKind::Index, &index.index_descriptor, format!("({})", index.fields.join(", ")), staged);
    }
    for (index, staged) in table.search_indexes.iter().map(|i| (i, false)).chain(table.staged_search_indexes.iter().map(|i| (i, true))) {
        push(RowKind::SearchIndex, &index.index_descriptor, with_filters(format!("search {}", index.search_field), &index.filter_fields), staged);
    }
    for (index, staged) in table.vector_indexes.iter().map(|i| (i, false)).chain(table.staged_vector_indexes.iter().map(|i| (i, true))) {
        let detail = format!("vector {} ({} dims)", index.vector_field, index.dimensions);
        push(RowKind::VectorIndex, &index.index_descriptor, with_filters(detail, &index.filter_fields), staged);
    }
}

fn with_filters(detail: String, filters: &[String]) -> String {
    if filters.is_empty() {
        detail
    } else {
        format!("{detail}, filter {}", filters.join(", "))
    }
}
