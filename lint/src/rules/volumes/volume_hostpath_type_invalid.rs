use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, one_of, value_fix};

declare_rule! {
    /// ## What it does
    /// Reports a `hostPath` volume whose `type` is not one the API server knows: `""`,
    /// `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, `CharDevice` or
    /// `BlockDevice` (case-sensitive).
    ///
    /// ## Why it matters in a Pod
    /// A `hostPath` volume is Docker's `-v /host/dir:/container/dir`: a directory or file of
    /// the node the Pod lands on. `type` says what must already be there before the
    /// containers start (`Directory`, `Socket`, …) or what the kubelet may create
    /// (`DirectoryOrCreate`). Any other value is rejected with the whole Pod.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: logs
    ///   hostPath:
    ///     path: /var/log
    ///     type: directory
    /// ```
    ///
    /// ## How to fix
    /// Use one of the listed values with its exact case, or leave `type` out to mount whatever
    /// is at the path without checking it.
    pub struct VolumeHostpathTypeInvalid {
        name: "volume-hostpath-type-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A hostPath volume's `type` is not a known hostPath type",
        owns: [("HostPathVolumeSource", "type")],
    }
}

const TYPES: &[&str] = &[
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
];

impl PodRule for VolumeHostpathTypeInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for volume in pod.volumes() {
            let Some(value) = volume.at(&["hostPath", "type"]) else {
                continue;
            };
            // A number or a list is schema-type-mismatch's; null is unset.
            let Some(text) = value.as_string() else {
                continue;
            };
            if TYPES.contains(&text) {
                continue;
            }
            let who = match volume.get("name").and_then(|n| n.as_str()) {
                Some(name) => format!("hostPath volume `{name}`"),
                None => "this hostPath volume".to_string(),
            };
            let near = closest_value(text, TYPES);
            let message = match near {
                Some((to, _)) => format!(
                    "{who} has `type: {text}`, which is not a hostPath type; did you mean `{to}`?"
                ),
                None => format!("{who} has `type: {text}`, which is not a hostPath type"),
            };
            let source = cx.source;
            let d = cx.report(value.range(), message);
            d.help(format!(
                "`type` is one of {} (case-sensitive): `Directory` or `File` must already exist on the node, the `…OrCreate` forms are created when missing; leave it out to skip the check",
                one_of(TYPES)
            ));
            if let Some((to, case_only)) = near {
                d.fix(value_fix(source, value, to, case_only));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn host_path(kind: &str) -> String {
        pod(&format!("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log\n      type: {kind}\n"))
    }

    #[test]
    fn hostpath_types_are_case_sensitive() {
        RuleTest::new(&super::VolumeHostpathTypeInvalid::META)
            .pass(host_path("Directory"))
            .pass(host_path("\"\""))
            .pass(host_path(""))
            .fail(host_path("directory"), &["directory"])
            .fail(host_path("Folder"), &["Folder"])
            .run();
    }
}
