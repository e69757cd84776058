//! The `podlint` binary: one program for the command line and the language server. Everything
//! lives in the crates so tests drive the very same code in-process; this file only dispatches
//! the process's arguments: `podlint lsp` to `podlint-lsp`, the rest to `podlint-cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "lsp")
    {
        return match podlint_lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("podlint: cannot start the language server: {error}");
                ExitCode::from(2)
            }
        };
    }
    podlint_cli::main()
}
