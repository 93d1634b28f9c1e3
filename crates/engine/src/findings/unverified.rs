//! What could not be verified: conclusions held back because they rest on something convex-lens
//! could not see, grouped by that cause (one group per library value, else per reason) with the
//! exports and values it leaves unknown. Shown quietly, never as errors or warnings.

use serde::{Deserialize, Serialize};

use super::FindingKind;
use crate::diagnostics::DiagnosticCode;
use crate::source::Location;
use crate::values::LibraryValue;
use crate::Analysis;

/// A conclusion that would have been a finding, held back for its cause.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Held {
    pub kind: FindingKind,
    /// What could not be verified, as a question answered by the code convex-lens cannot read
    /// (`whether \`users:setName\` exists`).
    pub message: String,
    pub location: Option<Location>,
    /// Why it could not be verified.
    #[serde(skip)]
    pub reason: String,
    #[serde(skip)]
    pub library: Option<LibraryValue>,
}

impl Held {
    pub(super) fn new(kind: FindingKind, message: String, location: Option<Location>, reason: &str, library: Option<&LibraryValue>) -> Held {
        Held { kind, message, location, reason: reason.to_owned(), library: library.cloned() }
    }
}

/// One cause convex-lens could not see through, and what it hides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unverified {
    /// The cause in one line: a library value (`` `Triggers` from "convex-helpers/server/triggers" ``)
    /// or a reason (`the module \`users\` is not among the files analysed`).
    pub cause: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<LibraryValue>,
    /// Exports of function modules it leaves unknown (functions the model may lack).
    pub exports: usize,
    /// Other values it leaves unknown (validators, tables, schema entries, ...).
    pub values: usize,
    /// The conclusions it holds back.
    pub held: Vec<Held>,
    /// Where it is first met.
    pub location: Option<Location>,
}

/// The held conclusions and the analysis's unknowns, one group per cause: groups with held
/// conclusions first (most first), then by how much they hide.
pub(super) fn group(analysis: &Analysis, held: Vec<Held>) -> Vec<Unverified> {
    let mut groups: Vec<Unverified> = Vec::new();
    for diagnostic in analysis.diagnostics.iter().filter(|d| d.code == DiagnosticCode::Unknown) {
        let group = entry(&mut groups, &diagnostic.message, diagnostic.library.as_ref(), Some(&diagnostic.location));
        if diagnostic.message.starts_with("export `") {
            group.exports += 1;
        } else {
            group.values += 1;
        }
    }
    for conclusion in held {
        let (reason, library, location) = (conclusion.reason.clone(), conclusion.library.clone(), conclusion.location.clone());
        let group = entry(&mut groups, &reason, library.as_ref(), location.as_ref());
        if !group.held.iter().any(|h| h.message == conclusion.message && h.location == conclusion.location) {
            group.held.push(conclusion);
        }
    }
    crate::order::sort_by_key(&mut groups, |g| (std::cmp::Reverse(g.held.len()), std::cmp::Reverse(g.exports + g.values)));
    groups
}

/// The group of a cause: by library value when there is one, else by reason.
fn entry<'g>(groups: &'g mut Vec<Unverified>, reason: &str, library: Option<&LibraryValue>, location: Option<&Location>) -> &'g mut Unverified {
    let cause = library.map_or_else(|| reason.to_owned(), LibraryValue::describe);
    let position = match groups.iter().position(|g| g.cause == cause) {
        Some(position) => position,
        None => {
            groups.push(Unverified { cause, library: library.cloned(), exports: 0, values: 0, held: Vec::new(), location: location.cloned() });
            groups.len() - 1
        }
    };
    &mut groups[position]
}
