//! Reporters. A file's findings are first *located* (byte ranges → line, column, offset) while
//! its text is at hand; every machine format renders from those, the human one from the text.

pub mod concise;
pub mod github;
pub mod json;
pub mod json_lines;
pub mod junit;
mod paths;
pub mod sarif;
pub mod statistics;
mod tally;

pub use paths::Paths;
/// The human report lives with the diagnostics, so the rule tests render it too.
pub use podlint_lint::render::human;
pub use tally::{Finding, Tally};

use podlint_lint::text::{LineCursor, TextRange};
use podlint_lint::{Diagnostic, Severity};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Position {
    /// 1-based.
    pub line: u32,
    /// 1-based, in Unicode scalar values.
    pub column: u32,
    /// 0-based, in bytes.
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocatedEdit {
    pub range: Range,
    pub replacement: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocatedFix {
    pub title: String,
    pub applicability: &'static str,
    pub edits: Vec<LocatedEdit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocatedLabel {
    pub range: Range,
    pub message: String,
}

/// One finding with positions people and tools can use; its fields are the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Located {
    pub path: String,
    pub rule: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: Range,
    pub help: Option<String>,
    pub fix: Option<LocatedFix>,
    pub labels: Vec<LocatedLabel>,
}

/// Turns byte ranges into positions for one file.
pub struct Locator<'a> {
    lines: LineCursor<'a>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            lines: LineCursor::new(text),
        }
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range {
            start: self.position(range.start()),
            end: self.position(range.end()),
        }
    }

    fn position(&self, offset: podlint_lint::text::TextSize) -> Position {
        let (line, column) = self.lines.line_col(offset);
        Position {
            line,
            column,
            offset: offset.into(),
        }
    }

    pub fn locate(&self, path: &str, d: &Diagnostic) -> Located {
        Located {
            path: path.to_string(),
            rule: d.rule,
            category: d.category.as_str(),
            severity: d.severity,
            message: d.message.clone(),
            range: self.range(d.range),
            help: d.help.clone(),
            fix: d.fix.as_ref().map(|fix| LocatedFix {
                title: fix.title.clone(),
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| LocatedEdit {
                        range: self.range(e.range),
                        replacement: e.replacement.clone(),
                    })
                    .collect(),
            }),
            labels: d
                .labels
                .iter()
                .map(|l| LocatedLabel {
                    range: self.range(l.range),
                    message: l.message.clone(),
                })
                .collect(),
        }
    }
}

/// Counts by severity, for summaries and the exit status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// "2 errors, 1 warning and 3 infos".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
