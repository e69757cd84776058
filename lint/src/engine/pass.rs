//! One file alone: the text, syntax, document, object, schema and pod stages, and what the
//! later stages need (the file's cross-object facts and its suppressions).

use std::sync::Arc;

use super::{any_enabled, suppress, FilePass};
use crate::diagnostic::Diagnostic;
use crate::k8s;
use crate::project::FileFacts;
use crate::rule::{Context, Flow, Hook, RuleMeta, Settings, Stage, SyntaxProblems};
use crate::schema::walk::{walk, walk_from, Place, Visitor};
use crate::schema::{Field, Item};
use crate::source::DecodeError;
use crate::syntax;
use crate::syntax::NodeRef;
use crate::text::TextRange;

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
    facts.shrink();
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
            lenient: &[],
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
        lenient: &parsed.lenient,
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
        let objects = k8s::objects_with(doc, &settings.pod_templates);
        if gather_facts {
            objects.iter().for_each(|o| facts.add(o, text));
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
            for pod in object.pods() {
                for &meta in &active.pod {
                    if let Hook::Pod(check) = meta.hook {
                        check(&pod, &mut Context::new(text, settings, meta, diagnostics));
                    }
                }
            }
        }
    }
    if syntax::placeholder::may_appear_in(text) {
        unknown_values(&parsed.documents, diagnostics);
    }
    super::guard::review(text, &parsed, diagnostics);
    suppress::collect(text, &parsed.documents, settings)
}

/// Placeholders (`${VAR}`, `$VAR`, `{{ param }}`) are values podlint cannot know: a finding
/// that judges one (it points at the value, or at the `key: value` entry) is dropped, and no
/// fix may touch one. Findings about the whole container or object that merely point at a
/// placeholder `name:` stay: they say something about what else is written.
fn unknown_values(documents: &[syntax::Document<'_>], diagnostics: &mut Vec<Diagnostic>) {
    let ranges: Vec<_> = documents
        .iter()
        .flat_map(syntax::placeholder::ranges)
        .collect();
    if ranges.is_empty() {
        return;
    }
    let judges = |d: &Diagnostic| {
        ranges
            .iter()
            .any(|(value, entry)| value.contains_range(d.range) || *entry == Some(d.range))
    };
    diagnostics.retain(|d| !judges(d));
    for d in diagnostics.iter_mut() {
        let touches = d.fix.as_ref().is_some_and(|fix| {
            fix.edits
                .iter()
                .any(|edit| ranges.iter().any(|(value, _)| overlaps(*value, edit.range)))
        });
        if touches {
            d.fix = None;
        }
    }
}

/// Whether an edit changes text inside `value` (an insertion at either end leaves it whole).
fn overlaps(value: TextRange, edit: TextRange) -> bool {
    if edit.is_empty() {
        value.start() < edit.start() && edit.start() < value.end()
    } else {
        value
            .intersect(edit)
            .is_some_and(|common| !common.is_empty())
    }
}

/// One walk of `object` with its schema types for every schema rule: each gets its own
/// visitor (and its own findings), and the walker calls them in turn at each step. A custom
/// resource's pod templates are walked as PodTemplateSpecs (its own fields are not known).
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
        match object.custom {
            None => walk(object, &mut visitors),
            Some(custom) => {
                let ty = match custom.form {
                    k8s::TemplateForm::Template => "io.k8s.api.core.v1.PodTemplateSpec",
                    k8s::TemplateForm::Spec => "io.k8s.api.core.v1.PodSpec",
                    // Not a PodSpec: only the pod rules read it.
                    k8s::TemplateForm::ArgoTemplate => "",
                };
                if let Some(ty) = crate::schema::type_named(ty) {
                    let mut filtered = CustomFields {
                        inner: visitors,
                        extra: &custom.extra_spec_fields,
                        pod_spec: None,
                        current: None,
                    };
                    for pod in object.pods() {
                        filtered.pod_spec = Some(pod.spec);
                        walk_from(pod.template, ty, &mut filtered);
                    }
                }
            }
        }
    }
    drop(contexts);
    if object.custom.is_some_and(|c| c.probe_port_optional) {
        let portless = portless_probe_handlers(object);
        for (meta, out) in rules.iter().zip(found.iter_mut()) {
            if meta.name == "required-field-missing" {
                out.retain(|d| !portless.contains(&d.range));
            }
        }
    }
    diagnostics.extend(found.into_iter().flatten());
}

/// The keys of probe handlers (`httpGet`, `tcpSocket`, `grpc`) written without `port`, in the
/// pods of a resource that fills the port in itself (Knative uses the container's port).
fn portless_probe_handlers(object: &k8s::Object<'_, '_>) -> Vec<TextRange> {
    let mut out = Vec::new();
    for pod in object.pods() {
        for container in pod.containers() {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(probe) = container.get(probe) else {
                    continue;
                };
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    if let Some((key, value)) = probe.entry(handler) {
                        if value.get("port").is_none() {
                            out.push(key.range());
                        }
                    }
                }
            }
        }
    }
    out
}

/// Passes the walk on, except the fields a custom resource adds to its PodSpec (Knative's
/// `containerConcurrency`…), which are not unknown there.
struct CustomFields<'v, 'd, 'src> {
    inner: Vec<Box<dyn Visitor<'d, 'src> + 'v>>,
    extra: &'d [String],
    pod_spec: Option<NodeRef<'d, 'src>>,
    /// The mapping whose entries the walk is visiting.
    current: Option<NodeRef<'d, 'src>>,
}

impl<'d, 'src> Visitor<'d, 'src> for CustomFields<'_, 'd, 'src> {
    fn object(&mut self, node: NodeRef<'d, 'src>, key: Option<NodeRef<'d, 'src>>, at: &Place) {
        self.current = Some(node);
        self.inner.object(node, key, at);
    }

    fn field(
        &mut self,
        key: NodeRef<'d, 'src>,
        value: NodeRef<'d, 'src>,
        field: &'static Field,
        at: &Place,
    ) {
        self.inner.field(key, value, field, at);
    }

    fn unknown(&mut self, key: NodeRef<'d, 'src>, value: NodeRef<'d, 'src>, at: &Place) {
        let added = self.current.is_some()
            && self.current == self.pod_spec
            && key
                .as_str()
                .is_some_and(|k| self.extra.iter().any(|e| e == k));
        if !added {
            self.inner.unknown(key, value, at);
        }
    }

    fn element(&mut self, value: NodeRef<'d, 'src>, item: Item, field: &'static Field, at: &Place) {
        self.inner.element(value, item, field, at);
    }
}
