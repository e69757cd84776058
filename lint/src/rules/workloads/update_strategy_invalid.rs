use super::helpers::{check_int_or_percent, report_negative, IntOrPercent};
use crate::diagnostic::Fix;
use crate::k8s::{Object, WorkloadKind};
use crate::rule::{Context, ObjectRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports an update strategy the API server refuses: a Deployment with
    /// `strategy.type: Recreate` and a `rollingUpdate` block, `maxSurge: 0` with
    /// `maxUnavailable: 0`, a StatefulSet with `updateStrategy.type: OnDelete` and a
    /// `rollingUpdate` block, a DaemonSet whose `maxSurge` and `maxUnavailable` are both
    /// non-zero (or both zero), and negative, malformed or over-100% values of `maxSurge`,
    /// `maxUnavailable` and `partition`.
    ///
    /// ## Why it matters in a Pod
    /// The update strategy decides how old Pods are replaced by new ones when the template
    /// changes. `maxSurge` is how many extra Pods may exist during a rollout, `maxUnavailable`
    /// how many may be missing. With both at 0 the controller can neither start a new Pod nor
    /// stop an old one, so the API server refuses the manifest. A `rollingUpdate` block under
    /// `Recreate` or `OnDelete` suggests a rollout that will never happen. A DaemonSet runs one
    /// Pod per node, so it either surges (starts the new Pod first) or makes a node's Pod
    /// unavailable, never both: when `maxUnavailable` is left out it defaults to 1, so
    /// `maxSurge: 1` alone is refused.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   strategy:
    ///     type: Recreate
    ///     rollingUpdate:      # refused: only RollingUpdate takes parameters
    ///       maxSurge: 1
    /// ```
    ///
    /// ## How to fix
    /// Remove the `rollingUpdate` block under `Recreate` or `OnDelete` (the fix does this), or
    /// switch the type to `RollingUpdate`. Give a Deployment room to roll: `maxSurge: 1` with
    /// `maxUnavailable: 0` keeps full capacity (an unsafe fix writes `maxSurge: 1`). On a
    /// DaemonSet set `maxUnavailable: 0` when you set `maxSurge` (the fix adds it).
    pub struct UpdateStrategyInvalid {
        name: "update-strategy-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Sometimes,
        summary: "An update strategy the API server refuses (Recreate with rollingUpdate, maxSurge and maxUnavailable both 0…)",
    }
}

impl ObjectRule for UpdateStrategyInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(spec) = object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        match object.workload {
            Some(WorkloadKind::Deployment) => deployment(spec, cx),
            Some(WorkloadKind::DaemonSet) => daemon_set(spec, cx),
            Some(WorkloadKind::StatefulSet) => stateful_set(spec, cx),
            _ => {}
        }
    }
}

/// The strategy mapping (`strategy` or `updateStrategy`), its type (`None` when left to the
/// default) and its `rollingUpdate` block, when it is a mapping.
fn strategy<'d, 's>(
    spec: NodeRef<'d, 's>,
    key: &str,
) -> Option<(NodeRef<'d, 's>, Option<&'d str>)> {
    let strategy = spec.get(key).filter(|s| s.is_mapping())?;
    Some((strategy, strategy.get("type").and_then(|t| t.as_string())))
}

/// A `rollingUpdate` block under a type that takes none: refused; the fix deletes the block.
fn report_stray_rolling_update(
    strategy: NodeRef<'_, '_>,
    kind: &str,
    type_: &str,
    consequence: &str,
    cx: &mut Context<'_>,
) {
    let Some((key, value)) = strategy.entry("rollingUpdate") else {
        return;
    };
    if value.is_null() {
        return;
    }
    let edit = crate::rules::edits::delete_entry_lines(cx.source, key, value);
    let d = cx.report(
        key.range(),
        format!("a {kind} with update type `{type_}` may not have a `rollingUpdate` block; the API server refuses it ({consequence})"),
    );
    d.help("remove `rollingUpdate`, or set `type: RollingUpdate` if a rolling update is what you meant");
    if let Some(edit) = edit {
        d.fix(Fix::safe("Remove the `rollingUpdate` block", vec![edit]));
    }
}

fn deployment(spec: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((strategy, type_)) = strategy(spec, "strategy") else {
        return;
    };
    if type_ == Some("Recreate") {
        report_stray_rolling_update(
            strategy,
            "Deployment",
            "Recreate",
            "Recreate stops every old Pod before starting new ones and takes no surge or unavailability limits",
            cx,
        );
        return;
    }
    let Some(rolling) = strategy.get("rollingUpdate").filter(|r| r.is_mapping()) else {
        return;
    };
    let unavailable = check_int_or_percent(cx, rolling, "maxUnavailable", true);
    let surge = check_int_or_percent(cx, rolling, "maxSurge", false);
    // Left out, each defaults to 25%: only two written zeros stall a rollout.
    if let (Some(u), Some(s)) = (unavailable, surge) {
        if u.value() == Some(0) && s.value() == Some(0) {
            let range = rolling.entry_range("maxUnavailable").expect("read above");
            let surge = rolling.get("maxSurge").expect("read above");
            let edit = crate::rules::edits::replace_scalar(cx.source, surge, "1");
            cx.report(
                range,
                "`maxUnavailable` and `maxSurge` are both 0, which the API server refuses: a rollout could neither start a new Pod nor stop an old one",
            )
            .help("allow one extra Pod during rollouts with `maxSurge: 1` (keeps full capacity), or let one go missing with `maxUnavailable: 1`")
            .fix(Fix::unsafe_("Allow one extra Pod during rollouts (`maxSurge: 1`)", vec![edit]));
        }
    }
}

fn daemon_set(spec: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((strategy, type_)) = strategy(spec, "updateStrategy") else {
        return;
    };
    if type_ == Some("OnDelete") {
        // The DaemonSet validation accepts a stray block here (it is ignored), so say nothing.
        return;
    }
    let Some(rolling) = strategy.get("rollingUpdate").filter(|r| r.is_mapping()) else {
        return;
    };
    let unavailable = match rolling.get("maxUnavailable") {
        // Left out, `maxUnavailable` defaults to 1 and `maxSurge` to 0.
        None => Some(IntOrPercent::Int(1)),
        Some(_) => check_int_or_percent(cx, rolling, "maxUnavailable", true),
    };
    let surge = match rolling.get("maxSurge") {
        None => Some(IntOrPercent::Int(0)),
        Some(_) => check_int_or_percent(cx, rolling, "maxSurge", true),
    };
    let (Some(u), Some(s)) = (
        unavailable.and_then(IntOrPercent::value),
        surge.and_then(IntOrPercent::value),
    ) else {
        return;
    };
    if u != 0 && s != 0 {
        let defaulted = if rolling.get("maxUnavailable").is_none() {
            " (`maxUnavailable` is left out, so it is 1)"
        } else {
            ""
        };
        let range = rolling
            .entry_range("maxSurge")
            .expect("non-zero surge is written");
        // Surging is what a written `maxSurge` asks for: with the default left out, say 0.
        let edit = rolling
            .get("maxUnavailable")
            .is_none()
            .then(|| crate::rules::edits::insert_entry(cx.source, rolling, "maxUnavailable", "0"))
            .flatten();
        let d = cx.report(
            range,
            format!("a DaemonSet's `maxSurge` and `maxUnavailable` cannot both be non-zero{defaulted}; the API server refuses it: with one Pod per node, a rollout either starts the new Pod first (surge) or stops the old one first (unavailable)"),
        );
        d.help("to surge, add `maxUnavailable: 0`; to replace in place, remove `maxSurge`");
        if let Some(edit) = edit {
            d.fix(Fix::safe(
                "Surge without making a node's Pod unavailable (`maxUnavailable: 0`)",
                vec![edit],
            ));
        }
    } else if u == 0 && s == 0 {
        let range = rolling
            .entry_range("maxUnavailable")
            .expect("zero unavailability is written");
        cx.report(
            range,
            "a DaemonSet's `maxUnavailable` and `maxSurge` cannot both be 0; the API server refuses it: a rollout could neither replace a node's Pod nor add one beside it",
        )
        .help("set `maxUnavailable: 1` (replace in place) or `maxSurge: 1` (start the new Pod first)");
    }
}

fn stateful_set(spec: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((strategy, type_)) = strategy(spec, "updateStrategy") else {
        return;
    };
    if type_ == Some("OnDelete") {
        report_stray_rolling_update(
            strategy,
            "StatefulSet",
            "OnDelete",
            "with OnDelete, Pods are replaced only when you delete them, so partition and maxUnavailable mean nothing",
            cx,
        );
        return;
    }
    let Some(rolling) = strategy.get("rollingUpdate").filter(|r| r.is_mapping()) else {
        return;
    };
    report_negative(
        cx,
        rolling,
        "partition",
        "Pods with an ordinal at or above the partition are updated",
    );
    if let Some(value) = check_int_or_percent(cx, rolling, "maxUnavailable", true) {
        if value.value() == Some(0) {
            let range = rolling.entry_range("maxUnavailable").expect("read above");
            cx.report(
                range,
                "a StatefulSet's `maxUnavailable` cannot be 0; the API server refuses it: a StatefulSet replaces a Pod by stopping it first, so a rollout needs at least one Pod to be unavailable",
            )
            .help("remove `maxUnavailable` (it defaults to 1) or set it to 1 or more");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn deployment(strategy: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n{strategy}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers: [{{name: web, image: nginx:1.27}}]\n")
    }

    fn set(kind: &str, strategy: &str) -> String {
        format!("apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  updateStrategy:\n{strategy}  selector:\n    matchLabels: {{app: db}}\n  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n      containers: [{{name: db, image: postgres:16}}]\n")
    }

    #[test]
    fn strategies_and_their_parameters() {
        RuleTest::new(&super::UpdateStrategyInvalid::META)
            .pass(deployment("    type: Recreate\n"))
            .pass(deployment(
                "    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}\n",
            ))
            .pass(deployment("    rollingUpdate: {maxSurge: 0}\n"))
            .pass(deployment(
                "    rollingUpdate: {maxSurge: 200%, maxUnavailable: 0}\n",
            ))
            .pass(set(
                "DaemonSet",
                "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n",
            ))
            .pass(set("DaemonSet", "    rollingUpdate: {maxUnavailable: 2}\n"))
            .pass(set(
                "DaemonSet",
                "    type: OnDelete\n    rollingUpdate: {maxUnavailable: 2}\n",
            ))
            .pass(set(
                "StatefulSet",
                "    rollingUpdate: {partition: 2, maxUnavailable: 50%}\n",
            ))
            .fail(
                deployment("    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n"),
                &["rollingUpdate"],
            )
            .fail(
                deployment("    rollingUpdate:\n      maxSurge: 0%\n      maxUnavailable: 0\n"),
                &["maxUnavailable: 0"],
            )
            .fail(
                deployment("    rollingUpdate: {maxSurge: 1, maxUnavailable: 120%}\n"),
                &["maxUnavailable: 120%"],
            )
            .fail(
                deployment("    rollingUpdate: {maxSurge: one, maxUnavailable: -1}\n"),
                &["maxSurge: one", "maxUnavailable: -1"],
            )
            .fail(
                set("DaemonSet", "    rollingUpdate: {maxSurge: 1}\n"),
                &["maxSurge: 1"],
            )
            .fail(
                set(
                    "DaemonSet",
                    "    rollingUpdate: {maxSurge: 0, maxUnavailable: 0%}\n",
                ),
                &["maxUnavailable: 0%"],
            )
            .fail(
                set(
                    "StatefulSet",
                    "    type: OnDelete\n    rollingUpdate:\n      partition: 1\n",
                ),
                &["rollingUpdate"],
            )
            .fail(
                set(
                    "StatefulSet",
                    "    rollingUpdate: {partition: -1, maxUnavailable: 0}\n",
                ),
                &["partition: -1", "maxUnavailable: 0"],
            )
            .fix(
                set("DaemonSet", "    rollingUpdate:\n      maxSurge: 1\n"),
                set(
                    "DaemonSet",
                    "    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n",
                ),
            )
            .fix(
                deployment("    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n"),
                deployment("    type: Recreate\n"),
            )
            .run();
    }
}
