//! Settings per document from `.podlint.yaml`, found the way `podlint check` finds it.
//!
//! Many clients never tell a server that a file changed on disk (Neovim 0.11 on Linux has no
//! file watcher), so the config files are not trusted to stay as read: every place the
//! resolver looked (found or not) is stamped with its size and modification time, and
//! [`Config::reload_if_changed`], called before each lint, re-reads them all when a stamp
//! moved. A few `stat` calls per lint make a `.podlint.yaml` edit count at the next keystroke.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use podlint_lint::config::{ConfigReader, Resolver, ResolverOptions};
use podlint_lint::Settings;
use tower_lsp_server::ls_types::Uri;

/// What a config path looked like when it was read: `None` when there was no file.
type Stamp = Option<(u64, Option<SystemTime>)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some((meta.len(), meta.modified().ok()))
}

/// Every config path the resolver asked for, with how it looked then.
#[derive(Default, Clone)]
struct Stamps(Arc<Mutex<HashMap<PathBuf, Stamp>>>);

impl Stamps {
    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, Stamp>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Reads config files from the disk and stamps each; a directory holding `.git` is a
/// repository root.
struct DiskReader {
    stamps: Stamps,
}

impl ConfigReader for DiskReader {
    fn read(&self, path: &Path) -> std::io::Result<Option<String>> {
        // Stamped before reading: a write in between makes the stamp old, so the next
        // check reads the file again rather than missing the change.
        self.stamps.lock().insert(path.to_path_buf(), stamp(path));
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
    stamps: Stamps,
}

impl Default for Config {
    fn default() -> Self {
        let stamps = Stamps::default();
        let reader = DiskReader {
            stamps: stamps.clone(),
        };
        Self {
            resolver: Resolver::new(reader, ResolverOptions::default()),
            stamps,
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
        // Stamps first: a read racing with this one is stamped again, never lost.
        self.stamps.lock().clear();
        self.resolver.clear();
    }

    /// Whether a config file read so far was changed, created or deleted since; if so, forgets
    /// them all (the next [`Self::settings_for`] reads them again) and returns `true`.
    pub fn reload_if_changed(&self) -> bool {
        let changed = {
            let stamps = self.stamps.lock();
            stamps.iter().any(|(path, old)| stamp(path) != *old)
        };
        if changed {
            self.reload();
        }
        changed
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_created_or_deleted_config_is_noticed() {
        let dir = tempfile_dir();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        let manifest = dir.join("pod.yaml");
        let uri = Uri::from_file_path(&manifest).unwrap();
        let config = Config::default();
        let before = config.settings_for(&uri).unwrap();
        assert!(!config.reload_if_changed(), "nothing changed yet");

        std::fs::write(dir.join(".podlint.yaml"), "ignore: [all]\n").unwrap();
        assert!(config.reload_if_changed(), "a new config file");
        let after = config.settings_for(&uri).unwrap();
        assert_ne!(format!("{before:?}"), format!("{after:?}"));
        assert!(!config.reload_if_changed());

        std::fs::write(
            dir.join(".podlint.yaml"),
            "ignore: [all]\nselect: [bare-pod]\n",
        )
        .unwrap();
        assert!(config.reload_if_changed(), "an edited config file");
        config.settings_for(&uri);
        std::fs::remove_file(dir.join(".podlint.yaml")).unwrap();
        assert!(config.reload_if_changed(), "a deleted config file");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "podlint-lsp-config-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
