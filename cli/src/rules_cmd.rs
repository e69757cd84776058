//! `podlint rules` and `podlint rule NAME`: the rule list and each rule's documentation.

use serde::Serialize;

use crate::args::{ListFormat, RuleArgs, RulesArgs};
use crate::{ExitStatus, Io};
use podlint_lint::rules::PRESETS;
use podlint_lint::{FixAvailability, RULES};

#[derive(Serialize)]
struct RuleEntry {
    name: &'static str,
    category: &'static str,
    severity: &'static str,
    fixable: bool,
    /// Whether the rule runs unless configured otherwise.
    default_enabled: bool,
    /// The presets that turn it on.
    presets: Vec<&'static str>,
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
                default_enabled: m.default_enabled,
                presets: PRESETS
                    .iter()
                    .filter(|p| p.contains(m.name))
                    .map(|p| p.name)
                    .collect(),
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
            out.push_str(&presets_text());
            out
        }
    };
    io.print(&out);
    ExitStatus::Clean
}

/// The presets with their members, after the rule list.
fn presets_text() -> String {
    let mut out = String::from(
        "\nPresets: turn a set on in one word, `--select NAME` or `select: [NAME]` in .podlint.yaml\n(`ignore` and `severity` take them too; a rule's own name beats its preset's).\n",
    );
    let width = PRESETS.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for preset in PRESETS {
        for (i, line) in wrap(preset.summary, 98 - width).iter().enumerate() {
            let name = if i == 0 { preset.name } else { "" };
            let gap = if i == 0 { "\n" } else { "" };
            out.push_str(&format!("{gap}{name:width$}  {line}\n"));
        }
        let members = preset.members().join(", ");
        for line in wrap(&members, 96 - width) {
            out.push_str(&format!("{:width$}    {line}\n", ""));
        }
    }
    out
}

/// Greedy word wrap at `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
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
