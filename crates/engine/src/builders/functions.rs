//! The function builders (`query`, `internalMutation`, ..., and their `*Generic` forms) and what a
//! registered function's `exportArgs()` / `exportReturns()` give. See
//! `shared/reference/convex-api.md` §2.

use super::{entry, fail, Outcome};
use crate::eval::{truthiness, Evaluator, Value};
use crate::validator::{ObjectFields, Validator};
use crate::known::ZodSide as Side;
use crate::values::{Arg, BuilderDef, Declared, FunctionDef, FunctionKind, Span, Unknown, Visibility};

pub fn builder(kind: FunctionKind, visibility: Visibility) -> BuilderDef {
    BuilderDef { kind, visibility, customization: None, zod: None, requires_args: false }
}

/// The builders `_generated/server` exports.
pub(super) fn generated_builder(name: &str) -> Option<BuilderDef> {
    use FunctionKind::*;
    use Visibility::*;
    Some(match name {
        "query" => builder(Query, Public),
        "internalQuery" => builder(Query, Internal),
        "mutation" => builder(Mutation, Public),
        "internalMutation" => builder(Mutation, Internal),
        "action" => builder(Action, Public),
        "internalAction" => builder(Action, Internal),
        _ => return None,
    })
}

/// The builders `convex/server` exports (`queryGeneric`, ...).
pub fn generic_builder(name: &str) -> Option<BuilderDef> {
    generated_builder(name.strip_suffix("Generic")?)
}

/// Calls a builder with a function definition: `query({ args, returns, handler })` or the bare
/// `query(handler)`.
pub fn register_function(evaluator: &mut Evaluator, builder: BuilderDef, args: Vec<Arg>, span: Span) -> Value {
    build(evaluator, builder, args, span).unwrap_or_else(Value::Unknown)
}

fn build(evaluator: &mut Evaluator, builder: BuilderDef, args: Vec<Arg>, span: Span) -> Outcome {
    let definition = args.into_iter().next().ok_or_else(|| fail(span, "a function builder needs a definition"))?;
    let (declared_args, declared_returns, handler, skip_validation) = match &definition.value {
        Value::Closure(closure) => (None, None, Some(*closure), false),
        Value::Object(entries) => {
            let handler = match entry(entries, "handler") {
                Some(Value::Closure(closure)) => Some(*closure),
                _ => None,
            };
            // convex-helpers' zod builders leave Convex's validation out on request.
            let skip = builder.zod.is_some() && entry(entries, "skipConvexValidation").and_then(truthiness) == Some(true);
            (entry(entries, "args").cloned(), entry(entries, "returns").cloned(), handler, skip)
        }
        Value::Unknown(u) => return Err(u.clone()),
        _ => return Err(fail(definition.span, "the function definition is neither an object nor a function")),
    };
    let args = function_args(evaluator, &builder, declared_args, skip_validation, definition.span)?;
    let returns = match skip_validation {
        true => Declared::Absent,
        false => declared(evaluator, &builder, declared_returns, Side::Output, definition.span),
    };
    Ok(Value::Function(Box::new(FunctionDef {
        kind: builder.kind,
        visibility: builder.visibility,
        args,
        returns,
        handler,
        customization: builder.customization.clone(),
        library: None,
        span,
    })))
}

/// The arguments validator, with a customization's arguments merged in the way convex-helpers'
/// `customFnBuilder` does (`addFieldsToValidator`).
fn function_args(
    evaluator: &mut Evaluator,
    builder: &BuilderDef,
    args: Option<Value>,
    skip_validation: bool,
    span: Span,
) -> Result<Declared, Unknown> {
    let custom_args = builder.customization.as_ref().map(|c| c.args.clone()).unwrap_or_default();
    let given = args.as_ref().is_some_and(|a| truthiness(a) != Some(false));
    if !given || skip_validation {
        // A zod builder told to skip validation passes no args down, and refuses a function
        // without args only when its customization adds some.
        if builder.requires_args || (skip_validation && !given && !custom_args.is_empty()) {
            return Err(fail(
                span,
                "this custom builder adds arguments, so convex-helpers requires the function to declare `args` \
                 (it throws at import time otherwise)",
            ));
        }
        return Ok(Declared::Absent);
    }
    let declared = declared(evaluator, builder, args, Side::Input, span);
    Ok(match declared {
        Declared::Known(validator) if !custom_args.is_empty() => match add_fields(validator, &custom_args) {
            Some(validator) => Declared::Known(validator),
            None => Declared::Unknown(fail(span, "custom arguments can only be added to an object or union validator")),
        },
        declared => declared,
    })
}

/// A declared validator: a record of validators stands for `v.object(record)`. A validator with
/// unknown parts is unknown as a whole, so no wrong JSON is reported as Convex's.
fn declared(evaluator: &mut Evaluator, builder: &BuilderDef, value: Option<Value>, side: Side, span: Span) -> Declared {
    let value = match value {
        None | Some(Value::Undefined) => return Declared::Absent,
        Some(value) => value,
    };
    if let Some(major) = builder.zod {
        return match crate::known::zod_declared(evaluator, major, &value, side, span) {
            Ok(validator) => Declared::Known(validator),
            Err(u) => Declared::Unknown(u),
        };
    }
    match value {
        Value::Validator { validator, .. } => Declared::Known(validator),
        Value::Unknown(u) => Declared::Unknown(u),
        // A field left out makes the whole declaration unknown: the first one is its reason (the
        // host reports it for the function), the others are reported as they are.
        Value::Object(_) => match super::values::fields_and_left_out(&value, span) {
            Ok((fields, left_out)) => {
                let mut left_out = left_out.into_iter();
                match left_out.next() {
                    None => Declared::Known(Validator::Object(fields)),
                    Some(first) => {
                        left_out.for_each(|unknown| evaluator.report_unknown(unknown));
                        Declared::Unknown(first)
                    }
                }
            }
            Err(u) => Declared::Unknown(u),
        },
        _ => Declared::Unknown(fail(span, "this is not a validator or an object of validators")),
    }
}

/// `addFieldsToValidator` (convex-helpers `validators.ts`): objects get the fields (an existing
/// optional field is replaced by a required one of the same name), unions get them per member.
fn add_fields(validator: Validator, fields: &ObjectFields) -> Option<Validator> {
    match validator {
        Validator::Object(mut existing) => {
            for (name, field) in fields {
                match existing.iter_mut().find(|(n, _)| n == name) {
                    Some((_, current)) => {
                        if current.optional && !field.optional {
                            *current = field.clone();
                        }
                    }
                    None => existing.push((name.clone(), field.clone())),
                }
            }
            Some(Validator::Object(existing))
        }
        Validator::Union(members) => {
            members.into_iter().map(|m| add_fields(m, fields)).collect::<Option<_>>().map(Validator::Union)
        }
        _ => None,
    }
}
