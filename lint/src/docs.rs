//! The documents made from the rules' own declarations: `docs/rules.md`, a rule's page as
//! `podlint rule NAME` prints it, and the JSON schema of `.podlint.yaml`. `cargo xtask
//! generate` writes the files; tests check they are current.

use std::fmt::Write;

use crate::diagnostic::Category;
use crate::rule::{FixAvailability, RuleMeta};
use crate::rules::{PRESETS, RULES};

/// The JSON schema of `.podlint.yaml`, every rule's options included.
pub fn config_schema() -> String {
    crate::config::json_schema_text()
}

/// A rule's documentation as `podlint rule` prints it (Markdown).
pub fn rule_markdown(meta: &RuleMeta) -> String {
    let fix = match meta.fix {
        FixAvailability::Never => "no automatic fix",
        FixAvailability::Sometimes => "fix available for some findings",
        FixAvailability::Always => "fix available",
    };
    let enabled = enabled_text(meta);
    let mut out = format!(
        "# {}\n\n{} · {} · {} · {}\n\n",
        meta.name,
        meta.category.as_str(),
        meta.severity.as_str(),
        fix,
        enabled
    );
    for line in meta.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    if let Some(options) = meta.options_markdown() {
        out.push('\n');
        out.push_str(&options);
    }
    out
}

/// The whole page: an index by category, then one section per rule in name order.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("# podlint rules\n\n");
    let _ = writeln!(
        out,
        "<!-- Generated from each rule's doc comment (lint/src/rules/<area>/*.rs) by `cargo xtask generate`; do not edit by hand. -->\n"
    );
    let _ = writeln!(
        out,
        "{} rules. Turn them on and off with `--select`/`--ignore` (names, presets, categories or \
         `all`); `podlint rule NAME` prints a rule's section in the terminal.\n",
        RULES.len()
    );
    presets_markdown(&mut out);
    for category in Category::ALL {
        let rules: Vec<&RuleMeta> = RULES
            .iter()
            .copied()
            .filter(|m| m.category == category)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "## {} (default: {})\n",
            category.as_str(),
            category.default_severity().as_str()
        );
        out.push_str("| rule | severity | fix | summary |\n|---|---|---|---|\n");
        for m in rules {
            let _ = writeln!(
                out,
                "| [`{}`](#{}) | {} | {} | {} |",
                m.name,
                m.name,
                m.severity.as_str(),
                fixability(m),
                m.summary.replace('|', "\\|")
            );
        }
        out.push('\n');
    }
    for rule in RULES {
        section(&mut out, rule);
    }
    // Some doc comments already leave a blank line after a heading.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// "on by default", or "off by default" with the presets that turn the rule on.
fn enabled_text(m: &RuleMeta) -> String {
    if m.default_enabled {
        return "on by default".into();
    }
    let presets: Vec<String> = PRESETS
        .iter()
        .filter(|p| p.contains(m.name))
        .map(|p| format!("`{}`", p.name))
        .collect();
    if presets.is_empty() {
        "off by default".into()
    } else {
        format!("off by default; on in the presets {}", presets.join(", "))
    }
}

/// What is on by default, and the presets that turn the rest on in one word.
fn presets_markdown(out: &mut String) {
    out.push_str(
        "## Defaults and presets

",
    );
    out.push_str(
        "On by default: what the API server rejects or warns about, what breaks when the Pod \
         runs, and the Pod Security Standards' baseline. What a team may reasonably decide \
         otherwise is off, in presets turned on in one word: `--select recommended`, or \
         `select: [probes]` in `.podlint.yaml`. `ignore:` and `severity:` take presets too; \
         a rule's own name beats its preset, which beats a category.\n\n",
    );
    out.push_str("| preset | what it asks | rules |\n|---|---|---|\n");
    for preset in PRESETS {
        let members: Vec<String> = preset
            .members()
            .iter()
            .map(|r| format!("[`{r}`](#{r})"))
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            preset.name,
            preset.summary.replace('|', "\\|"),
            members.join(", ")
        );
    }
    out.push('\n');
}

fn section(out: &mut String, m: &RuleMeta) {
    let enabled = enabled_text(m);
    let _ = writeln!(out, "## {}\n", m.name);
    let _ = writeln!(
        out,
        "**{}** · category `{}` · default severity `{}` · fix: {} · {enabled}\n",
        m.summary,
        m.category.as_str(),
        m.severity.as_str(),
        fixability(m)
    );
    // The doc comment's own headings sit one level below the rule's (not `#` lines in code).
    // A rule with options gets their section, generated from its options struct, last.
    let mut lines: Vec<&str> = m
        .docs
        .trim_end()
        .lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    let options = m.options_markdown().unwrap_or_default();
    if !options.is_empty() {
        lines.push("");
        lines.extend(options.trim_end().lines());
    }
    let mut in_code = false;
    for line in lines {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let heading = !in_code && line.starts_with('#');
        if heading {
            out.push('#');
        }
        out.push_str(line.trim_end());
        out.push('\n');
        // Markdown wants a blank line after a heading; the doc comments save it.
        if heading {
            out.push('\n');
        }
    }
    out.push('\n');
}

fn fixability(m: &RuleMeta) -> &'static str {
    match m.fix {
        FixAvailability::Never => "none",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    }
}
