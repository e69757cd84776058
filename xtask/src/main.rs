//! `cargo xtask <task>`: repository chores written in Rust (the alias is in `.cargo/config.toml`).
//!
//! Each task is a module with a `run(args) -> ExitCode`; add one by adding a module and an arm.

use std::process::ExitCode;

mod layers;

const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  layers    fail when top-level modules of a crate import each other in a cycle,
            or a lower layer imports a higher one (see xtask/src/layers.rs)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    match task.as_str() {
        "layers" => layers::run(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => {
            eprint!("unknown task `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
