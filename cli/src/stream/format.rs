//! Each finding rendered on its own in the run's format, in the worker that linted its file;
//! and what goes around them (the JSON and SARIF envelopes, JUnit's suites).

use std::io::Write;

use super::spool::Item;
use crate::args::Format;
use crate::render::human::Style;
use crate::render::json::Envelope;
use crate::render::{self, Finding, Located, Locator, Paths};
use podlint_lint::{Diagnostic, Severity};

pub(crate) struct Formatter {
    format: Format,
    style: Style,
    paths: Paths,
    /// Where the findings go in a JSON or SARIF document.
    envelope: Option<Envelope>,
}

impl Formatter {
    /// `files`: how many files the run checks (the JSON report says).
    pub(crate) fn new(format: Format, style: Style, files: usize) -> Self {
        let paths = Paths::from_current_dir();
        let envelope = match format {
            Format::Json => Some(render::json::envelope(files)),
            Format::Sarif => Some(render::sarif::envelope(&paths)),
            _ => None,
        };
        Self {
            format,
            style,
            paths,
            envelope,
        }
    }

    /// A file's findings, each rendered, with what the closing lines count.
    pub(crate) fn render_file(
        &self,
        name: &str,
        text: &str,
        diagnostics: &[Diagnostic],
    ) -> (Vec<Item<&'static str>>, Vec<Finding>) {
        if diagnostics.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let locator = Locator::new(text);
        let located: Vec<Located> = diagnostics
            .iter()
            .map(|d| locator.locate(name, d))
            .collect();
        let human = if self.format == Format::Human {
            render::human::render_each(name, text, diagnostics, self.style)
        } else {
            Vec::new()
        };
        self.render_located(&located, human)
    }

    /// Located findings (and, for the human format, their blocks) as items.
    pub(crate) fn render_located(
        &self,
        located: &[Located],
        human: Vec<(Severity, String)>,
    ) -> (Vec<Item<&'static str>>, Vec<Finding>) {
        let mut human = human.into_iter();
        let items = located
            .iter()
            .map(|d| {
                let bytes = match human.next() {
                    Some((_, block)) => block.into_bytes(),
                    None => self.render_one(d),
                };
                Item {
                    start: d.range.start.offset,
                    end: d.range.end.offset,
                    rule: d.rule,
                    severity: d.severity,
                    bytes,
                }
            })
            .collect();
        (items, located.iter().map(Finding::of).collect())
    }

    fn render_one(&self, d: &Located) -> Vec<u8> {
        let mut out = String::new();
        match (self.format, &self.envelope) {
            (Format::Concise, _) => render::concise::render(&mut out, d),
            (Format::JsonLines, _) => render::json_lines::render(&mut out, d),
            (Format::Github, _) => render::github::render(&mut out, d, &self.paths),
            (Format::Junit, _) => render::junit::case(&mut out, d),
            (Format::Json, Some(envelope)) => return envelope.item(d),
            (Format::Sarif, Some(envelope)) => {
                return render::sarif::render_result(d, &self.paths, envelope)
            }
            // Rendered with the file's text, in `render_file`.
            (Format::Human | Format::Json | Format::Sarif, _) => {}
        }
        out.into_bytes()
    }

    /// The start of the report. `tests` and `failures`: JUnit's totals.
    pub(crate) fn start(&self, tests: usize, failures: usize) -> String {
        match (&self.envelope, self.format) {
            (Some(envelope), _) => envelope.start().to_string(),
            (None, Format::Junit) => render::junit::header(tests, failures),
            _ => String::new(),
        }
    }

    /// The end of the report, after `items` findings.
    pub(crate) fn end(&self, items: usize) -> String {
        match (&self.envelope, self.format) {
            (Some(envelope), _) => envelope.end(items),
            (None, Format::Junit) => render::junit::FOOTER.to_string(),
            _ => String::new(),
        }
    }

    /// Whether each file is a section of its own (JUnit's suites), clean files included.
    pub(crate) fn has_sections(&self) -> bool {
        self.format == Format::Junit
    }

    pub(crate) fn section_start(&self, name: &str, found: usize) -> String {
        render::junit::suite_start(name, found)
    }

    pub(crate) fn section_end(&self) -> &'static str {
        render::junit::SUITE_END
    }

    /// Writes one item after `written` others.
    pub(crate) fn write_item(
        &self,
        out: &mut impl Write,
        written: usize,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        if let Some(envelope) = &self.envelope {
            out.write_all(envelope.separator(written == 0).as_bytes())?;
        }
        out.write_all(bytes)
    }
}
