//! Rendered manifests and the files they came from.
//!
//! A `kustomize build` or a `helm template` stream is linted as one virtual file (so the
//! cross-object rules see the whole build), and each finding is then moved to the file a
//! person edits: the base, the patch or the template, at the line of the key that produced
//! the value. The rendered document names its source (kustomize's origin annotation, Helm's
//! `# Source:` comment); inside the source the place is found by key path ([`path`] on the
//! rendered side, [`outline`] on the source side, which also reads templates that are not
//! valid YAML).

pub mod helm;
pub mod kustomization;
pub mod kustomize_build;
pub mod outline;
pub mod path;

use crate::diagnostic::{Diagnostic, Label};
use crate::syntax::{self, Document};
use crate::text::{self, TextRange, TextSize};
use outline::{Found, Outline};

/// A file a rendered input came from, as it is shown and as it reads.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Where a rendered document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The document is a copy of `source` from byte `start` on (what a Helm stream is when its
    /// chart is not at hand).
    Verbatim { source: usize, start: usize },
    /// Written in `source`, found there by kind, name and key path; `hint` is its position
    /// among that file's documents when known.
    File { source: usize, hint: Option<usize> },
    /// Made by a generator written in `source` at `at`.
    Generated { source: usize, at: TextRange },
}

/// A rendered input: its text, where each of its documents came from, and the files.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    /// One per document of `syntax::parse(text)`, in order.
    pub origins: Vec<Origin>,
    pub sources: Vec<Source>,
    /// Sources that patch the built objects (kustomize): a place their origin does not
    /// write is looked for there.
    pub patches: Vec<usize>,
}

/// A finding moved to the source it came from; its ranges point into that source's text.
#[derive(Debug, Clone)]
pub struct Relocated {
    pub source: usize,
    pub diagnostic: Diagnostic,
}

/// Moves each finding on `rendered.text` to its source. Fixes are dropped: they were
/// written for the rendered text. A label that lands in another file than its finding is
/// dropped too.
pub fn relocate(rendered: &Rendered, diagnostics: Vec<Diagnostic>) -> Vec<Relocated> {
    let parsed = syntax::parse(&rendered.text);
    let outlines: Vec<Outline<'_>> = rendered
        .sources
        .iter()
        .map(|s| Outline::new(&s.text))
        .collect();
    let mapper = Mapper {
        rendered,
        documents: &parsed.documents,
        outlines,
    };
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            let (source, range) = mapper.locate(d.range)?;
            d.range = range;
            d.fix = None;
            let mut elsewhere = Vec::new();
            d.labels = std::mem::take(&mut d.labels)
                .into_iter()
                .filter_map(|label| {
                    let (s, range) = mapper.locate(label.range)?;
                    if s != source {
                        // Another file: named in the message, where a label cannot point.
                        let file = &rendered.sources[s];
                        let (line, col) = text::line_col(
                            &file.text,
                            &text::LineStarts::new(&file.text),
                            range.start(),
                        );
                        elsewhere.push(format!(
                            "{} at {}:{line}:{col}",
                            label.message.trim_end_matches(" here"),
                            file.name
                        ));
                        return None;
                    }
                    (range != d.range).then_some(Label {
                        range,
                        message: label.message,
                    })
                })
                .collect();
            if !elsewhere.is_empty() {
                d.message = format!("{} ({})", d.message, elsewhere.join("; "));
            }
            Some(Relocated {
                source,
                diagnostic: d,
            })
        })
        .collect()
}

struct Mapper<'a> {
    rendered: &'a Rendered,
    documents: &'a [Document<'a>],
    outlines: Vec<Outline<'a>>,
}

impl Mapper<'_> {
    /// The source and range for a rendered offset.
    fn locate(&self, range: TextRange) -> Option<(usize, TextRange)> {
        let offset = range.start();
        let index = self
            .documents
            .iter()
            .rposition(|d| d.range.start() <= offset)
            .unwrap_or(0);
        let doc = self.documents.get(index);
        let origin = self.rendered.origins.get(index)?;
        match *origin {
            Origin::Verbatim { source, start } => {
                let doc_start = doc.map_or(0, |d| usize::from(d.range.start()));
                let len = self.rendered.sources.get(source)?.text.len();
                let shift =
                    |at: TextSize| (start + usize::from(at).saturating_sub(doc_start)).min(len);
                Some((
                    source,
                    text::range(shift(range.start()), shift(range.end())),
                ))
            }
            Origin::Generated { source, at } => Some((source, at)),
            Origin::File { source, hint } => {
                let doc = doc?;
                let mut path = path::at(doc, offset);
                path.whole_entry = path
                    .node
                    .is_some_and(|n| path.on_key && range.end() > n.end());
                let (kind, name) = path::identity(doc);
                let in_origin = self.find(source, hint, kind, name, &path);
                let in_patch = self
                    .rendered
                    .patches
                    .iter()
                    .filter_map(|&p| Some((p, self.find_strict(p, kind, name, &path)?)))
                    .max_by_key(|(_, f)| f.depth);
                let choose_patch = match (&in_origin, &in_patch) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(o), Some((_, p))) => {
                        if p.full && !o.full {
                            true
                        } else if p.full {
                            // Both write it: a value the patch sets is the patch's; the item
                            // itself belongs to the file that declares it first.
                            p.sets_value && !path.is_identity()
                        } else {
                            !o.full && p.depth > o.depth
                        }
                    }
                };
                if choose_patch {
                    let (p, found) = in_patch?;
                    return Some((p, found.range));
                }
                // A JSON 6902 operation that wrote this place (or the object around it, when
                // the origin does not have the place at all).
                let origin_full = in_origin.is_some_and(|f| f.full);
                if let Some(at) = self.json_patch_op(&path, origin_full) {
                    return Some(at);
                }
                in_origin.map(|f| (source, f.range))
            }
        }
    }

    /// The JSON 6902 operation of a patch file that set `path`: exactly its path when the
    /// origin writes the place too, else the deepest op whose path leads to it.
    fn json_patch_op(&self, path: &path::KeyPath, origin_full: bool) -> Option<(usize, TextRange)> {
        let parts: Vec<String> = path
            .segments
            .iter()
            .map(|s| match s {
                path::Segment::Key(k) => k.clone(),
                path::Segment::Item { index, .. } => index.to_string(),
            })
            .collect();
        self.rendered
            .patches
            .iter()
            .flat_map(|&p| {
                self.outlines[p]
                    .json_patch_ops()
                    .into_iter()
                    .map(move |(op, at)| (p, op, at))
            })
            .filter(|(_, op, _)| {
                op.len() <= parts.len()
                    && op.iter().zip(&parts).all(|(o, p)| o == p || o == "-")
                    && (!origin_full || op.len() == parts.len())
            })
            .max_by_key(|(_, op, _)| op.len())
            .map(|(p, _, at)| (p, at))
    }

    fn find(
        &self,
        source: usize,
        hint: Option<usize>,
        kind: Option<&str>,
        name: Option<&str>,
        path: &path::KeyPath,
    ) -> Option<Found> {
        let outline = self.outlines.get(source)?;
        let doc = outline
            .document(hint, kind, name)
            .or_else(|| outline.only_document())?;
        outline.find(doc, path)
    }

    fn find_strict(
        &self,
        source: usize,
        kind: Option<&str>,
        name: Option<&str>,
        path: &path::KeyPath,
    ) -> Option<Found> {
        let outline = self.outlines.get(source)?;
        let doc = outline.document(None, kind, name)?;
        outline.find(doc, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Category, Severity};

    /// Every finding at every node of `text`, relocated into `source`.
    fn relocate_everywhere(text: &str, source: &str) -> Vec<Relocated> {
        let parsed = syntax::parse(text);
        let diagnostics: Vec<Diagnostic> = parsed
            .documents
            .iter()
            .flat_map(|d| d.nodes().map(|n| n.range()).collect::<Vec<_>>())
            .map(|range| Diagnostic::new("x", Category::Style, Severity::Info, range, "m"))
            .collect();
        let origins = parsed
            .documents
            .iter()
            .enumerate()
            .map(|(i, _)| match i % 3 {
                0 => Origin::File {
                    source: 0,
                    hint: Some(i),
                },
                1 => Origin::Verbatim {
                    source: 1,
                    start: i * 7,
                },
                _ => Origin::Generated {
                    source: 0,
                    at: text::range(0, 0),
                },
            })
            .collect();
        drop(parsed);
        let rendered = Rendered {
            text: text.to_string(),
            origins,
            sources: vec![
                Source {
                    name: "a".into(),
                    text: source.to_string(),
                },
                Source {
                    name: "b".into(),
                    text: "é\n".repeat(3),
                },
            ],
            patches: vec![0],
        };
        relocate(&rendered, diagnostics)
    }

    #[test]
    fn a_value_a_json_patch_set_is_reported_at_its_operation() {
        let rendered_text = "kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - name: web\n        image: a:1\n";
        let base = "kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: a:1\n";
        let ops = "- op: add\n  path: /spec/replicas\n  value: 5\n";
        let rendered = Rendered {
            text: rendered_text.into(),
            origins: vec![Origin::File {
                source: 0,
                hint: None,
            }],
            sources: vec![
                Source {
                    name: "base.yaml".into(),
                    text: base.into(),
                },
                Source {
                    name: "ops.yaml".into(),
                    text: ops.into(),
                },
            ],
            patches: vec![1],
        };
        let at = |needle: &str| {
            let start = rendered_text.find(needle).unwrap();
            text::range(start, start + needle.len())
        };
        let found = |range| {
            let d = Diagnostic::new("x", Category::Style, Severity::Info, range, "m");
            let moved = relocate(&rendered, vec![d]).pop().unwrap();
            let text = &rendered.sources[moved.source].text;
            let r = moved.diagnostic.range;
            (
                moved.source,
                text[usize::from(r.start())..usize::from(r.end())].to_string(),
            )
        };
        assert_eq!(found(at("5")), (1, "value".to_string()));
        assert_eq!(found(at("image")), (0, "image".to_string()));
    }

    #[test]
    fn bad_input_maps_without_panicking_and_ranges_stay_in_their_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/bad-input");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                String::from_utf8_lossy(&std::fs::read(e.unwrap().path()).unwrap()).into_owned()
            })
            .collect();
        texts.push("- - - a: [\n  {{ x }}: |\n  - b\n\"q\": 'r\n---\n...\n: :\n".into());
        for text in &texts {
            for source in &texts {
                for moved in relocate_everywhere(text, source) {
                    let len = if moved.source == 0 { source.len() } else { 9 };
                    assert!(usize::from(moved.diagnostic.range.end()) <= len);
                }
            }
            let (stripped, _) = kustomize_build::strip_origins(text);
            assert!(stripped.len() <= text.len());
        }
    }
}
