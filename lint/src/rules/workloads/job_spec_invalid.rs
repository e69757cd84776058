use super::helpers::report_negative;
use crate::k8s::{Object, WorkloadKind};
use crate::rule::{Context, ObjectRule};
use crate::syntax::NodeRef;

/// The most Pods an Indexed Job may run in parallel.
const MAX_INDEXED_PARALLELISM: i64 = 100_000;
/// The most rules a `podFailurePolicy` or `successPolicy` may hold.
const MAX_POLICY_RULES: usize = 20;
/// The most exit codes one `onExitCodes` may list.
const MAX_EXIT_CODES: usize = 255;
/// The most condition patterns one `onPodConditions` may list.
const MAX_CONDITION_PATTERNS: usize = 20;
/// The most failed indexes an Indexed Job may allow.
const MAX_FAILED_INDEXES: i64 = 100_000;
/// Above this many completions, per-index retries need tighter limits.
const COMPLETIONS_SOFT_LIMIT: i64 = 100_000;
/// The parallelism and failed-index limit for Jobs above the soft limit.
const HIGH_COMPLETIONS_LIMIT: i64 = 10_000;

declare_rule! {
    /// ## What it does
    /// Reports a Job spec (a Job's, or a CronJob's `jobTemplate.spec`) and CronJob fields that
    /// the API server refuses: negative `parallelism`, `completions`, `backoffLimit`,
    /// `backoffLimitPerIndex`, `maxFailedIndexes`, `activeDeadlineSeconds`,
    /// `ttlSecondsAfterFinished`, `startingDeadlineSeconds` or history limits;
    /// `completionMode: Indexed` without `completions`; `backoffLimitPerIndex` or a
    /// `successPolicy` on a Job that is not Indexed; `maxFailedIndexes` without
    /// `backoffLimitPerIndex` or above `completions`; and malformed `podFailurePolicy` and
    /// `successPolicy` rules.
    ///
    /// ## Why it matters in a Pod
    /// A Job runs Pods until enough of them succeed. `completions` is how many must succeed,
    /// `parallelism` how many run at once, `backoffLimit` how many failed Pods are retried
    /// before the Job gives up, `activeDeadlineSeconds` how long the whole Job may run. An
    /// Indexed Job gives each Pod an index from 0 to `completions - 1` (in the
    /// `JOB_COMPLETION_INDEX` variable), so it needs `completions` to know the indexes. A
    /// `podFailurePolicy` rule decides what a failed Pod's exit code or condition means; one
    /// that matches nothing or everything would make the Job ignore or fail on every Pod.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Job
    /// spec:
    ///   completionMode: Indexed     # no completions: which indexes would run?
    ///   backoffLimit: -1
    /// ```
    ///
    /// ## How to fix
    /// Write 0 or more for counts and durations; give an Indexed Job `completions`; set
    /// `completionMode: Indexed` before using per-index limits or a success policy; give each
    /// pod-failure rule exactly one of `onExitCodes` and `onPodConditions`.
    pub struct JobSpecInvalid {
        name: "job-spec-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "A Job or CronJob spec the API server refuses (negative backoffLimit, Indexed without completions…)",
    }
}

impl ObjectRule for JobSpecInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(spec) = object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        match object.workload {
            Some(WorkloadKind::Job) => {
                job_spec(spec, cx);
                indexed_pod_names(object, spec, cx);
            }
            Some(WorkloadKind::CronJob) => {
                let meanings = [
                    (
                        "startingDeadlineSeconds",
                        "how late a missed run may still start",
                    ),
                    (
                        "successfulJobsHistoryLimit",
                        "how many finished Jobs are kept",
                    ),
                    ("failedJobsHistoryLimit", "how many failed Jobs are kept"),
                ];
                for (key, meaning) in meanings {
                    report_negative(cx, spec, key, meaning);
                }
                if let Some(job) = spec.at(&["jobTemplate", "spec"]).filter(|s| s.is_mapping()) {
                    job_spec(job, cx);
                    generated_selector(job, cx);
                }
            }
            _ => {}
        }
    }
}

fn job_spec(spec: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let meanings = [
        ("parallelism", "how many Pods run at once"),
        ("completions", "how many Pods must succeed"),
        (
            "backoffLimit",
            "how many failed Pods are retried before the Job fails",
        ),
        (
            "backoffLimitPerIndex",
            "how many times each index is retried",
        ),
        (
            "maxFailedIndexes",
            "how many indexes may fail before the Job fails",
        ),
        ("activeDeadlineSeconds", "how long the Job may run"),
        ("ttlSecondsAfterFinished", "how long a finished Job is kept"),
    ];
    for (key, meaning) in meanings {
        report_negative(cx, spec, key, meaning);
    }
    let int = |key: &str| spec.get(key).and_then(|v| v.as_i64());
    let completions = int("completions");
    let mode = spec.entry("completionMode");
    let indexed = mode.and_then(|(_, v)| v.as_string()) == Some("Indexed");
    if let Some((key, value)) = mode.filter(|_| indexed) {
        if spec.get("completions").is_none_or(|c| c.is_null()) {
            cx.report(
                key.range().cover(value.range()),
                "an Indexed Job needs `completions`; the API server refuses it without: each Pod gets an index from 0 to completions - 1, so the count of indexes must be known",
            )
            .help("add `completions: N`, the number of indexes (work items) to run");
        }
        if let Some(p) = int("parallelism").filter(|p| *p > MAX_INDEXED_PARALLELISM) {
            let range = spec.entry_range("parallelism").expect("read above");
            cx.report(
                range,
                format!("`parallelism: {p}` is refused for an Indexed Job: at most {MAX_INDEXED_PARALLELISM} indexes run at once"),
            )
            .help(format!("lower `parallelism` to {MAX_INDEXED_PARALLELISM} or less"));
        }
    }
    let per_index = spec.get("backoffLimitPerIndex").filter(|v| !v.is_null());
    if let Some(range) = spec
        .entry_range("backoffLimitPerIndex")
        .filter(|_| per_index.is_some() && !indexed)
    {
        cx.report(
            range,
            "`backoffLimitPerIndex` needs `completionMode: Indexed`; the API server refuses it otherwise: only an Indexed Job's Pods have an index to count retries by",
        )
        .help("add `completionMode: Indexed` with `completions`, or use `backoffLimit` for the whole Job");
    }
    if let Some((key, value)) = spec.entry("maxFailedIndexes").filter(|(_, v)| !v.is_null()) {
        let range = key.range().cover(value.range());
        let max = value.as_i64();
        if per_index.is_none() || !indexed {
            cx.report(
                range,
                "`maxFailedIndexes` needs `backoffLimitPerIndex` and `completionMode: Indexed`; the API server refuses it otherwise: an index only counts as failed once its own retries are used up",
            )
            .help("add `completionMode: Indexed`, `completions` and `backoffLimitPerIndex`, or remove `maxFailedIndexes`");
        } else if let Some(max) = max.filter(|m| *m > MAX_FAILED_INDEXES) {
            cx.report(
                range,
                format!("`maxFailedIndexes: {max}` is refused by the API server: the limit is {MAX_FAILED_INDEXES}"),
            );
        } else if let (Some(max), Some(completions)) = (max, completions) {
            if max > completions {
                cx.report(
                    range,
                    format!("`maxFailedIndexes: {max}` is more than `completions: {completions}`; the API server refuses it: there are only {completions} indexes to fail"),
                )
                .help(format!("lower `maxFailedIndexes` to {completions} or less"));
            }
        }
    }
    if indexed && per_index.is_some() {
        high_completions(spec, completions, cx);
    }
    if let Some((key, value)) = spec.entry("podReplacementPolicy") {
        let policy = value.as_str().unwrap_or("");
        if spec.get("podFailurePolicy").is_some_and(|p| p.is_mapping())
            && policy != "Failed"
            && !policy.is_empty()
        {
            cx.report(
                key.range().cover(value.range()),
                format!("`podReplacementPolicy: {policy}` is refused with a `podFailurePolicy`: the policy must see each Pod fully failed before a replacement starts, so only `Failed` is accepted"),
            )
            .help("write `podReplacementPolicy: Failed`, or remove it (it then defaults to Failed)");
        }
    }
    if let Some((key, value)) = spec.entry("managedBy") {
        if let Some(manager) = value.as_str() {
            if let Err(why) = domain_prefixed_path(manager) {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`managedBy: {manager}` is refused by the API server: {why}"),
                )
                .help("name the controller that runs this Job as `<domain>/<name>`, e.g. `kueue.x-k8s.io/multikueue`, or remove `managedBy` to let the built-in Job controller run it");
            }
        }
    }
    if let Some(policy) = spec.get("podFailurePolicy").filter(|p| p.is_mapping()) {
        pod_failure_policy(spec, policy, per_index.is_some(), cx);
    }
    if let Some((key, policy)) = spec.entry("successPolicy").filter(|(_, p)| p.is_mapping()) {
        if !indexed {
            cx.report(
                key.range(),
                "a `successPolicy` needs `completionMode: Indexed`; the API server refuses it otherwise: its rules name indexes that must succeed",
            )
            .help("add `completionMode: Indexed` with `completions`, or remove `successPolicy`");
        } else {
            success_policy(policy, completions, cx);
        }
    }
}

fn pod_failure_policy(
    spec: NodeRef<'_, '_>,
    policy: NodeRef<'_, '_>,
    per_index: bool,
    cx: &mut Context<'_>,
) {
    let Some((rules_key, rules)) = policy.entry("rules").filter(|(_, r)| r.is_sequence()) else {
        return;
    };
    if rules.items().count() > MAX_POLICY_RULES {
        cx.report(
            rules_key.range(),
            format!("a `podFailurePolicy` holds at most {MAX_POLICY_RULES} rules; the API server refuses more"),
        )
        .help("merge rules with the same action (one `onExitCodes` lists many codes)");
    }
    let containers: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .filter_map(|k| spec.at(&["template", "spec", k]))
        .flat_map(|l| l.items())
        .filter_map(|c| c.get("name").and_then(|n| n.as_str()))
        .collect();
    for rule in rules.items().filter(|r| r.is_mapping()) {
        let exit_codes = rule.entry("onExitCodes").filter(|(_, v)| !v.is_null());
        let conditions = rule.entry("onPodConditions").filter(|(_, v)| !v.is_null());
        match (exit_codes, conditions) {
            (Some(_), Some((key, _))) => {
                cx.report(
                    key.range(),
                    "a pod-failure rule has either `onExitCodes` or `onPodConditions`, not both; the API server refuses both",
                )
                .help("split it into two rules with the same action");
            }
            (None, None) => {
                cx.report(
                    rule.head(),
                    "a pod-failure rule needs `onExitCodes` or `onPodConditions`; the API server refuses a rule that matches no failure",
                )
                .help("add `onExitCodes: {operator: In, values: [42]}` or `onPodConditions: [{type: DisruptionTarget}]`");
            }
            _ => {}
        }
        if let Some((key, value)) = rule.entry("action") {
            if value.as_str() == Some("FailIndex") && !per_index {
                cx.report(
                    key.range().cover(value.range()),
                    "`action: FailIndex` needs `backoffLimitPerIndex` on the Job; the API server refuses it otherwise: only an Indexed Job with per-index retries can fail one index",
                )
                .help("add `backoffLimitPerIndex` (with `completionMode: Indexed`), or use `action: FailJob`");
            }
        }
        if let Some((key, codes)) = exit_codes.filter(|(_, v)| v.is_mapping()) {
            exit_code_requirement(key.range(), codes, &containers, cx);
        }
        if let Some((key, patterns)) = conditions.filter(|(_, v)| v.is_sequence()) {
            if patterns.items().count() > MAX_CONDITION_PATTERNS {
                cx.report(
                    key.range(),
                    format!("`onPodConditions` lists at most {MAX_CONDITION_PATTERNS} patterns; the API server refuses more"),
                );
            }
        }
    }
}

fn exit_code_requirement(
    at: crate::text::TextRange,
    codes: NodeRef<'_, '_>,
    containers: &[&str],
    cx: &mut Context<'_>,
) {
    if let Some((key, value)) = codes.entry("containerName") {
        if let Some(name) = value
            .as_str()
            .filter(|n| !containers.is_empty() && !containers.contains(n))
        {
            cx.report(
                key.range().cover(value.range()),
                format!("`containerName: {name}` names no container of the Job's pod template; the API server refuses it"),
            )
            .help(format!("name one of: {}", containers.join(", ")));
        }
    }
    let operator = codes.get("operator").and_then(|o| o.as_str());
    if operator.is_none() {
        cx.report(
            at,
            "`onExitCodes` needs an `operator`; the API server refuses it without: `In` matches the listed exit codes, `NotIn` every other one",
        )
        .help("add `operator: In`");
    }
    let Some((key, values)) = codes.entry("values").filter(|(_, v)| v.is_sequence()) else {
        return;
    };
    let numbers: Vec<(i64, NodeRef<'_, '_>)> = values
        .items()
        .filter_map(|v| Some((v.as_i64()?, v)))
        .collect();
    if values.items().next().is_none() {
        cx.report(
            key.range(),
            "`onExitCodes.values` is empty; the API server refuses it: the rule would match no exit code",
        )
        .help("list the exit codes the rule is about, e.g. `values: [42]`");
        return;
    }
    if values.items().count() > MAX_EXIT_CODES {
        cx.report(
            key.range(),
            format!("`onExitCodes.values` lists at most {MAX_EXIT_CODES} codes; the API server refuses more"),
        );
    }
    if numbers.windows(2).any(|w| w[0].0 > w[1].0) {
        cx.report(
            key.range(),
            "`onExitCodes.values` must be in ascending order; the API server refuses an unordered list",
        )
        .help("sort the exit codes from smallest to largest");
    }
    let mut seen = std::collections::HashSet::new();
    for (n, node) in &numbers {
        if !seen.insert(*n) {
            cx.report(
                node.range(),
                format!("exit code {n} is listed twice; the API server refuses repeated values"),
            )
            .help("remove the repeated code");
        } else if *n == 0 && operator == Some("In") {
            cx.report(
                node.range(),
                "exit code 0 with `operator: In` is refused: 0 means the container succeeded, so it is never a failure to act on",
            )
            .help("remove 0 from the list");
        }
    }
}

fn success_policy(policy: NodeRef<'_, '_>, completions: Option<i64>, cx: &mut Context<'_>) {
    let Some((rules_key, rules)) = policy.entry("rules").filter(|(_, r)| r.is_sequence()) else {
        return;
    };
    let count = rules.items().count();
    if count == 0 || count > MAX_POLICY_RULES {
        cx.report(
            rules_key.range(),
            format!("a `successPolicy` holds 1 to {MAX_POLICY_RULES} rules; the API server refuses {count}"),
        )
        .help("write one rule per way the Job can succeed");
        return;
    }
    for rule in rules.items().filter(|r| r.is_mapping()) {
        let indexes = rule.entry("succeededIndexes").filter(|(_, v)| !v.is_null());
        let succeeded = rule.entry("succeededCount").filter(|(_, v)| !v.is_null());
        if indexes.is_none() && succeeded.is_none() {
            cx.report(
                rule.head(),
                "a success-policy rule needs `succeededIndexes` or `succeededCount`; the API server refuses an empty rule",
            )
            .help("say which indexes must succeed (`succeededIndexes: \"0\"`) or how many (`succeededCount: 1`)");
            continue;
        }
        let mut listed = None;
        if let Some((key, value)) = indexes {
            match value.as_str().map(|t| parse_indexes(t, completions)) {
                Some(Err(why)) => {
                    cx.report(
                        key.range().cover(value.range()),
                        format!("`succeededIndexes` is refused by the API server: {why}"),
                    )
                    .help(
                        "write ascending indexes and ranges below `completions`, e.g. `\"0,2-4\"`",
                    );
                }
                Some(Ok(n)) => listed = Some(n),
                None => {}
            }
        }
        if let Some((key, value)) = succeeded {
            let Some(n) = value.as_i64() else {
                continue;
            };
            let range = key.range().cover(value.range());
            let limit = [listed, completions].into_iter().flatten().min();
            if n < 0 {
                cx.report(
                    range,
                    format!(
                        "`succeededCount: {n}` is refused by the API server: it must be 0 or more"
                    ),
                );
            } else if let Some(limit) = limit.filter(|l| n > *l) {
                cx.report(
                    range,
                    format!("`succeededCount: {n}` is more than the {limit} indexes that can succeed; the API server refuses it: the Job could never meet its success policy"),
                )
                .help(format!("lower `succeededCount` to {limit} or less"));
            }
        }
    }
}

/// Above 100 000 completions with per-index retries, the API server asks for tighter limits
/// (they bound the size of the Job's status).
fn high_completions(spec: NodeRef<'_, '_>, completions: Option<i64>, cx: &mut Context<'_>) {
    let Some(completions) = completions.filter(|c| *c > COMPLETIONS_SOFT_LIMIT) else {
        return;
    };
    let Some((key, value)) = spec.entry("completions") else {
        return;
    };
    if spec.get("maxFailedIndexes").is_none() {
        cx.report(
            key.range().cover(value.range()),
            format!("`completions: {completions}` with `backoffLimitPerIndex` needs `maxFailedIndexes` above {COMPLETIONS_SOFT_LIMIT} completions; the API server refuses it without"),
        )
        .help(format!("add `maxFailedIndexes` ({HIGH_COMPLETIONS_LIMIT} or less)"));
    }
    for field in ["parallelism", "maxFailedIndexes"] {
        if let Some((k, v)) = spec.entry(field) {
            if let Some(n) = v.as_i64().filter(|n| *n > HIGH_COMPLETIONS_LIMIT) {
                cx.report(
                    k.range().cover(v.range()),
                    format!("`{field}: {n}` is refused above {COMPLETIONS_SOFT_LIMIT} completions with `backoffLimitPerIndex`: the limit is then {HIGH_COMPLETIONS_LIMIT}"),
                );
            }
        }
    }
}

/// An Indexed Job's Pods are named `<job>-<index>`: the last one's name must still be a DNS
/// label, so the API server refuses a Job name too long for it.
fn indexed_pod_names(object: &Object<'_, '_>, spec: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    if spec.get("completionMode").and_then(|m| m.as_str()) != Some("Indexed") {
        return;
    }
    let Some(completions) = spec
        .get("completions")
        .and_then(|c| c.as_i64())
        .filter(|c| *c > 0)
    else {
        return;
    };
    let Some((key, value)) = object.metadata().and_then(|m| m.entry("name")) else {
        return;
    };
    let Some(name) = value.as_string() else {
        return;
    };
    let last = format!("{name}-{}", completions - 1);
    if last.len() > 63 && crate::k8s::names::dns1123_label(name).is_ok() {
        cx.report(
            key.range().cover(value.range()),
            format!("the Job's last Pod would be named `{last}`, {} characters long, over the 63 a Pod hostname may have; the API server refuses the Job", last.len()),
        )
        .help(format!("shorten the Job's name to {} characters or less", 63 - (last.len() - name.len())));
    }
}

/// A CronJob's Jobs get a generated selector: one written in `jobTemplate` is refused.
fn generated_selector(job: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    if let Some((key, _)) = job.entry("selector").filter(|(_, v)| !v.is_null()) {
        cx.report(
            key.range(),
            "a CronJob's `jobTemplate` may not set `selector`; the API server refuses it: each Job the CronJob creates gets a selector generated from its own unique ID",
        )
        .help("remove `selector`; the Job's Pods are found without it");
    }
    if let Some((key, value)) = job.entry("manualSelector") {
        if value.as_bool() == Some(true) {
            cx.report(
                key.range().cover(value.range()),
                "`manualSelector: true` is refused in a CronJob's `jobTemplate`: its Jobs' selectors are always generated",
            )
            .help("remove `manualSelector`");
        }
    }
}

/// `IsDomainPrefixedPath`: `<DNS subdomain>/<path>`, at most 63 characters.
fn domain_prefixed_path(text: &str) -> Result<(), String> {
    if text.len() > 63 {
        return Err(format!(
            "it is {} characters long; the limit is 63",
            text.len()
        ));
    }
    let Some((domain, path)) = text.split_once('/') else {
        return Err("it must be a domain-prefixed path such as `example.com/controller`".into());
    };
    crate::k8s::names::dns1123_subdomain(domain)
        .map_err(|why| format!("its domain `{domain}` is not a DNS name: {why}"))?;
    if path.is_empty() {
        return Err("the path after the domain is empty".into());
    }
    Ok(())
}

/// Reads `"0,2-4"`: ascending, non-overlapping indexes below `completions`. Returns how many
/// indexes it lists.
fn parse_indexes(text: &str, completions: Option<i64>) -> Result<i64, String> {
    let mut total = 0;
    let mut last: Option<i64> = None;
    for part in text.split(',') {
        let number = |s: &str| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && s.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("`{part}` is not an index or a range `a-b`"))
        };
        let (low, high) = match part.split_once('-') {
            Some((a, b)) => {
                let (low, high) = (number(a)?, number(b)?);
                if low >= high {
                    return Err(format!("the range `{part}` must end after it starts"));
                }
                (low, high)
            }
            None => (number(part)?, number(part)?),
        };
        if last.is_some_and(|l| low <= l) {
            return Err(format!(
                "`{part}` does not come after the index before it (ascending, no overlap)"
            ));
        }
        if let Some(c) = completions.filter(|c| high >= *c) {
            return Err(format!(
                "index {high} is not below `completions` ({c}); indexes run from 0 to {}",
                c.saturating_sub(1)
            ));
        }
        last = Some(high);
        total = (high - low).saturating_add(1).saturating_add(total);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn job(fields: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: work\nspec:\n{fields}  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: worker, image: my-worker:1.0}}]\n")
    }

    #[test]
    fn job_specs() {
        RuleTest::new(&super::JobSpecInvalid::META)
            .pass(job("  completions: 5\n  parallelism: 2\n  backoffLimit: 0\n"))
            // Out-of-range numbers are reported, never overflowed.
            .fail(job("  completionMode: Indexed\n  successPolicy:\n    rules: [{succeededIndexes: \"0-9223372036854775807\", succeededCount: 9223372036854775807}]\n"), &["completionMode: Indexed"])
            .pass(job("  completionMode: Indexed\n  completions: 10\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 3\n"))
            .pass(job("  completionMode: Indexed\n  completions: 10\n  successPolicy:\n    rules:\n    - succeededIndexes: \"0,2-4\"\n      succeededCount: 2\n"))
            .pass(job("  managedBy: kueue.x-k8s.io/multikueue\n  podReplacementPolicy: Failed\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n"))
            .pass(job("  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {containerName: worker, operator: In, values: [42]}\n    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n"))
            .fail(job("  backoffLimit: -1\n"), &["backoffLimit: -1"])
            .fail(job("  completionMode: Indexed\n  parallelism: 3\n"), &["completionMode: Indexed"])
            .fail(job("  backoffLimitPerIndex: 2\n"), &["backoffLimitPerIndex: 2"])
            .fail(job("  completionMode: Indexed\n  completions: 3\n  maxFailedIndexes: 1\n"), &["maxFailedIndexes: 1"])
            .fail(job("  backoffLimitPerIndex: 1\n  maxFailedIndexes: 1\n"), &["backoffLimitPerIndex: 1", "maxFailedIndexes: 1"])
            .fail(job("  completionMode: Indexed\n  completions: 200000\n  parallelism: 20000\n  backoffLimitPerIndex: 1\n"), &["completions: 200000", "parallelism: 20000"])
            .fail(job("  podReplacementPolicy: TerminatingOrFailed\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes: {values: [3, 1]}\n"), &["podReplacementPolicy: TerminatingOrFailed", "onExitCodes", "values"])
            .fail(job("  managedBy: my-controller\n"), &["managedBy: my-controller"])
            .fail("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a-very-long-job-name-that-fills-almost-all-of-the-sixty-three\nspec:\n  completionMode: Indexed\n  completions: 100\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: my-app:1.0}]\n", &["name: a-very-long-job-name-that-fills-almost-all-of-the-sixty-three"])
            .fail("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      manualSelector: true\n      selector: {matchLabels: {app: m}}\n      template:\n        metadata: {labels: {app: m}}\n        spec:\n          restartPolicy: Never\n          containers: [{name: m, image: my-app:1.0}]\n", &["manualSelector: true", "selector"])
            .fail(job("  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 4\n"), &["maxFailedIndexes: 4"])
            .fail(job("  successPolicy:\n    rules: [{succeededCount: 1}]\n"), &["successPolicy"])
            .fail(job("  completionMode: Indexed\n  completions: 3\n  successPolicy:\n    rules: [{succeededIndexes: \"2,1\"}, {succeededCount: 4}]\n"), &["succeededIndexes: \"2,1\"", "succeededCount: 4"])
            .fail(job("  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes: {containerName: other, operator: In, values: [0, 3, 3]}\n    - action: Ignore\n"), &["action: FailIndex", "containerName: other", "0", "3", "action: Ignore"])
            .fail("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: '0 3 * * *'\n  failedJobsHistoryLimit: -1\n  jobTemplate:\n    spec:\n      activeDeadlineSeconds: -5\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: m, image: my-app:1.0}]\n", &["failedJobsHistoryLimit: -1", "activeDeadlineSeconds: -5"])
            .run();
    }
}
