use crate::project::{Project, Replicas};
use crate::rule::{ProjectContext, ProjectRule};

declare_rule! {
    /// ## What it does
    /// Reports a PodDisruptionBudget that allows no voluntary disruption: `maxUnavailable: 0`
    /// (or `0%`), `minAvailable: 100%`, or a `minAvailable` count at or above the `replicas`
    /// of the workloads it selects among the linted manifests. (A budget that selects no pod
    /// is `dangling-service-selector`'s.)
    ///
    /// ## Why it matters in a Pod
    /// Draining a node (for an upgrade, a scale-down, a kernel patch) evicts its Pods through
    /// the eviction API, which refuses any eviction that would break a budget. A budget that
    /// never allows one Pod to go makes every drain of a node running these Pods hang until
    /// someone deletes the budget or forces the drain: cluster upgrades stall, and autoscalers
    /// cannot remove nodes. The workload is also no safer: a budget protects against
    /// voluntary disruptions only, and a node failure still takes its Pods.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PodDisruptionBudget
    /// spec:
    ///   maxUnavailable: 0
    /// ```
    ///
    /// ## How to fix
    /// Allow at least one Pod to be evicted: `maxUnavailable: 1`, or a `minAvailable` below
    /// the replica count (and run at least two replicas).
    pub struct PdbBlocksEviction {
        name: "pdb-blocks-eviction",
        category: Reliability,
        hook: Project,
        fix: Never,
        summary: "A PodDisruptionBudget allows no Pod to be evicted, so node drains hang",
    }
}

impl ProjectRule for PdbBlocksEviction {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, pdb) in project
            .objects()
            .filter(|(_, o)| o.is("PodDisruptionBudget"))
        {
            let Some(budget) = pdb.budget() else {
                continue;
            };
            let name = pdb.name.as_deref().unwrap_or("?");
            let consequence = "every node drain that would evict one of its Pods hangs, which stalls cluster upgrades and node scale-down";
            let help = "allow one Pod to be evicted at a time with `maxUnavailable: 1` (run two or more replicas to stay available)";
            let none_allowed = if budget.min_available {
                budget.percent && budget.value >= 100
            } else {
                budget.value == 0
            };
            if none_allowed {
                cx.report(
                    file,
                    budget.range,
                    format!(
                        "PodDisruptionBudget `{name}` allows no Pod to be evicted: {consequence}"
                    ),
                )
                .help(help);
                continue;
            }
            if !budget.min_available || budget.percent {
                continue;
            }
            // The replicas of every selected workload, if each is written as a number.
            let Some(selection) = project.selection(file, pdb) else {
                continue;
            };
            let Replicas {
                total,
                known,
                owners,
            } = selection.replicas();
            let total = *total;
            if !known || owners.is_empty() || budget.value < total {
                continue;
            }
            let selected: Vec<String> = owners
                .iter()
                .map(|owner| owner.clone().unwrap_or_else(|| "a workload".into()))
                .collect();
            cx.report(
                file,
                budget.range,
                format!("PodDisruptionBudget `{name}` keeps {} Pods available, and {} runs {total}: no Pod may be evicted, so {consequence}", budget.value, selected.join(", ")),
            )
            .help(format!("lower `minAvailable` below {total}, or raise the replicas above it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn set(replicas: &str, budget: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{replicas}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers: [{{name: web, image: my-web:1.0}}]\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  {budget}\n  selector:\n    matchLabels: {{app: web}}\n")
    }

    #[test]
    fn budgets_must_allow_an_eviction() {
        RuleTest::new(&super::PdbBlocksEviction::META)
            .pass(set("  replicas: 3\n", "maxUnavailable: 1"))
            .pass(set("  replicas: 3\n", "minAvailable: 2"))
            .pass(set("", "minAvailable: 2"))
            .pass(set("  replicas: 3\n", "minAvailable: 50%"))
            .fail(
                set("  replicas: 3\n", "maxUnavailable: 0"),
                &["maxUnavailable: 0"],
            )
            .fail(
                set("  replicas: 3\n", "maxUnavailable: 0%"),
                &["maxUnavailable: 0%"],
            )
            .fail(
                set("  replicas: 3\n", "minAvailable: 100%"),
                &["minAvailable: 100%"],
            )
            .fail(
                set("  replicas: 2\n", "minAvailable: 2"),
                &["minAvailable: 2"],
            )
            .run();
    }
}
