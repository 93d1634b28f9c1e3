//! `Triggers` of convex-helpers 0.1.124 (`server/triggers.ts`): functions registered per table
//! that a write through `triggers.wrapDB(ctx).db` runs after it, in the same transaction. The
//! evaluator keeps what is registered; the facts run the triggers at each write
//! (`facts::triggers`).

use std::cell::RefCell;
use std::rc::Rc;

use super::Outcome;
use crate::builders::{fail, string_arg};
use crate::eval::Value;
use crate::values::{Arg, Builtin, Span, TriggerCode, TriggerDef, TriggersDef};

pub(super) const LIBRARY: &str = "convex-helpers/server/triggers";

/// `new Triggers<DataModel>()`.
pub(super) fn construct(span: Span) -> Value {
    Value::Triggers(Rc::new(TriggersDef { span, registered: RefCell::new(Vec::new()) }))
}

pub(super) fn call_method(triggers: &TriggersDef, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    match method {
        // `register(tableName, trigger)` pushes the trigger onto the table's list.
        "register" => {
            let table = string_arg(&args, 0, span, "the table of `triggers.register`");
            let handler = match args.get(1).map(|a| &a.value) {
                Some(Value::Closure(closure)) => Ok(TriggerCode::Closure(*closure)),
                Some(Value::Builtin(Builtin::Method { receiver, method })) => match &**receiver {
                    Value::Client(client) => Ok(TriggerCode::Client(client.clone(), method.clone())),
                    _ => Err(fail(span, "the trigger registered here is not a function of the source")),
                },
                Some(Value::Unknown(unknown)) => Err(unknown.clone()),
                _ => Err(fail(span, "the trigger registered here is not a function of the source")),
            };
            let mut registered = triggers.registered.borrow_mut();
            // Module code may be evaluated more than once; a registration is one place and table.
            let same = |t: &TriggerDef| t.span == span && t.table.as_ref().ok() == table.as_ref().ok();
            if !registered.iter().any(same) {
                registered.push(TriggerDef { table, handler, span });
            }
            Ok(Value::Undefined)
        }
        _ => Err(fail(span, format!("`triggers.{method}(...)` is not evaluated statically"))),
    }
}
