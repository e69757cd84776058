//! A rule's identity and documentation.

use super::hook::{Hook, Stage};
use super::options::OptionsSpec;
use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::text::TextRange;

/// Whether a rule's findings come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    Never,
    Sometimes,
    Always,
}

/// A rule's identity, documentation and stage; `declare_rule!` builds it from the rule's file.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name, used in config, suppressions and output.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Off by default: opinionated checks a team opts into.
    pub default_enabled: bool,
    pub fix: FixAvailability,
    /// One line for `podlint rules`.
    pub summary: &'static str,
    /// The doc comment: what it does, why it matters in a Pod, an example, the fix.
    pub docs: &'static str,
    /// Where in the pipeline the rule runs, and the function the engine calls there.
    pub hook: Hook,
    /// The fields, as (schema type, field), whose values this rule checks with words of its
    /// own: the schema-wide rules (`enum-value-invalid`) leave them to it, so each problem
    /// has one finding. A registry test allows one owner per field.
    pub owns: &'static [(&'static str, &'static str)],
    /// The options the rule takes under `rules: {<name>: …}` in `.podlint.yaml`, if any.
    pub options: Option<&'static OptionsSpec>,
}

impl RuleMeta {
    pub fn stage(&self) -> Stage {
        self.hook.stage()
    }

    /// Looks across the objects of every file linted together.
    pub fn is_cross_object(&self) -> bool {
        self.stage() == Stage::Project
    }

    /// The `## Options` section of the rule's docs, when it takes options.
    pub fn options_markdown(&self) -> Option<String> {
        self.options.map(OptionsSpec::markdown)
    }

    /// A finding of this rule at its default severity.
    pub fn diagnostic(&self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.name, self.category, self.severity, range, message)
    }
}
