//! `parse-floor`: the "bare parse" lower bound for podlint's benchmark.
//!
//! Walks the given directories (respecting ignore files, like podlint), reads
//! every `*.yaml` / `*.yml` file and pulls every event out of saphyr-parser,
//! in parallel. No tree is built and nothing is checked, so a linter built on
//! the same parser cannot be faster than this at the same thread count.
//!
//! Usage: `parse-floor [--threads N] DIR...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use saphyr_parser::Parser;

/// What one run saw; printed so the harness can check every tool read the same corpus.
#[derive(Default)]
struct Totals {
    files: AtomicU64,
    bytes: AtomicU64,
    events: AtomicU64,
    errors: AtomicU64,
}

struct Args {
    threads: Option<usize>,
    roots: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut threads = None;
    let mut roots = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" | "-j" => {
                let value = args.next().ok_or("--threads needs a number")?;
                threads = Some(parse_threads(&value)?);
            }
            "-h" | "--help" => {
                return Err("usage: parse-floor [--threads N] DIR...".to_owned());
            }
            _ => match arg.strip_prefix("--threads=") {
                Some(value) => threads = Some(parse_threads(value)?),
                None => roots.push(PathBuf::from(arg)),
            },
        }
    }
    if roots.is_empty() {
        return Err("usage: parse-floor [--threads N] DIR...".to_owned());
    }
    Ok(Args { threads, roots })
}

fn parse_threads(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "--threads expects a positive number, got `{value}`"
        )),
    }
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("yaml" | "yml")
    )
}

/// Collects the YAML files under `roots`, sorted so runs visit them in the same order.
fn collect_files(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut walk = ignore::WalkBuilder::new(&roots[0]);
    for root in &roots[1..] {
        walk.add(root);
    }
    let mut files: Vec<PathBuf> = walk
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| is_yaml(path))
        .collect();
    files.sort_unstable();
    files
}

/// Pulls every event of one file; a scan error ends that file, as it would for a linter.
fn parse_one(path: &Path, totals: &Totals) {
    let Ok(text) = std::fs::read_to_string(path) else {
        totals.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let mut events = 0u64;
    for event in Parser::new_from_str(&text) {
        if event.is_err() {
            totals.errors.fetch_add(1, Ordering::Relaxed);
            break;
        }
        events += 1;
    }
    totals.files.fetch_add(1, Ordering::Relaxed);
    totals.bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
    totals.events.fetch_add(events, Ordering::Relaxed);
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if let Some(threads) = args.threads {
        if let Err(err) = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
        {
            eprintln!("cannot start {threads} threads: {err}");
            return ExitCode::from(2);
        }
    }

    let files = collect_files(&args.roots);
    let totals = Totals::default();
    files.par_iter().for_each(|path| parse_one(path, &totals));

    println!(
        "files={} bytes={} events={} errors={}",
        totals.files.load(Ordering::Relaxed),
        totals.bytes.load(Ordering::Relaxed),
        totals.events.load(Ordering::Relaxed),
        totals.errors.load(Ordering::Relaxed),
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_yaml_files() {
        assert!(is_yaml(Path::new("apps/web.yaml")));
        assert!(is_yaml(Path::new("apps/web.yml")));
        assert!(!is_yaml(Path::new("apps/web.json")));
        assert!(!is_yaml(Path::new("apps/yaml")));
    }

    #[test]
    fn rejects_zero_threads() {
        assert_eq!(parse_threads("4"), Ok(4));
        assert!(parse_threads("0").is_err());
        assert!(parse_threads("all").is_err());
    }
}
