use std::collections::HashMap;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a file of a `projected` volume — a `configMap`, `secret` or `downwardAPI` item,
    /// or a `clusterTrustBundle` — whose `path` is also the path of a `serviceAccountToken`
    /// projected in the Pod. The API server accepts it with a warning.
    ///
    /// ## Why it matters in a Pod
    /// A projected volume merges several sources into one directory. When a ConfigMap key
    /// and the service account token are written to the same file name, one of them wins and
    /// the app reads the wrong content: a ConfigMap where it expects its token, or the other
    /// way round, and authentication fails in ways that are hard to trace.
    ///
    /// ## Example
    /// ```yaml
    /// projected:
    ///   sources:
    ///   - serviceAccountToken:
    ///       path: token
    ///   - configMap:
    ///       name: my-app-config
    ///       items:
    ///       - key: api-token
    ///         path: token
    /// ```
    ///
    /// ## How to fix
    /// Give the item its own `path` (e.g. `api-token`), different from the token's.
    pub struct ProjectedPathConflictsSaToken {
        name: "projected-path-conflicts-sa-token",
        category: ApiWarns,
        hook: Pod,
        fix: Never,
        summary: "A projected file uses the same path as a projected service account token",
    }
}

impl PodRule for ProjectedPathConflictsSaToken {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let sources = || {
            pod.volumes()
                .filter_map(|v| v.at(&["projected", "sources"]))
                .flat_map(|s| s.items())
        };
        // The API server compares against token paths from every projected volume of the Pod.
        let mut tokens: HashMap<&str, TextRange> = HashMap::new();
        for source in sources() {
            if let Some(path) = source.at(&["serviceAccountToken", "path"]) {
                if let Some(text) = path.as_str() {
                    tokens.entry(text).or_insert(path.range());
                }
            }
        }
        if tokens.is_empty() {
            return;
        }
        for source in sources() {
            for (kind, body) in source.entries() {
                let Some(kind) = kind.as_str() else { continue };
                let files: Vec<NodeRef> = match kind {
                    "configMap" | "secret" | "downwardAPI" => body
                        .get("items")
                        .into_iter()
                        .flat_map(|l| l.items())
                        .filter_map(|i| i.get("path"))
                        .collect(),
                    "clusterTrustBundle" => body.get("path").into_iter().collect(),
                    _ => continue,
                };
                for path in files {
                    let Some(text) = path.as_str() else { continue };
                    let Some(token) = tokens.get(text) else {
                        continue;
                    };
                    cx.report(
                        path.range(),
                        format!("this `{kind}` file is projected to `{text}`, the path of the service account token; one overwrites the other"),
                    )
                    .label(*token, "the token is projected here")
                    .help("give the file its own `path`, different from the token's");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn projected(item_path: &str) -> String {
        pod(&format!("  containers:\n  - name: app\n    image: a\n  volumes:\n  - name: all\n    projected:\n      sources:\n      - serviceAccountToken:\n          path: token\n      - configMap:\n          name: c\n          items:\n          - key: api-token\n            path: {item_path}\n"))
    }

    #[test]
    fn items_may_not_share_the_token_path() {
        RuleTest::new(&super::ProjectedPathConflictsSaToken::META)
            .pass(projected("api-token"))
            .fail(projected("token"), &["token"])
            .run();
    }
}
