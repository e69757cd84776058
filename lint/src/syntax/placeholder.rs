//! Placeholders that a tool fills in before the manifest reaches Kubernetes: envsubst and
//! Flux post-build substitution (`${VAR}`, `${VAR:-default}`, `$VAR`), and `{{ … }}` inside
//! a string (Argo Workflows parameters, templated values). A scalar holding one has a value
//! podlint cannot know, so no value check may judge it and no fix may rewrite it.
//!
//! Kubernetes' own `$(VAR)` (expanded by the kubelet in `command`, `args` and `env`) is not a
//! placeholder here: podlint checks it as the API does.

use super::{Document, NodeId, NodeKind, NodeRef};
use crate::text::TextRange;

/// Whether `text` holds a placeholder. `$VAR` counts only with an upper-case name
/// (`$APP_NAME`), the way environment variables are written, so a `$` in a password or a
/// shell snippet's `$i` does not hide a finding.
pub fn contains(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Every placeholder starts at a `$` or a `{`; most scalars hold neither. (A plain loop:
    // scalars are short, where a SIMD search costs more to set up than it saves.)
    let Some(mut i) = bytes.iter().position(|&b| b == b'$' || b == b'{') else {
        return false;
    };
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let name_start = i + 2;
                let name_len = name_len(&bytes[name_start..], |b| {
                    b.is_ascii_alphanumeric() || b == b'_'
                });
                let after = name_start + name_len;
                if name_len > 0
                    && !bytes[name_start].is_ascii_digit()
                    && matches!(
                        bytes.get(after),
                        Some(b'}' | b':' | b'-' | b'=' | b'?' | b'+')
                    )
                    && bytes[after..].contains(&b'}')
                {
                    return true;
                }
            }
            b'$' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_uppercase() || *b == b'_') =>
            {
                let name_len = name_len(&bytes[i + 1..], |b| {
                    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'
                });
                // `$_` alone, or a name that runs on in lower case (`$Home`), is not one.
                let next = bytes.get(i + 1 + name_len);
                if name_len > 1 && !next.is_some_and(|b| b.is_ascii_lowercase()) {
                    return true;
                }
            }
            b'{' if bytes.get(i + 1) == Some(&b'{') && text[i + 2..].contains("}}") => {
                return true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Whether any scalar parsed from `text` may hold a placeholder: a value holds a `$` or `{{`
/// only if the file does, or if it is written with escapes (`"\x24{VAR}"`, a double-quoted
/// line continuation between two `{`), which need a backslash. Most files have none of the
/// three, and their scalars need not be scanned one by one.
pub fn may_appear_in(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2(b'$', b'\\', bytes).is_some() || memchr::memmem::find(bytes, b"{{").is_some()
}

fn name_len(bytes: &[u8], part: impl Fn(u8) -> bool) -> usize {
    bytes.iter().take_while(|&&b| part(b)).count()
}

/// The scalars of `doc` that hold a placeholder: each value's range, and for a mapping's value
/// the `key: value` range too (findings about a field point at either). Not for `name:`
/// entries: findings about a whole container or object point there too, and they say
/// nothing about the name.
pub fn ranges(doc: &Document<'_>) -> Vec<(TextRange, Option<TextRange>)> {
    let holds = |node: NodeRef<'_, '_>| {
        !node.is_alias() && node.scalar().is_some_and(|s| contains(&s.value))
    };
    let scalars: Vec<NodeId> = doc.nodes().filter(|n| holds(*n)).map(|n| n.id()).collect();
    if scalars.is_empty() {
        return Vec::new();
    }
    let mut listed = vec![false; doc.nodes.len()];
    let mut out = Vec::new();
    for node in doc.nodes().filter(|n| !n.is_alias()) {
        let NodeKind::Mapping(entries) = node.kind() else {
            continue;
        };
        for entry in entries {
            let (key, value) = (doc.node(entry.key), doc.node(entry.value));
            if holds(value) {
                let entry = (key.scalar().map(|k| k.value.as_ref()) != Some("name"))
                    .then(|| key.range().cover(value.range()));
                out.push((value.range(), entry));
                listed[value.id().0 as usize] = true;
            }
        }
    }
    // List items and keys.
    out.extend(
        scalars
            .into_iter()
            .filter(|id| !listed[id.0 as usize])
            .map(|id| (doc.node(id).range(), None)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn a_file_without_dollar_braces_or_escapes_holds_no_placeholder() {
        use super::{may_appear_in, ranges};
        let quiet = "image: nginx:1.25\nargs: [\"{ not: template }\", '$(POD_NAME)']\n";
        assert!(!may_appear_in("image: nginx\nname: { a: b }\n"));
        for text in [
            quiet,
            "image: \"\\x24{TAG}\"\n",
            "image: \"{\\\n  {x}}\"\n",
            "image: app:${TAG}\n",
            "image: \"{{ .Values.tag }}\"\n",
        ] {
            let parsed = crate::syntax::parse(text);
            let found = parsed.documents.iter().any(|d| !ranges(d).is_empty());
            // The file check never misses a placeholder the scalars hold.
            assert!(!found || may_appear_in(text), "{text}");
        }
        let escaped = crate::syntax::parse("image: \"\\x24{TAG}\"\n");
        assert!(!ranges(&escaped.documents[0]).is_empty());
    }

    #[test]
    fn recognises_substitution_placeholders() {
        for yes in [
            "${APP_NAME}",
            "registry.example.com/app:${TAG}",
            "${REPLICAS:-2}",
            "${PORT:=8080}",
            "$SERVICE_ACCOUNT",
            "migrate-$SHA",
            "{{inputs.parameters.image}}",
            "${lower_case}",
        ] {
            assert!(contains(yes), "{yes}");
        }
        for no in [
            "$(POD_NAME)",
            "pa$sword",
            "echo $i",
            "$Home",
            "${}",
            "${1}",
            "cost: $5",
            "{ not: template }",
            "plain",
        ] {
            assert!(!contains(no), "{no}");
        }
    }
}
