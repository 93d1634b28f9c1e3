//! convex-helpers 0.1.124's server libraries apps use around their own tables:
//! `server/sessions` (the session id validators), `server/rateLimit` (`rateLimitTables`,
//! `defineRateLimits`, whose helpers read and write the `rateLimits` table: `facts::helpers`)
//! and `server/migrations` (`migrationsTable`, `makeMigration(internalMutation, opts)`, whose
//! `migration({ table, migrateOne })` registers a migration run with the app's builder).

use std::rc::Rc;

use super::Outcome;
use crate::builders::{entry, fail, schema_table};
use crate::eval::{Evaluator, Value};
use crate::validator::Validator::{self, Boolean, Number, String as Str};
use crate::values::{Arg, BuilderDef, Builtin, ClientDef, LibraryCode, LibraryEffect, LibraryHandler, Span};

pub(super) const SESSIONS: &str = "convex-helpers/server/sessions";
pub(super) const RATE_LIMIT: &str = "convex-helpers/server/rateLimit";
pub(super) const MIGRATIONS: &str = "convex-helpers/server/migrations";
pub(super) const RETRIES: &str = "convex-helpers/server/retries";

pub(super) fn export(package: &str, name: &str, span: Span) -> Option<Value> {
    let validator = |validator| Value::Validator { validator, optional: false };
    Some(match (package, name) {
        // `vSessionId` is `v.string()` branded; `SessionIdArg` is `{ sessionId: vSessionId }`.
        (SESSIONS, "vSessionId") => validator(Str),
        (SESSIONS, "SessionIdArg") => Value::Object(vec![("sessionId".to_owned(), validator(Str))]),
        (RATE_LIMIT, "rateLimitTables") => Value::Object(vec![(
            "rateLimits".to_owned(),
            schema_table(RATE_LIMIT, &[("name", Str, false), ("key", Str, true), ("value", Number, false), ("ts", Number, false)], &[("name", &["name", "key"])], span),
        )]),
        (RATE_LIMIT, "defineRateLimits") | (MIGRATIONS, "makeMigration") | (RETRIES, "makeActionRetrier") => {
            Value::Builtin(Builtin::Export { library: library(package), name: name.to_owned() })
        }
        (MIGRATIONS, "migrationsTable") => migrations_table(span),
        _ => return None,
    })
}

fn library(package: &str) -> &'static str {
    [RATE_LIMIT, MIGRATIONS, RETRIES].into_iter().find(|l| *l == package).unwrap_or(MIGRATIONS)
}

/// `migrationsTable`: the state of each migration, by name.
fn migrations_table(span: Span) -> Value {
    let id = Validator::Id { table: "_scheduled_functions".to_owned() };
    let fields = [
        ("name", Str, false),
        ("table", Str, false),
        ("cursor", Validator::Union(vec![Str, Validator::Null]), false),
        ("isDone", Boolean, false),
        ("workerId", id, true),
        ("processed", Number, false),
        ("latestStart", Number, false),
        ("latestEnd", Number, true),
    ];
    schema_table(MIGRATIONS, &fields, &[("name", &["name"])], span)
}

pub(super) fn call(evaluator: &mut Evaluator, name: &str, args: Vec<Arg>, span: Span) -> Option<Outcome> {
    Some(match name {
        // The three helpers, each of which gets the limits by name.
        "defineRateLimits" => Ok(Value::Object(
            ["checkRateLimit", "rateLimit", "resetRateLimit"]
                .iter()
                .map(|helper| ((*helper).to_owned(), Value::Builtin(Builtin::Export { library: RATE_LIMIT, name: (*helper).to_owned() })))
                .collect(),
        )),
        // `makeMigration(internalMutation, { migrationTable?, defaultBatchSize? })` gives
        // `migration`, a function that registers migrations with that builder.
        "makeMigration" => {
            let mut args = args.into_iter().map(|a| a.value);
            let builder = args.next().unwrap_or(Value::Undefined);
            let mut options = match args.next() {
                Some(Value::Object(entries)) => entries,
                Some(Value::Unknown(unknown)) => return Some(Err(unknown)),
                _ => Vec::new(),
            };
            options.push(("internalMutation".to_owned(), builder));
            let client = ClientDef { package: MIGRATIONS, class: "makeMigration", component: None, options, span };
            Ok(Value::Builtin(Builtin::Method { receiver: Box::new(Value::Client(Rc::new(client))), method: "migration".to_owned() }))
        }
        // `makeActionRetrier(retryFnName, options?)`: `runWithRetries(ctx, action, args)`
        // schedules the app's `retry` mutation (by the name given), which runs the action and
        // retries it; `retry` is that mutation, for the app to export under that name.
        "makeActionRetrier" => {
            let mut args = args.into_iter();
            let retry = match args.next().map(|a| a.value) {
                Some(Value::String(name)) => name,
                Some(Value::Unknown(unknown)) => return Some(Err(unknown)),
                _ => return Some(Err(fail(span, "the name of the retry function is not a string convex-lens can read"))),
            };
            let client = Rc::new(ClientDef { package: RETRIES, class: "makeActionRetrier", component: None, options: vec![("retry".to_owned(), Value::String(retry))], span });
            let retry = retry_function(evaluator, &client, span);
            let run = Value::Builtin(Builtin::Method { receiver: Box::new(Value::Client(client)), method: "runWithRetries".to_owned() });
            Ok(Value::Object(vec![("runWithRetries".to_owned(), run), ("retry".to_owned(), retry)]))
        }
        _ => return None,
    })
}

/// The `retry` mutation of `makeActionRetrier`: it schedules the action named in its arguments
/// and itself, and reads only the scheduler's state. No table of the app, no check of a caller:
/// its effects are none the facts can name (the action is named at run time).
fn retry_function(evaluator: &mut Evaluator, client: &ClientDef, span: Span) -> Value {
    let required = |validator| Value::Validator { validator, optional: false };
    let arguments = Value::Object(vec![
        ("job".to_owned(), Value::Validator { validator: Validator::Id { table: "_scheduled_functions".to_owned() }, optional: true }),
        ("action".to_owned(), required(Str)),
        ("actionArgs".to_owned(), required(Validator::Any)),
        ("waitBackoff".to_owned(), required(Number)),
        ("retryBackoff".to_owned(), required(Number)),
        ("base".to_owned(), required(Number)),
        ("maxFailures".to_owned(), required(Number)),
    ]);
    let builder = crate::builders::generic_builder("internalMutationGeneric").expect("a Convex builder");
    let library = LibraryHandler { value: client.library("retry"), code: LibraryCode::Effects(Vec::new()) };
    super::library_function(evaluator, builder, arguments, None, library, span)
}

/// The app's function a `runWithRetries` schedules by name: the retrier's `retry`.
pub(super) fn retry_name(client: &ClientDef) -> Option<&str> {
    match entry(&client.options, "retry") {
        Some(Value::String(name)) => Some(name),
        _ => None,
    }
}

/// `migration({ table, migrateOne, customRange?, batchSize? })`: an internal mutation made with
/// the builder `makeMigration` was given, whose handler runs a batch of the table (the app's
/// `migrateOne` per document), keeps the migration's state in the `migrationTable` when one is
/// named, and schedules the next batch.
pub(super) fn migration(evaluator: &mut Evaluator, client: &ClientDef, args: Vec<Arg>, span: Span) -> Outcome {
    let batch = super::migrations::migration_batch(args, span)?;
    let builder: BuilderDef = match entry(&client.options, "internalMutation") {
        Some(Value::Builder(builder)) => (**builder).clone(),
        Some(Value::Unknown(unknown)) => return Err(unknown.clone()),
        _ => return Err(fail(span, "the builder given to `makeMigration` is not one convex-lens evaluated")),
    };
    let mut effects = Vec::new();
    if let Some(Value::String(state)) = entry(&client.options, "migrationTable") {
        effects.push(LibraryEffect::Lookup { table: state.clone(), index: "name", fields: &["name"] });
        effects.push(LibraryEffect::Insert(state.clone()));
    }
    effects.push(batch);
    if let Some(Value::String(state)) = entry(&client.options, "migrationTable") {
        effects.push(LibraryEffect::Patch(state.clone()));
    }
    let optional = |validator| Value::Validator { validator, optional: true };
    let arguments = Value::Object(vec![
        ("fn".to_owned(), optional(Str)),
        ("cursor".to_owned(), optional(Validator::Union(vec![Str, Validator::Null]))),
        ("batchSize".to_owned(), optional(Number)),
        ("next".to_owned(), optional(Validator::Array(Box::new(Str)))),
        ("dryRun".to_owned(), optional(Boolean)),
    ]);
    let library = LibraryHandler { value: client.library("migration"), code: LibraryCode::Effects(effects) };
    Ok(super::library_function(evaluator, builder, arguments, None, library, span))
}
