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
mod stream;
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

    /// A problem on stderr. Its text may come from a manifest or a config file: control
    /// characters (a newline that starts a GitHub `::error` command, an escape sequence) are
    /// shown escaped, never sent to the terminal.
    pub fn error(&mut self, message: &str) {
        let message = podlint_lint::text::escape_controls(message, &[]);
        let _ = writeln!(self.stderr, "podlint: {message}");
    }
}

/// A stream that remembers its first write error, so a run whose output was lost (a full
/// disk, `> /dev/full`, a closed pipe) ends with exit status 2 whatever the command did.
struct Tracked<'a> {
    inner: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl Write for Tracked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.remember(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.remember(result)
    }
}

impl Tracked<'_> {
    fn remember<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(error) = &result {
            if error.kind() != std::io::ErrorKind::Interrupted && self.error.is_none() {
                self.error = Some(std::io::Error::new(error.kind(), error.to_string()));
            }
        }
        result
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

/// Runs one command line. Every write to stdout or stderr is checked: a lost write makes the
/// exit status 2, and a lost stdout is reported on stderr (unless the reader just closed the
/// pipe, as `podlint check | head` does).
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, io: &mut Io) -> ExitStatus {
    let mut stdout = Tracked {
        inner: &mut *io.stdout,
        error: None,
    };
    let mut stderr = Tracked {
        inner: &mut *io.stderr,
        error: None,
    };
    let mut tracked = Io {
        stdin: &mut *io.stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdout_is_terminal: io.stdout_is_terminal,
    };
    let status = run_command(args, &mut tracked);
    let _ = tracked.stdout.flush();
    let lost_stdout = stdout.error.take();
    let lost_stderr = stderr.error.is_some();
    if let Some(error) = &lost_stdout {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(io.stderr, "podlint: cannot write the output: {error}");
        }
    }
    if lost_stdout.is_some() || lost_stderr {
        return ExitStatus::Usage;
    }
    status
}

fn run_command(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    io: &mut Io,
) -> ExitStatus {
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
