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
pub fn lint(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if let Some(d) = HelmTemplate::detect(text) {
        if settings.is_enabled(d.rule) {
            diagnostics.push(d);
        }
        // No tree: comments are found by their `#` alone.
        suppress::apply(text, &[], settings, &mut diagnostics);
        return finish(diagnostics, settings);
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
    for doc in &parsed.documents {
        let objects = k8s::objects(doc);
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
    suppress::apply(text, &parsed.documents, settings, &mut diagnostics);
    finish(diagnostics, settings)
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
