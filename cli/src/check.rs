//! `podlint check`: lint every input in parallel, print the findings, set the exit status.

use std::io::IsTerminal;

use rayon::prelude::*;

use crate::args::{CheckArgs, ColorChoice, Format, Threshold};
use crate::render::{self, plural, Counts, Located, Locator};
use crate::walk::{self, Input};
use crate::{ExitStatus, Io};
use podlint_lint::Settings;

/// What linting one file produced, ready to print.
struct FileResult {
    located: Vec<Located>,
    /// The human rendering, made while the file's text was at hand.
    human: String,
    /// Set when the file could not be read.
    io_error: Option<String>,
}

pub fn run(args: &CheckArgs, io: &mut Io) -> ExitStatus {
    let settings = match crate::settings_from(&args.rules) {
        Ok(settings) => settings,
        Err(message) => {
            io.error(&message);
            return ExitStatus::Usage;
        }
    };
    let (inputs, walk_errors) = walk::collect(&args.paths);
    for error in &walk_errors {
        io.error(error);
    }
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
    let lint_one = |input: &Input| -> FileResult {
        let (name, bytes) = match input {
            Input::Stdin => (
                stdin_name.clone(),
                Ok(stdin_text.clone().unwrap_or_default()),
            ),
            Input::File(path) => (path.display().to_string(), std::fs::read(path)),
        };
        match bytes {
            Ok(bytes) => lint_file(&name, &bytes, &settings, args.format, color),
            Err(error) => FileResult {
                located: Vec::new(),
                human: String::new(),
                io_error: Some(format!("{name}: cannot read: {error}")),
            },
        }
    };
    let results: Vec<FileResult> = match args.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| inputs.par_iter().map(lint_one).collect()),
            Err(error) => {
                io.error(&format!("cannot start {threads} threads: {error}"));
                return ExitStatus::Usage;
            }
        },
        None => inputs.par_iter().map(lint_one).collect(),
    };

    let mut counts = Counts::default();
    let mut files_with_findings = 0;
    let mut io_errors = !walk_errors.is_empty();
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
    let mut out = String::new();
    match args.format {
        Format::Human => {
            for result in &results {
                out.push_str(&result.human);
            }
            out.push_str(&summary(counts, files_with_findings, inputs.len()));
        }
        Format::Concise => {
            for d in results.iter().flat_map(|r| &r.located) {
                render::concise::render(&mut out, d);
            }
            out.push_str(&summary(counts, files_with_findings, inputs.len()));
        }
        Format::Json => {
            let all: Vec<Located> = results.into_iter().flat_map(|r| r.located).collect();
            out = render::json::render(inputs.len(), &all);
        }
    }
    io.print(&out);

    if io_errors {
        return ExitStatus::Usage;
    }
    let failing = match args.severity_threshold {
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

fn lint_file(
    name: &str,
    bytes: &[u8],
    settings: &Settings,
    format: Format,
    color: bool,
) -> FileResult {
    let (text, diagnostics) = podlint_lint::lint_bytes(bytes, settings);
    let locator = Locator::new(&text);
    let located = diagnostics
        .iter()
        .map(|d| locator.locate(name, d))
        .collect();
    let mut human = String::new();
    if format == Format::Human {
        render::human::render(&mut human, name, &text, &diagnostics, color);
    }
    FileResult {
        located,
        human,
        io_error: None,
    }
}

fn summary(counts: Counts, files_with_findings: usize, files: usize) -> String {
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

/// Whether this process's stdout is a terminal (for `--color auto`).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
