//! podlint's analysis library: text in, findings out. No terminal, no files, no LSP.
//!
//! The path of a manifest, from bytes to a finding:
//! [`source::decode`] checks the encoding → [`syntax::parse`] builds a spanned tree per YAML
//! document → [`k8s::objects`] finds the Kubernetes objects and the pod inside each →
//! every enabled rule in [`rules::RULES`] looks at documents, objects and pods →
//! [`suppress`] drops what comments and annotations suppress → [`lint`] returns the findings
//! sorted by position.

pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod k8s;
pub mod project;
pub mod quantity;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod text;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Severity};
pub use rules::{Category, FixAvailability, Rule, RuleMeta, RULES};
pub use settings::Settings;

use rules::{Context, HelmTemplate, InvalidYaml};

/// Lints one file's text. Findings are sorted by position, then rule name.
///
/// Cross-object rules see this file's objects as the whole set; to check objects across
/// files, lint each with [`lint_in_project`] and pass their facts to [`project::check`].
pub fn lint(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    lint_with(text, settings, Scope::Alone).0
}

/// Lints one file of a set: cross-object rules are left out and the file's facts returned
/// for [`project::check`] to run them over every file's.
pub fn lint_in_project(text: &str, settings: &Settings) -> (Vec<Diagnostic>, project::FileFacts) {
    lint_with(text, settings, Scope::Project)
}

/// Whether a file is linted on its own or as one of a set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Alone,
    Project,
}

fn lint_with(
    text: &str,
    settings: &Settings,
    scope: Scope,
) -> (Vec<Diagnostic>, project::FileFacts) {
    let mut facts = project::FileFacts::default();
    let mut diagnostics = Vec::new();
    if let Some(d) = HelmTemplate::detect(text) {
        if settings.is_enabled(d.rule) {
            diagnostics.push(d);
        }
        // No tree: comments are found by their `#` alone.
        suppress::apply(text, &[], settings, &mut diagnostics);
        return (finish(diagnostics, settings), facts);
    }
    let parsed = syntax::parse(text);
    if settings.is_enabled(InvalidYaml::META.name) {
        diagnostics.extend(parsed.errors.iter().map(InvalidYaml::diagnostic));
    }
    let active: Vec<&dyn Rule> = RULES
        .iter()
        .enumerate()
        .filter(|(i, _)| settings.is_enabled_at(*i))
        .map(|(_, r)| *r)
        .collect();
    let gather_facts = project::wanted(settings);
    for doc in &parsed.documents {
        let objects = k8s::objects(doc);
        if gather_facts {
            facts
                .objects
                .extend(objects.iter().map(project::ObjectFacts::extract));
        }
        let pods: Vec<_> = objects.iter().filter_map(|o| o.pod()).collect();
        for rule in &active {
            let mut cx = Context {
                source: text,
                settings,
                meta: rule.meta(),
                diagnostics: &mut diagnostics,
            };
            rule.check_document(doc, &mut cx);
            for object in &objects {
                rule.check_object(object, &mut cx);
            }
            for pod in &pods {
                rule.check_pod(pod, &mut cx);
            }
        }
    }
    match scope {
        Scope::Alone => {
            let found = project::check(&[(&facts, settings)]);
            diagnostics.extend(found.into_iter().map(|(_, d)| d));
            suppress::apply(text, &parsed.documents, settings, &mut diagnostics);
        }
        Scope::Project => {
            facts.suppressions =
                suppress::apply_deferring(text, &parsed.documents, settings, &mut diagnostics);
        }
    }
    (finish(diagnostics, settings), facts)
}

/// Lints a file's bytes: the encoding is checked first.
pub fn lint_bytes<'a>(
    bytes: &'a [u8],
    settings: &Settings,
) -> (std::borrow::Cow<'a, str>, Vec<Diagnostic>) {
    match source::decode(bytes) {
        Ok(text) => {
            let diagnostics = lint(&text, settings);
            (text, diagnostics)
        }
        Err(undecodable) => {
            let (lossy, d) = *undecodable;
            (lossy.into(), finish(vec![d], settings))
        }
    }
}

/// [`lint_in_project`] on a file's bytes: the encoding is checked first.
pub fn lint_bytes_in_project<'a>(
    bytes: &'a [u8],
    settings: &Settings,
) -> (
    std::borrow::Cow<'a, str>,
    Vec<Diagnostic>,
    project::FileFacts,
) {
    match source::decode(bytes) {
        Ok(text) => {
            let (diagnostics, facts) = lint_in_project(&text, settings);
            (text, diagnostics, facts)
        }
        Err(undecodable) => {
            let (lossy, d) = *undecodable;
            (
                lossy.into(),
                finish(vec![d], settings),
                project::FileFacts::default(),
            )
        }
    }
}

fn finish(mut diagnostics: Vec<Diagnostic>, settings: &Settings) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        // A configured severity wins; otherwise a rule may have softened one finding below
        // its default (a likely problem rather than a certain one).
        let default = rules::rule(d.rule).map(|r| r.meta().severity);
        match settings.severity(d.rule) {
            Some(configured) if Some(configured) != default => d.severity = configured,
            _ => {}
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.rule).cmp(&(b.range.start(), b.range.end(), b.rule))
    });
    diagnostics.dedup();
    diagnostics
}
