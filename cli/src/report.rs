//! What `check` and `fix` print: each file's findings located and rendered once every stage
//! has run, the summary line, `--statistics`, and the exit status.

use crate::args::{ColorChoice, Format, Threshold};
use crate::render::human::{Style, DEFAULT_WIDTH};
use crate::render::{self, plural, Counts, Located, Locator, Tally};
use crate::{ExitStatus, Io};
use rayon::prelude::*;

use podlint_lint::{engine, FilePass, FileReport, FileSet, Severity};

/// How the human report is drawn: in colour when asked (or when stdout is a terminal and
/// `NO_COLOR` is unset), as wide as `COLUMNS` says, else as the terminal, else 100 columns.
pub(crate) fn style(choice: ColorChoice, stdout_is_terminal: bool) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let columns = std::env::var("COLUMNS").ok();
    let terminal = || {
        stdout_is_terminal
            .then(|| terminal_size::terminal_size_of(std::io::stdout()))
            .flatten()
            .map(|(terminal_size::Width(w), _)| usize::from(w))
    };
    Style {
        color,
        width: width(columns.as_deref(), terminal),
    }
}

/// The report's width: `COLUMNS` when it is a number, else the terminal's, else 100; never
/// so narrow that a source line cannot show.
fn width(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> usize {
    const NARROWEST: usize = 40;
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(terminal)
        .unwrap_or(DEFAULT_WIDTH)
        .max(NARROWEST)
}

/// One file's findings, ready to print.
pub(crate) struct FileResult {
    /// The path as given (or the stdin name).
    pub(crate) name: String,
    pub(crate) located: Vec<Located>,
    /// The human rendering of each finding with its severity, when that is the format.
    pub(crate) human: Vec<(Severity, String)>,
    /// Set when the file could not be read.
    pub(crate) io_error: Option<String>,
}

impl FileResult {
    /// Locates and renders a file's findings.
    pub(crate) fn new(name: String, report: &FileReport, format: Format, style: Style) -> Self {
        let locator = Locator::new(&report.text);
        let located = report
            .diagnostics
            .iter()
            .map(|d| locator.locate(&name, d))
            .collect();
        let mut human = Vec::new();
        if format == Format::Human {
            human = render::human::render_each(&name, &report.text, &report.diagnostics, style);
        }
        Self {
            name,
            located,
            human,
            io_error: None,
        }
    }

    pub(crate) fn unreadable(name: String, error: &std::io::Error) -> Self {
        Self {
            io_error: Some(format!("{name}: cannot read: {error}")),
            name,
            located: Vec::new(),
            human: Vec::new(),
        }
    }
}

/// Finishes the files linted together and renders each one's findings; files that could
/// not be read keep their place in the order.
pub(crate) fn finish(
    linted: Vec<(String, std::io::Result<FilePass>)>,
    format: Format,
    style: Style,
    set: FileSet,
) -> Vec<FileResult> {
    let mut names = Vec::new();
    let mut passes = Vec::new();
    let mut results: Vec<Option<FileResult>> = Vec::with_capacity(linted.len());
    for (name, pass) in linted {
        match pass {
            Ok(pass) => {
                names.push((results.len(), name));
                passes.push(pass);
                results.push(None);
            }
            Err(error) => results.push(Some(FileResult::unreadable(name, &error))),
        }
    }
    let reports = engine::finish_set(passes, set);
    let rendered: Vec<(usize, FileResult)> = names
        .into_par_iter()
        .zip(reports.par_iter())
        .map(|((at, name), report)| (at, FileResult::new(name, report, format, style)))
        .collect();
    for (at, result) in rendered {
        results[at] = Some(result);
    }
    results.into_iter().flatten().collect()
}

/// Renders reports that are already finished (sources of builds, notes).
pub(crate) fn from_reports(
    reports: Vec<(String, FileReport)>,
    format: Format,
    style: Style,
) -> Vec<FileResult> {
    reports
        .into_par_iter()
        .map(|(name, report)| FileResult::new(name, &report, format, style))
        .collect()
}

/// 1 when anything reaches the threshold, else 0.
pub(crate) fn exit_status(threshold: Threshold, counts: Counts) -> ExitStatus {
    let failing = match threshold {
        Threshold::Never => 0,
        Threshold::Error => counts.errors,
        Threshold::Warning => counts.errors + counts.warnings,
        Threshold::Info => counts.total(),
    };
    if failing > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

/// Every file's findings in `format`; the summary line is the caller's.
pub(crate) fn render_findings(format: Format, results: &[FileResult], files: usize) -> String {
    let located = || results.iter().flat_map(|r| &r.located);
    let mut out = String::new();
    match format {
        // Errors of every file first, then warnings, then infos: the first screen shows the
        // worst of the whole run, not the infos of whichever file sorts first.
        Format::Human => {
            for severity in [Severity::Error, Severity::Warning, Severity::Info] {
                for (_, block) in results
                    .iter()
                    .flat_map(|r| &r.human)
                    .filter(|(s, _)| *s == severity)
                {
                    out.push_str(block);
                }
            }
        }
        Format::Concise => located().for_each(|d| render::concise::render(&mut out, d)),
        Format::Json => out = render::json::render(files, &located().cloned().collect::<Vec<_>>()),
        Format::JsonLines => located().for_each(|d| render::json_lines::render(&mut out, d)),
        Format::Github => {
            let paths = render::Paths::from_current_dir();
            located().for_each(|d| render::github::render(&mut out, d, &paths));
        }
        Format::Sarif => out = render::sarif::render(located(), &render::Paths::from_current_dir()),
        Format::Junit => {
            let files = results.iter().filter(|r| r.io_error.is_none());
            out = render::junit::render(files.map(|r| (r.name.as_str(), r.located.as_slice())));
        }
    }
    out
}

/// `--statistics`: after a text report on stdout; on stderr when stdout is a document.
pub(crate) fn print_statistics(io: &mut Io, format: Format, tally: &Tally) {
    let table = render::statistics::render(tally);
    if format.is_machine_readable() {
        let _ = io.stderr.write_all(table.as_bytes());
    } else {
        io.print(&table);
    }
}

/// GitHub Actions sets `GITHUB_ACTIONS=true` in every step.
pub(crate) fn in_github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true")
}

/// The closing lines: counts by severity, then for each severity its categories, so a reader
/// sees at once whether anything would be rejected and what kind of problem dominates.
pub(crate) fn summary(tally: &Tally, files_with_findings: usize, files: usize) -> String {
    let counts = tally.counts;
    let checked = plural(files, "file");
    if counts.total() == 0 {
        return format!("No problems found ({checked} checked).\n");
    }
    let mut parts = Vec::new();
    for (n, word) in [
        (counts.errors, "error"),
        (counts.warnings, "warning"),
        (counts.infos, "info"),
    ] {
        if n > 0 {
            parts.push(plural(n, word));
        }
    }
    let mut out = format!(
        "Found {} in {} ({checked} checked):\n",
        parts.join(", "),
        plural(files_with_findings, "file")
    );
    out.push_str(&by_category(tally));
    out
}

/// One line per severity found: `  error    2  api-rejects 1, correctness 1`.
fn by_category(tally: &Tally) -> String {
    let mut out = String::new();
    let mut rows = tally.by_category.iter().peekable();
    while let Some(((severity, _), _)) = rows.peek() {
        let severity = *severity;
        let mut ranked: Vec<(&str, usize)> = Vec::new();
        while let Some(((_, category), n)) = rows.next_if(|((s, _), _)| *s == severity) {
            ranked.push((category, *n));
        }
        let total: usize = ranked.iter().map(|(_, n)| n).sum();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let named: Vec<String> = ranked.iter().map(|(c, n)| format!("{c} {n}")).collect();
        out.push_str(&format!(
            "  {:<7} {total:>3}  {}\n",
            severity.0.as_str(),
            named.join(", ")
        ));
    }
    out
}

/// When a run finds a lot, most of it usually comes from a few rules: name them, and how to
/// read about one or turn it off, so a first run on a big repository is not a wall of text.
pub(crate) fn frequent_rules(tally: &Tally) -> String {
    const MANY: usize = 20;
    if tally.counts.total() < MANY {
        return String::new();
    }
    let top: Vec<String> = tally
        .ranked_rules()
        .iter()
        .take(3)
        .map(|(rule, (n, _))| format!("{rule} ({n})"))
        .collect();
    format!(
        "Most frequent: {}. `podlint rule NAME` explains a rule; `--ignore NAME` (or `ignore:` in .podlint.yaml) turns it off; `--statistics` counts every rule.\n",
        top.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::width;

    #[test]
    fn the_width_follows_columns_then_the_terminal_then_100() {
        assert_eq!(width(Some("132"), || Some(80)), 132);
        assert_eq!(width(Some("wide"), || Some(80)), 80);
        assert_eq!(width(None, || Some(80)), 80);
        assert_eq!(width(None, || None), 100);
        assert_eq!(width(Some("0"), || None), 100);
        assert_eq!(width(Some("10"), || None), 40);
    }
}
