use std::collections::HashMap;

use crate::diagnostic::{Edit, Fix};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::value_range;
use crate::text::{self, TextRange};

declare_rule! {
    /// ## What it does
    /// Reports an `imagePullSecrets` entry with an empty `name`, or a name listed twice.
    ///
    /// ## Why it matters in a Pod
    /// `imagePullSecrets` names the Secrets (of type `kubernetes.io/dockerconfigjson`) the
    /// kubelet logs in to a private registry with before pulling the containers' images, like
    /// `docker login`. An empty name refers to no Secret; a repeated one does nothing more.
    /// The API server accepts both with a warning, and `kubectl apply`, which merges the list
    /// by name, can mangle it.
    ///
    /// ## Example
    /// ```yaml
    /// imagePullSecrets:
    /// - name: regcred
    /// - name: regcred
    /// ```
    ///
    /// ## How to fix
    /// List each Secret once, by its name. The fix removes a repeated entry.
    pub struct ImagePullSecretDuplicateOrEmpty {
        name: "image-pull-secret-duplicate-or-empty",
        category: ApiWarns,
        hook: Pod,
        fix: Sometimes,
        summary: "imagePullSecrets entry with an empty or repeated name",
    }
}

impl PodRule for ImagePullSecretDuplicateOrEmpty {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        let secrets = pod.spec.get("imagePullSecrets");
        for secret in secrets.into_iter().flat_map(|s| s.items()) {
            if !secret.is_mapping() {
                continue;
            }
            let name = secret.get("name");
            let text = name.and_then(|n| n.as_str()).unwrap_or("");
            if text.is_empty() {
                cx.report(
                    secret.head(),
                    "this image pull secret has no name, so it refers to no Secret",
                )
                .help("write the name of the registry Secret, e.g. `name: regcred`, or remove the entry");
                continue;
            }
            let Some(name) = name else {
                continue;
            };
            let range = value_range(cx.source, name);
            if let Some(first) = seen.get(text) {
                let item = item_line(cx.source, secret.range());
                let d = cx.report(
                    range,
                    format!("image pull secret `{text}` is listed twice; the second entry adds nothing and `kubectl apply` merges the list by name"),
                );
                d.label(*first, "first listed here")
                    .help("remove the repeated entry");
                if let Some(line) = item.filter(|_| secret.entries().count() == 1) {
                    d.fix(Fix::safe(
                        "Remove the repeated entry",
                        vec![Edit::delete(line)],
                    ));
                }
            } else {
                seen.insert(text, range);
            }
        }
    }
}

/// The whole line of a one-line list item (`  - name: regcred`), when nothing else is on it.
fn item_line(source: &str, item: TextRange) -> Option<TextRange> {
    let (start, end) = (usize::from(item.start()), usize::from(item.end()));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..]
        .find('\n')
        .map_or(source.len(), |i| end + i + 1);
    let before = source[line_start..start].trim_start();
    let after = source[end..line_end].trim();
    (before.trim_end() == "-" && (after.is_empty() || after.starts_with('#')))
        .then(|| text::range(line_start, line_end))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn names_are_set_and_unique() {
        let good = pod("  imagePullSecrets:\n  - name: regcred\n  - name: other\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  imagePullSecrets:\n  - name: regcred\n  - name: \"\"\n  - name: regcred\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::ImagePullSecretDuplicateOrEmpty::META)
            .pass(&good)
            .fail(&bad, &["name: \"\"", "regcred"])
            .run();
    }
}
