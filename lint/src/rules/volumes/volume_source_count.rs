use std::fmt::Display;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::volume_who;
use crate::syntax::NodeRef;
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports a volume with more than one source (`emptyDir`, `configMap`, `secret`,
    /// `persistentVolumeClaim`, `hostPath`, `projected`, …), a source written with no value
    /// (`configMap:`), and a volume whose only source key is misspelt (`emptydir`).
    ///
    /// ## Why it matters in a Pod
    /// A volume is a name for one piece of storage the Pod's containers can mount: a scratch
    /// directory, a ConfigMap, a claim on a disk. With two sources the API server cannot tell
    /// which one is meant and rejects the Pod. With none, it makes the volume an empty
    /// directory (`emptyDir`), a default the API documents as deprecated: so `- name: cache`
    /// alone works, and so does `emptyDir:` with no value. But `configMap:` with no value is
    /// read as absent too, and the container finds an empty directory where it expected its
    /// configuration. A misspelt source key is an unknown field: `kubectl apply` rejects it
    /// (strict validation is its default), other clients drop it and get an empty directory.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: settings
    ///   configMap:
    /// - name: config
    ///   configMap:
    ///     name: app-config
    ///   secret:
    ///     secretName: app-secrets
    /// ```
    ///
    /// ## How to fix
    /// Give each volume one source: fill in `configMap:` with the ConfigMap's `name`. To put a
    /// ConfigMap and a Secret in one directory, use a `projected` volume with both under
    /// `sources`. The fix corrects the case of a misspelt source key.
    pub struct VolumeSourceCount {
        name: "volume-source-count",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A volume has no source type, or more than one",
    }
}

impl PodRule for VolumeSourceCount {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some(volume_type) = crate::schema::type_named("io.k8s.api.core.v1.Volume") else {
            return;
        };
        let is_source = |key: &str| key != "name" && volume_type.field(key).is_some();
        for volume in pod.volumes().filter(|v| v.is_mapping()) {
            let who = volume_who(volume.get("name").and_then(|n| n.as_str()));
            let keys: Vec<(NodeRef, NodeRef)> = volume
                .entries()
                .filter(|(k, _)| k.as_str().is_some_and(is_source))
                .collect();
            let sources: Vec<_> = keys.iter().filter(|(_, v)| !v.is_null()).collect();
            match sources.as_slice() {
                [] => no_source(volume, &who, &keys, volume_type, cx),
                [_] => {}
                [(first, _), rest @ ..] => {
                    let first_name = first.as_str().unwrap_or_default();
                    for (key, _) in rest {
                        let name = key.as_str().unwrap_or_default();
                        cx.report(
                            key.range(),
                            format!("{who} has both `{first_name}` and `{name}`; a volume has exactly one source"),
                        )
                        .label(first.range(), format!("`{first_name}` is its source"))
                        .help("move this source into a volume of its own, or combine ConfigMaps, Secrets and downward API files in one `projected` volume");
                    }
                }
            }
        }
    }
}

fn no_source(
    volume: NodeRef<'_, '_>,
    who: &dyn Display,
    keys: &[(NodeRef, NodeRef)],
    volume_type: crate::schema::TypeRef,
    cx: &mut Context<'_>,
) {
    // A source written with no value is read as absent; with no source at all the API server
    // defaults the volume to `emptyDir`. That is what `emptyDir:` means anyway; for any other
    // source the container gets an empty directory instead of what was named.
    if let Some((key, value)) = keys.iter().find(|(k, _)| k.as_str() != Some("emptyDir")) {
        let name = key.as_str().unwrap_or_default();
        cx.report(
            key.range().cover(value.range()),
            format!("{who} has `{name}:` with no value, which the API reads as absent: with no other source the API server makes it an empty directory (`emptyDir`), so nothing of the `{name}` you meant is mounted"),
        )
        .help(format!(
            "fill in `{name}`'s fields, or write `emptyDir: {{}}` if an empty scratch directory is what you want"
        ));
        return;
    }
    if !keys.is_empty() {
        return;
    }
    let anchor = volume.entry_range("name").unwrap_or_else(|| volume.head());
    // An unknown key that is a source with the wrong case, e.g. `emptydir`.
    let misspelt = volume.entries().find_map(|(key, _)| {
        let written = key.as_str()?;
        let field = volume_type
            .fields()
            .iter()
            .find(|f| f.name != "name" && f.name.eq_ignore_ascii_case(written))?;
        Some((key, field.name))
    });
    // With no source key at all the volume is an `emptyDir`, which the API server defaults:
    // only a misspelt source is a mistake.
    let Some((key, source)) = misspelt else {
        return;
    };
    cx.report(
        anchor,
        format!(
            "{who} has no source the API knows: `kubectl apply` rejects the unknown key (strict validation is its default), and other clients drop it, leaving an empty directory"
        ),
    )
    .label(
        key.range(),
        format!("not a volume source; keys are case-sensitive: `{source}`"),
    )
    .help(format!("write `{source}`"))
    .fix(Fix::safe(
        format!("Write `{source}`"),
        vec![Edit::replace(key.range(), source)],
    ));
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_volume_has_exactly_one_source() {
        let ok = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: cache\n    emptyDir: {}\n  - name: config\n    configMap:\n      name: c\n    extra: 1\n");
        let defaulted = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: cache\n  - name: scratch\n    emptyDir:\n");
        let none = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: settings\n    configMap:\n  - name: tmp\n    emptydir: {}\n");
        let two = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: config\n    configMap:\n      name: c\n    secret:\n      secretName: s\n");
        RuleTest::new(&super::VolumeSourceCount::META)
            .pass(&ok)
            .pass(&defaulted)
            .fail(&none, &["configMap", "name: tmp"])
            .fail(&two, &["secret"])
            .run();
    }

    #[test]
    fn fixes_make_the_volume_valid() {
        let yaml = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: tmp\n    emptydir: {}\n  - name: c\n    emptyDir: ~\n");
        let settings = crate::Settings::only(&["volume-source-count"]);
        let (fixed, applied) = crate::fix::apply(&yaml, &crate::lint(&yaml, &settings), false);
        assert_eq!(applied, 1);
        assert!(crate::lint(&fixed, &settings).is_empty(), "{fixed}");
        assert!(
            fixed.contains("  - name: tmp\n    emptyDir: {}\n"),
            "{fixed}"
        );
    }
}
