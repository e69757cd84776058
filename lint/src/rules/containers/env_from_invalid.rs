use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an `envFrom` entry that names no source, names both a `configMapRef` and a
    /// `secretRef`, or a source without a valid object name.
    ///
    /// ## Why it matters in a Pod
    /// `envFrom` is the Pod's `docker run --env-file`: it turns every key of one ConfigMap or
    /// Secret into an environment variable. Each entry imports exactly one object, and the
    /// API server rejects the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// envFrom:
    /// - configMapRef:
    ///     name: app-config
    ///   secretRef:
    ///     name: app-secrets
    /// - prefix: DB_
    /// ```
    ///
    /// ## How to fix
    /// Give each object its own `- ` entry, and name the ConfigMap or Secret to import.
    pub struct EnvFromInvalid {
        name: "env-from-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "An envFrom entry without exactly one named ConfigMap or Secret",
    }
}

impl PodRule for EnvFromInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let who = container.who();
            for entry in container.list("envFrom").filter(|e| e.is_mapping()) {
                let sources: Vec<_> = ["configMapRef", "secretRef"]
                    .into_iter()
                    .filter_map(|k| entry.entry(k).map(|(key, v)| (k, key, v)))
                    .filter(|(_, _, v)| !v.is_null())
                    .collect();
                match sources.as_slice() {
                    [] => {
                        cx.report(
                            entry.head(),
                            format!("{who} has an `envFrom` entry that imports nothing"),
                        )
                        .help("add `configMapRef: {name: …}` or `secretRef: {name: …}` naming the object whose keys become variables");
                    }
                    [(_, first, _), (_, second, _)] => {
                        cx.report(
                            second.range(),
                            format!("{who} has an `envFrom` entry with both `configMapRef` and `secretRef`"),
                        )
                        .label(first.range(), "the other source")
                        .help("split it into two `envFrom` entries, one per object");
                    }
                    [(kind, key, body)] => {
                        let object = if *kind == "secretRef" {
                            "Secret"
                        } else {
                            "ConfigMap"
                        };
                        match body.get("name").map(|n| (n, n.as_str())) {
                            Some((node, Some(name))) => {
                                // A trailing `-` passes: the API checks these names as prefixes.
                                let checked = format!("{name}a");
                                if let Err(why) = names::dns1123_subdomain(if name.is_empty() {
                                    name
                                } else {
                                    &checked
                                }) {
                                    cx.report(
                                        node.range(),
                                        format!("{who} imports {object} `{name}`, which is not a valid object name: {why}"),
                                    )
                                    .help(format!("use the {object}'s `metadata.name`"));
                                }
                            }
                            Some(_) => {}
                            None if body.is_mapping() => {
                                cx.report(
                                    key.range(),
                                    format!("{who} has an `envFrom` `{kind}` without a `name`"),
                                )
                                .help(format!("add `name:` with the {object}'s `metadata.name`"));
                            }
                            None => {}
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn each_entry_imports_one_named_object() {
        let good = pod("  containers:\n  - name: app\n    image: a\n    envFrom:\n    - configMapRef: {name: app-config}\n    - prefix: DB_\n      secretRef: {name: db}\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    envFrom:\n    - configMapRef: {name: app-config}\n      secretRef: {name: db}\n    - prefix: DB_\n    - configMapRef: {name: App_Config}\n    - secretRef: {optional: true}\n");
        RuleTest::new(&super::EnvFromInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &["secretRef", "prefix: DB_", "App_Config", "secretRef"],
            )
            .run();
    }
}
