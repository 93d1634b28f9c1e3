//! Static evaluation of module-level values across the module graph: what the backend's modules'
//! exports evaluate to when Convex loads them, computed from the syntax without running anything.
//!
//! The evaluator knows literals, objects and arrays with spreads, template strings, conditionals
//! with a static test, bindings of any module in the graph (imports, re-exports, `export *`,
//! namespace imports), small user functions called with static arguments (factories, `.map`
//! callbacks), and the libraries whose meaning is fixed ([`crate::builders`], [`crate::known`]).
//! Anything else becomes [`Value::Unknown`] with the span and the reason; nothing is guessed.

mod classes;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrayLit, ArrowExpr, ArrowFunctionBody, CallExpr, Callee, Decl, Expr, ExprOrSpread, Function, Ident, ImportSpecifier, Lit,
    MemberExpr, MemberProp, ModuleDecl, ModuleExportName, ModuleItem, NewExpr, ObjectLit, ObjectPatProp, Pat, Prop,
    PropName, PropOrSpread, Stmt, Tpl,
};

use crate::graph::{exports, Export, ModuleGraph, ModuleId};
use crate::parse::byte_range;
use crate::resolve::Resolved;
use crate::source::ByteRange;

pub use crate::values::*;

/// Deepest expression nesting the evaluator follows (bindings and calls count as levels too).
/// The parser's depth pre-check lets through chains 800 links long (`a.b.c...`); the
/// evaluator's frames are bigger than swc's, so it stops sooner.
const MAX_EVAL_DEPTH: usize = 160;
/// Deepest nesting of user-function calls, so recursion ends.
const MAX_CALL_DEPTH: usize = 24;
/// Expressions evaluated in one analysis at most, so no input makes it run for long.
const STEP_BUDGET: usize = 2_000_000;

/// How a module-level name is bound.
#[derive(Clone)]
enum Binding<'g> {
    Expr(&'g Expr),
    /// `const { a, b: [c] } = init`: the name is reached from `init` by `path`.
    Destructured { init: &'g Expr, path: Vec<PathStep<'g>> },
    Function(FunctionRef<'g>),
    Import { source: String, imported: String },
    NamespaceImport { source: String },
    Enum(&'g swc_ecma_ast::TsEnumDecl),
    Class(&'g swc_ecma_ast::Class),
    /// `let` without initialiser, a computed destructuring key: nothing to evaluate.
    Opaque(&'static str),
}

#[derive(Clone)]
enum PathStep<'g> {
    Key(String),
    Index(usize),
    /// A default value (`{ a = 1 }`) used when the value is undefined.
    Default(&'g Expr),
    /// `{ a, ...rest }`: the object without the keys taken before.
    Rest(Vec<String>),
}

/// A function node in the source: an arrow or a `function`.
#[derive(Clone, Copy)]
pub enum FunctionRef<'g> {
    Arrow(&'g ArrowExpr),
    Function(&'g Function),
}

impl FunctionRef<'_> {
    fn range(&self) -> ByteRange {
        match self {
            FunctionRef::Arrow(a) => byte_range(*a),
            FunctionRef::Function(f) => byte_range(*f),
        }
    }
}

pub(crate) type Scope = Rc<RefCell<HashMap<String, Value>>>;

/// A user function value: its code and the local scopes it closes over.
struct Closure<'g> {
    module: ModuleId,
    function: FunctionRef<'g>,
    captured: Vec<Scope>,
}

/// Evaluates expressions of the modules of one graph. Module-level bindings are evaluated at
/// most once.
pub struct Evaluator<'g, 'a> {
    pub graph: &'g ModuleGraph<'a>,
    bindings: HashMap<ModuleId, Rc<HashMap<String, Binding<'g>>>>,
    cache: HashMap<(ModuleId, String), Value>,
    in_progress: Vec<(ModuleId, String)>,
    closures: Vec<Closure<'g>>,
    classes: Vec<classes::ClassDefinition<'g>>,
    /// The module whose code is being evaluated, and the local scopes of the user functions being
    /// called, innermost last.
    module: ModuleId,
    scopes: Vec<Scope>,
    depth: usize,
    calls: usize,
    steps: usize,
    /// Unknowns that were dropped on the way to a value (an unknown field inside an otherwise
    /// known table, ...), so the caller can report them.
    pub unknowns: Vec<Unknown>,
    /// Definitions that are known but invalid (an index without fields, ...).
    pub problems: Vec<Unknown>,
    /// Spreads of unknown values left out of object literals, with the literal's span: a
    /// schema's tables built from such an object may lack some (`...tablesFromAPackage`).
    pub dropped_spreads: Vec<(Span, Unknown)>,
    /// Tables handed to a library's function (`createApi(schema, ...)`): it may read them
    /// through any of their indexes.
    pub tables_given_to_libraries: Vec<(LibraryValue, Vec<String>)>,
}

impl<'g, 'a> Evaluator<'g, 'a> {
    pub fn new(graph: &'g ModuleGraph<'a>) -> Self {
        Self {
            graph,
            bindings: HashMap::new(),
            cache: HashMap::new(),
            in_progress: Vec::new(),
            closures: Vec::new(),
            classes: Vec::new(),
            module: 0,
            scopes: Vec::new(),
            depth: 0,
            calls: 0,
            steps: 0,
            unknowns: Vec::new(),
            problems: Vec::new(),
            dropped_spreads: Vec::new(),
            tables_given_to_libraries: Vec::new(),
        }
    }

    /// The span of a node of the module being evaluated.
    pub fn span(&self, node: impl Spanned) -> Span {
        Span { module: self.module, range: byte_range(node) }
    }

    pub fn unknown(&self, node: impl Spanned, reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown::new(self.span(node), reason))
    }

    /// Evaluates an expression of `module`.
    pub fn eval_in(&mut self, module: ModuleId, expr: &'g Expr) -> Value {
        let saved = (std::mem::replace(&mut self.module, module), std::mem::take(&mut self.scopes));
        let value = self.eval(expr);
        (self.module, self.scopes) = saved;
        value
    }

    pub fn eval(&mut self, expr: &'g Expr) -> Value {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return self.unknown(expr, "the analysis stopped evaluating here: the project's code took too many steps");
        }
        if self.depth >= MAX_EVAL_DEPTH {
            return self.unknown(expr, format!("expression nests deeper than {MAX_EVAL_DEPTH} levels"));
        }
        self.depth += 1;
        let value = self.eval_inner(expr);
        self.depth -= 1;
        // Only expressions that build a value can make one larger than what they read.
        let builds = matches!(expr, Expr::Array(_) | Expr::Object(_) | Expr::Bin(_) | Expr::Tpl(_) | Expr::Call(_) | Expr::New(_) | Expr::OptChain(_));
        if builds && value.exceeds(MAX_VALUE_PARTS) {
            return self.unknown(expr, format!("the value is too large to follow (more than {MAX_VALUE_PARTS} parts)"));
        }
        value
    }

    fn eval_inner(&mut self, expr: &'g Expr) -> Value {
        match expr {
            Expr::Lit(lit) => self.eval_literal(lit),
            Expr::Tpl(tpl) => self.eval_template(tpl),
            Expr::Ident(ident) => self.eval_ident(ident),
            Expr::Array(array) => self.eval_array(array),
            Expr::Object(object) => self.eval_object(object),
            Expr::Member(member) => self.eval_member(member),
            Expr::Call(call) => self.eval_call(call),
            Expr::New(new) => self.eval_new(new),
            Expr::Arrow(arrow) => self.closure(FunctionRef::Arrow(arrow)),
            Expr::Fn(function) => self.closure(FunctionRef::Function(&function.function)),
            Expr::Class(class) => self.class_value(&class.class),
            Expr::This(_) => self.eval_this(expr),
            Expr::Paren(inner) => self.eval(&inner.expr),
            Expr::TsAs(inner) => self.eval(&inner.expr),
            Expr::TsSatisfies(inner) => self.eval(&inner.expr),
            Expr::TsConstAssertion(inner) => self.eval(&inner.expr),
            Expr::TsNonNull(inner) => self.eval(&inner.expr),
            Expr::TsTypeAssertion(inner) => self.eval(&inner.expr),
            Expr::TsInstantiation(inner) => self.eval(&inner.expr),
            Expr::Unary(unary) => self.eval_unary(expr, unary),
            Expr::Bin(bin) => self.eval_binary(expr, bin),
            Expr::Cond(cond) => match self.eval(&cond.test) {
                Value::Unknown(u) => Value::Unknown(u),
                test => match truthiness(&test) {
                    Some(true) => self.eval(&cond.cons),
                    Some(false) => self.eval(&cond.alt),
                    None => self.unknown(&*cond.test, "the condition is not known statically"),
                },
            },
            Expr::Seq(seq) => seq.exprs.last().map_or(Value::Undefined, |last| self.eval(last)),
            Expr::OptChain(_) => self.eval_chain(expr).unwrap_or(Value::Undefined),
            _ => self.unknown(expr, "this kind of expression is not evaluated statically"),
        }
    }

    fn eval_literal(&self, lit: &Lit) -> Value {
        match lit {
            Lit::Str(s) => Value::String(s.value.to_string_lossy().into_owned()),
            Lit::Num(n) => Value::Number(n.value),
            Lit::Bool(b) => Value::Bool(b.value),
            Lit::Null(_) => Value::Null,
            Lit::BigInt(b) => match i64::try_from(&*b.value) {
                Ok(n) => Value::BigInt(n),
                Err(_) => self.unknown(lit, "bigint outside the 64-bit range"),
            },
            _ => self.unknown(lit, "regular expressions and JSX text are not static values"),
        }
    }

    fn eval_unary(&mut self, expr: &'g Expr, unary: &'g swc_ecma_ast::UnaryExpr) -> Value {
        use swc_ecma_ast::UnaryOp;
        let value = self.eval(&unary.arg);
        match (unary.op, value) {
            (_, Value::Unknown(u)) => Value::Unknown(u),
            (UnaryOp::Minus, Value::Number(n)) => Value::Number(-n),
            (UnaryOp::Minus, Value::BigInt(n)) => Value::BigInt(n.wrapping_neg()),
            (UnaryOp::Plus, Value::Number(n)) => Value::Number(n),
            (UnaryOp::Bang, value) => match truthiness(&value) {
                Some(b) => Value::Bool(!b),
                None => self.unknown(expr, "the operand's truth is not known statically"),
            },
            (UnaryOp::Void, _) => Value::Undefined,
            (UnaryOp::TypeOf, value) => match type_of(&value) {
                Some(name) => Value::String(name.into()),
                None => self.unknown(expr, "the type of this value is not known statically"),
            },
            _ => self.unknown(expr, "this operator is not evaluated statically"),
        }
    }

    fn eval_binary(&mut self, expr: &'g Expr, bin: &'g swc_ecma_ast::BinExpr) -> Value {
        use swc_ecma_ast::BinaryOp;
        let left = self.eval(&bin.left);
        if let Value::Unknown(u) = left {
            return Value::Unknown(u);
        }
        match bin.op {
            BinaryOp::LogicalOr | BinaryOp::LogicalAnd | BinaryOp::NullishCoalescing => {
                let take_left = match bin.op {
                    BinaryOp::LogicalOr => truthiness(&left),
                    BinaryOp::LogicalAnd => truthiness(&left).map(|t| !t),
                    _ => Some(!matches!(left, Value::Undefined | Value::Null)),
                };
                match take_left {
                    Some(true) => left,
                    Some(false) => self.eval(&bin.right),
                    None => self.unknown(&*bin.left, "the operand's truth is not known statically"),
                }
            }
            op => {
                let right = self.eval(&bin.right);
                self.binary(expr, op, left, right)
            }
        }
    }

    /// `left op right` for an operator that evaluates both sides (not `||`, `&&`, `??`).
    pub(crate) fn binary(&mut self, expr: &Expr, op: swc_ecma_ast::BinaryOp, left: Value, right: Value) -> Value {
        use swc_ecma_ast::BinaryOp;
        match (op, left, right) {
                    (_, Value::Unknown(u), _) | (_, _, Value::Unknown(u)) => Value::Unknown(u),
                    (BinaryOp::Add, Value::String(a), b) => match string_of(&b) {
                        Some(b) => Value::String(a + &b),
                        None => self.unknown(expr, "concatenation with a non-string"),
                    },
                    (BinaryOp::Add, a, Value::String(b)) => match string_of(&a) {
                        Some(a) => Value::String(a + &b),
                        None => self.unknown(expr, "concatenation with a non-string"),
                    },
                    (BinaryOp::Add, Value::Number(a), Value::Number(b)) => Value::Number(a + b),
                    (BinaryOp::Sub, Value::Number(a), Value::Number(b)) => Value::Number(a - b),
                    (BinaryOp::Mul, Value::Number(a), Value::Number(b)) => Value::Number(a * b),
                    (BinaryOp::Div, Value::Number(a), Value::Number(b)) => Value::Number(a / b),
                    (BinaryOp::EqEqEq | BinaryOp::EqEq, a, b) => match strict_equals(&a, &b) {
                        Some(eq) => Value::Bool(eq),
                        None => self.unknown(expr, "comparison of values that are not primitives"),
                    },
                    (BinaryOp::NotEqEq | BinaryOp::NotEq, a, b) => match strict_equals(&a, &b) {
                        Some(eq) => Value::Bool(!eq),
                        None => self.unknown(expr, "comparison of values that are not primitives"),
                    },
                    _ => self.unknown(expr, "this operator is not evaluated statically"),
        }
    }

    fn eval_template(&mut self, tpl: &'g Tpl) -> Value {
        let parts = tpl.exprs.iter().map(|expr| self.eval(expr)).collect();
        self.template(tpl, parts)
    }

    /// A template's text with the values of its parts.
    pub(crate) fn template(&mut self, tpl: &Tpl, parts: Vec<Value>) -> Value {
        let mut text = String::new();
        let mut parts = parts.into_iter();
        for (i, quasi) in tpl.quasis.iter().enumerate() {
            match &quasi.cooked {
                Some(cooked) => text.push_str(&cooked.to_string_lossy()),
                None => return self.unknown(tpl, "template has an invalid escape"),
            }
            if let (Some(expr), Some(value)) = (tpl.exprs.get(i), parts.next()) {
                match value {
                    Value::Unknown(u) => return Value::Unknown(u),
                    value => match string_of(&value) {
                        Some(s) => text.push_str(&s),
                        None => return self.unknown(&**expr, "template part is not a string or number"),
                    },
                }
            }
        }
        Value::String(text)
    }

    fn eval_ident(&mut self, ident: &'g Ident) -> Value {
        let name = ident.sym.as_str();
        for scope in self.scopes.iter().rev() {
            if let Some(value) = scope.borrow().get(name) {
                return value.clone();
            }
        }
        let module = self.module;
        if name == "undefined" && !self.module_bindings(module).contains_key(name) {
            return Value::Undefined;
        }
        self.binding_value(module, name, ident)
    }

    /// The value of a module-level name, evaluated once.
    fn binding_value(&mut self, module: ModuleId, name: &str, at: impl Spanned) -> Value {
        let key = (module, name.to_owned());
        if let Some(value) = self.cache.get(&key) {
            return value.clone();
        }
        if self.in_progress.contains(&key) {
            return self.unknown(at, format!("`{name}` is used while it is still being defined (an import cycle?)"));
        }
        let Some(binding) = self.module_bindings(module).get(name).cloned() else {
            if crate::builders::GLOBALS.contains(&name) {
                return crate::builders::export("globals", name);
            }
            if crate::known::is_platform_global(name) {
                let span = self.span(at);
                return Value::Unknown(Unknown { span, reason: format!("`{name}` is the platform's, which convex-lens does not evaluate"), library: Some(LibraryValue::platform(name)) });
            }
            return self.unknown(at, format!("`{name}` is not defined at module level"));
        };
        self.in_progress.push(key.clone());
        let saved = (std::mem::replace(&mut self.module, module), std::mem::take(&mut self.scopes));
        let value = match binding {
            Binding::Expr(init) => {
                let value = self.eval(init);
                crate::builders::apply_statements(self, name, value)
            }
            Binding::Destructured { init, path } => {
                let value = self.eval(init);
                self.follow_path(value, &path, at.span())
            }
            Binding::Function(function) => self.closure(function),
            Binding::Import { source, imported } => self.import_value(&source, &imported, at.span()),
            Binding::NamespaceImport { source } => self.namespace_value(&source, at.span()),
            Binding::Enum(declaration) => self.eval_enum(declaration),
            Binding::Class(class) => self.class_value(class),
            Binding::Opaque(what) => self.unknown(at, format!("`{name}` is {what}, not a static value")),
        };
        (self.module, self.scopes) = saved;
        self.in_progress.pop();
        self.cache.insert(key, value.clone());
        value
    }

    /// A TypeScript `enum` as the object it compiles to: each member by name, and for numeric
    /// members the reverse mapping from value to name. Integer-like keys come first, in order,
    /// as JavaScript orders them.
    fn eval_enum(&mut self, declaration: &'g swc_ecma_ast::TsEnumDecl) -> Value {
        use swc_ecma_ast::TsEnumMemberId;
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut next = Some(0.0);
        self.scopes.push(Rc::new(RefCell::new(HashMap::new())));
        let mut result = None;
        for member in &declaration.members {
            let name = match &member.id {
                TsEnumMemberId::Ident(ident) => ident.sym.to_string(),
                TsEnumMemberId::Str(s) => s.value.to_string_lossy().into_owned(),
            };
            let value = match (&member.init, next) {
                (Some(init), _) => self.eval(init),
                (None, Some(n)) => Value::Number(n),
                (None, None) => self.unknown(member, "an enum member after a string member needs a value"),
            };
            next = match &value {
                Value::Number(n) => Some(n + 1.0),
                Value::String(_) => None,
                Value::Unknown(u) => {
                    result = Some(Value::Unknown(u.clone()));
                    break;
                }
                _ => {
                    result = Some(self.unknown(member, "an enum member is neither a string nor a number"));
                    break;
                }
            };
            self.bind_local(&name, value.clone());
            members.push((name, value));
        }
        self.scopes.pop();
        if let Some(unknown) = result {
            return unknown;
        }
        let mut entries: Vec<(String, Value)> = Vec::new();
        for (name, value) in members {
            if let Value::Number(n) = value {
                insert_entry(&mut entries, string_of(&value).unwrap_or_default(), Value::String(name.clone()));
                insert_entry(&mut entries, name, Value::Number(n));
            } else {
                insert_entry(&mut entries, name, value);
            }
        }
        let is_index = |key: &str| key.parse::<u32>().is_ok_and(|n| n.to_string() == key);
        let (mut indexes, others): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(key, _)| is_index(key));
        crate::order::sort_by_key(&mut indexes, |(key, _)| key.parse::<u32>().unwrap_or(0));
        indexes.extend(others);
        Value::Object(indexes)
    }

    fn follow_path(&mut self, mut value: Value, path: &[PathStep<'g>], at: swc_common::Span) -> Value {
        for step in path {
            value = match step {
                PathStep::Key(key) => self.property(value, key, at),
                PathStep::Index(index) => self.property(value, &index.to_string(), at),
                PathStep::Default(default) => match value {
                    Value::Undefined => self.eval(default),
                    value => value,
                },
                PathStep::Rest(taken) => match value {
                    Value::Object(entries) => Value::Object(entries.into_iter().filter(|(k, _)| !taken.contains(k)).collect()),
                    Value::Unknown(u) => Value::Unknown(u),
                    _ => Value::Unknown(Unknown::new(Span { module: self.module, range: byte_range(at) }, "the rest of a value whose keys are not known")),
                },
            };
        }
        value
    }

    fn module_bindings(&mut self, module: ModuleId) -> Rc<HashMap<String, Binding<'g>>> {
        let graph = self.graph;
        self.bindings
            .entry(module)
            .or_insert_with(|| Rc::new(graph.modules[module].ast.as_ref().map(collect_bindings).unwrap_or_default()))
            .clone()
    }

    /// The value a module exports under `name`, following re-exports and `export *`.
    pub fn export_value(&mut self, module: ModuleId, name: &str, at: swc_common::Span) -> Value {
        self.export_value_guarded(module, name, at, &mut Vec::new())
    }

    fn export_value_guarded(&mut self, module: ModuleId, name: &str, at: swc_common::Span, seen: &mut Vec<ModuleId>) -> Value {
        let graph = self.graph;
        let Some(ast) = graph.modules[module].ast.as_ref() else {
            return Value::Unknown(Unknown::new(Span { module: self.module, range: byte_range(at) }, format!("`{name}` comes from {}, which could not be parsed", graph.modules[module].file.path)));
        };
        let module_exports = exports(ast);
        if let Some((_, export, range)) = module_exports.named.iter().find(|(n, _, _)| n == name) {
            let range = *range;
            let saved = (std::mem::replace(&mut self.module, module), std::mem::take(&mut self.scopes));
            let value = match export {
                Export::Local(local) => {
                    let local = local.clone();
                    self.binding_value(module, &local, at)
                }
                Export::Expr(expr) => {
                    let key = (module, format!("export {name}"));
                    match self.cache.get(&key) {
                        Some(value) => value.clone(),
                        None => {
                            let value = self.eval(expr);
                            self.cache.insert(key, value.clone());
                            value
                        }
                    }
                }
                Export::DefaultDecl(_) => Value::Unknown(Unknown::new(Span { module, range }, "an anonymous default-exported function or class is not a static value")),
                Export::From { source, imported } => {
                    let (source, imported) = (source.clone(), imported.clone());
                    if imported == "*" {
                        self.namespace_value(&source, at)
                    } else {
                        self.import_value(&source, &imported, at)
                    }
                }
            };
            (self.module, self.scopes) = saved;
            return value;
        }
        if name != "default" && !seen.contains(&module) {
            seen.push(module);
            for source in module_exports.star {
                let Some(Resolved::File(path)) = graph.resolved(module, &source) else { continue };
                let Some(target) = graph.id(path) else { continue };
                if export_names(graph, target, &mut Vec::new()).iter().any(|n| n == name) {
                    return self.export_value_guarded(target, name, at, seen);
                }
            }
        }
        Value::Unknown(Unknown::new(Span { module: self.module, range: byte_range(at) }, format!("{} has no export named `{name}`", graph.modules[module].file.path)))
    }

    /// The value of `import { imported } from source` in the current module.
    fn import_value(&mut self, source: &str, imported: &str, at: swc_common::Span) -> Value {
        let resolved = self.graph.resolved(self.module, source).cloned();
        match resolved {
            Some(Resolved::File(path)) => match self.graph.id(&path) {
                Some(target) => self.export_value(target, imported, at),
                None => self.unknown(at, format!("\"{source}\" was not read")),
            },
            Some(Resolved::Generated(generated)) => crate::builders::generated_export(self, &generated, imported, at),
            Some(Resolved::Package { specifier, file }) => {
                let source_module = file.and_then(|f| self.graph.id(&f));
                self.package_export(&specifier, source_module, imported, at)
            }
            Some(Resolved::Missing(_)) | None => {
                self.unknown(at, format!("\"{source}\" names no file of the project, so `{imported}` is unknown"))
            }
        }
    }

    /// An export of a package: as [`crate::builders`] models it, else from the package's source
    /// when the files hold it, else unknown.
    fn package_export(&mut self, package: &str, source: Option<ModuleId>, name: &str, at: swc_common::Span) -> Value {
        let span = Span { module: self.module, range: byte_range(at) };
        if let Some(value) = crate::builders::package_value(package, name, span) {
            return value;
        }
        let is_component_config = package.trim_end_matches(".js").ends_with("/convex.config") && name == "default";
        match source {
            // The CLI replaces an imported `convex.config` by its path and the name it defines.
            Some(module) if is_component_config => match self.export_value(module, name, at) {
                Value::App(app) => Value::ComponentDefinition { specifier: package.to_owned(), default_name: app.component_name },
                other => other,
            },
            Some(module) => self.export_value(module, name, at),
            None if is_component_config => Value::ComponentDefinition { specifier: package.to_owned(), default_name: None },
            None => Value::Unknown(Unknown {
                span,
                reason: crate::known::unmodelled_reason(package, name),
                library: Some(LibraryValue { package: package.to_owned(), name: name.to_owned() }),
            }),
        }
    }

    fn namespace_value(&mut self, source: &str, at: swc_common::Span) -> Value {
        let resolved = self.graph.resolved(self.module, source).cloned();
        match resolved {
            Some(Resolved::File(path)) => match self.graph.id(&path) {
                Some(target) => Value::Namespace(target),
                None => self.unknown(at, format!("\"{source}\" was not read")),
            },
            Some(Resolved::Generated(generated)) => Value::Package(format!("_generated/{generated}"), None),
            Some(Resolved::Package { specifier, file }) => Value::Package(specifier, file.and_then(|f| self.graph.id(&f))),
            Some(Resolved::Missing(_)) | None => self.unknown(at, format!("\"{source}\" names no file of the project")),
        }
    }

    fn eval_array(&mut self, array: &'g ArrayLit) -> Value {
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
                (true, _) => return self.unknown(&*element.expr, "spread of a non-array"),
                (false, value) => items.push(value),
            }
        }
        Value::Array(items)
    }

    fn eval_object(&mut self, object: &'g ObjectLit) -> Value {
        let mut entries: Vec<(String, Value)> = Vec::new();
        for prop in &object.props {
            match prop {
                PropOrSpread::Spread(spread) => match self.eval(&spread.expr) {
                    Value::Object(spread) => {
                        for (key, value) in spread {
                            insert_entry(&mut entries, key, value);
                        }
                    }
                    Value::Undefined | Value::Null => {}
                    // An unknown spread (often `...(process.env.X ? {...} : {})`) is reported and
                    // skipped, so the rest of the object stays visible.
                    Value::Unknown(u) => {
                        let dropped = u.wrap(u.span, format!("entries spread from here are left out: {}", u.reason));
                        self.dropped_spreads.push((self.span(object), dropped.clone()));
                        self.report_unknown(dropped);
                    }
                    other => match crate::builders::as_object(other) {
                        Some(spread) => {
                            for (key, value) in spread {
                                insert_entry(&mut entries, key, value);
                            }
                        }
                        None => return self.unknown(&*spread.expr, "spread of a value whose keys are not known"),
                    },
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
                    Prop::Method(method) => {
                        let key = match self.property_name(&method.key) {
                            Ok(key) => key,
                            Err(u) => return Value::Unknown(u),
                        };
                        let value = self.closure(FunctionRef::Function(&method.function));
                        insert_entry(&mut entries, key, value);
                    }
                    other => return self.unknown(other, "accessors in an object are not static values"),
                },
            }
        }
        Value::Object(entries)
    }

    fn property_name(&mut self, name: &'g PropName) -> Result<String, Unknown> {
        match name {
            PropName::Ident(ident) => Ok(ident.sym.to_string()),
            PropName::Str(s) => Ok(s.value.to_string_lossy().into_owned()),
            PropName::Num(n) => Ok(crate::validator::number_json(n.value).to_string()),
            PropName::BigInt(b) => Ok(b.value.to_string()),
            PropName::Computed(computed) => match self.eval(&computed.expr) {
                Value::Unknown(u) => Err(u),
                value => string_of(&value).ok_or_else(|| Unknown::new(self.span(&*computed.expr), "computed key is not a string")),
            },
        }
    }

    fn eval_member(&mut self, member: &'g MemberExpr) -> Value {
        if let Some(value) = self.environment_variable(member) {
            return value;
        }
        let object = self.eval(&member.obj);
        self.member_of(member, object)
    }

    /// `object.property` or `object[key]` of a member expression whose object is evaluated.
    fn member_of(&mut self, member: &'g MemberExpr, object: Value) -> Value {
        let property = match &member.prop {
            MemberProp::Ident(ident) => ident.sym.to_string(),
            MemberProp::Computed(computed) => match self.eval(&computed.expr) {
                Value::Unknown(u) => return Value::Unknown(u),
                value => match string_of(&value) {
                    Some(s) => s,
                    None => return self.unknown(member, "computed property is not a string"),
                },
            },
            MemberProp::PrivateName(_) => return self.unknown(member, "private name"),
        };
        self.property(object, &property, member.span)
    }

    /// An optional chain (`a?.b.c`, `f?.()`): `None` when a `?.` met `undefined` or `null`, which
    /// makes the whole chain `undefined`.
    fn eval_chain(&mut self, expr: &'g Expr) -> Option<Value> {
        use swc_ecma_ast::OptChainBase;
        let Expr::OptChain(chain) = expr else {
            return Some(self.eval(expr));
        };
        let nullish = |value: &Value| matches!(value, Value::Undefined | Value::Null);
        match &*chain.base {
            OptChainBase::Member(member) => {
                let object = self.eval_chain(&member.obj)?;
                if chain.optional && nullish(&object) {
                    return None;
                }
                Some(self.member_of(member, object))
            }
            OptChainBase::Call(call) => {
                let callee = self.eval_chain(&call.callee)?;
                if chain.optional && nullish(&callee) {
                    return None;
                }
                if let Value::Unknown(u) = callee {
                    return Some(Value::Unknown(u));
                }
                Some(match self.eval_args(&call.args) {
                    Ok(args) => self.call_value(callee, args, call.span),
                    Err(u) => Value::Unknown(u),
                })
            }
        }
    }

    /// `process.env.X`: the Convex bundler sets `NODE_ENV` to `"production"`; every other variable
    /// belongs to a deployment, which the source does not tell.
    fn environment_variable(&mut self, member: &'g MemberExpr) -> Option<Value> {
        let Expr::Member(env) = &*member.obj else { return None };
        let is_process_env = matches!(&*env.obj, Expr::Ident(process) if process.sym == "process")
            && matches!(&env.prop, MemberProp::Ident(name) if name.sym == "env");
        if !is_process_env || self.scopes.iter().any(|s| s.borrow().contains_key("process")) {
            return None;
        }
        let name = match &member.prop {
            MemberProp::Ident(name) => name.sym.to_string(),
            _ => return Some(self.unknown(member, "an environment variable chosen at run time")),
        };
        Some(if name == "NODE_ENV" {
            Value::String("production".into())
        } else {
            self.unknown(member, format!("the environment variable {name} is read when the module loads; its value depends on the deployment"))
        })
    }

    /// `object[property]`.
    pub fn property(&mut self, object: Value, property: &str, at: swc_common::Span) -> Value {
        match object {
            Value::Unknown(u) => Value::Unknown(u),
            Value::Object(entries) => entries.into_iter().find(|(k, _)| k == property).map_or(Value::Undefined, |(_, v)| v),
            Value::Array(items) if property == "length" => Value::Number(items.len() as f64),
            Value::Array(items) => match property.parse::<usize>() {
                Ok(i) => items.into_iter().nth(i).unwrap_or(Value::Undefined),
                Err(_) => Value::Builtin(Builtin::Method { receiver: Box::new(Value::Array(items)), method: property.into() }),
            },
            Value::String(s) if property == "length" => Value::Number(s.encode_utf16().count() as f64),
            Value::Namespace(module) => self.export_value(module, property, at),
            Value::Instance(instance) => self.instance_property(*instance, property, at),
            Value::Class(class) => self.static_property(class, property, at),
            Value::Package(package, source) => self.import_value_of_package(&package, source, property, at),
            Value::Undefined | Value::Null => self.unknown(at, format!("reading `{property}` of undefined or null throws")),
            other => crate::builders::property(self, other, property, at),
        }
    }

    fn import_value_of_package(&mut self, package: &str, source: Option<ModuleId>, name: &str, at: swc_common::Span) -> Value {
        match package.strip_prefix("_generated/") {
            Some(generated) => crate::builders::generated_export(self, generated, name, at),
            None => self.package_export(package, source, name, at),
        }
    }

    pub(crate) fn eval_call(&mut self, call: &'g CallExpr) -> Value {
        let Callee::Expr(callee) = &call.callee else {
            return self.unknown(call, "`super(...)` and `import(...)` are not static values");
        };
        let is_require = matches!(&**callee, Expr::Ident(i) if i.sym == "require" && !self.module_bindings(self.module).contains_key("require"));
        if is_require {
            if let Some((specifier, _)) = crate::graph::required_call_specifier(call) {
                return self.namespace_value(&specifier, call.span);
            }
        }
        let callee_value = self.eval(callee);
        if let Value::Unknown(u) = callee_value {
            if let Some(library) = &u.library {
                self.note_tables_given(library, &call.args);
            }
            return Value::Unknown(u);
        }
        let args = match self.eval_args(&call.args) {
            Ok(args) => args,
            Err(u) => return Value::Unknown(u),
        };
        self.call_value(callee_value, args, call.span)
    }

    /// Records the tables a library's function is given by name (a schema, or an object of
    /// tables such as `authTables`); only names are looked at, nothing else is evaluated.
    fn note_tables_given(&mut self, library: &LibraryValue, args: &'g [ExprOrSpread]) {
        let mut tables = Vec::new();
        for arg in args.iter().filter(|a| matches!(&*a.expr, Expr::Ident(_) | Expr::Member(_))) {
            match self.eval(&arg.expr) {
                Value::Schema(schema) => tables.extend(schema.tables.iter().map(|(name, _, _)| name.clone())),
                Value::Object(entries) => tables.extend(entries.iter().filter(|(_, v)| matches!(v, Value::Table(_))).map(|(name, _)| name.clone())),
                _ => {}
            }
        }
        if !tables.is_empty() {
            self.tables_given_to_libraries.push((library.clone(), tables));
        }
    }

    fn eval_new(&mut self, new: &'g NewExpr) -> Value {
        let callee = self.eval(&new.callee);
        if let Value::Unknown(u) = callee {
            return Value::Unknown(u);
        }
        let args = match self.eval_args(new.args.as_deref().unwrap_or_default()) {
            Ok(args) => args,
            Err(u) => return Value::Unknown(u),
        };
        match callee {
            Value::Builtin(builtin) => crate::builders::construct(self, builtin, args, new.span),
            Value::Class(class) => self.construct(class, args, new.span),
            _ => self.unknown(new, "instances of this class are not evaluated statically"),
        }
    }

    fn eval_args(&mut self, args: &'g [swc_ecma_ast::ExprOrSpread]) -> Result<Vec<Arg>, Unknown> {
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            let span = self.span(&*arg.expr);
            let value = self.eval(&arg.expr);
            if arg.spread.is_some() {
                match value {
                    Value::Array(spread) => values.extend(spread.into_iter().map(|v| Arg { value: v, span })),
                    Value::Unknown(u) => return Err(u),
                    _ => return Err(Unknown::new(span, "spread of a non-array")),
                }
            } else {
                values.push(Arg { value, span });
            }
        }
        Ok(values)
    }

    /// Calls a value with evaluated arguments.
    pub fn call_value(&mut self, callee: Value, args: Vec<Arg>, at: swc_common::Span) -> Value {
        match callee {
            Value::Closure(id) => self.call_closure(id, args, at),
            Value::Builtin(builtin) => crate::builders::call(self, builtin, args, Span { module: self.module, range: byte_range(at) }),
            Value::Builder(builder) => crate::builders::register_function(self, *builder, args, self.span(at)),
            Value::Unknown(u) => Value::Unknown(u),
            _ => self.unknown(at, "this value is not a function"),
        }
    }

    fn closure(&mut self, function: FunctionRef<'g>) -> Value {
        self.closures.push(Closure { module: self.module, function, captured: self.scopes.clone() });
        Value::Closure(ClosureId { id: self.closures.len() - 1, span: Span { module: self.module, range: function.range() } })
    }

    /// Runs a small user function: parameters bound to the arguments, `const` declarations,
    /// `if` with a static test, and `return`. Anything else makes the result unknown.
    pub fn call_closure(&mut self, closure: ClosureId, args: Vec<Arg>, at: swc_common::Span) -> Value {
        if self.calls >= MAX_CALL_DEPTH {
            return self.unknown(at, format!("user functions call each other deeper than {MAX_CALL_DEPTH} levels"));
        }
        let Closure { module, function, captured } = &self.closures[closure.id];
        let (module, function) = (*module, *function);
        let mut scopes = captured.clone();
        scopes.push(Rc::new(RefCell::new(HashMap::new())));
        let saved = (std::mem::replace(&mut self.module, module), std::mem::replace(&mut self.scopes, scopes));
        self.calls += 1;
        let value = self.run_function(function, args, at);
        self.calls -= 1;
        (self.module, self.scopes) = saved;
        value
    }

    fn run_function(&mut self, function: FunctionRef<'g>, args: Vec<Arg>, at: swc_common::Span) -> Value {
        let (params, is_async): (Vec<&'g Pat>, bool) = match function {
            FunctionRef::Arrow(arrow) => (arrow.params.iter().collect(), arrow.is_async),
            FunctionRef::Function(f) => (f.params.iter().map(|p| &p.pat).collect(), f.is_async),
        };
        if is_async {
            return self.unknown(at, "an async function returns a promise, which is not a static value");
        }
        let mut args = args.into_iter().map(|a| a.value);
        for param in params {
            let value = match param {
                Pat::Rest(_) => Value::Array(args.by_ref().collect()),
                _ => args.next().unwrap_or(Value::Undefined),
            };
            if let Err(u) = self.bind_pattern(param, value) {
                return Value::Unknown(u);
            }
        }
        match function {
            FunctionRef::Arrow(arrow) => match &*arrow.body {
                ArrowFunctionBody::Expr(expr) => self.eval(expr),
                ArrowFunctionBody::FunctionBody(block) => self.run_block(&block.stmts).unwrap_or(Value::Undefined),
            },
            FunctionRef::Function(f) => match &f.body {
                Some(body) => self.run_block(&body.stmts).unwrap_or(Value::Undefined),
                None => self.unknown(at, "a function without a body"),
            },
        }
    }

    /// Runs statements; `Some(value)` when one of them returns.
    fn run_block(&mut self, statements: &'g [Stmt]) -> Option<Value> {
        for statement in statements {
            match statement {
                Stmt::Return(ret) => return Some(ret.arg.as_ref().map_or(Value::Undefined, |e| self.eval(e))),
                Stmt::Decl(Decl::Var(var)) => {
                    for declarator in &var.decls {
                        let value = declarator.init.as_ref().map_or(Value::Undefined, |init| self.eval(init));
                        if let Err(u) = self.bind_pattern(&declarator.name, value) {
                            return Some(Value::Unknown(u));
                        }
                    }
                }
                Stmt::Decl(Decl::Fn(f)) => {
                    let value = self.closure(FunctionRef::Function(&f.function));
                    self.bind_local(f.ident.sym.as_str(), value);
                }
                Stmt::Decl(_) | Stmt::Empty(_) => {}
                Stmt::Block(block) => {
                    if let Some(value) = self.run_block(&block.stmts) {
                        return Some(value);
                    }
                }
                Stmt::If(branch) => {
                    let test = self.eval(&branch.test);
                    let taken = match truthiness(&test) {
                        Some(true) => Some(&*branch.cons),
                        Some(false) => branch.alt.as_deref(),
                        None => {
                            let reason = "the function's result depends on a condition that is not known statically";
                            return Some(match test {
                                Value::Unknown(u) => Value::Unknown(u),
                                _ => self.unknown(&*branch.test, reason),
                            });
                        }
                    };
                    if let Some(value) = taken.and_then(|s| self.run_block(std::slice::from_ref(s))) {
                        return Some(value);
                    }
                }
                Stmt::Throw(throw) => return Some(self.unknown(throw, "the function throws here")),
                // A registration changes only the shared `Triggers` value; no other statement
                // of a function is run for its effect.
                Stmt::Expr(statement) if self.registers_trigger(&statement.expr) => {
                    if let Value::Unknown(unknown) = self.eval(&statement.expr) {
                        return Some(Value::Unknown(unknown));
                    }
                }
                other => {
                    return Some(self.unknown(other, "the function runs a statement that is not evaluated statically"))
                }
            }
        }
        None
    }

    /// Gives a module-level binding its value while statements that change it run: a shared
    /// value (`Triggers`) is the same before and after, and the statements name it.
    pub(crate) fn define_early(&mut self, name: &str, value: Value) {
        self.cache.insert((self.module, name.to_owned()), value);
    }

    /// Whether `expr` is `triggers.register(...)` on convex-helpers' `Triggers`.
    fn registers_trigger(&mut self, expr: &'g Expr) -> bool {
        let Expr::Call(CallExpr { callee: Callee::Expr(callee), .. }) = expr else { return false };
        let Expr::Member(member) = &**callee else { return false };
        matches!(&member.prop, MemberProp::Ident(method) if method.sym == "register") && matches!(self.eval(&member.obj), Value::Triggers(_))
    }

    fn bind_local(&mut self, name: &str, value: Value) {
        if let Some(scope) = self.scopes.last() {
            scope.borrow_mut().insert(name.to_owned(), value);
        }
    }

    /// Binds a parameter or declaration pattern in the innermost local scope.
    fn bind_pattern(&mut self, pat: &'g Pat, value: Value) -> Result<(), Unknown> {
        match pat {
            Pat::Ident(ident) => self.bind_local(ident.id.sym.as_str(), value),
            Pat::Assign(assign) => {
                let value = match value {
                    Value::Undefined => self.eval(&assign.right),
                    value => value,
                };
                self.bind_pattern(&assign.left, value)?;
            }
            Pat::Object(object) => {
                for prop in &object.props {
                    match prop {
                        ObjectPatProp::KeyValue(kv) => {
                            let key = self.property_name(&kv.key)?;
                            let field = self.property(value.clone(), &key, kv.key.span());
                            self.bind_pattern(&kv.value, field)?;
                        }
                        ObjectPatProp::Assign(assign) => {
                            let mut field = self.property(value.clone(), assign.key.sym.as_str(), assign.key.span);
                            if let (Value::Undefined, Some(default)) = (&field, &assign.value) {
                                field = self.eval(default);
                            }
                            self.bind_local(assign.key.sym.as_str(), field);
                        }
                        ObjectPatProp::Rest(rest) => {
                            let taken: Vec<String> = object.props.iter().filter_map(pattern_key).collect();
                            let remaining = match &value {
                                Value::Object(entries) => Value::Object(
                                    entries.iter().filter(|(k, _)| !taken.contains(k)).cloned().collect(),
                                ),
                                _ => self.unknown(&*rest.arg, "the rest of a value whose keys are not known"),
                            };
                            self.bind_pattern(&rest.arg, remaining)?;
                        }
                    }
                }
            }
            Pat::Array(array) => {
                for (i, element) in array.elems.iter().enumerate() {
                    let Some(element) = element else { continue };
                    let item = match element {
                        Pat::Rest(_) => match &value {
                            Value::Array(items) => Value::Array(items.iter().skip(i).cloned().collect()),
                            _ => self.unknown(element, "the rest of a value that is not a static array"),
                        },
                        _ => self.property(value.clone(), &i.to_string(), element.span()),
                    };
                    self.bind_pattern(element, item)?;
                }
            }
            Pat::Rest(rest) => self.bind_pattern(&rest.arg, value)?,
            other => return Err(Unknown::new(self.span(other), "this pattern is not evaluated statically")),
        }
        Ok(())
    }

    /// A user function's module, code and the scopes it closes over, for the facts walker.
    pub(crate) fn closure_parts(&self, closure: ClosureId) -> (ModuleId, FunctionRef<'g>, Vec<Scope>) {
        let Closure { module, function, captured } = &self.closures[closure.id];
        (*module, *function, captured.clone())
    }

    /// Evaluates an expression of `module` in the given scopes (a closure's, for the facts
    /// walker's static parts).
    pub(crate) fn eval_in_scopes(&mut self, module: ModuleId, scopes: Vec<Scope>, expr: &'g Expr) -> Value {
        let saved = (std::mem::replace(&mut self.module, module), std::mem::replace(&mut self.scopes, scopes));
        let value = self.eval(expr);
        (self.module, self.scopes) = saved;
        value
    }

    /// What a name is bound to in the given scopes of `module`.
    pub(crate) fn ident_in_scopes(&mut self, module: ModuleId, scopes: Vec<Scope>, ident: &'g Ident) -> Value {
        let saved = (std::mem::replace(&mut self.module, module), std::mem::replace(&mut self.scopes, scopes));
        let value = self.eval_ident(ident);
        (self.module, self.scopes) = saved;
        value
    }

    /// A new user function value for code the facts walker met (a local helper).
    pub(crate) fn closure_in(&mut self, module: ModuleId, scopes: Vec<Scope>, function: FunctionRef<'g>) -> Value {
        let saved = (std::mem::replace(&mut self.module, module), std::mem::replace(&mut self.scopes, scopes));
        let value = self.closure(function);
        (self.module, self.scopes) = saved;
        value
    }

    /// Records an unknown that is dropped on the way to a larger value.
    pub fn report_unknown(&mut self, unknown: Unknown) {
        if !self.unknowns.contains(&unknown) {
            self.unknowns.push(unknown);
        }
    }

    pub fn report_problem(&mut self, span: Span, reason: String) {
        self.problems.push(Unknown::new(span, reason));
    }

    /// The module being evaluated.
    pub fn current_module(&self) -> ModuleId {
        self.module
    }
}

/// Every name a module exports, following `export *` (which never re-exports `default`).
pub fn export_names(graph: &ModuleGraph, module: ModuleId, seen: &mut Vec<ModuleId>) -> Vec<String> {
    let Some(ast) = graph.modules[module].ast.as_ref() else {
        return Vec::new();
    };
    if seen.contains(&module) {
        return Vec::new();
    }
    seen.push(module);
    let module_exports = exports(ast);
    let mut names: Vec<String> = module_exports.named.iter().map(|(n, _, _)| n.clone()).collect();
    for source in &module_exports.star {
        let Some(Resolved::File(path)) = graph.resolved(module, source) else { continue };
        let Some(target) = graph.id(path) else { continue };
        for name in export_names(graph, target, seen) {
            if name != "default" && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

fn pattern_key(prop: &ObjectPatProp) -> Option<String> {
    match prop {
        ObjectPatProp::KeyValue(kv) => match &kv.key {
            PropName::Ident(i) => Some(i.sym.to_string()),
            PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
            _ => None,
        },
        ObjectPatProp::Assign(assign) => Some(assign.key.sym.to_string()),
        ObjectPatProp::Rest(_) => None,
    }
}

/// Adds or replaces an object entry, keeping the first position as JavaScript does.
pub fn insert_entry<V>(entries: &mut Vec<(String, V)>, key: String, value: V) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

/// `typeof value`, when it is known.
fn type_of(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Undefined => "undefined",
        Value::Null | Value::Array(_) | Value::Object(_) => "object",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::BigInt(_) => "bigint",
        Value::String(_) => "string",
        Value::Closure(_) | Value::Builder(_) | Value::Function(_) | Value::Class(_) => "function",
        Value::Unknown(_) | Value::Builtin(_) => return None,
        _ => "object",
    })
}

/// JavaScript truthiness, when it is known.
pub fn truthiness(value: &Value) -> Option<bool> {
    match value {
        Value::Undefined | Value::Null => Some(false),
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(*n != 0.0 && !n.is_nan()),
        Value::BigInt(n) => Some(*n != 0),
        Value::String(s) => Some(!s.is_empty()),
        Value::Unknown(_) => None,
        _ => Some(true),
    }
}

/// `String(value)` for primitives.
pub fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(crate::validator::number_json(*n).to_string()),
        Value::BigInt(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        Value::Undefined => Some("undefined".into()),
        _ => None,
    }
}

fn strict_equals(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => a == b,
        (Value::BigInt(a), Value::BigInt(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (a, b) if is_primitive(a) && is_primitive(b) => false,
        _ => return None,
    })
}

fn is_primitive(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::BigInt(_) | Value::Bool(_) | Value::Undefined | Value::Null)
}

fn collect_bindings(module: &swc_ecma_ast::Module) -> HashMap<String, Binding<'_>> {
    let mut bindings = HashMap::new();
    for item in &module.body {
        let decl = match item {
            ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => {
                if !import.type_only {
                    bind_imports(&mut bindings, import);
                }
                continue;
            }
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => &export.decl,
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(export)) => {
                match &export.decl {
                    swc_ecma_ast::DefaultDecl::Fn(f) => {
                        if let Some(ident) = &f.ident {
                            bindings.insert(ident.sym.to_string(), Binding::Function(FunctionRef::Function(&f.function)));
                        }
                    }
                    swc_ecma_ast::DefaultDecl::Class(c) => {
                        if let Some(ident) = &c.ident {
                            bindings.insert(ident.sym.to_string(), Binding::Class(&c.class));
                        }
                    }
                    swc_ecma_ast::DefaultDecl::TsInterfaceDecl(_) => {}
                }
                continue;
            }
            ModuleItem::Stmt(Stmt::Decl(decl)) => decl,
            _ => continue,
        };
        match decl {
            Decl::Var(var) => {
                for declarator in &var.decls {
                    match (&declarator.name, &declarator.init) {
                        (Pat::Ident(ident), Some(init)) => {
                            bindings.insert(ident.id.sym.to_string(), Binding::Expr(init));
                        }
                        (Pat::Ident(ident), None) => {
                            bindings.insert(ident.id.sym.to_string(), Binding::Opaque("declared without a value"));
                        }
                        (pattern, Some(init)) => bind_destructured(&mut bindings, pattern, init, Vec::new()),
                        _ => {}
                    }
                }
            }
            Decl::Fn(function) => {
                bindings.insert(function.ident.sym.to_string(), Binding::Function(FunctionRef::Function(&function.function)));
            }
            Decl::Class(class) => {
                bindings.insert(class.ident.sym.to_string(), Binding::Class(&class.class));
            }
            Decl::TsEnum(e) => {
                bindings.insert(e.id.sym.to_string(), Binding::Enum(e));
            }
            _ => {}
        }
    }
    bindings
}

fn bind_imports<'g>(bindings: &mut HashMap<String, Binding<'g>>, import: &'g swc_ecma_ast::ImportDecl) {
    let source = import.src.value.to_string_lossy().into_owned();
    for specifier in &import.specifiers {
        match specifier {
            ImportSpecifier::Named(named) if !named.is_type_only => {
                let imported = match &named.imported {
                    Some(ModuleExportName::Ident(ident)) => ident.sym.to_string(),
                    Some(ModuleExportName::Str(s)) => s.value.to_string_lossy().into_owned(),
                    None => named.local.sym.to_string(),
                };
                bindings.insert(named.local.sym.to_string(), Binding::Import { source: source.clone(), imported });
            }
            ImportSpecifier::Named(_) => {}
            ImportSpecifier::Default(default) => {
                let imported = "default".to_owned();
                bindings.insert(default.local.sym.to_string(), Binding::Import { source: source.clone(), imported });
            }
            ImportSpecifier::Namespace(namespace) => {
                bindings.insert(namespace.local.sym.to_string(), Binding::NamespaceImport { source: source.clone() });
            }
        }
    }
}

/// `const { a, b: { c } } = init` binds `a` to `init.a` and `c` to `init.b.c`.
fn bind_destructured<'g>(bindings: &mut HashMap<String, Binding<'g>>, pat: &'g Pat, init: &'g Expr, path: Vec<PathStep<'g>>) {
    let with = |step: PathStep<'g>| {
        let mut path = path.clone();
        path.push(step);
        path
    };
    match pat {
        Pat::Ident(ident) => {
            bindings.insert(ident.id.sym.to_string(), Binding::Destructured { init, path });
        }
        Pat::Assign(assign) => bind_destructured(bindings, &assign.left, init, with(PathStep::Default(&assign.right))),
        Pat::Object(object) => {
            for prop in &object.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => match &kv.key {
                        PropName::Ident(i) => bind_destructured(bindings, &kv.value, init, with(PathStep::Key(i.sym.to_string()))),
                        PropName::Str(s) => {
                            let key = s.value.to_string_lossy().into_owned();
                            bind_destructured(bindings, &kv.value, init, with(PathStep::Key(key)));
                        }
                        _ => {
                            for (name, _) in crate::graph::pattern_names(&kv.value) {
                                bindings.insert(name, Binding::Opaque("destructured with a computed key"));
                            }
                        }
                    },
                    ObjectPatProp::Assign(assign) => {
                        let mut path = with(PathStep::Key(assign.key.sym.to_string()));
                        if let Some(default) = &assign.value {
                            path.push(PathStep::Default(default));
                        }
                        bindings.insert(assign.key.sym.to_string(), Binding::Destructured { init, path });
                    }
                    ObjectPatProp::Rest(rest) => {
                        let taken = object.props.iter().filter_map(pattern_key).collect();
                        bind_destructured(bindings, &rest.arg, init, with(PathStep::Rest(taken)));
                    }
                }
            }
        }
        Pat::Array(array) => {
            for (i, element) in array.elems.iter().enumerate() {
                match element {
                    Some(Pat::Rest(rest)) => {
                        for (name, _) in crate::graph::pattern_names(&rest.arg) {
                            bindings.insert(name, Binding::Opaque("the rest of a destructuring"));
                        }
                    }
                    Some(element) => bind_destructured(bindings, element, init, with(PathStep::Index(i))),
                    None => {}
                }
            }
        }
        _ => {}
    }
}
