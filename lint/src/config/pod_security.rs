//! The ways a team sets the Pod Security Standards level every pod is held to: `pod-security:
//! {level: restricted, version: v1.30}` in `.podlint.yaml`, `--pod-security LEVEL
//! [--pod-security-version v1.N]` on the command line, and the selector words `pss-baseline`
//! and `pss-restricted` (`--select pss-restricted`). Each sets the options of the
//! `pod-security` rule and turns it on.

use std::sync::Arc;

use crate::k8s::pod_security::{Level, Version};
use crate::rule::options::{ConfiguredOptions, Decoder, OptionError};
use crate::rules::security::pod_security::{PodSecurity, PodSecurityOptions};
use crate::syntax::NodeRef;

/// The rule these settings configure.
pub const RULE: &str = PodSecurity::META.name;

/// The selector words that name a level: `pss-baseline`, `pss-restricted`.
pub const WORDS: &[(&str, Level)] = &[
    ("pss-baseline", Level::Baseline),
    ("pss-restricted", Level::Restricted),
];

/// The level a selector word names, if it is one of [`WORDS`].
pub fn level_word(text: &str) -> Option<Level> {
    WORDS.iter().find(|(w, _)| *w == text).map(|(_, l)| *l)
}

/// The `pod-security` rule's options with the given level and, when given, version (the other
/// key keeps the value of earlier layers).
pub fn options(level: Option<Level>, version: Option<Version>) -> ConfiguredOptions {
    let mut value = PodSecurityOptions::default();
    let mut written = Vec::new();
    if let Some(level) = level {
        value.level = level;
        written.push("level".to_string());
    }
    if let Some(version) = version {
        value.version = version;
        written.push("version".to_string());
    }
    ConfiguredOptions {
        rule: index(),
        value: Arc::new(value),
        written,
    }
}

/// `later`'s written keys laid over `earlier` (both options of `pod-security`).
pub fn merged(earlier: &ConfiguredOptions, later: &ConfiguredOptions) -> ConfiguredOptions {
    let mut written = earlier.written.clone();
    for key in &later.written {
        if !written.contains(key) {
            written.push(key.clone());
        }
    }
    ConfiguredOptions {
        rule: earlier.rule,
        value: earlier.value.merged(&*later.value, &later.written),
        written,
    }
}

/// Reads the `pod-security:` key of `.podlint.yaml`: the rule's options mapping, or just a
/// level (`pod-security: restricted`).
pub fn decode(node: NodeRef<'_, '_>, errors: &mut Vec<OptionError>) -> Option<ConfiguredOptions> {
    if let Some(text) = node.as_string() {
        return match Level::parse(text.trim()) {
            Some(level) => Some(options(Some(level), None)),
            None => {
                errors.push(OptionError {
                    range: node.range(),
                    message: format!("`pod-security` is a level (`privileged`, `baseline` or `restricted`) or `{{level: …, version: v1.N}}`, not `{text}`"),
                });
                None
            }
        };
    }
    let spec = PodSecurity::META
        .options
        .expect("pod-security takes options");
    let (value, written) = (spec.decode)(node, &mut Decoder::new(RULE, errors))?;
    Some(ConfiguredOptions {
        rule: index(),
        value,
        written,
    })
}

/// A rule name, a category, `all`, or a level word (which names `pod-security`); a misspelt
/// level word gets the closest one (`pss-restriced`).
pub fn parse_selector(text: &str) -> Result<crate::rule::RuleSelector, String> {
    if level_word(text).is_some() {
        return Ok(crate::rule::RuleSelector::Rule(index()));
    }
    crate::rules::parse_selector(text).map_err(|message| {
        match crate::rule::options::closest(text, WORDS.iter().map(|(w, _)| *w)) {
            Some(word) => {
                format!("`{text}` is neither a rule, a category nor `all`; did you mean `{word}`?")
            }
            None => message,
        }
    })
}

fn index() -> usize {
    crate::rules::rule_index(RULE).expect("pod-security is registered")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::settings::Settings;

    fn configured(text: &str) -> (bool, String) {
        let config = parse(text).unwrap();
        let mut settings = Settings::default();
        settings.ignore(crate::rule::RuleSelector::All);
        config.layer.apply(&mut settings);
        let meta = crate::rules::rule(RULE).unwrap();
        let options = settings.options::<PodSecurityOptions>(meta);
        (
            settings.is_enabled(RULE),
            format!("{} {}", options.level, options.version),
        )
    }

    #[test]
    fn the_config_sets_the_level_and_turns_the_rule_on() {
        assert_eq!(
            configured("pod-security: {level: restricted, version: v1.30}\n"),
            (true, "restricted v1.30".into())
        );
        assert_eq!(
            configured("pod-security: restricted\n"),
            (true, "restricted latest".into())
        );
        assert_eq!(
            configured("select: [pss-restricted]\n"),
            (true, "restricted latest".into())
        );
        assert_eq!(
            configured("pod-security: {version: \"1.25\"}\n"),
            (true, "baseline v1.25".into())
        );
        // A later override replaces only what it writes.
        let config = parse("pod-security: {level: restricted, version: v1.30}\noverrides:\n- files: [legacy/**]\n  select: [pss-baseline]\n").unwrap();
        let mut settings = Settings::default();
        config.layer.apply(&mut settings);
        config.overrides[0].layer.apply(&mut settings);
        let meta = crate::rules::rule(RULE).unwrap();
        let options = settings.options::<PodSecurityOptions>(meta);
        assert_eq!(
            (options.level, options.version),
            (Level::Baseline, Version::Minor(30))
        );
        let config = parse("ignore: [pss-restricted]\n").unwrap();
        let mut settings = Settings::default();
        config.layer.apply(&mut settings);
        assert!(!settings.is_enabled(RULE));
    }

    #[test]
    fn mistakes_are_reported_at_their_place() {
        let text = "pod-security: {level: strict, versoin: v1.30}\nselect: [pss-restriced]\n";
        let errors = parse(text).unwrap_err();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (&text[e.range], e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "strict",
                    "`level` of `pod-security` must be `privileged`, `baseline` or `restricted`, not `strict`"
                ),
                (
                    "versoin",
                    "unknown option `versoin` of `pod-security`; did you mean `version`?"
                ),
                (
                    "pss-restriced",
                    "`pss-restriced` is neither a rule, a category nor `all`; did you mean `pss-restricted`?"
                ),
            ]
        );
        let errors = parse("pod-security: {version: v2.0}\n").unwrap_err();
        assert_eq!(
            errors[0].message,
            "`version` of `pod-security` must be `latest` or a policy version such as `v1.30`, not `v2.0`"
        );
        let errors = parse("pod-security: strict\n").unwrap_err();
        assert!(
            errors[0].message.starts_with("`pod-security` is a level"),
            "{errors:?}"
        );
    }
}
