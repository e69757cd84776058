//! Checks of label selectors and selector requirements shared by the scheduling rules
//! (affinity-invalid, topology-spread-invalid): the API server validates each the same way.

use crate::k8s::names::{label_value, qualified_name};
use crate::rule::Context;
use crate::rules::edits::value_range;
use crate::syntax::NodeRef;

/// The operators a requirement of `kind` accepts; others are enum-value-invalid's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Requirement {
    /// A `labelSelector` expression: In, NotIn, Exists, DoesNotExist.
    Pod,
    /// A node selector term's `matchExpressions`: also Gt and Lt.
    Node,
}

/// Checks a `labelSelector` (`matchLabels` + `matchExpressions`); `what` names it in messages.
pub(crate) fn check_selector(selector: NodeRef<'_, '_>, what: &str, cx: &mut Context<'_>) {
    if let Some(labels) = selector.get("matchLabels") {
        for (key, value) in labels.entries() {
            check_key(key, what, cx);
            if let Some(text) = value.as_string() {
                if let Err(why) = label_value(text) {
                    cx.report(
                        value_range(cx.source, value),
                        format!("{what} value `{text}` is not a label value: {why}; no Pod label can have it"),
                    )
                    .help("use letters, digits, `-`, `_` and `.`, at most 63, starting and ending with a letter or digit");
                }
            }
        }
    }
    for expression in list(selector, "matchExpressions") {
        check_requirement(expression, Requirement::Pod, what, cx);
    }
}

/// Checks one `{key, operator, values}` requirement.
pub(crate) fn check_requirement(
    expression: NodeRef<'_, '_>,
    kind: Requirement,
    what: &str,
    cx: &mut Context<'_>,
) {
    if let Some(key) = expression.get("key") {
        check_key(key, what, cx);
    }
    let Some((op_key, op)) = expression.entry("operator") else {
        return;
    };
    let Some(operator) = op.as_str() else {
        return;
    };
    let values = expression.entry("values");
    let count = values.map_or(0, |(_, v)| v.items().count());
    let problem = match (operator, kind) {
        ("In" | "NotIn", _) if count == 0 => Some((
            format!("`operator: {operator}` compares the label with a list of values, but `values` is empty"),
            "list the values to match under `values:`",
        )),
        ("Exists" | "DoesNotExist", _) if count > 0 => Some((
            format!("`operator: {operator}` only looks at whether the label is there, so `values` must be left out"),
            "remove `values`, or use `In` to match specific values",
        )),
        ("Gt" | "Lt", Requirement::Node) if count != 1 => Some((
            format!("`operator: {operator}` compares the node label with one number, but {count} values are listed"),
            "give exactly one value, e.g. `values: [\"4\"]`",
        )),
        _ => None,
    };
    if let Some((message, help)) = problem {
        let range = match values {
            Some((key, _)) if count > 0 => key.range(),
            _ => op_key.range().cover(value_range(cx.source, op)),
        };
        cx.report(range, format!("{what}: {message}")).help(help);
        return;
    }
    if matches!(operator, "In" | "NotIn") {
        for value in values.into_iter().flat_map(|(_, v)| v.items()) {
            let Some(text) = value.as_string() else {
                continue;
            };
            if let Err(why) = label_value(text) {
                cx.report(
                    value_range(cx.source, value),
                    format!("{what} value `{text}` is not a label value: {why}; no label can have it"),
                )
                .help("use letters, digits, `-`, `_` and `.`, at most 63, starting and ending with a letter or digit");
            }
        }
    }
}

/// A label key: a qualified name.
pub(crate) fn check_key(key: NodeRef<'_, '_>, what: &str, cx: &mut Context<'_>) {
    let Some(text) = key.as_string() else {
        return;
    };
    if let Err(why) = qualified_name(text) {
        cx.report(
            value_range(cx.source, key),
            format!("{what} key `{text}` is not a label key: {why}"),
        )
        .help("write a label key such as `app` or `topology.kubernetes.io/zone`");
    }
}

/// The items of a list field; nothing when absent.
pub(crate) fn list<'d, 'src>(
    node: NodeRef<'d, 'src>,
    key: &str,
) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
    node.get(key)
        .into_iter()
        .flat_map(|l| l.items())
        .filter(|i| i.is_mapping())
}
