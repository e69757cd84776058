//! Which rules run and at what severity. The CLI and the language server build one from the
//! command line and `.podlint.yaml`; the engine only reads it.

use std::sync::Arc;

use super::meta::RuleMeta;
use super::options::{AnyOptions, ConfiguredOptions, Decoder, OptionError, RuleOptions};
use super::preset::{self, Preset, Presets};
use crate::diagnostic::{Category, Severity};

/// The rules settings choose from, sorted by name: the registry (`rules::RULES`) in podlint;
/// injected so this layer never names a rule.
pub type Registry = &'static [&'static RuleMeta];

#[derive(Debug, Clone)]
pub struct Settings {
    rules: Registry,
    /// The named sets of rules selectors may use (`rules::PRESETS` in podlint).
    presets: Presets,
    /// Parallel to `rules`.
    enabled: Vec<bool>,
    /// Parallel to `rules`.
    severities: Vec<Severity>,
    /// Parallel to `rules`: each rule's options (`rules:` in `.podlint.yaml`, else the
    /// defaults), for the rules that take options.
    options: Vec<Option<Arc<dyn AnyOptions>>>,
    /// Whether `# podlint-disable…` comments and `podlint.dev/ignore` annotations count.
    inline_suppressions: bool,
    /// The Kubernetes minor version (1.x) the manifests target: fields the schema has only in
    /// other versions are reported. Default: the newest the schema covers.
    pub kubernetes_minor: u8,
    /// Custom resources that hold pods, from `.podlint.yaml` `pod-templates:`, on top of
    /// the built-in table (`k8s::custom`).
    pub pod_templates: Arc<[crate::k8s::CustomKind]>,
}

impl Settings {
    /// The rules of `rules` that are on unless configured otherwise, at their default severity
    /// (`Settings::default()` does this for every rule of podlint).
    pub fn with_defaults(rules: Registry) -> Self {
        Self {
            rules,
            presets: &[],
            enabled: rules.iter().map(|r| r.default_enabled).collect(),
            severities: rules.iter().map(|r| r.severity).collect(),
            options: rules
                .iter()
                .map(|r| r.options.map(|spec| (spec.default)()))
                .collect(),
            inline_suppressions: true,
            kubernetes_minor: crate::schema::NEWEST_MINOR,
            pod_templates: Arc::new([]),
        }
    }

    /// The same settings with `presets` as the selector words for named sets of rules.
    pub fn with_presets(mut self, presets: Presets) -> Self {
        self.presets = presets;
        self
    }

    /// The presets selectors may name, sorted by name.
    pub fn presets(&self) -> Presets {
        self.presets
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

/// A word that names rules on the command line, in config or in a suppression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Category(Category),
    Preset(&'static Preset),
    Rule(usize),
}

impl Settings {
    /// Reads a rule name, a preset, a category or `all`; a misspelt name gets the closest
    /// rule's.
    pub fn selector(&self, text: &str) -> Result<RuleSelector, String> {
        parse_selector(self.rules, self.presets, text)
    }

    /// Whether `selector` names the rule at `index` of the registry.
    pub fn selects(&self, selector: RuleSelector, index: usize) -> bool {
        match selector {
            RuleSelector::All => true,
            RuleSelector::Category(c) => self.rules[index].category == c,
            RuleSelector::Preset(p) => p.contains(self.rules[index].name),
            RuleSelector::Rule(i) => i == index,
        }
    }

    /// Every rule these settings choose from, sorted by name.
    pub fn registry(&self) -> Registry {
        self.rules
    }

    /// Only the named rules (tests use this).
    pub fn only(names: &[&str]) -> Self {
        let mut settings = Self::default();
        settings.enabled.fill(false);
        for name in names {
            let index = settings
                .rule_index(name)
                .unwrap_or_else(|| panic!("no rule named {name}"));
            settings.enabled[index] = true;
        }
        settings
    }

    pub fn select(&mut self, selector: RuleSelector) {
        self.set_enabled(selector, true);
    }

    pub fn ignore(&mut self, selector: RuleSelector) {
        self.set_enabled(selector, false);
    }

    fn set_enabled(&mut self, selector: RuleSelector, on: bool) {
        for index in 0..self.rules.len() {
            if self.selects(selector, index) {
                self.enabled[index] = on;
            }
        }
    }

    pub fn set_severity(&mut self, selector: RuleSelector, severity: Severity) {
        for index in 0..self.rules.len() {
            if self.selects(selector, index) {
                self.severities[index] = severity;
            }
        }
    }

    pub fn is_enabled(&self, rule: &str) -> bool {
        self.rule_index(rule).is_some_and(|i| self.enabled[i])
    }

    pub fn is_enabled_at(&self, index: usize) -> bool {
        self.enabled[index]
    }

    pub fn severity(&self, rule: &str) -> Option<Severity> {
        self.rule_index(rule).map(|i| self.severities[i])
    }

    pub fn severity_at(&self, index: usize) -> Severity {
        self.severities[index]
    }

    /// The options of `rule`, as configured or else the defaults. Rules call this through
    /// their context: `cx.options::<RequiredLabelOptions>()`.
    ///
    /// # Panics
    /// When `rule` does not declare options of type `T` (`options: T,` in `declare_rule!`).
    pub fn options<T: RuleOptions>(&self, rule: &RuleMeta) -> &T {
        self.rule_index(rule.name)
            .and_then(|i| self.options[i].as_deref())
            .and_then(|o| o.as_any().downcast_ref::<T>())
            .unwrap_or_else(|| {
                panic!(
                    "rule `{}` reads options of type `{}` but declares {}",
                    rule.name,
                    std::any::type_name::<T>(),
                    rule.options
                        .map_or("none".to_string(), |s| format!("`{}`", (s.type_name)()))
                )
            })
    }

    /// Lays options decoded from a config layer over the rule's current ones.
    pub fn apply_options(&mut self, configured: &ConfiguredOptions) {
        if let Some(current) = &mut self.options[configured.rule] {
            *current = current.merged(&*configured.value, &configured.written);
        }
    }

    /// Sets a rule's options from YAML text, as `rules: {<rule>: <yaml>}` would (tests and
    /// tools use this): `settings.configure("required-label", "labels: [team]")`. Errors are
    /// those a config file would report, with ranges into `yaml`.
    pub fn configure(&mut self, rule: &str, yaml: &str) -> Result<(), Vec<OptionError>> {
        let index = self
            .rule_index(rule)
            .unwrap_or_else(|| panic!("no rule named {rule}"));
        let meta = self.rules[index];
        let Some(spec) = meta.options else {
            panic!("rule `{rule}` takes no options");
        };
        let parsed = crate::syntax::parse(yaml);
        let mut errors: Vec<OptionError> = parsed
            .errors
            .iter()
            .map(|e| OptionError {
                range: e.range,
                message: e.message.clone(),
            })
            .collect();
        let root = parsed.documents.first().and_then(|d| d.root());
        let decoded =
            root.and_then(|root| (spec.decode)(root, &mut Decoder::new(meta.name, &mut errors)));
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.range.start());
            return Err(errors);
        }
        if let Some((value, written)) = decoded {
            self.apply_options(&ConfiguredOptions {
                rule: index,
                value,
                written,
            });
        }
        Ok(())
    }

    /// The options of each rule that takes some and whose options differ from the defaults,
    /// as JSON, in registry order (for `podlint config`).
    pub fn configured_options(&self) -> Vec<(&'static str, serde_json::Value)> {
        self.rules
            .iter()
            .zip(&self.options)
            .filter_map(|(meta, options)| {
                let value = options.as_ref()?.to_json();
                let default = (meta.options?.default)().to_json();
                (value != default).then_some((meta.name, value))
            })
            .collect()
    }

    pub fn inline_suppressions(&self) -> bool {
        self.inline_suppressions
    }

    pub fn set_inline_suppressions(&mut self, on: bool) {
        self.inline_suppressions = on;
    }

    /// Names of the enabled rules, sorted.
    pub fn enabled_rules(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| r.name)
    }

    /// Where a rule sits in the registry.
    pub fn rule_index(&self, name: &str) -> Option<usize> {
        rule_index(self.rules, name)
    }

    /// The rule name nearest to a misspelt one, if any is near.
    pub fn closest_rule(&self, text: &str) -> Option<&'static str> {
        closest_rule(self.rules, text)
    }
}

/// Reads a rule name of `rules`, a preset of `presets`, a category or `all`; a misspelt name
/// gets the closest word's. A preset is read before a category of the same name.
pub fn parse_selector(
    rules: Registry,
    presets: Presets,
    text: &str,
) -> Result<RuleSelector, String> {
    if text == "all" {
        return Ok(RuleSelector::All);
    }
    if let Some(preset) = preset::find(presets, text) {
        return Ok(RuleSelector::Preset(preset));
    }
    if let Some(category) = Category::parse(text) {
        return Ok(RuleSelector::Category(category));
    }
    if let Some(index) = rule_index(rules, text) {
        return Ok(RuleSelector::Rule(index));
    }
    let mut message = format!("`{text}` is neither a rule, a preset, a category nor `all`");
    let words = rules
        .iter()
        .map(|r| r.name)
        .chain(presets.iter().map(|p| p.name))
        .chain(Category::ALL.iter().map(|c| c.as_str()))
        .chain(["all"]);
    if let Some(close) = super::options::closest(text, words) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    Err(message)
}

/// Where the rule `name` sits in `rules`.
pub fn rule_index(rules: Registry, name: &str) -> Option<usize> {
    rules.binary_search_by(|r| r.name.cmp(name)).ok()
}

/// The rule name of `rules` nearest to a misspelt one, if any is near.
pub fn closest_rule(rules: Registry, text: &str) -> Option<&'static str> {
    rules
        .iter()
        .map(|r| r.name)
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
