//! `podlint fix`: apply fixes, re-lint and repeat until nothing changes, then report what
//! remains. Only the bytes inside the fixes' edits change; a file whose fixed text would no
//! longer parse is left as it was.

use std::fs;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::args::{ColorChoice, FixArgs, Format};
use crate::check::{self, FileResult};
use crate::render::{plural, Counts};
use crate::walk::{self, Input};
use crate::{ExitStatus, Io};
use podlint_lint::{Diagnostic, Settings};

/// Fixes can enable or reveal other fixes; this bounds the lint → fix loop.
pub const MAX_ROUNDS: usize = 10;

/// What fixing one text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The text after every round (the input when the fixes were refused).
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    /// The fixes would have made the YAML invalid, so none was kept.
    pub refused: bool,
}

/// Applies the fixes `settings`' rules offer (unsafe ones too when asked) until a round
/// changes nothing or [`MAX_ROUNDS`] have run.
pub fn fix_text(text: &str, settings: &Settings, unsafe_fixes: bool) -> Fixed {
    fix_with(text, unsafe_fixes, |current| {
        podlint_lint::lint(current, settings)
    })
}

fn fix_with(text: &str, unsafe_fixes: bool, lint: impl Fn(&str) -> Vec<Diagnostic>) -> Fixed {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let (next, n) = podlint_lint::fix::apply(&current, &lint(&current), unsafe_fixes);
        if n == 0 || next == current {
            break;
        }
        current = next;
        applied += n;
    }
    if current != text && parse_errors(&current) > parse_errors(text) {
        return Fixed {
            text: text.to_string(),
            applied: 0,
            refused: true,
        };
    }
    Fixed {
        text: current,
        applied,
        refused: false,
    }
}

fn parse_errors(text: &str) -> usize {
    podlint_lint::lint(text, &Settings::only(&["invalid-yaml"])).len()
}

/// A unified diff of one file's fix, headed with its path.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

/// Replaces `path`'s contents in one step: a temporary file in the same directory, given the
/// original's permissions, renamed over it. A symlink is followed, so the link stays a link.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = fs::metadata(&target)?.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".podlint-fix-")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// One file's fix and what remains in it.
struct Outcome {
    result: FileResult,
    applied: usize,
    changed: bool,
    refused: bool,
    diff: Option<String>,
    write_error: Option<String>,
}

pub fn run(args: &FixArgs, io: &mut Io) -> ExitStatus {
    let check = &args.check;
    let resolver = match crate::config::resolver(&check.rules, &check.config) {
        Ok(resolver) => resolver,
        Err(message) => {
            io.error(&message);
            return ExitStatus::Usage;
        }
    };
    let format = Format::resolve(check.format, check::in_github_actions());
    let color = match check.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io.stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let (inputs, walk_errors) = walk::collect(&check.paths);
    for error in &walk_errors {
        io.error(error);
    }
    let stdin = inputs.contains(&Input::Stdin);
    if stdin && (inputs.len() > 1 || !walk_errors.is_empty()) {
        io.error("`-` (stdin) cannot be fixed together with other paths");
        return ExitStatus::Usage;
    }
    // Each input's settings, from its nearest `.podlint.yaml`; excluded files drop out.
    let plan = crate::config::plan(&resolver, inputs, check.stdin_filename.as_deref());
    for error in &plan.errors {
        io.error(error);
    }
    if !plan.errors.is_empty() {
        return ExitStatus::Usage;
    }
    if stdin {
        let settings = plan.jobs.first().map(|(_, settings)| settings.as_ref());
        return fix_stdin(args, settings, format, io);
    }
    let files = plan.jobs.len();

    let fix_one = |(input, settings): &(Input, std::sync::Arc<Settings>)| -> Outcome {
        let Input::File(path) = input else {
            unreachable!("stdin is handled above")
        };
        fix_file(path, args, settings, format, color)
    };
    let outcomes: Vec<Outcome> = match check.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| plan.jobs.par_iter().map(fix_one).collect()),
            Err(error) => {
                io.error(&format!("cannot start {threads} threads: {error}"));
                return ExitStatus::Usage;
            }
        },
        None => plan.jobs.par_iter().map(fix_one).collect(),
    };

    let mut failed = !walk_errors.is_empty();
    for outcome in &outcomes {
        let name = &outcome.result.name;
        if let Some(error) = outcome
            .result
            .io_error
            .as_ref()
            .or(outcome.write_error.as_ref())
        {
            io.error(error);
            failed = true;
        }
        if outcome.refused {
            io.error(&format!(
                "{name}: left unchanged: its fixes would make the YAML invalid (please report this)"
            ));
        }
    }
    let applied: usize = outcomes.iter().map(|o| o.applied).sum();
    let changed = outcomes.iter().filter(|o| o.changed).count();

    if args.diff {
        let diffs: String = outcomes.iter().filter_map(|o| o.diff.as_deref()).collect();
        io.print(&diffs);
        let _ = writeln!(io.stderr, "{}", would_fix(applied, changed));
        return if failed {
            ExitStatus::Usage
        } else if changed > 0 {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        };
    }

    let results: Vec<FileResult> = outcomes.into_iter().map(|o| o.result).collect();
    let mut counts = Counts::default();
    results
        .iter()
        .flat_map(|r| &r.located)
        .for_each(|d| counts.add(d.severity));
    let with_findings = results.iter().filter(|r| !r.located.is_empty()).count();
    let mut summary = fixed_line(applied, changed);
    summary.push_str(&check::summary(counts, with_findings, files));
    summary.push_str(&unsafe_hint(&results, args.unsafe_fixes));

    let mut out = check::render_findings(format, &results, files);
    if format.is_machine_readable() {
        let _ = io.stderr.write_all(summary.as_bytes());
    } else {
        out.push_str(&summary);
    }
    io.print(&out);
    if check.statistics {
        check::print_statistics(io, format, &results);
    }
    if failed {
        return ExitStatus::Usage;
    }
    check::exit_status(check.severity_threshold, counts)
}

fn fix_file(
    path: &Path,
    args: &FixArgs,
    settings: &Settings,
    format: Format,
    color: bool,
) -> Outcome {
    let name = path.display().to_string();
    let report_only = |result| Outcome {
        result,
        applied: 0,
        changed: false,
        refused: false,
        diff: None,
        write_error: None,
    };
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return report_only(FileResult::unreadable(name, &error)),
    };
    // Text that does not decode is reported as it is, never rewritten.
    let Ok(text) = podlint_lint::source::decode(&bytes) else {
        return report_only(check::lint_file(&name, &bytes, settings, format, color));
    };
    let fixed = fix_text(&text, settings, args.unsafe_fixes);
    let mut changed = fixed.text != text;
    let (mut applied, mut diff, mut write_error) = (0, None, None);
    let mut remaining: &str = &text;
    if changed && args.diff {
        diff = Some(unified_diff(&name, &text, &fixed.text));
        applied = fixed.applied;
    } else if changed {
        match write_atomically(path, fixed.text.as_bytes()) {
            Ok(()) => {
                applied = fixed.applied;
                remaining = &fixed.text;
            }
            Err(error) => {
                changed = false;
                write_error = Some(format!("{name}: cannot write: {error}"));
            }
        }
    }
    Outcome {
        result: check::lint_file(&name, remaining.as_bytes(), settings, format, color),
        applied,
        changed,
        refused: fixed.refused,
        diff,
        write_error,
    }
}

/// `podlint fix -`: the fixed text (or its diff) on stdout, the report on stderr. Without
/// settings (the config excludes `--stdin-filename`) the text passes through as it is.
fn fix_stdin(
    args: &FixArgs,
    settings: Option<&Settings>,
    format: Format,
    io: &mut Io,
) -> ExitStatus {
    let mut bytes = Vec::new();
    if let Err(error) = io.stdin.read_to_end(&mut bytes) {
        io.error(&format!("cannot read stdin: {error}"));
        return ExitStatus::Usage;
    }
    let Some(settings) = settings else {
        if !args.diff {
            let _ = io.stdout.write_all(&bytes);
        }
        return ExitStatus::Clean;
    };
    let name = args
        .check
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "-".into());
    let (output, fixed) = match podlint_lint::source::decode(&bytes) {
        Ok(text) => {
            let fixed = fix_text(&text, settings, args.unsafe_fixes);
            if fixed.refused {
                io.error(&format!(
                    "{name}: left unchanged: its fixes would make the YAML invalid (please report this)"
                ));
            }
            (
                fixed.text.clone().into_bytes(),
                Some((text.into_owned(), fixed)),
            )
        }
        Err(_) => (bytes.clone(), None),
    };
    let changed = output != bytes;
    if args.diff {
        if let Some((before, fixed)) = &fixed {
            io.print(&unified_diff(&name, before, &fixed.text));
            let _ = writeln!(
                io.stderr,
                "{}",
                would_fix(fixed.applied, usize::from(changed))
            );
        }
        return if changed {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        };
    }
    let _ = io.stdout.write_all(&output);
    let _ = io.stdout.flush();

    let result = check::lint_file(&name, &output, settings, format, false);
    let mut counts = Counts::default();
    result.located.iter().for_each(|d| counts.add(d.severity));
    let applied = fixed.as_ref().map_or(0, |(_, f)| f.applied);
    let with_findings = usize::from(!result.located.is_empty());
    let results = [result];
    let mut report = check::render_findings(format, &results, 1);
    report.push_str(&fixed_line(applied, usize::from(changed)));
    report.push_str(&check::summary(counts, with_findings, 1));
    report.push_str(&unsafe_hint(&results, args.unsafe_fixes));
    let _ = io.stderr.write_all(report.as_bytes());
    check::exit_status(args.check.severity_threshold, counts)
}

fn fixed_line(applied: usize, files: usize) -> String {
    if applied == 0 {
        return String::new();
    }
    format!(
        "Fixed {} in {}.\n",
        plural(applied, "problem"),
        plural(files, "file")
    )
}

fn would_fix(applied: usize, files: usize) -> String {
    if applied == 0 {
        return "No fixes to apply.".into();
    }
    format!(
        "Would fix {} in {}.",
        plural(applied, "problem"),
        plural(files, "file")
    )
}

/// Points at `--unsafe-fixes` when findings that remain have fixes it would apply.
fn unsafe_hint(results: &[FileResult], unsafe_fixes: bool) -> String {
    let n = results
        .iter()
        .flat_map(|r| &r.located)
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == "unsafe"))
        .count();
    if unsafe_fixes || n == 0 {
        return String::new();
    }
    format!(
        "{} with `--unsafe-fixes` (review the changes).\n",
        if n == 1 {
            "1 more is fixable".to_string()
        } else {
            format!("{n} more are fixable")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use podlint_lint::{text, Edit, Fix, RULES};

    /// A lint that offers one fix: replace the first `x` with `replacement`.
    fn offer(replacement: &'static str) -> impl Fn(&str) -> Vec<Diagnostic> {
        move |current: &str| {
            let Some(at) = current.find('x') else {
                return Vec::new();
            };
            let mut d = Diagnostic::new(RULES[0].meta(), text::range(at, at + 1), "an x");
            d.fix(Fix::safe(
                "replace x",
                vec![Edit::replace(text::range(at, at + 1), replacement)],
            ));
            vec![d]
        }
    }

    #[test]
    fn repeats_until_nothing_changes() {
        let fixed = fix_with("a: x\nb: x\n", false, offer("y"));
        assert_eq!(fixed.text, "a: y\nb: y\n");
        assert_eq!(fixed.applied, 2);
        assert!(!fixed.refused);
    }

    #[test]
    fn stops_after_the_round_limit() {
        // Each round's fix brings the next `x` back: a fix that never converges.
        let fixed = fix_with("a: x\n", false, offer("yx"));
        assert_eq!(fixed.applied, MAX_ROUNDS);
    }

    #[test]
    fn a_fix_that_breaks_the_yaml_is_refused_and_the_text_kept() {
        let fixed = fix_with("a: x\n", false, offer("[unclosed"));
        assert_eq!(
            fixed,
            Fixed {
                text: "a: x\n".into(),
                applied: 0,
                refused: true
            }
        );
    }

    #[test]
    fn writes_keep_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pod.yaml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
