//! `podlint check`: lint every input in parallel, print the findings, set the exit status.

use std::io::IsTerminal;

use rayon::prelude::*;

use crate::args::{CheckArgs, Format, RenderArgs, RenderChoice};
use crate::report;
use crate::sources::{self, Prepared, RenderOptions};
use crate::walk::{self, Input};
use crate::{stream, ExitStatus, Io};
use podlint_lint::config::RenderMode;
use podlint_lint::text::TextSize;
use podlint_lint::{engine, FileReport};

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
    // Counted, not copied: a big tree's paths are the bulk of what a run keeps per file.
    let inputs = plan.jobs.len();
    let stdin_text = if plan.jobs.iter().any(|(input, _)| *input == Input::Stdin) {
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
    // Kustomizations and charts become builds; patches get partial settings.
    let prepared = sources::prepare(
        plan.jobs,
        &render_options(&args.render),
        &resolver,
        stdin_text.as_deref().map(|b| (b, stdin_name.as_str())),
    );
    for error in &prepared.errors {
        io.error(error);
    }
    if prepared.fatal {
        return ExitStatus::Usage;
    }
    let pool = match args.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => Some(pool),
            Err(error) => {
                io.error(&format!("cannot start {threads} threads: {error}"));
                return ExitStatus::Usage;
            }
        },
        None => None,
    };
    // Builds and notes are few and small: finished here, merged into the report by name.
    let mut mapped = Vec::new();
    if !prepared.builds.is_empty() || !prepared.notes.is_empty() {
        let build_all = || {
            prepared
                .builds
                .par_iter()
                .map(|b| {
                    engine::check_rendered(&b.rendered, b.settings.clone(), &b.source_settings)
                })
                .collect::<Vec<Vec<FileReport>>>()
        };
        let built = match &pool {
            Some(pool) => pool.install(build_all),
            None => build_all(),
        };
        mapped = report::from_reports(merge_mapped(&prepared, built), format, style);
    }
    // Every file alone, in parallel, its findings written as its turn comes; then the
    // cross-object rules, which need them all.
    let plan = stream::Plan {
        format,
        style,
        files: inputs,
        set: walk::file_set(&args.paths, args.stdin_filename.is_some()),
        statistics: args.statistics,
        threshold: args.severity_threshold,
        jobs: &prepared.jobs,
        patches: &prepared.patches,
        stdin: stdin_text.as_deref(),
        stdin_name: &stdin_name,
        generated: &prepared.generated,
        mapped,
        pool: pool.as_ref(),
        io_errors: !walk_errors.is_empty(),
    };
    stream::run(plan, io)
}

/// Whether this process's stdout is a terminal (for `--color auto`).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// What the command line says about rendering.
pub fn render_options(args: &RenderArgs) -> RenderOptions {
    let words = |c: &Option<String>| {
        c.as_ref()
            .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .filter(|w| !w.is_empty())
    };
    RenderOptions {
        mode: args.render.map(|r| match r {
            RenderChoice::Auto => RenderMode::Auto,
            RenderChoice::Always => RenderMode::Always,
            RenderChoice::Never => RenderMode::Never,
        }),
        kustomize_command: words(&args.kustomize_command),
        helm_command: words(&args.helm_command),
    }
}

/// Every source's findings from every build, and the notes: a file reached by several builds
/// (a base under two overlays) gets each finding once.
fn merge_mapped(prepared: &Prepared, built: Vec<Vec<FileReport>>) -> Vec<(String, FileReport)> {
    use std::collections::{BTreeMap, HashMap};
    let mut by_name: BTreeMap<String, FileReport> = BTreeMap::new();
    // The builds each source is part of, and the builds each finding came from.
    let mut builds_of: HashMap<String, Vec<&str>> = HashMap::new();
    let mut found_in: HashMap<(String, TextSize, TextSize, &str), Vec<&str>> = HashMap::new();
    for (build, reports) in prepared.builds.iter().zip(built) {
        for (source, report) in build.rendered.sources.iter().zip(reports) {
            builds_of
                .entry(source.name.clone())
                .or_default()
                .push(&build.label);
            let entry = by_name
                .entry(source.name.clone())
                .or_insert_with(|| FileReport {
                    text: report.text.clone(),
                    diagnostics: Vec::new(),
                    fixed: None,
                });
            for d in report.diagnostics {
                let key = (source.name.clone(), d.range.start(), d.range.end(), d.rule);
                let seen = found_in.entry(key).or_default();
                if seen.is_empty() {
                    entry.diagnostics.push(d);
                }
                seen.push(&build.label);
            }
        }
    }
    for note in &prepared.notes {
        let entry = by_name
            .entry(note.name.clone())
            .or_insert_with(|| FileReport {
                text: note.text.clone(),
                diagnostics: Vec::new(),
                fixed: None,
            });
        entry.diagnostics.push(note.diagnostic.clone());
    }
    by_name
        .into_iter()
        .map(|(name, mut report)| {
            let all = builds_of.get(&name).map_or(0, Vec::len);
            for d in &mut report.diagnostics {
                let key = (name.clone(), d.range.start(), d.range.end(), d.rule);
                // A shared base: say which overlays have the problem when others do not.
                if let Some(builds) = found_in.get(&key).filter(|b| b.len() < all) {
                    let builds = builds.join(", ");
                    d.message = match d.message.strip_suffix(')') {
                        // One parenthesis, not two.
                        Some(open) if open.contains(" (") => {
                            format!("{open}; in the build of {builds})")
                        }
                        _ => format!("{} (in the build of {builds})", d.message),
                    };
                }
            }
            report
                .diagnostics
                .sort_by_key(|d| (d.range.start(), d.range.end(), d.rule));
            (name, report)
        })
        .collect()
}
