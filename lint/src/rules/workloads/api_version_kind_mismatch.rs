use crate::diagnostic::{Edit, Fix};
use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Reports a workload whose `apiVersion` does not serve its `kind`: a Pod under `apps/v1`,
    /// a Deployment under `v1`, or an API version the cluster no longer serves
    /// (`extensions/v1beta1`, `apps/v1beta2`, `batch/v1beta1`).
    ///
    /// ## Why it matters in a Pod
    /// The API server finds the schema of an object by its group, version and kind. With the
    /// wrong pair it answers "no matches for kind", and nothing in the manifest is created.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1
    /// kind: Deployment
    /// ```
    ///
    /// ## How to fix
    /// Use the version that serves the kind: `v1` for Pod, PodTemplate and
    /// ReplicationController; `apps/v1` for Deployment, ReplicaSet, StatefulSet and DaemonSet;
    /// `batch/v1` for Job and CronJob. The fix rewrites `apiVersion`; moving from a beta
    /// version is unsafe because `apps/v1` requires `spec.selector`.
    pub struct ApiVersionKindMismatch {
        name: "api-version-kind-mismatch",
        category: ApiRejects,
        hook: Object,
        fix: Always,
        summary: "The apiVersion does not serve this kind, or is no longer served",
    }
}

impl ObjectRule for ApiVersionKindMismatch {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        // A custom resource's group serves it, whatever its kind is called (a Volcano `Job`).
        let Some(workload) = object.workload.filter(|w| !w.is_custom()) else {
            return;
        };
        let expected = workload.api_version();
        let actual = object.api_version_name();
        if actual == expected {
            return;
        }
        let kind = workload.name();
        let range = object.api_version.range();
        let removed = workload
            .removed_api_versions()
            .iter()
            .find(|(version, _)| *version == actual);
        let (message, fix) = match removed {
            Some((_, release)) => {
                // The beta versions defaulted `spec.selector` from the template's labels;
                // `apps/v1` requires it written, so the migration writes it too.
                let mut edits = vec![Edit::replace(range, expected)];
                let mut title = format!("Use `{expected}`");
                if let Some(selector) = selector_from_template(object, cx.source) {
                    edits.push(selector);
                    title.push_str(" and write the selector it requires");
                }
                (
                    format!("`{actual}` no longer serves {kind}: it was removed in Kubernetes {release}; {kind} is served by `{expected}`"),
                    Fix::unsafe_(title, edits),
                )
            }
            None => (
                format!("{kind} is not served by `{actual}`; the API server will answer \"no matches for kind\""),
                Fix::safe(format!("Use `{expected}`"), vec![Edit::replace(range, expected)]),
            ),
        };
        cx.report(range, message)
            .help(format!("write `apiVersion: {expected}`"))
            .fix(fix);
    }
}

/// For a workload with no `spec.selector`: an edit writing `selector.matchLabels` from the
/// pod template's labels, as the removed beta versions defaulted it.
fn selector_from_template(object: &Object<'_, '_>, source: &str) -> Option<Edit> {
    let workload = object.workload?;
    let spec = object.root.get("spec").filter(|s| s.is_mapping())?;
    if !workload.has_selector() || spec.get("selector").is_some() {
        return None;
    }
    let labels = object.pod_template()?.at(&["metadata", "labels"])?;
    let pairs: Vec<(&str, &str)> = labels
        .entries()
        .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let (first_key, _) = spec.entries().next()?;
    let key_start = usize::from(first_key.range().start());
    let line_start = source[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &source[line_start..key_start];
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let eol = crate::text::line_ending(source);
    let mut text = format!("selector:{eol}{indent}  matchLabels:{eol}");
    for (key, value) in pairs {
        text.push_str(&format!("{indent}    {key}: {value}{eol}"));
    }
    text.push_str(indent);
    Some(Edit::insert(first_key.range().start(), text))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn flags_wrong_and_removed_versions() {
        RuleTest::new(&super::ApiVersionKindMismatch::META)
            .pass("apiVersion: apps/v1\nkind: Deployment\n")
            .pass("apiVersion: v1\nkind: Service\n")
            .fail("apiVersion: apps/v1\nkind: Pod\n", &["apps/v1"])
            .fail(
                "apiVersion: extensions/v1beta1\nkind: Deployment\n",
                &["extensions/v1beta1"],
            )
            .run();
    }
}
