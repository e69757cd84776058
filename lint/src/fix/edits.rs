//! Small text edits fixes are made of (rules and the Pod Security Standards evaluation).

use crate::diagnostic::Edit;
use crate::syntax::{NodeRef, ScalarStyle};
use crate::text::{self, TextRange};

/// Where a value is written: for a quoted scalar, up to its closing quote.
///
/// The parser's range of a quoted scalar can run on over a trailing `# comment`; pointing at
/// or replacing that range would swallow the comment.
pub(crate) fn value_range(source: &str, node: NodeRef<'_, '_>) -> TextRange {
    let range = node.range();
    let written = &source[range];
    let mut chars = written.char_indices();
    let end = match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            chars.find_map(|(i, c)| match c {
                _ if escaped => {
                    escaped = false;
                    None
                }
                '\\' => {
                    escaped = true;
                    None
                }
                '"' => Some(i + 1),
                _ => None,
            })
        }
        Some((_, '\'')) => {
            let mut pending_quote = None;
            let mut end = None;
            for (i, c) in chars {
                match (c, pending_quote) {
                    // `''` is an escaped quote inside the scalar.
                    ('\'', Some(_)) => pending_quote = None,
                    ('\'', None) => pending_quote = Some(i + 1),
                    (_, Some(close)) => {
                        end = Some(close);
                        break;
                    }
                    _ => {}
                }
            }
            end.or(pending_quote)
        }
        _ => None,
    };
    match end {
        Some(end) => TextRange::at(range.start(), text::size(end)),
        None => range,
    }
}

/// `key: value` as written, the value trimmed as in [`value_range`].
pub(crate) fn entry_range(source: &str, key: NodeRef<'_, '_>, value: NodeRef<'_, '_>) -> TextRange {
    key.range().cover(value_range(source, value))
}

/// Replaces a scalar's value, keeping the quotes it was written with.
pub(crate) fn replace_scalar(source: &str, node: NodeRef<'_, '_>, value: &str) -> Edit {
    let range = value_range(source, node);
    let replacement = match source[range].chars().next() {
        Some(quote @ ('"' | '\'')) => format!("{quote}{value}{quote}"),
        _ => value.to_string(),
    };
    Edit::replace(range, replacement)
}

/// Deletes a `key: value` entry together with its lines, or `None` when something else shares
/// those lines (a flow mapping, `- key:` opening a list item) and a clean cut is not possible.
pub(crate) fn delete_entry_lines(
    source: &str,
    key: NodeRef<'_, '_>,
    value: NodeRef<'_, '_>,
) -> Option<Edit> {
    let entry = entry_range(source, key, value);
    let lines = entry_with_line(source, entry);
    (lines != entry).then(|| Edit::delete(lines))
}

/// Inserts `key: value` as the first entry of `mapping`, matching the indentation of the
/// entry already there (or inside the braces of a flow mapping). `None` when the mapping's
/// layout gives no clear place.
pub(crate) fn insert_first_entry(
    source: &str,
    mapping: NodeRef<'_, '_>,
    entry: &str,
) -> Option<Edit> {
    let start = usize::from(mapping.range().start());
    if source[start..].starts_with('{') {
        let separator = if mapping.entries().next().is_some() {
            ", "
        } else {
            ""
        };
        return Some(Edit::insert(
            text::size(start + 1),
            format!("{entry}{separator}"),
        ));
    }
    let (first_key, _) = mapping.entries().next()?;
    let key_start = usize::from(first_key.range().start());
    let line_start = source[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &source[line_start..key_start];
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    Some(Edit::insert(
        first_key.range().start(),
        format!("{entry}{}{indent}", text::line_ending(source)),
    ))
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

/// An edit that adds `key: value` to a block mapping, as its last entry, indented like the
/// entries already there (a `- ` sequence item included). `None` for a flow mapping (`{}`).
pub fn insert_entry(
    source: &str,
    mapping: NodeRef<'_, '_>,
    key: &str,
    value: &str,
) -> Option<Edit> {
    let (first, _) = mapping.written_entries().next()?;
    // The last value as written: an alias stays where it is written (its anchor may be far
    // away), and a block scalar ends where its text ends.
    let (_, last) = mapping.written_entries().last()?;
    let key_start = usize::from(first.range().start());
    let line_start = source[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &source[line_start..key_start];
    if !prefix.bytes().all(|b| b == b' ' || b == b'-') || prefix.ends_with('-') {
        return None;
    }
    // After the whole line of the last value, so a trailing comment stays where it is.
    let mut end = written_end(source, last);
    if source[..end].ends_with('\n') {
        end -= 1;
    }
    let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    let line_end = if source[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    let indent = " ".repeat(prefix.len());
    Some(Edit::insert(
        crate::text::size(line_end),
        format!("{}{indent}{key}: {value}", crate::text::line_ending(source)),
    ))
}

/// Where a value's text ends. The parser's span of a block collection ends with its last
/// child, and that of a block scalar runs on to the next token (past blank lines, into what
/// follows), so the last leaf decides.
fn written_end(source: &str, value: NodeRef<'_, '_>) -> usize {
    let mut node = value;
    loop {
        if node.is_alias() || source[usize::from(node.range().start())..].starts_with(['{', '[']) {
            break;
        }
        let last = if node.is_mapping() {
            node.written_entries().last().map(|(_, v)| v)
        } else if node.is_sequence() {
            node.written_items().last()
        } else {
            None
        };
        match last {
            Some(child) if child.range().start() >= node.range().start() => node = child,
            _ => break,
        }
    }
    if is_block_scalar(node) {
        let start = usize::from(node.range().start());
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = &source[line_start..start];
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let indent = if spaces == line.len() {
            // The span starts at its first line of text: the rest is indented as much.
            spaces.saturating_sub(1)
        } else {
            // It starts at its `|` header: its text is indented deeper than the key that
            // holds it (or the `-` of its item).
            let key = line.len() - line.trim_start_matches([' ', '-']).len();
            if line[key..].trim().is_empty() {
                spaces
            } else {
                key
            }
        };
        return block_scalar_end(source, node, indent);
    }
    usize::from(value.range().end()).max(usize::from(node.range().end()))
}

fn is_block_scalar(node: NodeRef<'_, '_>) -> bool {
    !node.is_alias()
        && node
            .scalar()
            .is_some_and(|s| matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded))
}

/// Where a block scalar's text ends: its last line indented deeper than its key. (The
/// parser's span runs on to the next token, past blank lines and into what follows.)
fn block_scalar_end(source: &str, scalar: NodeRef<'_, '_>, key_indent: usize) -> usize {
    let start = usize::from(scalar.range().start());
    let mut end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let mut line_start = end + 1;
    while line_start < source.len() {
        let line_end = source[line_start..]
            .find('\n')
            .map_or(source.len(), |i| line_start + i);
        let line = source[line_start..line_end].trim_end_matches('\r');
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !line.trim().is_empty() {
            if indent <= key_indent {
                break;
            }
            end = line_start + line.len();
        }
        line_start = line_end + 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_value_range(yaml: &str) -> &str {
        let parsed = crate::syntax::parse(yaml);
        let root = parsed.documents[0].root().unwrap();
        let (_, value) = root.entries().next().unwrap();
        &yaml[value_range(yaml, value)]
    }

    #[test]
    fn quoted_values_end_at_their_closing_quote() {
        assert_eq!(first_value_range("a: \"1Gi\" # note\n"), "\"1Gi\"");
        assert_eq!(first_value_range("a: \"x\\\"y\" # note\n"), "\"x\\\"y\"");
        assert_eq!(first_value_range("a: 'it''s' # note\n"), "'it''s'");
        assert_eq!(first_value_range("a: plain # note\n"), "plain");
    }

    #[test]
    fn inserts_with_the_mappings_indentation() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      runAsUser: 1\n";
        let parsed = crate::syntax::parse(text);
        let objects = crate::k8s::objects(&parsed.documents[0]);
        let pod = objects[0].pod().unwrap();
        let container = pod.containers().next().unwrap();
        let sc = container.get("securityContext").unwrap();
        let edit = insert_entry(text, sc, "privileged", "false").unwrap();
        assert_eq!(edit.replacement, "\n      privileged: false");
        assert_eq!(usize::from(edit.range.start()), text.len() - 1);
    }

    /// `insert_entry` into the first container's `securityContext` of `text`, applied.
    fn insert_into_security_context(text: &str) -> String {
        let parsed = crate::syntax::parse(text);
        let objects = crate::k8s::objects(&parsed.documents[0]);
        let pod = objects[0].pod().unwrap();
        let container = pod.containers().next().unwrap();
        let sc = container.get("securityContext").unwrap();
        let edit = insert_entry(text, sc, "privileged", "false").unwrap();
        let fix = crate::Fix::safe("insert", vec![edit]);
        crate::fix::apply_one(text, &fix).unwrap()
    }

    #[test]
    fn inserts_after_a_block_scalar_inside_the_mapping() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      seLinuxOptions: {}\n      note: |\n        line one\n\n        line two\n\n  - name: b\n";
        assert_eq!(
            insert_into_security_context(text),
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      seLinuxOptions: {}\n      note: |\n        line one\n\n        line two\n      privileged: false\n\n  - name: b\n"
        );
    }

    #[test]
    fn inserts_after_an_alias_where_the_alias_is_written() {
        let text = "apiVersion: v1\nkind: Pod\nx: &user 1000\nspec:\n  containers:\n  - name: a\n    securityContext:\n      runAsUser: *user\n";
        assert_eq!(
            insert_into_security_context(text),
            "apiVersion: v1\nkind: Pod\nx: &user 1000\nspec:\n  containers:\n  - name: a\n    securityContext:\n      runAsUser: *user\n      privileged: false\n"
        );
    }
}
