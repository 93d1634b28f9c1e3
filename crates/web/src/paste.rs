//! Paste a single file: a text area for the code and the file's path, proposed from the code
//! (a schema, the HTTP router, the cron jobs, or a module named after the first table it uses)
//! and checked like a typed path. A path that exists replaces that file, and says so.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::workspace::{check_path, Workspace, WorkspaceAction};

/// Files Convex gives a fixed name: the code that calls these can only live there.
const FIXED: [(&str, &str); 3] = [("defineSchema", "convex/schema.ts"), ("httpRouter", "convex/http.ts"), ("cronJobs", "convex/crons.ts")];

/// The path proposed for pasted code: the fixed file its code defines, else
/// `convex/<first table it queries or inserts into>.ts`, else `convex/pasted.ts`, numbered
/// (`convex/messages2.ts`) when `exists` says the path is taken.
pub fn propose_path(text: &str, exists: impl Fn(&str) -> bool) -> String {
    if let Some((_, path)) = FIXED.iter().find(|(call, _)| text.contains(&format!("{call}("))) {
        return path.to_string();
    }
    let name = first_table(text).unwrap_or("pasted");
    let numbered = |n: usize| if n == 1 { format!("convex/{name}.ts") } else { format!("convex/{name}{n}.ts") };
    (1..).map(numbered).find(|path| !exists(path)).expect("some number is free")
}

/// The first table named in `.query("…")` or `.insert("…"` that can be a file name.
fn first_table(text: &str) -> Option<&str> {
    let quoted_after = |call: &str| {
        text.match_indices(call).filter_map(|(at, _)| {
            let rest = text[at + call.len()..].trim_start();
            let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
            let name = rest[1..].split(quote).next()?;
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some((at, name))
        }).next()
    };
    let found = [quoted_after(".query("), quoted_after(".insert(")];
    found.into_iter().flatten().min_by_key(|(at, _)| *at).map(|(_, name)| name)
}

#[derive(Properties, PartialEq)]
pub struct PasteProps {
    pub on_close: Callback<()>,
}

/// The paste panel: code first, then its path (proposed until the user edits it). Escape, for
/// every panel of the toolbar, closes it.
#[function_component(Paste)]
pub fn paste(props: &PasteProps) -> Html {
    let workspace = use_context::<UseReducerHandle<Workspace>>().expect("the paste panel is inside the workspace provider");
    let text = use_state(String::new);
    let typed_path = use_state(|| None::<String>);
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with((), move |_| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let _ = area.focus();
            }
        });
    }
    let path = (*typed_path).clone().unwrap_or_else(|| propose_path(&text, |p| workspace.file(p).is_some()));
    let checked = check_path(&path);
    let replaces = checked.as_ref().ok().is_some_and(|p| workspace.file(p).is_some());
    let on_text = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| text.set(event.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_path = {
        let typed_path = typed_path.clone();
        Callback::from(move |event: InputEvent| typed_path.set(Some(event.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let onsubmit = {
        let (workspace, text, checked, on_close) = (workspace.clone(), text.clone(), checked.clone(), props.on_close.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Ok(path) = checked.clone() else { return };
            workspace.dispatch(WorkspaceAction::Put { files: vec![(path.clone(), (*text).clone())] });
            workspace.dispatch(WorkspaceAction::Reveal { path: path.into(), line: 1, column: 1 });
            on_close.emit(());
        })
    };
    let submit = match &checked {
        Ok(path) if replaces => format!("Replace {path}"),
        _ => "Add file".to_owned(),
    };
    html! {
        <form class="paste panel" aria-label="Paste a file" {onsubmit}>
            <label class="paste-label" for="paste-text">{ "Paste the code of one file" }</label>
            <textarea ref={area} id="paste-text" class="paste-text" rows="10" spellcheck="false"
                placeholder="export const list = query({ … })" value={(*text).clone()} oninput={on_text} />
            <label class="paste-label" for="paste-path">{ "Path" }</label>
            <input id="paste-path" class="paste-path" type="text" spellcheck="false" autocomplete="off" value={path.clone()} oninput={on_path}
                aria-invalid={checked.is_err().then_some("true")} aria-describedby={checked.is_err().then_some("paste-error")} />
            if let Err(refusal) = &checked {
                <p class="path-error" id="paste-error" role="alert">{ refusal.to_string() }</p>
            } else if replaces {
                <p class="paste-replaces">{ format!("{path} exists: its text will be replaced.") }</p>
            }
            <span class="panel-actions">
                <button type="submit" class="primary paste-add" disabled={checked.is_err() || text.is_empty()}>{ submit }</button>
                <button type="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </span>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn proposed(text: &str) -> String {
        propose_path(text, |_| false)
    }

    #[wasm_bindgen_test]
    fn the_path_follows_what_the_code_defines() {
        assert_eq!(proposed("export default defineSchema({ a: defineTable({}) });"), "convex/schema.ts");
        assert_eq!(proposed("const http = httpRouter();\nexport default http;"), "convex/http.ts");
        assert_eq!(proposed("const crons = cronJobs();"), "convex/crons.ts");
        let module = "export const list = query({ handler: (ctx) => ctx.db.query(\"messages\").collect() });\nawait ctx.db.insert('users', {});";
        assert_eq!(proposed(module), "convex/messages.ts");
        assert_eq!(proposed("await ctx.db.insert(\n  'users', {})"), "convex/users.ts");
        assert_eq!(proposed("export const a = 1;"), "convex/pasted.ts");
        // A table name that is not a plain name does not become a path.
        assert_eq!(proposed("ctx.db.query(\"../etc\")"), "convex/pasted.ts");
    }

    #[wasm_bindgen_test]
    fn a_taken_module_path_is_numbered_but_a_fixed_file_is_not() {
        let taken = |path: &str| ["convex/messages.ts", "convex/messages2.ts", "convex/schema.ts"].contains(&path);
        assert_eq!(propose_path("ctx.db.query('messages')", taken), "convex/messages3.ts");
        assert_eq!(propose_path("defineSchema({})", taken), "convex/schema.ts");
    }
}
