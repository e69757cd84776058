use crate::k8s::{Pod, WorkloadKind};
use crate::rule::{Context, PodRule};
use crate::rules::edits::entry_range;
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports an `apps/v1` Deployment, ReplicaSet, StatefulSet or DaemonSet whose
    /// `spec.selector` is missing or empty, or does not select the Pods its own template
    /// creates: a `matchLabels` entry the template's `metadata.labels` lack or disagree
    /// with, or a `matchExpressions` requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`)
    /// they fail. For a ReplicationController, whose `spec.selector` is a plain map, each
    /// entry must appear in the template labels; leaving it out is fine, since it then
    /// defaults to the template labels.
    ///
    /// ## Why it matters in a Pod
    /// A controller does not remember which Pods it created: it finds them by its label
    /// selector, counts them, and creates or deletes Pods to reach the desired number. If
    /// the Pods it creates from its template did not match its own selector, it would never
    /// see them and would create new ones forever, so the API server rejects the object
    /// ("`selector` does not match template `labels`"). In `apps/v1` the selector is
    /// required and cannot be changed after creation.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: my-app
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: myapp
    /// ```
    ///
    /// ## How to fix
    /// Select on a label the template sets, with the same value — usually `app: <name>`.
    /// Keep the selector to stable labels (not `version`), so that rolling out a new
    /// version does not change which Pods the controller owns.
    pub struct SelectorTemplateMismatch {
        name: "selector-template-mismatch",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A controller's selector does not match its pod template's labels",
    }
}

impl PodRule for SelectorTemplateMismatch {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((spec_key, spec)) = pod.object.root.entry("spec") else {
            return;
        };
        let labels = TemplateLabels::of(pod, spec);
        let kind = pod.kind_name();
        match pod.workload {
            WorkloadKind::Deployment
            | WorkloadKind::ReplicaSet
            | WorkloadKind::StatefulSet
            | WorkloadKind::DaemonSet
                if pod.object.api_version_name() == "apps/v1" =>
            {
                check_label_selector(kind, spec_key.range(), spec, &labels, cx);
            }
            WorkloadKind::ReplicationController => {
                check_map_selector(kind, spec_key.range(), spec, &labels, cx);
            }
            _ => {}
        }
    }
}

/// The template's `metadata.labels` and where to point when talking about them.
struct TemplateLabels<'d, 'src> {
    map: Option<NodeRef<'d, 'src>>,
    anchor: TextRange,
}

impl<'d, 'src> TemplateLabels<'d, 'src> {
    fn of(pod: &Pod<'d, 'src>, spec: NodeRef<'d, 'src>) -> Self {
        let metadata = pod.template.entry("metadata");
        let labels = metadata.and_then(|(_, m)| m.entry("labels"));
        let anchor = match (labels, metadata, spec.entry("template")) {
            (Some((key, _)), _, _) | (None, Some((key, _)), _) | (None, None, Some((key, _))) => {
                key.range()
            }
            (None, None, None) => pod.template.range(),
        };
        Self {
            map: labels.map(|(_, l)| l).filter(|l| l.is_mapping()),
            anchor,
        }
    }

    fn get(&self, key: &str) -> Option<&'d str> {
        self.map?.get(key)?.as_str()
    }

    fn is_empty(&self) -> bool {
        self.map.is_none_or(|m| m.entries().next().is_none())
    }

    fn label_text(&self) -> &'static str {
        if self.map.is_some() {
            "the template's labels"
        } else {
            "the template has no labels"
        }
    }
}

fn check_label_selector(
    kind: &str,
    spec_key: TextRange,
    spec: NodeRef<'_, '_>,
    labels: &TemplateLabels<'_, '_>,
    cx: &mut Context<'_>,
) {
    let Some((selector_key, selector)) = spec.entry("selector").filter(|(_, s)| !s.is_null())
    else {
        cx.report(spec_key, format!("this {kind} has no `spec.selector`; in apps/v1 it is required, because the controller finds its Pods by it"))
            .label(labels.anchor, labels.label_text())
            .help("add `selector: {matchLabels: {app: <name>}}` with a label the template sets, with the same value");
        return;
    };
    if !selector.is_mapping() {
        // A selector of the wrong shape is a decoding error, reported by schema-type-mismatch.
        return;
    }
    let match_labels = selector.get("matchLabels").filter(|m| m.is_mapping());
    let expressions = selector.get("matchExpressions").filter(|m| m.is_sequence());
    let requirements = match_labels.map_or(0, |m| m.entries().count())
        + expressions.map_or(0, |e| e.items().count());
    if requirements == 0 {
        cx.report(selector_key.range(), format!("this {kind}'s selector is empty; the controller finds its Pods by it, and an empty selector would match every Pod in the namespace"))
            .label(labels.anchor, labels.label_text())
            .help("select on a label the template sets, e.g. `matchLabels: {app: <name>}`");
        return;
    }
    for (key, value) in match_labels.into_iter().flat_map(|m| m.entries()) {
        let (Some(name), Some(wanted)) = (key.as_str(), value.as_str()) else {
            continue;
        };
        let problem = match labels.get(name) {
            Some(actual) if actual == wanted => continue,
            Some(actual) => format!("the template sets `{name}: {actual}`"),
            None => format!("the template has no `{name}` label"),
        };
        report_mismatch(
            kind,
            entry_range(cx.source, key, value),
            &format!("`{name}: {wanted}`"),
            &problem,
            labels,
            cx,
        );
    }
    for expression in expressions.into_iter().flat_map(|e| e.items()) {
        check_expression(kind, expression, labels, cx);
    }
}

fn check_expression(
    kind: &str,
    expression: NodeRef<'_, '_>,
    labels: &TemplateLabels<'_, '_>,
    cx: &mut Context<'_>,
) {
    let Some((key_key, key_node)) = expression.entry("key") else {
        return;
    };
    let (Some(name), Some(operator)) = (
        key_node.as_str(),
        expression.get("operator").and_then(|o| o.as_str()),
    ) else {
        return;
    };
    let values: Vec<&str> = expression
        .get("values")
        .into_iter()
        .flat_map(|v| v.items())
        .filter_map(|v| v.as_str())
        .collect();
    let actual = labels.get(name);
    let matches = match operator {
        "In" => actual.is_some_and(|a| values.contains(&a)),
        "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
        "Exists" => actual.is_some(),
        "DoesNotExist" => actual.is_none(),
        // Unknown operators are another rule's business.
        _ => return,
    };
    if matches {
        return;
    }
    let problem = match actual {
        Some(a) => format!("the template sets `{name}: {a}`"),
        None => format!("the template has no `{name}` label"),
    };
    let requirement = match operator {
        "In" | "NotIn" => format!("`{name}` {operator} [{}]", values.join(", ")),
        _ => format!("`{name}` {operator}"),
    };
    let range = entry_range(cx.source, key_key, key_node);
    report_mismatch(kind, range, &requirement, &problem, labels, cx);
}

fn report_mismatch(
    kind: &str,
    range: TextRange,
    requirement: &str,
    problem: &str,
    labels: &TemplateLabels<'_, '_>,
    cx: &mut Context<'_>,
) {
    cx.report(range, format!("this {kind}'s selector requires {requirement}, but {problem}; the controller would never find the Pods it creates"))
        .label(labels.anchor, labels.label_text())
        .help("make the selector and the template's `metadata.labels` agree: select on a label the template sets, with the same value");
}

/// A ReplicationController's selector is a plain map, defaulted from the template labels.
fn check_map_selector(
    kind: &str,
    spec_key: TextRange,
    spec: NodeRef<'_, '_>,
    labels: &TemplateLabels<'_, '_>,
    cx: &mut Context<'_>,
) {
    let selector = spec
        .entry("selector")
        .filter(|(_, s)| s.is_mapping() && s.entries().next().is_some());
    let Some((_, selector)) = selector else {
        if labels.is_empty() {
            cx.report(spec_key, format!("this {kind} has neither a selector nor template labels to default it from; the controller finds its Pods by them"))
                .label(labels.anchor, labels.label_text())
                .help("add labels to the template's metadata, e.g. `app: <name>`");
        }
        return;
    };
    for (key, value) in selector.entries() {
        let (Some(name), Some(wanted)) = (key.as_str(), value.as_str()) else {
            continue;
        };
        let problem = match labels.get(name) {
            Some(actual) if actual == wanted => continue,
            Some(actual) => format!("the template sets `{name}: {actual}`"),
            None => format!("the template has no `{name}` label"),
        };
        report_mismatch(
            kind,
            entry_range(cx.source, key, value),
            &format!("`{name}: {wanted}`"),
            &problem,
            labels,
            cx,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn deployment(selector: &str, labels: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{selector}  template:\n    metadata:\n      labels:\n{labels}    spec:\n      containers:\n      - name: web\n        image: a\n")
    }

    const APP: &str = "        app: web\n        version: v1\n";

    #[test]
    fn the_selector_must_select_the_template() {
        let rc = |selector: &str| {
            format!("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n{selector}  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: a\n")
        };
        RuleTest::new(&super::SelectorTemplateMismatch::META)
            .pass(deployment("  selector:\n    matchLabels:\n      app: web\n", APP))
            .pass(deployment("  selector:\n    matchExpressions:\n    - {key: app, operator: In, values: [web, api]}\n    - {key: canary, operator: DoesNotExist}\n    - {key: version, operator: NotIn, values: [v0]}\n", APP))
            .pass(rc(""))
            .pass(rc("  selector:\n    app: web\n"))
            .fail(deployment("  selector:\n    matchLabels:\n      app: my-web\n", APP), &["app: my-web"])
            .fail(deployment("  selector:\n    matchLabels:\n      tier: web\n", APP), &["tier: web"])
            .fail(deployment("", APP), &["spec"])
            .fail(deployment("  selector: {}\n", APP), &["selector"])
            .fail(deployment("  selector:\n    matchExpressions:\n    - {key: version, operator: In, values: [v2]}\n    - {key: app, operator: DoesNotExist}\n", APP), &["key: version", "key: app"])
            .fail(rc("  selector:\n    app: api\n"), &["app: api"])
            .run();
    }
}
