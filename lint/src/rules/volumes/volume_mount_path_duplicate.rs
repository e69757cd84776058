use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `mountPath` used by two `volumeMounts` of one container.
    ///
    /// ## Why it matters in a Pod
    /// A mount puts a volume at a path of the container's filesystem. One directory can
    /// show only one volume, so two mounts at the same path cannot both take effect, and the
    /// API server rejects the Pod. (Different containers may mount at the same path: each
    /// container has its own filesystem.)
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    /// - name: config
    ///   mountPath: /etc/app
    /// - name: secrets
    ///   mountPath: /etc/app
    /// ```
    ///
    /// ## How to fix
    /// Mount the second volume somewhere else (`/etc/app/secrets`), or combine the sources
    /// into one `projected` volume mounted once.
    pub struct VolumeMountPathDuplicate {
        name: "volume-mount-path-duplicate",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "Two volumeMounts of one container use the same mountPath",
    }
}

impl PodRule for VolumeMountPathDuplicate {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let mut seen: Seen<&str, (TextRange, Option<&str>)> = Seen::new();
            for mount in container.volume_mounts() {
                let Some(node) = mount.get("mountPath") else {
                    continue;
                };
                let Some(path) = node.as_str().filter(|p| !p.is_empty()) else {
                    continue;
                };
                let volume = mount.get("name").and_then(|n| n.as_str());
                match seen.get(path) {
                    Some((first, first_volume)) => {
                        let label = match first_volume {
                            Some(v) => format!("volume `{v}` is mounted here first"),
                            None => "first mounted here".to_string(),
                        };
                        cx.report(
                            node.range(),
                            format!(
                                "{} mounts two volumes at `{path}`; a path can show only one volume",
                                container.describe()
                            ),
                        )
                        .label(*first, label)
                        .help("mount this volume at its own path, or combine both into one `projected` volume");
                    }
                    None => {
                        seen.insert(path, (node.range(), volume));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn mount_paths_are_unique_per_container() {
        let ok = pod("  containers:\n  - name: a\n    image: a\n    volumeMounts:\n    - name: logs\n      mountPath: /logs\n  - name: b\n    image: b\n    volumeMounts:\n    - name: logs\n      mountPath: /logs\n  volumes:\n  - name: logs\n    emptyDir: {}\n");
        let twice = pod("  containers:\n  - name: a\n    image: a\n    volumeMounts:\n    - name: config\n      mountPath: /etc/app\n    - name: secrets\n      mountPath: /etc/app\n");
        RuleTest::new(&super::VolumeMountPathDuplicate::META)
            .pass(&ok)
            .fail(&twice, &["/etc/app"])
            .run();
    }
}
