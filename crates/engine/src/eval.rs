//! Static evaluation of module-level values: what a schema file's expressions evaluate to when
//! Convex loads it, computed from the syntax without running anything.
//!
//! The evaluator knows literals, objects and arrays with spreads, template strings, `const`
//! bindings of the same module, and the Convex builders (`v.*` from `convex/values`,
//! `defineTable` / `defineSchema` from `convex/server`). Anything else becomes
//! [`Value::Unknown`] with the span and the reason, which the caller reports; nothing is guessed.

use std::collections::HashMap;

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrayLit, CallExpr, Callee, Decl, Expr, Ident, ImportSpecifier, Lit, MemberExpr, MemberProp,
    Module, ModuleDecl, ModuleExportName, ModuleItem, ObjectLit, Pat, Prop, PropName, PropOrSpread,
    Stmt, Tpl,
};

use crate::parse::byte_range;
use crate::source::ByteRange;
use crate::validator::Validator;

/// Deepest expression nesting the evaluator follows (bindings count as a level too). Guards the
/// stack against long chains that the bracket pre-check cannot see, such as `a.b.c...`.
const MAX_EVAL_DEPTH: usize = 128;

/// An expression's static value.
#[derive(Clone, Debug)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    BigInt(i64),
    String(String),
    Array(Vec<Value>),
    /// A plain object literal; keys in insertion order, later duplicates replace earlier ones.
    Object(Vec<(String, Value)>),
    Validator { validator: Validator, optional: bool },
    Table(Box<TableDef>),
    Schema(SchemaDef),
    Builtin(Builtin),
    Unknown(Unknown),
}

/// Something that could not be evaluated, where and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub range: ByteRange,
    pub reason: String,
}

/// Library values the evaluator understands by name, and methods bound to a receiver.
#[derive(Clone, Debug)]
pub enum Builtin {
    /// `v` from `convex/values`.
    V,
    /// `import * as name from "convex/values" | "convex/server"`.
    Namespace(&'static str),
    DefineSchema,
    DefineTable,
    /// `v.string`, `v.object`, ...
    VMethod(String),
    /// A method of a validator value, such as `.optional` or `.pick`.
    ValidatorMethod { receiver: Box<(Validator, bool)>, method: String },
    /// A method of a table definition, such as `.index`.
    TableMethod { receiver: Box<TableDef>, method: String },
}

/// A `defineTable(...)` value with its chained index definitions.
#[derive(Clone, Debug)]
pub struct TableDef {
    pub document: Validator,
    pub staged_document: Option<Validator>,
    pub indexes: Vec<IndexDef>,
    /// The `defineTable(...)` call.
    pub range: ByteRange,
}

#[derive(Clone, Debug)]
pub struct IndexDef {
    pub name: String,
    pub kind: IndexKind,
    pub staged: bool,
    /// The `.index(...)` (or search/vector) call's arguments.
    pub range: ByteRange,
}

#[derive(Clone, Debug)]
pub enum IndexKind {
    Db { fields: Vec<String> },
    Search { search_field: String, filter_fields: Vec<String> },
    Vector { vector_field: String, dimensions: f64, filter_fields: Vec<String> },
}

/// A `defineSchema(...)` value.
#[derive(Clone, Debug)]
pub struct SchemaDef {
    /// Table names with their definitions and the range of the `name: ...` entry.
    pub tables: Vec<(String, Value, ByteRange)>,
    pub schema_validation: bool,
    pub range: ByteRange,
}

/// How a module-level name is bound.
enum Binding<'m> {
    Expr(&'m Expr),
    Import { source: String, imported: String },
    NamespaceImport { source: String },
    /// Functions, classes, destructuring, `let` without initialiser: nothing to evaluate.
    Opaque(&'static str),
}

/// Evaluates expressions of one module. Bindings are evaluated at most once.
pub struct Evaluator<'m> {
    bindings: HashMap<String, Binding<'m>>,
    cache: HashMap<String, Value>,
    in_progress: Vec<String>,
    depth: usize,
    /// Unknowns that were dropped on the way to a value (for example an unknown field inside an
    /// otherwise known table), so the caller can report them.
    pub unknowns: Vec<Unknown>,
    /// Definitions that are known but invalid (an index without fields, ...).
    pub problems: Vec<Unknown>,
}

impl<'m> Evaluator<'m> {
    pub fn new(module: &'m Module) -> Self {
        Self {
            bindings: collect_bindings(module),
            cache: HashMap::new(),
            in_progress: Vec::new(),
            depth: 0,
            unknowns: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn eval(&mut self, expr: &Expr) -> Value {
        if self.depth >= MAX_EVAL_DEPTH {
            return unknown(expr, format!("expression nests deeper than {MAX_EVAL_DEPTH} levels"));
        }
        self.depth += 1;
        let value = self.eval_inner(expr);
        self.depth -= 1;
        value
    }

    fn eval_inner(&mut self, expr: &Expr) -> Value {
        match expr {
            Expr::Lit(lit) => eval_literal(lit),
            Expr::Tpl(tpl) => self.eval_template(tpl),
            Expr::Ident(ident) => self.eval_ident(ident),
            Expr::Array(array) => self.eval_array(array),
            Expr::Object(object) => self.eval_object(object),
            Expr::Member(member) => self.eval_member(member),
            Expr::Call(call) => self.eval_call(call),
            Expr::Paren(inner) => self.eval(&inner.expr),
            Expr::TsAs(inner) => self.eval(&inner.expr),
            Expr::TsSatisfies(inner) => self.eval(&inner.expr),
            Expr::TsConstAssertion(inner) => self.eval(&inner.expr),
            Expr::TsNonNull(inner) => self.eval(&inner.expr),
            Expr::TsTypeAssertion(inner) => self.eval(&inner.expr),
            Expr::Unary(unary) if unary.op == swc_ecma_ast::UnaryOp::Minus => {
                match self.eval(&unary.arg) {
                    Value::Number(n) => Value::Number(-n),
                    Value::BigInt(n) => Value::BigInt(-n),
                    Value::Unknown(u) => Value::Unknown(u),
                    _ => unknown(expr, "negation of a non-number".into()),
                }
            }
            Expr::Cond(cond) => match self.eval(&cond.test) {
                Value::Bool(true) => self.eval(&cond.cons),
                Value::Bool(false) => self.eval(&cond.alt),
                Value::Unknown(u) => Value::Unknown(u),
                _ => unknown(&*cond.test, "condition is not a static boolean".into()),
            },
            _ => unknown(expr, "this kind of expression is not evaluated statically".into()),
        }
    }

    fn eval_template(&mut self, tpl: &Tpl) -> Value {
        let mut text = String::new();
        for (i, quasi) in tpl.quasis.iter().enumerate() {
            match &quasi.cooked {
                Some(cooked) => text.push_str(&cooked.to_string_lossy()),
                None => return unknown(tpl, "template has an invalid escape".into()),
            }
            if let Some(expr) = tpl.exprs.get(i) {
                match self.eval(expr) {
                    Value::String(s) => text.push_str(&s),
                    Value::Number(n) => text.push_str(&crate::validator::number_json(n).to_string()),
                    Value::Bool(b) => text.push_str(&b.to_string()),
                    Value::Unknown(u) => return Value::Unknown(u),
                    _ => return unknown(&**expr, "template part is not a string or number".into()),
                }
            }
        }
        Value::String(text)
    }

    fn eval_ident(&mut self, ident: &Ident) -> Value {
        let name = ident.sym.as_str();
        if let Some(value) = self.cache.get(name) {
            return value.clone();
        }
        if name == "undefined" && !self.bindings.contains_key(name) {
            return Value::Undefined;
        }
        if self.in_progress.iter().any(|n| n == name) {
            return unknown(ident, format!("`{name}` refers to itself"));
        }
        let value = match self.bindings.get(name) {
            None => unknown(ident, format!("`{name}` is not defined at module level")),
            Some(Binding::Expr(init)) => {
                let init: &'m Expr = init;
                self.in_progress.push(name.to_owned());
                let value = self.eval(init);
                self.in_progress.pop();
                value
            }
            Some(Binding::Import { source, imported }) => import_value(source, imported)
                .unwrap_or_else(|| {
                    unknown(ident, format!("`{name}` is imported from \"{source}\", which this analysis does not follow yet"))
                }),
            Some(Binding::NamespaceImport { source }) => namespace_value(source).unwrap_or_else(|| {
                unknown(ident, format!("`{name}` is a namespace import of \"{source}\", which this analysis does not follow yet"))
            }),
            Some(Binding::Opaque(what)) => unknown(ident, format!("`{name}` is {what}, not a static value")),
        };
        self.cache.insert(name.to_owned(), value.clone());
        value
    }

    fn eval_array(&mut self, array: &ArrayLit) -> Value {
        let mut items = Vec::new();
        for element in &array.elems {
            let Some(element) = element else {
                items.push(Value::Undefined);
                continue;
            };
            let value = self.eval(&element.expr);
            match (element.spread.is_some(), value) {
                (_, Value::Unknown(u)) => return Value::Unknown(u),
                (true, Value::Array(spread)) => items.extend(spread),
                (true, _) => return unknown(&*element.expr, "spread of a non-array".into()),
                (false, value) => items.push(value),
            }
        }
        Value::Array(items)
    }

    fn eval_object(&mut self, object: &ObjectLit) -> Value {
        let mut entries: Vec<(String, Value)> = Vec::new();
        for prop in &object.props {
            match prop {
                PropOrSpread::Spread(spread) => match self.eval(&spread.expr) {
                    Value::Object(spread) => {
                        for (key, value) in spread {
                            insert_entry(&mut entries, key, value);
                        }
                    }
                    Value::Unknown(u) => return Value::Unknown(u),
                    _ => return unknown(&*spread.expr, "spread of a non-object".into()),
                },
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(kv) => {
                        let key = match self.property_name(&kv.key) {
                            Ok(key) => key,
                            Err(u) => return Value::Unknown(u),
                        };
                        let value = self.eval(&kv.value);
                        insert_entry(&mut entries, key, value);
                    }
                    Prop::Shorthand(ident) => {
                        let value = self.eval_ident(ident);
                        insert_entry(&mut entries, ident.sym.to_string(), value);
                    }
                    other => {
                        return unknown(other, "methods and accessors in an object are not static values".into())
                    }
                },
            }
        }
        Value::Object(entries)
    }

    fn property_name(&mut self, name: &PropName) -> Result<String, Unknown> {
        match name {
            PropName::Ident(ident) => Ok(ident.sym.to_string()),
            PropName::Str(s) => Ok(s.value.to_string_lossy().into_owned()),
            PropName::Num(n) => Ok(crate::validator::number_json(n.value).to_string()),
            PropName::BigInt(b) => Ok(b.value.to_string()),
            PropName::Computed(computed) => match self.eval(&computed.expr) {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(crate::validator::number_json(n).to_string()),
                Value::Unknown(u) => Err(u),
                _ => Err(unknown_of(&*computed.expr, "computed key is not a string".into())),
            },
        }
    }

    fn eval_member(&mut self, member: &MemberExpr) -> Value {
        let object = self.eval(&member.obj);
        let property = match &member.prop {
            MemberProp::Ident(ident) => ident.sym.to_string(),
            MemberProp::Computed(computed) => match self.eval(&computed.expr) {
                Value::String(s) => s,
                Value::Number(n) => crate::validator::number_json(n).to_string(),
                Value::Unknown(u) => return Value::Unknown(u),
                _ => return unknown(member, "computed property is not a string".into()),
            },
            MemberProp::PrivateName(_) => return unknown(member, "private name".into()),
        };
        get_property(object, &property).unwrap_or_else(|reason| unknown(member, reason))
    }

    fn eval_call(&mut self, call: &CallExpr) -> Value {
        let Callee::Expr(callee) = &call.callee else {
            return unknown(call, "`super(...)` and `import(...)` are not static values".into());
        };
        let builtin = match self.eval(callee) {
            Value::Builtin(builtin) => builtin,
            Value::Unknown(u) => return Value::Unknown(u),
            _ => return unknown(&**callee, "calls of this function are not evaluated statically".into()),
        };
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            if arg.spread.is_some() {
                match self.eval(&arg.expr) {
                    Value::Array(spread) => args.extend(spread.into_iter().map(|v| (v, byte_range(&arg.expr)))),
                    Value::Unknown(u) => return Value::Unknown(u),
                    _ => return unknown(&*arg.expr, "spread of a non-array".into()),
                }
            } else {
                args.push((self.eval(&arg.expr), byte_range(&arg.expr)));
            }
        }
        let range = byte_range(call);
        crate::builders::call(self, builtin, args, range)
    }

    /// Records an unknown that is dropped on the way to a larger value.
    pub fn report_unknown(&mut self, unknown: Unknown) {
        if !self.unknowns.contains(&unknown) {
            self.unknowns.push(unknown);
        }
    }

    pub fn report_problem(&mut self, range: ByteRange, reason: String) {
        self.problems.push(Unknown { range, reason });
    }

    /// The module's `export default` expression, if it has one.
    pub fn default_export(module: &'m Module) -> Option<&'m Expr> {
        module.body.iter().find_map(|item| match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(export)) => Some(&*export.expr),
            _ => None,
        })
    }
}

/// Adds or replaces an object entry, keeping the first position as JavaScript does.
fn insert_entry(entries: &mut Vec<(String, Value)>, key: String, value: Value) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

fn eval_literal(lit: &Lit) -> Value {
    match lit {
        Lit::Str(s) => Value::String(s.value.to_string_lossy().into_owned()),
        Lit::Num(n) => Value::Number(n.value),
        Lit::Bool(b) => Value::Bool(b.value),
        Lit::Null(_) => Value::Null,
        Lit::BigInt(b) => match i64::try_from(&*b.value) {
            Ok(n) => Value::BigInt(n),
            Err(_) => unknown(lit, "bigint outside the 64-bit range".into()),
        },
        _ => unknown(lit, "regular expressions and JSX text are not static values".into()),
    }
}

fn get_property(object: Value, property: &str) -> Result<Value, String> {
    match object {
        Value::Unknown(u) => Ok(Value::Unknown(u)),
        Value::Object(entries) => Ok(entries
            .into_iter()
            .find(|(k, _)| k == property)
            .map_or(Value::Undefined, |(_, v)| v)),
        Value::Array(items) if property == "length" => Ok(Value::Number(items.len() as f64)),
        Value::Array(items) => Ok(property
            .parse::<usize>()
            .ok()
            .and_then(|i| items.into_iter().nth(i))
            .unwrap_or(Value::Undefined)),
        Value::Builtin(Builtin::V) => Ok(Value::Builtin(Builtin::VMethod(property.to_owned()))),
        Value::Builtin(Builtin::Namespace(source)) => {
            import_value(source, property).ok_or_else(|| format!("\"{source}\" has no known export `{property}`"))
        }
        Value::Validator { validator, optional } => Ok(Value::Builtin(Builtin::ValidatorMethod {
            receiver: Box::new((validator, optional)),
            method: property.to_owned(),
        })),
        Value::Table(table) => Ok(Value::Builtin(Builtin::TableMethod { receiver: table, method: property.to_owned() })),
        _ => Err(format!("property `{property}` of this value is not known statically")),
    }
}

/// The value of a named import from a library whose meaning the engine knows.
fn import_value(source: &str, imported: &str) -> Option<Value> {
    let builtin = match (source, imported) {
        ("convex/values", "v") => Builtin::V,
        ("convex/server", "defineSchema") => Builtin::DefineSchema,
        ("convex/server", "defineTable") => Builtin::DefineTable,
        _ => return None,
    };
    Some(Value::Builtin(builtin))
}

fn namespace_value(source: &str) -> Option<Value> {
    match source {
        "convex/values" => Some(Value::Builtin(Builtin::Namespace("convex/values"))),
        "convex/server" => Some(Value::Builtin(Builtin::Namespace("convex/server"))),
        _ => None,
    }
}

pub fn unknown(node: impl Spanned, reason: String) -> Value {
    Value::Unknown(unknown_of(node, reason))
}

fn unknown_of(node: impl Spanned, reason: String) -> Unknown {
    Unknown { range: byte_range(node), reason }
}

fn collect_bindings(module: &Module) -> HashMap<String, Binding<'_>> {
    let mut bindings = HashMap::new();
    let mut bind = |ident: &Ident, binding| {
        bindings.insert(ident.sym.to_string(), binding);
    };
    for item in &module.body {
        let decl = match item {
            ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => {
                if import.type_only {
                    continue;
                }
                let source = import.src.value.to_string_lossy().into_owned();
                for specifier in &import.specifiers {
                    match specifier {
                        ImportSpecifier::Named(named) if !named.is_type_only => {
                            let imported = match &named.imported {
                                Some(ModuleExportName::Ident(ident)) => ident.sym.to_string(),
                                Some(ModuleExportName::Str(s)) => s.value.to_string_lossy().into_owned(),
                                None => named.local.sym.to_string(),
                            };
                            bind(&named.local, Binding::Import { source: source.clone(), imported });
                        }
                        ImportSpecifier::Named(_) => {}
                        ImportSpecifier::Default(default) => {
                            let imported = "default".to_owned();
                            bind(&default.local, Binding::Import { source: source.clone(), imported });
                        }
                        ImportSpecifier::Namespace(namespace) => {
                            bind(&namespace.local, Binding::NamespaceImport { source: source.clone() });
                        }
                    }
                }
                continue;
            }
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => &export.decl,
            ModuleItem::Stmt(Stmt::Decl(decl)) => decl,
            _ => continue,
        };
        match decl {
            Decl::Var(var) => {
                for declarator in &var.decls {
                    match (&declarator.name, &declarator.init) {
                        (Pat::Ident(ident), Some(init)) => bind(&ident.id, Binding::Expr(init)),
                        (Pat::Ident(ident), None) => bind(&ident.id, Binding::Opaque("declared without a value")),
                        _ => {}
                    }
                }
            }
            Decl::Fn(function) => bind(&function.ident, Binding::Opaque("a function")),
            Decl::Class(class) => bind(&class.ident, Binding::Opaque("a class")),
            _ => {}
        }
    }
    bindings
}
