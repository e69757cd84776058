//! `podlint fix`: apply fixes, re-lint and repeat until nothing changes, then report what
//! remains. Only the bytes inside the fixes' edits change; a file whose fixed text would no
//! longer parse is left as it was.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::args::{FixArgs, Format};
use crate::render::{plural, Tally};
use crate::report::{self, FileResult};
use crate::walk::{self, Input};
use crate::{ExitStatus, Io};
use podlint_lint::{engine, FilePass, Settings};

/// A unified diff of one file's fix, headed with its path.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

/// Replaces `path`'s contents in one step: a temporary file in the same directory, given the
/// original's mode, owner, group and extended attributes (where the OS allows), renamed over
/// it. A symlink is followed, so the link stays a link. When the file no longer holds
/// `expected` (someone saved it since it was read; checked again just before the rename),
/// nothing is written: a fix is only ever made over the content it was computed from.
pub fn write_atomically(path: &Path, expected: &[u8], bytes: &[u8]) -> std::io::Result<()> {
    let target = fs::canonicalize(path)?;
    if fs::read(&target)? != expected {
        return Err(changed_meanwhile());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let original = fs::File::open(&target)?;
    let metadata = original.metadata()?;
    let mut temp = tempfile::Builder::new()
        .prefix(".podlint-fix-")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    keep_attributes(&original, &metadata, temp.as_file())?;
    temp.as_file().sync_all()?;
    // Last look before the rename: a save made while podlint fixed wins over the fix.
    if fs::read(&target)? != expected {
        return Err(changed_meanwhile());
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

fn changed_meanwhile() -> std::io::Error {
    std::io::Error::other("it changed since podlint read it; run `podlint fix` again")
}

/// Gives the new file the original's mode, and where the OS allows, its owner, group and
/// extended attributes (SELinux labels, ACLs, macOS quarantine flags…).
fn keep_attributes(
    original: &fs::File,
    metadata: &fs::Metadata,
    new: &fs::File,
) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (uid, gid) = (metadata.uid(), metadata.gid());
        // Only root may give a file away; anyone may keep a group they belong to.
        if std::os::unix::fs::fchown(new, Some(uid), Some(gid)).is_err() {
            let _ = std::os::unix::fs::fchown(new, None, Some(gid));
        }
        copy_extended_attributes(original, new);
    }
    #[cfg(not(unix))]
    let _ = original;
    // The mode last: changing the owner can clear set-id bits.
    new.set_permissions(metadata.permissions())
}

#[cfg(unix)]
fn copy_extended_attributes(from: &fs::File, to: &fs::File) {
    let mut names = vec![0u8; 64 * 1024];
    let Ok(len) = rustix::fs::flistxattr(from, &mut names[..]) else {
        return;
    };
    let mut value = vec![0u8; 64 * 1024];
    for name in names[..len.min(names.len())]
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
    {
        if let Ok(n) = rustix::fs::fgetxattr(from, name, &mut value[..]) {
            let n = n.min(value.len());
            let _ = rustix::fs::fsetxattr(to, name, &value[..n], rustix::fs::XattrFlags::empty());
        }
    }
}

/// One file's fix, before the findings that remain are known.
struct Outcome {
    name: String,
    /// The file as fixed (or as it is, when nothing was written); `Err` when unreadable.
    pass: std::io::Result<FilePass>,
    applied: usize,
    changed: bool,
    refused: bool,
    oscillated: bool,
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
    let format = Format::resolve(check.format, report::in_github_actions());
    let style = report::style(check.color, io.stdout_is_terminal);
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
    // Fixes are made to files as written: a patch gets only its value fixes (never a
    // selector or an image it leaves to its base), and a chart's templates none.
    let jobs = crate::sources::as_written(plan.jobs, &resolver);
    let files = jobs.len();

    let fix_one = |(input, settings): &(Input, Arc<Settings>)| -> Outcome {
        let Input::File(path) = input else {
            unreachable!("stdin is handled above")
        };
        fix_file(path, args, settings)
    };
    let outcomes: Vec<Outcome> = match check.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| jobs.par_iter().map(fix_one).collect()),
            Err(error) => {
                io.error(&format!("cannot start {threads} threads: {error}"));
                return ExitStatus::Usage;
            }
        },
        None => jobs.par_iter().map(fix_one).collect(),
    };

    let mut failed = !walk_errors.is_empty();
    for outcome in &outcomes {
        let name = &outcome.name;
        if let Some(error) = &outcome.write_error {
            io.error(error);
            failed = true;
        }
        report_fix_problems(io, name, outcome.refused, outcome.oscillated);
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

    // What remains, with the cross-object rules over every fixed file, as `check` would say.
    let linted = outcomes.into_iter().map(|o| (o.name, o.pass)).collect();
    let results = report::finish(
        linted,
        format,
        style,
        walk::file_set(&check.paths, check.stdin_filename.is_some()),
    );
    for result in &results {
        if let Some(error) = &result.io_error {
            io.error(error);
            failed = true;
        }
    }
    let tally = Tally::of(results.iter().flat_map(|r| &r.located));
    let counts = tally.counts;
    let with_findings = results.iter().filter(|r| !r.located.is_empty()).count();
    let mut summary = fixed_line(applied, changed);
    summary.push_str(&report::summary(&tally, with_findings, files));
    summary.push_str(&unsafe_hint(&results, args.unsafe_fixes));

    let mut out = report::render_findings(format, &results, files);
    if format.is_machine_readable() {
        let _ = io.stderr.write_all(summary.as_bytes());
    } else {
        out.push_str(&summary);
    }
    io.print(&out);
    if check.statistics {
        report::print_statistics(io, format, &tally);
    }
    if failed {
        return ExitStatus::Usage;
    }
    report::exit_status(check.severity_threshold, counts)
}

fn fix_file(path: &Path, args: &FixArgs, settings: &Arc<Settings>) -> Outcome {
    let name = path.display().to_string();
    let mut outcome = Outcome {
        name: name.clone(),
        pass: Err(std::io::Error::other("not read")),
        applied: 0,
        changed: false,
        refused: false,
        oscillated: false,
        diff: None,
        write_error: None,
    };
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            outcome.pass = Err(error);
            return outcome;
        }
    };
    // A stream (`<(…)`, a FIFO) is linted, but there is no file to write the fix to.
    if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
        outcome.write_error = Some(format!(
            "{name}: not a regular file, so it cannot be fixed in place; pipe it through `podlint fix -` instead"
        ));
        if !args.diff {
            outcome.pass = Ok(engine::check_file(&bytes, settings.clone()));
        }
        return outcome;
    }
    if args.diff {
        diff_only(&mut outcome, &bytes, args, settings);
        return outcome;
    }
    let pass = engine::fix_file(&bytes, settings.clone(), args.unsafe_fixes);
    let fixed = pass.fixed().expect("fix_file reports its fix");
    outcome.refused = fixed.refused;
    outcome.oscillated = fixed.oscillated;
    // Text that does not decode is never rewritten: `fixed.text` is then the lossy copy.
    let original = String::from_utf8_lossy(&bytes);
    outcome.changed = fixed.applied > 0 && fixed.text != original;
    if outcome.changed && args.diff {
        outcome.diff = Some(unified_diff(&name, &original, &fixed.text));
        outcome.applied = fixed.applied;
    } else if outcome.changed {
        match write_atomically(path, &bytes, fixed.text.as_bytes()) {
            Ok(()) => outcome.applied = fixed.applied,
            Err(error) => {
                outcome.changed = false;
                outcome.write_error = Some(format!("{name}: cannot write: {error}"));
                outcome.pass = Ok(engine::check_file(&bytes, settings.clone()));
                return outcome;
            }
        }
    }
    outcome.pass = Ok(pass);
    outcome
}

/// `fix --diff`: the fix loop and the diff, nothing else; the findings that would remain
/// are never printed, so they are not looked for.
fn diff_only(outcome: &mut Outcome, bytes: &[u8], args: &FixArgs, settings: &Settings) {
    // Text that does not decode is never rewritten.
    let Ok(text) = podlint_lint::source::decode(bytes) else {
        return;
    };
    let fixed = engine::fix_text(&text, settings, args.unsafe_fixes);
    // As written: the diff shows every byte of the file, a byte-order mark too.
    let original = String::from_utf8_lossy(bytes);
    outcome.refused = fixed.refused;
    outcome.oscillated = fixed.oscillated;
    outcome.changed = fixed.applied > 0 && fixed.text != original;
    if outcome.changed {
        outcome.diff = Some(unified_diff(&outcome.name, &original, &fixed.text));
        outcome.applied = fixed.applied;
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
            let fixed = engine::fix_text(&text, settings, args.unsafe_fixes);
            report_fix_problems(io, &name, fixed.refused, fixed.oscillated);
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

    let pass = engine::check_file(&output, Arc::new(settings.clone()));
    let results = report::finish(
        vec![(name, Ok(pass))],
        format,
        crate::render::human::Style::plain(),
        podlint_lint::FileSet::Whole,
    );
    let tally = Tally::of(&results[0].located);
    let counts = tally.counts;
    let applied = fixed.as_ref().map_or(0, |(_, f)| f.applied);
    let with_findings = usize::from(!results[0].located.is_empty());
    let mut out = report::render_findings(format, &results, 1);
    out.push_str(&fixed_line(applied, usize::from(changed)));
    out.push_str(&report::summary(&tally, with_findings, 1));
    out.push_str(&unsafe_hint(&results, args.unsafe_fixes));
    let _ = io.stderr.write_all(out.as_bytes());
    report::exit_status(args.check.severity_threshold, counts)
}

/// What went wrong while fixing one file, on stderr.
fn report_fix_problems(io: &mut Io, name: &str, refused: bool, oscillated: bool) {
    if refused {
        io.error(&format!(
            "{name}: some fixes were left out: each would have made the file invalid (a YAML \
             error, a duplicate key, or JSON that is no longer JSON); the others were applied \
             (please report this)"
        ));
    }
    if oscillated {
        io.error(&format!(
            "{name}: some fixes undo each other (the file came back to an earlier state), so \
             podlint stopped before them and does not count them; the findings that remain \
             need a fix by hand (please report this)"
        ));
    }
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

    #[test]
    fn writes_keep_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pod.yaml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"old", b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn writes_keep_group_and_extended_attributes() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pod.yaml");
        fs::write(&path, "old").unwrap();
        let before = fs::metadata(&path).unwrap();
        let file = fs::File::open(&path).unwrap();
        let flags = rustix::fs::XattrFlags::empty();
        // Where the file system takes user attributes (most do; some tmpfs do not).
        let tagged = rustix::fs::fsetxattr(&file, "user.podlint-test", b"kept", flags).is_ok();
        drop(file);
        write_atomically(&path, b"old", b"new").unwrap();
        let after = fs::metadata(&path).unwrap();
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        if tagged {
            let file = fs::File::open(&path).unwrap();
            let mut value = [0u8; 16];
            let n = rustix::fs::fgetxattr(&file, "user.podlint-test", &mut value[..]).unwrap();
            assert_eq!(&value[..n], b"kept");
        }
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pod.yaml");
        fs::write(&path, "saved meanwhile").unwrap();
        let error = write_atomically(&path, b"what podlint read", b"fixed").unwrap_err();
        assert!(error.to_string().contains("changed since podlint read it"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "saved meanwhile");
    }
}
