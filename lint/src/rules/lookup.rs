//! Finding rules in the registry by name, and the default settings: every rule at its default.

use super::presets::PRESETS;
use super::RULES;
use crate::rule::{settings, RuleMeta, RuleSelector, Settings};

/// Looks a rule up by its name.
pub fn rule(name: &str) -> Option<&'static RuleMeta> {
    rule_index(name).map(|i| RULES[i])
}

/// Where the rule `name` sits in [`RULES`].
pub fn rule_index(name: &str) -> Option<usize> {
    settings::rule_index(RULES, name)
}

/// The rule name nearest to a misspelt one, if any is near.
pub fn closest_rule(text: &str) -> Option<&'static str> {
    settings::closest_rule(RULES, text)
}

/// Reads a rule name, a preset, a category or `all`.
pub fn parse_selector(text: &str) -> Result<RuleSelector, String> {
    settings::parse_selector(RULES, PRESETS, text)
}

impl Default for Settings {
    /// The rules that are on unless configured otherwise, at their default severity.
    fn default() -> Self {
        Settings::with_defaults(RULES).with_presets(PRESETS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "RULES must be sorted and unique: {} then {}",
                pair[0].name,
                pair[1].name
            );
        }
        for meta in RULES {
            assert!(
                meta.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                meta.name
            );
            for heading in ["## What it does", "## Why", "## Example", "## How to fix"] {
                assert!(
                    meta.docs.contains(heading),
                    "{} docs lack `{heading}`",
                    meta.name
                );
            }
            assert!(!meta.summary.is_empty());
            assert!(std::ptr::eq(*meta, rule(meta.name).unwrap()));
        }
    }

    #[test]
    fn every_owned_field_is_a_schema_field_with_one_owner() {
        let mut owners: Vec<((&str, &str), &str)> = RULES
            .iter()
            .flat_map(|r| r.owns.iter().map(move |key| (*key, r.name)))
            .collect();
        owners.sort();
        for pair in owners.windows(2) {
            assert_ne!(
                pair[0].0, pair[1].0,
                "{} and {} both own it",
                pair[0].1, pair[1].1
            );
        }
        for ((ty, field), rule) in owners {
            let known = crate::schema::types_with_short_name(ty)
                .any(|t| t.fields().iter().any(|f| f.name == field));
            assert!(known, "{rule} owns {ty}.{field}, which the schema has not");
        }
    }
}
