//! Small text edits several rules' fixes are made of.

use crate::diagnostic::Edit;
use crate::rules::duplicate_key::entry_with_line;
use crate::syntax::NodeRef;

/// Replaces a scalar's value, keeping the quotes it was written with.
pub(crate) fn replace_scalar(source: &str, node: NodeRef<'_, '_>, value: &str) -> Edit {
    let written = &source[node.range()];
    let replacement = match written.chars().next() {
        Some(quote @ ('"' | '\'')) if written.len() > 1 && written.ends_with(quote) => {
            format!("{quote}{value}{quote}")
        }
        _ => value.to_string(),
    };
    Edit::replace(node.range(), replacement)
}

/// Deletes a `key: value` entry together with its lines, or `None` when something else shares
/// those lines (a flow mapping, `- key:` opening a list item) and a clean cut is not possible.
pub(crate) fn delete_entry_lines(
    source: &str,
    key: NodeRef<'_, '_>,
    value: NodeRef<'_, '_>,
) -> Option<Edit> {
    let entry = key.range().cover(value.range());
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
            crate::text::size(start + 1),
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
        format!("{entry}\n{indent}"),
    ))
}
