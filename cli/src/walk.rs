//! Which files a run lints: named files as they are (streams too), directories walked with
//! `ignore` (honouring .gitignore) for `*.yaml` and `*.yml`; each real file once.

use std::path::{Path, PathBuf};

/// Where a manifest comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// The inputs of a run in a stable order, and the roots that could not be walked.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
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
                inputs.push(Input::File(path.clone()));
                continue;
            }
            Ok(_) => {}
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(path)
            .sort_by_file_path(Path::cmp)
            .build()
        {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && is_manifest(entry.path()) {
                        found.push(entry.into_path());
                    }
                }
                Err(error) => errors.push(error.to_string()),
            }
        }
        inputs.extend(found.into_iter().map(Input::File));
    }
    (dedup_real_paths(inputs), errors)
}

/// Keeps the first of the inputs that are the same file (through a symlink, `./`, `..` or a
/// directory named twice): fixing one file twice at once would lose one of the fixes.
fn dedup_real_paths(inputs: Vec<Input>) -> Vec<Input> {
    let mut seen = std::collections::HashSet::new();
    inputs
        .into_iter()
        .filter(|input| match input {
            Input::File(path) => match std::fs::canonicalize(path) {
                Ok(real) => seen.insert(real),
                Err(_) => true,
            },
            Input::Stdin => true,
        })
        .collect()
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}
