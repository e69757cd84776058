use crate::k8s::security::effective_security;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

/// Capabilities that each open a way out of the container, and what they allow.
const DANGEROUS: &[(&str, &str)] = &[
    ("ALL", "every capability, as good as `privileged: true`"),
    ("SYS_ADMIN", "mounting filesystems and most of root's powers; the usual way out of a container"),
    ("NET_ADMIN", "reconfiguring the Pod's network: interfaces, routes, firewall rules, traffic capture"),
    ("SYS_MODULE", "loading kernel modules into the node's kernel"),
    ("SYS_PTRACE", "tracing and reading the memory of other processes"),
    ("SYS_RAWIO", "raw access to the node's devices and I/O ports"),
    ("DAC_READ_SEARCH", "reading any file regardless of permissions, and opening files by handle outside the container"),
    ("BPF", "loading eBPF programs into the node's kernel"),
];

declare_rule! {
    /// ## What it does
    /// Reports `capabilities.add` entries that hand a container root-level power over the
    /// node: `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`,
    /// `DAC_READ_SEARCH`, `BPF` (with or without the `CAP_` prefix). Init and ephemeral
    /// containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// `capabilities.add` is `docker run --cap-add`. Root's powers are split into
    /// capabilities, and a container gets a small default set; these ones let a process
    /// escape or reach beyond it — `SYS_ADMIN` alone is close to `--privileged`. `NET_ADMIN`
    /// is shared by every container of the Pod, since they share one network namespace.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     add: ["SYS_ADMIN"]
    /// ```
    ///
    /// ## How to fix
    /// Remove the capability and find the narrower one the process needs
    /// (`NET_BIND_SERVICE` to bind ports below 1024, for instance), or move the privileged
    /// work out of the app, e.g. into a reviewed node agent.
    pub struct DangerousCapabilities {
        name: "dangerous-capabilities",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container adds a capability that gives power over the node",
        enabled: false,
    }
}

impl PodRule for DangerousCapabilities {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            for (name, node) in security.capabilities("add") {
                let Some((_, what)) = DANGEROUS.iter().find(|(d, _)| *d == name) else {
                    continue;
                };
                cx.report(
                    node.range(),
                    format!("{} adds the `{name}` capability (like `docker run --cap-add {name}`): {what}", container.describe()),
                )
                .help("remove it and add only the narrow capability the process needs, e.g. `NET_BIND_SERVICE` to bind a port below 1024");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn dangerous_capabilities_are_flagged() {
        let narrow = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        add: [NET_BIND_SERVICE]\n");
        let wide = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        add: [NET_BIND_SERVICE, CAP_SYS_ADMIN, all]\n");
        RuleTest::new(&super::DangerousCapabilities::META)
            .pass(&narrow)
            .fail(&wide, &["CAP_SYS_ADMIN", "all"])
            .run();
    }
}
