//! Kustomize: the kustomizations of a run, how they refer to each other, which ones to
//! build, and a build as a rendered input whose documents know their source files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use podlint_lint::config::normalize;
use podlint_lint::sourcemap::kustomization::{Kustomization, FILE_NAMES};
use podlint_lint::sourcemap::kustomize_build::{strip_origins, BuildOrigin};
use podlint_lint::sourcemap::{path, Origin, Rendered, Source};
use podlint_lint::syntax;

use super::tools;

/// Every kustomization reachable from the run, by directory.
#[derive(Debug, Default)]
pub struct Graph {
    pub kustomizations: BTreeMap<PathBuf, (PathBuf, Kustomization)>,
}

/// What a kustomization's build reads, found by following its bases and components.
#[derive(Debug, Default)]
pub struct Closure {
    /// Resource files, with whether a kustomization on the way writes selectors and whether
    /// one sets a namespace.
    pub resources: BTreeMap<PathBuf, (bool, bool)>,
    pub patches: BTreeSet<PathBuf>,
    /// Kustomization files, with what their generators make.
    pub kustomizations: BTreeSet<PathBuf>,
}

/// The kustomization file of `dir`, if it has one.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

impl Graph {
    /// Loads the kustomizations in `files` and every one they refer to.
    pub fn load(files: &[PathBuf]) -> Self {
        let mut graph = Graph::default();
        let mut todo: Vec<PathBuf> = files.to_vec();
        while let Some(file) = todo.pop() {
            let Some(dir) = file.parent().map(Path::to_path_buf) else {
                continue;
            };
            if graph.kustomizations.contains_key(&dir) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let k = Kustomization::parse(&text);
            for entry in k.resources.iter().chain(&k.components) {
                let target = normalize(&dir.join(entry));
                if target.is_dir() {
                    if let Some(inner) = file_in(&target) {
                        todo.push(inner);
                    }
                }
            }
            graph.kustomizations.insert(dir, (file, k));
        }
        graph
    }

    /// The directories other kustomizations build on (bases and components).
    pub fn referenced(&self) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        for (dir, (_, k)) in &self.kustomizations {
            for entry in k.resources.iter().chain(&k.components) {
                let target = normalize(&dir.join(entry));
                if self.kustomizations.contains_key(&target) {
                    out.insert(target);
                }
            }
        }
        out
    }

    /// What building `dir` reads.
    pub fn closure(&self, dir: &Path) -> Closure {
        let mut closure = Closure::default();
        let mut seen = BTreeSet::new();
        self.collect(dir, false, false, &mut closure, &mut seen);
        closure
    }

    fn collect(
        &self,
        dir: &Path,
        selectors: bool,
        namespace: bool,
        closure: &mut Closure,
        seen: &mut BTreeSet<PathBuf>,
    ) {
        if !seen.insert(dir.to_path_buf()) {
            return;
        }
        let Some((file, k)) = self.kustomizations.get(dir) else {
            return;
        };
        closure.kustomizations.insert(file.clone());
        let selectors = selectors || k.adds_selectors;
        let namespace = namespace || k.namespace.is_some();
        for patch in k.patch_files() {
            closure.patches.insert(normalize(&dir.join(patch)));
        }
        for entry in k.resources.iter().chain(&k.components) {
            let target = normalize(&dir.join(entry));
            if self.kustomizations.contains_key(&target) {
                self.collect(&target, selectors, namespace, closure, seen);
            } else if target.is_file() {
                let flags = closure.resources.entry(target).or_default();
                flags.0 |= selectors;
                flags.1 |= namespace;
            }
        }
    }
}

/// A relative path from `from` to `to` (both absolute and normalised).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

/// Builds the kustomization in `dir` through a wrapper kustomization that asks for origin
/// annotations (the user's files stay untouched), and reads the result as a rendered input.
pub fn build(
    graph: &Graph,
    dir: &Path,
    command: &[String],
    show: &(dyn Fn(&Path) -> String + Sync),
) -> Result<Rendered, String> {
    let wrapper = tempfile::Builder::new()
        .prefix("podlint-kustomize-")
        .tempdir()
        .map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    let root =
        normalize(&std::path::absolute(wrapper.path()).unwrap_or_else(|_| wrapper.path().into()));
    let target = relative(&root, dir);
    std::fs::write(
        root.join("kustomization.yaml"),
        format!(
            "resources:\n- {}\nbuildMetadata: [originAnnotations]\n",
            target.display()
        ),
    )
    .map_err(|e| format!("cannot write the wrapper kustomization: {e}"))?;
    let output = tools::run(command, &[&root])?;
    let (text, build_origins) = strip_origins(&output);

    let closure = graph.closure(dir);
    let mut sources: Vec<Source> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let mut source_of = |path: &Path, sources: &mut Vec<Source>| -> Option<usize> {
        if let Some(&i) = index.get(path) {
            return Some(i);
        }
        let text = std::fs::read_to_string(path).ok()?;
        sources.push(Source {
            name: show(path),
            text,
        });
        index.insert(path.to_path_buf(), sources.len() - 1);
        Some(sources.len() - 1)
    };
    let patches: Vec<usize> = closure
        .patches
        .iter()
        .filter_map(|p| source_of(p, &mut sources))
        .collect();

    let parsed = syntax::parse(&text);
    let mut origins = Vec::new();
    let mut unmapped: Option<usize> = None;
    for (i, doc) in parsed.documents.iter().enumerate() {
        let origin = match build_origins.get(i).cloned().flatten() {
            Some(BuildOrigin::Path(p)) => source_of(&normalize(&root.join(p)), &mut sources)
                .map(|source| Origin::File { source, hint: None }),
            Some(BuildOrigin::ConfiguredIn(k)) => {
                let file = normalize(&root.join(k));
                let (_, name) = path::identity(doc);
                let at = graph
                    .kustomizations
                    .get(file.parent().unwrap_or(Path::new("")))
                    .and_then(|(_, k)| {
                        k.generators
                            .iter()
                            .filter(|g| name.is_some_and(|n| n.starts_with(&g.name)))
                            .max_by_key(|g| g.name.len())
                            .map(|g| g.range)
                    });
                source_of(&file, &mut sources).map(|source| match at {
                    Some(at) => Origin::Generated { source, at },
                    None => Origin::File { source, hint: None },
                })
            }
            None => None,
        };
        let origin = origin.unwrap_or_else(|| {
            // Not traceable to a file (a remote base): shown as the build itself.
            let source = *unmapped.get_or_insert_with(|| {
                sources.push(Source {
                    name: format!("{} (kustomize build)", show(dir)),
                    text: text.clone(),
                });
                sources.len() - 1
            });
            Origin::Verbatim {
                source,
                start: usize::from(doc.range.start()),
            }
        });
        origins.push(origin);
    }
    drop(parsed);
    Ok(Rendered {
        text,
        origins,
        sources,
        patches,
    })
}
