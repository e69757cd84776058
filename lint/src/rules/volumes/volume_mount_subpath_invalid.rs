use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::leaves_volume;
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports a volume mount whose `subPath` or `subPathExpr` is absolute or climbs out of
    /// the volume with `..`, and a mount that sets both.
    ///
    /// ## Why it matters in a Pod
    /// `subPath` mounts one directory or file *inside* a volume instead of the whole volume,
    /// so two containers can share one volume and each see only its part (the app writes
    /// `logs/`, the sidecar reads it). The path is relative to the volume's root; an absolute
    /// path or `..` would reach outside it, so the API server rejects the Pod. `subPathExpr`
    /// is the same with `$(VAR)` expanded from the container's environment; a mount uses one
    /// or the other.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    /// - name: shared
    ///   mountPath: /var/log/app
    ///   subPath: /logs
    /// ```
    ///
    /// ## How to fix
    /// Write the sub-path relative to the volume (`subPath: logs`), and keep only one of
    /// `subPath` and `subPathExpr`.
    pub struct VolumeMountSubpathInvalid {
        name: "volume-mount-subpath-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A volumeMount's subPath is absolute, contains `..`, or is set with subPathExpr",
    }
}

impl PodRule for VolumeMountSubpathInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // Ephemeral containers may not use sub-paths at all: ephemeral-containers-forbidden.
        for container in pod
            .containers()
            .filter(|c| c.kind != ContainerKind::Ephemeral)
        {
            let who = container.who();
            for mount in container.volume_mounts() {
                let volume = mount.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                for field in ["subPath", "subPathExpr"] {
                    let Some((key, value)) = mount.entry(field) else {
                        continue;
                    };
                    let Some(path) = value.as_string() else {
                        continue;
                    };
                    let Some(problem) = leaves_volume(path) else {
                        continue;
                    };
                    let d = cx.report(
                        key.range().cover(value.range()),
                        format!("{who} mounts `{path}` of volume `{volume}` as its `{field}`, which {problem}; a sub-path names a directory or file inside the volume"),
                    );
                    d.help(format!("write it relative to the volume's root, e.g. `{field}: logs`; `mountPath` says where it appears in the container"));
                    let relative = path.trim_start_matches('/');
                    if path.starts_with('/')
                        && !relative.is_empty()
                        && leaves_volume(relative).is_none()
                    {
                        d.fix(Fix::unsafe_(
                            format!("Use the relative sub-path `{relative}`"),
                            vec![Edit::replace(value.range(), relative)],
                        ));
                    }
                }
                let both = mount
                    .get("subPath")
                    .and_then(|p| p.as_string())
                    .is_some_and(|p| !p.is_empty())
                    && mount
                        .get("subPathExpr")
                        .and_then(|p| p.as_string())
                        .is_some_and(|p| !p.is_empty());
                if let (true, Some((key, value))) = (both, mount.entry("subPathExpr")) {
                    let first = mount
                        .entry("subPath")
                        .map(|(k, v)| k.range().cover(v.range()));
                    let d = cx.report(
                        key.range().cover(value.range()),
                        format!("{who} sets both `subPath` and `subPathExpr` on its mount of volume `{volume}`; they are mutually exclusive"),
                    );
                    if let Some(first) = first {
                        d.label(first, "`subPath` set here");
                    }
                    d.help("keep `subPathExpr` when the path uses `$(VAR)` from the container's env, else keep `subPath`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn mount(fields: &str) -> String {
        pod(&format!("  containers:\n  - name: app\n    image: a\n    volumeMounts:\n    - name: shared\n      mountPath: /data\n{fields}  volumes:\n  - name: shared\n    emptyDir: {{}}\n"))
    }

    #[test]
    fn sub_paths_stay_inside_the_volume() {
        RuleTest::new(&super::VolumeMountSubpathInvalid::META)
            .pass(mount("      subPath: logs/app\n"))
            .pass(mount("      subPathExpr: $(POD_NAME)\n"))
            .fail(mount("      subPath: /logs\n"), &["subPath: /logs"])
            .fail(mount("      subPath: ../etc\n"), &["subPath: ../etc"])
            .fail(
                mount("      subPath: logs\n      subPathExpr: $(POD_NAME)\n"),
                &["subPathExpr: $(POD_NAME)"],
            )
            .run();
    }
}
