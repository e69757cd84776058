//! Settings per document from `.podlint.yaml`, found the way `podlint check` finds it.

use std::path::Path;

use podlint_lint::config::{ConfigReader, Resolver, ResolverOptions};
use podlint_lint::Settings;
use tower_lsp_server::ls_types::Uri;

/// Reads config files from the disk; a directory holding `.git` is a repository root.
struct DiskReader;

impl ConfigReader for DiskReader {
    fn read(&self, path: &Path) -> std::io::Result<Option<String>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound || path.is_dir() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn is_repository_root(&self, dir: &Path) -> bool {
        dir.join(".git").exists()
    }
}

pub struct Config {
    resolver: Resolver<DiskReader>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            resolver: Resolver::new(DiskReader, ResolverOptions::default()),
        }
    }
}

impl Config {
    /// The settings for a document; `None` when the config excludes its file. A document
    /// that is not a file, or a config that does not parse, gets the defaults (every mistake
    /// of the config goes to the client's log through stderr).
    pub fn settings_for(&self, uri: &Uri) -> Option<Settings> {
        let Some(path) = uri.to_file_path() else {
            return Some(Settings::default());
        };
        match self.resolver.resolve(&path) {
            Ok(resolved) if resolved.excluded => None,
            Ok(resolved) if is_kustomize_patch(&path) => {
                Some(podlint_lint::config::partial::for_patch(&resolved.settings))
            }
            Ok(resolved) => Some((*resolved.settings).clone()),
            Err(error) => {
                for line in error.lines() {
                    eprintln!("podlint: {line}");
                }
                Some(Settings::default())
            }
        }
    }

    /// Forgets every config file read, after one changed.
    pub fn reload(&self) {
        self.resolver.clear();
    }
}

/// Whether a kustomization up to three folders above `path` lists it as a patch: a patch is
/// a partial object, so rules about what is missing stay quiet in it (as in `podlint check`).
fn is_kustomize_patch(path: &Path) -> bool {
    use podlint_lint::config::normalize;
    use podlint_lint::sourcemap::kustomization::{Kustomization, FILE_NAMES};
    let file = normalize(path);
    file.ancestors().skip(1).take(3).any(|dir| {
        FILE_NAMES.iter().any(|name| {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                return false;
            };
            Kustomization::parse(&text)
                .patch_files()
                .any(|patch| normalize(&dir.join(patch)) == file)
        })
    })
}
