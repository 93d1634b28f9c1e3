//! Searches of a syntax tree through one `swc_ecma_visit::Visit` implementation.
//!
//! A `Visit` implementation compiles its own copy of the walk over every kind of node that it
//! does not override: some 7 KiB of wasm per visitor. The engine's searches implement the small
//! [`Hooks`] trait instead, and [`search`] walks the tree with the one visitor there is,
//! [`Search`], which asks the hooks at the nodes they may care about. The docs widget's download
//! has a budget (ARCHITECTURE.md, "Build facts").

use swc_ecma_ast::{AssignExpr, Class, ClassMethod, FnDecl, Function, Ident, Lit, TplElement, VarDeclarator};
use swc_ecma_visit::{Visit, VisitWith};

/// What a search does at the nodes it may care about. Each returns whether to walk what the node
/// contains (as a `Visit` method that calls `visit_children_with` does); by default, yes.
pub(crate) trait Hooks {
    fn var_declarator(&mut self, _: &VarDeclarator) -> bool {
        true
    }
    fn fn_decl(&mut self, _: &FnDecl) -> bool {
        true
    }
    fn class_method(&mut self, _: &ClassMethod) -> bool {
        true
    }
    fn function(&mut self, _: &Function) -> bool {
        true
    }
    fn class(&mut self, _: &Class) -> bool {
        true
    }
    fn assign_expr(&mut self, _: &AssignExpr) -> bool {
        true
    }
    fn lit(&mut self, _: &Lit) -> bool {
        true
    }
    fn tpl_element(&mut self, _: &TplElement) -> bool {
        true
    }
    fn ident(&mut self, _: &Ident) -> bool {
        true
    }
}

/// The one visitor: a walk that asks the hooks.
pub(crate) struct Search<'h>(&'h mut dyn Hooks);

/// Walks `node` and what it contains, asking `hooks` at the nodes of their methods.
pub(crate) fn search<N: for<'h> VisitWith<Search<'h>> + ?Sized>(node: &N, hooks: &mut dyn Hooks) {
    node.visit_with(&mut Search(hooks));
}

impl Visit for Search<'_> {
    fn visit_var_declarator(&mut self, node: &VarDeclarator) {
        if self.0.var_declarator(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_fn_decl(&mut self, node: &FnDecl) {
        if self.0.fn_decl(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_class_method(&mut self, node: &ClassMethod) {
        if self.0.class_method(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_function(&mut self, node: &Function) {
        if self.0.function(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_class(&mut self, node: &Class) {
        if self.0.class(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_assign_expr(&mut self, node: &AssignExpr) {
        if self.0.assign_expr(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_lit(&mut self, node: &Lit) {
        if self.0.lit(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_tpl_element(&mut self, node: &TplElement) {
        if self.0.tpl_element(node) {
            node.visit_children_with(self);
        }
    }
    fn visit_ident(&mut self, node: &Ident) {
        if self.0.ident(node) {
            node.visit_children_with(self);
        }
    }
}
