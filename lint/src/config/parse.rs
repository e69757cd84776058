//! `.podlint.yaml` text → [`ConfigFile`], read with our own YAML layer so every mistake is
//! reported at its line and column.

use crate::config::model::{ConfigFile, Globs, Layer, Override};
use crate::rule::options::OptionValue;
use crate::diagnostic::Severity;
use crate::rule::RuleSelector as Selector;
use crate::syntax::{self, NodeRef, ScalarType};
use crate::text::TextRange;

/// The keys of the file's top level.
pub const KEYS: &[&str] = &[
    "exclude",
    "ignore",
    "inline-suppressions",
    "kubernetes-version",
    "overrides",
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
                _ => self.layer_key(&mut config.layer, name, value),
            }
        }
        config
    }

    fn layer_key(&mut self, layer: &mut Layer, name: &str, value: NodeRef) {
        match name {
            "select" => layer.select = self.selectors(value, name),
            "ignore" => layer.ignore = self.selectors(value, name),
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

    fn selectors(&mut self, value: NodeRef, key: &str) -> Vec<Selector> {
        let mut out = Vec::new();
        for (text, range) in self.strings(value, key) {
            match crate::rules::parse_selector(text.trim()) {
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
            let selector = match crate::rules::parse_selector(key.as_str().unwrap_or("")) {
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

    fn rule_options(&mut self, value: NodeRef) -> Vec<(&'static str, String, OptionValue)> {
        if !value.is_mapping() {
            self.error(
                value.range(),
                "`rules` maps rule names to their options, e.g. `required-label: {labels: [app]}`",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, options) in value.entries() {
            let name = key.as_str().unwrap_or("");
            let Some(rule) = crate::rules::rule(name) else {
                let mut message = format!("unknown rule `{name}`");
                if let Some(close) = crate::rules::closest_rule(name) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                self.error(key.range(), message);
                continue;
            };
            if !options.is_mapping() {
                self.error(
                    options.range(),
                    format!("the options of `{name}` are a mapping, e.g. `{name}: {{key: value}}`"),
                );
                continue;
            }
            for (option, option_value) in options.entries() {
                let Some(option) = option.as_string() else {
                    self.error(option.range(), "option names are plain words");
                    continue;
                };
                if let Some(v) = self.option_value(option_value) {
                    out.push((rule.name, option.to_string(), v));
                }
            }
        }
        out
    }

    /// Converts a YAML value into an option value, without recursion on its depth.
    fn option_value(&mut self, value: NodeRef) -> Option<OptionValue> {
        // Options are shallow by nature (lists of names, maps of ranges); deeper is a mistake.
        const MAX_DEPTH: usize = 4;
        fn convert(value: NodeRef, depth: usize) -> Result<OptionValue, TextRange> {
            if depth > MAX_DEPTH {
                return Err(value.range());
            }
            if value.is_sequence() {
                return value
                    .items()
                    .map(|i| convert(i, depth + 1))
                    .collect::<Result<_, _>>()
                    .map(OptionValue::List);
            }
            if value.is_mapping() {
                return value
                    .entries()
                    .map(|(k, v)| {
                        Ok((k.as_str().unwrap_or("").to_string(), convert(v, depth + 1)?))
                    })
                    .collect::<Result<_, _>>()
                    .map(OptionValue::Map);
            }
            let text = value.as_str().unwrap_or("");
            Ok(match value.scalar_type() {
                Some(ScalarType::Bool) => OptionValue::Bool(value.as_bool().unwrap_or(false)),
                Some(ScalarType::Int) => value
                    .as_i64()
                    .map_or_else(|| OptionValue::String(text.into()), OptionValue::Int),
                Some(ScalarType::Float) => text
                    .parse()
                    .map_or_else(|_| OptionValue::String(text.into()), OptionValue::Float),
                Some(ScalarType::Null) | None => OptionValue::Null,
                Some(ScalarType::String) => OptionValue::String(text.into()),
            })
        }
        match convert(value, 0) {
            Ok(v) => Some(v),
            Err(range) => {
                self.error(range, "rule options nest at most four levels deep");
                None
            }
        }
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

fn closest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::damerau_levenshtein(text, c), c))
        .filter(|(d, c)| *d <= c.len() / 3 + 1)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
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
  bare-pod:
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
        assert_eq!(
            settings.option::<Vec<String>>("bare-pod", "labels"),
            Some(vec!["app".into(), "team".into()])
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
    fn an_empty_file_means_defaults() {
        assert!(parse("# nothing yet\n").is_ok());
        assert!(parse("").is_ok());
    }
}
