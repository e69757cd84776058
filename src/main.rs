//! The `podlint` binary: one program for the command line and the language server. Everything
//! lives in the crates so tests drive the very same code in-process; this file only dispatches
//! the process's arguments: `podlint lsp` to `podlint-lsp`, the rest to `podlint-cli`.

use std::process::ExitCode;

mod allocator;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let wants_help = std::env::args_os().any(|a| a == "--help" || a == "-h");
    if args.next().is_some_and(|command| command == "lsp") && !wants_help {
        return lsp(args);
    }
    podlint_cli::main()
}

/// `podlint lsp [--stdio] [--clientProcessId=N]`: exit status 0 after `shutdown` then `exit`,
/// 1 when the client exits without `shutdown` (as LSP asks), 2 when it cannot start.
fn lsp(args: impl Iterator<Item = std::ffi::OsString>) -> ExitCode {
    if let Err(message) = podlint_lsp::launch::check_args(args) {
        eprintln!("podlint: {message}");
        return ExitCode::from(2);
    }
    match podlint_lsp::run_stdio() {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(error) => {
            eprintln!("podlint: cannot start the language server: {error}");
            ExitCode::from(2)
        }
    }
}
