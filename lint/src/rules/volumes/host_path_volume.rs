use crate::k8s::security::{
    host_path_volumes, is_runtime_socket, is_sensitive_host_path, normalise_host_path,
};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a `hostPath` volume. A path that `docker-socket-mount` or
    /// `sensitive-host-mount` reports (when enabled) is left to them, so one volume gets one
    /// finding.
    ///
    /// ## Why it matters in a Pod
    /// A `hostPath` volume is `docker run -v /host/dir:/dir`: the containers read and write a
    /// directory of whichever node the Pod lands on. The data stays on that node, so a
    /// rescheduled Pod finds a different (often empty) directory; and files written there as
    /// root belong to root on the node, a common first step out of a container.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: data
    ///   hostPath:
    ///     path: /data
    /// ```
    ///
    /// ## How to fix
    /// Use `emptyDir` for scratch space shared by the Pod's containers, a `configMap` or
    /// `secret` volume for configuration, and a PersistentVolumeClaim for data that must
    /// outlive the Pod. Keep `hostPath` for node agents, mounted `readOnly: true`.
    pub struct HostPathVolume {
        name: "host-path-volume",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A volume mounts a directory of the node",
        enabled: false,
    }
}

impl PodRule for HostPathVolume {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for (volume, name, path) in host_path_volumes(pod) {
            let normal = normalise_host_path(path.as_str().unwrap_or_default());
            let covered = (is_runtime_socket(&normal)
                && cx.settings.is_enabled("docker-socket-mount"))
                || (is_sensitive_host_path(&normal)
                    && cx.settings.is_enabled("sensitive-host-mount"));
            if covered {
                continue;
            }
            let Some((key, _)) = volume.entry("hostPath") else {
                continue;
            };
            let name = name.map_or_else(String::new, |n| format!(" `{n}`"));
            cx.report(
                key.range(),
                format!("volume{name} mounts the node's directory `{normal}` (like `docker run -v {normal}:…`): its data stays on whichever node the Pod runs on, and what the containers write there is written on the node"),
            )
            .help("use `emptyDir` for scratch space, a configMap or secret volume for config, or a PersistentVolumeClaim for data; if the node's directory is really needed, mount it `readOnly: true`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_path_volumes_are_flagged() {
        let empty = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: data\n    emptyDir: {}\n");
        let host = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: data\n    hostPath:\n      path: /data\n");
        RuleTest::new(&super::HostPathVolume::META)
            .pass(&empty)
            .fail(&host, &["hostPath"])
            .run();
    }
}
