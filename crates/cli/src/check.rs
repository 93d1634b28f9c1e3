//! `convex-lens check`: the engine's findings as text (one line each, most severe first, as
//! compilers print them) or JSON. It renders what the engine concluded and judges nothing.

use std::fmt::Write as _;

use convex_lens_engine::findings::{Finding, Unverified};
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
    let held: usize = analysis.unverified.iter().map(|u| u.held.len()).sum();
    if held > 0 {
        let _ = writeln!(out, "\ncould not verify {} (they rest on code convex-lens cannot read):", plural(held, "conclusion", "conclusions"));
        for group in analysis.unverified.iter().filter(|u| !u.held.is_empty()) {
            let _ = writeln!(out, "  {}", group_line(group));
        }
    }
    out
}

/// `` `crud` from "convex-crud-kit": 5 exports unknown, 3 conclusions held back ``.
fn group_line(group: &Unverified) -> String {
    let mut parts = Vec::new();
    if group.exports > 0 {
        parts.push(format!("{} unknown", plural(group.exports, "export", "exports")));
    }
    parts.push(format!("{} held back", plural(group.held.len(), "conclusion", "conclusions")));
    format!("{}: {}", group.cause, parts.join(", "))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
            n => Some(plural(n, one, many)),
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
    unverified: &'a [Unverified],
}

pub fn json(analysis: &Analysis) -> String {
    let report = Report { findings: &analysis.findings, unverified: &analysis.unverified };
    format!("{}\n", serde_json::to_string_pretty(&report).expect("findings serialise"))
}
