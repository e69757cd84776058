//! Helm: charts found in a run, rendered with `helm template`, and `helm template` streams
//! read from stdin, each document mapped back to the template its `# Source:` names.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use podlint_lint::sourcemap::{helm, Origin, Rendered, Source};
use podlint_lint::syntax;

/// The chart directory holding `path`: the outermost ancestor with a `Chart.yaml`, so a
/// subchart under `charts/` is rendered as part of its parent.
pub fn chart_of(path: &Path, cache: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let dir = path.parent()?;
    if let Some(known) = cache.get(dir) {
        return known.clone();
    }
    let found = dir
        .ancestors()
        .filter(|d| d.join("Chart.yaml").is_file())
        .last()
        .map(Path::to_path_buf);
    cache.insert(dir.to_path_buf(), found.clone());
    found
}

/// The chart's `name:` from its `Chart.yaml`.
pub fn chart_name(chart: &Path) -> Option<String> {
    let text = std::fs::read_to_string(chart.join("Chart.yaml")).ok()?;
    let parsed = syntax::parse(&text);
    let root = parsed.documents.first()?.root()?;
    root.get("name")?.as_str().map(str::to_string)
}

/// Where the template a `# Source:` names is on disk: in `chart` when given (the stream
/// came from rendering it), else the current directory when it is that chart, else a folder
/// of that name with that chart up to two levels below it.
fn template_path(source: &str, chart: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
    let (first, inside) = source.split_once('/')?;
    let roots: Vec<PathBuf> = match chart {
        Some(chart) => vec![chart.to_path_buf()],
        None => {
            // The current directory, or a chart of that name up to two folders below it
            // (`charts/web`, `deploy/helm/web`).
            let mut roots = vec![cwd.to_path_buf()];
            roots.extend(subdirs(cwd));
            for dir in subdirs(cwd) {
                roots.extend(subdirs(&dir));
            }
            roots
                .into_iter()
                .filter(|dir| {
                    (dir == cwd || dir.file_name().is_some_and(|n| n == first))
                        && chart_name(dir).as_deref() == Some(first)
                })
                .collect()
        }
    };
    roots
        .into_iter()
        .map(|root| root.join(inside))
        .find(|p| p.is_file())
}

/// The folders directly in `dir` (hidden ones left out).
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// A `helm template` stream as a rendered input. `fallback` names what has no `# Source:`.
pub fn rendered(
    text: String,
    chart: Option<&Path>,
    cwd: &Path,
    fallback: &str,
    show: &dyn Fn(&Path) -> String,
) -> Rendered {
    let parsed = syntax::parse(&text);
    let headers = helm::sources(&text, &parsed.documents);
    let mut sources: Vec<Source> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut seen_in: HashMap<usize, usize> = HashMap::new();
    let mut origins = Vec::new();
    for (doc, header) in parsed.documents.iter().zip(&headers) {
        let name = header.clone().unwrap_or_else(|| fallback.to_string());
        let on_disk = header
            .as_deref()
            .and_then(|h| template_path(h, chart, cwd))
            .and_then(|p| Some((show(&p), std::fs::read_to_string(&p).ok()?)));
        let key = on_disk
            .as_ref()
            .map_or(name.clone(), |(shown, _)| shown.clone());
        let source = *index_of.entry(key.clone()).or_insert_with(|| {
            sources.push(Source {
                name: key.clone(),
                text: on_disk.as_ref().map(|(_, t)| t.clone()).unwrap_or_default(),
            });
            sources.len() - 1
        });
        let nth = seen_in.entry(source).or_insert(0);
        if on_disk.is_some() {
            origins.push(Origin::File {
                source,
                hint: Some(*nth),
            });
        } else {
            // No template at hand: the rendered document is all there is.
            let range = doc.range;
            let piece = &text[usize::from(range.start())..usize::from(range.end())];
            let copy = &mut sources[source].text;
            if !copy.is_empty() {
                copy.push_str("---\n");
            }
            let start = copy.len();
            copy.push_str(piece);
            if !copy.ends_with('\n') {
                copy.push('\n');
            }
            origins.push(Origin::Verbatim { source, start });
        }
        *nth += 1;
    }
    drop(parsed);
    Rendered {
        text,
        origins,
        sources,
        patches: Vec::new(),
    }
}
