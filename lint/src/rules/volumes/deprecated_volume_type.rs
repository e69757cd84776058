use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::volume_who;

declare_rule! {
    /// ## What it does
    /// Reports a volume of a deprecated type: `gitRepo`, or one of the in-tree storage
    /// drivers Kubernetes removed (`photonPersistentDisk`, `scaleIO`, `flocker`, `storageOS`,
    /// `quobyte`, `glusterfs`, `cephfs`, `rbd`). The API server accepts them with a warning.
    ///
    /// ## Why it matters in a Pod
    /// The removed drivers no longer exist in the kubelet: the Pod is accepted, then sits in
    /// `ContainerCreating` because its volume can never be mounted. `gitRepo` still works on
    /// some clusters, but it runs `git` on the node as root with the repository URL you give
    /// it, and newer clusters turn it off.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: site
    ///   gitRepo:
    ///     repository: https://github.com/example/site.git
    /// ```
    ///
    /// ## How to fix
    /// For `gitRepo`, clone in an init container into an `emptyDir` the app container also
    /// mounts. For the storage drivers, use a PersistentVolumeClaim backed by the storage's
    /// CSI driver.
    pub struct DeprecatedVolumeType {
        name: "deprecated-volume-type",
        category: ApiWarns,
        hook: Pod,
        fix: Never,
        summary: "A volume uses a deprecated or removed volume type",
    }
}

/// The deprecated volume types and when they were deprecated and stopped working, as the API
/// server's warnings say.
const DEPRECATED: &[(&str, &str)] = &[
    ("gitRepo", "deprecated since v1.11"),
    (
        "photonPersistentDisk",
        "deprecated in v1.11 and non-functional since v1.16",
    ),
    (
        "scaleIO",
        "deprecated in v1.16 and non-functional since v1.22",
    ),
    (
        "flocker",
        "deprecated in v1.22 and non-functional since v1.25",
    ),
    (
        "storageos",
        "deprecated in v1.22 and non-functional since v1.25",
    ),
    (
        "quobyte",
        "deprecated in v1.22 and non-functional since v1.25",
    ),
    (
        "glusterfs",
        "deprecated in v1.25 and non-functional since v1.26",
    ),
    (
        "cephfs",
        "deprecated in v1.28 and non-functional since v1.31",
    ),
    ("rbd", "deprecated in v1.28 and non-functional since v1.31"),
];

impl PodRule for DeprecatedVolumeType {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for volume in pod.volumes() {
            let who = volume_who(volume.get("name").and_then(|n| n.as_str()));
            for (key, _) in volume.entries() {
                let Some(kind) = key.as_str() else { continue };
                let Some((_, when)) = DEPRECATED.iter().find(|(k, _)| *k == kind) else {
                    continue;
                };
                let help = if kind == "gitRepo" {
                    "clone the repository in an init container (`git clone … /work`) into an `emptyDir` volume that the app container mounts too"
                } else {
                    "use a PersistentVolumeClaim; the storage's CSI driver provides the volume"
                };
                let effect = if kind == "gitRepo" {
                    "it runs `git` on the node itself, and newer clusters switch it off"
                } else {
                    "the kubelet no longer has its driver, so the volume never mounts and the Pod stays in `ContainerCreating`"
                };
                cx.report(
                    key.range(),
                    format!("{who} uses the `{kind}` volume type, {when}: {effect}"),
                )
                .help(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn deprecated_types_are_flagged_at_their_key() {
        let git = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: site\n    gitRepo:\n      repository: https://example.com/site.git\n  - name: data\n    rbd:\n      image: data\n      monitors: [10.0.0.1]\n");
        let fine = pod("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: site\n    emptyDir: {}\n");
        RuleTest::new(&super::DeprecatedVolumeType::META)
            .pass(&fine)
            .fail(&git, &["gitRepo", "rbd"])
            .run();
    }
}
