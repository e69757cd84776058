//! The rule tester. Each rule's own test module builds a [`RuleTest`]: inline snippets it must
//! pass or flag, fixes it must make, and, in [`RuleTest::run`], the rule's fixtures and
//! snapshot. So `cargo test -p podlint-lint host_pid` runs all of one rule's cases:
//!
//! ```text
//! RuleTest::new(&super::HostPid::META)
//!     .pass(pod("  hostPID: false\n  containers: [{name: app, image: a}]\n"))
//!     .fail(pod("  hostPID: true\n  containers: [{name: app, image: a}]\n"), &["hostPID: true"])
//!     .run();
//! ```
//!
//! The fixtures are `fixtures/rules/<rule-name>/{pass,fail}*.yaml`, with the rule options of
//! the `podlint.yaml` beside them when there is one. The snapshot,
//! `fixtures/tests/snapshots/<rule-name>.snap`, shows for each fail fixture the human report
//! (as `podlint check` prints it, without colour) and the fix as a diff.
//!
//! Below the builder are the small helpers the rules' specialised tests use.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::rule::{FixAvailability, RuleMeta};
use crate::settings::Settings;

/// One rule's test cases; see the module docs.
#[must_use = "a RuleTest does nothing until `.run()`"]
pub(crate) struct RuleTest {
    meta: &'static RuleMeta,
    /// YAML of the rule's options, as under `rules: {<name>: …}` in `.podlint.yaml`.
    options: Option<String>,
    pass: Vec<String>,
    fail: Vec<(String, Vec<String>)>,
    fixes: Vec<(String, String)>,
}

impl RuleTest {
    pub(crate) fn new(meta: &'static RuleMeta) -> Self {
        Self {
            meta,
            options: None,
            pass: Vec::new(),
            fail: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// Options for the inline cases, written as in `.podlint.yaml` under the rule's name,
    /// e.g. `"registries: [registry.example.com]"`. The fixtures use their own `podlint.yaml`.
    pub(crate) fn options(mut self, yaml: &str) -> Self {
        self.options = Some(yaml.to_string());
        self
    }

    /// The rule finds nothing in `yaml`.
    pub(crate) fn pass(mut self, yaml: impl Into<String>) -> Self {
        self.pass.push(yaml.into());
        self
    }

    /// The rule flags exactly these texts in `yaml`, in this order.
    pub(crate) fn fail(mut self, yaml: impl Into<String>, flagged: &[&str]) -> Self {
        let flagged = flagged.iter().map(|s| s.to_string()).collect();
        self.fail.push((yaml.into(), flagged));
        self
    }

    /// Fixing `before` (every fix, unsafe ones too, through [`crate::engine::fix_text`])
    /// gives `after`.
    pub(crate) fn fix(mut self, before: impl Into<String>, after: impl Into<String>) -> Self {
        self.fixes.push((before.into(), after.into()));
        self
    }

    /// Runs the inline cases, then the rule's fixtures against their snapshot, and checks that
    /// the rule's declared `fix:` matches the findings of its fail cases and fail fixtures.
    /// Each rule has one test that calls this.
    pub(crate) fn run(self) {
        let mut findings = self.run_cases();
        findings.extend(self.run_fixtures());
        let name = self.meta.name;
        assert!(
            !findings.is_empty(),
            "{name}: no finding in the fail cases or fail fixtures"
        );
        if self.meta.fix == FixAvailability::Sometimes {
            assert!(
                findings.iter().any(|d| d.fix.is_some()),
                "{name} declares `fix: Sometimes`, but none of its fail cases or fail fixtures got a fix"
            );
        }
    }

    /// Runs the inline cases only: for a rule's further tests, when its main test (the one
    /// with [`RuleTest::run`]) already covers the fixtures.
    pub(crate) fn run_inline(self) {
        self.run_cases();
    }

    /// The inline cases; returns the findings of the fail cases.
    fn run_cases(&self) -> Vec<Diagnostic> {
        let name = self.meta.name;
        let settings = self.settings();
        for yaml in &self.pass {
            let found = crate::lint_whole(yaml, &settings);
            assert!(
                found.is_empty(),
                "{name} should pass:\n{yaml}\nbut found {found:#?}"
            );
        }
        let mut findings = Vec::new();
        for (yaml, expected) in &self.fail {
            let found = crate::lint_whole(yaml, &settings);
            let flagged: Vec<_> = found.iter().map(|d| &yaml[d.range]).collect();
            assert_eq!(flagged, *expected, "{name} on:\n{yaml}\nfound {found:#?}");
            self.check_fix_declaration(&found, "an inline case");
            findings.extend(found);
        }
        for (before, after) in &self.fixes {
            let fixed = crate::engine::fix_text(before, &settings, true);
            assert_eq!(fixed.text, *after, "{name} fixing:\n{before}");
        }
        findings
    }

    /// The rule's fixtures: pass ones are clean, fail ones are flagged by this rule only, and
    /// the reports and fixes match the snapshot. Returns the findings of the fail fixtures.
    fn run_fixtures(&self) -> Vec<Diagnostic> {
        let name = self.meta.name;
        let dir = fixtures_dir().join("rules").join(name);
        let settings = fixture_settings(&dir, name);
        for file in fixture_files(&dir, "pass") {
            let text = fs::read_to_string(&file).unwrap();
            let found = crate::lint_whole(&text, &settings);
            assert!(
                found.is_empty(),
                "{} should be clean of {name}, found {found:#?}",
                file.display()
            );
        }
        let mut findings = Vec::new();
        let mut snapshot = String::new();
        for file in fixture_files(&dir, "fail") {
            let text = fs::read_to_string(&file).unwrap();
            let found = crate::lint_whole(&text, &settings);
            assert!(
                !found.is_empty(),
                "{} should be flagged by {name}",
                file.display()
            );
            assert!(
                found.iter().all(|d| d.rule == name),
                "{} should be flagged by {name} only, found {found:#?}",
                file.display()
            );
            self.check_fix_declaration(&found, &file.display().to_string());
            let shown = format!(
                "rules/{name}/{}",
                file.file_name().unwrap().to_string_lossy()
            );
            snapshot.push_str(&format!("━━━━ {shown}\n"));
            crate::render::human::render(&mut snapshot, &shown, &text, &found, false);
            snapshot.push_str("━━━━ fixed\n");
            let fixed = crate::engine::fix_text(&text, &settings, true);
            snapshot.push_str(&diff(&shown, &text, &fixed.text));
            findings.extend(found);
        }
        let mut insta = insta::Settings::clone_current();
        insta.set_snapshot_path(fixtures_dir().join("tests").join("snapshots"));
        insta.set_prepend_module_to_snapshot(false);
        insta.set_omit_expression(true);
        insta.bind(|| insta::assert_snapshot!(name, snapshot));
        findings
    }

    /// `Never` findings carry no fix; `Always` ones all do.
    fn check_fix_declaration(&self, found: &[Diagnostic], place: &str) {
        let name = self.meta.name;
        match self.meta.fix {
            FixAvailability::Never => assert!(
                found.iter().all(|d| d.fix.is_none()),
                "{name} declares `fix: Never`, but a finding in {place} has a fix: {found:#?}"
            ),
            FixAvailability::Always => assert!(
                found.iter().all(|d| d.fix.is_some()),
                "{name} declares `fix: Always`, but a finding in {place} has no fix: {found:#?}"
            ),
            FixAvailability::Sometimes => {}
        }
    }

    /// Only this rule, with the inline options.
    fn settings(&self) -> Settings {
        let mut settings = Settings::only(&[self.meta.name]);
        if let Some(options) = &self.options {
            let indented: String = options
                .lines()
                .map(|line| format!("    {line}\n"))
                .collect();
            let config = format!("rules:\n  {}:\n{indented}", self.meta.name);
            let config = crate::config::parse(&config).unwrap_or_else(|e| {
                panic!("{}: invalid options:\n{config}\n{e:#?}", self.meta.name)
            });
            config.layer.apply(&mut settings);
        }
        settings
    }
}

/// The workspace's `fixtures/` folder.
fn fixtures_dir() -> PathBuf {
    let lint = Path::new(env!("CARGO_MANIFEST_DIR"));
    lint.parent()
        .expect("lint/ sits in the workspace")
        .join("fixtures")
}

/// Only `name`, with the rule options of `<dir>/podlint.yaml` when the fixtures carry one
/// (rules such as `required-label` mean nothing without their options).
fn fixture_settings(dir: &Path, name: &str) -> Settings {
    let mut settings = Settings::only(&[name]);
    if let Ok(text) = fs::read_to_string(dir.join("podlint.yaml")) {
        let config = crate::config::parse(&text)
            .unwrap_or_else(|e| panic!("{}/podlint.yaml: {e:#?}", dir.display()));
        config.layer.apply(&mut settings);
    }
    settings
}

/// `pass.yaml` and `pass-*.yaml` (or the same with `fail`), sorted.
fn fixture_files(dir: &Path, kind: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            (name == format!("{kind}.yaml") || name.starts_with(&format!("{kind}-")))
                && name.ends_with(".yaml")
        })
        .collect();
    files.sort();
    files
}

/// A unified diff, or a note that nothing changed.
fn diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return "(no fix)\n".into();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(path, &format!("{path} (fixed)"))
        .to_string()
}

/// Lints `yaml` with only `rule` enabled; returns each finding as `(flagged text, message)`.
pub(crate) fn findings(rule: &str, yaml: &str) -> Vec<(String, String)> {
    let settings = Settings::only(&[rule]);
    crate::lint_whole(yaml, &settings)
        .into_iter()
        .map(|d| (yaml[d.range].to_string(), d.message))
        .collect()
}

/// Wraps a PodSpec body (indented by two spaces) into a Pod manifest.
pub(crate) fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n{spec}")
}

/// Every rule has pass and fail fixtures, and every fixture folder is a rule's.
#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let rules = fixtures_dir().join("rules");
    let mut missing = Vec::new();
    for rule in crate::RULES {
        let dir = rules.join(rule.name);
        for kind in ["pass", "fail"] {
            if fixture_files(&dir, kind).is_empty() {
                missing.push(format!("{}/{kind}.yaml", dir.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing fixtures:\n{}",
        missing.join("\n")
    );
    let mut strays: Vec<_> = fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|dir| !crate::RULES.iter().any(|r| r.name == *dir))
        .collect();
    strays.sort();
    assert!(
        strays.is_empty(),
        "fixture folders of no rule in {}: {strays:?}",
        rules.display()
    );
}

/// Every rule's file has a test that runs its `RuleTest` with its fixtures, so
/// `cargo test -p podlint-lint <rule_name>` covers the rule.
#[test]
fn every_rule_runs_a_rule_test() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut lacking = Vec::new();
    for rule in crate::RULES {
        let file = format!("{}.rs", rule.name.replace('-', "_"));
        let path = fs::read_dir(&src)
            .unwrap()
            .map(|area| area.unwrap().path().join(&file))
            .find(|path| path.is_file());
        let Some(path) = path else {
            lacking.push(format!("{}: no file src/rules/*/{file}", rule.name));
            continue;
        };
        let text = fs::read_to_string(&path).unwrap();
        let tests = text.split("#[cfg(test)]").nth(1).unwrap_or("");
        if !(tests.contains("RuleTest::new(") && tests.contains(".run();")) {
            lacking.push(format!(
                "{}: no `RuleTest::new(…)….run()` in its tests",
                path.display()
            ));
        }
    }
    assert!(lacking.is_empty(), "{}", lacking.join("\n"));
}
