use std::collections::HashMap;

use crate::diagnostic::{Edit, Fix};
use crate::rule::{Context, DocumentRule};
use crate::syntax::{Document, KeyTag, NodeKind};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a key written twice in the same mapping.
    ///
    /// ## Why it matters in a Pod
    /// `kubectl apply` validates strictly by default (`--validate=strict`) and rejects the
    /// object with a `duplicate field` error. Clients that do not ask for strict validation
    /// (Helm, Argo CD, Flux, `--validate=warn`) get a warning at most, and the API server keeps
    /// only the last value, so half of what you wrote — the first `ports:` list, the first
    /// `resources:` block — never reaches the Pod.
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

/// Up to this many entries, keys are compared pairwise rather than hashed.
const SMALL_MAPPING: usize = 16;

impl DocumentRule for DuplicateKey {
    fn check(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        let mut written: Vec<(KeyTag, &str, TextRange)> = Vec::new();
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
            written.clear();
            // Small mappings (nearly all) are compared pairwise: cheaper than hashing each key.
            let small = entries.len() <= SMALL_MAPPING;
            // Values as written: removing `key: *alias` removes the alias, not its anchor.
            for entry in entries {
                let (key, value) = (doc.node(entry.key), doc.node(entry.value));
                let Some(name) = key.as_str() else { continue };
                if name == "<<" {
                    continue;
                }
                let first = if small {
                    // Keys' fingerprints first: most pairs differ in length or first bytes.
                    written
                        .iter()
                        .find(|(tag, k, _)| tag.may_match(entry.tag) && *k == name)
                        .map(|(_, _, r)| r)
                } else {
                    seen.get(name)
                };
                match first {
                    Some(&first) => {
                        let entry = key.range().cover(value.range());
                        let delete = crate::rules::edits::entry_with_line(cx.source, entry);
                        cx.report(key.range(), format!("`{name}` is written twice in this mapping; `kubectl apply` rejects duplicate fields (strict validation is its default), and other clients keep only the last value"))
                            .label(first, "first written here")
                            .help("keep one of them and merge what the other says into it")
                            .fix(Fix::unsafe_(format!("Remove the second `{name}`"), vec![Edit::delete(delete)]));
                    }
                    None if small => written.push((entry.tag, name, key.range())),
                    None => {
                        seen.insert(name, key.range());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn flags_the_second_key() {
        RuleTest::new(&super::DuplicateKey::META)
            .pass("a: 1\nb: 2\n")
            .pass("- a: 1\n- a: 2\n")
            .fail("a: 1\nb: 2\na: 3\n", &["a"])
            .fail("x: {image: a, image: b}\n", &["image"])
            .run();
    }
}
