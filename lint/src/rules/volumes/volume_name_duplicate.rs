use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a volume name declared twice in a Pod's `volumes`.
    ///
    /// ## Why it matters in a Pod
    /// Volumes belong to the Pod and every container mounts them by name (`volumeMounts`
    /// with `name: logs`). Two volumes called `logs` would leave a mount not knowing which
    /// storage it gets, so the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: config
    ///   configMap:
    ///     name: app-config
    /// - name: config
    ///   emptyDir: {}
    /// ```
    ///
    /// ## How to fix
    /// Rename one of them (`cache` for the `emptyDir`) and point the mounts that need it at
    /// the new name, or remove the one that is a leftover.
    pub struct VolumeNameDuplicate {
        name: "volume-name-duplicate",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "Two volumes of one Pod have the same name",
    }
}

impl PodRule for VolumeNameDuplicate {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut seen: Seen<&str, TextRange> = Seen::new();
        for volume in pod.volumes() {
            let Some(node) = volume.get("name") else {
                continue;
            };
            let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
                continue;
            };
            match seen.get(name) {
                Some(first) => {
                    cx.report(
                        node.range(),
                        format!("the Pod declares volume `{name}` twice; containers mount volumes by name, so each name must be unique"),
                    )
                    .label(*first, "first declared here")
                    .help("rename one of the volumes and update the `volumeMounts` that should use it, or remove the leftover");
                }
                None => {
                    seen.insert(name, node.range());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn volume_names_are_unique() {
        let ok = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: config\n    emptyDir: {}\n  - name: cache\n    emptyDir: {}\n");
        let twice = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: config\n    emptyDir: {}\n  - name: cache\n    emptyDir: {}\n  - name: config\n    configMap:\n      name: c\n");
        RuleTest::new(&super::VolumeNameDuplicate::META)
            .pass(&ok)
            .fail(&twice, &["config"])
            .run();
    }
}
