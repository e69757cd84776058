//! The shape of a source file read as indented text: which key sits under which, line by line.
//!
//! Rendered manifests are mapped back to the files people edit: kustomize bases and patches
//! (YAML) and Helm templates (YAML with `{{ }}` actions, often not parseable). Both are read
//! here the same way, by indentation, so a template's literal keys are found even when its
//! actions make the file invalid YAML. Lines that are only an action (`{{- if … }}`,
//! `{{- toYaml . | nindent 8 }}`), comments and block-scalar bodies are skipped.

use super::path::{KeyPath, Segment, IDENTITY_KEYS};
use crate::text::{self, TextRange};

/// One key or list item of the outline.
#[derive(Debug)]
struct Node {
    /// The key's text, unquoted; `None` for a list item (`-`).
    key: Option<String>,
    /// The key itself, or the `-` of an item.
    head: TextRange,
    /// The scalar written after the key on the same line, if any.
    value: Option<TextRange>,
    children: Vec<usize>,
}

/// One `---`-separated document of the outline.
#[derive(Debug, Default)]
struct Doc {
    roots: Vec<usize>,
}

/// A source file's outline.
#[derive(Debug, Default)]
pub struct Outline<'s> {
    text: &'s str,
    nodes: Vec<Node>,
    docs: Vec<Doc>,
}

/// Where a key path lands in a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub range: TextRange,
    /// How many segments of the path were found.
    pub depth: usize,
    /// Every segment was found.
    pub full: bool,
    /// The last node found has a value written on its own line (a scalar the file sets).
    pub sets_value: bool,
}

impl<'s> Outline<'s> {
    pub fn new(text: &'s str) -> Self {
        let mut outline = Outline {
            text,
            nodes: Vec::new(),
            docs: vec![Doc::default()],
        };
        // (col, node, is_item) of the open nodes, innermost last.
        let mut stack: Vec<(usize, usize, bool)> = Vec::new();
        // Lines indented deeper than this belong to a block scalar.
        let mut block_scalar: Option<usize> = None;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            let indent = content.len() - content.trim_start_matches(' ').len();
            let rest = &content[indent..];
            if rest.is_empty() {
                continue;
            }
            if let Some(parent) = block_scalar {
                if indent > parent {
                    continue;
                }
                block_scalar = None;
            }
            if indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
                outline.docs.push(Doc::default());
                stack.clear();
                continue;
            }
            if rest.starts_with('#') || rest.starts_with("{{") {
                continue;
            }
            let mut col = indent;
            let mut rest = rest;
            while rest == "-" || rest.starts_with("- ") {
                let head = text::range(start + col, start + col + 1);
                outline.push(&mut stack, None, col, head, None);
                let after = &rest[1..];
                let spaces = after.len() - after.trim_start_matches(' ').len();
                col += 1 + spaces;
                rest = &after[spaces..];
            }
            if rest.is_empty() || rest.starts_with('#') || rest.starts_with("{{") {
                continue;
            }
            let Some((key, key_len)) = key_of(rest) else {
                continue;
            };
            let head = text::range(start + col, start + col + key_len);
            let after_colon = &rest[key_len + 1..];
            let value = value_span(after_colon).map(|(from, to)| {
                let base = start + col + key_len + 1;
                text::range(base + from, base + to)
            });
            let value_text = value.map(|r| &text[usize::from(r.start())..usize::from(r.end())]);
            if value_text.is_some_and(|v| v.starts_with('|') || v.starts_with('>')) {
                block_scalar = Some(col);
            }
            outline.push(&mut stack, Some(key), col, head, value);
        }
        outline
    }

    fn push(
        &mut self,
        stack: &mut Vec<(usize, usize, bool)>,
        key: Option<String>,
        col: usize,
        head: TextRange,
        value: Option<TextRange>,
    ) {
        let is_item = key.is_none();
        // An item may sit at its parent key's column (`containers:` / `- name: a`).
        while let Some(&(top_col, _, top_is_item)) = stack.last() {
            if top_col > col || (top_col == col && (top_is_item || !is_item)) {
                stack.pop();
            } else {
                break;
            }
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            key,
            head,
            value,
            children: Vec::new(),
        });
        match stack.last() {
            Some(&(_, parent, _)) => self.nodes[parent].children.push(id),
            None => self.docs.last_mut().expect("one doc").roots.push(id),
        }
        stack.push((col, id, is_item));
    }

    /// The documents that hold anything, by index among them.
    fn documents(&self) -> Vec<&Doc> {
        self.docs.iter().filter(|d| !d.roots.is_empty()).collect()
    }

    fn text_of(&self, range: TextRange) -> &'s str {
        unquote(&self.text[usize::from(range.start())..usize::from(range.end())])
    }

    fn child(&self, children: &[usize], key: &str) -> Option<usize> {
        children
            .iter()
            .copied()
            .find(|&c| self.nodes[c].key.as_deref() == Some(key))
    }

    fn scalar(&self, children: &[usize], key: &str) -> Option<&'s str> {
        let node = self.child(children, key)?;
        Some(self.text_of(self.nodes[node].value?))
    }

    /// The document that holds `kind` named `name`: `hint` first (its position among the
    /// file's documents) when it does not contradict them, then the first whose kind and
    /// name agree. A name matches when it is
    /// templated or the rendered name contains it (kustomize adds prefixes and suffixes).
    pub fn document(
        &self,
        hint: Option<usize>,
        kind: Option<&str>,
        name: Option<&str>,
    ) -> Option<usize> {
        let docs = self.documents();
        let agrees = |doc: &Doc, strict: bool| {
            let doc_kind = self.scalar(&doc.roots, "kind");
            let kind_ok = match (kind, doc_kind) {
                (Some(want), Some(have)) => want == have || have.contains("{{"),
                (_, None) => !strict,
                (None, _) => true,
            };
            let doc_name = self
                .child(&doc.roots, "metadata")
                .and_then(|m| self.scalar(&self.nodes[m].children, "name"));
            let name_ok = match (name, doc_name) {
                (Some(want), Some(have)) => {
                    have.contains("{{") || want == have || (!have.is_empty() && want.contains(have))
                }
                _ => !strict,
            };
            kind_ok && name_ok
        };
        if let Some(i) = hint.filter(|&i| i < docs.len() && agrees(docs[i], false)) {
            return Some(i);
        }
        docs.iter().position(|d| agrees(d, true))
    }

    /// The file's one document, when it has exactly one.
    pub fn only_document(&self) -> Option<usize> {
        (self.documents().len() == 1).then_some(0)
    }

    /// A JSON 6902 patch file's operations (`- op: add` / `path: /spec/replicas` /
    /// `value: 3`): each op's path split into its parts, and where to report what it set
    /// (its `value:` key, else its `path:`).
    pub fn json_patch_ops(&self) -> Vec<(Vec<String>, TextRange)> {
        let Some(doc) = self.documents().first().copied() else {
            return Vec::new();
        };
        doc.roots
            .iter()
            .filter(|&&item| self.nodes[item].key.is_none())
            .filter_map(|&item| {
                let children = &self.nodes[item].children;
                self.scalar(children, "op")?;
                let path = self.scalar(children, "path")?;
                let at = self
                    .child(children, "value")
                    .or_else(|| self.child(children, "path"))?;
                let parts = path
                    .trim_start_matches('/')
                    .split('/')
                    .map(|p| p.replace("~1", "/").replace("~0", "~"))
                    .collect();
                Some((parts, self.nodes[at].head))
            })
            .collect()
    }

    /// Follows `path` in document `doc` as far as the file writes it.
    pub fn find(&self, doc: usize, path: &KeyPath) -> Option<Found> {
        let (on_key, whole_entry) = (path.on_key, path.whole_entry);
        let path = path.segments.as_slice();
        let docs = self.documents();
        let doc = docs.get(doc)?;
        let mut children: &[usize] = &doc.roots;
        let mut last: Option<usize> = None;
        let mut depth = 0;
        for segment in path {
            let next = match segment {
                Segment::Key(key) => self.child(children, key),
                Segment::Item { index, name } => self.item(children, *index, name.as_deref()),
            };
            let Some(next) = next else { break };
            last = Some(next);
            children = &self.nodes[next].children;
            depth += 1;
        }
        let full = depth == path.len();
        let node = match last {
            Some(node) => node,
            // Nothing of the path is here: the document's first key stands for it.
            None => *doc.roots.first()?,
        };
        let node = &self.nodes[node];
        // An item stands for its first key (`- name: web` → `name`).
        let head = match (&node.key, node.children.first()) {
            (None, Some(&first)) => self.nodes[first].head,
            _ => node.head,
        };
        let range = match node.value {
            Some(value) if full && whole_entry => head.cover(value),
            Some(value) if full && !on_key => value,
            _ => head,
        };
        Some(Found {
            range,
            depth,
            full,
            sets_value: node.value.is_some(),
        })
    }

    /// The list item of `children` that a rendered item matches: by its identity key (a
    /// templated one matches any), else by position when the items carry no identity.
    fn item(&self, children: &[usize], index: usize, name: Option<&str>) -> Option<usize> {
        let items: Vec<usize> = children
            .iter()
            .copied()
            .filter(|&c| self.nodes[c].key.is_none())
            .collect();
        let identity = |item: usize| {
            IDENTITY_KEYS
                .iter()
                .find_map(|k| self.scalar(&self.nodes[item].children, k))
        };
        if let Some(name) = name {
            if let Some(&found) = items.iter().find(|&&i| identity(i) == Some(name)) {
                return Some(found);
            }
            if let Some(&found) = items
                .iter()
                .find(|&&i| identity(i).is_some_and(|v| v.contains("{{")))
            {
                return Some(found);
            }
            if items.iter().any(|&i| identity(i).is_some()) {
                return None;
            }
        }
        items.get(index).copied()
    }
}

/// A key at the start of `rest` and its length in bytes (the `:` follows it).
fn key_of(rest: &str) -> Option<(String, usize)> {
    if rest.starts_with(['{', '[', '&', '*', '!', '|', '>']) {
        return None;
    }
    if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = rest[1..].find(quote)? + 1;
        let after = &rest[close + 1..];
        if !(after == ":" || after.starts_with(": ")) {
            return None;
        }
        return Some((rest[1..close].to_string(), close + 1));
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            let key = &rest[..i];
            if key.is_empty() || key.contains("{{") && !key.contains("}}") {
                return None;
            }
            return Some((key.trim_end().to_string(), i));
        }
        if bytes[i] == b' ' && bytes.get(i + 1) == Some(&b'#') {
            return None;
        }
        i += 1;
    }
    None
}

/// The value after a key's `:`, without its trailing comment: (start, end) in `after`.
fn value_span(after: &str) -> Option<(usize, usize)> {
    let start = after.len() - after.trim_start().len();
    let body = &after[start..];
    if body.is_empty() || body.starts_with('#') {
        return None;
    }
    let end = match body.find(" #") {
        Some(at) if !body.starts_with(['"', '\'']) => at,
        _ => body.len(),
    };
    let trimmed = body[..end].trim_end();
    (!trimmed.is_empty()).then_some((start, start + trimmed.len()))
}

fn unquote(text: &str) -> &str {
    let t = text.trim();
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        &t[1..t.len() - 1]
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    fn item(index: usize, name: &str) -> Segment {
        Segment::Item {
            index,
            name: Some(name.into()),
        }
    }

    fn value_at(segments: &[Segment]) -> KeyPath {
        KeyPath {
            segments: segments.to_vec(),
            ..KeyPath::default()
        }
    }

    fn line_of(text: &str, found: Found) -> usize {
        text[..usize::from(found.range.start())]
            .matches('\n')
            .count()
            + 1
    }

    const TEMPLATE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include \"web.fullname\" . }}
spec:
  template:
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          image: \"{{ .Values.image.repository }}\"
          ports:
            - name: http
              containerPort: 8080
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
        - name: metrics
          command:
          - sh
          - -c
          - |
            - not: a key
          ports:
            - containerPort: 8080
";

    #[test]
    fn literal_keys_of_a_template_are_found_at_their_line() {
        let outline = Outline::new(TEMPLATE);
        let doc = outline
            .document(None, Some("Deployment"), Some("rel-web"))
            .unwrap();
        let path = [
            key("spec"),
            key("template"),
            key("spec"),
            key("containers"),
            item(1, "metrics"),
            key("ports"),
            item(0, "8080"),
            key("containerPort"),
        ];
        let found = outline.find(doc, &value_at(&path)).unwrap();
        assert!(found.full);
        assert_eq!(line_of(TEMPLATE, found), 27);
        // A templated name matches any rendered name; toYaml output maps to its key.
        let path = [
            key("spec"),
            key("template"),
            key("spec"),
            key("containers"),
            item(0, "web"),
            key("resources"),
            key("limits"),
        ];
        let found = outline
            .find(
                doc,
                &KeyPath {
                    segments: path.to_vec(),
                    on_key: true,
                    ..KeyPath::default()
                },
            )
            .unwrap();
        assert!(!found.full);
        assert_eq!(line_of(TEMPLATE, found), 18);
    }

    #[test]
    fn documents_are_chosen_by_kind_and_name() {
        let text = "kind: Service\nmetadata:\n  name: web\n---\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n";
        let outline = Outline::new(text);
        assert_eq!(
            outline.document(None, Some("Deployment"), Some("dev-web")),
            Some(1)
        );
        let found = outline
            .find(1, &value_at(&[key("spec"), key("replicas")]))
            .unwrap();
        assert_eq!(
            &text[usize::from(found.range.start())..usize::from(found.range.end())],
            "1"
        );
    }
}
