//! What `check` and `fix` print: each file's findings located and rendered once every stage
//! has run, the summary line, `--statistics`, and the exit status.

use crate::args::{Format, Threshold};
use crate::render::{self, plural, Counts, Located, Locator};
use crate::{ExitStatus, Io};
use rayon::prelude::*;

use podlint_lint::{engine, FilePass, FileReport};

/// One file's findings, ready to print.
pub(crate) struct FileResult {
    /// The path as given (or the stdin name).
    pub(crate) name: String,
    pub(crate) located: Vec<Located>,
    /// The human rendering, when that is the format.
    pub(crate) human: String,
    /// Set when the file could not be read.
    pub(crate) io_error: Option<String>,
}

impl FileResult {
    /// Locates and renders a file's findings.
    pub(crate) fn new(name: String, report: &FileReport, format: Format, color: bool) -> Self {
        let locator = Locator::new(&report.text);
        let located = report
            .diagnostics
            .iter()
            .map(|d| locator.locate(&name, d))
            .collect();
        let mut human = String::new();
        if format == Format::Human {
            render::human::render(&mut human, &name, &report.text, &report.diagnostics, color);
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
            human: String::new(),
        }
    }
}

/// Finishes the files linted together and renders each one's findings; files that could
/// not be read keep their place in the order.
pub(crate) fn finish(
    linted: Vec<(String, std::io::Result<FilePass>)>,
    format: Format,
    color: bool,
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
    let reports = engine::finish(passes);
    let rendered: Vec<(usize, FileResult)> = names
        .into_par_iter()
        .zip(reports.par_iter())
        .map(|((at, name), report)| (at, FileResult::new(name, report, format, color)))
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
    color: bool,
) -> Vec<FileResult> {
    reports
        .into_par_iter()
        .map(|(name, report)| FileResult::new(name, &report, format, color))
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
        Format::Human => results.iter().for_each(|r| out.push_str(&r.human)),
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
pub(crate) fn print_statistics(io: &mut Io, format: Format, results: &[FileResult]) {
    let table = render::statistics::render(results.iter().flat_map(|r| &r.located));
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

pub(crate) fn summary(counts: Counts, files_with_findings: usize, files: usize) -> String {
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
    format!(
        "Found {} in {} ({checked} checked).\n",
        parts.join(", "),
        plural(files_with_findings, "file")
    )
}

/// When a run finds a lot, most of it usually comes from a few rules: name them, and how to
/// read about one or turn it off, so a first run on a big repository is not a wall of text.
pub(crate) fn frequent_rules(results: &[FileResult]) -> String {
    const MANY: usize = 20;
    let mut by_rule: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for d in results.iter().flat_map(|r| &r.located) {
        *by_rule.entry(d.rule).or_default() += 1;
    }
    let total: usize = by_rule.values().sum();
    if total < MANY {
        return String::new();
    }
    let mut ranked: Vec<_> = by_rule.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|(rule, n)| format!("{rule} ({n})"))
        .collect();
    format!(
        "Most frequent: {}. `podlint rule NAME` explains a rule; `--ignore NAME` (or `ignore:` in .podlint.yaml) turns it off; `--statistics` counts every rule.\n",
        top.join(", ")
    )
}
