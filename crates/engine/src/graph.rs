//! The module graph: every project file that the backend's modules reach through imports, parsed
//! once, with each import specifier resolved and each module's exports listed.
//!
//! Parsing is per file: a file that does not parse gets its diagnostics and an empty module, and
//! the rest of the project is still read.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use swc_ecma_ast::{
    Decl, DefaultDecl, ExportSpecifier, Expr, ImportSpecifier, Module, ModuleDecl, ModuleExportName, ModuleItem,
    Pat, Stmt,
};

use crate::diagnostics::{Diagnostic, DiagnosticCode, Severity};
use crate::parse::{byte_range, parse_module};
use crate::resolve::{Resolved, Resolver};
use crate::source::{ByteRange, LineIndex, SourceFile};

pub type ModuleId = usize;

/// One parsed file.
pub struct ModuleNode<'a> {
    pub file: &'a SourceFile,
    /// `None` when the file could not be parsed (its diagnostics say why).
    pub ast: Option<Module>,
    pub lines: LineIndex<'a>,
    /// Each import or re-export specifier, resolved.
    pub resolved: HashMap<String, Resolved>,
    /// Files this module imports for their values (type-only imports left out), in source order.
    pub dependencies: Vec<(ModuleId, ByteRange)>,
}

/// How a module exports a name.
#[derive(Clone, Debug)]
pub enum Export<'m> {
    /// A module-level binding of the same module.
    Local(String),
    /// `export default <expression>`, or CommonJS `module.exports = ...` / `exports.name = ...`.
    Expr(&'m Expr),
    /// `export default function` / `class`: not a static value.
    DefaultDecl(ByteRange),
    /// `export { a as b } from "./m"`; `imported` is `*` for `export * as ns from`.
    From { source: String, imported: String },
}

/// The parsed files of a project that the analysis reads.
pub struct ModuleGraph<'a> {
    pub modules: Vec<ModuleNode<'a>>,
    by_path: HashMap<&'a str, ModuleId>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> ModuleGraph<'a> {
    /// Parses the `roots` and every project file they import, transitively.
    pub fn build(files: &'a BTreeMap<&'a str, &'a SourceFile>, resolver: &Resolver, roots: &[&'a SourceFile]) -> Self {
        let mut graph = Self { modules: Vec::new(), by_path: HashMap::new(), diagnostics: Vec::new() };
        let mut queue: VecDeque<ModuleId> = VecDeque::new();
        for root in roots {
            if let Some(id) = graph.add(root) {
                queue.push_back(id);
            }
        }
        while let Some(id) = queue.pop_front() {
            let sources = graph.modules[id].ast.as_ref().map(import_sources).unwrap_or_default();
            for source in sources {
                let importer = graph.modules[id].file.path.as_str();
                let resolved = follow(resolver, importer, &source, None);
                if let Some(path) = target_of(&resolved) {
                    let file = files[path];
                    let known = graph.by_path.get(file.path.as_str()).copied();
                    let target = known.or_else(|| graph.add(file));
                    if let Some(target) = target {
                        if known.is_none() {
                            queue.push_back(target);
                        }
                        if source.value {
                            graph.modules[id].dependencies.push((target, source.range));
                        }
                    }
                }
                // Several statements may import one specifier: one that needs the package's
                // source must not be undone by one that does not.
                let needs_file = target_of(&resolved).is_some();
                match graph.modules[id].resolved.entry(source.specifier) {
                    Entry::Occupied(mut entry) if needs_file => {
                        entry.insert(resolved);
                    }
                    Entry::Occupied(_) => {}
                    Entry::Vacant(entry) => {
                        entry.insert(resolved);
                    }
                }
            }
        }
        graph
    }

    fn add(&mut self, file: &'a SourceFile) -> Option<ModuleId> {
        if self.by_path.contains_key(file.path.as_str()) {
            return None;
        }
        let (ast, diagnostics) = if file.text.contains('\0') {
            (None, Vec::new())
        } else {
            let (parsed, diagnostics) = parse_module(file);
            (parsed.map(|p| p.module), diagnostics)
        };
        self.diagnostics.extend(diagnostics);
        let id = self.modules.len();
        self.modules.push(ModuleNode {
            file,
            ast,
            lines: LineIndex::new(&file.text),
            resolved: HashMap::new(),
            dependencies: Vec::new(),
        });
        self.by_path.insert(&file.path, id);
        Some(id)
    }

    pub fn id(&self, path: &str) -> Option<ModuleId> {
        self.by_path.get(path).copied()
    }

    pub fn resolved(&self, module: ModuleId, specifier: &str) -> Option<&Resolved> {
        self.modules[module].resolved.get(specifier)
    }

    /// Import cycles that pass through `module`, each as the list of modules from it back to it.
    pub fn cycles_through(&self, module: ModuleId) -> Vec<Vec<ModuleId>> {
        // Depth-first search for paths back to `module`; each dependency edge of `module`
        // starts at most one reported cycle.
        let mut cycles = Vec::new();
        for &(first, _) in &self.modules[module].dependencies {
            let mut seen = vec![false; self.modules.len()];
            let mut path = vec![module];
            if self.path_back(first, module, &mut seen, &mut path) {
                cycles.push(path);
            }
        }
        cycles
    }

    fn path_back(&self, at: ModuleId, target: ModuleId, seen: &mut [bool], path: &mut Vec<ModuleId>) -> bool {
        if at == target {
            path.push(at);
            return true;
        }
        if std::mem::replace(&mut seen[at], true) {
            return false;
        }
        path.push(at);
        for &(next, _) in &self.modules[at].dependencies {
            if self.path_back(next, target, seen, path) {
                return true;
            }
        }
        path.pop();
        false
    }

    pub fn diagnostic(&self, module: ModuleId, code: DiagnosticCode, severity: Severity, range: ByteRange, message: String) -> Diagnostic {
        let node = &self.modules[module];
        Diagnostic { code, severity, message, location: node.lines.location(&node.file.path, range), library: None }
    }
}

/// The specifiers a module imports or re-exports from, with where, and whether any value (not
/// only types) comes through.
/// How one import resolves. A package is read only for what convex-lens does not model; what
/// would let the import resolve further is added to `wanted`, when given.
fn follow(resolver: &Resolver, importer: &str, source: &ImportSource, wanted: Option<&mut Vec<String>>) -> Resolved {
    let mut resolved = resolver.resolve(importer, &source.specifier);
    let unresolved = match &mut resolved {
        Resolved::Package { specifier, file } => {
            if !source.value || !crate::builders::needs_source(specifier, source.names.as_deref()) {
                *file = None;
                false
            } else {
                file.is_none()
            }
        }
        Resolved::Missing(_) => true,
        _ => false,
    };
    if let (true, Some(wanted)) = (unresolved, wanted) {
        wanted.extend(resolver.wanted(importer, &source.specifier));
    }
    resolved
}

/// The file an import leads to, if it is among the files.
fn target_of(resolved: &Resolved) -> Option<&str> {
    match resolved {
        Resolved::File(path) | Resolved::Package { file: Some(path), .. } => Some(path.as_str()),
        _ => None,
    }
}

/// The imports of each file, kept while a host reads packages in rounds, so that each file is
/// parsed once however many rounds it takes.
#[derive(Default)]
pub struct ImportCache {
    imports: HashMap<String, Rc<Vec<ImportSource>>>,
}

/// The package files that the imports reachable from `roots` would read next. Like
/// [`ModuleGraph::build`], without keeping the syntax trees.
pub fn wanted_files(files: &BTreeMap<&str, &SourceFile>, resolver: &Resolver, roots: &[&SourceFile], cache: &mut ImportCache) -> Vec<String> {
    let mut wanted = Vec::new();
    let mut seen: HashSet<String> = roots.iter().map(|f| f.path.clone()).collect();
    let mut queue: VecDeque<&SourceFile> = roots.iter().copied().collect();
    while let Some(file) = queue.pop_front() {
        let sources = cache
            .imports
            .entry(file.path.clone())
            .or_insert_with(|| {
                let ast = if file.text.contains('\0') { None } else { parse_module(file).0.map(|p| p.module) };
                Rc::new(ast.as_ref().map(import_sources).unwrap_or_default())
            })
            .clone();
        for source in sources.iter() {
            let resolved = follow(resolver, &file.path, source, Some(&mut wanted));
            if let Some(path) = target_of(&resolved) {
                if seen.insert(path.to_owned()) {
                    queue.push_back(files[path]);
                }
            }
        }
    }
    crate::order::sort(&mut wanted);
    wanted.dedup();
    wanted
}

/// One import or re-export of a module.
struct ImportSource {
    specifier: String,
    range: ByteRange,
    /// Whether it imports values (not only types).
    value: bool,
    /// The names imported (`default` for a default import); `None` for a namespace import,
    /// `export *` or `require`, which may use any.
    names: Option<Vec<String>>,
}

fn import_sources(module: &Module) -> Vec<ImportSource> {
    let mut sources = Vec::new();
    let name_of = |name: &ModuleExportName| match name {
        ModuleExportName::Ident(ident) => ident.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    };
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else { continue };
        let (src, value, names) = match decl {
            ModuleDecl::Import(import) => {
                let value = !import.type_only
                    && (import.specifiers.is_empty()
                        || import.specifiers.iter().any(|s| !matches!(s, ImportSpecifier::Named(n) if n.is_type_only)));
                let mut names = Some(Vec::new());
                for specifier in &import.specifiers {
                    match (specifier, names.as_mut()) {
                        (ImportSpecifier::Named(named), Some(list)) if !named.is_type_only => {
                            list.push(named.imported.as_ref().map_or_else(|| named.local.sym.to_string(), name_of));
                        }
                        (ImportSpecifier::Default(_), Some(list)) => list.push("default".into()),
                        (ImportSpecifier::Namespace(_), _) => names = None,
                        _ => {}
                    }
                }
                (&import.src, value, names)
            }
            ModuleDecl::ExportAll(export) => (&export.src, !export.type_only, None),
            ModuleDecl::ExportNamed(export) => match &export.src {
                Some(src) => {
                    let names = export
                        .specifiers
                        .iter()
                        .map(|specifier| match specifier {
                            ExportSpecifier::Named(named) => Some(name_of(&named.orig)),
                            ExportSpecifier::Default(_) => Some("default".into()),
                            ExportSpecifier::Namespace(_) => None,
                        })
                        .collect();
                    (src, !export.type_only, names)
                }
                None => continue,
            },
            _ => continue,
        };
        sources.push(ImportSource { specifier: src.value.to_string_lossy().into_owned(), range: byte_range(&**src), value, names });
    }
    sources.extend(require_sources(module).into_iter().map(|(specifier, range)| ImportSource { specifier, range, value: true, names: None }));
    sources
}

/// What a module exports, by name, and the sources of its `export *` declarations.
pub struct Exports<'m> {
    pub named: Vec<(String, Export<'m>, ByteRange)>,
    pub star: Vec<String>,
}

/// Lists a module's exports in source order.
pub fn exports(module: &Module) -> Exports<'_> {
    let mut named = Vec::new();
    let mut star = Vec::new();
    let name_of = |name: &ModuleExportName| match name {
        ModuleExportName::Ident(ident) => ident.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    };
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else { continue };
        match decl {
            ModuleDecl::ExportDecl(export) => {
                for (name, range) in declared_names(&export.decl) {
                    named.push((name.clone(), Export::Local(name), range));
                }
            }
            ModuleDecl::ExportDefaultExpr(export) => {
                named.push(("default".into(), Export::Expr(&export.expr), byte_range(&*export.expr)));
            }
            ModuleDecl::ExportDefaultDecl(export) => {
                let range = byte_range(export);
                let local = match &export.decl {
                    DefaultDecl::Fn(f) => f.ident.as_ref().map(|i| i.sym.to_string()),
                    DefaultDecl::Class(c) => c.ident.as_ref().map(|i| i.sym.to_string()),
                    DefaultDecl::TsInterfaceDecl(_) => continue,
                };
                let export = match local {
                    Some(local) => Export::Local(local),
                    None => Export::DefaultDecl(range),
                };
                named.push(("default".into(), export, range));
            }
            ModuleDecl::ExportNamed(export) if !export.type_only => {
                let source = export.src.as_ref().map(|s| s.value.to_string_lossy().into_owned());
                for specifier in &export.specifiers {
                    let range = byte_range(specifier);
                    match specifier {
                        ExportSpecifier::Named(n) if !n.is_type_only => {
                            let orig = name_of(&n.orig);
                            let exported = n.exported.as_ref().map_or_else(|| orig.clone(), name_of);
                            let export = match &source {
                                Some(source) => Export::From { source: source.clone(), imported: orig },
                                None => Export::Local(orig),
                            };
                            named.push((exported, export, range));
                        }
                        ExportSpecifier::Namespace(ns) => {
                            if let Some(source) = &source {
                                let export = Export::From { source: source.clone(), imported: "*".into() };
                                named.push((name_of(&ns.name), export, range));
                            }
                        }
                        ExportSpecifier::Default(d) => {
                            if let Some(source) = &source {
                                let export = Export::From { source: source.clone(), imported: "default".into() };
                                named.push((d.exported.sym.to_string(), export, range));
                            }
                        }
                        ExportSpecifier::Named(_) => {}
                    }
                }
            }
            ModuleDecl::ExportAll(export) if !export.type_only => {
                star.push(export.src.value.to_string_lossy().into_owned());
            }
            _ => {}
        }
    }
    named.extend(commonjs_exports(module));
    Exports { named, star }
}

/// CommonJS modules (`.cjs`, or `.js` without `import`/`export`): `module.exports = value` is the
/// default export and `exports.name = value` a named one, as esbuild bundles them for Convex.
fn commonjs_exports(module: &Module) -> Vec<(String, Export<'_>, ByteRange)> {
    use swc_ecma_ast::{AssignTarget, SimpleAssignTarget};
    let mut named = Vec::new();
    for statement in top_level_statements(module) {
        let Stmt::Expr(statement) = statement else { continue };
        let Expr::Assign(assign) = &*statement.expr else { continue };
        let AssignTarget::Simple(SimpleAssignTarget::Member(target)) = &assign.left else { continue };
        let property = match &target.prop {
            swc_ecma_ast::MemberProp::Ident(p) => p.sym.to_string(),
            _ => continue,
        };
        let name = match &*target.obj {
            Expr::Ident(obj) if obj.sym == "module" && property == "exports" => "default".to_owned(),
            Expr::Ident(obj) if obj.sym == "exports" => property,
            Expr::Member(inner) if is_module_exports(inner) => property,
            _ => continue,
        };
        named.push((name, Export::Expr(&assign.right), byte_range(&*assign.right)));
    }
    named
}

fn is_module_exports(member: &swc_ecma_ast::MemberExpr) -> bool {
    matches!(&*member.obj, Expr::Ident(obj) if obj.sym == "module")
        && matches!(&member.prop, swc_ecma_ast::MemberProp::Ident(p) if p.sym == "exports")
}

/// `require("specifier")` calls in top-level declarations.
fn require_sources(module: &Module) -> Vec<(String, ByteRange)> {
    let mut sources = Vec::new();
    for statement in top_level_statements(module) {
        let Stmt::Decl(Decl::Var(var)) = statement else { continue };
        for declarator in &var.decls {
            if let Some(specifier) = declarator.init.as_deref().and_then(required_specifier) {
                sources.push(specifier);
            }
        }
    }
    sources
}

/// The specifier of `require("x")`.
pub fn required_specifier(expr: &Expr) -> Option<(String, ByteRange)> {
    let Expr::Call(call) = expr else { return None };
    required_call_specifier(call)
}

/// [`required_specifier`] of a call already at hand.
pub fn required_call_specifier(call: &swc_ecma_ast::CallExpr) -> Option<(String, ByteRange)> {
    let swc_ecma_ast::Callee::Expr(callee) = &call.callee else { return None };
    let Expr::Ident(ident) = &**callee else { return None };
    if ident.sym != "require" || call.args.len() != 1 {
        return None;
    }
    match &*call.args[0].expr {
        Expr::Lit(swc_ecma_ast::Lit::Str(s)) => Some((s.value.to_string_lossy().into_owned(), byte_range(s))),
        _ => None,
    }
}

/// The value names a declaration binds (types and interfaces bind none).
pub fn declared_names(decl: &Decl) -> Vec<(String, ByteRange)> {
    match decl {
        Decl::Var(var) => var.decls.iter().flat_map(|d| pattern_names(&d.name)).collect(),
        Decl::Fn(f) => vec![(f.ident.sym.to_string(), byte_range(&f.ident))],
        Decl::Class(c) => vec![(c.ident.sym.to_string(), byte_range(&c.ident))],
        Decl::TsEnum(e) if !e.declare => vec![(e.id.sym.to_string(), byte_range(&e.id))],
        _ => Vec::new(),
    }
}

/// Names bound by a pattern (`a`, `{ a, b: c }`, `[a, ...rest]`).
pub fn pattern_names(pat: &Pat) -> Vec<(String, ByteRange)> {
    match pat {
        Pat::Ident(ident) => vec![(ident.id.sym.to_string(), byte_range(&ident.id))],
        Pat::Array(array) => array.elems.iter().flatten().flat_map(pattern_names).collect(),
        Pat::Object(object) => object
            .props
            .iter()
            .flat_map(|prop| match prop {
                swc_ecma_ast::ObjectPatProp::KeyValue(kv) => pattern_names(&kv.value),
                swc_ecma_ast::ObjectPatProp::Assign(assign) => vec![(assign.key.sym.to_string(), byte_range(&assign.key))],
                swc_ecma_ast::ObjectPatProp::Rest(rest) => pattern_names(&rest.arg),
            })
            .collect(),
        Pat::Rest(rest) => pattern_names(&rest.arg),
        Pat::Assign(assign) => pattern_names(&assign.left),
        _ => Vec::new(),
    }
}

/// Top-level statements of a module, for passes that look at side effects such as
/// `http.route(...)`.
pub fn top_level_statements(module: &Module) -> impl Iterator<Item = &Stmt> {
    module.body.iter().filter_map(|item| match item {
        ModuleItem::Stmt(stmt) => Some(stmt),
        _ => None,
    })
}
