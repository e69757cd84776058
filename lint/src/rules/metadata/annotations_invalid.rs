use crate::k8s::{names, Object, Pod};
use crate::rule::{Context, ObjectRule};
use crate::syntax::NodeRef;

/// The most bytes the keys and values of one object's annotations may add up to: 256 KiB.
const MAX_TOTAL_BYTES: usize = 256 * 1024;

/// Tells the ReplicaSet controller which Pods to remove first when scaling down.
const DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// Marks the API copy of a static Pod the kubelet runs from a file on its node.
const MIRROR: &str = "kubernetes.io/config.mirror";

declare_rule! {
    /// ## What it does
    /// Checks `metadata.annotations` of every object and of a workload's pod template: each
    /// key must be a qualified name (an optional DNS-subdomain prefix and `/`, then up to 63
    /// letters, digits, `-`, `_` and `.`; uppercase is fine), and keys and values together may
    /// not exceed 256 KiB. On a Pod or pod template, `controller.kubernetes.io/pod-deletion-cost`
    /// must be a 32-bit integer and `kubernetes.io/config.mirror` needs `spec.nodeName`.
    ///
    /// ## Why it matters in a Pod
    /// Annotations carry data for tools and controllers (a Prometheus scrape port, a checksum
    /// that restarts Pods when a ConfigMap changes, the deletion cost the ReplicaSet
    /// controller reads when scaling down). The API server rejects the whole object when one
    /// key is malformed or they grow too large, so the Pod is never created.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     prometheus.io scrape: "true"
    ///     controller.kubernetes.io/pod-deletion-cost: "high"
    /// ```
    ///
    /// ## How to fix
    /// Use keys like `prometheus.io/scrape` (letters, digits, `-`, `_`, `.`, one `/` after the
    /// prefix), write the deletion cost as a number in quotes (`"100"`), and keep large data in
    /// a ConfigMap instead of an annotation.
    pub struct AnnotationsInvalid {
        name: "annotations-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "An annotation key is invalid, annotations are too large, or a Pod annotation has a bad value",
    }
}

impl ObjectRule for AnnotationsInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if let Some((key, annotations)) = object.metadata().and_then(|m| m.entry("annotations")) {
            check_annotations(key, annotations, cx);
        }
        let Some(pod) = object.pod() else {
            return;
        };
        let Some((key, annotations)) = pod.metadata().and_then(|m| m.entry("annotations")) else {
            return;
        };
        if !pod.is_bare_pod() {
            check_annotations(key, annotations, cx);
        }
        check_pod_annotations(&pod, annotations, cx);
    }
}

fn check_annotations(key: NodeRef<'_, '_>, annotations: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let mut total = 0;
    for (name, value) in annotations.entries() {
        let Some(text) = name.as_str() else {
            continue;
        };
        total += text.len() + value.as_str().map_or(0, str::len);
        // Annotation keys are compared case-insensitively: `Example.COM/Team` is valid.
        if let Err(why) = names::qualified_name(&text.to_ascii_lowercase()) {
            cx.report(
                name.range(),
                format!("annotation key `{text}` is not valid: {why}"),
            )
            .help("annotation keys are an optional prefix like `example.com/` and a name of letters, digits, `-`, `_` and `.`, e.g. `prometheus.io/scrape`");
        }
    }
    if total > MAX_TOTAL_BYTES {
        cx.report(
            key.range(),
            format!("these annotations add up to {total} bytes; the API server accepts at most {MAX_TOTAL_BYTES} (256 KiB) per object"),
        )
        .help("keep large data in a ConfigMap and mount it, or put only a reference or checksum in the annotation");
    }
}

fn check_pod_annotations(pod: &Pod<'_, '_>, annotations: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    if let Some(value) = annotations.get(DELETION_COST) {
        let text = value.as_str().unwrap_or_default();
        if !is_deletion_cost(text) {
            cx.report(
                value.range(),
                format!("`{DELETION_COST}` must be a 32-bit integer, not `{text}`: the ReplicaSet controller reads it to pick which Pods to remove first"),
            )
            .help("write a whole number without `+` or leading zeros, in quotes, e.g. `\"100\"` (lower costs are removed first)");
        }
    }
    if let Some((key, value)) = annotations.entry(MIRROR) {
        let bound = pod
            .spec
            .get("nodeName")
            .and_then(|n| n.as_string())
            .is_some_and(|n| !n.is_empty());
        if !bound {
            cx.report(
                key.range().cover(value.range()),
                format!("`{MIRROR}` marks the copy of a static Pod the kubelet runs from its node's files; the API server refuses it without `spec.nodeName`"),
            )
            .help("remove the annotation: only the kubelet creates mirror Pods");
        }
    }
}

/// How the API server reads the deletion cost: an optional `-`, no `+`, no leading zeros,
/// within the 32-bit range.
fn is_deletion_cost(text: &str) -> bool {
    let first_ok = match text.as_bytes() {
        [] => false,
        [b'-', ..] => true,
        [b'0'] => true,
        [b'1'..=b'9', ..] => true,
        _ => false,
    };
    first_ok && text.parse::<i32>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::is_deletion_cost;
    use crate::rules::test::RuleTest;

    #[test]
    fn keys_must_be_qualified_names() {
        let good = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    prometheus.io/scrape: \"true\"\n    Example.COM/Team: payments\n";
        let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    prometheus.io scrape: \"true\"\n    a/b/c: x\n";
        RuleTest::new(&super::AnnotationsInvalid::META)
            .pass(good)
            .fail(bad, &["prometheus.io scrape", "a/b/c"])
            .run();
    }

    #[test]
    fn pod_annotations_are_checked_in_templates_too() {
        let template = |annotations: &str| {
            format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n{annotations}    spec:\n      containers:\n      - name: app\n        image: a\n")
        };
        let good = template("        controller.kubernetes.io/pod-deletion-cost: \"-100\"\n");
        let bad = template(
            "        controller.kubernetes.io/pod-deletion-cost: \"007\"\n        kubernetes.io/config.mirror: abc\n        bad key: x\n",
        );
        RuleTest::new(&super::AnnotationsInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &["\"007\"", "kubernetes.io/config.mirror: abc", "bad key"],
            )
            .run_inline();
    }

    #[test]
    fn too_large_annotations_are_reported_once() {
        let big = "x".repeat(200 * 1024);
        let yaml = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: {big}\n    b: {big}\n");
        RuleTest::new(&super::AnnotationsInvalid::META)
            .fail(&yaml, &["annotations"])
            .run_inline();
    }

    #[test]
    fn deletion_cost_follows_the_api_server() {
        for ok in ["0", "10", "-5", "2147483647"] {
            assert!(is_deletion_cost(ok), "{ok}");
        }
        for bad in ["", "+10", "010", "1.5", "2147483648", "high"] {
            assert!(!is_deletion_cost(bad), "{bad}");
        }
    }
}
