//! Index coverage: every place the functions read the database, by table, with the index that
//! serves it (a badge: by id, indexed, partly indexed, full scan, search, invalid, missing,
//! unknown) and how many documents it scans; each table's indexes with what uses them; and the
//! indexes that scans with a filter are missing. Everything comes from `analyses.coverage`.

use convex_lens_engine::analyses::coverage::{IndexSuggestion, IndexUsage, ReadBound, ReadSite, SiteStatus, SuggestedAction};
use convex_lens_views::text::{bound, bound_class, index_use, site_status, site_suggestion, suggestion_verb};
use convex_lens_engine::facts::TableRef;
use yew::prelude::*;

use super::{count, filter, matches, Model};
use crate::copy_button::CopyButton;
use crate::source_link::SourceLink;

#[function_component(Coverage)]
pub fn coverage(props: &Model) -> Html {
    let typed = use_state(String::new);
    let coverage = &props.analysis.analyses.coverage;
    if coverage.sites.is_empty() && coverage.indexes.is_empty() {
        return html! { <p class="empty">{ "No database reads: no function reads ctx.db." }</p> };
    }
    let table_of = |site: &ReadSite| site.table.name().unwrap_or("?").to_owned();
    let mut tables: Vec<String> = coverage.sites.iter().map(table_of).chain(coverage.indexes.iter().map(|i| i.table.clone())).collect();
    tables.sort();
    tables.dedup();
    let shown: Vec<&String> = tables.iter().filter(|t| matches(&typed, t)).collect();
    html! {
        <>
            { summary(&coverage.sites) }
            { filter("Filter tables", &typed, shown.len(), tables.len()) }
            if !coverage.missing.is_empty() {
                <section class="missing-indexes" aria-label="Missing indexes">
                    <h3>{ "Missing indexes" }</h3>
                    <ul>
                        { for coverage.missing.iter().map(|m| html! {
                            <li data-table={m.suggestion.table.clone()}>
                                <code class="table-name">{ &m.suggestion.table }</code>
                                <code class="definition">{ &m.suggestion.definition }</code>
                                <CopyButton text={m.suggestion.definition.clone()} what="the index definition" />
                                <span class="note">{ format!(" for {}", count(m.sites.len(), "read", "reads")) }</span>
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <div class="coverage">
                { for shown.into_iter().map(|table| table_section(table, &coverage.sites, &coverage.indexes)) }
            </div>
        </>
    }
}

/// How many reads are served by an index, scan whole tables, or are unbounded.
fn summary(sites: &[ReadSite]) -> Html {
    let of = |f: fn(&ReadSite) -> bool| sites.iter().filter(|s| f(s)).count();
    let indexed = of(|s| matches!(s.status, SiteStatus::Point | SiteStatus::Indexed { .. } | SiteStatus::Search { .. }));
    let partial = of(|s| matches!(s.status, SiteStatus::PartiallyIndexed { .. }));
    let scans = of(|s| matches!(s.status, SiteStatus::FullScan { .. }));
    let unbounded = of(|s| s.bound == ReadBound::Unbounded);
    html! {
        <p class="coverage-summary">
            { format!("{}: {indexed} served by an index or by id, {partial} filtered after an index, {}; {unbounded} unbounded.", count(sites.len(), "read", "reads"), count(scans, "full table scan", "full table scans")) }
        </p>
    }
}

fn table_section(table: &str, sites: &[ReadSite], indexes: &[IndexUsage]) -> Html {
    let reads: Vec<&ReadSite> = sites.iter().filter(|s| s.table.name().unwrap_or("?") == table).collect();
    let own: Vec<&IndexUsage> = indexes.iter().filter(|i| i.table == table).collect();
    html! {
        <details class="coverage-table" data-table={table.to_owned()} open=true>
            <summary>
                <code class="table-name">{ table }</code>
                <span class="module-count">{ format!("{} · {}", count(reads.len(), "read", "reads"), count(own.len(), "index", "indexes")) }</span>
            </summary>
            if !reads.is_empty() {
                <ul class="sites">{ for reads.iter().map(|s| site_row(s)) }</ul>
            }
            if !own.is_empty() {
                <ul class="index-usage">{ for own.iter().map(|i| index_item(i)) }</ul>
            }
        </details>
    }
}

fn site_row(site: &ReadSite) -> Html {
    let (badge, class, detail) = site_status(site);
    let suggestion = site_suggestion(site);
    let unknown_table = match &site.table {
        TableRef::Unknown { unknown } => Some(unknown.clone()),
        TableRef::Name(_) => None,
    };
    html! {
        <li class={classes!("site", class)} data-status={class}>
            <div class="site-head">
                <span class={classes!("badge", "coverage", class)}>{ badge }</span>
                <span class="site-detail">{ detail }</span>
                <span class={classes!("bound", bound_class(&site.bound))}>{ bound(&site.bound) }</span>
                if site.in_loop { <span class="badge per-element" title="runs once per element of a collection">{ "per element" }</span> }
            </div>
            if let Some(reason) = unknown_table { <p class="note">{ reason }</p> }
            if let Some(s) = suggestion { { suggestion_view(s) } }
            <div class="site-meta">
                <SourceLink location={site.location.clone()} label={format!("{}:{}", site.location.file, site.location.line)} />
                <span class="site-functions">{ format!("in {}", site.functions.join(", ")) }</span>
            </div>
        </li>
    }
}

fn suggestion_view(suggestion: &IndexSuggestion) -> Html {
    let verb = suggestion_verb(suggestion);
    html! {
        <div class="suggestion">
            <span class="note">{ verb }</span>
            if suggestion.action == SuggestedAction::Add {
                <span class="copyable">
                    <code>{ &suggestion.definition }</code>
                    <CopyButton text={suggestion.definition.clone()} what="the index definition" />
                </span>
            }
            <span class="copyable">
                <code>{ &suggestion.query }</code>
                <CopyButton text={suggestion.query.clone()} what="the rewritten query" />
            </span>
        </div>
    }
}

fn index_item(index: &IndexUsage) -> Html {
    let (label, class) = index_use(index);
    // The same badge as the Tables tab's: `index`, `search` or `vector`.
    let kind = if index.kind == "db" { "index" } else { index.kind.as_str() };
    html! {
        <li class={classes!("index-use", class)} data-index={index.index.clone()}>
            <span class={classes!("badge", kind.to_owned())}>{ kind }</span>
            if index.staged { <span class="badge staged">{ "staged" }</span> }
            <code class="index-name">{ &index.index }</code>
            <span class="index-fields">{ index.fields.join(", ") }</span>
            <span class={classes!("index-status", class)}>{ label }</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn site(line: usize, status: serde_json::Value, bound: serde_json::Value, in_loop: bool) -> serde_json::Value {
        json!({ "location": location("convex/messages.ts", line, 5), "table": "messages", "functions": ["messages:list"],
            "status": status, "bound": bound, "range": "keyed", "inLoop": in_loop })
    }

    fn model() -> std::rc::Rc<convex_lens_engine::Analysis> {
        let suggestion = json!({ "table": "messages", "name": "by_author", "fields": ["author"],
            "definition": ".index(\"by_author\", [\"author\"])", "query": ".withIndex(\"by_author\", (q) => q.eq(\"author\", args.author))", "action": "add" });
        analysis(json!({ "analyses": { "coverage": {
            "sites": [
                site(3, json!({ "type": "indexed", "index": "by_channel", "eq": ["channel"], "range": null }), json!({ "type": "limit", "n": 50.0, "filtered": false }), false),
                site(9, json!({ "type": "fullScan", "filtered": ["author"], "suggestion": suggestion }), json!({ "type": "unbounded" }), false),
                site(12, json!({ "type": "point" }), json!({ "type": "one" }), true),
            ],
            "indexes": [
                { "table": "messages", "index": "by_channel", "kind": "db", "fields": ["channel"], "staged": false,
                  "sites": [location("convex/messages.ts", 3, 5)], "status": { "type": "used" } },
                { "table": "messages", "index": "by_day", "kind": "db", "fields": ["day"], "staged": false, "sites": [],
                  "status": { "type": "unused", "unresolved": 0 } },
            ],
            "missing": [{ "suggestion": suggestion, "sites": [location("convex/messages.ts", 9, 5)] }],
        }}}))
    }

    #[wasm_bindgen_test]
    async fn each_read_has_a_badge_for_how_an_index_serves_it_and_what_it_scans() {
        let root = render::<Coverage>(Model { analysis: model() }).await;
        assert_eq!(texts(&root, ".site .badge.coverage"), ["indexed", "full scan", "by id"]);
        assert_eq!(texts(&root, ".site .bound"), ["at most 50", "unbounded", "1 document"]);
        assert_eq!(texts(&root, ".site .badge.per-element"), ["per element"]);
        assert_eq!(texts(&root, ".site .suggestion code"), [".index(\"by_author\", [\"author\"])", ".withIndex(\"by_author\", (q) => q.eq(\"author\", args.author))"]);
        assert_eq!(texts(&root, ".index-use .index-status"), ["serves 1 read", "unused"]);
        // Labelled as the Tables tab labels them, and coloured by the same rule.
        assert_eq!(texts(&root, ".index-use .badge.index"), ["index", "index"]);
        assert_eq!(texts(&root, ".missing-indexes .definition"), [".index(\"by_author\", [\"author\"])"]);
        // The suggestion can be copied, and the button says it was.
        let copy: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root.query_selector(".missing-indexes .copy").unwrap().unwrap());
        assert_eq!(copy.text_content().as_deref(), Some("Copy"));
        copy.click();
        yew::scheduler::flush().await;
        assert_eq!(copy.text_content().as_deref(), Some("Copied"));
        assert_eq!(texts(&root, ".coverage-summary"), ["3 reads: 2 served by an index or by id, 0 filtered after an index, 1 full table scan; 1 unbounded."]);
    }
}
