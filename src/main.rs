//! The `podlint` binary. Everything lives in the `podlint-cli` crate so that tests can drive
//! the very same code in-process; this file only hands it the process's arguments and streams.

fn main() -> std::process::ExitCode {
    podlint_cli::main()
}
