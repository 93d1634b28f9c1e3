//! The engine's findings and what it could not verify, as the overview lists them. Nothing here
//! judges code: every line is one item of `Analysis::findings` or `Analysis::unverified`.

use convex_lens_engine::findings::{Finding, Unverified};
use convex_lens_engine::Location;
use yew::prelude::*;

use crate::source_link::SourceLink;

/// One finding: its severity, what happens and where; then, on demand, how it behaves at scale
/// and how to fix it, the other places it involves, and the facts it rests on.
pub fn finding_item(finding: &Finding) -> Html {
    let severity = finding.severity.as_str();
    let label = convex_lens_views::text::severity_label(finding.severity);
    html! {
        <li class={classes!("finding", severity)} data-kind={finding.kind.as_str()}>
            <span class={classes!("badge", "severity", severity)}>{ label }</span>
            <span class="finding-text">{ with_code(&finding.message) }</span>
            if let Some(location) = &finding.location {
                { place(location) }
            }
            if !finding.advice.is_empty() || !finding.related.is_empty() {
                <details class="finding-details">
                    <summary>{ "Why it matters and how to fix it" }</summary>
                    if !finding.advice.is_empty() { <p class="advice">{ with_code(&finding.advice) }</p> }
                    if !finding.related.is_empty() {
                        <ul class="related" aria-label="Other places">
                            { for finding.related.iter().map(|related| html! {
                                <li>
                                    <span class="related-label">{ with_code(&related.label) }</span>
                                    { place(&related.location) }
                                </li>
                            }) }
                        </ul>
                    }
                    if !finding.facts.is_empty() {
                        <details class="facts">
                            <summary>{ "The facts it rests on" }</summary>
                            <ul>{ for finding.facts.iter().map(|fact| html! { <li>{ with_code(fact) }</li> }) }</ul>
                        </details>
                    }
                </details>
            }
        </li>
    }
}

/// One cause convex-lens could not see through: one line, with the exports it leaves unknown
/// and the conclusions it holds back, listed on demand.
pub fn unverified_item(group: &Unverified) -> Html {
    let counts = convex_lens_views::text::unverified_counts(group);
    html! {
        <li class="unverified-group">
            <details>
                <summary>
                    <span class="cause">{ with_code(&group.cause) }</span>
                    <span class="unverified-counts">{ counts.join(" · ") }</span>
                </summary>
                <ul class="held">
                    { for group.held.iter().map(|held| html! {
                        <li class="held-item" data-kind={held.kind.as_str()}>
                            <span class="held-text">{ with_code(&held.message) }</span>
                            if let Some(location) = &held.location {
                                { place(location) }
                            }
                        </li>
                    }) }
                </ul>
                if let Some(location) = &group.location {
                    <p class="cause-place">{ "First met at " }
                        { place(location) }
                    </p>
                }
            </details>
        </li>
    }
}

/// A place as `file:line`, opening the code there.
fn place(location: &Location) -> Html {
    html! { <SourceLink class="place" location={location.clone()} label={format!("{}:{}", location.file, location.line)} /> }
}

/// A text with its `quoted` names as code (text nodes, like every name).
pub fn with_code(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| match i % 2 {
            0 => html! { { part } },
            _ => html! { <code>{ part }</code> },
        }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[derive(Properties, PartialEq)]
    struct Props {
        findings: Vec<Finding>,
        unverified: Vec<Unverified>,
    }

    #[function_component(List)]
    fn list(props: &Props) -> Html {
        html! {
            <>
                <ol>{ for props.findings.iter().map(finding_item) }</ol>
                <ul>{ for props.unverified.iter().map(unverified_item) }</ul>
            </>
        }
    }

    #[wasm_bindgen_test]
    async fn a_finding_shows_its_advice_places_and_facts_and_a_cause_its_held_conclusions() {
        let finding: Finding = serde_json::from_value(json!({
            "kind": "full-scan", "severity": "warning", "message": "`a:list` reads every `messages` document",
            "advice": "Add `by_channel`.", "location": location("convex/a.ts", 3, 5),
            "related": [{ "label": "`a:send` writes `messages`", "location": location("convex/a.ts", 9, 5) }],
            "facts": ["`a:list` reads `messages` at convex/a.ts:3"],
        }))
        .unwrap();
        let group: Unverified = serde_json::from_value(json!({
            "cause": "`crud` from \"convex-crud-kit\"", "exports": 5, "values": 0, "location": location("convex/users.ts", 2, 1),
            "held": [{ "kind": "broken-call", "message": "whether `a:b` → `users:read` (runQuery) can run", "location": location("convex/a.ts", 7, 3) }],
        }))
        .unwrap();
        let root = render::<List>(Props { findings: vec![finding], unverified: vec![group] }).await;
        assert_eq!(texts(&root, ".finding .finding-text code"), ["a:list", "messages"]);
        assert_eq!(texts(&root, ".finding > .place"), ["convex/a.ts:3"]);
        assert_eq!(texts(&root, ".advice"), ["Add by_channel."]);
        assert_eq!(texts(&root, ".related .place"), ["convex/a.ts:9"]);
        assert_eq!(texts(&root, ".facts li"), ["a:list reads messages at convex/a.ts:3"]);
        assert_eq!(texts(&root, ".unverified-counts"), ["5 exports unknown · 1 conclusion held back"]);
        assert_eq!(texts(&root, ".held-item .place"), ["convex/a.ts:7"]);
    }
}
