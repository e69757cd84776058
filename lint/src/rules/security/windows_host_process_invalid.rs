use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, insert_first_entry, replace_scalar};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks Pods with Windows HostProcess containers (`windowsOptions.hostProcess: true`):
    /// every container must be one (init containers included), a container may not contradict
    /// the pod-level `hostProcess`, and the Pod must set `hostNetwork: true`. Whether to run a
    /// HostProcess Pod at all is windows-host-process's question.
    ///
    /// ## Why it matters in a Pod
    /// A HostProcess container is not isolated: it runs as a process on the Windows node, in the
    /// node's network. The containers of a Pod share one network namespace, so they are either
    /// all on the node or none are; the API server rejects a Pod that mixes them, and one that
    /// does not say `hostNetwork: true`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     windowsOptions:
    ///       hostProcess: true
    ///   containers:
    ///   - name: agent
    ///     image: my-agent:1.0
    /// ```
    ///
    /// ## How to fix
    /// Add `hostNetwork: true` to the Pod, and set `hostProcess: true` once at pod level rather
    /// than per container. Move a container that must stay isolated into its own Pod.
    pub struct WindowsHostProcessInvalid {
        name: "windows-host-process-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "HostProcess and ordinary containers mixed, or hostProcess without hostNetwork",
    }
}

impl PodRule for WindowsHostProcessInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let host_process = |security: Option<NodeRef<'_, '_>>| {
            security?
                .get("windowsOptions")?
                .entry("hostProcess")
                .and_then(|(k, v)| v.as_bool().map(|b| (b, entry_range(cx.source, k, v))))
        };
        let pod_level = host_process(pod.spec.get("securityContext"));
        let mut first_host: Option<TextRange> = pod_level.filter(|(on, _)| *on).map(|(_, r)| r);
        // Each container: its description, what it runs as, and where to point.
        let mut ordinary = Vec::new();
        let mut any_host = false;
        for container in pod.containers() {
            let own = host_process(container.get("securityContext"));
            if let (Some((pod_on, pod_range)), Some((own_on, own_range))) = (pod_level, own) {
                if pod_on != own_on {
                    cx.report(
                        own_range,
                        format!("{}: `hostProcess: {own_on}` contradicts the pod-level `hostProcess: {pod_on}`; the API server requires them to be equal when both are set", container.describe()),
                    )
                    .label(pod_range, "the pod-level value")
                    .help("set `hostProcess` once, in the pod-level `securityContext.windowsOptions`, and remove it from the container");
                    if own_on {
                        any_host = true;
                        first_host.get_or_insert(own_range);
                    }
                    continue;
                }
            }
            match own.or(pod_level) {
                Some((true, range)) => {
                    any_host = true;
                    first_host.get_or_insert(range);
                }
                _ => {
                    let at = own.map_or_else(|| container.anchor(), |(_, r)| r);
                    ordinary.push((container, at));
                }
            }
        }
        let Some(host_at) = first_host.filter(|_| any_host) else {
            return;
        };
        for (container, at) in ordinary {
            let who = container.who();
            cx.report(
                at,
                format!("{who} is an ordinary container in a Pod with HostProcess containers; the containers of a Pod share one network, so they must all run on the Windows node or none"),
            )
            .label(host_at, "a HostProcess container is declared here")
            .help("set `hostProcess: true` at pod level so every container inherits it, or move this container into its own Pod");
        }
        check_host_network(pod, host_at, cx);
    }
}

fn check_host_network(pod: &Pod<'_, '_>, host_at: TextRange, cx: &mut Context<'_>) {
    let written = pod.spec.entry("hostNetwork");
    if written.is_some_and(|(_, v)| v.as_bool() == Some(true)) {
        return;
    }
    let (range, edit) = match written {
        Some((key, value)) => (
            entry_range(cx.source, key, value),
            value
                .scalar()
                .is_some()
                .then(|| replace_scalar(cx.source, value, "true")),
        ),
        None => (
            host_at,
            insert_first_entry(cx.source, pod.spec, "hostNetwork: true"),
        ),
    };
    let d = cx
        .report(
            range,
            "a Pod with HostProcess containers must set `hostNetwork: true`: HostProcess containers always run in the Windows node's network, and the API server rejects the Pod otherwise",
        )
        .help("add `hostNetwork: true` to the Pod's spec");
    if written.is_some() {
        d.label(host_at, "a HostProcess container is declared here");
    }
    if let Some(edit) = edit {
        d.fix(Fix::unsafe_("Set `hostNetwork: true`", vec![edit]));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_process_pods_are_all_or_nothing_and_use_the_host_network() {
        let good = pod("  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  initContainers:\n  - name: setup\n    image: a\n  containers:\n  - name: agent\n    image: a\n    securityContext:\n      windowsOptions:\n        hostProcess: true\n");
        let ordinary = pod("  securityContext:\n    windowsOptions:\n      hostProcess: false\n  containers:\n  - name: app\n    image: a\n");
        let mixed = pod("  hostNetwork: true\n  containers:\n  - name: agent\n    image: a\n    securityContext:\n      windowsOptions:\n        hostProcess: true\n  - name: app\n    image: a\n");
        let contradicts = pod("  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      windowsOptions:\n        hostProcess: false\n");
        let no_network = pod("  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n  - name: agent\n    image: a\n");
        RuleTest::new(&super::WindowsHostProcessInvalid::META)
            .pass(&good)
            .pass(&ordinary)
            .fail(&mixed, &["name: app"])
            .fail(&contradicts, &["hostProcess: false"])
            .fail(&no_network, &["hostProcess: true"])
            .run();
    }
}
