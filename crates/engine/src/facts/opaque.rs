//! Calls into code convex-lens cannot read that are handed `ctx` (or its `db` or `auth`): what
//! they do to the database or with the caller's identity is not in the facts, so conclusions
//! that depend on it (is the identity checked? is this index read?) cannot be verified.

use swc_common::Spanned;
use swc_ecma_ast::{Callee, Expr};

use super::abs::Abs;
use super::walk::Walker;
use super::{Given, OpaqueCall};
use crate::parse::byte_range;
use crate::values::Value;

/// The longest callee text kept (`a.b.c(...)` chains can be long).
const MAX_CALLEE_CHARS: usize = 60;

impl<'e, 'g, 'a> Walker<'e, 'g, 'a> {
    /// Records a call of `callee` (a value convex-lens could not evaluate) when it is given
    /// `ctx` or a part of it.
    pub(super) fn opaque_call(&mut self, callee: &Abs, args: &[Abs], at: &'g Expr) {
        // An HTTP action (or a function only the server calls) that gives a library a secret is
        // likely verifying a request with it (`stripe.webhooks.constructEvent(body, signature,
        // process.env.STRIPE_WEBHOOK_SECRET)`, `new Webhook(secret).verify(...)`); a public
        // function a client calls gets its caller's identity from `ctx`, not from a secret.
        let verifies = !self.public;
        let given = args.iter().find_map(|arg| match arg {
            Abs::Ctx(_) => Some(Given::Ctx),
            Abs::Db { .. } => Some(Given::Db),
            Abs::Auth => Some(Given::Auth),
            Abs::Scalar(super::Provenance::Env(_)) if verifies => Some(Given::Secret),
            _ => None,
        });
        let Some(given) = given else { return };
        let (reason, library) = match callee {
            Abs::Static(Value::Unknown(u)) => (u.reason.clone(), u.library.clone()),
            _ => ("its value is not known statically".to_owned(), None),
        };
        // The platform's functions and the components' clients never read the caller.
        if library.as_ref().is_some_and(|l| l.is_platform() || crate::known::checks_no_identity(&l.package)) {
            return;
        }
        let tables = args
            .iter()
            .filter_map(|arg| match arg {
                Abs::Static(Value::String(s)) if self.table_document(s).is_some() => Some(s.clone()),
                _ => None,
            })
            .collect();
        let call = OpaqueCall { site: self.site(at), callee: self.callee_text(at), library, reason, given, tables };
        if !self.facts.opaque.iter().any(|o| o.site.location == call.site.location) {
            self.facts.opaque.push(call);
        }
    }

    /// The callee of a call as the source writes it.
    fn callee_text(&self, at: &Expr) -> String {
        let callee: &dyn Spanned = match at {
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => &**callee,
                _ => at,
            },
            _ => at,
        };
        let range = byte_range(callee.span());
        let text = self.source_text(range).split_whitespace().collect::<Vec<_>>().join("");
        match text.char_indices().nth(MAX_CALLEE_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        }
    }
}
