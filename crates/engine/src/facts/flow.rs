//! Where a fact sits in the handler's control flow: under which conditions (a write made only
//! when a lookup found nothing is the first call's, not every call's), after which guards (a
//! check that throws before a read-modify-write), and inside which loops, bounded by what.
//!
//! The walker still walks every branch and loop body once; this only labels the facts it meets
//! there ([`super::Branch`], [`super::LoopBound`], [`super::Write::guarded`]).

use swc_ecma_ast::{BinaryOp, Expr, Lit, Stmt, UnaryOp};

use super::abs::Abs;
use super::walk::Walker;
use super::{Branch, LoopBound, Provenance};
use crate::source::Location;
use crate::values::Value;

/// What a condition of the code says about a document found earlier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Test {
    /// The document was not found (`if (!user)`, `user === null`, `user ?? insert()`).
    Missing,
    /// The document was found (`if (user)`, the rest of a block after `if (!user) throw`).
    Found,
    /// Anything else.
    Other,
}

impl Test {
    pub(super) fn negate(self) -> Test {
        match self {
            Test::Missing => Test::Found,
            Test::Found => Test::Missing,
            Test::Other => Test::Other,
        }
    }
}

/// A loop the walk is in: what bounds it, and the read whose documents it walks.
#[derive(Clone, Debug)]
pub(super) struct Loop {
    pub bound: LoopBound,
    pub over: Option<Location>,
}

impl From<LoopBound> for Loop {
    fn from(bound: LoopBound) -> Loop {
        Loop { bound, over: None }
    }
}

/// A condition the code is under, and the document fields a guard before it tested.
#[derive(Clone, Debug)]
pub(super) struct Condition {
    pub test: Test,
    /// `(table, field)` of documents a guard that exits tested (`if (stock.count <= 0) throw`).
    pub guards: Vec<(String, String)>,
}

impl<'e, 'g, 'a> Walker<'e, 'g, 'a> {
    /// The branch the facts met now are on: a lookup that found nothing makes it the first use
    /// of a key; any other condition (a found document's path excepted: it is the one that
    /// commits in normal use) makes it conditional.
    pub(super) fn branch(&self) -> Branch {
        if self.conditions.iter().any(|c| c.test == Test::Missing) {
            Branch::FirstUse
        } else if self.conditions.iter().any(|c| c.test == Test::Other) {
            Branch::Conditional
        } else {
            Branch::Always
        }
    }

    /// The loosest bound of the loops the walk is in.
    pub(super) fn loop_bound(&self) -> Option<LoopBound> {
        self.loops.iter().map(|l| l.bound).max()
    }

    /// The read whose documents the loosest loop walks, when it walks a read's documents.
    pub(super) fn loop_over(&self) -> Option<Location> {
        self.loops.iter().max_by_key(|l| l.bound).and_then(|l| l.over.clone())
    }

    /// Fields of `table` that a guard before this point tested.
    pub(super) fn guarded_fields(&self, table: &str) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        for (t, field) in self.conditions.iter().flat_map(|c| &c.guards) {
            if t == table && !fields.contains(field) {
                fields.push(field.clone());
            }
        }
        fields
    }

    /// Runs `f` under a condition.
    pub(super) fn under<T>(&mut self, test: Test, f: impl FnOnce(&mut Self) -> T) -> T {
        self.conditions.push(Condition { test, guards: Vec::new() });
        let value = f(self);
        self.conditions.pop();
        value
    }

    /// Runs `f` as a loop body bounded by `bound`.
    pub(super) fn in_bounded_loop<T>(&mut self, bound: Loop, f: impl FnOnce(&mut Self) -> T) -> T {
        self.loops.push(bound);
        let value = f(self);
        self.loops.pop();
        value
    }

    /// `if (test) cons else alt`: each branch under its condition; when `cons` always leaves
    /// (returns, throws) and there is no `alt`, the rest of the enclosing block runs under the
    /// opposite condition, which this pushes (the block pops it) with the fields the test read.
    pub(super) fn if_statement(&mut self, test: &'g Expr, cons: &'g Stmt, alt: Option<&'g Stmt>) {
        self.expr(test);
        let condition = self.test_of(test);
        self.under(condition, |walker| walker.nested(cons));
        if let Some(alt) = alt {
            self.under(condition.negate(), |walker| walker.nested(alt));
        } else if exits(cons) {
            let guards = self.fields_tested(test);
            let check = match self.secret_in(test) {
                Some(secret) => Some((format!("compares with the secret `{secret}`"), false)),
                None => rejection(cons).map(|(how, restricts)| (format!("rejects the caller ({how})"), restricts)),
            };
            if let Some((by, restricts)) = check {
                let site = self.site(test);
                if !self.facts.auth.iter().any(|a| a.site.location == site.location) {
                    self.facts.auth.push(super::AuthCheck { site, by: Some(by), restricts });
                }
            }
            self.conditions.push(Condition { test: condition.negate(), guards });
        }
    }

    /// The environment variable a guard's test compares a caller's value with (an argument, or
    /// in an HTTP action what the request holds): `args.key !== process.env.API_SECRET`, or
    /// both given to `constantTimeEqual(...)`. Leaving on a mismatch checks a secret the caller
    /// gives; a test of the variable alone (`if (!process.env.KEY) throw`) checks the setup.
    fn secret_in(&mut self, test: &'g Expr) -> Option<String> {
        let (mut secret, mut caller) = (None, false);
        self.compared(test, &mut secret, &mut caller);
        secret.filter(|_| caller)
    }

    fn compared(&mut self, expr: &'g Expr, secret: &mut Option<String>, caller: &mut bool) {
        match expr {
            Expr::Paren(inner) => self.compared(&inner.expr, secret, caller),
            Expr::Unary(unary) => self.compared(&unary.arg, secret, caller),
            Expr::Await(inner) => self.compared(&inner.arg, secret, caller),
            Expr::Bin(bin) => {
                self.compared(&bin.left, secret, caller);
                self.compared(&bin.right, secret, caller);
            }
            Expr::Tpl(tpl) => tpl.exprs.iter().for_each(|e| self.compared(e, secret, caller)),
            Expr::Call(call) => {
                // `request.headers.get("x")` in an HTTP action: what the request holds.
                *caller |= self.facts.kind == crate::values::FunctionKind::HttpAction && call.args.iter().all(|a| matches!(&*a.expr, Expr::Lit(_)));
                call.args.iter().for_each(|arg| self.compared(&arg.expr, secret, caller));
            }
            _ if side_effect_free(expr) => match self.expr(expr).provenance() {
                Provenance::Env(name) => *secret = Some(name),
                Provenance::Arg(_) => *caller = true,
                _ => {}
            },
            _ => {}
        }
    }

    /// What a test says about a document: `doc`, `!doc`, `doc === null`, `doc !== undefined`...
    pub(super) fn test_of(&mut self, test: &'g Expr) -> Test {
        match test {
            Expr::Paren(inner) => self.test_of(&inner.expr),
            Expr::Unary(unary) if unary.op == UnaryOp::Bang => self.test_of(&unary.arg).negate(),
            Expr::Bin(bin) => {
                let value = match (is_nullish(&bin.left), is_nullish(&bin.right)) {
                    (false, true) => &bin.left,
                    (true, false) => &bin.right,
                    _ => return Test::Other,
                };
                let found = match bin.op {
                    BinaryOp::EqEq | BinaryOp::EqEqEq => Test::Missing,
                    BinaryOp::NotEq | BinaryOp::NotEqEq => Test::Found,
                    _ => return Test::Other,
                };
                if self.is_document(value) {
                    found
                } else {
                    Test::Other
                }
            }
            _ if self.is_document(test) => Test::Found,
            _ => Test::Other,
        }
    }

    /// Whether an expression names a document found by a lookup (a local, or a member of one:
    /// `existing`, `result.user`), without walking anything that has effects.
    fn is_document(&mut self, expr: &'g Expr) -> bool {
        match expr {
            Expr::Paren(inner) => self.is_document(&inner.expr),
            Expr::Ident(_) | Expr::Member(_) if side_effect_free(expr) => matches!(self.expr(expr), Abs::Doc(_)),
            _ => false,
        }
    }

    /// The document fields a test reads (`stock.count <= 0`, `!counter.open`), as
    /// `(table, field)`, without walking anything that has effects.
    fn fields_tested(&mut self, test: &'g Expr) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        self.collect_fields(test, &mut fields);
        fields
    }

    fn collect_fields(&mut self, expr: &'g Expr, fields: &mut Vec<(String, String)>) {
        match expr {
            Expr::Paren(inner) => self.collect_fields(&inner.expr, fields),
            Expr::Unary(unary) => self.collect_fields(&unary.arg, fields),
            Expr::Bin(bin) => {
                self.collect_fields(&bin.left, fields);
                self.collect_fields(&bin.right, fields);
            }
            Expr::Member(_) if side_effect_free(expr) => {
                if let Provenance::Doc { table, field } = self.expr(expr).provenance() {
                    let field = field.split('.').next().unwrap_or_default().to_owned();
                    if !fields.contains(&(table.clone(), field.clone())) {
                        fields.push((table, field));
                    }
                }
            }
            _ => {}
        }
    }

    /// `a ?? b`, `a || b`, `a && b`: `b` runs only when `a` is missing, or found.
    pub(super) fn logical(&mut self, op: BinaryOp, left: &'g Expr, right: &'g Expr) -> (Abs, Abs) {
        let left_value = self.expr(left);
        let test = match (op, &left_value) {
            (BinaryOp::NullishCoalescing | BinaryOp::LogicalOr, Abs::Doc(_)) => Test::Missing,
            (BinaryOp::LogicalAnd, Abs::Doc(_)) => Test::Found,
            _ => Test::Other,
        };
        let right_value = self.under(test, |walker| walker.expr(right));
        (left_value, right_value)
    }

    /// How many times `for (const x of value)` or `value.map(...)` runs, and over what read.
    pub(super) fn bound_of_collection(value: &Abs) -> Loop {
        match value {
            Abs::Docs(doc) => Loop { bound: doc.bound, over: doc.from.clone() },
            other => Self::bound_of_value(other).into(),
        }
    }

    fn bound_of_value(value: &Abs) -> LoopBound {
        match value {
            Abs::Page(_) => LoopBound::Parent,
            Abs::Ids { prov: Provenance::Arg(_), .. } | Abs::Arg { .. } => LoopBound::Caller,
            Abs::Ids { prov: Provenance::Doc { .. }, .. } | Abs::Field { .. } => LoopBound::Parent,
            Abs::Array(items) => LoopBound::Literal(u32::try_from(items.len()).ok()),
            Abs::Static(Value::Array(items)) => LoopBound::Literal(u32::try_from(items.len()).ok()),
            Abs::Static(Value::Object(entries)) => LoopBound::Literal(u32::try_from(entries.len()).ok()),
            _ => LoopBound::Unknown,
        }
    }

    /// `for (init; test; update)`: bounded by a literal when the test compares with a number
    /// the evaluator knows (`i < 10`, `i < MAX`).
    pub(super) fn bound_of_test(&mut self, test: Option<&'g Expr>) -> LoopBound {
        let Some(Expr::Bin(bin)) = test else { return LoopBound::Unknown };
        if !matches!(bin.op, BinaryOp::Lt | BinaryOp::LtEq | BinaryOp::Gt | BinaryOp::GtEq) {
            return LoopBound::Unknown;
        }
        for side in [&bin.right, &bin.left] {
            if !side_effect_free(side) {
                continue;
            }
            match self.expr(side) {
                Abs::Static(Value::Number(n)) => return LoopBound::Literal(literal_count(n)),
                Abs::Scalar(Provenance::Arg(path)) if path.ends_with(".length") => return LoopBound::Caller,
                _ => {}
            }
        }
        LoopBound::Unknown
    }
}

/// Words of an error that refuses a caller who is not signed in, or whose key is wrong
/// (`throw new ConvexError("Unauthorized")`).
const REFUSALS: [&str; 10] = [
    "unauthorized", "unauthorised", "unauthenticated", "not authenticated", "invalid signature", "invalid api key", "invalid secret",
    "invalid token", "invalid key", "not signed in",
];

/// Words of an error that refuses a signed-in caller without the right role or permission.
const RESTRICTIONS: [&str; 6] = ["forbidden", "not authorized", "not authorised", "permission denied", "access denied", "not allowed"];

/// `text.to_lowercase()` as far as finding the ASCII words above in it goes, without the
/// Unicode case tables (some 20 KiB of the docs widget's wasm): only two characters lower to
/// ASCII letters, the Kelvin sign (to `k`) and the capital I with a dot (to `i` and a combining
/// dot), and every other non-ASCII character stays one that no word contains.
fn lowercase_ascii_words(text: &str) -> String {
    let mut lower = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{212A}' => lower.push('k'),
            '\u{130}' => lower.push_str("i\u{307}"),
            c => lower.push(c.to_ascii_lowercase()),
        }
    }
    lower
}

/// How a guard's exit refuses the caller, when it plainly does (it throws an error whose text
/// says so, or answers 401 or 403), and whether it lets only some signed-in callers through.
fn rejection(exit: &Stmt) -> Option<(String, bool)> {
    #[derive(Default)]
    struct Finder(Option<(String, bool)>);
    impl Finder {
        fn text(&mut self, text: &str) {
            let text = lowercase_ascii_words(text);
            if let Some(word) = RESTRICTIONS.iter().find(|w| text.contains(*w)) {
                self.0 = Some((format!("\"{word}\""), true));
            } else if let Some(word) = REFUSALS.iter().find(|w| text.contains(*w)) {
                self.0.get_or_insert((format!("\"{word}\""), false));
            }
        }
    }
    impl crate::parse::search::Hooks for Finder {
        fn lit(&mut self, lit: &Lit) -> bool {
            match lit {
                Lit::Num(n) if n.value == 401.0 => _ = self.0.get_or_insert(("answers 401".into(), false)),
                Lit::Num(n) if n.value == 403.0 => self.0 = Some(("answers 403".into(), true)),
                Lit::Str(s) => self.text(&s.value.to_string_lossy()),
                _ => {}
            }
            false
        }
        fn tpl_element(&mut self, element: &swc_ecma_ast::TplElement) -> bool {
            self.text(&element.raw);
            false
        }
    }
    let mut finder = Finder::default();
    crate::parse::search::search(exit, &mut finder);
    finder.0
}

/// A number of iterations written in the code, when it is one.
pub(super) fn literal_count(n: f64) -> Option<u32> {
    (n.is_finite() && n >= 0.0 && n <= f64::from(u32::MAX)).then(|| n.ceil() as u32)
}

/// Whether a statement always leaves the enclosing code (returns or throws), so what follows it
/// runs only when its `if` did not take it.
fn exits(statement: &Stmt) -> bool {
    match statement {
        Stmt::Return(_) | Stmt::Throw(_) | Stmt::Continue(_) | Stmt::Break(_) => true,
        Stmt::Block(block) => block.stmts.last().is_some_and(exits),
        Stmt::If(branch) => branch.alt.as_deref().is_some_and(|alt| exits(&branch.cons) && exits(alt)),
        _ => false,
    }
}

fn is_nullish(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(Lit::Null(_)) => true,
        Expr::Ident(ident) => ident.sym == "undefined",
        Expr::Paren(inner) => is_nullish(&inner.expr),
        _ => false,
    }
}

/// Names and member chains of names (`a`, `a.b.c`, `a?.b`): walking them has no effect.
fn side_effect_free(expr: &Expr) -> bool {
    match expr {
        Expr::Ident(_) | Expr::Lit(_) => true,
        Expr::Member(member) => side_effect_free(&member.obj) && !matches!(&member.prop, swc_ecma_ast::MemberProp::Computed(c) if !side_effect_free(&c.expr)),
        Expr::Paren(inner) => side_effect_free(&inner.expr),
        Expr::TsNonNull(inner) => side_effect_free(&inner.expr),
        Expr::OptChain(chain) => matches!(&*chain.base, swc_ecma_ast::OptChainBase::Member(m) if side_effect_free(&m.obj)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_as_after_unicode_lowering() {
        let texts = ["Invalid API \u{212A}ey", "UNAUTHORİZED", "Forbİdden: NOT ALLOWED", "Straße: permission DENIED", "ΣΊΣΥΦΟΣ invalid token", "ǅ not signed in"];
        for text in texts {
            for word in REFUSALS.iter().chain(&RESTRICTIONS) {
                assert_eq!(lowercase_ascii_words(text).contains(word), text.to_lowercase().contains(word), "{text} / {word}");
            }
        }
        assert!(lowercase_ascii_words("Invalid API \u{212A}ey").contains("invalid api key"));
    }
}
