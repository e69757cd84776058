use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

/// Kinds that live in a namespace. Cluster-wide kinds (Namespace, ClusterRole,
/// PersistentVolume, StorageClass, …) have none and are never reported.
const NAMESPACED_KINDS: &[&str] = &[
    "ConfigMap",
    "CronJob",
    "DaemonSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "Ingress",
    "Job",
    "NetworkPolicy",
    "PersistentVolumeClaim",
    "Pod",
    "PodDisruptionBudget",
    "PodTemplate",
    "ReplicaSet",
    "ReplicationController",
    "Role",
    "RoleBinding",
    "Secret",
    "Service",
    "ServiceAccount",
    "StatefulSet",
];

declare_rule! {
    /// ## What it does
    /// Reports an object that is placed in the `default` namespace, or names no namespace
    /// and so goes wherever `kubectl` points at the time. Cluster-wide kinds are skipped.
    /// Off by default: manifests applied with `kubectl apply -n …` or a Kustomize
    /// `namespace:` rightly leave it out.
    ///
    /// ## Why it matters in a Pod
    /// A namespace is the unit of access control, quotas, network policies and cleanup. In
    /// `default`, every team's Pods share one space: a NetworkPolicy or ResourceQuota meant
    /// for one app applies to all of them, RBAC cannot tell them apart, and a
    /// `kubectl delete --all` aimed at one app removes the others. A manifest without a
    /// namespace lands in whatever namespace the current `kubectl` context uses, which is
    /// different on every laptop.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: my-app
    ///   namespace: default
    /// ```
    ///
    /// ## How to fix
    /// Create a namespace for the app (`kubectl create namespace shop`) and set
    /// `metadata.namespace: shop` on each of its objects.
    pub struct DefaultNamespace {
        name: "default-namespace",
        category: Style,
        hook: Object,
        fix: Never,
        summary: "An object is in the `default` namespace, or names none",
        enabled: false,
    }
}

impl ObjectRule for DefaultNamespace {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let kind = object.kind_name();
        if !NAMESPACED_KINDS.contains(&kind) {
            return;
        }
        let name = object.name().unwrap_or("?");
        let metadata = object.root.entry("metadata");
        let namespace = metadata.and_then(|(_, m)| m.entry("namespace"));
        match namespace {
            Some((key, value)) => {
                let written = value.as_str().unwrap_or("");
                if written != "default" && !written.is_empty() {
                    return;
                }
                cx.report(
                    key.range().cover(value.range()),
                    format!("{kind} `{name}` is in the `default` namespace, which every team and tool shares: quotas, network policies and RBAC cannot single this app out"),
                )
                .help("create a namespace for the app and set `namespace:` to it");
            }
            None => {
                let range = metadata.map_or(object.kind.range(), |(key, _)| key.range());
                cx.report(
                    range,
                    format!("{kind} `{name}` names no namespace, so it is created in whatever namespace the current kubectl context uses — usually `default`"),
                )
                .help("set `metadata.namespace` to the app's namespace, or apply it with `kubectl apply -n <namespace>` on purpose and suppress this rule");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn objects_have_their_own_namespace() {
        let ns = |meta: &str| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n{meta}data: {{}}\n"
            )
        };
        let cluster_wide = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
        RuleTest::new(&super::DefaultNamespace::META)
            .pass(ns("  namespace: shop\n"))
            .pass(cluster_wide)
            .fail(ns("  namespace: default\n"), &["namespace: default"])
            .fail(ns(""), &["metadata"])
            .run();
    }
}
