use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports a volume with no source (`emptyDir`, `configMap`, `secret`,
    /// `persistentVolumeClaim`, `hostPath`, `projected`, …) or with more than one. Keys the
    /// API does not know are not sources; a source written with no value (`emptyDir:`) is
    /// null, which the API reads as absent.
    ///
    /// ## Why it matters in a Pod
    /// A volume is a name for one piece of storage the Pod's containers can mount: a scratch
    /// directory, a ConfigMap, a claim on a disk. With no source there is nothing to mount;
    /// with two, the API cannot tell which one is meant. Either way it rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: cache
    ///   emptyDir:
    /// - name: config
    ///   configMap:
    ///     name: app-config
    ///   secret:
    ///     secretName: app-secrets
    /// ```
    ///
    /// ## How to fix
    /// Give each volume exactly one source: `emptyDir: {}` for scratch space shared by the
    /// containers. To put a ConfigMap and a Secret in one directory, use a `projected`
    /// volume with both under `sources`. The fix writes `{}` after a bare `emptyDir:` and
    /// corrects the case of a misspelt source key.
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
            let who = match volume.get("name").and_then(|n| n.as_str()) {
                Some(name) => format!("volume `{name}`"),
                None => "this volume".to_string(),
            };
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
    who: &str,
    keys: &[(NodeRef, NodeRef)],
    volume_type: crate::schema::TypeRef,
    cx: &mut Context<'_>,
) {
    let source = cx.source;
    // A source written with no value: `emptyDir:` is the common one, and `{}` completes it.
    if let Some((key, value)) = keys.first() {
        let name = key.as_str().unwrap_or_default();
        let d = cx.report(
            key.range().cover(value.range()),
            format!("{who} has `{name}:` with no value; the API reads it as absent, so the volume has no source"),
        );
        if name == "emptyDir" {
            d.help("write `emptyDir: {}` for an empty directory shared by the Pod's containers")
                .fix(Fix::safe(
                    "Write `emptyDir: {}`",
                    vec![fill(*key, *value, source)],
                ));
        } else {
            d.help(format!(
                "fill in `{name}`'s fields, or use `emptyDir: {{}}` for an empty scratch directory"
            ));
        }
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
    let d = cx.report(
        anchor,
        format!(
            "{who} has no source: nothing says what storage it is, so there is nothing to mount"
        ),
    );
    match misspelt {
        Some((key, source)) => {
            d.label(
                key.range(),
                format!("not a volume source; keys are case-sensitive: `{source}`"),
            )
            .help(format!("write `{source}`"))
            .fix(Fix::safe(
                format!("Write `{source}`"),
                vec![Edit::replace(key.range(), source)],
            ));
        }
        None => {
            d.help("add one source, e.g. `emptyDir: {}` for scratch space the containers share, `configMap:` with `name:` for configuration files, or `persistentVolumeClaim:` with `claimName:` for a disk");
        }
    }
}

/// The edit that turns `key:` (null) into `key: {}`.
fn fill(key: NodeRef<'_, '_>, value: NodeRef<'_, '_>, source: &str) -> Edit {
    if !source[value.range()].is_empty() {
        return Edit::replace(value.range(), "{}");
    }
    let after_key = usize::from(key.range().end());
    let colon = source[after_key..]
        .find(':')
        .map_or(after_key, |i| after_key + i + 1);
    Edit::insert(crate::text::size(colon), " {}")
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_volume_has_exactly_one_source() {
        let ok = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: cache\n    emptyDir: {}\n  - name: config\n    configMap:\n      name: c\n    extra: 1\n");
        let none = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: cache\n  - name: scratch\n    emptyDir:\n  - name: tmp\n    emptydir: {}\n");
        let two = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: config\n    configMap:\n      name: c\n    secret:\n      secretName: s\n");
        RuleTest::new(&super::VolumeSourceCount::META)
            .pass(&ok)
            .fail(&none, &["name: cache", "emptyDir", "name: tmp"])
            .fail(&two, &["secret"])
            .run();
    }

    #[test]
    fn fixes_make_the_volume_valid() {
        let yaml = pod("  containers:\n  - name: a\n    image: a\n  volumes:\n  - name: scratch\n    emptyDir:\n  - name: tmp\n    emptydir: {}\n  - name: c\n    emptyDir: ~\n");
        let settings = crate::Settings::only(&["volume-source-count"]);
        let (fixed, applied) = crate::fix::apply(&yaml, &crate::lint(&yaml, &settings), false);
        assert_eq!(applied, 3);
        assert!(crate::lint(&fixed, &settings).is_empty(), "{fixed}");
        assert!(
            fixed.contains("    emptyDir: {}\n  - name: tmp\n    emptyDir: {}\n"),
            "{fixed}"
        );
    }
}
