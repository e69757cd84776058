use std::collections::HashMap;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `volumeDevices` entry that names no volume of the pod, names a volume that
    /// is not a PersistentVolumeClaim (`persistentVolumeClaim` or `ephemeral`), repeats a
    /// name or `devicePath` of the same container, or has `..` in its `devicePath`.
    ///
    /// ## Why it matters in a Pod
    /// `volumeDevices` hands a container a raw block device instead of a filesystem — Docker's
    /// `--device /dev/xvda` — for databases that manage their own disk layout. Only a claim for
    /// a `volumeMode: Block` volume can be a device; an `emptyDir` or `configMap` has no disk to
    /// hand over, so the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: db
    ///   volumeDevices:
    ///   - name: data
    ///     devicePath: /dev/xvda
    /// volumes:
    /// - name: data
    ///   emptyDir: {}
    /// ```
    ///
    /// ## How to fix
    /// Back the device with a PersistentVolumeClaim whose `volumeMode` is `Block`, or use
    /// `volumeMounts` to get a filesystem instead. Give each device its own name and path.
    pub struct VolumeDeviceInvalid {
        name: "volume-device-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A volumeDevices entry names no claim-backed volume, repeats itself or has `..`",
    }
}

impl PodRule for VolumeDeviceInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let volumes: HashMap<&str, NodeRef> = pod
            .volumes()
            .filter_map(|v| Some((v.get("name")?.as_str()?, v)))
            .collect();
        for container in pod.containers() {
            let mut devices = container.list("volumeDevices").peekable();
            if devices.peek().is_none() {
                continue;
            }
            let who = container.describe();
            let mut names: HashMap<&str, TextRange> = HashMap::new();
            let mut paths: HashMap<&str, TextRange> = HashMap::new();
            for device in devices {
                if let Some(node) = device.get("name") {
                    if let Some(name) = node.as_str().filter(|n| !n.is_empty()) {
                        check_volume(cx, &who, name, node.range(), volumes.get(name).copied());
                        if let Some(first) = names.insert(name, node.range()) {
                            cx.report(
                                node.range(),
                                format!("{who} lists volume `{name}` twice in `volumeDevices`"),
                            )
                            .label(first, "first listed here")
                            .help("a volume becomes one device; remove the second entry");
                        }
                    }
                }
                let Some(node) = device.get("devicePath") else {
                    continue;
                };
                let Some(path) = node.as_str().filter(|p| !p.is_empty()) else {
                    continue;
                };
                if path.split('/').any(|part| part == "..") {
                    cx.report(
                        node.range(),
                        format!("{who} puts a device at `{path}`, which contains `..`"),
                    )
                    .help("write the device path without `..`, e.g. `/dev/xvda`");
                } else if let Some(first) = paths.insert(path, node.range()) {
                    cx.report(node.range(), format!("{who} puts two devices at `{path}`"))
                        .label(first, "first device here")
                        .help("give each device its own path, e.g. `/dev/xvdb`");
                }
            }
        }
    }
}

fn check_volume(
    cx: &mut Context<'_>,
    who: &str,
    name: &str,
    range: TextRange,
    volume: Option<NodeRef<'_, '_>>,
) {
    match volume {
        None => {
            cx.report(
                range,
                format!("{who} uses volume `{name}` as a block device, but the Pod declares no volume of that name"),
            )
            .help(format!("declare `{name}` under `spec.volumes` with `persistentVolumeClaim: {{claimName: …}}` for a claim with `volumeMode: Block`"));
        }
        Some(volume) => {
            let claim_backed =
                volume.get("persistentVolumeClaim").is_some() || volume.get("ephemeral").is_some();
            if claim_backed {
                return;
            }
            let kind = volume
                .entries()
                .filter_map(|(k, _)| k.as_str())
                .find(|k| *k != "name")
                .unwrap_or("no source");
            cx.report(
                range,
                format!("{who} uses volume `{name}` as a block device, but its source is `{kind}`; only a PersistentVolumeClaim can provide a raw device"),
            )
            .help("mount it with `volumeMounts` to get its files, or back the device with a claim whose `volumeMode` is `Block`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn devices(list: &str, volume: &str) -> String {
        pod(&format!("  containers:\n  - name: db\n    image: a\n    volumeDevices:\n{list}  volumes:\n  - name: data\n{volume}"))
    }

    #[test]
    fn devices_need_claims_and_unique_paths() {
        let claim = "    persistentVolumeClaim:\n      claimName: db-data\n";
        let one = "    - name: data\n      devicePath: /dev/xvda\n";
        RuleTest::new(&super::VolumeDeviceInvalid::META).pass(devices(one, claim)).fail(devices(one, "    emptyDir: {}\n"), &["data"]).fail(devices("    - name: disk\n      devicePath: /dev/xvda\n", claim), &["disk"]).fail(devices(
                        "    - name: data\n      devicePath: /dev/../xvda\n",
                        claim,
                    ), &["/dev/../xvda"]).fail(devices(
                        "    - name: data\n      devicePath: /dev/xvda\n    - name: data\n      devicePath: /dev/xvda\n",
                        claim,
                    ), &["data", "/dev/xvda"]).run();
    }
}
