//! What the page knows of the analyses so far: the newest one, the newest one in which every
//! file parsed (shown, marked as outdated, while a file does not parse, so that the picture does
//! not vanish at every keystroke), and why the last request gave none.

use std::rc::Rc;

use convex_lens_diagram::Diagrams;
use convex_lens_engine::{Analysis, DiagnosticCode};
use yew::Reducible;

use crate::analyzer::AnalyzerEvent;
use crate::workspace::File;

/// An analysis with the files it was computed for (their texts give the diagnostics' offsets a
/// meaning). Compared by identity: two analyses are the same only if they are one.
#[derive(Clone, Debug)]
pub struct Analysed {
    /// The request it answers.
    pub id: u32,
    pub analysis: Rc<Analysis>,
    pub files: Rc<[File]>,
}

impl PartialEq for Analysed {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
    }
}

impl Analysed {
    /// Whether every file parsed, so that the model describes all of them.
    pub fn is_complete(&self) -> bool {
        !self.analysis.diagnostics.iter().any(|d| matches!(d.code, DiagnosticCode::SyntaxError | DiagnosticCode::NestingTooDeep))
    }

    /// The text a file had when it was analysed.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.files.iter().find(|f| &*f.path == path).map(|f| &*f.text)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analyses {
    /// The analysis of the newest files; `None` when the last request produced none.
    pub latest: Option<Analysed>,
    /// The newest analysis in which every file parsed.
    pub last_complete: Option<Analysed>,
    pub millis: Option<f64>,
    /// Why the last request produced no analysis (the worker crashed, ...).
    pub problem: Option<String>,
    /// The newest diagrams of a complete analysis, with the request they were laid out for:
    /// they stay on show while the next ones are laid out.
    pub diagrams: Option<(u32, Rc<Diagrams>)>,
}

impl Analyses {
    /// The model to show, and whether it is an older one than the current files'.
    pub fn shown(&self) -> Option<(&Analysed, bool)> {
        match (&self.latest, &self.last_complete) {
            (Some(latest), _) if latest.is_complete() => Some((latest, false)),
            (_, Some(complete)) => Some((complete, true)),
            (Some(latest), None) => Some((latest, false)),
            (None, None) => None,
        }
    }
}

impl Reducible for Analyses {
    type Action = AnalyzerEvent;

    fn reduce(self: Rc<Self>, event: AnalyzerEvent) -> Rc<Self> {
        let mut next = Analyses { problem: None, ..(*self).clone() };
        match event {
            AnalyzerEvent::Done { analysed, millis } => {
                if analysed.is_complete() {
                    next.last_complete = Some(analysed.clone());
                }
                next.latest = Some(analysed);
                next.millis = Some(millis);
            }
            AnalyzerEvent::Diagrams { id, diagrams } => {
                if next.last_complete.as_ref().is_some_and(|a| a.id == id) {
                    next.diagrams = Some((id, diagrams));
                }
            }
            AnalyzerEvent::Crashed { message } => {
                next.latest = None;
                next.problem = Some(format!("{message}. A fresh analyser has been started; edit the code to try again."));
            }
            AnalyzerEvent::Failed { message } => next.problem = Some(format!("{message}. This is a bug in convex-lens.")),
        }
        Rc::new(next)
    }
}
