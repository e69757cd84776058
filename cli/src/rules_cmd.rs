//! `podlint rules` and `podlint rule NAME`: the rule list and each rule's documentation.

use serde::Serialize;

use crate::args::{ListFormat, RuleArgs, RulesArgs};
use crate::{ExitStatus, Io};
use podlint_lint::{FixAvailability, RULES};

#[derive(Serialize)]
struct RuleEntry {
    name: &'static str,
    category: &'static str,
    severity: &'static str,
    fixable: bool,
    summary: &'static str,
}

pub fn list(args: &RulesArgs, io: &mut Io) -> ExitStatus {
    let entries: Vec<RuleEntry> = RULES
        .iter()
        .map(|r| {
            let m = *r;
            RuleEntry {
                name: m.name,
                category: m.category.as_str(),
                severity: m.severity.as_str(),
                fixable: m.fix != FixAvailability::Never,
                summary: m.summary,
            }
        })
        .collect();
    let out = match args.format {
        ListFormat::Json => {
            serde_json::to_string_pretty(&entries).expect("plain data serialises") + "\n"
        }
        ListFormat::Text => {
            let width = entries.iter().map(|e| e.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for (e, rule) in entries.iter().zip(RULES) {
                let fix = if e.fixable { "fix" } else { "   " };
                let off = if rule.default_enabled { "   " } else { "off" };
                out.push_str(&format!(
                    "{:width$}  {:11}  {:7}  {fix}  {off}  {}\n",
                    e.name, e.category, e.severity, e.summary
                ));
            }
            out
        }
    };
    io.print(&out);
    ExitStatus::Clean
}

pub fn show(args: &RuleArgs, io: &mut Io) -> ExitStatus {
    let Some(rule) = podlint_lint::rules::rule(&args.name) else {
        let mut message = format!("no rule named `{}`", args.name);
        if let Some(close) = podlint_lint::rules::closest_rule(&args.name) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        io.error(&message);
        return ExitStatus::Usage;
    };
    io.print(&podlint_lint::docs::rule_markdown(rule));
    ExitStatus::Clean
}
