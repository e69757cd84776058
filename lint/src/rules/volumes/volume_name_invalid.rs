use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;
use crate::syntax::NodeRef;
use crate::text::TextRange;
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports a volume with no `name`, or one that is not a DNS label: at most 63
    /// lowercase letters, digits and `-`, starting and ending with a letter or digit.
    ///
    /// ## Why it matters in a Pod
    /// A volume is declared once for the Pod and each container mounts it by this name, so
    /// the name is how storage is shared between containers. The API server rejects the Pod
    /// when a name is missing or malformed.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: web
    ///   volumeMounts:
    ///   - name: Shared_Logs
    ///     mountPath: /var/log/nginx
    /// volumes:
    /// - name: Shared_Logs
    ///   emptyDir: {}
    /// ```
    ///
    /// ## How to fix
    /// Use lowercase letters, digits and `-` (`shared-logs`). The fix renames the volume
    /// together with every `volumeMounts` and `volumeDevices` entry that refers to it.
    pub struct VolumeNameInvalid {
        name: "volume-name-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A volume name is missing or not a DNS label",
    }
}

impl PodRule for VolumeNameInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let declared: Seen<&str, ()> = pod
            .volumes()
            .filter_map(|v| v.get("name")?.as_str())
            .collect();
        let source = cx.source;
        for volume in pod.volumes().filter(|v| v.is_mapping()) {
            let node = volume.get("name").filter(|n| !n.is_null());
            let Some(node) = node else {
                cx.report(
                    volume.head(),
                    "this volume has no `name`; containers mount volumes by name, so every volume needs one",
                )
                .help("add `name:` with a short lowercase name such as `data`, and mount it by that name");
                continue;
            };
            let Some(name) = node.as_str() else { continue };
            let Err(why) = names::dns1123_label(name) else {
                continue;
            };
            let d = cx.report(
                node.range(),
                format!("volume name `{name}` is not a valid DNS label: {why}"),
            );
            d.help("volume names are lowercase letters, digits and `-`, at most 63 characters; containers mount the volume by this name");
            let fixed = names::to_dns1123_label(name).filter(|f| !declared.contains(f.as_str()));
            if let Some(fixed) = fixed {
                let mut edits = vec![Edit::replace(inner(node, source), fixed.clone())];
                for container in pod.containers() {
                    let references = container
                        .volume_mounts()
                        .chain(container.list("volumeDevices"))
                        .filter_map(|m| m.get("name"))
                        .filter(|n| n.as_str() == Some(name));
                    edits
                        .extend(references.map(|n| Edit::replace(inner(n, source), fixed.clone())));
                }
                d.fix(Fix::unsafe_(
                    format!("Rename the volume and its mounts to `{fixed}`"),
                    edits,
                ));
            }
        }
    }
}

/// The range of a scalar's text without its quotes, so a rename keeps the quoting style.
fn inner(node: NodeRef<'_, '_>, source: &str) -> TextRange {
    let range = node.range();
    let text = &source[range];
    let Some(value) = node.as_str() else {
        return range;
    };
    // Only a quoted value with nothing to unescape maps back to the text byte for byte.
    let quote = text.bytes().next().filter(|q| matches!(q, b'"' | b'\''));
    match quote {
        Some(q)
            if text[1..].starts_with(value) && text.as_bytes().get(1 + value.len()) == Some(&q) =>
        {
            let start = usize::from(range.start()) + 1;
            crate::text::range(start, start + value.len())
        }
        _ => range,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn volume_names_are_dns_labels() {
        let ok = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: shared-logs\n    emptyDir: {}\n");
        let bad = pod("  containers:\n  - name: a\n    image: a\n    volumeMounts:\n    - name: Shared_Logs\n      mountPath: /l\n  volumes:\n  - name: Shared_Logs\n    emptyDir: {}\n  - emptyDir: {}\n");
        RuleTest::new(&super::VolumeNameInvalid::META)
            .pass(&ok)
            .fail(&bad, &["Shared_Logs", "emptyDir"])
            .run();
    }

    #[test]
    fn the_fix_renames_mounts_too_and_keeps_quotes() {
        let yaml = pod("  containers:\n  - name: a\n    image: a\n    volumeMounts:\n    - name: \"Data\"\n      mountPath: /d\n  volumes:\n  - name: \"Data\"\n    emptyDir: {}\n");
        let fixed = yaml.replace("\"Data\"", "\"data\"");
        RuleTest::new(&super::VolumeNameInvalid::META)
            .fix(yaml, fixed)
            .run_inline();
    }
}
