//! `.podlint.yaml` text → [`ConfigFile`], read with our own YAML layer so every mistake is
//! reported at its line and column.

use crate::config::model::{ConfigFile, Globs, Layer, Override, RenderMode};
use crate::config::pod_security;
use crate::diagnostic::Severity;
use crate::rule::options::{closest, ConfiguredOptions, Decoder, OptionError};
use crate::rule::RuleSelector as Selector;
use crate::rules::RULES;
use crate::syntax::{self, NodeRef};
use crate::text::TextRange;

/// The keys of the file's top level.
pub const KEYS: &[&str] = &[
    "exclude",
    "helm-command",
    "ignore",
    "inline-suppressions",
    "kubernetes-version",
    "kustomize-command",
    "overrides",
    "pod-security",
    "render",
    "rules",
    "select",
    "severity",
];

/// The keys of an `overrides:` item.
pub const OVERRIDE_KEYS: &[&str] = &[
    "files",
    "ignore",
    "inline-suppressions",
    "kubernetes-version",
    "pod-security",
    "rules",
    "select",
    "severity",
];

/// A mistake in a config file, at its place in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub range: TextRange,
    pub message: String,
}

/// Parses a config file. Every mistake is reported, not only the first.
pub fn parse(text: &str) -> Result<ConfigFile, Vec<ConfigError>> {
    let parsed = syntax::parse(text);
    let mut cx = Parser { errors: Vec::new() };
    for error in &parsed.errors {
        cx.error(error.range, error.message.clone());
    }
    if let Some(second) = parsed.documents.get(1) {
        cx.error(
            second.range,
            "a config file holds one YAML document; remove the `---` and what follows",
        );
    }
    let mut config = ConfigFile::default();
    if let Some(root) = parsed.documents.first().and_then(|d| d.root()) {
        if root.is_null() {
            // An empty or all-comments file: defaults.
        } else if root.is_mapping() {
            config = cx.file(root);
        } else {
            cx.error(
                root.range(),
                "a config file is a mapping of keys such as `select:`",
            );
        }
    }
    if cx.errors.is_empty() {
        Ok(config)
    } else {
        cx.errors.sort_by_key(|e| e.range.start());
        Err(cx.errors)
    }
}

struct Parser {
    errors: Vec<ConfigError>,
}

fn pod_security_rule() -> Selector {
    Selector::Rule(crate::rules::rule_index(pod_security::RULE).expect("registered"))
}

impl Parser {
    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(ConfigError {
            range,
            message: message.into(),
        });
    }

    /// The entries of a mapping whose keys are among `allowed`; others are reported.
    fn known_entries<'d, 's>(
        &mut self,
        map: NodeRef<'d, 's>,
        allowed: &[&str],
        place: &str,
    ) -> Vec<(&'d str, NodeRef<'d, 's>, NodeRef<'d, 's>)> {
        let mut out: Vec<(&str, NodeRef, NodeRef)> = Vec::new();
        for (key, value) in map.entries() {
            let Some(name) = key.as_str() else {
                self.error(key.range(), "keys are plain words such as `select`");
                continue;
            };
            if !allowed.contains(&name) {
                let mut message = format!("unknown key `{name}` in {place}");
                if let Some(close) = closest(name, allowed.iter().copied()) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                } else {
                    message.push_str(&format!("; expected one of {}", allowed.join(", ")));
                }
                self.error(key.range(), message);
                continue;
            }
            if out.iter().any(|(n, _, _)| *n == name) {
                self.error(key.range(), format!("`{name}` is set twice"));
                continue;
            }
            out.push((name, key, value));
        }
        out
    }

    fn file(&mut self, root: NodeRef) -> ConfigFile {
        let mut config = ConfigFile::default();
        for (name, _, value) in self.known_entries(root, KEYS, "the config file") {
            match name {
                "exclude" => config.exclude = self.globs(value, "exclude"),
                "overrides" => config.overrides = self.overrides(value),
                "render" => match value.as_str().and_then(RenderMode::parse) {
                    Some(mode) => config.render.mode = Some(mode),
                    None => self.error(value.range(), "`render` is `auto`, `always` or `never`"),
                },
                "kustomize-command" => config.render.kustomize_command = self.command(value, name),
                "helm-command" => config.render.helm_command = self.command(value, name),
                _ => self.layer_key(&mut config.layer, name, value),
            }
        }
        config
    }

    fn layer_key(&mut self, layer: &mut Layer, name: &str, value: NodeRef) {
        match name {
            "select" => {
                let selectors = self.selectors(value, name, &mut layer.pod_security);
                layer.select.extend(selectors);
            }
            "ignore" => layer.ignore = self.selectors(value, name, &mut None),
            "pod-security" => {
                let mut errors = Vec::new();
                let decoded = pod_security::decode(value, &mut errors);
                for error in errors {
                    self.error(error.range, error.message);
                }
                if decoded.is_some() {
                    layer.pod_security = decoded;
                    layer.select.push(pod_security_rule());
                }
            }
            "severity" => layer.severity = self.severities(value),
            "rules" => layer.options = self.rule_options(value),
            "kubernetes-version" => {
                let text = value.as_str().unwrap_or("");
                match crate::rule::settings::parse_kubernetes_version(text) {
                    Ok(minor) => layer.kubernetes_minor = Some(minor),
                    Err(message) => self.error(value.range(), message),
                }
            }
            "inline-suppressions" => {
                layer.inline_suppressions = value.as_bool();
                if layer.inline_suppressions.is_none() {
                    self.error(value.range(), "`inline-suppressions` is `true` or `false`");
                }
            }
            _ => unreachable!("checked against the key lists"),
        }
    }

    /// A command: a string of words (`kubectl kustomize`) or a list of them.
    fn command(&mut self, value: NodeRef, key: &str) -> Option<Vec<String>> {
        let words: Vec<String> = if value.is_sequence() {
            self.strings(value, key)
                .into_iter()
                .map(|(w, _)| w.to_string())
                .collect()
        } else {
            value
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect()
        };
        if words.is_empty() {
            self.error(
                value.range(),
                format!("`{key}` is a command, e.g. `kubectl kustomize`"),
            );
            return None;
        }
        Some(words)
    }

    /// A list of strings; a single string counts as a list of one.
    fn strings<'d>(&mut self, value: NodeRef<'d, '_>, key: &str) -> Vec<(&'d str, TextRange)> {
        let items: Vec<NodeRef> = if value.is_sequence() {
            value.items().collect()
        } else {
            vec![value]
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_string() {
                Some(text) => out.push((text, item.range())),
                None => self.error(item.range(), format!("`{key}` expects a list of strings")),
            }
        }
        out
    }

    /// Rule names, categories, `all`, and the level words `pss-baseline`/`pss-restricted`
    /// (which name the `pod-security` rule and, in `select`, set its level).
    fn selectors(
        &mut self,
        value: NodeRef,
        key: &str,
        pod_security: &mut Option<ConfiguredOptions>,
    ) -> Vec<Selector> {
        let mut out = Vec::new();
        for (text, range) in self.strings(value, key) {
            if let Some(level) = pod_security::level_word(text.trim()) {
                *pod_security = Some(pod_security::options(Some(level), None));
                out.push(pod_security_rule());
                continue;
            }
            match pod_security::parse_selector(text.trim()) {
                Ok(selector) => out.push(selector),
                Err(message) => self.error(range, message),
            }
        }
        out
    }

    fn severities(&mut self, value: NodeRef) -> Vec<(Selector, Severity)> {
        if !value.is_mapping() {
            self.error(
                value.range(),
                "`severity` maps rules or categories to `error`, `warning` or `info`",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, level) in value.entries() {
            let selector = match pod_security::parse_selector(key.as_str().unwrap_or("")) {
                Ok(selector) => selector,
                Err(message) => {
                    self.error(key.range(), message);
                    continue;
                }
            };
            match level.as_str().and_then(Severity::parse) {
                Some(severity) => out.push((selector, severity)),
                None => self.error(level.range(), "a severity is `error`, `warning` or `info`"),
            }
        }
        out
    }

    /// `rules:`: each rule's options, decoded with the rule's own declaration.
    fn rule_options(&mut self, value: NodeRef) -> Vec<ConfiguredOptions> {
        if !value.is_mapping() {
            self.error(
                value.range(),
                "`rules` maps rule names to their options, e.g. `required-label: {labels: [app]}`",
            );
            return Vec::new();
        }
        let mut out: Vec<ConfiguredOptions> = Vec::new();
        for (key, options) in value.entries() {
            let name = key.as_str().unwrap_or("");
            let Some(index) = crate::rules::rule_index(name) else {
                let mut message = format!("unknown rule `{name}`");
                if let Some(close) = crate::rules::closest_rule(name) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                self.error(key.range(), message);
                continue;
            };
            let meta = RULES[index];
            let Some(spec) = meta.options else {
                let with_options: Vec<String> = RULES
                    .iter()
                    .filter(|r| r.options.is_some())
                    .map(|r| format!("`{}`", r.name))
                    .collect();
                self.error(
                    key.range(),
                    format!(
                        "`{name}` takes no options; the rules that do are {}",
                        with_options.join(", ")
                    ),
                );
                continue;
            };
            if out.iter().any(|o| o.rule == index) {
                self.error(key.range(), format!("`{name}` is set twice"));
                continue;
            }
            let mut errors: Vec<OptionError> = Vec::new();
            let decoded = (spec.decode)(options, &mut Decoder::new(meta.name, &mut errors));
            for error in errors {
                self.error(error.range, error.message);
            }
            if let Some((value, written)) = decoded {
                out.push(ConfiguredOptions {
                    rule: index,
                    value,
                    written,
                });
            }
        }
        out
    }

    fn globs(&mut self, value: NodeRef, key: &str) -> Option<Globs> {
        let items = self.strings(value, key);
        let patterns: Vec<String> = items.iter().map(|(t, _)| t.to_string()).collect();
        match Globs::new(&patterns) {
            Ok(globs) => Some(globs),
            Err((i, message)) => {
                let range = items.get(i).map_or(value.range(), |(_, r)| *r);
                self.error(range, message);
                None
            }
        }
    }

    fn overrides(&mut self, value: NodeRef) -> Vec<Override> {
        if !value.is_sequence() {
            self.error(
                value.range(),
                "`overrides` is a list of `{files: [globs], …}` items",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in value.items() {
            if !item.is_mapping() {
                self.error(item.range(), "an override is a mapping with `files:`");
                continue;
            }
            let mut files = None;
            let mut layer = Layer::default();
            for (name, _, v) in self.known_entries(item, OVERRIDE_KEYS, "an override") {
                match name {
                    "files" => files = self.globs(v, "files"),
                    _ => self.layer_key(&mut layer, name, v),
                }
            }
            match files {
                Some(files) => out.push(Override { files, layer }),
                None if item.get("files").is_none() => self.error(
                    item.range(),
                    "an override needs `files:`, the globs of the paths it applies to",
                ),
                None => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::metadata::required_label::RequiredLabelOptions;
    use crate::settings::Settings;
    use std::path::Path;

    fn errors(text: &str) -> Vec<(String, String)> {
        parse(text)
            .expect_err("should fail")
            .into_iter()
            .map(|e| (text[e.range].to_string(), e.message))
            .collect()
    }

    #[test]
    fn a_full_config_reads_and_applies() {
        let text = "\
select: [all]
ignore: [bare-pod]
severity:
  api-warns: error
  duplicate-container-port: info
exclude: [vendor/]
kubernetes-version: \"1.30\"
rules:
  required-label:
    labels: [app, team]
overrides:
- files: [legacy/**]
  ignore: [api-warns]
";
        let config = parse(text).unwrap();
        let mut settings = Settings::default();
        config.layer.apply(&mut settings);
        assert!(!settings.is_enabled("bare-pod"));
        assert_eq!(
            settings.severity("duplicate-container-port"),
            Some(Severity::Info)
        );
        let required = crate::rules::rule("required-label").unwrap();
        assert_eq!(
            settings.options::<RequiredLabelOptions>(required).labels,
            ["app", "team"]
        );
        assert!(config.excludes(Path::new("vendor/a.yaml")));
        assert_eq!(config.overrides_for(Path::new("legacy/a/b.yaml")), [0]);
        assert!(config.overrides_for(Path::new("new/b.yaml")).is_empty());
        assert_eq!(config.layer.kubernetes_minor, Some(30));
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        assert_eq!(
            errors("selct: [all]\nseverity: {bare-pod: loud}\nignore: [bare-pd]\n"),
            [
                (
                    "selct".into(),
                    "unknown key `selct` in the config file; did you mean `select`?".into()
                ),
                (
                    "loud".into(),
                    "a severity is `error`, `warning` or `info`".into()
                ),
                (
                    "bare-pd".into(),
                    "`bare-pd` is neither a rule, a category nor `all`; did you mean `bare-pod`?"
                        .into()
                ),
            ]
        );
        assert_eq!(
            errors("overrides:\n- ignore: [all]\n")[0].1,
            "an override needs `files:`, the globs of the paths it applies to"
        );
        assert_eq!(
            errors("select: 3\n")[0].1,
            "`select` expects a list of strings"
        );
        assert_eq!(errors("- a\n")[0].0, "- a");
    }

    #[test]
    fn every_mistake_in_rule_options_is_reported() {
        let text = "\
rules:
  required-label: {lables: [team]}
  required-lable: {labels: [team]}
  bare-pod: {labels: [team]}
  single-replica: {minimum-replicas: three}
  resource-out-of-range:
    memory: {max: 8Gix}
select: [secuirty]
";
        let found = errors(text);
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(t, m)| (t.as_str(), m.as_str()))
            .collect();
        assert_eq!(
            found[0],
            (
                "lables",
                "unknown option `lables` of `required-label`; expected `labels`"
            )
        );
        assert_eq!(
            found[1],
            (
                "required-lable",
                "unknown rule `required-lable`; did you mean `required-label`?"
            )
        );
        assert_eq!(found[2].0, "bare-pod");
        assert!(
            found[2].1.starts_with(
                "`bare-pod` takes no options; the rules that do are `allowed-registries`, "
            ),
            "{}",
            found[2].1
        );
        assert_eq!(
            found[3],
            (
                "three",
                "`minimum-replicas` of `single-replica` must be a whole number, not `three`"
            )
        );
        assert_eq!(found[4].0, "8Gix");
        assert!(
            found[4]
                .1
                .starts_with("`max` of `memory` of `resource-out-of-range` is not a quantity: "),
            "{}",
            found[4].1
        );
        assert_eq!(
            found[5],
            (
                "secuirty",
                "`secuirty` is neither a rule, a category nor `all`; did you mean `security`?"
            )
        );
        assert_eq!(found.len(), 6, "{found:#?}");
        assert_eq!(
            errors("rules:\n  required-label:\n")[0].1,
            "the options of `required-label` are a mapping, e.g. `required-label: {labels: …}`"
        );
    }

    #[test]
    fn an_override_replaces_only_the_options_it_writes() {
        let text = "\
rules:
  resource-out-of-range: {cpu: {max: \"4\"}, memory: {max: 8Gi}}
overrides:
- files: [big/**]
  rules:
    resource-out-of-range: {memory: {max: 64Gi}}
";
        let config = parse(text).unwrap();
        let mut settings = Settings::default();
        config.layer.apply(&mut settings);
        config.overrides[0].layer.apply(&mut settings);
        let options = settings.configured_options();
        assert_eq!(
            options,
            [(
                "resource-out-of-range",
                serde_json::json!({"cpu": {"max": "4"}, "memory": {"max": "64Gi"}})
            )]
        );
    }

    #[test]
    fn an_empty_file_means_defaults() {
        assert!(parse("# nothing yet\n").is_ok());
        assert!(parse("").is_ok());
    }
}
