use std::collections::HashSet;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a `volumeMounts` entry whose `name` matches no volume in the pod's `volumes`.
    ///
    /// ## Why it matters in a Pod
    /// Volumes belong to the Pod, not to a container: `spec.volumes` declares the storage once
    /// and each container mounts it by name. This is how two containers share files — the
    /// app writes logs to a volume and the log forwarder reads them. A mount that names no
    /// volume has nothing to mount, and the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: web
    ///   volumeMounts:
    ///   - name: log
    ///     mountPath: /var/log/nginx
    /// volumes:
    /// - name: logs
    ///   emptyDir: {}
    /// ```
    ///
    /// ## How to fix
    /// Use the name of a declared volume, or declare the volume under `spec.volumes`.
    /// When one declared name is close, the fix renames the mount to it.
    pub struct VolumeMountUnknownVolume {
        name: "volume-mount-unknown-volume",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A volumeMount names a volume the pod does not declare",
    }
}

impl PodRule for VolumeMountUnknownVolume {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // A StatefulSet's `volumeClaimTemplates` are volumes too: the controller adds one
        // PersistentVolumeClaim volume per template, named as the template.
        let declared: HashSet<&str> = pod
            .volumes()
            .filter_map(|v| v.get("name")?.as_str())
            .chain(
                pod.claim_templates()
                    .filter_map(|t| t.at(&["metadata", "name"])?.as_str()),
            )
            .collect();
        for container in pod.containers() {
            for mount in container.volume_mounts() {
                let Some(node) = mount.get("name") else {
                    continue;
                };
                let Some(name) = node.as_str() else { continue };
                if declared.contains(name) {
                    continue;
                }
                let who = container.who();
                let d = cx.report(
                    node.range(),
                    format!(
                        "{who} mounts volume `{name}`, but the Pod declares no volume of that name"
                    ),
                );
                match closest(name, &declared) {
                    Some(close) => {
                        d.help(format!("did you mean `{close}`?"))
                            .fix(crate::Fix::unsafe_(
                                format!("Mount `{close}` instead"),
                                vec![crate::Edit::replace(node.range(), close)],
                            ));
                    }
                    None if declared.is_empty() => {
                        d.help(format!("declare it under `spec.volumes`, e.g. `- name: {name}` with `emptyDir: {{}}` for scratch space shared by the Pod's containers"));
                    }
                    None => {
                        let mut list: Vec<_> = declared.iter().copied().collect();
                        list.sort_unstable();
                        d.help(format!("declared volumes: {}; add `{name}` under `spec.volumes` or mount one of those", list.join(", ")));
                    }
                }
            }
        }
    }
}

/// The declared name closest to `name`, when one is clearly meant.
fn closest<'a>(name: &str, declared: &HashSet<&'a str>) -> Option<&'a str> {
    let mut best: Vec<(usize, &str)> = declared
        .iter()
        .map(|d| (strsim::damerau_levenshtein(name, d), *d))
        .filter(|(distance, d)| *distance <= 2.min(d.len() / 2))
        .collect();
    best.sort_unstable();
    match best.as_slice() {
        [(d0, only)] => Some(*only).filter(|_| *d0 > 0),
        [(d0, first), (d1, _), ..] if d0 < d1 => Some(*first),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn mounts_need_a_declared_volume() {
        RuleTest::new(&super::VolumeMountUnknownVolume::META)
            .pass(pod("  containers:\n  - name: web\n    image: a\n    volumeMounts:\n    - name: logs\n      mountPath: /l\n  volumes:\n  - name: logs\n    emptyDir: {}\n"))
            .fail(pod("  containers:\n  - name: web\n    image: a\n    volumeMounts:\n    - name: log\n      mountPath: /l\n  volumes:\n  - name: logs\n    emptyDir: {}\n"), &["log"])
            .pass("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers:\n      - name: db\n        image: postgres:16\n        volumeMounts:\n        - name: data\n          mountPath: /var/lib/postgresql/data\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")
            .run();
    }
}
