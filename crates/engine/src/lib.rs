//! convex-lens engine: reads the source of a Convex backend, without running it, and models what
//! it defines.
//!
//! The engine is a plain library: no I/O, no threads, no wasm. Hosts (the CLI, the playground's
//! worker) hand it files and render what it returns. Data flows one way:
//! source → [`project`] → [`graph`] (parse, resolve) → [`eval`] with [`builders`] and [`known`]
//! → the app model ([`app`], [`schema`]) → [`facts`] → [`analyses`] → [`findings`] →
//! [`Analysis`]. [`analyze_project`] runs that sequence; no layer calls the one after it.

pub mod analyses;
pub mod app;
pub mod builders;
pub mod diagnostics;
pub mod eval;
pub mod facts;
pub mod findings;
pub mod graph;
pub mod jsonc;
pub mod known;
pub mod order;
pub mod parse;
pub mod project;
pub mod resolve;
pub mod schema;
pub mod source;
pub mod validator;
pub mod values;

use serde::{Deserialize, Serialize};

pub use app::{Component, CronJob, FunctionSpec, HttpRoute, Runtime};
pub use diagnostics::{Diagnostic, DiagnosticCode, Severity};
pub use schema::{DefinitionKind, Owner, Schema, SchemaGap, Table};
pub use source::{LineIndex, Location, SourceFile};
pub use values::{FunctionKind, Visibility};

/// Everything the engine found in a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The functions directory, relative to the project root (`""` for the root itself).
    pub functions_dir: String,
    /// The path of the schema file that was read, if the project has one.
    pub schema_file: Option<String>,
    /// The data model, exactly as `schema.export()` would give it.
    pub schema: Option<Schema>,
    /// Registered functions, by path.
    pub functions: Vec<FunctionSpec>,
    pub http_routes: Vec<HttpRoute>,
    pub crons: Vec<CronJob>,
    pub components: Vec<Component>,
    /// What each function and route handler reads, writes and calls. Hosts that read an
    /// analysis back from JSON (the playground) use the analyses, not the facts: leaving the facts
    /// out of deserialisation keeps their code out of the page's wasm.
    #[serde(default, skip_deserializing)]
    pub facts: Vec<facts::FunctionFacts>,
    /// Index coverage, the reactive graph, conflicts, the call graph and costs.
    #[serde(default)]
    pub analyses: analyses::Analyses,
    /// What the analyses found worth acting on, most severe first.
    #[serde(default)]
    pub findings: Vec<findings::Finding>,
    /// What could not be verified, by cause, with the conclusions it holds back.
    #[serde(default)]
    pub unverified: Vec<findings::Unverified>,
    /// Where each table and index is defined.
    pub definitions: Vec<Definition>,
    /// What the schema model may lack (tables that could not be evaluated), and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_gaps: Vec<SchemaGap>,
    /// Exports of function modules that could not be evaluated: functions the model may lack.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opaque_exports: Vec<app::OpaqueExport>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub kind: DefinitionKind,
    pub name: String,
    pub location: Location,
    /// The library or generator that defines it, when it is not the app's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
}

/// What `convex-lens inspect --json` prints: the model in Convex's own shapes (each table an
/// element of `schema.export().tables`, each function as `function-spec` describes it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection<'a> {
    pub tables: &'a [Table],
    pub functions: &'a [FunctionSpec],
    pub http_routes: &'a [HttpRoute],
    pub crons: &'a [CronJob],
    pub components: &'a [Component],
    pub facts: &'a [facts::FunctionFacts],
    pub coverage: &'a analyses::coverage::Coverage,
    pub reactivity: &'a analyses::reactivity::Reactivity,
    pub conflicts: &'a analyses::conflicts::Conflicts,
    pub call_graph: &'a analyses::calls::CallGraph,
    pub costs: &'a [analyses::costs::FunctionCost],
    pub diagnostics: &'a [Diagnostic],
}

impl Analysis {
    pub fn inspection(&self) -> Inspection<'_> {
        Inspection {
            tables: self.schema.as_ref().map_or(&[], |s| &s.tables),
            functions: &self.functions,
            http_routes: &self.http_routes,
            crons: &self.crons,
            components: &self.components,
            facts: &self.facts,
            coverage: &self.analyses.coverage,
            reactivity: &self.analyses.reactivity,
            conflicts: &self.analyses.conflicts,
            call_graph: &self.analyses.call_graph,
            costs: &self.analyses.costs,
            diagnostics: &self.diagnostics,
        }
    }
}

/// Analyses a project given as files; the functions directory is found as the Convex CLI finds it.
pub fn analyze(files: &[SourceFile]) -> Analysis {
    analyze_project(files, None)
}

/// Analyses a project whose functions directory may be given (a component's source folder).
pub fn analyze_project(files: &[SourceFile], functions_dir: Option<&str>) -> Analysis {
    let mut diagnostics: Vec<Diagnostic> = files.iter().filter(|f| is_binary(&f.text)).map(not_text).collect();
    let project = project_of(files, functions_dir);
    // Each layer takes the one before it: the modules, the model, the facts of the model's
    // functions, then the analyses and the findings.
    let loaded = app::load(&project);
    let (mut model, mut evaluator) = app::build(&project, &loaded);
    let facts = facts::extract(&mut evaluator, model.schema.as_ref(), &model.code);
    app::finish(&project, &loaded.graph, &mut model, evaluator);
    let owners = order::map(model.definitions.iter().filter_map(|(site, _)| Some((site.name.clone(), site.owner.clone()?))));
    let inputs = analyses::Inputs {
        schema: model.schema.as_ref(),
        schema_gaps: &model.schema_gaps,
        owners,
        facts: &facts,
        functions: &model.functions,
        crons: &model.crons,
        opaque_exports: &model.opaque_exports,
        modules: &model.modules,
        tables_given_to_libraries: &model.tables_given_to_libraries,
    };
    let analyses = analyses::analyze(&inputs);
    diagnostics.extend(model.diagnostics);
    let mut analysis = Analysis {
        functions_dir: model.functions_dir,
        schema_file: model.schema_file,
        schema: model.schema,
        functions: model.functions,
        http_routes: model.http_routes,
        crons: model.crons,
        components: model.components,
        analyses,
        facts,
        definitions: model
            .definitions
            .into_iter()
            .map(|(site, location)| Definition { kind: site.kind, name: site.name, location, owner: site.owner })
            .collect(),
        schema_gaps: model.schema_gaps,
        opaque_exports: model.opaque_exports,
        findings: Vec::new(),
        unverified: Vec::new(),
        diagnostics,
    };
    (analysis.findings, analysis.unverified) = findings::findings(&analysis);
    analysis
}

/// Reads installed packages with a host that can (the CLI): [`PackageCrawl::wanted`] names the
/// files of installed packages (paths under `node_modules/`) that the project's imports would
/// read next; the host adds those that exist and asks again, until nothing new is wanted.
/// Convex itself and the libraries convex-lens models are never wanted. Each file is parsed
/// once across the rounds.
#[derive(Default)]
pub struct PackageCrawl {
    imports: graph::ImportCache,
}

impl PackageCrawl {
    pub fn wanted(&mut self, files: &[SourceFile], functions_dir: Option<&str>) -> Vec<String> {
        app::wanted_package_files(&project_of(files, functions_dir), &mut self.imports)
    }
}

fn project_of<'a>(files: &'a [SourceFile], functions_dir: Option<&str>) -> project::Project<'a> {
    let mut project = project::Project::new(files);
    if let Some(dir) = functions_dir {
        project.functions_dir = dir.trim_matches('/').to_owned();
    }
    project
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
        library: None,
    }
}
