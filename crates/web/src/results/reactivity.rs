//! Re-runs: for each mutation, the queries whose subscriptions a commit of it re-runs, and for
//! each query, the mutations that re-run it; each marked keyed (only the subscriptions whose key
//! is the written document's) or every subscription, with the engine's reasons.

use convex_lens_engine::analyses::reactivity::{Effect, Invalidation};
use yew::prelude::*;

use super::{filter, matches, Model};

#[derive(Clone, Copy, PartialEq)]
enum Side {
    ByMutation,
    ByQuery,
}

#[function_component(Reactivity)]
pub fn reactivity(props: &Model) -> Html {
    let side = use_state(|| Side::ByMutation);
    let typed = use_state(String::new);
    let edges = &props.analysis.analyses.reactivity.edges;
    if edges.is_empty() {
        return html! { <p class="empty">{ "No mutation writes what a query reads: no subscription re-runs." }</p> };
    }
    let key = |edge: &Invalidation| match *side {
        Side::ByMutation => edge.mutation.clone(),
        Side::ByQuery => edge.query.clone(),
    };
    let mut groups: Vec<String> = edges.iter().map(key).collect();
    groups.sort();
    groups.dedup();
    let shown: Vec<&String> = groups.iter().filter(|g| matches(&typed, g)).collect();
    let choice = |value: Side, label: &'static str| {
        let side = side.clone();
        let pressed = *side == value;
        html! {
            <button type="button" class={classes!("toggle", pressed.then_some("selected"))} aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_: MouseEvent| side.set(value))}>{ label }</button>
        }
    };
    html! {
        <>
            <div class="toggles" role="group" aria-label="Group re-runs">
                { choice(Side::ByMutation, "By mutation") }
                { choice(Side::ByQuery, "By query") }
            </div>
            { filter(if *side == Side::ByMutation { "Filter mutations" } else { "Filter queries" }, &typed, shown.len(), groups.len()) }
            <ul class="reruns">
                { for shown.into_iter().map(|group| group_item(group, edges, *side)) }
            </ul>
        </>
    }
}

fn group_item(group: &str, edges: &[Invalidation], side: Side) -> Html {
    let own: Vec<&Invalidation> = edges
        .iter()
        .filter(|e| match side {
            Side::ByMutation => e.mutation == group,
            Side::ByQuery => e.query == group,
        })
        .collect();
    let wide = own.iter().filter(|e| e.effect == Effect::TableWide).count();
    let (heading, verb) = match side {
        Side::ByMutation => ("re-runs", "a commit re-runs"),
        Side::ByQuery => ("re-run by", "subscriptions re-run when these commit"),
    };
    html! {
        <li class="rerun-group" data-function={group.to_owned()}>
            <details open={own.len() <= 6}>
                <summary>
                    <code class="function-name">{ group }</code>
                    <span class="note">{ format!(" {heading} {} ({wide} every subscription)", own.len()) }</span>
                </summary>
                <p class="note">{ verb }</p>
                <ul class="rerun-edges">
                    { for own.iter().map(|edge| {
                        let other = match side { Side::ByMutation => &edge.query, Side::ByQuery => &edge.mutation };
                        let (label, class) = match edge.effect {
                            Effect::Keyed => ("keyed", "keyed"),
                            Effect::TableWide => ("every subscription", "wide"),
                        };
                        html! {
                            <li class={classes!("rerun", class)} data-other={other.clone()}>
                                <code class="function-name">{ other }</code>
                                <span class={classes!("badge", "effect", class)}>{ label }</span>
                                <span class="note">{ format!(" on {}", edge.tables.join(", ")) }</span>
                                <ul class="reasons">
                                    { for edge.reasons.iter().map(|r| html! { <li>{ &r.text }</li> }) }
                                </ul>
                            </li>
                        }
                    }) }
                </ul>
            </details>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn edge(mutation: &str, query: &str, effect: &str) -> serde_json::Value {
        json!({ "mutation": mutation, "query": query, "effect": effect, "tables": ["messages"],
            "reasons": [{ "effect": effect, "table": "messages", "text": format!("{mutation} writes messages"),
                "write": location("convex/messages.ts", 3, 5), "read": location("convex/messages.ts", 9, 5) }] })
    }

    #[wasm_bindgen_test]
    async fn re_runs_are_listed_per_mutation_and_per_query_with_how_widely() {
        let model = analysis(json!({ "analyses": { "reactivity": { "edges": [
            edge("messages:send", "messages:list", "keyed"),
            edge("messages:send", "channels:list", "tableWide"),
            edge("channels:rename", "channels:list", "tableWide"),
        ]}}}));
        let root = render::<Reactivity>(Model { analysis: model }).await;
        assert_eq!(texts(&root, ".rerun-group > details > summary .function-name"), ["channels:rename", "messages:send"]);
        assert_eq!(texts(&root, "[data-function='messages:send'] .rerun .badge"), ["keyed", "every subscription"]);
        let by_query: web_sys::HtmlElement = root.query_selector(".toggle:nth-child(2)").unwrap().unwrap().unchecked_into();
        by_query.click();
        yew::scheduler::flush().await;
        assert_eq!(texts(&root, ".rerun-group > details > summary .function-name"), ["channels:list", "messages:list"]);
        assert_eq!(texts(&root, "[data-function='channels:list'] .rerun .function-name"), ["messages:send", "channels:rename"]);
        assert_eq!(texts(&root, "[data-function='channels:list'] .reasons li"), ["messages:send writes messages", "channels:rename writes messages"]);
    }
}
