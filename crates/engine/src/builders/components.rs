//! `defineApp()`, `defineComponent(name)` and `app.use(definition, options)`
//! (`convex/src/server/components/index.ts`). See `shared/reference/convex-api.md` §9.

use super::{entry, fail, string_arg, Outcome};
use crate::eval::Value;
use crate::values::{AppDef, Arg, ComponentUse, Span};

pub(super) fn define_app(span: Span) -> Value {
    Value::App(Box::new(AppDef { component_name: None, uses: Vec::new(), span }))
}

pub(super) fn define_component(args: Vec<Arg>, span: Span) -> Outcome {
    let name = string_arg(&args, 0, span, "the component's name")?;
    Ok(Value::App(Box::new(AppDef { component_name: Some(name), uses: Vec::new(), span })))
}

pub(super) fn call_app_method(mut app: AppDef, method: &str, args: Vec<Arg>, span: Span) -> Outcome {
    if method != "use" {
        return Err(fail(span, format!("`.{method}()` of an app is not evaluated statically")));
    }
    let definition = args.first().ok_or_else(|| fail(span, "`use()` needs a component definition"))?;
    let (specifier, default_name, local_definition) = match &definition.value {
        Value::ComponentDefinition { specifier, default_name } => (specifier.clone(), default_name.clone(), None),
        Value::App(local) => (String::new(), local.component_name.clone(), Some(local.span.module)),
        Value::Unknown(u) => return Err(u.clone()),
        _ => return Err(fail(definition.span, "this is not a component definition")),
    };
    let options = match args.get(1).map(|a| &a.value) {
        Some(Value::Object(options)) => options.clone(),
        _ => Vec::new(),
    };
    let name = match entry(&options, "name") {
        Some(Value::String(name)) => Ok(name.clone()),
        Some(Value::Unknown(u)) => Err(u.clone()),
        _ => default_name.ok_or_else(|| {
            fail(definition.span, format!("the default name of the component \"{specifier}\" is set in its package, which convex-lens has not read"))
        }),
    };
    let http_prefix = match entry(&options, "httpPrefix") {
        Some(Value::String(prefix)) => Some(prefix.clone()),
        _ => None,
    };
    app.uses.push(ComponentUse { name, definition: specifier, local_definition, http_prefix, span: definition.span });
    Ok(Value::App(Box::new(app)))
}
