//! The report people read: miette draws the source, the underlined field, the other places
//! involved and what to do.

use std::fmt;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::text::{escape_controls, mask_controls, TextRange};

/// The line breaks a message or help may keep (podlint writes multi-line help).
const TEXT_BREAKS: &[char] = &['\n'];
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// Renders every finding of one file.
pub fn render(out: &mut String, path: &str, text: &str, diagnostics: &[Diagnostic], color: bool) {
    if diagnostics.is_empty() {
        return;
    }
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_context_lines(1);
    // Manifest text reaches a terminal here: its control characters are masked (the source,
    // offsets kept) or escaped (names, messages), so a manifest cannot drive the terminal.
    let path = escape_controls(path, &[]);
    let source = NamedSource::new(path.as_ref(), mask_controls(text).into_owned());
    for d in diagnostics {
        let report = Report { d, source: &source };
        if handler.render_report(out, &report).is_err() {
            out.push_str(&format!(
                "{path}: {}[{}] {}\n",
                d.severity.as_str(),
                d.rule,
                escape_controls(&d.message, &[])
            ));
        }
        out.push('\n');
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

/// The headline: `rule: message`, so the name to look up or suppress is on the first line.
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
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
