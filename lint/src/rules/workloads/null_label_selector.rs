use std::fmt::Display;

use crate::diagnostic::lazy;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports topology spread constraints and pod (anti-)affinity terms without a
    /// `labelSelector`. (A spread constraint with `matchLabelKeys` but no selector is
    /// topology-spread-invalid's.)
    ///
    /// ## Why it matters in a Pod
    /// The selector says which Pods to count or to stay near or away from. Without one the
    /// term matches no Pod at all: a spread constraint sees every zone empty and spreads
    /// nothing, an anti-affinity rule keeps no replicas apart, and a required affinity rule
    /// can never be met, so the Pod stays `Pending`. The API server accepts it with a warning.
    ///
    /// ## Example
    /// ```yaml
    /// topologySpreadConstraints:
    /// - maxSkew: 1
    ///   topologyKey: topology.kubernetes.io/zone
    ///   whenUnsatisfiable: DoNotSchedule
    /// ```
    ///
    /// ## How to fix
    /// Select the Pods the term is about, usually this workload's own:
    /// `labelSelector: {matchLabels: {app: my-app}}`.
    pub struct NullLabelSelector {
        name: "null-label-selector",
        category: ApiWarns,
        hook: Pod,
        fix: Never,
        summary: "A topology spread constraint or pod affinity term without labelSelector",
    }
}

impl PodRule for NullLabelSelector {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let own = lazy(|f| write_own_label(f, pod));
        let constraints = pod.spec.get("topologySpreadConstraints");
        for constraint in constraints.into_iter().flat_map(|l| l.items()) {
            if constraint.is_mapping() && constraint.get("matchLabelKeys").is_none() {
                check(
                    constraint,
                    anchor(constraint),
                    &"this topology spread constraint",
                    "spreads nothing",
                    &own,
                    cx,
                );
            }
        }
        for (kind, effect) in [
            ("podAffinity", "finds no Pod to join"),
            ("podAntiAffinity", "keeps nothing apart"),
        ] {
            let Some(affinity) = pod.spec.at(&["affinity", kind]) else {
                continue;
            };
            let required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution");
            for term in required.into_iter().flat_map(|l| l.items()) {
                if term.is_mapping() {
                    check(
                        term,
                        anchor(term),
                        &lazy(|f| write!(f, "this `{kind}` term")),
                        effect,
                        &own,
                        cx,
                    );
                }
            }
            let preferred = affinity.get("preferredDuringSchedulingIgnoredDuringExecution");
            for weighted in preferred.into_iter().flat_map(|l| l.items()) {
                if let Some((key, term)) = weighted.entry("podAffinityTerm") {
                    if term.is_mapping() {
                        check(
                            term,
                            key.range(),
                            &lazy(|f| write!(f, "this `{kind}` term")),
                            effect,
                            &own,
                            cx,
                        );
                    }
                }
            }
        }
    }
}

/// A term is named by its `topologyKey`, else its first line.
fn anchor(term: NodeRef<'_, '_>) -> crate::text::TextRange {
    term.entry_range("topologyKey")
        .unwrap_or_else(|| term.head())
}

fn check(
    term: NodeRef<'_, '_>,
    at: crate::text::TextRange,
    what: &dyn Display,
    effect: &str,
    own_label: &dyn Display,
    cx: &mut Context<'_>,
) {
    if term.get("labelSelector").is_some_and(|s| !s.is_null()) {
        return;
    }
    cx.report(
        at,
        format!("{what} has no `labelSelector`, so it matches no Pod and {effect}"),
    )
    .help(format!("select the Pods it is about, usually this workload's own: `labelSelector: {{matchLabels: {{{own_label}}}}}`"));
}

/// The Pod's first label as `key: value`, for the help; a placeholder when it has none.
fn write_own_label(f: &mut std::fmt::Formatter<'_>, pod: &Pod<'_, '_>) -> std::fmt::Result {
    let label = pod
        .metadata()
        .and_then(|m| m.get("labels"))
        .and_then(|l| l.entries().next())
        .and_then(|(k, v)| Some((k.as_str()?, v.as_str()?)));
    match label {
        Some((key, value)) => write!(f, "{key}: {value}"),
        None => f.write_str("app: my-app"),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn terms_need_a_selector() {
        let good = pod("  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: web}}\n  - maxSkew: 1\n    topologyKey: host\n    whenUnsatisfiable: DoNotSchedule\n    matchLabelKeys: [app]\n  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - topologyKey: kubernetes.io/hostname\n        labelSelector: {}\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - topologyKey: kubernetes.io/hostname\n        labelSelector: null\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 100\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::NullLabelSelector::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "topologyKey: zone",
                    "topologyKey: kubernetes.io/hostname",
                    "podAffinityTerm",
                ],
            )
            .run();
    }
}
