use std::sync::OnceLock;

use crate::k8s::Object;
use crate::rule::{Context, SchemaRule};
use crate::schema::walk::{Place, Visitor};
use crate::schema::{type_count, type_named, TypeRef};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a field the API server requires but the manifest leaves out or leaves empty:
    /// an env var's `name`, a volume mount's `mountPath`, the `key` of a `configMapKeyRef`,
    /// the `port` of an `httpGet` probe, the `topologyKey` of an affinity term, a CronJob's
    /// `schedule`…
    ///
    /// Only fields that stay required after the API server fills in its defaults are
    /// checked (an omitted `imagePullPolicy` or `protocol` is fine), from an explicit list
    /// rather than the schema's `required` markers, which are not the whole truth. A
    /// container's `name` and `image`, a port's `containerPort`, a volume's `name`, a
    /// pod's `containers`, a probe's `exec.command`, a host alias's `ip`, a DNS option's
    /// `name`, the ConfigMap or Secret of a `configMapKeyRef`/`secretKeyRef` and an empty env
    /// var name have dedicated rules (container-name-invalid, container-image-missing,
    /// container-port-number-invalid, volume-name-invalid, pod-no-containers,
    /// probe-handler-invalid, host-aliases-invalid, dns-config-invalid,
    /// env-value-from-invalid, env-var-name-invalid).
    ///
    /// ## Why it matters in a Pod
    /// Without these fields the kubelet cannot do its job — it does not know where to mount
    /// a volume, which variable to set, which port to probe — so the API server rejects the
    /// object with `Required value` and nothing is created.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.4.2
    ///   volumeMounts:
    ///   - name: data           # where should it be mounted?
    ///   env:
    ///   - value: production    # which variable?
    /// ```
    ///
    /// ## How to fix
    /// Add the field the message names: `mountPath: /data`, `name: APP_ENV`.
    pub struct RequiredFieldMissing {
        name: "required-field-missing",
        category: ApiRejects,
        hook: Schema,
        fix: Never,
        summary: "A field the API server requires is missing or empty",
    }
}

/// Fields required after defaulting, by type (full names, sorted), with what the type is
/// called in messages. Kubernetes' validation (`pkg/apis/core/validation`) reports each of
/// them as `Required value` when it is absent or empty.
const REQUIRED: &[(&str, &str, &[&str])] = &[
    (
        "io.k8s.api.apps.v1.DaemonSetSpec",
        "this DaemonSet's `spec`",
        &["template"],
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "this Deployment's `spec`",
        &["template"],
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSetSpec",
        "this ReplicaSet's `spec`",
        &["template"],
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "this StatefulSet's `spec`",
        &["template"],
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "this CronJob's `spec`",
        &["jobTemplate", "schedule"],
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "this Job's `spec`",
        &["template"],
    ),
    (
        "io.k8s.api.core.v1.AppArmorProfile",
        "this `appArmorProfile`",
        &["type"],
    ),
    (
        "io.k8s.api.core.v1.ConfigMapKeySelector",
        "this `configMapKeyRef`",
        &["key"],
    ),
    (
        "io.k8s.api.core.v1.ConfigMapVolumeSource",
        "this `configMap` volume",
        &["name"],
    ),
    (
        "io.k8s.api.core.v1.ContainerResizePolicy",
        "this resize policy",
        &["resourceName", "restartPolicy"],
    ),
    (
        "io.k8s.api.core.v1.EnvVar",
        "this environment variable",
        &["name"],
    ),
    (
        "io.k8s.api.core.v1.GRPCAction",
        "this `grpc` probe",
        &["port"],
    ),
    (
        "io.k8s.api.core.v1.HTTPGetAction",
        "this `httpGet` action",
        &["port"],
    ),
    (
        "io.k8s.api.core.v1.HTTPHeader",
        "this HTTP header",
        &["name"],
    ),
    (
        "io.k8s.api.core.v1.HostPathVolumeSource",
        "this `hostPath` volume",
        &["path"],
    ),
    (
        "io.k8s.api.core.v1.KeyToPath",
        "this item",
        &["key", "path"],
    ),
    (
        "io.k8s.api.core.v1.NodeSelector",
        "this node selector",
        &["nodeSelectorTerms"],
    ),
    (
        "io.k8s.api.core.v1.NodeSelectorRequirement",
        "this node selector requirement",
        &["key", "operator"],
    ),
    (
        "io.k8s.api.core.v1.ObjectFieldSelector",
        "this `fieldRef`",
        &["fieldPath"],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource",
        "this `persistentVolumeClaim` volume",
        &["claimName"],
    ),
    (
        "io.k8s.api.core.v1.PodAffinityTerm",
        "this affinity term",
        &["topologyKey"],
    ),
    (
        "io.k8s.api.core.v1.PodReadinessGate",
        "this readiness gate",
        &["conditionType"],
    ),
    (
        "io.k8s.api.core.v1.PodResourceClaim",
        "this resource claim",
        &["name"],
    ),
    (
        "io.k8s.api.core.v1.PodSchedulingGate",
        "this scheduling gate",
        &["name"],
    ),
    (
        "io.k8s.api.core.v1.PreferredSchedulingTerm",
        "this preferred scheduling term",
        &["preference", "weight"],
    ),
    (
        "io.k8s.api.core.v1.ReplicationControllerSpec",
        "this ReplicationController's `spec`",
        &["template"],
    ),
    (
        "io.k8s.api.core.v1.ResourceFieldSelector",
        "this `resourceFieldRef`",
        &["resource"],
    ),
    (
        "io.k8s.api.core.v1.SeccompProfile",
        "this `seccompProfile`",
        &["type"],
    ),
    (
        "io.k8s.api.core.v1.SecretKeySelector",
        "this `secretKeyRef`",
        &["key"],
    ),
    (
        "io.k8s.api.core.v1.SecretVolumeSource",
        "this `secret` volume",
        &["secretName"],
    ),
    ("io.k8s.api.core.v1.Sysctl", "this sysctl", &["name"]),
    (
        "io.k8s.api.core.v1.TCPSocketAction",
        "this `tcpSocket` action",
        &["port"],
    ),
    (
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "this topology spread constraint",
        &["maxSkew", "topologyKey", "whenUnsatisfiable"],
    ),
    (
        "io.k8s.api.core.v1.VolumeDevice",
        "this volume device",
        &["devicePath", "name"],
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "this volume mount",
        &["mountPath", "name"],
    ),
    (
        "io.k8s.api.core.v1.WeightedPodAffinityTerm",
        "this weighted affinity term",
        &["podAffinityTerm", "weight"],
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
        "this label selector requirement",
        &["key", "operator"],
    ),
];

impl SchemaRule for RequiredFieldMissing {
    fn visitor<'c, 'a, 'd, 's>(
        &self,
        _: &'c Object<'d, 's>,
        cx: &'c mut Context<'a>,
    ) -> Box<dyn Visitor<'d, 's> + 'c> {
        Box::new(Check { cx })
    }
}

struct Check<'c, 'a> {
    cx: &'c mut Context<'a>,
}

impl<'d, 'src> Visitor<'d, 'src> for Check<'_, '_> {
    fn object(&mut self, node: NodeRef<'d, 'src>, key: Option<NodeRef<'d, 'src>>, at: &Place) {
        let Some((what, fields)) = required_of(at.ty) else {
            return;
        };
        for &name in fields {
            match node.entry(name) {
                None => {
                    let range = key.map_or_else(|| first_line(node, self.cx.source), |k| k.range());
                    self.cx
                        .report(
                            range,
                            format!("{what} has no `{name}`, which the API server requires"),
                        )
                        .help(format!("add `{name}:`{}", example(at, name)));
                }
                Some((k, v))
                    if v.is_null()
                        || (v.as_str() == Some("") && !empty_checked_elsewhere(at, name)) =>
                {
                    self.cx
                        .report(
                            k.range().cover(v.range()),
                            format!("`{name}` is empty in {what}, and the API server requires it"),
                        )
                        .help(format!("give `{name}` a value{}", example(at, name)));
                }
                Some(_) => {}
            }
        }
    }
}

/// The entry of [`REQUIRED`] for `ty`: a table by type index, built once, since the walk asks
/// at every mapping.
fn required_of(ty: TypeRef) -> Option<(&'static str, &'static [&'static str])> {
    static BY_TYPE: OnceLock<Vec<Option<u8>>> = OnceLock::new();
    let table = BY_TYPE.get_or_init(|| {
        let mut table = vec![None; type_count()];
        for (i, (name, ..)) in REQUIRED.iter().enumerate() {
            if let Some(ty) = type_named(name) {
                table[ty.index()] = Some(i as u8);
            }
        }
        table
    });
    let (_, what, fields) = REQUIRED[usize::from(table[ty.index()]?)];
    Some((what, fields))
}

/// Fields whose empty value a dedicated rule reports with more to say (env-var-name-invalid
/// explains what a variable name may hold).
fn empty_checked_elsewhere(at: &Place, field: &str) -> bool {
    at.ty.short_name() == "EnvVar" && field == "name"
}

/// A hint of what goes in the common fields.
fn example(at: &Place, field: &str) -> &'static str {
    match (at.ty.short_name(), field) {
        ("EnvVar", "name") => ", the variable's name, e.g. `name: APP_ENV`",
        ("VolumeMount", "name") => ", the name of one of the pod's `volumes`",
        ("ConfigMapKeySelector" | "ConfigMapVolumeSource", "name") => ", the ConfigMap's name",
        ("SecretKeySelector", "name") => ", the Secret's name",
        (_, "mountPath") => ", the directory inside the container, e.g. `mountPath: /data`",
        (_, "port") => ", the container port to probe, by number or name, e.g. `port: 8080`",
        (_, "key") => ", the key of the ConfigMap or Secret to read",
        (_, "topologyKey") => {
            ", a node label such as `kubernetes.io/hostname` or `topology.kubernetes.io/zone`"
        }
        (_, "schedule") => ", a cron expression such as `\"*/5 * * * *\"`",
        _ => "",
    }
}

/// A mapping's first line: its first entry, or the whole mapping when it is written on one
/// line or empty.
fn first_line(node: NodeRef<'_, '_>, source: &str) -> TextRange {
    let range = node.range();
    if !source[range].contains('\n') {
        return range;
    }
    match node.entries().next() {
        Some((k, v)) if !source[v.range()].contains('\n') => k.range().cover(v.range()),
        Some((k, _)) => k.range(),
        None => range,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};

    const RULE: &str = "required-field-missing";

    #[test]
    fn required_fields_are_flagged_where_their_object_starts() {
        let good = pod("  containers:\n  - name: a\n    image: x\n    volumeMounts:\n    - {name: data, mountPath: /data}\n    env:\n    - name: A\n    - name: B\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: b}\n    readinessProbe:\n      httpGet: {path: /, port: 80}\n  volumes:\n  - name: data\n    emptyDir: {}\n");
        let bad = pod("  containers:\n  - name: a\n    image: x\n    volumeMounts:\n    - name: data\n    env:\n    - value: production\n    - name: B\n      valueFrom:\n        configMapKeyRef: {name: cfg}\n    readinessProbe:\n      httpGet:\n        path: /\n  volumes:\n  - name: data\n    emptyDir: {}\n");
        RuleTest::new(&super::RequiredFieldMissing::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "name: data",
                    "value: production",
                    "configMapKeyRef",
                    "httpGet",
                ],
            )
            .run();
    }

    #[test]
    fn empty_counts_as_missing_and_the_message_names_the_field() {
        let found = findings(
            RULE,
            &pod("  containers:\n  - name: a\n    image: x\n    volumeMounts:\n    - name: data\n      mountPath:\n"),
        );
        assert_eq!(
            found,
            [(
                "mountPath".to_string(),
                "`mountPath` is empty in this volume mount, and the API server requires it"
                    .to_string()
            )]
        );
    }

    #[test]
    fn the_table_is_sorted_and_names_real_fields() {
        assert!(super::REQUIRED.windows(2).all(|w| w[0].0 < w[1].0));
        for (ty, _, fields) in super::REQUIRED {
            let ty = crate::schema::type_named(ty).unwrap_or_else(|| panic!("{ty}"));
            for field in *fields {
                assert!(ty.field(field).is_some(), "{}.{field}", ty.name());
            }
        }
    }

    #[test]
    fn defaulted_and_dedicated_fields_are_not_reported() {
        // No image, no containerPort, no volume name: other rules say so.
        let text =
            pod("  containers:\n  - ports:\n    - protocol: TCP\n  volumes:\n  - emptyDir: {}\n");
        assert!(findings(RULE, &text).is_empty());
    }
}
