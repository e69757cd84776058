//! What the closing lines count, gathered finding by finding, so a streamed run keeps the
//! counts and not the findings.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::{Counts, Located};
use podlint_lint::Severity;

/// The counts of a run's findings: by severity, by severity and category, by rule.
#[derive(Debug, Default)]
pub struct Tally {
    pub counts: Counts,
    /// Worst severity first, then categories by name.
    pub by_category: BTreeMap<(Reverse<Severity>, &'static str), usize>,
    /// Each rule's findings, and how many of them have a fix.
    pub by_rule: BTreeMap<&'static str, (usize, usize)>,
}

impl Tally {
    pub fn add(&mut self, finding: Finding) {
        self.counts.add(finding.severity);
        *self
            .by_category
            .entry((Reverse(finding.severity), finding.category))
            .or_default() += 1;
        let rule = self.by_rule.entry(finding.rule).or_default();
        rule.0 += 1;
        rule.1 += usize::from(finding.fixable);
    }

    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Located>) -> Self {
        let mut tally = Self::default();
        findings.into_iter().for_each(|d| tally.add(Finding::of(d)));
        tally
    }

    /// Rules by how often they fired, most first; ties by name.
    pub fn ranked_rules(&self) -> Vec<(&'static str, (usize, usize))> {
        let mut rows: Vec<_> = self.by_rule.iter().map(|(r, n)| (*r, *n)).collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        rows
    }
}

/// What a tally needs of one finding.
#[derive(Debug, Clone, Copy)]
pub struct Finding {
    pub rule: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    pub fixable: bool,
}

impl Finding {
    pub fn of(d: &Located) -> Self {
        Self {
            rule: d.rule,
            category: d.category,
            severity: d.severity,
            fixable: d.fix.is_some(),
        }
    }
}
