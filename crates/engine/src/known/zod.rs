//! zod schemas, as convex-helpers' `zodToConvex` (convex-helpers 0.1.124, zod 3 and 4) turns them
//! into Convex validators for `zCustomQuery` and friends.
//!
//! Not modelled yet: every zod value is an explicit unknown, so functions built with zod
//! arguments report their arguments as unknown rather than guessing.

use crate::builders::fail;
use crate::eval::{Evaluator, Value};
use crate::validator::Validator;
use crate::values::{Arg, Span, Unknown};

pub(super) fn is_library(library: &str) -> bool {
    library == "zod"
}

pub(super) fn export(package: &str, name: &str) -> Option<Value> {
    let _ = (package, name);
    None
}

pub(super) fn call(library: &str, name: &str, _args: Vec<Arg>, span: Span) -> Result<Value, Unknown> {
    Err(fail(span, format!("`{name}` from \"{library}\" (zod) is not modelled yet")))
}

pub(super) fn is_schema(_value: &Value) -> bool {
    false
}

pub(super) fn call_method(_receiver: Value, method: &str, _args: Vec<Arg>, span: Span) -> Result<Value, Unknown> {
    Err(fail(span, format!("`.{method}()` of a zod schema is not modelled yet")))
}

pub(super) fn namespace_property(library: &str, name: &str, property: &str, span: Span) -> Value {
    Value::Unknown(fail(span, format!("`{name}.{property}` from \"{library}\" (zod) is not modelled yet")))
}

pub(super) fn schema_property(_value: Value, property: &str, span: Span) -> Value {
    Value::Unknown(fail(span, format!("`{property}` of a zod schema is not modelled yet")))
}

/// The Convex validator convex-helpers derives from a zod schema (or a record of them).
pub fn zod_to_validator(_evaluator: &mut Evaluator, value: &Value, span: Span) -> Result<Validator, Unknown> {
    match value {
        Value::Unknown(u) => Err(u.clone()),
        _ => Err(fail(span, "zod argument and return schemas are not modelled yet")),
    }
}
