//! What a `.podlint.yaml` says, checked and ready to apply: layers of rule choices, the paths
//! it excludes, and per-path overrides.

use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostic::Severity;
use crate::rule::options::ConfiguredOptions;
use crate::rule::{RuleSelector as Selector, Settings};
use crate::rules::RULES;

/// One set of choices: the file's top level, an override, or the command line.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    pub select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(Selector, Severity)>,
    /// Rule options from `rules:`, decoded when the file was loaded.
    pub options: Vec<ConfiguredOptions>,
    /// The targeted Kubernetes minor version (`kubernetes-version: "1.30"` → 30).
    pub kubernetes_minor: Option<u8>,
    pub inline_suppressions: Option<bool>,
    /// The Pod Security Standards level and version (`pod-security:`, `--pod-security`,
    /// `pss-restricted`): options of the `pod-security` rule, applied after `options`.
    pub pod_security: Option<ConfiguredOptions>,
}

impl Layer {
    /// Applies this layer over `settings`.
    ///
    /// Within a layer the most specific selector decides whether a rule runs (a rule name beats
    /// a category, which beats `all`; `ignore` wins a tie), so `ignore: [all]` with
    /// `select: [security]` runs exactly the security rules, whatever the order they are written
    /// in. A later layer overrides an earlier one for the rules it names.
    pub fn apply(&self, settings: &mut Settings) {
        for index in 0..RULES.len() {
            let decision = self
                .select
                .iter()
                .map(|s| (*s, true))
                .chain(self.ignore.iter().map(|s| (*s, false)))
                .filter(|(s, _)| settings.selects(*s, index))
                .max_by_key(|(s, on)| (specificity(*s), !on));
            match decision {
                Some((_, true)) => settings.select(Selector::Rule(index)),
                Some((_, false)) => settings.ignore(Selector::Rule(index)),
                None => {}
            }
        }
        let mut severities = self.severity.clone();
        severities.sort_by_key(|(s, _)| specificity(*s));
        for (selector, severity) in severities {
            settings.set_severity(selector, severity);
        }
        for options in &self.options {
            settings.apply_options(options);
        }
        if let Some(options) = &self.pod_security {
            settings.apply_options(options);
        }
        if let Some(on) = self.inline_suppressions {
            settings.set_inline_suppressions(on);
        }
        if let Some(minor) = self.kubernetes_minor {
            settings.kubernetes_minor = minor;
        }
    }
}

fn specificity(selector: Selector) -> u8 {
    match selector {
        Selector::All => 0,
        Selector::Category(_) => 1,
        Selector::Rule(_) => 2,
    }
}

/// Gitignore-style globs, relative to the config file's directory.
#[derive(Debug, Clone)]
pub struct Globs {
    /// As written, for display.
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    /// Compiles gitignore-style patterns: one without a `/` matches at any depth, one with a
    /// `/` is anchored at the config's directory, and a pattern that names a directory also
    /// matches everything under it.
    pub fn new(patterns: &[String]) -> Result<Self, (usize, String)> {
        let mut builder = GlobSetBuilder::new();
        for (i, pattern) in patterns.iter().enumerate() {
            if pattern.starts_with('!') {
                return Err((i, "negated patterns (`!…`) are not supported here".into()));
            }
            let trimmed = pattern.trim_end_matches('/');
            let anchored = trimmed.contains('/');
            let body = trimmed.trim_start_matches('/');
            if body.is_empty() {
                return Err((i, "an empty pattern matches nothing".into()));
            }
            let full = if anchored {
                body.to_string()
            } else {
                format!("**/{body}")
            };
            for glob in [full.clone(), format!("{full}/**")] {
                let glob = GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| (i, format!("invalid glob `{pattern}`: {}", e.kind())))?;
                builder.add(glob);
            }
        }
        let set = builder
            .build()
            .map_err(|e| (0, format!("invalid globs: {e}")))?;
        Ok(Self {
            patterns: patterns.to_vec(),
            set,
        })
    }

    /// Whether `relative` (a path relative to the config's directory) matches.
    pub fn is_match(&self, relative: &Path) -> bool {
        self.set.is_match(relative)
    }
}

/// `overrides:` item: choices for the files its globs match.
#[derive(Debug, Clone)]
pub struct Override {
    pub files: Globs,
    pub layer: Layer,
}

/// When kustomizations and Helm charts are rendered before linting (`render:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenderMode {
    /// When the tool is found; otherwise sources are linted as they are written.
    #[default]
    Auto,
    /// A missing tool is an error: CI does not depend on what happens to be installed.
    Always,
    /// Never: sources are linted as they are written.
    Never,
}

impl RenderMode {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "always" => Some(Self::Always),
            "never" => Some(Self::Never),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Always => "always",
            Self::Never => "never",
        }
    }
}

/// `render:`, `kustomize-command:` and `helm-command:`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderConfig {
    pub mode: Option<RenderMode>,
    /// The command that builds a kustomization; its directory is appended.
    pub kustomize_command: Option<Vec<String>>,
    /// The Helm command (`helm`); `template <chart>` is appended.
    pub helm_command: Option<Vec<String>>,
}

/// A parsed `.podlint.yaml`.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub layer: Layer,
    pub render: RenderConfig,
    pub exclude: Option<Globs>,
    pub overrides: Vec<Override>,
}

impl ConfigFile {
    /// Whether `relative` (to the config's directory) is excluded from linting.
    pub fn excludes(&self, relative: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(relative))
    }

    /// Indices of the overrides that apply to `relative`, in order.
    pub fn overrides_for(&self, relative: &Path) -> Vec<usize> {
        self.overrides
            .iter()
            .enumerate()
            .filter(|(_, o)| o.files.is_match(relative))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Category;

    fn globs(patterns: &[&str]) -> Globs {
        Globs::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn globs_follow_gitignore_conventions() {
        let g = globs(&["vendor/", "*.tmp.yaml", "/charts/*/templates"]);
        assert!(g.is_match(Path::new("vendor/x.yaml")));
        assert!(g.is_match(Path::new("a/b/c.tmp.yaml")));
        assert!(g.is_match(Path::new("charts/web/templates/pod.yaml")));
        assert!(!g.is_match(Path::new("deep/charts/web/templates/pod.yaml")));
        assert!(!g.is_match(Path::new("a/pod.yaml")));
        assert!(Globs::new(&["!keep".to_string()]).is_err());
    }

    #[test]
    fn the_most_specific_selector_wins_within_a_layer() {
        let security = crate::rules::rule_index("bare-pod").unwrap();
        let layer = Layer {
            select: vec![Selector::Category(Category::ApiRejects)],
            ignore: vec![Selector::All],
            ..Layer::default()
        };
        let mut settings = Settings::default();
        layer.apply(&mut settings);
        assert!(!settings.is_enabled(RULES[security].name));
        assert!(settings
            .enabled_rules()
            .all(|r| { crate::rules::rule(r).unwrap().category == Category::ApiRejects }));
        assert!(settings.enabled_rules().next().is_some());
    }
}
