//! Suppressions written in the manifest:
//!
//! - `# podlint-disable-next-line RULE[,RULE] [-- reason]`: the next line that holds content;
//! - `# podlint-disable-line RULE` as a trailing comment: its own line;
//! - `# podlint-disable RULE`: before a document's content, the whole document (up to the
//!   next `---`); on a container's `- name:` line or the line before it, that container; on
//!   or before any other key, that key and everything under it;
//! - `podlint.dev/ignore: "RULE,RULE"` in an object's `metadata.annotations` (the whole
//!   object) or in its pod template's (the pod template).
//!
//! RULE is a rule name, a category or `all`. A diagnostic is suppressed when its range starts
//! inside the scope. Entries that suppress nothing, or name no rule, are reported by
//! `unused-suppression`.

use crate::diagnostic::Diagnostic;
use crate::k8s::{self, CustomKind};
use crate::rule::{Entry, Origin, Settings, Suppression};
use crate::syntax::{Document, NodeKind, NodeRef, ScalarStyle};
use crate::text::{self, TextRange};

/// The annotation that suppresses rules for an object or a pod template.
pub const IGNORE_ANNOTATION: &str = "podlint.dev/ignore";

const DIRECTIVES: [&str; 3] = [
    "podlint-disable-next-line",
    "podlint-disable-line",
    "podlint-disable",
];

/// Every suppression written in `text`, with its scope. Costs one substring search when the
/// file mentions no `podlint`.
pub(crate) fn collect(
    text: &str,
    documents: &[Document<'_>],
    settings: &Settings,
) -> Vec<Suppression> {
    if !settings.inline_suppressions() || !crate::text::contains(text, "podlint") {
        return Vec::new();
    }
    let kinds = &settings.pod_templates;
    let mut suppressions = comments(text, documents, kinds);
    suppressions.extend(annotations(text, documents, kinds));
    suppressions
}

/// Drops the diagnostics that `suppressions` cover and marks the entries that covered one.
pub(crate) fn apply(
    suppressions: &mut [Suppression],
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let at = d.range.start();
        let index = settings.rule_index(d.rule);
        let mut suppressed = false;
        for s in suppressions.iter_mut() {
            if !s.scope.contains_inclusive(at) {
                continue;
            }
            for entry in &mut s.entries {
                if let (Some(selector), Some(i)) = (entry.selector, index) {
                    if settings.selects(selector, i) {
                        entry.used = true;
                        suppressed = true;
                    }
                }
            }
        }
        !suppressed
    });
}

/// Marks the entries that name an enabled cross-object rule as used: whether those rules find
/// something depends on the set of files linted together, not on this file.
pub(crate) fn defer_cross_object(suppressions: &mut [Suppression], settings: &Settings) {
    let registry = settings.registry();
    let cross_object = |sel| {
        (0..registry.len()).any(|i| {
            settings.selects(sel, i) && registry[i].is_cross_object() && settings.is_enabled_at(i)
        })
    };
    for s in suppressions.iter_mut().filter(|s| s.misspelt.is_none()) {
        for entry in &mut s.entries {
            if entry.selector.is_some_and(cross_object) {
                entry.used = true;
            }
        }
    }
}

/// Splits `a, b c` into names with their ranges, starting at byte `base`.
fn entries(list: &str, base: usize) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in list
        .char_indices()
        .chain(std::iter::once((list.len(), ',')))
    {
        let separator = c == ',' || c.is_whitespace();
        match (separator, start) {
            (true, Some(s)) => {
                let name = &list[s..i];
                out.push(Entry {
                    name: name.to_string(),
                    range: text::range(base + s, base + i),
                    selector: crate::rules::parse_selector(name).ok(),
                    used: false,
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// Where each line starts, for the few line questions directives ask.
struct Lines<'a> {
    text: &'a str,
}

impl<'a> Lines<'a> {
    fn start(&self, offset: usize) -> usize {
        self.text[..offset].rfind('\n').map_or(0, |i| i + 1)
    }

    /// End of the line's content (before `\r\n` or `\n`).
    fn end(&self, offset: usize) -> usize {
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        if end > offset && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }

    fn next(&self, offset: usize) -> Option<usize> {
        self.text[offset..].find('\n').map(|i| offset + i + 1)
    }

    fn content(&self, start: usize) -> &'a str {
        self.text[start..self.end(start)].trim()
    }

    /// The first line after the one at `offset` that holds more than blanks and comments.
    fn next_content(&self, offset: usize) -> Option<usize> {
        let mut line = self.next(offset)?;
        loop {
            let content = self.content(line);
            if !content.is_empty() && !content.starts_with('#') {
                return Some(line);
            }
            line = self.next(line)?;
        }
    }

    /// Whether only blanks, comments, YAML directives and `---` precede `line` in its document.
    fn starts_document(&self, line: usize) -> bool {
        let mut cursor = line;
        while cursor > 0 {
            let previous = self.start(cursor - 1);
            let content = self.content(previous);
            if content.starts_with("---") {
                return true;
            }
            if !(content.is_empty() || content.starts_with('#') || content.starts_with('%')) {
                return false;
            }
            cursor = previous;
        }
        true
    }

    /// The start of the next `---` line after `offset`, or the end of the text.
    fn document_end(&self, offset: usize) -> usize {
        let mut line = self.next(offset);
        while let Some(start) = line {
            let rest = &self.text[start..];
            if let Some(after) = rest.strip_prefix("---") {
                if after.is_empty() || after.starts_with([' ', '\t', '\r', '\n']) {
                    return start;
                }
            }
            line = self.next(start);
        }
        self.text.len()
    }
}

/// Every `# podlint-disable…` comment, with its scope.
fn comments(text: &str, documents: &[Document<'_>], kinds: &[CustomKind]) -> Vec<Suppression> {
    let lines = Lines { text };
    let mut scalars: Option<Vec<TextRange>> = None;
    let mut blocks: Option<Vec<(usize, TextRange)>> = None;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("podlint-disable") {
        let at = from + found;
        from = at + "podlint-disable".len();
        let line = lines.start(at);
        // `#`, then only blanks up to the directive word.
        let before = text[line..at].trim_end_matches([' ', '\t']);
        let Some(hash) = before.strip_suffix('#').map(|b| line + b.len()) else {
            continue;
        };
        if hash > line && !text[..hash].ends_with([' ', '\t']) {
            continue;
        }
        let scalars = scalars.get_or_insert_with(|| scalar_ranges(documents));
        if inside(scalars, hash) {
            continue;
        }
        let end = lines.end(at);
        let body = &text[at..end];
        let word_len = body.find(char::is_whitespace).unwrap_or(body.len());
        let word = &body[..word_len];
        let comment = text::range(hash, end);
        let own_line = text[line..hash].trim().is_empty();
        let whole_line = own_line.then(|| {
            let next = lines.next(at).unwrap_or(text.len());
            text::range(line, next)
        });
        let origin = Origin::Comment {
            comment,
            own_line: whole_line,
        };
        let Some(directive) = DIRECTIVES.iter().find(|d| **d == word) else {
            let guess = DIRECTIVES
                .iter()
                .copied()
                .min_by_key(|d| strsim::damerau_levenshtein(word, d))
                .expect("three directives");
            out.push(Suppression {
                scope: TextRange::default(),
                entries: Vec::new(),
                origin,
                misspelt: Some((text::range(at, at + word_len), guess)),
            });
            continue;
        };
        // Names up to ` -- reason`.
        let list_start = at + word_len;
        let list = &text[list_start..end];
        let list = list.find(" --").map_or(list, |i| &list[..i]);
        let entries = entries(list, list_start);
        let scope = match *directive {
            "podlint-disable-line" => text::range(line, end),
            "podlint-disable-next-line" => match lines.next_content(at) {
                Some(next) => text::range(next, lines.end(next)),
                None => TextRange::empty(text::size(end)),
            },
            _ if own_line && lines.starts_document(line) => {
                text::range(line, lines.document_end(line))
            }
            _ => {
                let target = if own_line {
                    lines.next_content(at)
                } else {
                    Some(line)
                };
                match target {
                    Some(target) => {
                        let blocks =
                            blocks.get_or_insert_with(|| block_starts(documents, &lines, kinds));
                        block_scope(blocks, target)
                            .unwrap_or_else(|| text::range(target, lines.end(target)))
                    }
                    None => TextRange::empty(text::size(end)),
                }
            }
        };
        out.push(Suppression {
            scope,
            entries,
            origin,
            misspelt: None,
        });
    }
    out
}

/// The ranges of every scalar, sorted: a `#` inside one is text, not a comment.
fn scalar_ranges(documents: &[Document<'_>]) -> Vec<TextRange> {
    let mut ranges: Vec<TextRange> = documents
        .iter()
        .flat_map(|d| d.nodes())
        .filter(|n| matches!(n.kind(), NodeKind::Scalar(_)) && !n.is_alias())
        .map(|n| n.range())
        .collect();
    ranges.sort_by_key(|r| r.start());
    ranges
}

fn inside(sorted: &[TextRange], offset: usize) -> bool {
    let offset = text::size(offset);
    let after = sorted.partition_point(|r| r.start() <= offset);
    sorted[..after]
        .iter()
        .rev()
        .take(4)
        .any(|r| r.start() <= offset && offset < r.end())
}

/// `(line start, scope)` for every container (its whole mapping) and every mapping key (the
/// key and its value), containers first on a line.
fn block_starts(
    documents: &[Document<'_>],
    lines: &Lines<'_>,
    kinds: &[CustomKind],
) -> Vec<(usize, TextRange)> {
    let mut out = Vec::new();
    for doc in documents {
        for object in k8s::objects_with(doc, kinds) {
            for pod in object.pods() {
                for c in pod.containers() {
                    let start = usize::from(c.node.range().start());
                    out.push((lines.start(start), c.node.range()));
                }
            }
        }
    }
    let containers = out.len();
    for doc in documents {
        for node in doc.nodes() {
            if node.is_alias() || !node.is_mapping() {
                continue;
            }
            for (key, value) in node.entries() {
                let start = usize::from(key.range().start());
                out.push((lines.start(start), key.range().cover(value.range())));
            }
        }
    }
    // Stable: containers stay ahead of keys; among keys the outermost (earliest) first.
    out[containers..].sort_by_key(|(line, r)| (*line, r.start()));
    out
}

fn block_scope(blocks: &[(usize, TextRange)], line: usize) -> Option<TextRange> {
    blocks
        .iter()
        .find(|(l, _)| *l == line)
        .map(|(_, r)| TextRange::new(text::size(line), r.end()))
}

/// Every `podlint.dev/ignore` annotation on an object or a pod template.
fn annotations(text: &str, documents: &[Document<'_>], kinds: &[CustomKind]) -> Vec<Suppression> {
    if !crate::text::contains(text, IGNORE_ANNOTATION) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for doc in documents {
        for object in k8s::objects_with(doc, kinds) {
            // A bare Pod is its own template: look at its metadata once. A custom resource
            // may have several pod templates (a Volcano Job's tasks).
            let templates = object.pods().into_iter().map(|p| p.template);
            let templates: Vec<_> = templates.filter(|t| *t != object.root).collect();
            for holder in std::iter::once(object.root).chain(templates) {
                if let Some(s) = annotation(text, holder, holder.range()) {
                    out.push(s);
                }
            }
        }
    }
    out
}

fn annotation(text: &str, holder: NodeRef<'_, '_>, scope: TextRange) -> Option<Suppression> {
    let annotations = holder.at(&["metadata", "annotations"])?;
    let (key, value) = annotations.entry(IGNORE_ANNOTATION)?;
    let written = value.as_str()?;
    let raw = &text[value.range()];
    let scalar = value.scalar()?;
    let inner = match scalar.style {
        ScalarStyle::Plain => Some((raw, 0)),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if raw.len() >= 2 => {
            Some((&raw[1..raw.len() - 1], 1))
        }
        _ => None,
    }
    .filter(|(inner, _)| *inner == written);
    let (entries, exact) = match inner {
        Some((inner, offset)) => (
            entries(inner, usize::from(value.range().start()) + offset),
            true,
        ),
        None => {
            let mut list = entries(written, 0);
            for e in &mut list {
                e.range = value.range();
            }
            (list, false)
        }
    };
    Some(Suppression {
        scope,
        entries,
        origin: Origin::Annotation {
            removal: annotation_removal(text, annotations, key, value),
            exact,
        },
        misspelt: None,
    })
}

/// The lines to delete to remove the annotation: its own line(s), or the whole
/// `annotations:` entry when it is the only one. `None` when that would not be clean.
fn annotation_removal(
    text: &str,
    annotations: NodeRef<'_, '_>,
    key: NodeRef<'_, '_>,
    value: NodeRef<'_, '_>,
) -> Option<TextRange> {
    let lines = Lines { text };
    let whole_lines = |start: usize, end: usize| -> Option<TextRange> {
        let line = lines.start(start);
        let rest = text[end..lines.end(end)].trim_start();
        let alone =
            text[line..start].trim().is_empty() && (rest.is_empty() || rest.starts_with('#'));
        alone.then(|| text::range(line, lines.next(end).unwrap_or(text.len())))
    };
    if text[annotations.range()].starts_with('{') {
        return None;
    }
    if annotations.entries().count() > 1 {
        return whole_lines(key.range().start().into(), value.range().end().into());
    }
    // The only annotation: remove `annotations:` itself, when it is a block entry.
    let document = annotations.document();
    let metadata = document
        .nodes()
        .find(|n| n.is_mapping() && n.entries().any(|(_, v)| v == annotations))?;
    if text[metadata.range()].starts_with('{') {
        return None;
    }
    let (outer_key, _) = metadata.entries().find(|(_, v)| *v == annotations)?;
    whole_lines(
        outer_key.range().start().into(),
        annotations.range().end().into(),
    )
}

#[cfg(test)]
mod tests {
    use crate::rule::Settings;

    fn rules(yaml: &str, settings: &Settings) -> Vec<(String, &'static str)> {
        crate::lint(yaml, settings)
            .into_iter()
            .map(|d| (yaml[d.range].to_string(), d.rule))
            .collect()
    }

    const PORTS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
  - name: a
    image: x
    ports:
    - containerPort: 80
  - name: b
    image: y
    ports:
    - containerPort: 80
";

    fn with(settings_rules: &[&str]) -> Settings {
        Settings::only(settings_rules)
    }

    #[test]
    fn line_forms_cover_their_line() {
        let s = with(&["duplicate-container-port", "unused-suppression"]);
        let next = PORTS.replace(
            "    ports:\n    - containerPort: 80\n  - name: b\n    image: y\n    ports:\n",
            "    ports:\n    - containerPort: 80\n  - name: b\n    image: y\n    ports:\n    # podlint-disable-next-line duplicate-container-port -- shared on purpose\n",
        );
        assert_eq!(rules(&next, &s), []);
        let at = PORTS.rfind("- containerPort: 80").unwrap() + "- containerPort: 80".len();
        let line = format!(
            "{}  # podlint-disable-line duplicate-container-port{}",
            &PORTS[..at],
            &PORTS[at..]
        );
        assert_eq!(rules(&line, &s), []);
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let s = with(&["duplicate-container-port", "unused-suppression"]);
        let text = PORTS.replace(
            "  name: demo\n",
            "  name: demo\n  annotations:\n    note: \"x # podlint-disable all\"\n",
        );
        assert_eq!(rules(&text, &s).len(), 1);
    }

    #[test]
    fn document_and_container_scopes() {
        let s = with(&["duplicate-container-port", "unused-suppression"]);
        let doc = format!("# podlint-disable duplicate-container-port\n{PORTS}---\n{PORTS}");
        assert_eq!(
            rules(&doc, &s).len(),
            1,
            "only the second document is flagged"
        );
        let container = PORTS.replace(
            "  - name: b\n",
            "  - name: b  # podlint-disable api-warns\n",
        );
        assert_eq!(rules(&container, &s), []);
        let other = PORTS.replace("  - name: a\n", "  # podlint-disable all\n  - name: a\n");
        assert_eq!(
            rules(&other, &s),
            [
                ("# podlint-disable all".into(), "unused-suppression"),
                ("containerPort: 80".into(), "duplicate-container-port"),
            ]
        );
    }

    #[test]
    fn unknown_names_and_misspelt_directives_are_reported() {
        let s = with(&["duplicate-container-port", "unused-suppression"]);
        let text = format!("# podlint-disable-nextline bare-pod\n# podlint-disable duplicate-container-prot\n{PORTS}");
        let found = crate::lint(&text, &s);
        let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages[0].contains("`podlint-disable-nextline` is not a podlint directive"),
            "{messages:?}"
        );
        let help = found[0].help.as_deref();
        assert_eq!(help, Some("did you mean `podlint-disable-next-line`?"));
        assert!(
            messages[1].contains("did you mean `duplicate-container-port`"),
            "{messages:?}"
        );
    }

    #[test]
    fn without_podlint_text_nothing_changes() {
        let s = with(&["duplicate-container-port"]);
        assert_eq!(rules(PORTS, &s).len(), 1);
        let mut off = Settings::only(&["duplicate-container-port", "unused-suppression"]);
        off.set_inline_suppressions(false);
        let text = format!("# podlint-disable all\n{PORTS}");
        assert_eq!(
            rules(&text, &off),
            [("containerPort: 80".into(), "duplicate-container-port")]
        );
    }
}
