//! What required-label, required-annotation and forbidden-annotation share: the keys a
//! team configures, matched against an object's `metadata.labels` or `metadata.annotations`.

use crate::k8s::Object;
use crate::rule::Context;
use crate::syntax::NodeRef;

/// `metadata.<field>` of the object, when it is a mapping.
pub(crate) fn map<'d, 'src>(object: &Object<'d, 'src>, field: &str) -> Option<NodeRef<'d, 'src>> {
    object.metadata()?.get(field).filter(|m| m.is_mapping())
}

/// Reports each `required` key missing from `metadata.<field>`, pointing at the map (or at
/// `metadata`, or at `kind`, whichever exists).
pub(crate) fn report_missing(
    object: &Object<'_, '_>,
    cx: &mut Context<'_>,
    field: &str,
    required: &[String],
    why: &str,
) {
    let present: Vec<&str> = map(object, field)
        .into_iter()
        .flat_map(|m| m.entries())
        .filter_map(|(k, _)| k.as_str())
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .map(String::as_str)
        .filter(|k| !present.contains(k))
        .collect();
    if missing.is_empty() {
        return;
    }
    let metadata = object.root.entry("metadata");
    let range = match (metadata.and_then(|(_, m)| m.entry(field)), metadata) {
        (Some((key, _)), _) | (None, Some((key, _))) => key.range(),
        (None, None) => object.kind.range(),
    };
    let noun = field.trim_end_matches('s');
    let list = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let (s, example) = if missing.len() == 1 {
        ("", missing[0])
    } else {
        ("s", missing[0])
    };
    cx.report(
        range,
        format!(
            "{} `{}` lacks the required {noun}{s} {list}: {why}",
            object.kind_name(),
            object.name().unwrap_or("?")
        ),
    )
    .help(format!("add it under `metadata.{field}`, e.g. `{example}: <value>`; the list is set in `.podlint.yaml`"));
}

/// `*` matches any run of characters, everything else itself: `*.kubernetes.io/*`.
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_runs_of_characters() {
        assert!(glob_match("a.io/x", "a.io/x"));
        assert!(!glob_match("a.io/x", "a.io/xy"));
        assert!(glob_match(
            "*.kubernetes.io/*",
            "seccomp.security.alpha.kubernetes.io/pod"
        ));
        assert!(glob_match("team-*", "team-"));
        assert!(!glob_match("*-ab-*b", "x-ab-"));
        assert!(glob_match("*", ""));
    }
}
