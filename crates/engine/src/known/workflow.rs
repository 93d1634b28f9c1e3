//! `@convex-dev/workflow` 0.4.8 (`src/client/index.ts`, `workflowMutation.ts`):
//! `new WorkflowManager(component, options?)`, whose `define({ args?, returns?, handler })`
//! registers the internal mutation that starts and resumes the workflow. Its handler gets a
//! `step` whose `runQuery`, `runMutation` and `runAction` run functions of the app later, each
//! in its own transaction, as the component schedules them: the facts record those as
//! scheduled calls.

use super::Outcome;
use crate::builders::{entry, fail, generic_builder};
use crate::eval::{Evaluator, Value};
use crate::validator::{Field, LiteralValue, Validator};
use crate::values::{Arg, ClientDef, LibraryCode, LibraryEffect, LibraryHandler, Span};

pub(super) const LIBRARY: &str = "@convex-dev/workflow";

/// The note the package puts in every workflow's arguments.
const DOCS: &str = "To call a workflow directly, nest its arguments: { args: { ...yourWorkflowArgs } }";

pub(super) fn export(package: &str, name: &str) -> Option<Value> {
    (package == LIBRARY && matches!(name, "vWorkflowId")).then_some(Value::Validator { validator: Validator::String, optional: false })
}

pub(super) fn call_method(evaluator: &mut Evaluator, client: &ClientDef, method: &str, args: Vec<Arg>, span: Span) -> Option<Outcome> {
    (method == "define").then(|| define(evaluator, client, args, span))
}

fn define(evaluator: &mut Evaluator, client: &ClientDef, args: Vec<Arg>, span: Span) -> Outcome {
    let config = match args.into_iter().next().map(|a| a.value) {
        Some(Value::Object(entries)) => entries,
        Some(Value::Unknown(unknown)) => return Err(unknown),
        _ => return Err(fail(span, "the workflow's definition is not an object convex-lens can read")),
    };
    let handler = match entry(&config, "handler") {
        Some(Value::Closure(closure)) => *closure,
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        // Without a handler, `define` gives a workflow definition, not a function.
        _ => return Err(fail(span, "a workflow without a `handler` of the source is not a function convex-lens models")),
    };
    // `asObjectValidator(args ?? v.any())`.
    let workflow_args = match entry(&config, "args") {
        None | Some(Value::Undefined) => Validator::Any,
        Some(Value::Validator { validator, .. }) => validator.clone(),
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        Some(fields) => Validator::Object(crate::builders::object_fields(evaluator, fields, span)?),
    };
    let returns = match entry(&config, "returns") {
        None | Some(Value::Undefined) => Validator::Any,
        Some(Value::Validator { validator, .. }) => validator.clone(),
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        Some(_) => return Err(fail(span, "the workflow's `returns` is not a validator")),
    };
    let optional = |validator| Field { validator, optional: true };
    let required = |validator| Field { validator, optional: false };
    let literal = |text: &str| Validator::Literal(LiteralValue::String(text.to_owned()));
    let arguments = Validator::Object(vec![
        ("workflowId".to_owned(), optional(Validator::String)),
        ("generationNumber".to_owned(), optional(Validator::Number)),
        ("args".to_owned(), optional(workflow_args)),
        ("startAsync".to_owned(), optional(Validator::Boolean)),
        ("onComplete".to_owned(), optional(Validator::String)),
        ("context".to_owned(), optional(Validator::Any)),
        ("docs".to_owned(), optional(literal(DOCS))),
    ]);
    // `vWorkflowReturns(returns)`: the workflow's id, or its result once complete.
    let run_result = Validator::Union(vec![
        Validator::Object(vec![("kind".to_owned(), required(literal("success"))), ("returnValue".to_owned(), required(returns))]),
        Validator::Object(vec![("kind".to_owned(), required(literal("failed"))), ("error".to_owned(), required(Validator::String))]),
        Validator::Object(vec![("kind".to_owned(), required(literal("canceled")))]),
    ]);
    let result = Validator::Union(vec![
        Validator::String,
        Validator::Object(vec![("kind".to_owned(), required(literal("complete"))), ("runResult".to_owned(), required(run_result))]),
    ]);
    let builder = generic_builder("internalMutationGeneric").expect("a Convex builder");
    let library = LibraryHandler { value: client.library("define"), code: LibraryCode::Effects(vec![LibraryEffect::WorkflowSteps(handler)]) };
    let (arguments, result) = (Value::Validator { validator: arguments, optional: false }, Value::Validator { validator: result, optional: false });
    Ok(super::library_function(evaluator, builder, arguments, Some(result), library, span))
}
