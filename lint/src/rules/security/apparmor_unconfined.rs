use super::helpers;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

/// The annotation that set AppArmor profiles before the `appArmorProfile` field (1.30).
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

declare_rule! {
    /// ## What it does
    /// Reports an AppArmor profile of type `Unconfined` that applies to a container: the
    /// `appArmorProfile` field at pod level (inherited by every container that sets none) or
    /// in a container's `securityContext`, and the older
    /// `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation.
    ///
    /// ## Why it matters in a Pod
    /// On nodes with AppArmor (Ubuntu, Debian, most managed clusters), the runtime confines
    /// each container with a default profile that forbids writing to `/proc` and `/sys`,
    /// mounting filesystems and similar escapes. `Unconfined` removes that layer, like
    /// `docker run --security-opt apparmor=unconfined`.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: Unconfined
    /// ```
    ///
    /// ## How to fix
    /// Use `type: RuntimeDefault` (the fix does, unsafe) or a `Localhost` profile loaded on
    /// the nodes; for the annotation, `runtime/default`.
    pub struct ApparmorUnconfined {
        name: "apparmor-unconfined",
        category: Security,
        hook: Pod,
        fix: Always,
        summary: "AppArmor confinement is turned off for a container",
        enabled: false,
    }
}

const HELP: &str = "use the runtime's default profile (`type: RuntimeDefault`), or a `Localhost` profile loaded on the nodes";
const MESSAGE: &str = "(like `docker run --security-opt apparmor=unconfined`): the default profile that blocks writes to `/proc` and `/sys` and mounting filesystems no longer applies";

impl PodRule for ApparmorUnconfined {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        helpers::report_unconfined(
            pod,
            cx,
            "appArmorProfile",
            |whom| format!("AppArmor is turned off {whom} {MESSAGE}"),
            HELP,
        );
        let annotations = pod.metadata().and_then(|m| m.get("annotations"));
        for (key, value) in annotations.into_iter().flat_map(|a| a.entries()) {
            let Some(container) = key.as_str().and_then(|k| k.strip_prefix(ANNOTATION_PREFIX))
            else {
                continue;
            };
            if value.as_str() != Some("unconfined") {
                continue;
            }
            cx.report(
                key.range().cover(value.range()),
                format!("AppArmor is turned off for container `{container}` {MESSAGE}"),
            )
            .help("use the runtime's default profile (`runtime/default`), or the `appArmorProfile` field of the container's `securityContext` (Kubernetes 1.30+)")
            .fix(crate::Fix::unsafe_(
                "Use `runtime/default`",
                vec![crate::Edit::replace(value.range(), "runtime/default")],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn field_and_annotation() {
        let default = pod("  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: a\n");
        let field = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      appArmorProfile:\n        type: Unconfined\n");
        let annotation = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\nspec:\n  containers:\n  - name: app\n    image: a\n";
        RuleTest::new(&super::ApparmorUnconfined::META)
            .pass(&default)
            .fail(&field, &["type: Unconfined"])
            .fail(
                annotation,
                &["container.apparmor.security.beta.kubernetes.io/app: unconfined"],
            )
            .run();
    }
}
