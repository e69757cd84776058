//! The report people read: miette draws the source, the underlined field, the other places
//! involved and what to do. Each severity has its own marker and word (`× error`, `⚠ warning`,
//! `ℹ info`), so a real mistake never looks like advice, in colour or not.

use std::fmt;

use super::indexed::LineIndexed;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::text::{escape_controls, mask_controls, TextRange};

/// The line breaks a message or help may keep (podlint writes multi-line help).
const TEXT_BREAKS: &[char] = &['\n'];
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// The width of a report that is not going to a terminal.
pub const DEFAULT_WIDTH: usize = 100;

/// How the report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Columns to wrap at.
    pub width: usize,
}

impl Style {
    pub fn plain() -> Self {
        Self {
            color: false,
            width: DEFAULT_WIDTH,
        }
    }
}

/// Renders every finding of one file, errors first, then warnings, then infos (each in the
/// order given).
pub fn render(out: &mut String, path: &str, text: &str, diagnostics: &[Diagnostic], color: bool) {
    let style = Style {
        color,
        ..Style::plain()
    };
    let mut blocks = render_each(path, text, diagnostics, style);
    blocks.sort_by_key(|(severity, _)| std::cmp::Reverse(*severity));
    for (_, block) in blocks {
        out.push_str(&block);
    }
}

/// Renders each finding of one file on its own, in the order given, with its severity, so a
/// report over many files can lead with the errors of all of them.
pub fn render_each(
    path: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    style: Style,
) -> Vec<(Severity, String)> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let mut theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    theme.characters.advice = "ℹ".into();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        .with_context_lines(1);
    // Manifest text reaches a terminal here: its control characters are masked (the source,
    // offsets kept) or escaped (names, messages), so a manifest cannot drive the terminal.
    let path = escape_controls(path, &[]);
    // Indexed once per file: each finding's snippet then costs its own lines, not the file's.
    let source = NamedSource::new(
        path.as_ref(),
        LineIndexed::new(mask_controls(text).into_owned()),
    );
    diagnostics
        .iter()
        .map(|d| {
            let mut out = String::new();
            let report = Report { d, source: &source };
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&format!(
                    "{path}: {}[{}] {}\n",
                    d.severity.as_str(),
                    d.rule,
                    escape_controls(&d.message, &[])
                ));
            }
            out.push('\n');
            (d.severity, out)
        })
        .collect()
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: &'a NamedSource<LineIndexed>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

/// The headline: `severity[rule]: message`, so the weight of the finding and the name to look
/// up or suppress are on the first line.
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}",
            self.d.severity.as_str(),
            self.d.rule,
            escape_controls(&self.d.message, TEXT_BREAKS)
        )
    }
}

impl std::error::Error for Report<'_> {}

fn span(range: TextRange) -> SourceSpan {
    SourceSpan::new(usize::from(range.start()).into(), usize::from(range.len()))
}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut help = self.d.help.clone().unwrap_or_default();
        if let Some(fix) = &self.d.fix {
            if !help.is_empty() {
                help.push('\n');
            }
            let how = match fix.applicability {
                Applicability::Safe => "`podlint fix`",
                Applicability::Unsafe => "`podlint fix --unsafe-fixes`",
            };
            help.push_str(&format!("fix: {} ({how})", fix.title));
        }
        let help = escape_controls(&help, TEXT_BREAKS).into_owned();
        (!help.is_empty()).then(|| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(None, span(self.d.range));
        let others = self.d.labels.iter().map(|l| {
            let message = escape_controls(&l.message, &[]).into_owned();
            LabeledSpan::new_with_span(Some(message), span(l.range))
        });
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
}
