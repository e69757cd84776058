//! Label selectors as the API server evaluates them: `matchLabels` and `matchExpressions`.

use crate::syntax::{placeholder, NodeRef};

/// A selector read from a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Requirement>,
}

/// One `matchExpressions` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            match_labels: string_map(node)?,
            expressions: Vec::new(),
        })
    }

    /// A `LabelSelector` object. `None` when it holds something we cannot evaluate (a
    /// templated value, an unknown operator): better to say nothing than to guess.
    pub fn from_label_selector(node: NodeRef<'_, '_>) -> Option<Self> {
        if !node.is_mapping() {
            return None;
        }
        let match_labels = match node.get("matchLabels") {
            Some(labels) if !labels.is_null() => string_map(labels)?,
            _ => Vec::new(),
        };
        let mut expressions = Vec::new();
        for item in node
            .get("matchExpressions")
            .into_iter()
            .flat_map(|l| l.items())
        {
            let key = item.get("key")?.as_string()?.to_string();
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
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?;
            expressions.push(Requirement {
                key,
                operator,
                values,
            });
        }
        Some(Self {
            match_labels,
            expressions,
        })
    }

    /// An empty selector: a Service's selects nothing (its endpoints are managed by hand), a
    /// NetworkPolicy's or a PodDisruptionBudget's selects every pod of the namespace.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let value = |key: &str| labels.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        // A placeholder on either side (`app: ${APP}`) is a value podlint cannot know: it may
        // match.
        let same = |wanted: &String, have: &String| {
            wanted == have || placeholder::contains(wanted) || placeholder::contains(have)
        };
        self.match_labels
            .iter()
            .all(|(k, v)| value(k).is_some_and(|have| same(v, have)))
            && self.expressions.iter().all(|r| match r.operator {
                Operator::In => value(&r.key).is_some_and(|v| r.values.contains(v)),
                Operator::NotIn => value(&r.key).is_none_or(|v| !r.values.contains(v)),
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
            Operator::Exists => r.key.clone(),
            Operator::DoesNotExist => format!("!{}", r.key),
        }));
        parts.join(", ")
    }
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
