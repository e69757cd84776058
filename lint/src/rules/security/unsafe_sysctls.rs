use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

/// Kubernetes' safe sysctls: namespaced per Pod and isolated from other Pods, so every
/// kubelet allows them. (The `tcp_keepalive_*`/`tcp_fin_timeout` ones since 1.29,
/// `tcp_rmem`/`tcp_wmem` since 1.32.)
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ping_group_range",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.tcp_wmem",
];

/// Sysctls that live in a Pod's own namespaces; a node may allow them one by one.
fn is_namespaced(name: &str) -> bool {
    ["kernel.shm", "kernel.msg", "fs.mqueue.", "net."]
        .iter()
        .any(|p| name.starts_with(p))
        || name == "kernel.sem"
}

declare_rule! {
    /// ## What it does
    /// Reports entries of `spec.securityContext.sysctls` outside Kubernetes' safe set
    /// (`kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`,
    /// `net.ipv4.ping_group_range`, `net.ipv4.ip_unprivileged_port_start`, and a few more
    /// `net.ipv4.*` on recent versions).
    ///
    /// ## Why it matters in a Pod
    /// Sysctls are kernel settings. The Pod's containers share their namespaces, so a
    /// sysctl applies to all of them at once (like `docker run --sysctl`). The safe ones
    /// touch only the Pod. The others are either namespaced but able to starve or disturb
    /// other Pods on the node (`net.*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`), and then
    /// the kubelet rejects the Pod with `SysctlForbidden` unless the node was started with
    /// `--allowed-unsafe-sysctls`; or they are node-wide (`vm.*`, most `kernel.*`) and no Pod
    /// may set them at all.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   sysctls:
    ///   - name: net.core.somaxconn
    ///     value: "1024"
    /// ```
    ///
    /// ## How to fix
    /// Remove it, or agree with the cluster's operators to allow it on dedicated nodes
    /// (`--allowed-unsafe-sysctls`) and schedule the Pod there.
    pub struct UnsafeSysctls {
        name: "unsafe-sysctls",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A pod sets a sysctl that is not in Kubernetes' safe set",
        enabled: false,
    }
}

impl PodRule for UnsafeSysctls {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let sysctls = pod.spec.at(&["securityContext", "sysctls"]);
        for item in sysctls.into_iter().flat_map(|l| l.items()) {
            let Some(node) = item.get("name") else {
                continue;
            };
            let Some(written) = node.as_str() else {
                continue;
            };
            // `net/ipv4/tcp_syncookies` is the same sysctl written with slashes.
            let name = written.replace('/', ".");
            if SAFE.contains(&name.as_str()) {
                continue;
            }
            let (message, help) = if is_namespaced(&name) {
                (
                    format!("sysctl `{written}` is not in Kubernetes' safe set: the kubelet rejects the Pod (`SysctlForbidden`) unless the node allows it with `--allowed-unsafe-sysctls`, and it can disturb other Pods on the node"),
                    "remove it, or run the Pod on dedicated nodes whose kubelet allows it",
                )
            } else {
                (
                    format!("sysctl `{written}` is a node-wide kernel setting: no Pod may set it, and the kubelet rejects the Pod"),
                    "remove it; node-wide kernel settings belong to the node's configuration",
                )
            };
            cx.report(node.range(), message).help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_the_safe_set_passes() {
        let safe = pod("  securityContext:\n    sysctls:\n    - name: net.ipv4.tcp_syncookies\n      value: \"1\"\n    - name: net/ipv4/ip_local_port_range\n      value: \"1024 65000\"\n  containers:\n  - name: app\n    image: a\n");
        let unsafe_ = pod("  securityContext:\n    sysctls:\n    - name: net.core.somaxconn\n      value: \"1024\"\n    - name: vm.swappiness\n      value: \"10\"\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::UnsafeSysctls::META)
            .pass(&safe)
            .fail(&unsafe_, &["net.core.somaxconn", "vm.swappiness"])
            .run();
    }
}
