//! Label selectors as the API server evaluates them: `matchLabels` and `matchExpressions`.

use crate::project::intern::{intern, Shared};
use crate::syntax::{placeholder, NodeRef};

/// A selector read from a manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabelSelector {
    pub match_labels: Box<[(Shared, Shared)]>,
    pub expressions: Box<[Requirement]>,
}

/// One `matchExpressions` item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Requirement {
    pub key: Shared,
    pub operator: Operator,
    pub values: Box<[Shared]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl LabelSelector {
    /// A Service's `spec.selector`: a plain map of labels.
    pub fn from_map(node: NodeRef<'_, '_>) -> Option<Self> {
        Some(Self {
            match_labels: shared_map(node)?,
            expressions: Box::default(),
        })
    }

    /// A `LabelSelector` object. `None` when it holds something we cannot evaluate (a
    /// templated value, an unknown operator): better to say nothing than to guess.
    pub fn from_label_selector(node: NodeRef<'_, '_>) -> Option<Self> {
        if !node.is_mapping() {
            return None;
        }
        let match_labels = match node.get("matchLabels") {
            Some(labels) if !labels.is_null() => shared_map(labels)?,
            _ => Box::default(),
        };
        let mut expressions = Vec::new();
        for item in node
            .get("matchExpressions")
            .into_iter()
            .flat_map(|l| l.items())
        {
            let key = intern(item.get("key")?.as_string()?);
            let operator = match item.get("operator")?.as_str()? {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                _ => return None,
            };
            let values = item
                .get("values")
                .into_iter()
                .flat_map(|v| v.items())
                .map(|v| v.as_str().map(intern))
                .collect::<Option<Box<[_]>>>()?;
            expressions.push(Requirement {
                key,
                operator,
                values,
            });
        }
        Some(Self {
            match_labels,
            expressions: expressions.into_boxed_slice(),
        })
    }

    /// An empty selector: a Service's selects nothing (its endpoints are managed by hand), a
    /// NetworkPolicy's or a PodDisruptionBudget's selects every pod of the namespace.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether pods with `labels` are selected.
    pub fn matches<L: AsRef<str>>(&self, labels: &[(L, L)]) -> bool {
        let value = |key: &str| {
            labels
                .iter()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v.as_ref())
        };
        // A placeholder on either side (`app: ${APP}`) is a value podlint cannot know: it may
        // match.
        let same = |wanted: &str, have: &str| {
            wanted == have || placeholder::contains(wanted) || placeholder::contains(have)
        };
        let listed = |values: &[Shared], v: &str| values.iter().any(|w| **w == *v);
        self.match_labels
            .iter()
            .all(|(k, v)| value(k).is_some_and(|have| same(v, have)))
            && self.expressions.iter().all(|r| match r.operator {
                Operator::In => value(&r.key).is_some_and(|v| listed(&r.values, v)),
                Operator::NotIn => value(&r.key).is_none_or(|v| !listed(&r.values, v)),
                Operator::Exists => value(&r.key).is_some(),
                Operator::DoesNotExist => value(&r.key).is_none(),
            })
    }

    /// `app=web, tier in (a, b)`, as `kubectl get -l` takes it.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        parts.extend(self.expressions.iter().map(|r| match r.operator {
            Operator::In => format!("{} in ({})", r.key, r.values.join(", ")),
            Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(", ")),
            Operator::Exists => r.key.to_string(),
            Operator::DoesNotExist => format!("!{}", r.key),
        }));
        parts.join(", ")
    }
}

/// A mapping of string keys to scalar values (labels), in source order, shared.
pub fn shared_map(node: NodeRef<'_, '_>) -> Option<Box<[(Shared, Shared)]>> {
    if !node.is_mapping() {
        return None;
    }
    node.entries()
        .map(|(k, v)| Some((intern(k.as_str()?), intern(v.as_str()?))))
        .collect()
}

/// A mapping of string keys to scalar values (labels), in source order.
pub fn string_map(node: NodeRef<'_, '_>) -> Option<Vec<(String, String)>> {
    if !node.is_mapping() {
        return None;
    }
    node.entries()
        .map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn selector(yaml: &str) -> LabelSelector {
        let parsed = parse(yaml);
        LabelSelector::from_label_selector(parsed.documents[0].root().unwrap()).unwrap()
    }

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn match_labels_and_expressions_both_apply() {
        let s = selector("matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [front, edge]}\n- {key: canary, operator: DoesNotExist}\n");
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "edge")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "back")])));
        assert!(!s.matches(&labels(&[
            ("app", "web"),
            ("tier", "front"),
            ("canary", "1")
        ])));
        assert_eq!(s.describe(), "app=web, tier in (front, edge), !canary");
    }

    #[test]
    fn unknown_operators_are_not_guessed() {
        let parsed = parse("matchExpressions:\n- {key: a, operator: Like}\n");
        assert!(LabelSelector::from_label_selector(parsed.documents[0].root().unwrap()).is_none());
    }
}
