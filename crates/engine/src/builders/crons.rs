//! `cronJobs()` and its schedules (`convex/src/server/cron.ts`). See
//! `shared/reference/convex-api.md` §8.

use serde_json::{json, Map};

use super::{fail, Outcome};
use crate::eval::Value;
use crate::values::{Arg, CronDef, CronsDef, Span, Unknown};

pub(super) fn crons(span: Span) -> Value {
    Value::Crons(Box::new(CronsDef { jobs: Vec::new(), span }))
}

pub(super) fn call_crons_method(mut crons: CronsDef, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    let mut args = args.into_iter();
    let name = match args.next() {
        Some(Arg { value: Value::String(name), .. }) => name,
        Some(Arg { value: Value::Unknown(u), .. }) => return Err(u),
        _ => return Err(fail(span, "a cron job needs a string identifier")),
    };
    let rest: Vec<Arg> = args.collect();
    let (schedule, target, job_args) = match method {
        // `crons.hourly(name, ref)`: since 1.43 the schedule may be left out.
        "hourly" if rest.first().is_some_and(|a| matches!(a.value, Value::ApiRef(_))) => {
            (json!({ "type": "hourly" }), rest.first(), rest.get(1))
        }
        "interval" | "hourly" | "daily" | "weekly" | "monthly" | "cron" => {
            let schedule = rest.first().ok_or_else(|| fail(span, "a cron job needs a schedule"))?;
            (schedule_json(method, schedule)?, rest.get(1), rest.get(2))
        }
        _ => return Err(fail(span, format!("`crons.{method}()` is not evaluated statically"))),
    };
    let function = match target {
        Some(Arg { value: Value::ApiRef(reference), span }) => {
            reference.function_name().ok_or_else(|| fail(*span, "this reference names no function"))
        }
        Some(Arg { value: Value::Unknown(u), .. }) => Err(u.clone()),
        Some(Arg { span, .. }) => Err(fail(*span, "the cron target is not a function reference")),
        None => Err(fail(span, "a cron job needs a function reference")),
    };
    let job_args = match job_args {
        None => Ok(json!({})),
        Some(arg) => convex_json(&arg.value).map_err(|reason| fail(arg.span, reason)),
    };
    crons.jobs.push(CronDef { name, function, args: job_args.map(|a| json!([a])), schedule, span });
    Ok(Value::Crons(crons.into()))
}

/// The schedule object `crons.export()` writes, keys in the order cron.ts builds them.
fn schedule_json(method: &str, schedule: &Arg) -> Result<serde_json::Value, Unknown> {
    let entries = match &schedule.value {
        Value::Object(entries) => entries,
        Value::String(cron) if method == "cron" => return Ok(json!({ "cron": cron, "type": "cron" })),
        Value::Unknown(u) => return Err(u.clone()),
        _ => return Err(fail(schedule.span, "the schedule is not static")),
    };
    let mut object = Map::new();
    let mut put = |key: &str| -> Result<(), Unknown> {
        match entries.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
            None | Some(Value::Undefined) => Ok(()),
            Some(value) => {
                let json = convex_json(value).map_err(|reason| fail(schedule.span, reason))?;
                object.insert(key.to_owned(), json);
                Ok(())
            }
        }
    };
    match method {
        // `{ ...schedule, type: "interval" }`: the user's keys in the user's order.
        "interval" => {
            for (key, _) in entries {
                put(key)?;
            }
        }
        "hourly" => put("minuteUTC")?,
        "daily" => ["hourUTC", "minuteUTC"].into_iter().try_for_each(&mut put)?,
        "weekly" => ["dayOfWeek", "hourUTC", "minuteUTC"].into_iter().try_for_each(&mut put)?,
        "monthly" => ["day", "hourUTC", "minuteUTC"].into_iter().try_for_each(&mut put)?,
        _ => return Err(fail(schedule.span, "`crons.cron()` takes a cron string")),
    }
    object.insert("type".into(), json!(method));
    Ok(serde_json::Value::Object(object))
}

/// `convexToJson` of a static value.
pub(crate) fn convex_json(value: &Value) -> Result<serde_json::Value, String> {
    use crate::validator::LiteralValue;
    Ok(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => json!(b),
        Value::Number(n) => LiteralValue::Number(*n).to_json(),
        Value::BigInt(n) => LiteralValue::Bigint(*n).to_json(),
        Value::String(s) => json!(s),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(convex_json).collect::<Result<_, _>>()?),
        Value::Object(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                if !matches!(value, Value::Undefined) {
                    object.insert(key.clone(), convex_json(value)?);
                }
            }
            serde_json::Value::Object(object)
        }
        Value::Unknown(u) => return Err(u.reason.clone()),
        _ => return Err("this value is not a static Convex value".into()),
    })
}
