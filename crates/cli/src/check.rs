//! `convex-lens check`: the engine's findings as text (one line each, most severe first, as
//! compilers print them) or JSON. It renders what the engine concluded and judges nothing.

use std::fmt::Write as _;

use convex_lens_engine::findings::Finding;
use convex_lens_engine::{Analysis, Severity};
use serde::Serialize;

/// `file:line:column: severity[kind]: message`, then a count.
pub fn text(analysis: &Analysis) -> String {
    let mut out = String::new();
    for finding in &analysis.findings {
        let place = finding.location.as_ref().map_or_else(String::new, |l| format!("{}:{}:{}: ", l.file, l.line, l.column));
        let _ = writeln!(out, "{place}{}[{}]: {}", label(finding.severity), finding.kind.as_str(), finding.message);
    }
    let _ = writeln!(out, "{}", summary(&analysis.findings));
    out
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "note",
        other => other.as_str(),
    }
}

/// `2 errors, 5 warnings, 1 note` or `no findings`.
fn summary(findings: &[Finding]) -> String {
    let parts: Vec<String> = [(Severity::Error, "error", "errors"), (Severity::Warning, "warning", "warnings"), (Severity::Info, "note", "notes")]
        .into_iter()
        .filter_map(|(severity, one, many)| match findings.iter().filter(|f| f.severity == severity).count() {
            0 => None,
            n => Some(format!("{n} {}", if n == 1 { one } else { many })),
        })
        .collect();
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}

#[derive(Serialize)]
struct Report<'a> {
    findings: &'a [Finding],
}

pub fn json(analysis: &Analysis) -> String {
    let report = Report { findings: &analysis.findings };
    format!("{}\n", serde_json::to_string_pretty(&report).expect("findings serialise"))
}
