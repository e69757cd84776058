//! Which rules run and at what severity. The CLI and the language server build one from the
//! command line and `.podlint.yaml`; the engine only reads it.

use crate::config::options::{FromOption, RuleOptions};
use crate::diagnostic::Severity;
use crate::rules::{Category, RULES};

#[derive(Debug, Clone)]
pub struct Settings {
    /// Parallel to `RULES`.
    enabled: Vec<bool>,
    /// Parallel to `RULES`.
    severities: Vec<Severity>,
    /// `rules:` options from `.podlint.yaml`.
    options: RuleOptions,
    /// Whether `# podlint-disable…` comments and `podlint.dev/ignore` annotations count.
    inline_suppressions: bool,
    /// The Kubernetes minor version (1.x) the manifests target: fields the schema has only in
    /// other versions are reported. Default: the newest the schema covers.
    pub kubernetes_minor: u8,
}

impl Default for Settings {
    /// The rules that are on unless configured otherwise, at their default severity.
    fn default() -> Self {
        Self {
            enabled: RULES.iter().map(|r| r.meta().default_enabled).collect(),
            severities: RULES.iter().map(|r| r.meta().severity).collect(),
            options: RuleOptions::default(),
            inline_suppressions: true,
            kubernetes_minor: crate::schema::NEWEST_MINOR,
        }
    }
}

/// Reads a Kubernetes version (`1.30`, `v1.30`, `1.30.2`) into its minor number; versions the
/// schema does not cover are an error that names the range.
pub fn parse_kubernetes_version(text: &str) -> Result<u8, String> {
    use crate::schema::{NEWEST_MINOR, OLDEST_MINOR};
    let range = format!("1.{OLDEST_MINOR} to 1.{NEWEST_MINOR}");
    let trimmed = text.trim();
    let version = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
    let mut parts = version.split('.');
    let (major, minor, patch) = (parts.next(), parts.next(), parts.next());
    let number =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let well_formed = major == Some("1")
        && number(minor)
        && (patch.is_none() || number(patch))
        && parts.next().is_none();
    let minor = minor
        .filter(|_| well_formed)
        .and_then(|m| m.parse::<u8>().ok())
        .ok_or_else(|| format!("`{text}` is not a Kubernetes version; write it like `1.30`"))?;
    if !(OLDEST_MINOR..=NEWEST_MINOR).contains(&minor) {
        return Err(format!(
            "podlint knows the fields of Kubernetes {range}, not 1.{minor}"
        ));
    }
    Ok(minor)
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

    /// Whether this selector names the rule at `index` of `RULES`.
    pub fn matches(self, index: usize) -> bool {
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

    /// A rule's option from `rules: {<rule>: {<key>: …}}`, when set and of the wanted type,
    /// e.g. `settings.option::<Vec<String>>("required-labels", "labels")`.
    pub fn option<T: FromOption>(&self, rule: &str, key: &str) -> Option<T> {
        T::from_option(self.options.get(rule, key)?)
    }

    pub fn options(&self) -> &RuleOptions {
        &self.options
    }

    pub fn options_mut(&mut self) -> &mut RuleOptions {
        &mut self.options
    }

    pub fn inline_suppressions(&self) -> bool {
        self.inline_suppressions
    }

    pub fn set_inline_suppressions(&mut self, on: bool) {
        self.inline_suppressions = on;
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

#[cfg(test)]
mod kubernetes_version_tests {
    use super::parse_kubernetes_version as parse;

    #[test]
    fn versions_are_read_in_their_usual_spellings() {
        assert_eq!(parse("1.30"), Ok(30));
        assert_eq!(parse("v1.30"), Ok(30));
        assert_eq!(parse("1.30.2"), Ok(30));
        assert_eq!(
            parse("1.12"),
            Err("podlint knows the fields of Kubernetes 1.25 to 1.37, not 1.12".into())
        );
        assert!(parse("2.1")
            .unwrap_err()
            .contains("not a Kubernetes version"));
        assert!(parse("1.x").is_err() && parse("1.").is_err() && parse("1.30.2.1").is_err());
    }
}
