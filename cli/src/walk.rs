//! Which files a run lints: named files as they are (streams too), directories walked with
//! `ignore` (honouring .gitignore) for `*.yaml` and `*.yml`; each real file once.

use std::path::{Path, PathBuf};

use podlint_lint::FileSet;

/// Where a manifest comes from. (A boxed path: a run keeps one per file, and a big tree has
/// a million.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(Box<Path>),
    Stdin,
}

/// The inputs of a run in a stable order, and the roots that could not be walked.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    // Each input with its real path when the walk already tells it.
    let mut inputs: Vec<(Input, Option<PathBuf>)> = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push((Input::Stdin, None));
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => {
                let why = match error.kind() {
                    std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                    _ => error.to_string(),
                };
                errors.push(format!("{}: {why}", path.display()));
                continue;
            }
            // A file named on the command line is linted whatever it is: a regular file, or a
            // stream such as `<(kubectl get pod -o yaml)`, `/dev/stdin` or a FIFO.
            Ok(meta) if !meta.is_dir() => {
                inputs.push((Input::File(path.clone().into_boxed_path()), None));
                continue;
            }
            Ok(_) => {}
        }
        // The walk follows no symlink, so a file found under the root is the root's real path
        // joined with the file's path below the root: one `canonicalize` per root, not per file.
        // A single root names each file once: nothing to compare.
        let real_root = (paths.len() > 1)
            .then(|| std::fs::canonicalize(path).ok())
            .flatten();
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(path)
            .sort_by_file_path(Path::cmp)
            .build()
        {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && is_manifest(entry.path()) {
                        let file = entry.into_path();
                        let real = real_root.as_ref().and_then(|root| {
                            let below = file.strip_prefix(path).ok()?;
                            Some(root.join(below))
                        });
                        found.push((Input::File(file.into_boxed_path()), real));
                    }
                }
                Err(error) => errors.push(error.to_string()),
            }
        }
        inputs.extend(found);
    }
    if paths.len() > 1 {
        (dedup_real_paths(inputs), errors)
    } else {
        (inputs.into_iter().map(|(input, _)| input).collect(), errors)
    }
}

/// Keeps the first of the inputs that are the same file (through a symlink, `./`, `..` or a
/// directory named twice): fixing one file twice at once would lose one of the fixes.
fn dedup_real_paths(inputs: Vec<(Input, Option<PathBuf>)>) -> Vec<Input> {
    let mut seen = std::collections::HashSet::new();
    inputs
        .into_iter()
        .filter(|(input, real)| match input {
            Input::File(path) => match real.clone().map_or_else(|| std::fs::canonicalize(path), Ok)
            {
                Ok(real) => seen.insert(real),
                Err(_) => true,
            },
            Input::Stdin => true,
        })
        .map(|(input, _)| input)
        .collect()
}

/// Whether the inputs are the whole project: they are when every path is a directory walked
/// (or stdin, such as `helm template` output), a part when any file is named on its own, as
/// pre-commit names the files that changed, or when stdin is given a file's name
/// (`--stdin-filename`, as editor plugins pass one buffer). Over a part, cross-object rules do
/// not report what is missing: it may be in a file not given.
pub fn file_set(paths: &[PathBuf], stdin_named: bool) -> FileSet {
    let is_stdin = |p: &PathBuf| p.as_os_str() == "-";
    if paths
        .iter()
        .any(|p| (is_stdin(p) && stdin_named) || (!is_stdin(p) && p.is_file()))
    {
        FileSet::Partial
    } else {
        FileSet::Whole
    }
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_files_and_named_stdin_are_a_part_of_the_project() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let dir = fixtures.join("examples");
        let file = dir.join("my-app.yaml");
        let stdin = PathBuf::from("-");
        assert_eq!(file_set(std::slice::from_ref(&dir), false), FileSet::Whole);
        assert_eq!(
            file_set(std::slice::from_ref(&stdin), false),
            FileSet::Whole
        );
        assert_eq!(
            file_set(&[dir.clone(), file.clone()], false),
            FileSet::Partial
        );
        assert_eq!(file_set(&[file], false), FileSet::Partial);
        assert_eq!(file_set(&[stdin], true), FileSet::Partial);
    }
}
