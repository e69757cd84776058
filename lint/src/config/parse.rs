//! `.podlint.yaml` text → [`ConfigFile`], read with our own YAML layer so every mistake is
//! reported at its line and column.

use crate::config::model::{ConfigFile, Globs, Layer, Override, RenderMode};
use crate::config::pod_security;
use crate::diagnostic::Severity;
use crate::k8s::CustomKind;
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
    "pod-templates",
    "render",
    "rules",
    "select",
    "severity",
];

/// The keys of a `pod-templates:` item.
pub const POD_TEMPLATE_KEYS: &[&str] = &[
    "apiVersion",
    "group",
    "kind",
    "path",
    "pod-spec",
    "replicas",
    "runs-to-completion",
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
                "pod-templates" => config.layer.pod_templates = self.pod_templates(value),
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

    /// `pod-templates:`: custom resources whose pods are linted, each a kind, its group and
    /// the paths of its pod templates.
    fn pod_templates(&mut self, value: NodeRef) -> Vec<CustomKind> {
        if !value.is_sequence() {
            self.error(
                value.range(),
                "`pod-templates` is a list of `{kind: Worker, apiVersion: example.com/v1, path: spec.template}` items",
            );
            return Vec::new();
        }
        let mut out: Vec<CustomKind> = Vec::new();
        for item in value.items() {
            if !item.is_mapping() {
                self.error(
                    item.range(),
                    "a pod template is a mapping with `kind`, `apiVersion` (or `group`) and `path`",
                );
                continue;
            }
            let mut kind = None;
            let mut group: Option<(String, TextRange)> = None;
            let mut paths = Vec::new();
            let mut flags = [false; 3];
            for (name, key, v) in self.known_entries(item, POD_TEMPLATE_KEYS, "a pod template") {
                match name {
                    "kind" => match v.as_string().filter(|k| !k.is_empty()) {
                        Some(k) => kind = Some(k.to_string()),
                        None => {
                            self.error(v.range(), "`kind` is the resource's kind, e.g. `Worker`")
                        }
                    },
                    "apiVersion" | "group" => {
                        let Some(text) = v.as_string().filter(|t| !t.is_empty()) else {
                            self.error(
                                v.range(),
                                format!("`{name}` is a string such as `example.com/v1`"),
                            );
                            continue;
                        };
                        if group.is_some() {
                            self.error(key.range(), "give `apiVersion` or `group`, not both");
                            continue;
                        }
                        let text = if name == "apiVersion" {
                            crate::k8s::custom::group_of(text)
                        } else {
                            text
                        };
                        if crate::k8s::custom::is_builtin_group(text) {
                            self.error(
                                v.range(),
                                format!("`{text}` is not a custom resource's group (those contain a dot, e.g. `example.com`): podlint already knows where Kubernetes' own kinds keep their pods"),
                            );
                            continue;
                        }
                        group = Some((text.to_string(), v.range()));
                    }
                    "path" => {
                        for (text, range) in self.strings(v, "path") {
                            match crate::k8s::custom::parse_path(text) {
                                Ok(steps) => paths.push(steps),
                                Err(message) => self.error(range, message),
                            }
                        }
                    }
                    flag => {
                        let index = ["pod-spec", "replicas", "runs-to-completion"]
                            .iter()
                            .position(|f| *f == flag)
                            .unwrap_or(0);
                        match v.as_bool() {
                            Some(on) => flags[index] = on,
                            None => self.error(v.range(), format!("`{flag}` is `true` or `false`")),
                        }
                    }
                }
            }
            let mut missing = Vec::new();
            if item.get("kind").is_none() {
                missing.push("`kind`");
            }
            if item.get("apiVersion").is_none() && item.get("group").is_none() {
                missing.push("`apiVersion` (or `group`)");
            }
            if item.get("path").is_none() {
                missing.push("`path`");
            }
            if !missing.is_empty() {
                self.error(
                    item.head(),
                    format!("this pod template needs {}", missing.join(" and ")),
                );
                continue;
            }
            // Wrong values were reported where they are written.
            let (Some(kind), Some((group, group_range))) = (kind, group) else {
                continue;
            };
            if paths.is_empty() {
                continue;
            }
            if out.iter().any(|k| k.kind == kind && k.group == group) {
                self.error(
                    group_range,
                    format!("`{kind}` of `{group}` is listed twice"),
                );
                continue;
            }
            let [pod_spec, replicas, runs_to_completion] = flags;
            out.push(CustomKind {
                group,
                kind,
                paths,
                form: if pod_spec {
                    crate::k8s::TemplateForm::Spec
                } else {
                    crate::k8s::TemplateForm::Template
                },
                runs_to_completion,
                replicas,
                container_name_optional: false,
                extra_spec_fields: Vec::new(),
                probe_port_optional: false,
            });
        }
        out
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
    fn pod_templates_are_read_and_checked() {
        let config = parse(
            "pod-templates:\n- kind: Worker\n  apiVersion: example.com/v1\n  path: spec.stages[*].template\n- kind: Runner\n  group: ci.example.org\n  path: [spec.pod]\n  pod-spec: true\n  runs-to-completion: true\n",
        )
        .unwrap();
        let kinds = &config.layer.pod_templates;
        assert_eq!(kinds.len(), 2);
        assert_eq!(
            (kinds[0].group.as_str(), kinds[0].kind.as_str()),
            ("example.com", "Worker")
        );
        assert_eq!(kinds[1].form, crate::k8s::TemplateForm::Spec);
        assert!(kinds[1].runs_to_completion);
        let mut settings = Settings::default();
        config.layer.apply(&mut settings);
        assert_eq!(settings.pod_templates.len(), 2);

        assert_eq!(
            errors("pod-templates:\n- kind: Job\n  apiVersion: batch/v1\n  path: spec.template\n- kind: W\n  group: a.io\n  path: spec.x[0]\n- kind: V\n  pth: spec.template\n- {kind: X, group: b.io, path: spec.t, replicas: 2}\n"),
            [
                ("batch/v1".into(), "`batch` is not a custom resource's group (those contain a dot, e.g. `example.com`): podlint already knows where Kubernetes' own kinds keep their pods".into()),
                ("spec.x[0]".into(), "`spec.x[0]`: only `[*]` (every item of a list) may follow a key".into()),
                ("kind: V".into(), "this pod template needs `apiVersion` (or `group`) and `path`".into()),
                ("pth".into(), "unknown key `pth` in a pod template; did you mean `path`?".into()),
                ("2".into(), "`replicas` is `true` or `false`".into()),
            ]
        );
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
                    "`bare-pd` is neither a rule, a preset, a category nor `all`; did you mean `bare-pod`?"
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
                "`secuirty` is neither a rule, a preset, a category nor `all`; did you mean `security`?"
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
