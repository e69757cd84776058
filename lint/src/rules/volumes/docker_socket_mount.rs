use crate::k8s::security::{host_path_volumes, is_runtime_socket, normalise_host_path};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a `hostPath` volume of a container runtime's socket: Docker's
    /// `/var/run/docker.sock`, containerd's and CRI-O's sockets, or the directories that
    /// hold them.
    ///
    /// ## Why it matters in a Pod
    /// It is the Pod version of `docker run -v /var/run/docker.sock:/var/run/docker.sock`.
    /// Whoever can talk to that socket can start a privileged container that mounts the
    /// node's `/`: it is root on the node, whatever the Pod's own `securityContext` says. On
    /// current clusters the runtime is usually containerd, so a Docker socket is often not
    /// there at all and the mount is also broken.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: docker
    ///   hostPath:
    ///     path: /var/run/docker.sock
    /// ```
    ///
    /// ## How to fix
    /// Build images without the node's daemon (Kaniko, BuildKit rootless, Buildah) and read
    /// container facts from the Kubernetes API instead of the runtime.
    pub struct DockerSocketMount {
        name: "docker-socket-mount",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A hostPath volume mounts the container runtime's socket",
        enabled: false,
    }
}

impl PodRule for DockerSocketMount {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for (_, name, path) in host_path_volumes(pod) {
            let normal = normalise_host_path(path.as_str().unwrap_or_default());
            if !is_runtime_socket(&normal) {
                continue;
            }
            let name = name.map_or_else(String::new, |n| format!(" `{n}`"));
            cx.report(
                path.range(),
                format!("volume{name} mounts the container runtime's socket `{normal}` (like `docker run -v /var/run/docker.sock:…`): anything that can use it can start a privileged container and become root on the node"),
            )
            .help("build images with a daemonless builder (Kaniko, Buildah, rootless BuildKit) and ask the Kubernetes API rather than the runtime");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn runtime_sockets_are_flagged() {
        let other = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: s\n    hostPath:\n      path: /var/run/app.sock\n");
        let docker = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: s\n    hostPath:\n      path: /var/run/docker.sock\n  - name: c\n    hostPath:\n      path: /run/containerd/containerd.sock\n");
        RuleTest::new(&super::DockerSocketMount::META)
            .pass(&other)
            .fail(
                &docker,
                &["/var/run/docker.sock", "/run/containerd/containerd.sock"],
            )
            .run();
    }
}
