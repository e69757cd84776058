use crate::k8s::security::{effective_security, list_names, Level, PerNode};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `windowsOptions.hostProcess: true` that applies to a container, at pod level
    /// (every container inherits it) or in a container's `securityContext`. A pod-level value
    /// shared by several containers is reported once.
    ///
    /// ## Why it matters in a Pod
    /// A HostProcess container is the Windows counterpart of a privileged Linux container
    /// with `hostNetwork`: it runs as a process directly on the Windows node, with the node's
    /// network and filesystem, typically as `NT AUTHORITY\SYSTEM`. Every container of such a
    /// Pod must be a HostProcess container, and the Pod must use `hostNetwork: true`.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   windowsOptions:
    ///     hostProcess: true
    /// ```
    ///
    /// ## How to fix
    /// Remove it unless the Pod is a node agent (a CNI plugin, a log collector for the node)
    /// that has been reviewed as such.
    pub struct WindowsHostProcess {
        name: "windows-host-process",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A Windows container runs as a process on the node",
        enabled: false,
    }
}

impl PodRule for WindowsHostProcess {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut host = PerNode::new();
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let Some(setting) = security.inherited_at(&["windowsOptions", "hostProcess"]) else {
                continue;
            };
            if setting.value.as_bool() == Some(true) {
                host.add(setting, container.describe());
            }
        }
        for (setting, names) in host.finish() {
            let whom = match setting.level {
                Level::Pod if names.len() == 1 => format!("at pod level, {} runs", names[0]),
                Level::Pod => format!("at pod level, {} run", list_names(&names)),
                Level::Container => format!("{} runs", names[0]),
            };
            cx.report(
                setting.range(),
                format!("with `hostProcess: true` {whom} directly on the Windows node, with its network and filesystem, like a privileged Linux container"),
            )
            .help("remove `hostProcess: true` unless this is a reviewed node agent");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_process_is_flagged_where_written() {
        let plain = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      windowsOptions:\n        hostProcess: false\n");
        let pod_level = pod("  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n  - name: a\n    image: a\n  - name: b\n    image: b\n");
        RuleTest::new(&super::WindowsHostProcess::META)
            .pass(&plain)
            .fail(&pod_level, &["hostProcess: true"])
            .run();
    }
}
