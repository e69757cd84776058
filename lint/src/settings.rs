//! Which rules run and at what severity. The CLI and the language server build one from the
//! command line and `.podlint.yaml`; the engine only reads it.

use crate::diagnostic::Severity;
use crate::rules::{Category, RULES};

#[derive(Debug, Clone)]
pub struct Settings {
    /// Parallel to `RULES`.
    enabled: Vec<bool>,
    /// Parallel to `RULES`.
    severities: Vec<Severity>,
}

impl Default for Settings {
    /// The rules that are on unless configured otherwise, at their default severity.
    fn default() -> Self {
        Self {
            enabled: RULES.iter().map(|r| r.meta().default_enabled).collect(),
            severities: RULES.iter().map(|r| r.meta().severity).collect(),
        }
    }
}

/// A word that names rules on the command line or in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    All,
    Category(Category),
    Rule(usize),
}

impl Selector {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text == "all" {
            return Ok(Selector::All);
        }
        if let Some(category) = Category::parse(text) {
            return Ok(Selector::Category(category));
        }
        if let Some(index) = rule_index(text) {
            return Ok(Selector::Rule(index));
        }
        let mut message = format!("`{text}` is neither a rule, a category nor `all`");
        if let Some(close) = closest_rule(text) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        Err(message)
    }

    fn matches(self, index: usize) -> bool {
        match self {
            Selector::All => true,
            Selector::Category(c) => RULES[index].meta().category == c,
            Selector::Rule(i) => i == index,
        }
    }
}

impl Settings {
    /// Only the named rules (tests use this).
    pub fn only(names: &[&str]) -> Self {
        let mut settings = Self::default();
        settings.enabled.fill(false);
        for name in names {
            let index = rule_index(name).unwrap_or_else(|| panic!("no rule named {name}"));
            settings.enabled[index] = true;
        }
        settings
    }

    pub fn select(&mut self, selector: Selector) {
        self.set_enabled(selector, true);
    }

    pub fn ignore(&mut self, selector: Selector) {
        self.set_enabled(selector, false);
    }

    fn set_enabled(&mut self, selector: Selector, on: bool) {
        for (index, enabled) in self.enabled.iter_mut().enumerate() {
            if selector.matches(index) {
                *enabled = on;
            }
        }
    }

    pub fn set_severity(&mut self, selector: Selector, severity: Severity) {
        for (index, current) in self.severities.iter_mut().enumerate() {
            if selector.matches(index) {
                *current = severity;
            }
        }
    }

    pub fn is_enabled(&self, rule: &str) -> bool {
        rule_index(rule).is_some_and(|i| self.enabled[i])
    }

    pub(crate) fn is_enabled_at(&self, index: usize) -> bool {
        self.enabled[index]
    }

    pub fn severity(&self, rule: &str) -> Option<Severity> {
        rule_index(rule).map(|i| self.severities[i])
    }

    /// Names of the enabled rules, sorted.
    pub fn enabled_rules(&self) -> impl Iterator<Item = &'static str> + '_ {
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| r.meta().name)
    }
}

pub(crate) fn rule_index(name: &str) -> Option<usize> {
    RULES.binary_search_by(|r| r.meta().name.cmp(name)).ok()
}

/// The rule name nearest to a misspelt one, if any is near.
pub fn closest_rule(text: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|r| r.meta().name)
        .map(|name| (strsim::damerau_levenshtein(text, name), name))
        .filter(|(distance, name)| *distance <= name.len() / 3 + 1)
        .min()
        .map(|(_, name)| name)
}
