//! The `podlint` command line. `main` wires the process in; `run` takes its streams as
//! arguments so tests drive the very same code in-process.

pub mod args;
pub mod check;
pub mod config;
pub mod fix;
pub mod render;
mod report;
pub mod rules_cmd;
pub mod sources;
pub mod walk;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, RuleSelection};
use podlint_lint::rules::parse_selector;
use podlint_lint::Settings;

/// The exit statuses: `docs/architecture.md` and the README list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the failing severity.
    Clean = 0,
    /// Findings at or above the failing severity.
    Findings = 1,
    /// A usage or I/O error.
    Usage = 2,
}

/// The streams a run reads and writes.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub stdout_is_terminal: bool,
}

impl Io<'_> {
    pub fn print(&mut self, text: &str) {
        // A closed pipe (`podlint check | head`) is not an error worth a panic.
        let _ = self.stdout.write_all(text.as_bytes());
        let _ = self.stdout.flush();
    }

    pub fn error(&mut self, message: &str) {
        let _ = writeln!(self.stderr, "podlint: {message}");
    }
}

pub fn main() -> ExitCode {
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let mut io = Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdout_is_terminal: check::stdout_is_terminal(),
    };
    ExitCode::from(run(std::env::args_os(), &mut io) as u8)
}

pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, io: &mut Io) -> ExitStatus {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let text = if io.stdout_is_terminal {
                error.render().ansi().to_string()
            } else {
                error.render().to_string()
            };
            if error.use_stderr() {
                let _ = io.stderr.write_all(text.as_bytes());
                return ExitStatus::Usage;
            }
            io.print(&text);
            return ExitStatus::Clean;
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args, io),
        Command::Fix(args) => fix::run(&args, io),
        Command::Rules(args) => rules_cmd::list(&args, io),
        Command::Rule(args) => rules_cmd::show(&args, io),
        Command::Config(args) => config::show(&args, io),
        // The `podlint` binary starts the language server before this crate is asked: the
        // command line does not depend on the server.
        Command::Lsp => {
            io.error("the language server is started by the `podlint` binary: `podlint lsp`");
            ExitStatus::Usage
        }
    }
}

/// The settings for a run: defaults, then `--select`, then `--ignore`.
pub fn settings_from(selection: &RuleSelection) -> Result<Settings, String> {
    let mut settings = Settings::default();
    for word in &selection.select {
        settings.select(parse_selector(word.trim())?);
    }
    for word in &selection.ignore {
        settings.ignore(parse_selector(word.trim())?);
    }
    if let Some(minor) = selection.kubernetes_version {
        settings.kubernetes_minor = minor;
    }
    Ok(settings)
}
