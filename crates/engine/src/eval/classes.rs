//! Classes of user code and of packages, enough for the client classes Convex libraries ship
//! (`new Workpool(components.pool, opts).defineOnComplete({...})`, an app's own `MailClient`):
//! construction (field initialisers, TypeScript parameter properties, `this.x = ...` in the
//! constructor, `super(...)`), methods and getters with `this` bound, and static members.
//!
//! Instances are values: a method that changes `this` after construction is not followed (its
//! change is not seen), and a constructor that assigns a field in a way not followed here makes
//! that field an explicit unknown rather than a guess.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use swc_ecma_ast::{
    AssignOp, AssignTarget, Callee, Class, ClassMember, Expr, MemberProp, MethodKind, ParamOrTsParamProp, Pat,
    PropName, SimpleAssignTarget, Stmt, TsParamPropParam,
};

use super::{Evaluator, FunctionRef, Scope};
use crate::graph::ModuleId;
use crate::values::{Arg, ClassId, Instance, Unknown, Value};

/// A class in the source and the scopes it closes over.
pub(super) struct ClassDefinition<'g> {
    pub module: ModuleId,
    pub class: &'g Class,
    pub captured: Vec<Scope>,
}

impl<'g> Evaluator<'g, '_> {
    pub(super) fn class_value(&mut self, class: &'g Class) -> Value {
        self.classes.push(ClassDefinition { module: self.module, class, captured: self.scopes.clone() });
        Value::Class(ClassId { id: self.classes.len() - 1, span: self.span(class.span) })
    }

    /// `new C(...args)` of a class from the source.
    pub(crate) fn construct(&mut self, class: ClassId, args: Vec<Arg>, at: swc_common::Span) -> Value {
        if self.calls >= super::MAX_CALL_DEPTH {
            return self.unknown(at, "classes construct each other too deeply");
        }
        self.calls += 1;
        let value = self.in_class_scope(class, None, |evaluator, definition| evaluator.run_constructor(class, definition, args, at));
        self.calls -= 1;
        value
    }

    /// Runs `f` in the module and scopes of the class, with `this` bound when given.
    fn in_class_scope<T>(&mut self, class: ClassId, this: Option<Value>, f: impl FnOnce(&mut Self, &'g Class) -> T) -> T {
        let definition = &self.classes[class.id];
        let (module, class_node) = (definition.module, definition.class);
        let mut scopes = definition.captured.clone();
        let scope: Scope = Rc::new(RefCell::new(HashMap::new()));
        if let Some(this) = this {
            scope.borrow_mut().insert("this".into(), this);
        }
        scopes.push(scope);
        let saved = (std::mem::replace(&mut self.module, module), std::mem::replace(&mut self.scopes, scopes));
        let value = f(self, class_node);
        (self.module, self.scopes) = saved;
        value
    }

    fn run_constructor(&mut self, class: ClassId, node: &'g Class, args: Vec<Arg>, at: swc_common::Span) -> Value {
        let mut instance = Instance { class, fields: Vec::new(), base: None };
        let constructor = node.body.iter().find_map(|member| match member {
            ClassMember::Constructor(constructor) => Some(constructor),
            _ => None,
        });
        // Without a constructor of its own, a derived class passes every argument to `super`.
        if constructor.is_none() && node.super_class.is_some() {
            if let Err(u) = self.call_super(node, &mut instance, args.clone(), at) {
                return Value::Unknown(u);
            }
        }
        self.initialise_fields(node, &mut instance);
        let Some(constructor) = constructor else {
            return Value::Instance(Box::new(instance));
        };
        let mut values = args.into_iter().map(|a| a.value);
        for param in &constructor.params {
            let value = values.next().unwrap_or(Value::Undefined);
            let bound = match param {
                ParamOrTsParamProp::Param(param) => self.bind_pattern(&param.pat, value),
                // `constructor(private component: ..., public options = {})`.
                ParamOrTsParamProp::TsParamProp(prop) => {
                    let name = match &prop.param {
                        TsParamPropParam::Ident(ident) => ident.id.sym.to_string(),
                        TsParamPropParam::Assign(assign) => match &*assign.left {
                            Pat::Ident(ident) => ident.id.sym.to_string(),
                            _ => continue,
                        },
                    };
                    let value = match (&prop.param, value) {
                        (TsParamPropParam::Assign(assign), Value::Undefined) => self.eval(&assign.right),
                        (_, value) => value,
                    };
                    self.bind_local(&name, value.clone());
                    super::insert_entry(&mut instance.fields, name, value);
                    Ok(())
                }
            };
            if let Err(u) = bound {
                return Value::Unknown(u);
            }
        }
        if let Some(body) = &constructor.body {
            for statement in &body.stmts {
                if let Err(u) = self.constructor_statement(node, &mut instance, statement, at) {
                    return Value::Unknown(u);
                }
            }
        }
        Value::Instance(Box::new(instance))
    }

    /// Field initialisers (`private cache = new Map()`, `name = "x"`), in order.
    fn initialise_fields(&mut self, node: &'g Class, instance: &mut Instance) {
        for member in &node.body {
            let ClassMember::ClassProp(prop) = member else { continue };
            if prop.is_static {
                continue;
            }
            let Ok(name) = self.property_name(&prop.key) else { continue };
            let value = prop.value.as_ref().map_or(Value::Undefined, |value| self.eval(value));
            super::insert_entry(&mut instance.fields, name, value);
        }
    }

    /// One statement of a constructor: `this.x = value`, `super(...)`, declarations; other
    /// statements are checks and logging, unless they assign fields, which then are unknown.
    fn constructor_statement(&mut self, node: &'g Class, instance: &mut Instance, statement: &'g Stmt, at: swc_common::Span) -> Result<(), Unknown> {
        match statement {
            Stmt::Expr(expression) => match &*expression.expr {
                Expr::Assign(assign) if assign.op == AssignOp::Assign => {
                    if let Some(field) = this_field(&assign.left) {
                        self.set_this(instance, field.clone(), Value::Undefined);
                        let value = self.eval(&assign.right);
                        self.set_this(instance, field, value);
                        return Ok(());
                    }
                }
                Expr::Call(call) if matches!(call.callee, Callee::Super(_)) => {
                    let args = self.eval_args(&call.args)?;
                    return self.call_super(node, instance, args, at);
                }
                _ => {}
            },
            Stmt::Decl(swc_ecma_ast::Decl::Var(var)) => {
                for declarator in &var.decls {
                    let value = declarator.init.as_ref().map_or(Value::Undefined, |init| self.eval(init));
                    self.bind_pattern(&declarator.name, value)?;
                }
                return Ok(());
            }
            _ => {}
        }
        for field in assigned_fields(statement) {
            let reason = format!("`this.{field}` is set by constructor code that is not evaluated statically");
            self.set_this(instance, field, Value::Unknown(Unknown::new(self.span(statement), reason)));
        }
        Ok(())
    }

    /// Sets a field and rebinds `this` for the rest of the constructor.
    fn set_this(&mut self, instance: &mut Instance, field: String, value: Value) {
        super::insert_entry(&mut instance.fields, field, value);
        self.bind_local("this", Value::Instance(Box::new(instance.clone())));
    }

    /// `super(...args)`: a parent class of the source gives its fields; a library class
    /// (`HttpRouter`) becomes the instance's base value, whose members the instance inherits.
    fn call_super(&mut self, node: &'g Class, instance: &mut Instance, args: Vec<Arg>, at: swc_common::Span) -> Result<(), Unknown> {
        let Some(super_class) = &node.super_class else {
            return Ok(());
        };
        let parent = self.eval(super_class);
        let constructed = match parent {
            Value::Class(parent) => self.construct(parent, args, at),
            Value::Builtin(builtin) => crate::builders::construct(self, builtin, args, at),
            Value::Unknown(u) => return Err(u),
            _ => return Err(Unknown::new(self.span(&**super_class), "the parent class is not a class")),
        };
        match constructed {
            Value::Instance(parent) => {
                for (name, value) in parent.fields {
                    super::insert_entry(&mut instance.fields, name, value);
                }
                instance.base = parent.base;
            }
            Value::Unknown(u) => return Err(u),
            base => instance.base = Some(Box::new(base)),
        }
        self.bind_local("this", Value::Instance(Box::new(instance.clone())));
        Ok(())
    }

    /// `instance.name`: a field, a method or getter of its class or a parent class, or a member
    /// of the library value it extends.
    pub(super) fn instance_property(&mut self, instance: Instance, property: &str, at: swc_common::Span) -> Value {
        if let Some((_, value)) = instance.fields.iter().find(|(name, _)| name == property) {
            return value.clone();
        }
        let this = Value::Instance(Box::new(instance.clone()));
        let mut class = Some(instance.class);
        while let Some(current) = class {
            if let Some(value) = self.class_member(current, property, false, this.clone(), at) {
                return value;
            }
            class = self.parent_class(current);
        }
        match instance.base {
            Some(base) => self.property(*base, property, at),
            None => Value::Undefined,
        }
    }

    /// `Class.name`: a static field or method, also of parent classes.
    pub(super) fn static_property(&mut self, class: ClassId, property: &str, at: swc_common::Span) -> Value {
        let mut current = Some(class);
        while let Some(id) = current {
            if let Some(value) = self.class_member(id, property, true, Value::Class(class), at) {
                return value;
            }
            current = self.parent_class(id);
        }
        Value::Undefined
    }

    /// A method (bound to `this`), the value of a getter, or a static field.
    fn class_member(&mut self, class: ClassId, property: &str, is_static: bool, this: Value, at: swc_common::Span) -> Option<Value> {
        let node = self.classes[class.id].class;
        for member in &node.body {
            match member {
                ClassMember::Method(method) if method.is_static == is_static && self.is_named(class, &method.key, property) => {
                    let function = FunctionRef::Function(&method.function);
                    return Some(self.in_class_scope(class, Some(this), |evaluator, _| match method.kind {
                        MethodKind::Getter => {
                            let getter = evaluator.closure(function);
                            match getter {
                                Value::Closure(id) => evaluator.call_closure(id, Vec::new(), at),
                                other => other,
                            }
                        }
                        _ => evaluator.closure(function),
                    }));
                }
                ClassMember::ClassProp(prop) if is_static && prop.is_static && self.is_named(class, &prop.key, property) => {
                    let value = prop.value.as_deref();
                    return Some(self.in_class_scope(class, Some(this), |evaluator, _| value.map_or(Value::Undefined, |v| evaluator.eval(v))));
                }
                _ => {}
            }
        }
        None
    }

    fn parent_class(&mut self, class: ClassId) -> Option<ClassId> {
        let node = self.classes[class.id].class;
        let super_class = node.super_class.as_deref()?;
        match self.in_class_scope(class, None, |evaluator, _| evaluator.eval(super_class)) {
            Value::Class(parent) => Some(parent),
            _ => None,
        }
    }

    /// Whether a member's key is `property`. A computed key is evaluated where the class is
    /// defined; one that is not static (`[Symbol.iterator]`) names no property looked up here.
    fn is_named(&mut self, class: ClassId, key: &'g PropName, property: &str) -> bool {
        let name = match key {
            PropName::Computed(_) => self.in_class_scope(class, None, |evaluator, _| evaluator.property_name(key)),
            _ => self.property_name(key),
        };
        name.is_ok_and(|name| name == property)
    }

    /// `this` in the code being evaluated: bound in methods and constructors; `undefined` at the
    /// top of an ES module.
    pub(super) fn eval_this(&mut self, at: &'g Expr) -> Value {
        for scope in self.scopes.iter().rev() {
            if let Some(value) = scope.borrow().get("this") {
                return value.clone();
            }
        }
        if self.scopes.is_empty() {
            Value::Undefined
        } else {
            self.unknown(at, "`this` of a function called without a receiver is not known statically")
        }
    }
}

/// `this.name` as an assignment target.
fn this_field(target: &AssignTarget) -> Option<String> {
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = target else { return None };
    if !matches!(&*member.obj, Expr::This(_)) {
        return None;
    }
    match &member.prop {
        MemberProp::Ident(ident) => Some(ident.sym.to_string()),
        _ => None,
    }
}

/// The fields a statement assigns to `this` anywhere inside it.
fn assigned_fields(statement: &Stmt) -> Vec<String> {
    struct Finder(Vec<String>);
    impl crate::parse::search::Hooks for Finder {
        fn assign_expr(&mut self, assign: &swc_ecma_ast::AssignExpr) -> bool {
            if let Some(field) = this_field(&assign.left) {
                if !self.0.contains(&field) {
                    self.0.push(field);
                }
            }
            true
        }
        // Functions defined here have their own `this`.
        fn function(&mut self, _: &swc_ecma_ast::Function) -> bool {
            false
        }
        fn class(&mut self, _: &Class) -> bool {
            false
        }
    }
    let mut finder = Finder(Vec::new());
    crate::parse::search::search(statement, &mut finder);
    finder.0
}
