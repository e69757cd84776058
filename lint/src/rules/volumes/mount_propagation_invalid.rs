use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, one_of, value_fix};

declare_rule! {
    /// ## What it does
    /// Reports a volume mount whose `mountPropagation` is not `None`, `HostToContainer` or
    /// `Bidirectional`; `Bidirectional` in a container that is not `privileged: true`; and a
    /// `recursiveReadOnly: Enabled` or `IfPossible` mount that is not `readOnly: true` or
    /// propagates mounts.
    ///
    /// ## Why it matters in a Pod
    /// Mount propagation is Docker's `-v /host:/ctr:rshared` / `:rslave`: whether mounts made
    /// later under the volume travel between the node and the container. `HostToContainer`
    /// lets the container see new mounts from the node; `Bidirectional` also pushes the
    /// container's mounts out to the node and every Pod sharing the volume, which is why the
    /// API server allows it only in privileged containers (storage drivers and the like).
    /// A recursively read-only mount must be read-only, and cannot receive new mounts.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: agent
    ///   volumeMounts:
    ///   - name: host-mnt
    ///     mountPath: /mnt
    ///     mountPropagation: Bidirectional
    /// ```
    ///
    /// ## How to fix
    /// Use `HostToContainer` when the container only needs to see the node's mounts; keep
    /// `Bidirectional` only for a container that must be `privileged: true`. Add
    /// `readOnly: true` to a `recursiveReadOnly` mount and leave its propagation at `None`.
    pub struct MountPropagationInvalid {
        name: "mount-propagation-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A volumeMount's mountPropagation or recursiveReadOnly is invalid for the container",
        owns: [("VolumeMount", "mountPropagation")],
    }
}

const MODES: &[&str] = &["None", "HostToContainer", "Bidirectional"];

/// Docker's bind-propagation options and the Kubernetes mode that means the same.
const DOCKER: &[(&str, &str)] = &[
    ("private", "None"),
    ("rprivate", "None"),
    ("slave", "HostToContainer"),
    ("rslave", "HostToContainer"),
    ("shared", "Bidirectional"),
    ("rshared", "Bidirectional"),
];

impl PodRule for MountPropagationInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let who = container.who();
            // `privileged` exists only in the container's own securityContext.
            let privileged = container
                .node
                .at(&["securityContext", "privileged"])
                .and_then(|p| p.as_bool())
                == Some(true);
            for mount in container.volume_mounts() {
                let volume = mount.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let propagation = mount.entry("mountPropagation");
                let mode = propagation.and_then(|(_, v)| v.as_string());
                if let (Some((key, value)), Some(mode)) = (propagation, mode) {
                    let range = key.range().cover(value.range());
                    if !MODES.contains(&mode) {
                        let docker = DOCKER.iter().find(|(d, _)| *d == mode).map(|(_, k)| *k);
                        let near = docker
                            .map(|to| (to, false))
                            .or_else(|| closest_value(mode, MODES));
                        let message = match docker {
                            Some(to) => format!("{who} mounts volume `{volume}` with `mountPropagation: {mode}`, Docker's name for what Kubernetes calls `{to}`"),
                            None => format!("{who} mounts volume `{volume}` with `mountPropagation: {mode}`, which is not a propagation mode"),
                        };
                        let source = cx.source;
                        let d = cx.report(value.range(), message);
                        d.help(format!(
                            "`mountPropagation` is one of {} (case-sensitive)",
                            one_of(MODES)
                        ));
                        if let Some((to, case_only)) = near {
                            d.fix(value_fix(source, value, to, case_only));
                        }
                    } else if mode == "Bidirectional" && !privileged {
                        cx.report(
                            range,
                            format!("{who} mounts volume `{volume}` with `Bidirectional` propagation but is not privileged; its mounts would reach the node, so the API server allows this only with `privileged: true`"),
                        )
                        .help("use `mountPropagation: HostToContainer` if the container only needs to see mounts made on the node; keep `Bidirectional` only for a privileged storage or node agent");
                    }
                }
                let Some((rro_key, rro)) = mount.entry("recursiveReadOnly") else {
                    continue;
                };
                let Some(rro_mode) = rro
                    .as_string()
                    .filter(|m| matches!(*m, "Enabled" | "IfPossible"))
                else {
                    continue;
                };
                let rro_range = rro_key.range().cover(rro.range());
                let read_only = mount.get("readOnly").and_then(|r| r.as_bool()) == Some(true);
                if !read_only {
                    cx.report(
                        rro_range,
                        format!("{who} mounts volume `{volume}` with `recursiveReadOnly: {rro_mode}` but not `readOnly: true`; only a read-only mount can be made read-only recursively"),
                    )
                    .help("add `readOnly: true` to this mount, or remove `recursiveReadOnly`");
                }
                if mode.is_some_and(|m| m != "None") {
                    let (key, value) = propagation.expect("a mode was read from it");
                    cx.report(
                        rro_range,
                        format!("{who} mounts volume `{volume}` with `recursiveReadOnly: {rro_mode}` and `mountPropagation: {}`; a recursively read-only mount cannot receive new mounts", mode.unwrap_or_default()),
                    )
                    .label(key.range().cover(value.range()), "propagation set here")
                    .help("remove `mountPropagation` (it defaults to `None`) or remove `recursiveReadOnly`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn mount(security: &str, fields: &str) -> String {
        pod(&format!("  containers:\n  - name: agent\n    image: a\n{security}    volumeMounts:\n    - name: mnt\n      mountPath: /mnt\n{fields}  volumes:\n  - name: mnt\n    hostPath:\n      path: /mnt\n"))
    }

    #[test]
    fn propagation_modes_and_privilege() {
        let privileged = "    securityContext:\n      privileged: true\n";
        RuleTest::new(&super::MountPropagationInvalid::META).pass(mount("", "      mountPropagation: HostToContainer\n")).pass(mount(privileged, "      mountPropagation: Bidirectional\n")).pass(mount("", "      readOnly: true\n      recursiveReadOnly: Enabled\n")).fail(mount("", "      mountPropagation: Bidirectional\n"), &["mountPropagation: Bidirectional"]).fail(mount("", "      mountPropagation: rshared\n"), &["rshared"]).fail(mount("", "      recursiveReadOnly: IfPossible\n"), &["recursiveReadOnly: IfPossible"]).fail(mount(
                        "",
                        "      readOnly: true\n      recursiveReadOnly: Enabled\n      mountPropagation: HostToContainer\n",
                    ), &["recursiveReadOnly: Enabled"]).run();
    }
}
