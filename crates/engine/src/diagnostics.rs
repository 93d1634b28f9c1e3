//! What the engine tells the user about their code: every problem and every place it could not
//! follow, with a location.

use serde::{Deserialize, Serialize};

use crate::source::Location;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The lowercase name, as in the JSON and in rendered diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A stable identifier for each kind of diagnostic, so that users and tests can refer to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticCode {
    /// The file does not parse as TypeScript/JavaScript.
    SyntaxError,
    /// The file nests deeper than the parser can follow safely; it was not parsed.
    NestingTooDeep,
    /// The file is not text (binary content or invalid UTF-8).
    NotText,
    /// A value the analysis needs could not be evaluated statically.
    Unknown,
    /// The schema file has no default export, or it is not `defineSchema(...)`.
    SchemaNotFound,
    /// `convex.json`, `http.ts`, `crons.ts` or `convex.config.ts` is not what Convex expects.
    InvalidConfig,
    /// The schema imports a module that imports the schema back.
    SchemaImportCycle,
    /// A table or index definition that Convex would reject or that has no meaning.
    InvalidSchema,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// The library value an unknown comes from, when that is its cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<crate::values::LibraryValue>,
}
