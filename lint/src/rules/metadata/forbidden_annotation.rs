use super::helpers;
use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports an annotation your team forbids, on an object or its Pod template. Off by
    /// default, and quiet until the list is configured; `*` matches any run of characters:
    ///
    /// ```yaml
    /// # .podlint.yaml
    /// select: [forbidden-annotation]
    /// rules:
    ///   forbidden-annotation:
    ///     annotations:
    ///     - seccomp.security.alpha.kubernetes.io/*
    ///     - kubectl.kubernetes.io/last-applied-configuration
    /// ```
    ///
    /// ## Why it matters in a Pod
    /// Some annotations change what a Pod may do (a sidecar injector's opt-out, a deprecated
    /// security annotation that no longer applies), and some leak what should not be in
    /// git (`kubectl.kubernetes.io/last-applied-configuration` copied from a live object
    /// carries its whole previous state). A forbidden list keeps them out in review rather
    /// than in production.
    ///
    /// ## Example
    /// With `annotations: [sidecar.istio.io/inject]` configured:
    /// ```yaml
    /// template:
    ///   metadata:
    ///     annotations:
    ///       sidecar.istio.io/inject: "false"
    /// ```
    ///
    /// ## How to fix
    /// Remove the annotation; the fix deletes it (unsafe: it changes what the annotation
    /// controlled).
    pub struct ForbiddenAnnotation {
        name: "forbidden-annotation",
        category: Style,
        hook: Object,
        fix: Sometimes,
        summary: "An object carries an annotation the team forbids (option `annotations`)",
        options: ForbiddenAnnotationOptions,
        enabled: false,
    }
}

rule_options! {
    /// The options of [`ForbiddenAnnotation`].
    pub struct ForbiddenAnnotationOptions {
        /// The annotation keys no object or Pod template may carry; `*` matches any run of
        /// characters (`sidecar.istio.io/*`). Empty: the rule reports nothing.
        "annotations" annotations: Vec<String>,
    }
}

impl ObjectRule for ForbiddenAnnotation {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let forbidden = &cx.options::<ForbiddenAnnotationOptions>().annotations;
        if forbidden.is_empty() {
            return;
        }
        let template = object
            .pod_template()
            .filter(|t| t.id() != object.root.id())
            .and_then(|t| t.at(&["metadata", "annotations"]));
        let maps = helpers::map(object, "annotations")
            .into_iter()
            .chain(template);
        for annotations in maps {
            let block = !cx.text(annotations.range()).starts_with('{');
            let count = annotations.entries().count();
            for (key, value) in annotations.entries() {
                let Some(name) = key.as_str() else { continue };
                let Some(pattern) = forbidden.iter().find(|p| helpers::glob_match(p, name)) else {
                    continue;
                };
                let matched = if pattern == name {
                    String::new()
                } else {
                    format!(" (matches `{pattern}`)")
                };
                let range = key.range().cover(value.range());
                // Deleting the last entry would leave `annotations:` null; leave that to a person.
                let edit = (block && count > 1)
                    .then(|| delete_line(cx.source, range))
                    .flatten();
                let d = cx.report(
                    range,
                    format!("annotation `{name}` is forbidden by this project's `.podlint.yaml`{matched}"),
                );
                d.help("remove it; if this object really needs it, suppress the finding here with a reason");
                if let Some(edit) = edit {
                    d.fix(Fix::unsafe_(format!("Remove `{name}`"), vec![edit]));
                }
            }
        }
    }
}

/// Deletes the whole lines of a block-mapping entry, when nothing else shares them.
fn delete_line(source: &str, range: crate::text::TextRange) -> Option<Edit> {
    let start = usize::from(range.start());
    let end = usize::from(range.end());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..start].bytes().all(|b| b == b' ') {
        return None;
    }
    let line_end = source[end..]
        .find('\n')
        .map_or(source.len(), |i| end + i + 1);
    let rest = source[end..line_end].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    Some(Edit::delete(crate::text::range(line_start, line_end)))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn forbidden_annotations_by_name_or_glob() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n  annotations:\n    owner: shop\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\nspec:\n  template:\n    metadata:\n      annotations: {sidecar.istio.io/inject: \"false\"}\n    spec:\n      containers: [{name: app, image: a}]\n";
        RuleTest::new(&super::ForbiddenAnnotation::META)
            .pass(yaml)
            .run_inline();
        let fixed = yaml.replace(
            "    kubectl.kubernetes.io/last-applied-configuration: '{}'\n",
            "",
        );
        RuleTest::new(&super::ForbiddenAnnotation::META)
            .options("annotations: [kubectl.kubernetes.io/last-applied-configuration, sidecar.istio.io/*]")
            .fail(
                yaml,
                &[
                    "kubectl.kubernetes.io/last-applied-configuration: '{}'",
                    "sidecar.istio.io/inject: \"false\"",
                ],
            )
            // The flow-style map keeps its only entry: deleting it is left to a person.
            .fix(yaml, fixed)
            .run();
    }
}
