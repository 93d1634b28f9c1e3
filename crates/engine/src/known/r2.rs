//! `@convex-dev/r2` 0.10.2 (`src/client/index.ts`): `new R2(component)`, whose methods call the
//! component, and `r2.clientApi(opts)`, which registers the upload and metadata functions an app
//! exports. Their arguments and returns are the package's (`data/r2-api.json`, printed by the
//! ground-truth harness); each runs the app's checks and hooks given in `opts` before it calls
//! the component.

use super::Outcome;
use crate::builders::entry;
use crate::eval::{Evaluator, Value};
use crate::values::{ClientDef, LibraryEffect, Span};

pub(super) const LIBRARY: &str = "@convex-dev/r2";

const API: &str = include_str!("data/r2-api.json");

pub(super) fn call_method(evaluator: &mut Evaluator, client: &ClientDef, method: &str, args: Vec<crate::values::Arg>, span: Span) -> Option<Outcome> {
    if method != "clientApi" {
        return None;
    }
    let options = match args.into_iter().next().map(|a| a.value) {
        Some(Value::Object(entries)) => entries,
        _ => Vec::new(),
    };
    // The app's checks and hooks each function runs, in its order.
    let hooks = |name: &str| -> &'static [&'static str] {
        match name {
            "generateUploadUrl" => &["checkUpload"],
            "syncMetadata" => &["checkUpload", "onUpload"],
            "onSyncMetadata" => &["onSyncMetadata"],
            "getMetadata" => &["checkReadKey"],
            "listMetadata" => &["checkReadBucket"],
            "deleteObject" => &["checkDelete", "onDelete"],
            _ => &[],
        }
    };
    let component = client.component.clone();
    let effects = |name: &str| {
        let mut effects: Vec<LibraryEffect> = hooks(name)
            .iter()
            .filter_map(|hook| match entry(&options, hook) {
                Some(Value::Closure(closure)) => Some(LibraryEffect::Callback(*closure)),
                _ => None,
            })
            .collect();
        let read = match name {
            "getMetadata" => Some("lib:getMetadata"),
            "listMetadata" => Some("lib:listMetadata"),
            _ => None,
        };
        if let (Some(path), Some(component)) = (read, &component) {
            effects.push(LibraryEffect::RunComponent { mutation: false, component: component.clone(), path });
        }
        effects
    };
    Some(super::clients::packaged_api(evaluator, client, "clientApi", API, &effects, span))
}

/// The component function each method of the client calls in a handler. (`store` and
/// `syncMetadata` run the component's action `lib:syncMetadata`, a kind of call these facts do
/// not name for components; they stay calls of library code.)
pub(super) fn method(name: &str) -> Option<(bool, &'static str)> {
    Some(match name {
        "deleteObject" => (true, "lib:deleteObject"),
        "getMetadata" => (false, "lib:getMetadata"),
        "listMetadata" => (false, "lib:listMetadata"),
        _ => return None,
    })
}
