//! `@convex-dev/migrations` 0.3.6 (`src/client/index.ts`): `new Migrations(component, options?)`,
//! whose `define({ table, migrateOne, customRange? })` and `runner(...)` register internal
//! mutations. Each is the package's handler: a migration runs a batch (a page of its table,
//! then `migrateOne` per document) or, run from the CLI, starts itself through the component;
//! the runner starts a migration through the component.

use std::rc::Rc;

use super::Outcome;
use crate::builders::{entry, fail, generic_builder};
use crate::eval::{Evaluator, Value};
use crate::values::{Arg, BuilderDef, ClientDef, LibraryCode, LibraryEffect, LibraryHandler, Span};

pub(super) const LIBRARY: &str = "@convex-dev/migrations";

/// `migrationArgs`, as the package's validator serialises.
const MIGRATION_ARGS: &str = r#"{"type":"object","value":{"fn":{"fieldType":{"type":"string"},"optional":true},"cursor":{"fieldType":{"type":"union","value":[{"type":"string"},{"type":"null"}]},"optional":true},"batchSize":{"fieldType":{"type":"number"},"optional":true},"dryRun":{"fieldType":{"type":"boolean"},"optional":true},"next":{"fieldType":{"type":"array","value":{"type":"string"}},"optional":true},"reset":{"fieldType":{"type":"boolean"},"optional":true},"oneBatchOnly":{"fieldType":{"type":"boolean"},"optional":true}}}"#;

/// The component functions a migration started from the CLI, or a runner, calls: the status
/// of the migrations, then `migrate`, which schedules the batches.
fn start_through_component(client: &ClientDef) -> Vec<LibraryEffect> {
    let Some(component) = &client.component else { return Vec::new() };
    vec![
        LibraryEffect::RunComponent { mutation: false, component: component.clone(), path: "lib:getStatus" },
        LibraryEffect::RunComponent { mutation: true, component: component.clone(), path: "lib:migrate" },
    ]
}

pub(super) fn call_method(evaluator: &mut Evaluator, client: &Rc<ClientDef>, method: &str, args: Vec<Arg>, span: Span) -> Option<Outcome> {
    Some(match method {
        "define" => define(evaluator, client, args, span),
        // `runner(specific?)` is made with `internalMutationGeneric`, whatever the options say.
        "runner" => {
            let builder = generic_builder("internalMutationGeneric").expect("a Convex builder");
            Ok(migration_function(evaluator, client, "runner", builder, start_through_component(client), span))
        }
        _ => return None,
    })
}

/// A migration's batch from its definition `{ table, migrateOne, customRange?, ... }`: the
/// shape `@convex-dev/migrations`' `define` and convex-helpers' `migration` share.
pub(super) fn migration_batch(args: Vec<Arg>, span: Span) -> Result<LibraryEffect, crate::values::Unknown> {
    let config = match args.into_iter().next().map(|a| a.value) {
        Some(Value::Object(entries)) => entries,
        Some(Value::Unknown(unknown)) => return Err(unknown),
        _ => return Err(fail(span, "the migration's definition is not an object convex-lens can read")),
    };
    let table = match entry(&config, "table") {
        Some(Value::String(table)) => table.clone(),
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        _ => return Err(fail(span, "the migration's table is not a string convex-lens can read")),
    };
    let closure = |name: &str| match entry(&config, name) {
        Some(Value::Closure(closure)) => Ok(Some(*closure)),
        None | Some(Value::Undefined) => Ok(None),
        Some(Value::Unknown(unknown)) => Err(unknown.clone()),
        Some(_) => Err(fail(span, format!("the migration's `{name}` is not a function of the source"))),
    };
    let migrate_one = closure("migrateOne")?.ok_or_else(|| fail(span, "the migration has no `migrateOne` of the source"))?;
    let custom_range = closure("customRange")?;
    Ok(LibraryEffect::Migrate { table, migrate_one, custom_range })
}

/// `define({ table, migrateOne, customRange?, batchSize?, parallelize? })`, made with the
/// options' `internalMutation` (the app's builder, customizations and all) or
/// `internalMutationGeneric`.
fn define(evaluator: &mut Evaluator, client: &Rc<ClientDef>, args: Vec<Arg>, span: Span) -> Outcome {
    let batch = migration_batch(args, span)?;
    let builder = match entry(&client.options, "internalMutation") {
        None | Some(Value::Undefined) => generic_builder("internalMutationGeneric").expect("a Convex builder"),
        Some(Value::Builder(builder)) => (**builder).clone(),
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        Some(_) => return Err(fail(span, "the migrations' `internalMutation` is not a builder convex-lens evaluated")),
    };
    let mut effects = vec![batch];
    effects.extend(start_through_component(client));
    Ok(migration_function(evaluator, client, "define", builder, effects, span))
}

fn migration_function(evaluator: &mut Evaluator, client: &ClientDef, method: &str, builder: BuilderDef, effects: Vec<LibraryEffect>, span: Span) -> Value {
    let args = serde_json::from_str(MIGRATION_ARGS).map_err(|_| fail(span, "the package's arguments could not be read")).and_then(|json| super::json_validator(&json, span));
    match args {
        Ok(args) => super::library_function(evaluator, builder, args, None, LibraryHandler { value: client.library(method), code: LibraryCode::Effects(effects) }, span),
        Err(unknown) => Value::Unknown(unknown),
    }
}

/// The component function each method of the client calls in a handler.
pub(super) fn method(name: &str) -> Option<(bool, &'static str)> {
    Some(match name {
        "runOne" | "runSerially" => (true, "lib:migrate"),
        "getStatus" => (false, "lib:getStatus"),
        "cancel" => (true, "lib:cancel"),
        "cancelAll" => (true, "lib:cancelAll"),
        _ => return None,
    })
}
