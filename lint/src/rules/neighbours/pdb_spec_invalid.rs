use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

const EVICTION_POLICIES: [&str; 2] = ["IfHealthyBudget", "AlwaysAllow"];

declare_rule! {
    /// ## What it does
    /// Reports a PodDisruptionBudget (`policy/v1`) the API server refuses: both
    /// `minAvailable` and `maxUnavailable` set, a negative count, a percentage that is
    /// malformed or above 100%, and an unknown `unhealthyPodEvictionPolicy`.
    ///
    /// ## Why it matters in a Pod
    /// A budget limits how many of the selected Pods voluntary evictions (node drains) may
    /// take down at once: either how many must stay up (`minAvailable`) or how many may be
    /// down (`maxUnavailable`), not both. When the budget is refused, nothing protects the
    /// Pods: a drain may evict every replica at once.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PodDisruptionBudget
    /// spec:
    ///   minAvailable: 2
    ///   maxUnavailable: 1     # refused: one or the other
    /// ```
    ///
    /// ## How to fix
    /// Keep one of the two, as a count (`1`) or a percentage of the selected Pods (`50%`).
    pub struct PdbSpecInvalid {
        name: "pdb-spec-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "A PodDisruptionBudget the API server refuses (both limits, negative or over 100%)",
    }
}

impl ObjectRule for PdbSpecInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.kind_name() != "PodDisruptionBudget" || object.api_version_name() != "policy/v1" {
            return;
        }
        let Some(spec) = object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        let min = spec.entry("minAvailable").filter(|(_, v)| !v.is_null());
        let max = spec.entry("maxUnavailable").filter(|(_, v)| !v.is_null());
        if let (Some(_), Some((key, value))) = (min, max) {
            cx.report(
                key.range().cover(value.range()),
                "a PodDisruptionBudget sets `minAvailable` or `maxUnavailable`, not both; the API server refuses both",
            )
            .help("keep `maxUnavailable` (it follows the replica count when you scale) or `minAvailable`");
        }
        for (key, value) in min.into_iter().chain(max) {
            let range = key.range().cover(value.range());
            let field = key.as_str().unwrap_or("");
            if let Some(n) = value.as_i64() {
                if n < 0 {
                    cx.report(range, format!("`{field}: {n}` is refused by the API server: a number of Pods cannot be negative"))
                        .help(format!("write `{field}` as 0 or more, or as a percentage such as `50%`"));
                }
                continue;
            }
            let Some(text) = value.as_string() else {
                continue;
            };
            match text
                .strip_suffix('%')
                .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            {
                None => {
                    cx.report(range, format!("`{field}: {text}` is refused by the API server: it is a number of Pods (`1`) or a percentage of the selected Pods (`50%`)"))
                        .help(format!("write `{field}` as a whole number or digits followed by `%`"));
                }
                Some(digits) if digits.parse::<u64>().map_or(true, |p| p > 100) => {
                    cx.report(range, format!("`{field}: {text}` is refused by the API server: a percentage of the selected Pods cannot be more than 100%"))
                        .help(format!("write `{field}` as 100% or less"));
                }
                Some(_) => {}
            }
        }
        if let Some((key, value)) = spec.entry("unhealthyPodEvictionPolicy") {
            let policy = value.as_str().unwrap_or("");
            if !EVICTION_POLICIES.contains(&policy) {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`unhealthyPodEvictionPolicy: {policy}` is refused by the API server: it is `IfHealthyBudget` or `AlwaysAllow`"),
                )
                .help("`AlwaysAllow` lets drains evict Pods that are not ready, so a crash-looping Pod cannot block a drain");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn pdb(fields: &str) -> String {
        format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n{fields}  selector:\n    matchLabels: {{app: web}}\n")
    }

    #[test]
    fn budgets() {
        RuleTest::new(&super::PdbSpecInvalid::META)
            .pass(pdb("  minAvailable: 2\n"))
            .pass(pdb(
                "  maxUnavailable: 50%\n  unhealthyPodEvictionPolicy: AlwaysAllow\n",
            ))
            .fail(
                pdb("  minAvailable: 2\n  maxUnavailable: 1\n"),
                &["maxUnavailable: 1"],
            )
            .fail(pdb("  minAvailable: -1\n"), &["minAvailable: -1"])
            .fail(pdb("  maxUnavailable: 150%\n"), &["maxUnavailable: 150%"])
            .fail(pdb("  maxUnavailable: half\n"), &["maxUnavailable: half"])
            .fail(
                pdb("  maxUnavailable: 1\n  unhealthyPodEvictionPolicy: Always\n"),
                &["unhealthyPodEvictionPolicy: Always"],
            )
            .run();
    }
}
