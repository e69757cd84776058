use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;

declare_rule! {
    /// ## What it does
    /// Reports a volume in `spec.volumes` that no container mounts (`volumeMounts`) or uses
    /// as a block device (`volumeDevices`).
    ///
    /// ## Why it matters in a Pod
    /// Declaring a volume only makes storage available to the Pod; a container sees it only
    /// where it mounts it. An unused volume is harmless, but it is usually a leftover from an
    /// edit, or a sign that the mount the author meant to add is missing — the app then
    /// writes to its own filesystem and the data is not shared or kept.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: web
    ///   image: nginx:1.25
    /// volumes:
    /// - name: logs
    ///   emptyDir: {}
    /// ```
    ///
    /// ## How to fix
    /// Mount the volume in the containers that need it (`volumeMounts` with `name: logs`
    /// and a `mountPath`), or delete it.
    pub struct UnusedVolume {
        name: "unused-volume",
        category: Style,
        hook: Pod,
        fix: Never,
        summary: "A volume is declared but no container mounts it",
        severity: Info,
    }
}

impl PodRule for UnusedVolume {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let used: Seen<&str, ()> = pod
            .containers()
            .flat_map(|c| c.volume_mounts().chain(c.list("volumeDevices")))
            .filter_map(|m| m.get("name")?.as_str())
            .collect();
        for volume in pod.volumes() {
            let Some(node) = volume.get("name") else {
                continue;
            };
            let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
                continue;
            };
            if used.contains(name) {
                continue;
            }
            cx.report(
                node.range(),
                format!("volume `{name}` is declared but no container mounts it; this is harmless, but probably a leftover or a missing `volumeMounts` entry"),
            )
            .help(format!("mount it where it is needed (`volumeMounts:` with `- name: {name}` and a `mountPath`), or remove it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn volumes_are_mounted_somewhere() {
        let mounted = pod("  initContainers:\n  - name: i\n    image: a\n    volumeMounts:\n    - name: seed\n      mountPath: /s\n  containers:\n  - name: a\n    image: a\n    volumeDevices:\n    - name: disk\n      devicePath: /dev/xvda\n  volumes:\n  - name: seed\n    emptyDir: {}\n  - name: disk\n    persistentVolumeClaim:\n      claimName: d\n");
        let unused = pod("  containers:\n  - name: web\n    image: a\n    volumeMounts:\n    - name: logs\n      mountPath: /l\n  volumes:\n  - name: logs\n    emptyDir: {}\n  - name: cache\n    emptyDir: {}\n");
        RuleTest::new(&super::UnusedVolume::META)
            .pass(&mounted)
            .fail(&unused, &["cache"])
            .run();
    }
}
