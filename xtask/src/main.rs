//! `cargo xtask <task>`: repository chores written in Rust (the alias is in `.cargo/config.toml`).
//!
//! Each task is a module with a `run(args) -> ExitCode`; add one by adding a module and an arm.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod generate;
mod layers;
mod new_rule;

const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  generate [--check]
            write the rule registry, docs/rules.md, the config schema and the README's
            rule count from the rule files (--check: fail when any is stale)
  new-rule <rule-name> --area <area> [--hook pod|object|document|project]
            write a new rule's file and fixtures to fill in, and register it
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
        "generate" => generate::run(rest),
        "layers" => layers::run(rest),
        "new-rule" => new_rule::run(rest),
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

/// The workspace root: xtask/ sits in it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace root")
        .to_path_buf()
}
