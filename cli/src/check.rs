//! `podlint check`: lint every input in parallel, print the findings, set the exit status.

use std::io::IsTerminal;

use rayon::prelude::*;

use crate::args::{CheckArgs, ColorChoice, Format, Threshold};
use crate::render::{self, plural, Counts, Located, Locator};
use crate::walk::{self, Input};
use crate::{ExitStatus, Io};
use podlint_lint::project::FileFacts;
use podlint_lint::{Diagnostic, Settings};

/// What linting one file produced, ready to print.
pub(crate) struct FileResult {
    /// The path as given (or the stdin name).
    pub(crate) name: String,
    pub(crate) located: Vec<Located>,
    /// The human rendering, made while the file's text was at hand.
    pub(crate) human: String,
    /// Set when the file could not be read.
    pub(crate) io_error: Option<String>,
    /// The findings, kept for the human report only: cross-object findings made after the
    /// file was linted are rendered together with them.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// What cross-object rules need to know about this file.
    pub(crate) facts: FileFacts,
}

pub fn run(args: &CheckArgs, io: &mut Io) -> ExitStatus {
    let resolver = match crate::config::resolver(&args.rules, &args.config) {
        Ok(resolver) => resolver,
        Err(message) => {
            io.error(&message);
            return ExitStatus::Usage;
        }
    };
    let format = Format::resolve(args.format, in_github_actions());
    let (inputs, walk_errors) = walk::collect(&args.paths);
    for error in &walk_errors {
        io.error(error);
    }
    // Each input's settings, from its nearest `.podlint.yaml`; excluded files drop out.
    let plan = crate::config::plan(&resolver, inputs, args.stdin_filename.as_deref());
    for error in &plan.errors {
        io.error(error);
    }
    let inputs: Vec<Input> = plan.jobs.iter().map(|(input, _)| input.clone()).collect();
    let stdin_text = if inputs.contains(&Input::Stdin) {
        let mut bytes = Vec::new();
        if let Err(error) = io.stdin.read_to_end(&mut bytes) {
            io.error(&format!("cannot read stdin: {error}"));
            return ExitStatus::Usage;
        }
        Some(bytes)
    } else {
        None
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io.stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    let lint_one = |(input, settings): &(Input, std::sync::Arc<Settings>)| -> FileResult {
        let (name, bytes) = match input {
            Input::Stdin => (
                stdin_name.clone(),
                Ok(stdin_text.clone().unwrap_or_default()),
            ),
            Input::File(path) => (path.display().to_string(), std::fs::read(path)),
        };
        match bytes {
            Ok(bytes) => lint_file_in_project(&name, &bytes, settings, format, color),
            Err(error) => FileResult::unreadable(name, &error),
        }
    };
    let results: Vec<FileResult> = match args.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| plan.jobs.par_iter().map(lint_one).collect()),
            Err(error) => {
                io.error(&format!("cannot start {threads} threads: {error}"));
                return ExitStatus::Usage;
            }
        },
        None => plan.jobs.par_iter().map(lint_one).collect(),
    };
    let mut results = results;
    crate::project::add_cross_object_findings(
        &mut results,
        &plan.jobs,
        stdin_text.as_deref(),
        format,
        color,
    );

    let mut counts = Counts::default();
    let mut files_with_findings = 0;
    let mut io_errors = !walk_errors.is_empty() || !plan.errors.is_empty();
    for result in &results {
        if let Some(error) = &result.io_error {
            io.error(error);
            io_errors = true;
        }
        for d in &result.located {
            counts.add(d.severity);
        }
        files_with_findings += usize::from(!result.located.is_empty());
    }
    let mut out = render_findings(format, &results, inputs.len());
    if !format.is_machine_readable() {
        out.push_str(&summary(counts, files_with_findings, inputs.len()));
        if !args.statistics {
            out.push_str(&frequent_rules(&results));
        }
    }
    io.print(&out);
    if args.statistics {
        print_statistics(io, format, &results);
    }

    if io_errors {
        return ExitStatus::Usage;
    }
    exit_status(args.severity_threshold, counts)
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

pub(crate) fn lint_file(
    name: &str,
    bytes: &[u8],
    settings: &Settings,
    format: Format,
    color: bool,
) -> FileResult {
    let (text, diagnostics) = podlint_lint::lint_bytes(bytes, settings);
    report_file(name, &text, diagnostics, format, color)
}

/// As [`lint_file`] for one file of the set `check` lints: its cross-object findings come
/// later, from every file's facts.
fn lint_file_in_project(
    name: &str,
    bytes: &[u8],
    settings: &Settings,
    format: Format,
    color: bool,
) -> FileResult {
    let (text, diagnostics, facts) = podlint_lint::lint_bytes_in_project(bytes, settings);
    FileResult {
        facts,
        ..report_file(name, &text, diagnostics, format, color)
    }
}

/// Locates and renders a file's findings while its text is at hand.
pub(crate) fn report_file(
    name: &str,
    text: &str,
    diagnostics: Vec<Diagnostic>,
    format: Format,
    color: bool,
) -> FileResult {
    let locator = Locator::new(text);
    let located = diagnostics
        .iter()
        .map(|d| locator.locate(name, d))
        .collect();
    let mut human = String::new();
    if format == Format::Human {
        render::human::render(&mut human, name, text, &diagnostics, color);
    }
    FileResult {
        name: name.to_string(),
        located,
        human,
        io_error: None,
        diagnostics: if format == Format::Human {
            diagnostics
        } else {
            Vec::new()
        },
        facts: FileFacts::default(),
    }
}

impl FileResult {
    pub(crate) fn unreadable(name: String, error: &std::io::Error) -> Self {
        Self {
            io_error: Some(format!("{name}: cannot read: {error}")),
            name,
            located: Vec::new(),
            human: String::new(),
            diagnostics: Vec::new(),
            facts: FileFacts::default(),
        }
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
fn frequent_rules(results: &[FileResult]) -> String {
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

/// Whether this process's stdout is a terminal (for `--color auto`).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
