use std::fmt::Display;

use crate::diagnostic::lazy;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{check_item_path, check_mode, mount_paths, volume_who};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks the fields inside a volume's source that the API server validates: file modes
    /// (`defaultMode`, `items[].mode`) within 0–0777, `items[].path` relative and inside the
    /// volume, a `hostPath.path` without `..`, and an `nfs` volume with a server and an
    /// absolute export path. (Missing required fields such as `secretName` belong to
    /// `required-field-missing`; `projected` volumes to `projected-volume-invalid`.)
    ///
    /// ## Why it matters in a Pod
    /// A volume is declared once for the whole Pod and every container that mounts it sees
    /// the same files. `configMap` and `secret` volumes turn keys into files: `items` picks
    /// the keys and names the files, and the modes are Unix permissions like `chmod`'s — octal.
    /// YAML reads `644` as the decimal number 644, which is no valid mode, so the API server
    /// rejects the Pod; `0644` is what `chmod 644` means.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: config
    ///   configMap:
    ///     name: my-app-config
    ///     defaultMode: 644
    ///     items:
    ///     - key: app.yaml
    ///       path: /etc/my-app/app.yaml
    /// ```
    ///
    /// ## How to fix
    /// Write modes in octal with a leading zero (`0644`, `0400`) and item paths relative to
    /// the volume (`app.yaml`): the container's `mountPath` decides where the files appear.
    pub struct VolumeSourceFieldsInvalid {
        name: "volume-source-fields-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A volume source has an invalid file mode, item path, hostPath or NFS path",
    }
}

impl PodRule for VolumeSourceFieldsInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for volume in pod.volumes().filter(|v| v.is_mapping()) {
            let name = volume.get("name").and_then(|n| n.as_str());
            let mounted_at = mount_paths(pod, name);
            let who = volume_who(name);
            for source in ["secret", "configMap", "downwardAPI"] {
                let Some(body) = volume.get(source).filter(|b| b.is_mapping()) else {
                    continue;
                };
                check_mode(cx, body, "defaultMode", &who);
                for item in body.get("items").into_iter().flat_map(|l| l.items()) {
                    let item_who = item_name(item, &who);
                    check_mode(cx, item, "mode", &item_who);
                    check_item_path(cx, item, &item_who, &mounted_at);
                }
            }
            if let Some(path) = volume.at(&["hostPath", "path"]) {
                check_host_path(cx, path, &who);
            }
            if let Some(nfs) = volume.get("nfs").filter(|n| n.is_mapping()) {
                check_nfs(cx, volume, nfs, &who);
            }
        }
    }
}

/// "volume `config`, item `app.yaml`".
fn item_name<'a>(item: NodeRef<'a, '_>, volume: &'a dyn Display) -> impl Display + 'a {
    let key = item
        .get("key")
        .or_else(|| item.get("path"))
        .and_then(|k| k.as_str());
    lazy(move |f| match key {
        Some(key) => write!(f, "{volume}, item `{key}`,"),
        None => write!(f, "{volume}, one of its items,"),
    })
}

fn check_host_path(cx: &mut Context<'_>, path: NodeRef<'_, '_>, who: &dyn Display) {
    let Some(text) = path.as_str() else { return };
    if text.split('/').any(|part| part == "..") {
        cx.report(
            path.range(),
            format!("{who} mounts host path `{text}`, which contains `..`; the API server refuses host paths that step back up the tree"),
        )
        .help("write the node directory as a plain absolute path without `..`, as you would for `docker run -v /srv/data:/data`");
    }
}

fn check_nfs(
    cx: &mut Context<'_>,
    volume: NodeRef<'_, '_>,
    nfs: NodeRef<'_, '_>,
    who: &dyn Display,
) {
    let anchor = volume
        .entry("nfs")
        .map_or(nfs.range(), |(key, _)| key.range());
    for field in ["server", "path"] {
        let empty = nfs
            .get(field)
            .is_none_or(|v| v.as_str().is_none_or(str::is_empty));
        if empty {
            cx.report(
                anchor,
                format!("{who} is an `nfs` volume without `{field}`; the API server requires both `server` and `path`"),
            )
            .help("set `server:` to the NFS server's host name or IP and `path:` to the exported directory, e.g. `path: /exports/data`");
        }
    }
    if let Some(path) = nfs.get("path") {
        if let Some(text) = path
            .as_str()
            .filter(|t| !t.is_empty() && !t.starts_with('/'))
        {
            cx.report(
                path.range(),
                format!("{who} has NFS `path: {text}`, which is not absolute; it names a directory the server exports"),
            )
            .help(format!("write the export as an absolute path, e.g. `path: /{text}`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};

    const RULE: &str = "volume-source-fields-invalid";

    fn volumes(body: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n  volumes:\n{body}"
        ))
    }

    #[test]
    fn modes_paths_and_nfs() {
        let good = volumes("  - name: config\n    configMap:\n      name: c\n      defaultMode: 0644\n      items:\n      - key: app.yaml\n        path: conf/app.yaml\n        mode: 0400\n  - name: n\n    nfs:\n      server: nfs.local\n      path: /exports\n  - name: h\n    hostPath:\n      path: /var/log\n");
        let bad = volumes("  - name: config\n    configMap:\n      name: c\n      defaultMode: 644\n      items:\n      - key: app.yaml\n        path: /etc/app.yaml\n      - key: b\n        path: ..data\n        mode: -1\n  - name: n\n    nfs:\n      server: nfs.local\n      path: exports\n  - name: h\n    hostPath:\n      path: /var/../etc\n");
        RuleTest::new(&super::VolumeSourceFieldsInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "defaultMode: 644",
                    "path: /etc/app.yaml",
                    "path: ..data",
                    "mode: -1",
                    "exports",
                    "/var/../etc",
                ],
            )
            .run();
    }

    #[test]
    fn a_decimal_mode_is_explained_as_octal() {
        let bad =
            volumes("  - name: s\n    secret:\n      secretName: s\n      defaultMode: 600\n");
        let found = findings(RULE, &bad);
        assert!(found[0].1.contains("decimal number 600"), "{found:?}");
    }

    #[test]
    fn nfs_needs_a_server() {
        let bad = volumes("  - name: n\n    nfs:\n      path: /exports\n");
        assert_eq!(findings(RULE, &bad).len(), 1);
    }
}
