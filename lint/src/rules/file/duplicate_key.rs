use std::collections::HashMap;

use crate::diagnostic::{Edit, Fix};
use crate::rule::{Context, DocumentRule};
use crate::syntax::{Document, NodeKind};
use crate::text::{self, TextRange};

declare_rule! {
    /// ## What it does
    /// Reports a key written twice in the same mapping.
    ///
    /// ## Why it matters in a Pod
    /// The API server decodes manifests as JSON, which rejects duplicate fields; tools that do
    /// accept the file silently keep only one of the two values, so half of what you wrote —
    /// a second `ports:` list, a second `resources:` block — never reaches the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: nginx:1.25
    ///   image: nginx:1.27
    /// ```
    ///
    /// ## How to fix
    /// Keep one of the keys and merge what the other said into it. The fix deletes the later
    /// entry; it is unsafe because you may have meant the later value.
    pub struct DuplicateKey {
        name: "duplicate-key",
        category: ApiRejects,
        hook: Document,
        fix: Always,
        summary: "A mapping has the same key twice",
    }
}

impl DocumentRule for DuplicateKey {
    fn check(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        for node in doc.nodes() {
            if node.is_alias() {
                continue;
            }
            let NodeKind::Mapping(entries) = node.kind() else {
                continue;
            };
            if entries.len() < 2 {
                continue;
            }
            seen.clear();
            for (key, value) in node.entries() {
                let Some(name) = key.as_str() else { continue };
                if name == "<<" {
                    continue;
                }
                match seen.get(name) {
                    Some(&first) => {
                        let entry = key.range().cover(value.range());
                        let delete = entry_with_line(cx.source, entry);
                        cx.report(key.range(), format!("`{name}` is written twice in this mapping; Kubernetes rejects duplicate fields"))
                            .label(first, "first written here")
                            .help("keep one of them and merge what the other says into it")
                            .fix(Fix::unsafe_(format!("Remove the second `{name}`"), vec![Edit::delete(delete)]));
                    }
                    None => {
                        seen.insert(name, key.range());
                    }
                }
            }
        }
    }
}

/// Widens an entry's range to its whole lines when nothing else shares them, so deleting it
/// leaves no blank line behind.
pub(crate) fn entry_with_line(source: &str, entry: TextRange) -> TextRange {
    let start = usize::from(entry.start());
    let end = usize::from(entry.end());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..]
        .find('\n')
        .map_or(source.len(), |i| end + i + 1);
    let before_is_blank = source[line_start..start].trim().is_empty();
    let after = source[end..line_end].trim();
    if before_is_blank && (after.is_empty() || after.starts_with('#')) {
        text::range(line_start, line_end)
    } else {
        entry
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::assert_rule;

    #[test]
    fn flags_the_second_key() {
        assert_rule(
            "duplicate-key",
            &["a: 1\nb: 2\n", "- a: 1\n- a: 2\n"],
            &[
                ("a: 1\nb: 2\na: 3\n", &["a"]),
                ("x: {image: a, image: b}\n", &["image"]),
            ],
        );
    }
}
