//! Per-rule options (`rules: {required-label: {labels: [app, team]}}`): a small typed store
//! that rules query by rule name and key.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A value written under `rules.<rule>.<key>` in `.podlint.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<OptionValue>),
    Map(Vec<(String, OptionValue)>),
    Null,
}

impl OptionValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            OptionValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as JSON, for `podlint config --format json`.
    pub fn to_json(&self) -> String {
        match self {
            OptionValue::Bool(b) => b.to_string(),
            OptionValue::Int(i) => i.to_string(),
            OptionValue::Float(f) if f.is_finite() => f.to_string(),
            OptionValue::Float(_) | OptionValue::Null => "null".into(),
            OptionValue::String(s) => json_string(s),
            OptionValue::List(items) => {
                let items: Vec<_> = items.iter().map(Self::to_json).collect();
                format!("[{}]", items.join(","))
            }
            OptionValue::Map(entries) => {
                let entries: Vec<_> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json_string(k), v.to_json()))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
        }
    }
}

impl std::fmt::Display for OptionValue {
    /// Flow-style YAML, as people write it in the config file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionValue::String(s) => write!(f, "{s}"),
            OptionValue::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            OptionValue::Map(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{key}: {value}")?;
                }
                f.write_str("}")
            }
            other => f.write_str(&other.to_json()),
        }
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Conversion from a configured value to what a rule wants; `None` when the type differs.
pub trait FromOption: Sized {
    fn from_option(value: &OptionValue) -> Option<Self>;
}

impl FromOption for bool {
    fn from_option(value: &OptionValue) -> Option<Self> {
        match value {
            OptionValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl FromOption for i64 {
    fn from_option(value: &OptionValue) -> Option<Self> {
        match value {
            OptionValue::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl FromOption for f64 {
    fn from_option(value: &OptionValue) -> Option<Self> {
        match value {
            OptionValue::Int(i) => Some(*i as f64),
            OptionValue::Float(f) => Some(*f),
            _ => None,
        }
    }
}

impl FromOption for String {
    fn from_option(value: &OptionValue) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
}

impl FromOption for OptionValue {
    fn from_option(value: &OptionValue) -> Option<Self> {
        Some(value.clone())
    }
}

impl<T: FromOption> FromOption for Vec<T> {
    /// A list; a single value counts as a list of one (`labels: app`).
    fn from_option(value: &OptionValue) -> Option<Self> {
        match value {
            OptionValue::List(items) => items.iter().map(T::from_option).collect(),
            single => T::from_option(single).map(|v| vec![v]),
        }
    }
}

/// Every configured option, keyed by rule name then option key. Shared, never copied per file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleOptions(Arc<BTreeMap<(&'static str, String), OptionValue>>);

impl RuleOptions {
    pub fn get(&self, rule: &str, key: &str) -> Option<&OptionValue> {
        // Keys are few; a linear probe avoids allocating a lookup key.
        self.0
            .iter()
            .find(|((r, k), _)| *r == rule && k == key)
            .map(|(_, v)| v)
    }

    /// Sets `rule.key`, replacing an earlier value (a later layer wins).
    pub fn set(&mut self, rule: &'static str, key: &str, value: OptionValue) {
        Arc::make_mut(&mut self.0).insert((rule, key.to_string()), value);
    }

    /// `(rule, key, value)`, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str, &OptionValue)> {
        self.0.iter().map(|((r, k), v)| (*r, k.as_str(), v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_queries_convert_or_decline() {
        let mut options = RuleOptions::default();
        let labels = OptionValue::List(vec![
            OptionValue::String("app".into()),
            OptionValue::String("team".into()),
        ]);
        options.set("required-labels", "labels", labels);
        options.set("minimum-replicas", "min", OptionValue::Int(2));
        let get = |r, k| options.get(r, k).unwrap();
        assert_eq!(
            Vec::<String>::from_option(get("required-labels", "labels")),
            Some(vec!["app".to_string(), "team".to_string()])
        );
        assert_eq!(i64::from_option(get("minimum-replicas", "min")), Some(2));
        assert_eq!(bool::from_option(get("minimum-replicas", "min")), None);
        assert_eq!(
            Vec::<String>::from_option(&OptionValue::String("app".into())),
            Some(vec!["app".to_string()])
        );
        assert!(options.get("required-labels", "nope").is_none());
    }
}
