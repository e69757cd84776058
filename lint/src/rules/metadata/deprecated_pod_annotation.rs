use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::delete_entry_lines;
use crate::syntax::NodeRef;

/// Annotations that stopped doing anything: (key, since, what replaced it).
const NON_FUNCTIONAL: &[(&str, &str, &str)] = &[
    (
        "scheduler.alpha.kubernetes.io/critical-pod",
        "1.16",
        "`priorityClassName`, e.g. `system-cluster-critical`",
    ),
    (
        "security.alpha.kubernetes.io/sysctls",
        "1.11",
        "`securityContext.sysctls`",
    ),
    (
        "security.alpha.kubernetes.io/unsafe-sysctls",
        "1.11",
        "`securityContext.sysctls`",
    ),
];

const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER: &str = "container.apparmor.security.beta.kubernetes.io/";

declare_rule! {
    /// ## What it does
    /// Reports pod annotations the API server warns about: `scheduler.alpha.kubernetes.io/critical-pod`
    /// and `security.alpha.kubernetes.io/(unsafe-)sysctls`, which do nothing any more; the seccomp
    /// annotations (`seccomp.security.alpha.kubernetes.io/pod`,
    /// `container.seccomp.security.alpha.kubernetes.io/<container>`) where the matching
    /// `seccompProfile` field is not set; and, in a pod template, the AppArmor annotation
    /// `container.apparmor.security.beta.kubernetes.io/<container>` where no `appArmorProfile`
    /// field is set.
    ///
    /// ## Why it matters in a Pod
    /// These annotations predate the fields that replaced them. The ones that no longer work
    /// give a false sense of protection or priority: a "critical" Pod without a
    /// `priorityClassName` is evicted like any other, and since 1.27 a seccomp annotation alone
    /// leaves the containers without the profile it names.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     scheduler.alpha.kubernetes.io/critical-pod: ""
    ///     seccomp.security.alpha.kubernetes.io/pod: runtime/default
    /// ```
    ///
    /// ## How to fix
    /// Use the field instead: `priorityClassName`, `securityContext.sysctls`,
    /// `securityContext.seccompProfile` (`type: RuntimeDefault`) or
    /// `securityContext.appArmorProfile`, then remove the annotation.
    pub struct DeprecatedPodAnnotation {
        name: "deprecated-pod-annotation",
        category: ApiWarns,
        hook: Pod,
        fix: Sometimes,
        summary: "A pod annotation replaced by a field, and ignored or deprecated",
    }
}

impl PodRule for DeprecatedPodAnnotation {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some(annotations) = pod.metadata().and_then(|m| m.get("annotations")) else {
            return;
        };
        for (key, value) in annotations.entries() {
            let Some(name) = key.as_str() else {
                continue;
            };
            if let Some((_, since, instead)) = NON_FUNCTIONAL.iter().find(|(k, _, _)| *k == name) {
                // It does nothing, so removing it changes nothing.
                let fix = delete_entry_lines(cx.source, key, value)
                    .map(|edit| Fix::safe(format!("Remove `{name}`"), vec![edit]));
                let d = cx
                    .report(
                        key.range(),
                        format!("`{name}` has done nothing since Kubernetes {since}"),
                    )
                    .help(format!("remove it; what it did is done by {instead}"));
                if let Some(fix) = fix {
                    d.fix(fix);
                }
            } else if name == SECCOMP_POD {
                if !has_field(pod.spec.get("securityContext"), "seccompProfile") {
                    report_seccomp(cx, key, "the Pod's `securityContext`");
                }
            } else if let Some(container) = name.strip_prefix(SECCOMP_CONTAINER) {
                if let Some(security) = container_security(pod, container) {
                    if !has_field(security, "seccompProfile") {
                        report_seccomp(
                            cx,
                            key,
                            &format!("the `securityContext` of container `{container}`"),
                        );
                    }
                }
            } else if let Some(container) = name.strip_prefix(APPARMOR_CONTAINER) {
                // A Pod gets the field filled in from the annotation; a template does not.
                let pod_level = has_field(pod.spec.get("securityContext"), "appArmorProfile");
                if pod.is_bare_pod() || pod_level {
                    continue;
                }
                if let Some(security) = container_security(pod, container) {
                    if !has_field(security, "appArmorProfile") {
                        cx.report(
                            key.range(),
                            format!("`{name}` is deprecated since Kubernetes 1.30 in favour of the `appArmorProfile` field"),
                        )
                        .help(format!("set `securityContext.appArmorProfile` in container `{container}` (e.g. `type: RuntimeDefault`), then remove the annotation"));
                    }
                }
            }
        }
    }
}

/// The `securityContext` of the named container: `Some(None)` when the container exists
/// without one, `None` when no container has that name.
fn container_security<'d, 'src>(
    pod: &Pod<'d, 'src>,
    name: &str,
) -> Option<Option<NodeRef<'d, 'src>>> {
    pod.containers()
        .find(|c| c.name() == Some(name))
        .map(|c| c.get("securityContext"))
}

fn has_field(security: Option<NodeRef<'_, '_>>, field: &str) -> bool {
    security
        .and_then(|s| s.get(field))
        .is_some_and(|v| !v.is_null())
}

fn report_seccomp(cx: &mut Context<'_>, key: NodeRef<'_, '_>, place: &str) {
    let name = key.as_str().unwrap_or_default();
    cx.report(
        key.range(),
        format!("`{name}` has done nothing since Kubernetes 1.27, and {place} has no `seccompProfile`: the containers run without the profile it names"),
    )
    .help(format!("set `seccompProfile` in {place} (e.g. `type: RuntimeDefault`), then remove the annotation"));
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn deployment(annotations: &str, spec: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n{annotations}    spec:\n{spec}      containers:\n      - name: app\n        image: a\n")
    }

    #[test]
    fn annotations_without_their_field_are_reported() {
        let with_fields = deployment(
            "        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n        container.apparmor.security.beta.kubernetes.io/app: runtime/default\n",
            "      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n        appArmorProfile: {type: RuntimeDefault}\n",
        );
        let other_container = deployment(
            "        container.seccomp.security.alpha.kubernetes.io/sidecar: runtime/default\n",
            "",
        );
        let bare = deployment(
            "        scheduler.alpha.kubernetes.io/critical-pod: \"\"\n        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n        container.apparmor.security.beta.kubernetes.io/app: runtime/default\n",
            "",
        );
        RuleTest::new(&super::DeprecatedPodAnnotation::META)
            .pass(&with_fields)
            .pass(&other_container)
            .fail(
                &bare,
                &[
                    "scheduler.alpha.kubernetes.io/critical-pod",
                    "seccomp.security.alpha.kubernetes.io/pod",
                    "container.apparmor.security.beta.kubernetes.io/app",
                ],
            )
            .run();
    }

    #[test]
    fn a_pod_keeps_its_apparmor_annotation() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: runtime/default\nspec:\n  containers:\n  - name: app\n    image: a\n";
        RuleTest::new(&super::DeprecatedPodAnnotation::META)
            .pass(pod)
            .run_inline();
    }
}
