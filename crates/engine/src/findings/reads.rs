//! Reads: ranges Convex rejects, and reads whose cost grows with their table (a full scan, an
//! index range without a key that varies, a filter over such a range), each one finding with
//! what it costs at scale: the documents scanned, the subscriptions every write re-runs, the
//! writers that make it retry. A range of one key (one user's, one channel's) is bounded by that
//! key's fan-out and is not a finding.

use super::{at, distinct, names, sentence, Finding, FindingKind, Held, Related};
use crate::analyses::conflicts::Likelihood;
use crate::analyses::costs::{CostRisk, MAX_DOCUMENTS_SCANNED};
use crate::analyses::coverage::{IndexSuggestion, RangeKind, ReadBound, ReadSite, SiteStatus, SuggestedAction};
use crate::analyses::reactivity::Effect;
use crate::diagnostics::Severity;
use crate::facts::LoopBound;
use crate::source::Location;
use crate::Analysis;

pub(super) fn read_sites(analysis: &Analysis, found: &mut Vec<Finding>, held: &mut Vec<Held>) {
    for site in &analysis.analyses.coverage.sites {
        let table = site.table.name().unwrap_or("?");
        let functions = names(&site.functions);
        match &site.status {
            SiteStatus::InvalidRange { index, reason } | SiteStatus::MissingIndex { index, reason } => found.push(Finding {
                kind: FindingKind::RejectedRead,
                severity: Severity::Error,
                message: format!("A read of `{table}` through `{index}` in {functions} is rejected: {reason}"),
                advice: "Convex refuses the query when it runs, so the function throws on every call that reaches it. Use an index the schema defines (or enable a staged one), with `.eq` on its fields in order and at most one range on the next field.".into(),
                location: Some(site.location.clone()),
                related: Vec::new(),
                facts: vec![format!("{functions} read `{table}` through `{index}` at {}", at(&site.location)), reason.clone()],
                subjects: site.functions.iter().cloned().chain([table.to_owned()]).collect(),
            }),
            SiteStatus::Unknown { reason, library } => {
                let message = format!("how the read of `{table}` in {functions} is served");
                held.push(Held::new(FindingKind::RejectedRead, message, Some(site.location.clone()), reason, library.as_ref()));
            }
            _ => {}
        }
    }
    scans(analysis, found);
}

/// A read whose scan is worth a finding, before reads with one cause are grouped.
struct Scan<'a> {
    kind: FindingKind,
    site: &'a ReadSite,
    /// What it does, after the functions that do it: a verb in its plural form (`read`,
    /// `scan`, `collect`) and the rest (`every \`t\` document ...`).
    verb: &'static str,
    what: String,
    suggestion: Option<&'a IndexSuggestion>,
    collected: bool,
    /// It looks for one document by its `_id`, which a point read gets at once.
    by_id: bool,
}

/// The reads whose scan grows with their table (or that an index they use would cut), grouped:
/// full scans of one table that one index would serve are one cause, so one finding.
fn scans(analysis: &Analysis, found: &mut Vec<Finding>) {
    let mut groups: Vec<Vec<Scan>> = Vec::new();
    let in_use = in_normal_use(analysis);
    let sites = analysis.analyses.coverage.sites.iter().filter(|site| !stale(analysis, site));
    // Reading a whole table by hand (a backfill nothing calls, run from the dashboard) is a
    // one-off; in what runs in normal use it is paid on every call.
    let scans = sites.filter_map(scan).filter(|s| s.kind != FindingKind::WholeTableRead || s.site.functions.iter().any(|f| in_use.contains(&f.as_str())));
    for scan in scans {
        let same_cause = |group: &&mut Vec<Scan>| {
            let first = &group[0];
            matches!(scan.kind, FindingKind::FullScan | FindingKind::WholeTableRead)
                && first.kind == scan.kind
                && first.site.table == scan.site.table
                && first.suggestion.map(|s| &s.fields) == scan.suggestion.map(|s| &s.fields)
                && first.collected == scan.collected
                && first.by_id == scan.by_id
        };
        match groups.iter_mut().find(same_cause) {
            Some(group) => group.push(scan),
            None => groups.push(vec![scan]),
        }
    }
    found.extend(groups.iter().map(|group| scan_finding(analysis, group)));
}

/// A read that scans a range growing with its table, if this one does.
fn scan(site: &ReadSite) -> Option<Scan<'_>> {
    let table = site.table.name()?;
    // A limit after a filter scans until enough pass: far, when the filter looks for a value's
    // few documents; soon, as far as the code tells, when most pass (`published == true`).
    let limited = site.seeks && matches!(site.bound, ReadBound::Limit { filtered: true, .. } | ReadBound::Unique { filtered: true });
    let collected = site.bound == ReadBound::Unbounded;
    let (kind, what, suggestion) = match &site.status {
        SiteStatus::FullScan { filtered, .. } if collected && filtered.is_empty() => {
            (FindingKind::WholeTableRead, ("read", format!("every `{table}` document on each call")), None)
        }
        SiteStatus::FullScan { filtered, suggestion } if collected => {
            let keeps = format!(", keeping those that pass the `.filter` on {}", filtered.join(", "));
            (FindingKind::FullScan, ("read", format!("every `{table}` document on each call (no index){keeps}")), suggestion.as_ref())
        }
        SiteStatus::FullScan { filtered, .. } if limited && filtered.iter().any(|f| f == "_id") => {
            (FindingKind::FullScan, ("scan", format!("`{table}` for one document by its `_id` (a `.filter`), up to every document, where a point read gets it at once")), None)
        }
        SiteStatus::FullScan { filtered, suggestion } if limited => {
            (FindingKind::FullScan, ("scan", format!("`{table}` with no index until a document passes the `.filter` on {}, up to every document", filtered.join(", "))), suggestion.as_ref())
        }
        // On a range of one key, only a bound the index it reads takes as its range is worth
        // moving (`_creationTime` after the key): the key's documents grow over time, the fix
        // costs nothing, and the scan stops where the filter would.
        SiteStatus::PartiallyIndexed { index, filtered, suggestion: Some(suggestion), .. }
            if site.range == RangeKind::Keyed
                && suggestion.name == *index
                && suggestion.fields.last().is_some_and(|f| f == "_creationTime")
                && (collected || limited || site.bound == ReadBound::Page) =>
        {
            let what = ("scan", format!("a range of `{table}` through `{index}` and `.filter` it on {}, which `{}` serves", filtered.join(", "), suggestion.name));
            (FindingKind::FilterAfterIndex, what, Some(suggestion))
        }
        _ if !site.range.grows_with_table() => return None,
        SiteStatus::PartiallyIndexed { index, filtered, suggestion, .. } if limited => {
            let what = ("scan", format!("`{table}` through `{index}`, {}, until a document passes the `.filter` on {}", range_text(site.range), filtered.join(", ")));
            (FindingKind::FilterBeforeLimit, what, suggestion.as_ref())
        }
        SiteStatus::PartiallyIndexed { index, filtered, suggestion, .. } if collected => {
            let what = ("collect", format!("`{table}` through `{index}`, {}, and `.filter` it on {}", range_text(site.range), filtered.join(", ")));
            (FindingKind::FilterAfterIndex, what, suggestion.as_ref())
        }
        // The whole index in its order is a full scan. A range keyed by constants (all active
        // X) is as big as the app makes it, often a short list by design: no finding.
        SiteStatus::Indexed { index, .. } if collected && site.range == RangeKind::Table => {
            (FindingKind::WholeTableRead, ("read", format!("every `{table}` document on each call, through `{index}` with no `.eq` (the whole index)")), None)
        }
        _ => return None,
    };
    let (verb, what) = what;
    let by_id = matches!(&site.status, SiteStatus::FullScan { filtered, .. } if filtered.iter().any(|f| f == "_id"));
    Some(Scan { kind, site, verb, what, suggestion, collected, by_id })
}

/// The functions that run in normal use: public ones (clients call them, a public query's calls
/// are subscriptions) and those something runs (`ctx.run*`, the scheduler, a cron job, a route).
/// The others are run by hand (a migration, a backfill from the dashboard).
fn in_normal_use(analysis: &Analysis) -> Vec<&str> {
    let public = analysis.functions.iter().filter(|f| f.visibility == Some(crate::Visibility::Public)).map(|f| f.path.as_str());
    let called = analysis.analyses.call_graph.edges.iter().map(|e| e.to.as_str());
    public.chain(called).collect()
}

/// A read whose filter tests a field its table's documents do not have: it never matches, so
/// it is stale code (a migration already run), not a scan to index.
fn stale(analysis: &Analysis, site: &ReadSite) -> bool {
    let filtered = match &site.status {
        SiteStatus::FullScan { filtered, .. } | SiteStatus::PartiallyIndexed { filtered, .. } => filtered,
        _ => return false,
    };
    let Some(table) = analysis.schema.as_ref().and_then(|s| s.tables.iter().find(|t| Some(t.table_name.as_str()) == site.table.name())) else {
        return false;
    };
    let crate::validator::Validator::Object(fields) = &table.document_type else { return false };
    filtered.iter().any(|f| {
        let name = f.split('.').next().unwrap_or(f);
        !name.starts_with('_') && !fields.iter().any(|(n, _)| n == name)
    })
}

/// The finding of reads with one cause: its place is the first read's, the others are related.
fn scan_finding(analysis: &Analysis, group: &[Scan]) -> Finding {
    let first = &group[0];
    let table = first.site.table.name().unwrap_or("?");
    let all_functions = distinct(group.iter().flat_map(|s| s.site.functions.iter().cloned()));
    let message = match group {
        [only] => format!("{} {}", sentence(&only.site.functions, only.verb), only.what),
        _ if first.by_id => format!("`{table}` is scanned for one document by its `_id` in {} places ({}), where a point read gets it at once", group.len(), names(&all_functions)),
        _ => match first.suggestion {
            Some(s) => format!("`{table}` has no index for a `.filter` on {}: {} reads scan every document ({})", s.fields.join(", "), group.len(), names(&all_functions)),
            None => format!("Every `{table}` document is read on each call of {} ({} places)", names(&all_functions), group.len()),
        },
    };
    let mut facts = Vec::new();
    let mut related = Vec::new();
    for scan in group {
        facts.push(format!("{} read `{table}` at {} ({})", names(&scan.site.functions), at(&scan.site.location), bound_text(&scan.site.bound)));
        if !std::ptr::eq(scan, first) {
            related.push(Related { label: format!("{} scans `{table}` here", names(&scan.site.functions)), location: scan.site.location.clone() });
        }
    }
    let grows = first.site.range.grows_with_table();
    let whole = first.kind == FindingKind::WholeTableRead;
    let mut advice = vec![match (grows, first.collected) {
        _ if whole => format!("Fine while `{table}` stays small (a list of settings, a catalog); but each call reads all of it, so its cost grows with the table, and it fails once that is more than {MAX_DOCUMENTS_SCANNED} documents or 16 MiB."),
        (true, true) => format!("Its cost grows with the table: every call reads every document of the range (those a filter drops count too), and fails once that is more than {MAX_DOCUMENTS_SCANNED} documents or 16 MiB."),
        (true, false) => format!("Its cost grows with the table: it reads documents until one passes the filter, all of them when none does, and fails past {MAX_DOCUMENTS_SCANNED} documents or 16 MiB read."),
        (false, _) => "It reads the key's documents that the filter drops too, and they count toward the transaction's limits; the index's range would skip them.".to_owned(),
    }];
    if grows && first.collected {
        for scan in group {
            advice.extend(consequences(analysis, scan.site, table, &mut facts, &mut related));
        }
    }
    advice.push(if whole {
        "If the table grows with use, read a page at a time (`.paginate()`, or `.take(n)` batches that schedule the next one), or keep what it computes (counts, totals) in a document or the aggregate component.".to_owned()
    } else if first.by_id && !first.collected {
        format!("Read the document by id instead: `ctx.db.get(\"{table}\", id)` (with `ctx.db.normalizeId(\"{table}\", id)` first when the id is a string).")
    } else {
        fix(first.suggestion, first.collected)
    });
    // How big the table gets is not in the code: reading all of it is a note.
    let severity = if whole { Severity::Info } else { Severity::Warning };
    let subjects = all_functions.into_iter().chain([table.to_owned()]).collect();
    Finding { kind: first.kind, severity, message, advice: advice.join(" "), location: Some(first.site.location.clone()), related, facts, subjects }
}

fn range_text(range: RangeKind) -> &'static str {
    match range {
        RangeKind::Constant => "a range keyed only by constants (the same for every call, growing with the table)",
        _ => "a range with no `.eq` (the whole table in the index's order)",
    }
}

fn bound_text(bound: &ReadBound) -> &'static str {
    match bound {
        ReadBound::Unbounded => "every document of the range",
        ReadBound::Limit { .. } | ReadBound::Unique { .. } => "until enough documents pass its filter",
        _ => "a bounded number of documents",
    }
}

/// What a read of a whole range costs others: the subscriptions each write of the table re-runs
/// (public queries only), and the writers whose commits make a mutation retry. Writes made only
/// on a first call's branch are left out: they are rare.
fn consequences(analysis: &Analysis, site: &ReadSite, table: &str, facts: &mut Vec<String>, related: &mut Vec<Related>) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut rerun_by: Vec<String> = Vec::new();
    let mut subscriptions: Vec<String> = Vec::new();
    for edge in analysis.analyses.reactivity.edges.iter().filter(|e| site.functions.contains(&e.query)) {
        for reason in edge.reasons.iter().filter(|r| !r.rare && r.effect == Effect::TableWide && r.read == site.location) {
            if !rerun_by.contains(&edge.mutation) {
                rerun_by.push(edge.mutation.clone());
                related.push(Related { label: format!("`{}` writes `{table}`", edge.mutation), location: reason.write.clone() });
                facts.push(format!("`{}` writes `{table}` at {}", edge.mutation, at(&reason.write)));
            }
            if !subscriptions.contains(&edge.query) {
                subscriptions.push(edge.query.clone());
            }
        }
    }
    if !rerun_by.is_empty() {
        sentences.push(format!("Each commit of {} writes `{table}`, so every client subscribed to {} re-runs it and reads the range again.", names(&rerun_by), names(&subscriptions)));
    }
    let mut retried_by: Vec<String> = Vec::new();
    for pair in analysis.analyses.conflicts.pairs.iter().filter(|p| site.functions.contains(&p.reader) && p.likelihood == Likelihood::Always && !p.rare && p.read == site.location) {
        if !retried_by.contains(&pair.writer) {
            retried_by.push(pair.writer.clone());
            if !rerun_by.contains(&pair.writer) {
                related.push(Related { label: format!("`{}` writes `{table}`", pair.writer), location: pair.write.clone() });
            }
        }
    }
    if !retried_by.is_empty() {
        let readers = distinct(analysis.analyses.conflicts.pairs.iter().filter(|p| retried_by.contains(&p.writer) && p.read == site.location).map(|p| p.reader.clone()));
        sentences.push(format!("A commit of {} while {} runs makes it retry (a write conflict), and it fails after repeated retries under load.", names(&retried_by), names(&readers)));
    }
    sentences
}

/// The change that bounds the read.
fn fix(suggestion: Option<&IndexSuggestion>, collected: bool) -> String {
    let bound = if collected { " and `.take(n)` or `.paginate()` what is shown" } else { "" };
    match suggestion {
        Some(s) if s.action == SuggestedAction::UseExisting => format!("Read through the index that serves it: `{}`{bound}.", s.query),
        Some(s) if s.action == SuggestedAction::EnableStaged => format!("Enable the staged index `{}` and read with `{}`{bound}.", s.name, s.query),
        Some(s) => format!("Add `{}` to `{}` and read with `{}`{bound}.", s.definition, s.table, s.query),
        None if collected => "Read a range keyed by what the caller needs (`.withIndex` with `.eq` on a key that varies), or bound it with `.take(n)` or `.paginate()`; keep totals in a document (or the aggregate component) instead of counting rows.".into(),
        None => "Give the filtered fields an index and read the range with `.withIndex`.".into(),
    }
}

/// Reads per document of a range that grows with its table (N+1 over a whole table), or per
/// element of a literal cap past what a transaction may read: one cause per loop. When the
/// loop walks a read that is already a finding, they are part of it.
pub(super) fn per_element(analysis: &Analysis, found: &mut Vec<Finding>) {
    // By the read the loop walks (or, when it walks no read, by place).
    let mut loops: Vec<(Option<&Location>, Vec<(&Location, &str, &str)>, Vec<String>)> = Vec::new();
    let in_use = in_normal_use(analysis);
    // A migration run by hand walks its table once; what runs in normal use pays on every call.
    for cost in analysis.analyses.costs.iter().filter(|c| in_use.contains(&c.function.as_str())) {
        for risk in &cost.risks {
            let CostRisk::PerElement { location, table, bound: LoopBound::Table | LoopBound::Literal(Some(_)), over, text } = risk else { continue };
            let key = over.as_ref().or(Some(location));
            let entry = match loops.iter_mut().position(|(k, _, _)| *k == key) {
                Some(i) => &mut loops[i],
                None => {
                    loops.push((key, Vec::new(), Vec::new()));
                    loops.last_mut().expect("just pushed")
                }
            };
            if !entry.1.iter().any(|(l, _, _)| *l == location) {
                entry.1.push((location, table.as_str(), text.as_str()));
            }
            if !entry.2.contains(&cost.function) {
                entry.2.push(cost.function.clone());
            }
        }
    }
    for (over, reads, functions) in loops {
        let tables = distinct(reads.iter().map(|(_, t, _)| format!("`{t}`")));
        let sentence = format!(
            "For each document, it reads {} again (each read is another index range, and a transaction fails past {}).",
            tables.join(", "),
            crate::analyses::costs::MAX_INDEX_RANGES
        );
        let places: Vec<Related> = reads.iter().map(|(l, t, _)| Related { label: format!("reads `{t}` per document"), location: (*l).clone() }).collect();
        let names_place = |f: &Finding, o: &Location| f.location.as_ref() == Some(o) || f.related.iter().any(|r| r.location == *o);
        let scan = over.and_then(|o| found.iter_mut().find(|f| matches!(f.kind, FindingKind::FullScan | FindingKind::WholeTableRead) && names_place(f, o)));
        if let Some(scan) = scan {
            scan.advice = format!("{} {sentence}", scan.advice);
            scan.related.extend(places);
            continue;
        }
        let (location, table, text) = reads[0];
        found.push(Finding {
            kind: FindingKind::PerElement,
            severity: Severity::Warning,
            message: format!("{} {text}", names(&functions)),
            advice: format!(
                "The loop runs once per element, so the reads grow with the collection: each `{table}` read is another index range and another round trip, and a transaction fails past {} ranges. Bound the loop well below that (`.take(n)`, `.paginate()`), or keep what it looks up in the documents it walks.",
                crate::analyses::costs::MAX_INDEX_RANGES
            ),
            location: Some(location.clone()),
            related: places.into_iter().skip(1).collect(),
            facts: reads.iter().map(|(l, t, _)| format!("{} read `{t}` at {} inside a loop", names(&functions), at(l))).collect(),
            subjects: functions.iter().cloned().chain(distinct(reads.iter().map(|(_, t, _)| (*t).to_owned()))).collect(),
        });
    }
}
