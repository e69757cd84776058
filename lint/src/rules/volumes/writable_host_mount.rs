use std::collections::HashMap;

use crate::k8s::security::{host_path_volumes, normalise_host_path};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::insert_entry;
use crate::Fix;

declare_rule! {
    /// ## What it does
    /// Reports a `volumeMounts` entry of a `hostPath` volume without `readOnly: true`.
    ///
    /// ## Why it matters in a Pod
    /// A writable host directory lets the container change files on the node, with its own
    /// UID — root, for most images. Whatever it writes outlives the Pod and is seen by the node
    /// and by every other Pod that mounts the same path. Docker's equivalent is the difference
    /// between `-v /host:/dir` and `-v /host:/dir:ro`.
    ///
    /// Off by default: log collectors and node agents legitimately write there.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   volumeMounts:
    ///   - name: host-logs
    ///     mountPath: /var/log/host
    /// volumes:
    /// - name: host-logs
    ///   hostPath:
    ///     path: /var/log
    /// ```
    ///
    /// ## How to fix
    /// Add `readOnly: true` to the mount. The fix does (unsafe: a process that writes there
    /// then fails).
    pub struct WritableHostMount {
        name: "writable-host-mount",
        category: Security,
        hook: Pod,
        fix: Sometimes,
        summary: "A hostPath volume is mounted writable",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for WritableHostMount {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        let host_paths: HashMap<&str, String> = host_path_volumes(pod)
            .filter_map(|(_, name, path)| {
                Some((
                    name?,
                    normalise_host_path(path.as_str().unwrap_or_default()),
                ))
            })
            .collect();
        for container in pod.containers() {
            for mount in container.volume_mounts() {
                let Some((key, value)) = mount.entry("name") else {
                    continue;
                };
                let Some(host) = value.as_str().and_then(|n| host_paths.get(n)) else {
                    continue;
                };
                let read_only = mount.get("readOnly").and_then(|r| r.as_bool()) == Some(true);
                if read_only {
                    continue;
                }
                let name = value.as_str().unwrap_or_default();
                let d = cx
                    .report(
                        key.range().cover(value.range()),
                        format!("{} mounts the node's directory `{host}` (volume `{name}`) writable: what it writes lands on the node and outlives the Pod", container.describe()),
                    )
                    .help("add `readOnly: true` to the mount, like `-v /host:/dir:ro` in Docker");
                let explicit_false = mount.entry("readOnly");
                let fix = match explicit_false {
                    Some((_, v)) => Some(crate::Edit::replace(v.range(), "true")),
                    None => insert_entry(source, mount, "readOnly", "true"),
                };
                if let Some(edit) = fix {
                    d.fix(Fix::unsafe_("Mount it `readOnly: true`", vec![edit]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn writable_host_mounts_are_flagged() {
        let ro = pod("  containers:\n  - name: app\n    image: a\n    volumeMounts:\n    - name: h\n      mountPath: /h\n      readOnly: true\n  volumes:\n  - name: h\n    hostPath:\n      path: /var/log\n");
        let rw = pod("  containers:\n  - name: app\n    image: a\n    volumeMounts:\n    - name: h\n      mountPath: /h\n    - name: e\n      mountPath: /e\n  volumes:\n  - name: h\n    hostPath:\n      path: /var/log\n  - name: e\n    emptyDir: {}\n");
        RuleTest::new(&super::WritableHostMount::META)
            .pass(&ro)
            .fail(&rw, &["name: h"])
            .run();
    }
}
