//! Which files a run lints: named files as they are, directories walked with `ignore`
//! (honouring .gitignore) for `*.yaml` and `*.yml`.

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
        if path.is_file() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        if !path.exists() {
            errors.push(format!("{}: no such file or directory", path.display()));
            continue;
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
    (inputs, errors)
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}
