use std::collections::HashMap;

use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, value_fix};
use crate::text::TextRange;
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks `resizePolicy`: each entry names `cpu` or `memory`, once; in a Pod with
    /// `restartPolicy: Never` every entry is `restartPolicy: NotRequired`; and an init
    /// container (one that runs to completion before the app) sets none.
    ///
    /// ## Why it matters in a Pod
    /// Kubernetes can change a running container's CPU and memory in place, like
    /// `docker update --cpus`. `resizePolicy` says, per resource, whether the container must
    /// restart to pick up the new value (`RestartContainer`) or not (`NotRequired`). A Pod
    /// that never restarts its containers cannot promise a restart, and an init container has
    /// finished before anyone resizes it, so the API server rejects both.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   restartPolicy: Never
    ///   containers:
    ///   - name: batch
    ///     resizePolicy:
    ///     - resourceName: memory
    ///       restartPolicy: RestartContainer
    /// ```
    ///
    /// ## How to fix
    /// Use `restartPolicy: NotRequired` in Pods that never restart, list `cpu` and `memory`
    /// at most once each, and remove `resizePolicy` from init containers.
    pub struct ResizePolicyInvalid {
        name: "resize-policy-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A container's resizePolicy repeats or names an unsupported resource, or conflicts with the pod",
    }
}

const RESOURCES: &[&str] = &["cpu", "memory"];

impl PodRule for ResizePolicyInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let never = pod.restart_policy().and_then(|p| p.as_str()) == Some("Never");
        for container in pod.containers() {
            let who = container.who();
            let Some((key, list)) = container.node.entry("resizePolicy") else {
                continue;
            };
            if container.kind == ContainerKind::Init && !container.is_sidecar() {
                if list.items().next().is_some() {
                    cx.report(
                        key.range(),
                        format!("{who} sets `resizePolicy`, but init containers run to completion before the app starts, so they are never resized"),
                    )
                    .help("remove `resizePolicy` from the init container");
                }
                continue;
            }
            let mut seen: HashMap<&str, TextRange> = HashMap::new();
            for entry in list.items() {
                if let Some(node) = entry.get("resourceName") {
                    if let Some(name) = node.as_string().filter(|n| !n.is_empty()) {
                        if !RESOURCES.contains(&name) {
                            let near = closest_value(name, RESOURCES);
                            let source = cx.source;
                            let d = cx.report(
                                node.range(),
                                format!("{who} has a resize policy for `{name}`; only `cpu` and `memory` can be resized in place"),
                            );
                            d.help("use `resourceName: cpu` or `resourceName: memory`");
                            if let Some((to, case_only)) = near {
                                d.fix(value_fix(source, node, to, case_only));
                            }
                        } else if let Some(first) = seen.insert(name, node.range()) {
                            cx.report(
                                node.range(),
                                format!("{who} has two resize policies for `{name}`"),
                            )
                            .label(first, "first policy here")
                            .help("keep one entry per resource");
                        }
                    }
                }
                if !never {
                    continue;
                }
                let Some(policy) = entry.get("restartPolicy") else {
                    continue;
                };
                let Some(text) = policy.as_string() else {
                    continue;
                };
                if text == "NotRequired" {
                    continue;
                }
                let restart = pod.restart_policy().map_or(policy.range(), |p| p.range());
                cx.report(
                    policy.range(),
                    format!("{who} asks to restart on resize (`restartPolicy: {text}`), but the Pod's `restartPolicy: Never` never restarts a container"),
                )
                .label(restart, "the Pod never restarts containers")
                .help("use `restartPolicy: NotRequired` so the new size applies without a restart")
                .fix(Fix::unsafe_(
                    "Use `restartPolicy: NotRequired`",
                    vec![Edit::replace(policy.range(), "NotRequired")],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn resize(restart: &str, list: &str) -> String {
        pod(&format!("  restartPolicy: {restart}\n  containers:\n  - name: app\n    image: a\n    resizePolicy:\n{list}"))
    }

    #[test]
    fn resize_policies() {
        let memory_restart = "    - resourceName: memory\n      restartPolicy: RestartContainer\n";
        let init = pod("  initContainers:\n  - name: init\n    image: a\n    resizePolicy:\n    - resourceName: cpu\n      restartPolicy: NotRequired\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::ResizePolicyInvalid::META)
            .pass(resize("Always", memory_restart))
            .fail(resize("Never", memory_restart), &["RestartContainer"])
            .fail(resize("Always", "    - resourceName: CPU\n      restartPolicy: NotRequired\n    - resourceName: cpu\n      restartPolicy: NotRequired\n"), &["CPU"])
            .fail(resize("Always", "    - resourceName: memory\n      restartPolicy: NotRequired\n    - resourceName: memory\n      restartPolicy: RestartContainer\n"), &["memory"])
            .fail(&init, &["resizePolicy"])
            .run();
    }
}
