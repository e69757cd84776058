use std::collections::HashMap;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{check_item_path, check_mode, mount_paths};
use crate::syntax::NodeRef;
use crate::text::{size, TextRange};
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks a `projected` volume the way the API server does: each `sources` entry holds
    /// exactly one kind (`secret`, `configMap`, `downwardAPI`, `serviceAccountToken`,
    /// `clusterTrustBundle`); no two entries write the same file `path`; a
    /// `serviceAccountToken` lives between 10 minutes (`expirationSeconds: 600`) and 2^32
    /// seconds; file modes stay within 0–0777 and item paths inside the volume; a projected
    /// `secret` or `configMap` names its object.
    ///
    /// ## Why it matters in a Pod
    /// A projected volume merges several sources into one directory, so a container sees a
    /// Secret's keys, a ConfigMap's keys and a token side by side under one `mountPath`. A
    /// `sources` entry that holds two kinds, or two files with the same path, leaves the
    /// directory ambiguous, and the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    /// - name: app-config
    ///   projected:
    ///     sources:
    ///     - secret:
    ///         name: db-credentials
    ///       configMap:
    ///         name: my-app-config
    /// ```
    ///
    /// ## How to fix
    /// Give each source its own `- ` entry, give every projected file its own `path`, and
    /// keep token lifetimes at 600 seconds or more.
    pub struct ProjectedVolumeInvalid {
        name: "projected-volume-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A projected volume mixes kinds in one source, repeats a path or sets a bad token lifetime",
    }
}

/// The kinds one `sources` entry may hold.
const KINDS: &[&str] = &[
    "secret",
    "configMap",
    "downwardAPI",
    "serviceAccountToken",
    "clusterTrustBundle",
    "podCertificate",
];

const MIN_TOKEN_SECONDS: i64 = 600;
const MAX_TOKEN_SECONDS: i64 = 1 << 32;

impl PodRule for ProjectedVolumeInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for volume in pod.volumes() {
            let Some(projected) = volume.get("projected").filter(|p| p.is_mapping()) else {
                continue;
            };
            let name = volume.get("name").and_then(|n| n.as_str());
            let who = match name {
                Some(name) => format!("projected volume `{name}`"),
                None => "this projected volume".to_string(),
            };
            let mounted_at = mount_paths(pod, name);
            check_mode(cx, projected, "defaultMode", &who);
            let mut paths: HashMap<&str, TextRange> = HashMap::new();
            for source in projected.get("sources").into_iter().flat_map(|s| s.items()) {
                check_one_kind(cx, source, &who);
                for (kind, body) in source.entries() {
                    let Some(kind) = kind.as_str() else { continue };
                    if !body.is_mapping() {
                        continue;
                    }
                    let kind_who = format!("{who}, its `{kind}` source,");
                    match kind {
                        "secret" | "configMap" | "downwardAPI" => {
                            if kind != "downwardAPI" {
                                check_object_name(cx, source, kind, body, &who);
                            }
                            for item in body.get("items").into_iter().flat_map(|l| l.items()) {
                                check_mode(cx, item, "mode", &kind_who);
                                check_item_path(cx, item, &kind_who, &mounted_at);
                                check_duplicate(cx, &mut paths, item, &who);
                            }
                        }
                        "serviceAccountToken" => {
                            check_token_lifetime(cx, body, &who);
                            check_item_path(cx, body, &kind_who, &mounted_at);
                        }
                        "clusterTrustBundle" => {
                            check_item_path(cx, body, &kind_who, &mounted_at);
                            check_duplicate(cx, &mut paths, body, &who);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// One kind per `sources` entry; the fix starts a new `- ` entry at each extra kind.
fn check_one_kind(cx: &mut Context<'_>, source: NodeRef<'_, '_>, who: &str) {
    let kinds: Vec<(NodeRef, &str)> = source
        .entries()
        .filter_map(|(k, _)| Some((k, k.as_str()?)))
        .filter(|(_, k)| KINDS.contains(k))
        .collect();
    let Some(((_, first), extra)) = kinds.split_first() else {
        return;
    };
    for (key, kind) in extra {
        let start = usize::from(key.range().start());
        let line_start = cx.source[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &cx.source[line_start..start];
        let d = cx.report(
            key.range(),
            format!("{who} has `{first}` and `{kind}` in one `sources` entry; each entry projects exactly one source"),
        );
        d.help(format!(
            "start a new list item for it: `- {kind}:` at the same level as `- {first}:`"
        ));
        if indent.len() >= 2 && indent.bytes().all(|b| b == b' ') {
            d.fix(Fix::safe(
                format!("Move `{kind}` into its own `sources` entry"),
                vec![Edit::replace(
                    TextRange::new(size(start - 2), size(start)),
                    "- ",
                )],
            ));
        }
    }
}

/// A projected `secret` or `configMap` must name its object.
fn check_object_name(
    cx: &mut Context<'_>,
    source: NodeRef<'_, '_>,
    kind: &str,
    body: NodeRef<'_, '_>,
    who: &str,
) {
    let named = body
        .get("name")
        .and_then(|n| n.as_str())
        .is_some_and(|n| !n.is_empty());
    if named {
        return;
    }
    let anchor = source
        .entry(kind)
        .map_or(body.range(), |(key, _)| key.range());
    let object = if kind == "secret" {
        "Secret"
    } else {
        "ConfigMap"
    };
    cx.report(
        anchor,
        format!("{who} projects a `{kind}` without `name`; the API server needs to know which {object} to read"),
    )
    .help(format!("add `name:` with the {object}'s name under `{kind}`"));
}

/// Two files of one projected volume may not share a path.
fn check_duplicate<'d>(
    cx: &mut Context<'_>,
    paths: &mut HashMap<&'d str, TextRange>,
    item: NodeRef<'d, '_>,
    who: &str,
) {
    let Some(value) = item.get("path") else {
        return;
    };
    let Some(path) = value.as_str().filter(|p| !p.is_empty()) else {
        return;
    };
    match paths.get(path) {
        Some(first) => {
            cx.report(
                value.range(),
                format!("{who} projects two files to `{path}`; the second would overwrite the first, so the API server rejects the volume"),
            )
            .label(*first, "first projected here")
            .help("give each projected file its own `path`");
        }
        None => {
            paths.insert(path, value.range());
        }
    }
}

fn check_token_lifetime(cx: &mut Context<'_>, token: NodeRef<'_, '_>, who: &str) {
    let Some((key, value)) = token.entry("expirationSeconds") else {
        return;
    };
    let Some(seconds) = value.as_i64() else {
        return;
    };
    let range = key.range().cover(value.range());
    if seconds < MIN_TOKEN_SECONDS {
        cx.report(
            range,
            format!("{who} asks for a service account token that lives {seconds} seconds; the API server requires at least 600 (10 minutes)"),
        )
        .help("use `expirationSeconds: 600` or more; the kubelet refreshes the token file before it expires, so the app only has to re-read it")
        .fix(Fix::unsafe_(
            "Use the shortest allowed lifetime, 600 seconds",
            vec![Edit::replace(value.range(), "600")],
        ));
    } else if seconds > MAX_TOKEN_SECONDS {
        cx.report(
            range,
            format!("{who} asks for a service account token that lives {seconds} seconds, more than the 2^32 seconds the API server allows"),
        )
        .help("use a lifetime of hours, e.g. `expirationSeconds: 3600` (the default); long-lived tokens are what projected tokens exist to avoid");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn projected(sources: &str) -> String {
        pod(&format!("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: all\n    projected:\n      sources:\n{sources}"))
    }

    #[test]
    fn one_kind_per_entry_unique_paths_and_token_lifetimes() {
        let good = projected("      - secret:\n          name: s\n          items:\n          - key: user\n            path: user\n      - configMap:\n          name: c\n          items:\n          - key: app\n            path: app.yaml\n      - serviceAccountToken:\n          path: token\n          expirationSeconds: 3600\n");
        let two_kinds = projected(
            "      - secret:\n          name: s\n        configMap:\n          name: c\n",
        );
        let duplicate = projected("      - secret:\n          name: s\n          items:\n          - key: a\n            path: conf\n      - configMap:\n          name: c\n          items:\n          - key: b\n            path: conf\n");
        let short = projected("      - serviceAccountToken:\n          path: token\n          expirationSeconds: 60\n");
        let unnamed = projected(
            "      - configMap:\n          items:\n          - key: a\n            path: a\n",
        );
        RuleTest::new(&super::ProjectedVolumeInvalid::META)
            .pass(&good)
            .fail(&two_kinds, &["configMap"])
            .fail(&duplicate, &["conf"])
            .fail(&short, &["expirationSeconds: 60"])
            .fail(&unnamed, &["configMap"])
            .run();
    }
}
