//! Calls that certainly fail, and writes anyone can make.

use super::{at, defined_at, distinct, names, Finding, FindingKind, Held, Related};
use crate::analyses::calls::Reach;
use crate::diagnostics::Severity;
use crate::Analysis;

pub(super) fn broken_calls(analysis: &Analysis, found: &mut Vec<Finding>, held: &mut Vec<Held>) {
    for edge in &analysis.analyses.call_graph.edges {
        let call = format!("`{}` → `{}` ({})", edge.from, edge.to, edge.kind.as_str());
        if let Some(unverified) = &edge.unverified {
            let message = format!("whether {call} can run");
            held.push(Held::new(FindingKind::BrokenCall, message, Some(edge.location.clone()), &unverified.reason, unverified.library.as_ref()));
        }
        let Some(problem) = &edge.problem else { continue };
        found.push(Finding {
            kind: FindingKind::BrokenCall,
            severity: Severity::Error,
            message: format!("{call} fails: {problem}"),
            advice: "Convex throws when the call runs (a scheduled function fails when its time comes, a cron job at each run), so whatever depends on it never happens. Point the reference at a registered function of the right kind (`internal.module.function`).".into(),
            location: Some(edge.location.clone()),
            related: Vec::new(),
            facts: vec![format!("{call} at {}", at(&edge.location)), problem.clone()],
            subjects: vec![edge.from.clone(), edge.to.clone()],
        });
    }
}

/// Entry points that write with no check of the caller on the way: one finding per module (a
/// module's functions share their access rules, and the fix is usually one builder for all of
/// them), or for the HTTP routes; one for the whole backend when nothing in it checks a caller
/// (no sign-in at all: one cause, however many functions).
pub(super) fn unauthenticated_writes(analysis: &Analysis, found: &mut Vec<Finding>, held: &mut Vec<Held>) {
    let checks_anywhere = analysis.facts.iter().any(|f| !f.auth.is_empty() || !f.opaque.is_empty());
    let mut modules: Vec<(String, Vec<&Reach>)> = Vec::new();
    for reach in &analysis.analyses.call_graph.reach {
        for unverified in &reach.unverified {
            let given = analysis
                .facts
                .iter()
                .find(|f| f.function == unverified.function)
                .and_then(|f| f.opaque.iter().find(|o| o.site.location == unverified.location))
                .map_or("`ctx`", |o| if o.given == crate::facts::Given::Secret { "a secret" } else { "`ctx`" });
            let message = format!("whether {} checks the caller before writing `{}`: `{}` gets {given}", who(reach), unverified.write.table, unverified.callee);
            held.push(Held::new(FindingKind::UnauthenticatedWrite, message, Some(unverified.location.clone()), &unverified.cause.reason, unverified.cause.library.as_ref()));
        }
        if reach.unauthenticated.is_empty() {
            continue;
        }
        let module = match reach.from.split_once(':') {
            _ if !checks_anywhere => String::new(),
            _ if reach.from.starts_with("http ") => "http".to_owned(),
            Some((module, _)) => module.to_owned(),
            None => reach.from.clone(),
        };
        match modules.iter_mut().find(|(m, _)| *m == module) {
            Some((_, reaches)) => reaches.push(reach),
            None => modules.push((module, vec![reach])),
        }
    }
    for (module, reaches) in modules {
        found.push(unauthenticated(analysis, &module, &reaches));
    }
}

fn who(reach: &Reach) -> String {
    match reach.from.strip_prefix("http ") {
        Some(route) => format!("the route `{route}`"),
        None => format!("`{}`", reach.from),
    }
}

/// `` `messages` (via `a:b` → `a:c`) ``, for each table an entry point writes unchecked.
fn written(reach: &Reach) -> String {
    reach
        .unauthenticated
        .iter()
        .map(|w| match w.through.get(1..).unwrap_or_default() {
            [] => format!("`{}`", w.table),
            via => format!("`{}` (via {})", w.table, via.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" → ")),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn unauthenticated(analysis: &Analysis, module: &str, reaches: &[&Reach]) -> Finding {
    let entries: Vec<String> = reaches.iter().map(|r| r.from.strip_prefix("http ").unwrap_or(&r.from).to_owned()).collect();
    let message = match reaches {
        [reach] => {
            let entry = match reach.from.strip_prefix("http ") {
                Some(route) => format!("The route `{route}`"),
                None => format!("The public `{}`", reach.from),
            };
            format!("{entry} writes {} with no check of the caller on the way", written(reach))
        }
        _ if module.is_empty() => format!("No function checks who calls: {} public functions and routes write with no check of the caller: {}", reaches.len(), names(&entries)),
        _ if module == "http" => format!("{} HTTP routes write with no check of the caller on the way: {}", reaches.len(), names(&entries)),
        _ => format!("{} public functions of `{module}` write with no check of the caller on the way: {}", reaches.len(), names(&entries)),
    };
    let functions = distinct(reaches.iter().flat_map(|r| r.unauthenticated.iter().flat_map(|w| w.through.iter().cloned())));
    let advice = format!(
        "Anyone with the deployment's URL can call {}, signed in or not, with any arguments: no function on the way ({}) reads the caller's identity (`ctx.auth.getUserIdentity()`, an auth library's helper), compares a secret, or rejects a caller before it writes. If the data is not public by design, check the caller first and reject those who may not write (a custom function builder does it for every function of a module); if only the server calls them, make them internal.",
        if reaches.len() == 1 { "it" } else { "them" },
        names(&functions)
    );
    // For several entry points, each one and what it writes (one alone says it in its message).
    let related = match reaches {
        [_] => Vec::new(),
        _ => reaches
            .iter()
            .filter_map(|reach| Some(Related { label: format!("{} writes {}", who(reach), written(reach)), location: defined_at(analysis, &reach.from)? }))
            .collect(),
    };
    // With no sign-in anywhere, open functions are how the app is built (a demo, a public
    // board), not a check forgotten here: the rubric calls it debatable, so it is a note.
    let (severity, advice) = if module.is_empty() {
        (Severity::Info, format!("{advice} Nothing in the backend reads who is signed in: if the app is not public by design, add sign-in (Convex Auth, Clerk, Better Auth) and check the caller in every function that writes."))
    } else {
        (Severity::Warning, advice)
    };
    Finding {
        kind: FindingKind::UnauthenticatedWrite,
        severity,
        message,
        advice,
        location: defined_at(analysis, &reaches[0].from),
        related,
        facts: reaches
            .iter()
            .flat_map(|r| r.unauthenticated.iter().map(|w| format!("{} writes `{}`; no check of the caller before the write", w.through.join(" → "), w.table)))
            .collect(),
        subjects: reaches.iter().map(|r| r.from.clone()).collect(),
    }
}
