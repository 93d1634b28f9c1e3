//! Diagrams of a convex-lens analysis: the schema (tables, fields, relations, indexes), the
//! reactive graph (which queries a mutation re-runs, and how widely) and the call graph.
//!
//! Each is a [`Scene`]: nodes and routed edges laid out by dagre (see `layout`), drawn by
//! [`render::draw`] into SVG elements that the playground puts in its DOM and that
//! [`render::to_svg`] serialises for export and the CLI. Layers: this crate reads the engine's
//! `Analysis` and never analyses anything itself.

mod layered;
pub mod layout;
pub mod mermaid;
pub mod metrics;
pub mod render;
pub mod route;
pub mod scene;

mod flow;
mod schema;

use convex_lens_engine::Analysis;
use serde::{Deserialize, Serialize};

pub use scene::Scene;

/// Every diagram of one analysis, with its Mermaid text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagrams {
    pub schema: Diagram,
    pub reactivity: Diagram,
    pub calls: Diagram,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagram {
    pub scene: Scene,
    pub mermaid: String,
}

/// The schema alone: tables, their fields, relations and indexes.
pub fn schema_scene(analysis: &Analysis) -> Scene {
    schema::schema_scene(analysis)
}

/// The reactive graph alone. Needs the facts.
pub fn reactivity_scene(analysis: &Analysis) -> Scene {
    flow::reactivity_scene(analysis)
}

/// The call graph alone. Needs the facts.
pub fn call_scene(analysis: &Analysis) -> Scene {
    flow::call_scene(analysis)
}

/// Lays out every diagram. Needs the analysis with its facts (the reactive graph reads them).
pub fn diagrams(analysis: &Analysis) -> Diagrams {
    let schema = schema_scene(analysis);
    let reactivity = reactivity_scene(analysis);
    let calls = call_scene(analysis);
    Diagrams {
        schema: Diagram { mermaid: mermaid::schema_mermaid(analysis, &schema), scene: schema },
        reactivity: Diagram { mermaid: mermaid::flow_mermaid(&reactivity), scene: reactivity },
        calls: Diagram { mermaid: mermaid::flow_mermaid(&calls), scene: calls },
    }
}
