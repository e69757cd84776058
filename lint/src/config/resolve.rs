//! Which settings apply to a file: its nearest `.podlint.yaml` (searched from the file's
//! directory up to the repository root), that file's overrides for the path, then the command
//! line. The file system is injected, so the CLI reads the disk and the language server can
//! read an editor's unsaved buffers; each config file is parsed once and each distinct
//! combination of its overrides is built once, then shared by every file and thread.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::config::model::{ConfigFile, Layer};
use crate::config::parse::parse;
use crate::settings::Settings;
use crate::text::{line_col, LineStarts, TextRange};

/// The config file's name.
pub const CONFIG_FILE: &str = ".podlint.yaml";

/// How the resolver reaches files.
pub trait ConfigReader: Send + Sync {
    /// The text of the file at `path`, or `Ok(None)` when there is no such file.
    fn read(&self, path: &Path) -> std::io::Result<Option<String>>;

    /// Whether `dir` is the root of a repository (it holds `.git`): the search stops there.
    fn is_repository_root(&self, dir: &Path) -> bool;
}

/// What the command line (or the editor's settings) says about configuration.
#[derive(Debug, Clone, Default)]
pub struct ResolverOptions {
    /// `--config PATH`: this file for every path, no discovery. Absolute.
    pub config: Option<PathBuf>,
    /// `--isolated`: no config file at all.
    pub isolated: bool,
    /// `--select`, `--ignore`, `--no-inline-suppressions`, `--kubernetes-version`: applied last.
    pub cli: Layer,
}

/// A config file that could not be read or parsed: every mistake in it, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// In the order of the file; at least one.
    pub problems: Vec<ConfigProblem>,
}

/// One mistake of a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// 1-based line and column, when the problem is inside the file.
    pub position: Option<(u32, u32)>,
    /// Where in the file's text, when the problem is inside the file.
    pub range: Option<TextRange>,
    pub message: String,
}

impl ConfigError {
    /// A problem with the file as a whole (it cannot be read, it does not exist).
    pub fn whole_file(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            problems: vec![ConfigProblem {
                position: None,
                range: None,
                message: message.into(),
            }],
        }
    }

    /// One line per problem: `path:line:col: message` (or `path: message`).
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.problems.iter().map(|p| match p.position {
            Some((line, col)) => format!("{}:{line}:{col}: {}", self.path.display(), p.message),
            None => format!("{}: {}", self.path.display(), p.message),
        })
    }
}

impl std::fmt::Display for ConfigError {
    /// Every problem, one per line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&line)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// A config file as loaded, with the settings built from it so far.
#[derive(Debug)]
pub struct LoadedConfig {
    pub path: PathBuf,
    /// Globs are relative to this directory.
    pub dir: PathBuf,
    pub file: ConfigFile,
    /// Settings per set of matching overrides.
    variants: Mutex<HashMap<Vec<usize>, Arc<Settings>>>,
}

/// The settings for one file and where they came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub settings: Arc<Settings>,
    /// The config file used, if any.
    pub config: Option<Arc<LoadedConfig>>,
    /// Indices of the config's overrides that match the file.
    pub overrides: Vec<usize>,
    /// The file matches the config's `exclude`.
    pub excluded: bool,
}

type Loaded = Result<Arc<LoadedConfig>, Arc<ConfigError>>;
type Slot = Arc<OnceLock<Option<Loaded>>>;

pub struct Resolver<R> {
    reader: R,
    options: ResolverOptions,
    /// Directory → the config file that governs it (`None`: no config up to the root).
    dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Config path → the loaded file, parsed by the first thread that needs it.
    files: Mutex<HashMap<PathBuf, Slot>>,
    defaults: OnceLock<Arc<Settings>>,
}

impl<R: ConfigReader> Resolver<R> {
    pub fn new(reader: R, options: ResolverOptions) -> Self {
        Self {
            reader,
            options,
            dirs: Mutex::default(),
            files: Mutex::default(),
            defaults: OnceLock::new(),
        }
    }

    pub fn options(&self) -> &ResolverOptions {
        &self.options
    }

    /// Forgets every config read so far (the language server calls this when one changes).
    pub fn clear(&self) {
        lock(&self.dirs).clear();
        lock(&self.files).clear();
    }

    /// The settings for the file at `path` (absolute; see [`normalize`]).
    pub fn resolve(&self, path: &Path) -> Result<Resolved, Arc<ConfigError>> {
        let path = normalize(path);
        let Some(config) = self.config_for(&path)? else {
            let settings = self.defaults.get_or_init(|| {
                let mut settings = Settings::default();
                self.options.cli.apply(&mut settings);
                Arc::new(settings)
            });
            return Ok(Resolved {
                settings: settings.clone(),
                config: None,
                overrides: Vec::new(),
                excluded: false,
            });
        };
        let relative = path.strip_prefix(&config.dir).unwrap_or(&path);
        let overrides = config.file.overrides_for(relative);
        let settings = lock(&config.variants)
            .entry(overrides.clone())
            .or_insert_with(|| {
                let mut settings = Settings::default();
                config.file.layer.apply(&mut settings);
                for &i in &overrides {
                    config.file.overrides[i].layer.apply(&mut settings);
                }
                self.options.cli.apply(&mut settings);
                Arc::new(settings)
            })
            .clone();
        Ok(Resolved {
            settings,
            excluded: config.file.excludes(relative),
            overrides,
            config: Some(config),
        })
    }

    /// The config file that governs `path`, loaded.
    pub fn config_for(&self, path: &Path) -> Result<Option<Arc<LoadedConfig>>, Arc<ConfigError>> {
        if self.options.isolated {
            return Ok(None);
        }
        let config_path = match &self.options.config {
            Some(explicit) => Some(explicit.clone()),
            None => self.discover(path.parent().unwrap_or(path))?,
        };
        config_path.map(|p| self.load(&p)).transpose()
    }

    /// The nearest config file from `dir` up to the repository root.
    fn discover(&self, dir: &Path) -> Result<Option<PathBuf>, Arc<ConfigError>> {
        let mut visited = Vec::new();
        let mut found = None;
        for candidate in dir.ancestors() {
            if let Some(known) = lock(&self.dirs).get(candidate) {
                found = known.clone();
                break;
            }
            visited.push(candidate.to_path_buf());
            let config = candidate.join(CONFIG_FILE);
            if self.lookup(&config).is_some() {
                found = Some(config);
                break;
            }
            if self.reader.is_repository_root(candidate) {
                break;
            }
        }
        let mut dirs = lock(&self.dirs);
        for dir in visited {
            dirs.insert(dir, found.clone());
        }
        Ok(found)
    }

    /// The config file at `path`, read and parsed once whichever thread asks first;
    /// `None` when there is no such file.
    fn lookup(&self, path: &Path) -> Option<Loaded> {
        let slot = lock(&self.files)
            .entry(path.to_path_buf())
            .or_default()
            .clone();
        slot.get_or_init(|| match self.reader.read(path) {
            Ok(Some(text)) => Some(load(path, &text).map(Arc::new).map_err(Arc::new)),
            Ok(None) => None,
            Err(error) => Some(Err(Arc::new(ConfigError::whole_file(
                path,
                format!("cannot read: {error}"),
            )))),
        })
        .clone()
    }

    fn load(&self, path: &Path) -> Loaded {
        self.lookup(path).unwrap_or_else(|| {
            Err(Arc::new(ConfigError::whole_file(
                path,
                "no such config file",
            )))
        })
    }
}

fn load(path: &Path, text: &str) -> Result<LoadedConfig, ConfigError> {
    match parse(text) {
        Ok(file) => Ok(LoadedConfig {
            path: path.to_path_buf(),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            file,
            variants: Mutex::default(),
        }),
        Err(errors) => {
            let index = LineStarts::new(text);
            let problems = errors
                .into_iter()
                .map(|e| ConfigProblem {
                    position: Some(line_col(text, &index, e.range.start())),
                    range: Some(e.range),
                    message: e.message,
                })
                .collect();
            Err(ConfigError {
                path: path.to_path_buf(),
                problems,
            })
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether [`normalize`] gives `path` back as it is: no `.` or `..` part, no doubled or
/// trailing `/` (the paths a directory walk yields), so it skips rebuilding part by part, which
/// costs more than linting a small file's worth of keys. A `\\` anywhere takes the long way.
pub fn is_normal(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    !bytes.is_empty()
        && !bytes.contains(&b'\\')
        && bytes
            .split(|&b| b == b'/')
            .enumerate()
            .all(|(i, part)| match part {
                b"" => i == 0,
                b"." | b".." => false,
                _ => true,
            })
}

/// Removes `.` and resolves `..` without touching the disk, so `a/../b` and `b` share a config.
pub fn normalize(path: &Path) -> PathBuf {
    if is_normal(path) {
        return path.to_path_buf();
    }
    rebuild(path)
}

/// `path` put together again part by part: `.` dropped, `..` taking off the part before it.
fn rebuild(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_taken_as_they_are_normalize_to_themselves() {
        let paths = [
            "/work/apps/web.yaml",
            "apps/web.yaml",
            "web.yaml",
            "/",
            "",
            ".",
            "..",
            "./a",
            "a/./b",
            "a/../b",
            "../a",
            "a//b",
            "/a/b/",
            "a/b/.",
            "a/b/..",
            ".hidden/x.yaml",
            "a/..b/c",
            "a/b..",
            "//a",
            "a\\b",
        ];
        for path in paths.map(Path::new) {
            if is_normal(path) {
                assert_eq!(rebuild(path), path, "{path:?}");
            }
            assert_eq!(normalize(path), rebuild(path), "{path:?}");
        }
        assert!(is_normal(Path::new("/work/apps/web.yaml")));
        assert!(is_normal(Path::new(".hidden/x.yaml")));
    }
}
