//! Who may write: from an entry point a client or the outside world calls (a public function, a
//! route), the writes it reaches with no check of the caller before them, in the order the code
//! runs. A check is the caller's identity read (`ctx.auth.getUserIdentity()`, an auth library's
//! helper), a secret compared, a guard that rejects, in the function itself, in a helper, or in
//! a function it runs (`ctx.runAction(internal.verify...)` before `ctx.runMutation(...)`): a call
//! that throws stops what follows. A write after a call into code convex-lens cannot read that
//! is given `ctx` (or, in an HTTP action, a secret) may be checked by that code: no conclusion.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::calls::{ReachedWrite, Unverified, UnverifiedWrite};
use crate::facts::{CallKind, CallTarget, FunctionFacts, Given, OpaqueCall};

/// The facts of every function, with what each call into another one leads to.
pub(super) struct Access<'f> {
    facts: BTreeMap<&'f str, &'f FunctionFacts>,
}

/// A call in the code convex-lens cannot read that may check the caller, and where it is.
type Opaque<'f> = (&'f str, &'f OpaqueCall);

impl<'f> Access<'f> {
    pub(super) fn new(facts: &'f [FunctionFacts]) -> Self {
        Access { facts: crate::order::map(facts.iter().map(|f| (f.function.as_str(), f))) }
    }

    /// The writes `entry` reaches with no check of the caller before them, and those that a call
    /// into unreadable code precedes; each once per table, with a shortest call path.
    pub(super) fn unchecked(&self, entry: &str) -> (Vec<ReachedWrite>, Vec<UnverifiedWrite>) {
        let mut open: Vec<ReachedWrite> = Vec::new();
        let mut held: Vec<UnverifiedWrite> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: VecDeque<(&str, Vec<String>, Option<Opaque>)> = VecDeque::from([(entry, vec![entry.to_owned()], None)]);
        while let Some((function, path, inherited)) = queue.pop_front() {
            let Some(facts) = self.facts.get(function).copied() else { continue };
            if !seen.insert(function) {
                continue;
            }
            let checked_at = self.first_check(facts);
            let opaque = self.first_opaque(facts);
            let before = |step: usize, at: Option<usize>| at.is_some_and(|a| a < step);
            for write in &facts.writes {
                let Some(table) = write.table.name() else { continue };
                if before(write.site.step, checked_at) || open.iter().any(|w| w.table == table) || held.iter().any(|w| w.write.table == table) {
                    continue;
                }
                let reached = ReachedWrite { table: table.to_owned(), through: path.clone() };
                let behind = opaque.filter(|(step, _)| *step < write.site.step).map(|(_, o)| o).or(inherited);
                match behind {
                    Some((in_function, call)) => held.push(UnverifiedWrite {
                        callee: call.callee.clone(),
                        function: in_function.to_owned(),
                        location: call.site.location.clone(),
                        cause: Unverified { reason: call.reason.clone(), library: call.library.clone() },
                        write: reached,
                    }),
                    None => open.push(reached),
                }
            }
            for call in &facts.calls {
                let CallTarget::Function { path: callee, .. } = &call.target else { continue };
                if before(call.site.step, checked_at) {
                    continue;
                }
                let behind = opaque.filter(|(step, _)| *step < call.site.step).map(|(_, o)| o).or(inherited);
                let mut next = path.clone();
                next.push(callee.clone());
                queue.push_back((callee.as_str(), next, behind));
            }
        }
        crate::order::sort_by(&mut open, |a, b| a.table.cmp(&b.table));
        crate::order::sort_by(&mut held, |a, b| a.write.table.cmp(&b.write.table));
        (open, held)
    }

    /// The step of the first check of the caller in a function: its own, or a call of a function
    /// that checks (whose throw would stop it). Scheduled functions run later: not a check now.
    fn first_check(&self, facts: &FunctionFacts) -> Option<usize> {
        let own = facts.auth.iter().map(|a| a.site.step);
        let through = facts.calls.iter().filter(|c| runs_now(c.kind) && self.checks(&c.target, &mut Vec::new())).map(|c| c.site.step);
        own.chain(through).min()
    }

    /// The first call into code convex-lens cannot read that may check the caller, itself or in a
    /// function it runs, with its step in this function.
    fn first_opaque(&self, facts: &'f FunctionFacts) -> Option<(usize, Opaque<'f>)> {
        let own = facts.opaque.iter().filter(|o| may_check(o)).map(|o| (o.site.step, (facts.function.as_str(), o)));
        let through = facts.calls.iter().filter(|c| runs_now(c.kind)).filter_map(|c| Some((c.site.step, self.opaque_in(&c.target, &mut Vec::new())?)));
        own.chain(through).min_by_key(|(step, _)| *step)
    }

    /// Whether a function run now checks the caller anywhere (itself or in what it runs now).
    fn checks(&self, target: &CallTarget, visiting: &mut Vec<&'f str>) -> bool {
        let Some(facts) = self.target(target) else { return false };
        if visiting.contains(&facts.function.as_str()) {
            return false;
        }
        visiting.push(facts.function.as_str());
        !facts.auth.is_empty() || facts.calls.iter().filter(|c| runs_now(c.kind)).any(|c| self.checks(&c.target, visiting))
    }

    /// A call into unreadable code that may check the caller, in a function run now or what it
    /// runs now.
    fn opaque_in(&self, target: &CallTarget, visiting: &mut Vec<&'f str>) -> Option<Opaque<'f>> {
        let facts = self.target(target)?;
        if visiting.contains(&facts.function.as_str()) {
            return None;
        }
        visiting.push(facts.function.as_str());
        if let Some(call) = facts.opaque.iter().find(|o| may_check(o)) {
            return Some((facts.function.as_str(), call));
        }
        facts.calls.iter().filter(|c| runs_now(c.kind)).find_map(|c| self.opaque_in(&c.target, visiting))
    }

    fn target(&self, target: &CallTarget) -> Option<&'f FunctionFacts> {
        let CallTarget::Function { path, .. } = target else { return None };
        self.facts.get(path.as_str()).copied()
    }
}

/// `ctx.run*`: the callee runs before the caller goes on, and its throw stops the caller.
fn runs_now(kind: CallKind) -> bool {
    matches!(kind, CallKind::RunQuery | CallKind::RunMutation | CallKind::RunAction)
}

/// A call given `ctx` (or its auth, or a secret) may check the caller; one given only `ctx.db`
/// reads and writes for it.
fn may_check(call: &OpaqueCall) -> bool {
    call.given != Given::Db
}
