use crate::diagnostic::Fix;
use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

/// An API version that stopped serving a kind.
struct Removal {
    api_version: &'static str,
    kind: &'static str,
    /// The Kubernetes minor version (1.x) that no longer serves it.
    removed_in: u8,
    /// What to use instead; `None` when the kind itself is gone.
    replacement: Option<&'static str>,
    /// The replacement reads the same fields the same way, so renaming `apiVersion` is the
    /// whole migration.
    same_fields: bool,
}

const fn removal(
    api_version: &'static str,
    kind: &'static str,
    removed_in: u8,
    replacement: Option<&'static str>,
    same_fields: bool,
) -> Removal {
    Removal {
        api_version,
        kind,
        removed_in,
        replacement,
        same_fields,
    }
}

/// From the Kubernetes deprecated-API migration guide. Workload kinds (Deployment, CronJob…)
/// are `api-version-kind-mismatch`'s.
#[rustfmt::skip]
const REMOVALS: &[Removal] = &[
    removal("extensions/v1beta1", "NetworkPolicy", 16, Some("networking.k8s.io/v1"), true),
    removal("extensions/v1beta1", "PodSecurityPolicy", 16, None, false),
    removal("extensions/v1beta1", "Ingress", 22, Some("networking.k8s.io/v1"), false),
    removal("networking.k8s.io/v1beta1", "Ingress", 22, Some("networking.k8s.io/v1"), false),
    removal("networking.k8s.io/v1beta1", "IngressClass", 22, Some("networking.k8s.io/v1"), true),
    removal("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 22, Some("apiextensions.k8s.io/v1"), false),
    removal("apiregistration.k8s.io/v1beta1", "APIService", 22, Some("apiregistration.k8s.io/v1"), true),
    removal("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 22, Some("admissionregistration.k8s.io/v1"), false),
    removal("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 22, Some("admissionregistration.k8s.io/v1"), false),
    removal("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 22, Some("certificates.k8s.io/v1"), false),
    removal("coordination.k8s.io/v1beta1", "Lease", 22, Some("coordination.k8s.io/v1"), true),
    removal("rbac.authorization.k8s.io/v1beta1", "ClusterRole", 22, Some("rbac.authorization.k8s.io/v1"), true),
    removal("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 22, Some("rbac.authorization.k8s.io/v1"), true),
    removal("rbac.authorization.k8s.io/v1beta1", "Role", 22, Some("rbac.authorization.k8s.io/v1"), true),
    removal("rbac.authorization.k8s.io/v1beta1", "RoleBinding", 22, Some("rbac.authorization.k8s.io/v1"), true),
    removal("scheduling.k8s.io/v1beta1", "PriorityClass", 22, Some("scheduling.k8s.io/v1"), true),
    removal("storage.k8s.io/v1beta1", "CSIDriver", 22, Some("storage.k8s.io/v1"), true),
    removal("storage.k8s.io/v1beta1", "CSINode", 22, Some("storage.k8s.io/v1"), true),
    removal("storage.k8s.io/v1beta1", "StorageClass", 22, Some("storage.k8s.io/v1"), true),
    removal("storage.k8s.io/v1beta1", "VolumeAttachment", 22, Some("storage.k8s.io/v1"), true),
    removal("discovery.k8s.io/v1beta1", "EndpointSlice", 25, Some("discovery.k8s.io/v1"), false),
    removal("events.k8s.io/v1beta1", "Event", 25, Some("events.k8s.io/v1"), false),
    removal("autoscaling/v2beta1", "HorizontalPodAutoscaler", 25, Some("autoscaling/v2"), false),
    removal("policy/v1beta1", "PodDisruptionBudget", 25, Some("policy/v1"), false),
    removal("policy/v1beta1", "PodSecurityPolicy", 25, None, false),
    removal("node.k8s.io/v1beta1", "RuntimeClass", 25, Some("node.k8s.io/v1"), true),
    removal("autoscaling/v2beta2", "HorizontalPodAutoscaler", 26, Some("autoscaling/v2"), true),
    removal("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 26, Some("flowcontrol.apiserver.k8s.io/v1"), true),
    removal("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 26, Some("flowcontrol.apiserver.k8s.io/v1"), false),
    removal("storage.k8s.io/v1beta1", "CSIStorageCapacity", 27, Some("storage.k8s.io/v1"), true),
    removal("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 29, Some("flowcontrol.apiserver.k8s.io/v1"), true),
    removal("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 29, Some("flowcontrol.apiserver.k8s.io/v1"), false),
    removal("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 32, Some("flowcontrol.apiserver.k8s.io/v1"), true),
    removal("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 32, Some("flowcontrol.apiserver.k8s.io/v1"), true),
];

declare_rule! {
    /// ## What it does
    /// Reports an object whose `apiVersion` the targeted Kubernetes version no longer serves:
    /// an Ingress under `extensions/v1beta1`, a PodDisruptionBudget under `policy/v1beta1`, a
    /// HorizontalPodAutoscaler under `autoscaling/v2beta2`, a CustomResourceDefinition under
    /// `apiextensions.k8s.io/v1beta1`, a NetworkPolicy under `extensions/v1beta1`, any
    /// PodSecurityPolicy, and the other removals of the Kubernetes deprecation guide. Workload
    /// kinds are checked by `api-version-kind-mismatch`. The version targeted is
    /// `kubernetes-version` (the newest podlint knows unless set).
    ///
    /// ## Why it matters in a Pod
    /// The objects around a Pod decide whether traffic reaches it (Ingress, NetworkPolicy),
    /// whether a node drain may evict it (PodDisruptionBudget) and how many copies run
    /// (HorizontalPodAutoscaler). Under a removed version `kubectl apply` fails with "no
    /// matches for kind", and the rest of the manifest may be applied without it: the Pods
    /// run, but nothing routes to them or protects them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1
    /// kind: Ingress
    /// ```
    ///
    /// ## How to fix
    /// Move to the served version. Where only the name changed (RBAC, PriorityClass,
    /// StorageClass, `autoscaling/v2beta2`…) the fix rewrites `apiVersion`. Others changed
    /// fields too: an Ingress backend became `service: {name, port: {number}}`, a CRD needs a
    /// structural schema per version, a webhook needs `sideEffects` and
    /// `admissionReviewVersions`. PodSecurityPolicy has no successor kind: use Pod Security
    /// Admission labels on the Namespace.
    pub struct RemovedApiVersion {
        name: "removed-api-version",
        category: ApiRejects,
        hook: Object,
        fix: Sometimes,
        summary: "An apiVersion the targeted Kubernetes no longer serves (Ingress extensions/v1beta1, PDB policy/v1beta1…)",
    }
}

impl ObjectRule for RemovedApiVersion {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.workload.is_some() {
            return;
        }
        let (version, kind) = (object.api_version_name(), object.kind_name());
        let Some(removal) = REMOVALS
            .iter()
            .find(|r| r.api_version == version && r.kind == kind)
        else {
            return;
        };
        let target = cx.settings.kubernetes_minor;
        if target < removal.removed_in {
            return;
        }
        let range = crate::rules::edits::value_range(cx.source, object.api_version);
        let served = if target == crate::schema::NEWEST_MINOR {
            String::new()
        } else {
            format!(" (targeting 1.{target})")
        };
        let removed = format!(
            "`{version}` no longer serves {kind}: it was removed in Kubernetes 1.{}{served}, so applying this object fails with \"no matches for kind\"",
            removal.removed_in
        );
        let Some(replacement) = removal.replacement else {
            cx.report(range, format!("{removed}; {kind} has no successor"))
                .help("delete it and enforce the Pod Security Standards with Pod Security Admission labels on the Namespace (`pod-security.kubernetes.io/enforce: restricted`)");
            return;
        };
        let source = cx.source;
        let d = cx.report(range, format!("{removed}; use `{replacement}`"));
        if removal.same_fields {
            let edit = crate::rules::edits::replace_scalar(source, object.api_version, replacement);
            d.help(format!(
                "write `apiVersion: {replacement}`; the fields are the same"
            ));
            d.fix(Fix::safe(format!("Use `{replacement}`"), vec![edit]));
        } else {
            d.help(format!("write `apiVersion: {replacement}` and migrate the fields that changed (see the Kubernetes deprecated API migration guide for {kind})"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn removed_versions_by_target() {
        let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n";
        RuleTest::new(&super::RemovedApiVersion::META)
            .pass("apiVersion: networking.k8s.io/v1\nkind: Ingress\n")
            .pass("apiVersion: policy/v1\nkind: PodDisruptionBudget\n")
            .pass("apiVersion: extensions/v1beta1\nkind: Deployment\n")
            .fail(
                "apiVersion: extensions/v1beta1\nkind: Ingress\n",
                &["extensions/v1beta1"],
            )
            .fail(
                "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n",
                &["policy/v1beta1"],
            )
            .fail(hpa, &["autoscaling/v2beta2"])
            .fix(hpa, hpa.replace("v2beta2", "v2"))
            .fix(
                "apiVersion: \"rbac.authorization.k8s.io/v1beta1\"\nkind: Role\n",
                "apiVersion: \"rbac.authorization.k8s.io/v1\"\nkind: Role\n",
            )
            .run();
    }

    #[test]
    fn a_version_still_served_by_the_target_is_quiet() {
        let mut settings = crate::rule::Settings::only(&["removed-api-version"]);
        settings.kubernetes_minor = 25;
        let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n";
        assert!(crate::lint(hpa, &settings).is_empty());
        settings.kubernetes_minor = 26;
        assert_eq!(crate::lint(hpa, &settings).len(), 1);
    }
}
