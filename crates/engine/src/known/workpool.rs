//! `@convex-dev/workpool` 0.4.12 (`src/client/index.ts`): `new Workpool(component, options)`
//! queues functions of the app to run later, under the pool's parallelism. `enqueue*` calls
//! the component's `lib:enqueue` and the function given (and its `onComplete`) runs later, as a
//! scheduled function does; `defineOnComplete({ context?, handler, returnValue? })` is an
//! internal mutation with the app's handler. Its validators (`vWorkId`, `vResult`,
//! `vOnCompleteArgs(...)`) are modelled too.

use std::rc::Rc;

use super::Outcome;
use crate::builders::{entry, fail, generic_builder, register_function};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, LiteralValue, Validator};
use crate::values::{Arg, Builtin, ClientDef, Span};

pub(super) const LIBRARY: &str = "@convex-dev/workpool";

pub(super) fn export(package: &str, name: &str) -> Option<Value> {
    if package != LIBRARY {
        return None;
    }
    let validator = |validator| Value::Validator { validator, optional: false };
    Some(match name {
        "vWorkId" | "vWorkIdValidator" | "workIdValidator" => validator(Validator::String),
        "vResult" | "vResultValidator" | "resultValidator" => validator(run_result(Field { validator: Validator::Any, optional: false })),
        "vOnComplete" => validator(on_complete_args(Some(Field { validator: Validator::Any, optional: false }), None)),
        "vOnCompleteArgs" | "vOnCompleteValidator" | "vRunResult" => Value::Builtin(Builtin::Export { library: LIBRARY, name: name.to_owned() }),
        _ => return None,
    })
}

pub(super) fn call(name: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let mut fields = args.into_iter().map(|arg| optional_field(arg.value, arg.span));
    match name {
        "vOnCompleteArgs" | "vOnCompleteValidator" => {
            let context = fields.next().transpose()?.flatten();
            let result = fields.next().transpose()?.flatten();
            Ok(Value::Validator { validator: on_complete_args(context, result), optional: false })
        }
        "vRunResult" => {
            let returns = fields.next().transpose()?.flatten().ok_or_else(|| fail(span, "vRunResult needs the return value's validator"))?;
            Ok(Value::Validator { validator: run_result(returns), optional: false })
        }
        _ => Err(fail(span, format!("`{name}` from \"{LIBRARY}\" is not evaluated statically"))),
    }
}

/// A validator argument, `None` when it is left out.
fn optional_field(value: Value, span: Span) -> Result<Option<Field>, crate::values::Unknown> {
    match value {
        Value::Undefined => Ok(None),
        Value::Validator { validator, optional } => Ok(Some(Field { validator, optional })),
        Value::Unknown(unknown) => Err(unknown),
        _ => Err(fail(span, "not a validator")),
    }
}

/// `vRunResult(returnValue)`: success with the value, failure with its error, or canceled.
fn run_result(returns: Field) -> Validator {
    let kind = |kind: &str| (String::from("kind"), Field { validator: Validator::Literal(LiteralValue::String(kind.to_owned())), optional: false });
    Validator::Union(vec![
        Validator::Object(vec![kind("success"), ("returnValue".to_owned(), returns)]),
        Validator::Object(vec![kind("failed"), ("error".to_owned(), Field { validator: Validator::String, optional: false })]),
        Validator::Object(vec![kind("canceled")]),
    ])
}

/// `vOnCompleteArgs(context?, returnValue?)`; each left out is `v.optional(v.any())`.
fn on_complete_args(context: Option<Field>, returns: Option<Field>) -> Validator {
    let any = || Field { validator: Validator::Any, optional: true };
    Validator::Object(vec![
        ("workId".to_owned(), Field { validator: Validator::String, optional: false }),
        ("context".to_owned(), context.unwrap_or_else(any)),
        ("result".to_owned(), Field { validator: run_result(returns.unwrap_or_else(any)), optional: false }),
    ])
}

pub(super) fn call_method(evaluator: &mut Evaluator, _client: &Rc<ClientDef>, method: &str, args: Vec<Arg>, span: Span) -> Option<Outcome> {
    (method == "defineOnComplete").then(|| define_on_complete(evaluator, args, span))
}

/// `internalMutationGeneric({ args: vOnCompleteArgs(context, returnValue), handler })`.
fn define_on_complete(evaluator: &mut Evaluator, args: Vec<Arg>, span: Span) -> Outcome {
    let config = match args.into_iter().next().map(|a| a.value) {
        Some(Value::Object(entries)) => entries,
        Some(Value::Unknown(unknown)) => return Err(unknown),
        _ => return Err(fail(span, "the definition of `defineOnComplete` is not an object convex-lens can read")),
    };
    let field = |name: &str| optional_field(entry(&config, name).cloned().unwrap_or(Value::Undefined), span);
    let validator = on_complete_args(field("context")?, field("returnValue")?);
    let handler = entry(&config, "handler").cloned().unwrap_or(Value::Undefined);
    let definition = Value::Object(vec![("args".to_owned(), Value::Validator { validator, optional: false }), ("handler".to_owned(), handler)]);
    let builder = generic_builder("internalMutationGeneric").expect("a Convex builder");
    Ok(register_function(evaluator, builder, vec![Arg { value: definition, span }], span))
}

/// The component function each method of the client calls in a handler.
pub(super) fn method(name: &str) -> Option<(bool, &'static str)> {
    Some(match name {
        "enqueueAction" | "enqueueMutation" | "enqueueQuery" => (true, "lib:enqueue"),
        "enqueueActionBatch" | "enqueueMutationBatch" | "enqueueQueryBatch" => (true, "lib:enqueueBatch"),
        "cancel" => (true, "lib:cancel"),
        "cancelAll" => (true, "lib:cancelAll"),
        "status" => (false, "lib:status"),
        "statusBatch" => (false, "lib:statusBatch"),
        _ => return None,
    })
}

/// The app's functions an `enqueue*` runs later: the one given (its second argument), and the
/// `onComplete` of its options (its fourth).
pub(super) fn scheduled(name: &str) -> Option<(usize, usize)> {
    name.starts_with("enqueue").then_some((1, 3))
}
