//! One file alone: the text, syntax, document, object, schema and pod stages, and what the
//! later stages need (the file's cross-object facts and its suppressions).

use std::sync::Arc;

use super::{any_enabled, suppress, FilePass};
use crate::diagnostic::Diagnostic;
use crate::k8s;
use crate::project::{FileFacts, ObjectFacts};
use crate::rule::{Context, Flow, Hook, RuleMeta, Settings, Stage, SyntaxProblems};
use crate::schema::walk::{walk, Visitor};
use crate::source::DecodeError;
use crate::syntax;

/// The enabled rules of each per-file stage, in registry order.
#[derive(Default)]
struct Active {
    text: Vec<&'static RuleMeta>,
    syntax: Vec<&'static RuleMeta>,
    document: Vec<&'static RuleMeta>,
    object: Vec<&'static RuleMeta>,
    schema: Vec<&'static RuleMeta>,
    pod: Vec<&'static RuleMeta>,
}

impl Active {
    fn of(settings: &Settings) -> Self {
        let mut active = Self::default();
        for (index, meta) in settings.registry().iter().enumerate() {
            if !settings.is_enabled_at(index) {
                continue;
            }
            let list = match meta.stage() {
                Stage::Text => &mut active.text,
                Stage::Syntax => &mut active.syntax,
                Stage::Document => &mut active.document,
                Stage::Object => &mut active.object,
                Stage::Schema => &mut active.schema,
                Stage::Pod => &mut active.pod,
                Stage::Suppression | Stage::Project => continue,
            };
            list.push(*meta);
        }
        active
    }
}

/// Runs the per-file stages over `text`. `decode` is set when the bytes were not UTF-8
/// (`text` is then a lossy copy): only the syntax stage runs.
pub(super) fn run(text: String, settings: Arc<Settings>, decode: Option<&DecodeError>) -> FilePass {
    let mut diagnostics = Vec::new();
    let mut facts = FileFacts::default();
    let suppressions = lint(&text, &settings, decode, &mut diagnostics, &mut facts);
    FilePass {
        text,
        settings,
        diagnostics,
        facts,
        suppressions,
        fixed: None,
    }
}

pub(super) fn lint(
    text: &str,
    settings: &Settings,
    decode: Option<&DecodeError>,
    diagnostics: &mut Vec<Diagnostic>,
    facts: &mut FileFacts,
) -> Vec<crate::rule::Suppression> {
    let active = Active::of(settings);

    if let Some(error) = decode {
        let problems = SyntaxProblems {
            decode: Some(error),
            parse: &[],
        };
        for &meta in &active.syntax {
            if let Hook::Syntax(check) = meta.hook {
                check(
                    &problems,
                    &mut Context::new(text, settings, meta, diagnostics),
                );
            }
        }
        return Vec::new();
    }

    let mut stop = false;
    for &meta in &active.text {
        if let Hook::Text(check) = meta.hook {
            stop |= check(text, &mut Context::new(text, settings, meta, diagnostics)) == Flow::Stop;
        }
    }
    if stop {
        // Not YAML to parse: comments are found by their `#` alone.
        return suppress::collect(text, &[], settings);
    }

    let parsed = syntax::parse(text);
    let problems = SyntaxProblems {
        decode: None,
        parse: &parsed.errors,
    };
    for &meta in &active.syntax {
        if let Hook::Syntax(check) = meta.hook {
            check(
                &problems,
                &mut Context::new(text, settings, meta, diagnostics),
            );
        }
    }

    let gather_facts = any_enabled(settings, Stage::Project);
    for doc in &parsed.documents {
        for &meta in &active.document {
            if let Hook::Document(check) = meta.hook {
                check(doc, &mut Context::new(text, settings, meta, diagnostics));
            }
        }
        let objects = k8s::objects(doc);
        if gather_facts {
            facts
                .objects
                .extend(objects.iter().map(|o| ObjectFacts::extract(o, text)));
        }
        for object in &objects {
            for &meta in &active.object {
                if let Hook::Object(check) = meta.hook {
                    check(object, &mut Context::new(text, settings, meta, diagnostics));
                }
            }
            if !active.schema.is_empty() {
                walk_schema(text, settings, &active.schema, object, diagnostics);
            }
            if let Some(pod) = object.pod() {
                for &meta in &active.pod {
                    if let Hook::Pod(check) = meta.hook {
                        check(&pod, &mut Context::new(text, settings, meta, diagnostics));
                    }
                }
            }
        }
    }
    super::guard::review(text, &parsed, diagnostics);
    suppress::collect(text, &parsed.documents, settings)
}

/// One walk of `object` with its schema types for every schema rule: each gets its own
/// visitor (and its own findings), and the walker calls them in turn at each step.
fn walk_schema(
    text: &str,
    settings: &Settings,
    rules: &[&'static RuleMeta],
    object: &k8s::Object<'_, '_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut found: Vec<Vec<Diagnostic>> = rules.iter().map(|_| Vec::new()).collect();
    let mut contexts: Vec<Context<'_>> = rules
        .iter()
        .zip(found.iter_mut())
        .map(|(meta, out)| Context::new(text, settings, meta, out))
        .collect();
    {
        let mut visitors: Vec<Box<dyn Visitor<'_, '_> + '_>> = Vec::new();
        for (meta, cx) in rules.iter().zip(contexts.iter_mut()) {
            if let Hook::Schema(visitor) = meta.hook {
                visitors.push(visitor(object, cx));
            }
        }
        walk(object, &mut visitors);
    }
    drop(contexts);
    diagnostics.extend(found.into_iter().flatten());
}
