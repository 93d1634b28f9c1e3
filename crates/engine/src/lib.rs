//! convex-lens engine: reads the source of a Convex backend, without running it, and models what
//! it defines.
//!
//! The engine is a plain library: no I/O, no threads, no wasm. Hosts (the CLI, the playground's
//! worker) hand it files and render what it returns. Data flows one way:
//! source → [`parse`] → [`eval`] → model ([`schema`]) → [`Analysis`].

pub mod builders;
pub mod diagnostics;
pub mod eval;
pub mod parse;
pub mod schema;
pub mod source;
pub mod validator;

use serde::{Deserialize, Serialize};

pub use diagnostics::{Diagnostic, DiagnosticCode, Severity};
pub use schema::{DefinitionKind, Schema};
pub use source::{LineIndex, Location, SourceFile};

use eval::{Evaluator, Unknown};

/// Everything the engine found in a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The path of the schema file that was read, if the project has one.
    pub schema_file: Option<String>,
    /// The data model, exactly as `schema.export()` would give it.
    pub schema: Option<Schema>,
    /// Where each table and index is defined.
    pub definitions: Vec<Definition>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub kind: DefinitionKind,
    pub name: String,
    pub location: Location,
}

/// Analyses a project given as files.
pub fn analyze(files: &[SourceFile]) -> Analysis {
    let mut analysis = Analysis { schema_file: None, schema: None, definitions: Vec::new(), diagnostics: Vec::new() };
    for file in files.iter().filter(|f| is_binary(&f.text)) {
        analysis.diagnostics.push(not_text(file));
    }
    let Some(file) = find_schema_file(files) else {
        return analysis;
    };
    analysis.schema_file = Some(file.path.clone());
    if is_binary(&file.text) {
        return analysis;
    }
    let lines = LineIndex::new(&file.text);
    let (parsed, mut diagnostics) = parse::parse_module(file);
    analysis.diagnostics.append(&mut diagnostics);
    let Some(parsed) = parsed else {
        return analysis;
    };
    let diagnostic = |code, severity, unknown: Unknown| Diagnostic {
        code,
        severity,
        message: unknown.reason,
        location: lines.location(&file.path, unknown.range),
    };
    let mut evaluator = Evaluator::new(&parsed.module);
    match Evaluator::default_export(&parsed.module) {
        None => analysis.diagnostics.push(Diagnostic {
            code: DiagnosticCode::SchemaNotFound,
            severity: Severity::Error,
            message: "the schema file has no default export; Convex expects `export default defineSchema({...})`".into(),
            location: lines.location(&file.path, source::ByteRange { start: 0, end: 0 }),
        }),
        Some(export) => match schema::extract_schema(&mut evaluator, export) {
            Ok((schema, sites)) => {
                analysis.schema = Some(schema);
                analysis.definitions = sites
                    .into_iter()
                    .map(|site| Definition { kind: site.kind, name: site.name, location: lines.location(&file.path, site.range) })
                    .collect();
            }
            Err(unknown) => analysis.diagnostics.push(diagnostic(DiagnosticCode::SchemaNotFound, Severity::Error, unknown)),
        },
    }
    let unknowns = evaluator.unknowns.drain(..).map(|u| diagnostic(DiagnosticCode::Unknown, Severity::Warning, u));
    let problems = evaluator.problems.drain(..).map(|u| diagnostic(DiagnosticCode::InvalidSchema, Severity::Error, u));
    analysis.diagnostics.extend(unknowns.chain(problems).collect::<Vec<_>>());
    analysis
}

/// The schema is `schema.ts` (or `.js`) at the root of the functions directory: `convex/` when the
/// project has one, else the root of what the user gave.
fn find_schema_file(files: &[SourceFile]) -> Option<&SourceFile> {
    const NAMES: [&str; 2] = ["schema.ts", "schema.js"];
    let under_convex = |name: &str| files.iter().find(|f| f.path == format!("convex/{name}"));
    let at_root = |name: &str| files.iter().find(|f| f.path == name);
    NAMES.iter().find_map(|name| under_convex(name)).or_else(|| NAMES.iter().find_map(|name| at_root(name)))
}

/// Text with NUL characters is not source code (an image or an archive dropped by mistake).
fn is_binary(text: &str) -> bool {
    text.contains('\0')
}

fn not_text(file: &SourceFile) -> Diagnostic {
    let offset = file.text.find('\0').unwrap_or(0);
    Diagnostic {
        code: DiagnosticCode::NotText,
        severity: Severity::Error,
        message: "this file holds binary data, not source code; it is skipped".into(),
        location: LineIndex::new(&file.text).location(&file.path, source::ByteRange { start: offset, end: offset }),
    }
}
