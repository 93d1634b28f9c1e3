//! Searches of a syntax tree through one `swc_ecma_visit::Visit` implementation.
//!
//! A `Visit` implementation compiles its own copy of the walk over every kind of node that it
//! does not override: some 7 KiB of wasm per visitor. The engine's searches implement the small
//! [`Hooks`] trait instead, and [`search`] walks the tree with the one visitor there is,
//! [`Search`], which asks the hooks at the nodes they may care about. The docs widget's download
//! has a budget (ARCHITECTURE.md, "Build facts").

use swc_ecma_ast::{AssignExpr, Class, ClassMethod, FnDecl, Function, Ident, Lit, TplElement, VarDeclarator};
use swc_ecma_visit::{Visit, VisitWith};

/// The nodes a search may care about: for each, the hook of [`Hooks`] and the `Visit` method of
/// [`Search`] that asks it, written once here.
macro_rules! hooks {
    ($($hook:ident, $visit:ident: $node:ty;)*) => {
        /// What a search does at the nodes it may care about. Each returns whether to walk what the
        /// node contains (as a `Visit` method that calls `visit_children_with` does); by default, yes.
        pub(crate) trait Hooks {
            $(fn $hook(&mut self, _: &$node) -> bool {
                true
            })*
        }

        impl Visit for Search<'_> {
            $(fn $visit(&mut self, node: &$node) {
                if self.0.$hook(node) {
                    node.visit_children_with(self);
                }
            })*
        }
    };
}

hooks! {
    var_declarator, visit_var_declarator: VarDeclarator;
    fn_decl, visit_fn_decl: FnDecl;
    class_method, visit_class_method: ClassMethod;
    function, visit_function: Function;
    class, visit_class: Class;
    assign_expr, visit_assign_expr: AssignExpr;
    lit, visit_lit: Lit;
    tpl_element, visit_tpl_element: TplElement;
    ident, visit_ident: Ident;
}

/// The one visitor: a walk that asks the hooks.
pub(crate) struct Search<'h>(&'h mut dyn Hooks);

/// Walks `node` and what it contains, asking `hooks` at the nodes of their methods.
pub(crate) fn search<N: for<'h> VisitWith<Search<'h>> + ?Sized>(node: &N, hooks: &mut dyn Hooks) {
    node.visit_with(&mut Search(hooks));
}
