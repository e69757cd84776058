use crate::k8s::security::{host_path_volumes, is_sensitive_host_path, normalise_host_path};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a `hostPath` volume of one of the node's system directories: `/`, `/boot`,
    /// `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr`, `/root`, and the kubelet's and
    /// container runtimes' state (`/etc/kubernetes`, `/var/lib/kubelet`, `/var/lib/docker`,
    /// `/var/lib/containerd`).
    ///
    /// ## Why it matters in a Pod
    /// These directories are the node itself: its users and passwords (`/etc`), its devices
    /// (`/dev`), its kernel settings (`/proc`, `/sys`), its binaries, and the credentials the
    /// kubelet uses to talk to the cluster. Mounting them, like `docker run -v /etc:/host-etc`,
    /// lets the containers read the node's secrets and, when writable, take the node over.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: host-etc
    ///   hostPath:
    ///     path: /etc
    /// ```
    ///
    /// ## How to fix
    /// Mount only what the app needs: a ConfigMap for config files, the downward API for node
    /// and pod facts. A node agent that must read one of these should mount the narrowest
    /// subdirectory with `readOnly: true`.
    pub struct SensitiveHostMount {
        name: "sensitive-host-mount",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A hostPath volume mounts a system directory of the node",
        enabled: false,
    }
}

impl PodRule for SensitiveHostMount {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for (_, name, path) in host_path_volumes(pod) {
            let normal = normalise_host_path(path.as_str().unwrap_or_default());
            if !is_sensitive_host_path(&normal) {
                continue;
            }
            let name = name.map_or_else(String::new, |n| format!(" `{n}`"));
            cx.report(
                path.range(),
                format!("volume{name} mounts the node's system directory `{normal}`: the containers can read the node's files and secrets there, and take the node over if they can write"),
            )
            .help("mount only what the app needs (a ConfigMap, the downward API); a node agent should mount the narrowest subdirectory with `readOnly: true`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn system_directories_are_flagged() {
        let data = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: data\n    hostPath:\n      path: /data\n");
        let etc = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: etc\n    hostPath:\n      path: /etc/\n  - name: root\n    hostPath: {path: /}\n");
        RuleTest::new(&super::SensitiveHostMount::META)
            .pass(&data)
            .fail(&etc, &["/etc/", "/"])
            .run();
    }
}
