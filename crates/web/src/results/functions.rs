//! The function registry, grouped by module: each function's kind, visibility and runtime, its
//! args and returns as Convex validates them, and, for the parts the engine could not evaluate,
//! that they are unknown and why.

use convex_lens_engine::validator::Validator;
use convex_lens_engine::{FunctionKind, FunctionSpec, Runtime};
use yew::prelude::*;

use super::{field_list, filter, matches, Model};
use crate::source_link::SourceLink;

#[function_component(Functions)]
pub fn functions(props: &Model) -> Html {
    let typed = use_state(String::new);
    let all = &props.analysis.functions;
    if all.is_empty() {
        let dir = &props.analysis.functions_dir;
        return html! { <p class="empty">{ format!("No functions: export a query, mutation or action from a file in {dir}/.") }</p> };
    }
    let shown: Vec<&FunctionSpec> = all.iter().filter(|f| matches(&typed, &f.path)).collect();
    html! {
        <>
            { filter("Filter functions", &typed, shown.len(), all.len()) }
            <div class="modules">
                { for modules(&shown).into_iter().map(|(module, functions)| module_section(module, &functions)) }
            </div>
        </>
    }
}

/// `dir/file` and `export` of `dir/file:export`.
fn split_path(path: &str) -> (&str, &str) {
    path.rsplit_once(':').unwrap_or((path, "default"))
}

/// The functions by module, in the engine's order.
fn modules<'a>(functions: &[&'a FunctionSpec]) -> Vec<(&'a str, Vec<&'a FunctionSpec>)> {
    let mut modules: Vec<(&str, Vec<&FunctionSpec>)> = Vec::new();
    for function in functions {
        let (module, _) = split_path(&function.path);
        match modules.iter_mut().find(|(m, _)| *m == module) {
            Some((_, list)) => list.push(function),
            None => modules.push((module, vec![function])),
        }
    }
    modules
}

fn module_section(module: &str, functions: &[&FunctionSpec]) -> Html {
    let file = functions.first().map(|f| f.location.file.clone()).unwrap_or_default();
    let count = super::count(functions.len(), "function", "functions");
    html! {
        <details class="module" data-module={module.to_owned()} open=true>
            <summary>
                <code class="module-path">{ module }</code>
                <span class="module-file">{ file }</span>
                <span class="module-count">{ count }</span>
            </summary>
            <ul class="functions">
                { for functions.iter().map(|f| function_item(f)) }
            </ul>
        </details>
    }
}

fn function_item(function: &FunctionSpec) -> Html {
    let (_, name) = split_path(&function.path);
    let kind = crate::serde_name(&function.kind);
    let visibility = function.visibility.map(|v| crate::serde_name(&v));
    let http = function.kind == FunctionKind::HttpAction;
    let unknown = |part: &str| function.unknown.iter().any(|u| u.part == part);
    html! {
        <li class="function" data-function={function.path.clone()}>
            <div class="function-head">
                <SourceLink class="function-name" location={function.location.clone()} label={name.to_owned()} />
                <span class={classes!("badge", "kind", kind.clone())}>{ kind }</span>
                if let Some(visibility) = visibility {
                    <span class={classes!("badge", "visibility", visibility.clone())}>{ visibility }</span>
                }
                if function.runtime == Runtime::Node {
                    <span class="badge runtime node" title="runs in Node.js (\"use node\")">{ "node" }</span>
                }
            </div>
            if http {
                <p class="note">{ "HTTP action: reached through the routes of http.ts, with a Request and no validated args." }</p>
            } else {
                <dl class="signature">
                    <dt>{ "args" }</dt>
                    <dd class="args">{ args_view(function.args.as_ref(), unknown("args")) }</dd>
                    <dt>{ "returns" }</dt>
                    <dd class="returns">{ returns_view(function.returns.as_ref(), unknown("returns")) }</dd>
                </dl>
            }
            { unknown_reasons(function) }
        </li>
    }
}

fn unknown_value() -> Html {
    html! { <span class="unknown" title="could not be evaluated without running the code">{ "unknown" }</span> }
}

/// `any`: Convex does not check the value.
fn unvalidated(what: &str) -> Html {
    html! { <><code class="type unvalidated">{ "any" }</code><span class="note">{ format!(" {what}") }</span></> }
}

fn args_view(args: Option<&Validator>, unknown: bool) -> Html {
    match args {
        _ if unknown => unknown_value(),
        None => html! { <span class="note">{ "none" }</span> },
        Some(Validator::Any) => unvalidated("(no args validator: not validated)"),
        Some(Validator::Object(fields)) if fields.is_empty() => html! { <code class="type">{ "{}" }</code> },
        Some(Validator::Object(fields)) => field_list(fields),
        Some(other) => html! { <code class="type">{ other.describe() }</code> },
    }
}

fn returns_view(returns: Option<&Validator>, unknown: bool) -> Html {
    match returns {
        _ if unknown => unknown_value(),
        None => html! { <span class="note">{ "not declared (not validated)" }</span> },
        Some(Validator::Any) => unvalidated("(not validated)"),
        Some(other) => html! { <code class="type">{ other.describe() }</code> },
    }
}

/// Why parts of the function are unknown, as the engine says.
fn unknown_reasons(function: &FunctionSpec) -> Html {
    if function.unknown.is_empty() {
        return html! {};
    }
    html! {
        <ul class="unknown-reasons" aria-label={format!("Why parts of {} are unknown", function.path)}>
            { for function.unknown.iter().map(|u| html! { <li>{ &u.reason }</li> }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::{json, Value};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn function(path: &str, kind: &str, visibility: Option<&str>, args: Value, returns: Value) -> Value {
        let file = format!("convex/{}.ts", path.split(':').next().unwrap());
        json!({
            "path": path, "kind": kind, "visibility": visibility, "runtime": "isolate",
            "args": args, "returns": returns, "location": location(&file, 3, 1), "handler": null,
        })
    }

    fn object(fields: Value) -> Value {
        json!({ "type": "object", "value": fields })
    }

    fn field(validator: Value, optional: bool) -> Value {
        json!({ "fieldType": validator, "optional": optional })
    }

    #[wasm_bindgen_test]
    async fn functions_are_grouped_by_module_with_kind_visibility_and_args() {
        let functions = json!([
            function("messages:list", "query", Some("public"),
                object(json!({ "channel": field(json!({ "type": "id", "tableName": "channels" }), false), "limit": field(json!({ "type": "number" }), true) })),
                json!({ "type": "array", "value": { "type": "string" } })),
            function("messages:purge", "mutation", Some("internal"), json!({ "type": "any" }), Value::Null),
            function("users:avatar", "action", Some("internal"), object(json!({})), json!({ "type": "any" })),
        ]);
        let mut users = functions.clone();
        users[2]["runtime"] = json!("node");
        let root = render::<Functions>(Model { analysis: analysis(json!({ "functions": users })) }).await;
        assert_eq!(texts(&root, ".module-path"), ["messages", "users"]);
        assert_eq!(texts(&root, "[data-module='messages'] .function-name"), ["list", "purge"]);
        assert_eq!(texts(&root, "[data-function='messages:list'] .badge"), ["query", "public"]);
        assert_eq!(texts(&root, "[data-function='messages:purge'] .badge"), ["mutation", "internal"]);
        assert_eq!(texts(&root, "[data-function='users:avatar'] .badge"), ["action", "internal", "node"]);
        assert_eq!(texts(&root, "[data-function='messages:list'] .args .field-name"), ["channel", "limit?"]);
        assert_eq!(texts(&root, "[data-function='messages:list'] .args .field-type"), ["Id<\"channels\">", "number"]);
        assert_eq!(texts(&root, "[data-function='messages:list'] .returns"), ["string[]"]);
        // No args validator reads as not validated, no returns validator as not declared, and
        // `args: {}` as the empty object it is.
        assert!(texts(&root, "[data-function='messages:purge'] .args")[0].starts_with("any"));
        assert!(texts(&root, "[data-function='messages:purge'] .returns")[0].contains("not declared"));
        assert_eq!(texts(&root, "[data-function='users:avatar'] .args"), ["{}"]);
        assert!(texts(&root, "[data-function='users:avatar'] .returns .unvalidated").len() == 1);
        assert!(texts(&root, ".unknown").is_empty());
    }

    #[wasm_bindgen_test]
    async fn unknown_parts_are_shown_as_unknown_with_the_reasons() {
        let mut list = function("notes:list", "query", Some("public"), Value::Null, Value::Null);
        let reason = "the args of `notes:list` are not known statically: field `note` is left out: `vNote` is imported from the package \"@acme/notes\", whose source is not among the files analysed";
        list["unknown"] = json!([{ "part": "args", "reason": reason }]);
        let root = render::<Functions>(Model { analysis: analysis(json!({ "functions": [list] })) }).await;
        assert_eq!(texts(&root, "[data-function='notes:list'] .args"), ["unknown"]);
        assert!(texts(&root, "[data-function='notes:list'] .returns")[0].contains("not declared"));
        let reasons = texts(&root, "[data-function='notes:list'] .unknown-reasons li");
        assert_eq!(reasons, [reason]);
    }

    #[wasm_bindgen_test]
    async fn http_actions_have_no_visibility_or_args() {
        let handler = function("webhooks:post", "httpAction", None, Value::Null, Value::Null);
        let root = render::<Functions>(Model { analysis: analysis(json!({ "functions": [handler] })) }).await;
        assert_eq!(texts(&root, "[data-function='webhooks:post'] .badge"), ["httpAction"]);
        assert!(root.query_selector(".signature").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn the_filter_keeps_the_functions_whose_path_matches() {
        let functions = json!([
            function("messages:list", "query", Some("public"), object(json!({})), Value::Null),
            function("users:get", "query", Some("internal"), object(json!({})), Value::Null),
        ]);
        let root = render::<Functions>(Model { analysis: analysis(json!({ "functions": functions })) }).await;
        let input: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(root.query_selector("input[type='search']").unwrap().unwrap());
        input.set_value("USERS");
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        yew::scheduler::flush().await;
        assert_eq!(texts(&root, ".function"), texts(&root, "[data-function='users:get']"));
        assert_eq!(texts(&root, ".filter-count"), ["1 of 2"]);
    }
}
