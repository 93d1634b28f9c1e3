//! `@convex-dev/agent` 0.7.3: `new Agent(component, options)` (a client of the component,
//! whose methods read and write only the component's threads and messages), `createTool(def)`
//! (a tool for the AI SDK, not a Convex function: its handler runs inside the agent's action and
//! reaches the app only through `ctx.run*` of functions convex-lens walks on their own), and the
//! validator `vStreamArgs`.

use crate::eval::Value;
use crate::validator::{Field, LiteralValue, Validator};

pub(super) const LIBRARY: &str = "@convex-dev/agent";

pub(super) fn export(package: &str, name: &str) -> Option<Value> {
    if package != LIBRARY {
        return None;
    }
    match name {
        "createTool" => Some(Value::Builtin(crate::values::Builtin::Export { library: LIBRARY, name: name.to_owned() })),
        "vStreamArgs" => Some(Value::Validator { validator: stream_args(), optional: true }),
        _ => None,
    }
}

/// `createTool(def)`: a tool, which no export makes a function.
pub(super) fn create_tool() -> Value {
    Value::Object(Vec::new())
}

/// `v.optional(v.union({ kind: "list", startOrder? }, { kind: "deltas", cursors: vStreamCursor[] }))`.
fn stream_args() -> Validator {
    let required = |validator| Field { validator, optional: false };
    let kind = |kind: &str| ("kind".to_owned(), required(Validator::Literal(LiteralValue::String(kind.to_owned()))));
    let cursor = Validator::Object(vec![("streamId".to_owned(), required(Validator::String)), ("cursor".to_owned(), required(Validator::Number))]);
    Validator::Union(vec![
        Validator::Object(vec![kind("list"), ("startOrder".to_owned(), Field { validator: Validator::Number, optional: true })]),
        Validator::Object(vec![kind("deltas"), ("cursors".to_owned(), required(Validator::Array(Box::new(cursor))))]),
    ])
}
