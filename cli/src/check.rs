//! `podlint check`: lint every input in parallel, print the findings, set the exit status.

use std::io::IsTerminal;
use std::sync::Arc;

use rayon::prelude::*;

use crate::args::{CheckArgs, Format};
use crate::render::Counts;
use crate::report;
use crate::walk::{self, Input};
use crate::{ExitStatus, Io};
use podlint_lint::{engine, FilePass, Settings};

pub fn run(args: &CheckArgs, io: &mut Io) -> ExitStatus {
    let resolver = match crate::config::resolver(&args.rules, &args.config) {
        Ok(resolver) => resolver,
        Err(message) => {
            io.error(&message);
            return ExitStatus::Usage;
        }
    };
    let format = Format::resolve(args.format, report::in_github_actions());
    let (inputs, walk_errors) = walk::collect(&args.paths);
    for error in &walk_errors {
        io.error(error);
    }
    // Each input's settings, from its nearest `.podlint.yaml`; excluded files drop out.
    let plan = crate::config::plan(&resolver, inputs, args.stdin_filename.as_deref());
    for error in &plan.errors {
        io.error(error);
    }
    // A broken configuration lints nothing: findings under the wrong settings would mislead.
    if !plan.errors.is_empty() {
        return ExitStatus::Usage;
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
    let style = report::style(args.color, io.stdout_is_terminal);
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    // Every file alone, in parallel; then the stages that need them all.
    let read_and_lint = |(input, settings): &(Input, Arc<Settings>)| {
        let (name, bytes) = match input {
            Input::Stdin => (
                stdin_name.clone(),
                Ok(stdin_text.clone().unwrap_or_default()),
            ),
            Input::File(path) => (path.display().to_string(), std::fs::read(path)),
        };
        let pass = bytes.map(|bytes| engine::check_file(&bytes, settings.clone()));
        (name, pass)
    };
    let linted: Vec<(String, std::io::Result<FilePass>)> = match args.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| plan.jobs.par_iter().map(read_and_lint).collect()),
            Err(error) => {
                io.error(&format!("cannot start {threads} threads: {error}"));
                return ExitStatus::Usage;
            }
        },
        None => plan.jobs.par_iter().map(read_and_lint).collect(),
    };
    let results = report::finish(
        linted,
        format,
        style,
        walk::file_set(&args.paths, args.stdin_filename.is_some()),
    );

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
    let mut out = report::render_findings(format, &results, inputs.len());
    if !format.is_machine_readable() {
        out.push_str(&report::summary(
            counts,
            files_with_findings,
            inputs.len(),
            &results,
        ));
        if !args.statistics {
            out.push_str(&report::frequent_rules(&results));
        }
    }
    io.print(&out);
    if args.statistics {
        report::print_statistics(io, format, &results);
    }

    if io_errors {
        return ExitStatus::Usage;
    }
    report::exit_status(args.severity_threshold, counts)
}

/// Whether this process's stdout is a terminal (for `--color auto`).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
