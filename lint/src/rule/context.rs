//! What a rule sees besides its input, and where its findings go.

use super::meta::RuleMeta;
use super::options::RuleOptions;
use super::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::text::TextRange;

/// A rule's view of the file being linted.
pub struct Context<'a> {
    pub source: &'a str,
    pub settings: &'a Settings,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    /// A context for `meta`'s findings over `source` (the engine and test helpers make these).
    pub fn new(
        source: &'a str,
        settings: &'a Settings,
        meta: &'static RuleMeta,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Self {
            source,
            settings,
            meta,
            diagnostics,
        }
    }

    /// Records a finding of the current rule and returns it for labels, help and a fix.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(self.meta.diagnostic(range, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// The source text of a range.
    pub fn text(&self, range: TextRange) -> &str {
        &self.source[range]
    }

    /// The rule being run.
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    /// The current rule's options (`rules: {<rule>: …}` in `.podlint.yaml`, decoded when the
    /// config was loaded), or their defaults. `T` is the type the rule declares with
    /// `options: T,`; any other panics.
    pub fn options<T: RuleOptions>(&self) -> &'a T {
        let settings: &'a Settings = self.settings;
        settings.options::<T>(self.meta)
    }
}

/// Where a cross-object rule's findings go, each with the index of its file.
pub struct ProjectContext<'a> {
    pub(crate) meta: &'static RuleMeta,
    pub(crate) findings: &'a mut Vec<(usize, Diagnostic)>,
    /// Each file's settings, by file index (empty when the caller gives none).
    settings: &'a [&'a Settings],
}

impl<'a> ProjectContext<'a> {
    pub fn new(meta: &'static RuleMeta, findings: &'a mut Vec<(usize, Diagnostic)>) -> Self {
        Self {
            meta,
            findings,
            settings: &[],
        }
    }

    /// Gives the rule each file's settings (by file index), for its options there.
    pub fn with_settings(mut self, settings: &'a [&'a Settings]) -> Self {
        self.settings = settings;
        self
    }

    /// The current rule's options in file `file` (see [`Context::options`]); the defaults
    /// when the settings are unknown.
    pub fn options<T: RuleOptions>(&self, file: usize) -> std::borrow::Cow<'a, T> {
        match self.settings.get(file) {
            Some(settings) => std::borrow::Cow::Borrowed(settings.options::<T>(self.meta)),
            None => std::borrow::Cow::Owned(T::default()),
        }
    }

    /// Records a finding of the current rule in file `file` and returns it for labels (in the
    /// same file) and help.
    pub fn report(
        &mut self,
        file: usize,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.findings
            .push((file, self.meta.diagnostic(range, message)));
        &mut self.findings.last_mut().expect("just pushed").1
    }
}
