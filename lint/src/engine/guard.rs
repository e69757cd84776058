//! Every fix a rule offers is reviewed here before anyone can apply it. Rules compute their
//! edits on the nodes they look at, and a node reached through an alias or a `<<` merge is
//! the anchored original, which other fields share: an edit there changes them all. Such a
//! fix is not offered, and the finding says why. A fix whose edits overlap is dropped too, and
//! in a JSON manifest a fix must write JSON.

use crate::diagnostic::{Diagnostic, Edit, Fix, Label};
use crate::syntax::{self, NodeRef, ParsedFile};
use crate::text::{self, TextRange};

/// A node that an alias refers to: where it is written, and where its aliases are.
struct Shared {
    /// From its start to its end (for a block collection, to the end of its last line, where
    /// an entry appended to it goes).
    span: TextRange,
    /// Whether appending at its edges is writing into it (a block collection).
    open_ended: bool,
    /// For a block collection: the column of its keys or `-`, and whether it is a sequence.
    column: usize,
    sequence: bool,
    aliases: Vec<TextRange>,
}

/// Drops or rewrites the fixes of `diagnostics` that cannot be applied safely to `text`.
pub(super) fn review(text: &str, parsed: &ParsedFile<'_>, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.fix.is_none()) {
        return;
    }
    let shared = shared_nodes(text, parsed);
    // The furthest end of the shared nodes up to each one: a scan back stops where none
    // reaches the edit.
    let reach: Vec<text::TextSize> = shared
        .iter()
        .scan(text::size(0), |far, node| {
            *far = (*far).max(node.span.end());
            Some(*far)
        })
        .collect();
    let shared = Spans {
        nodes: &shared,
        reach: &reach,
    };
    let json = syntax::is_json(text);
    for d in diagnostics.iter_mut() {
        let Some(fix) = d.fix.take() else { continue };
        match check(text, &shared, json, fix) {
            Ok(fix) => d.fix = Some(fix),
            Err(refusal) => refuse(d, refusal),
        }
    }
}

enum Refusal<'a> {
    Malformed,
    Shared(&'a Shared),
    NotJson,
}

/// The shared nodes sorted by start, with how far they reach.
struct Spans<'a> {
    nodes: &'a [Shared],
    reach: &'a [text::TextSize],
}

impl<'a> Spans<'a> {
    fn touched_by(&self, edit: &Edit) -> Option<&'a Shared> {
        // Only nodes that start before the edit ends can contain it.
        let candidates = self
            .nodes
            .partition_point(|node| node.span.start() <= edit.range.end());
        (0..candidates)
            .rev()
            .take_while(|&i| self.reach[i] >= edit.range.start())
            .map(|i| &self.nodes[i])
            .find(|node| touches(edit, node))
    }
}

fn check<'a>(text: &str, shared: &Spans<'a>, json: bool, mut fix: Fix) -> Result<Fix, Refusal<'a>> {
    // The same edit twice (a node reached twice) is one edit.
    fix.edits.dedup();
    if !crate::fix::well_formed(text, &fix) {
        return Err(Refusal::Malformed);
    }
    if let Some(node) = fix.edits.iter().find_map(|edit| shared.touched_by(edit)) {
        return Err(Refusal::Shared(node));
    }
    if json {
        return as_json(text, fix).ok_or(Refusal::NotJson);
    }
    Ok(fix)
}

fn refuse(d: &mut Diagnostic, refusal: Refusal<'_>) {
    let why = match refusal {
        Refusal::Malformed => {
            "No automatic fix: podlint could not compute one clean edit here; change it by hand."
        }
        Refusal::Shared(node) => {
            for &alias in &node.aliases {
                d.labels.push(Label {
                    range: alias,
                    message: "this alias shares the same node".into(),
                });
            }
            "No automatic fix: the change would land in an anchored node (`&`) that aliases (`*`) \
             share with other fields, and would change them too; give this field its own copy, \
             then fix it."
        }
        Refusal::NotJson => {
            "No automatic fix: this manifest is JSON and the fix would write YAML; change it by hand."
        }
    };
    let help = match d.help.take() {
        Some(help) => format!("{help}\n{why}"),
        None => why.to_string(),
    };
    d.help = Some(help);
}

/// Every node an alias refers to, sorted by where it starts.
fn shared_nodes(text: &str, parsed: &ParsedFile<'_>) -> Vec<Shared> {
    let mut shared: Vec<(NodeRef<'_, '_>, Vec<TextRange>)> = Vec::new();
    for doc in &parsed.documents {
        // One entry per target, however many aliases point at it (an alias bomb has many).
        let mut index: std::collections::HashMap<syntax::NodeId, usize> = Default::default();
        for node in doc.nodes().filter(|n| n.is_alias()) {
            let target = node.resolve();
            match index.get(&target.id()) {
                Some(&i) => shared[i].1.push(node.range()),
                None => {
                    index.insert(target.id(), shared.len());
                    shared.push((target, vec![node.range()]));
                }
            }
        }
    }
    shared.sort_by_key(|(target, _)| target.range().start());
    shared
        .into_iter()
        .map(|(target, aliases)| {
            let range = target.range();
            let start = usize::from(range.start());
            let flow = text[start..].starts_with(['{', '[']);
            let open_ended = (target.is_mapping() || target.is_sequence()) && !flow;
            let mut end = usize::from(range.end());
            if open_ended {
                end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            }
            Shared {
                span: text::range(start, end),
                open_ended,
                column: block_column(text, target),
                sequence: target.is_sequence(),
                aliases,
            }
        })
        .collect()
}

/// The column of a block collection's keys (a mapping) or `-` (a sequence), from its first
/// child: its own span may start at its `&anchor`, on its parent's line.
fn block_column(text: &str, collection: NodeRef<'_, '_>) -> usize {
    let first = if collection.is_mapping() {
        collection.written_entries().next().map(|(key, _)| key)
    } else {
        collection.written_items().next()
    };
    let Some(first) = first else { return 0 };
    let start = usize::from(first.range().start());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    if collection.is_mapping() {
        before.chars().count()
    } else {
        // The item's `-`: the last one before it on its line.
        before
            .rfind('-')
            .map_or(before.chars().count(), |i| before[..i].chars().count())
    }
}

/// Whether an edit changes `node`: replaces text inside it, or inserts inside it (at the
/// edges too, for a block collection: that appends to it).
fn touches(edit: &Edit, node: &Shared) -> bool {
    let (start, end) = (node.span.start(), node.span.end());
    let range = edit.range;
    if range.is_empty() {
        let at = range.start();
        (start < at && at < end)
            || (node.open_ended && at == start)
            || (node.open_ended && at == end && appends_to(&edit.replacement, node))
    } else {
        range.start() < end && start < range.end()
    }
}

/// Whether lines inserted at the end of a block collection belong to it: indentation decides
/// (deeper is inside its last item; at its column, a `- ` item of a sequence or a key of a
/// mapping; shallower is outside).
fn appends_to(inserted: &str, node: &Shared) -> bool {
    let Some(line) = inserted
        .strip_prefix("\r\n")
        .or_else(|| inserted.strip_prefix('\n'))
    else {
        // Text on the collection's last line is inside it.
        return true;
    };
    let content = line.trim_start_matches(' ');
    let indent = line.len() - content.len();
    let item = content.starts_with("- ") || content == "-";
    indent > node.column || (indent == node.column && item == node.sequence)
}

/// The fix, written as JSON when it can be: a plain scalar becomes a JSON string, `key: value`
/// gets a quoted key. `None` when the result would still not be JSON.
fn as_json(text: &str, mut fix: Fix) -> Option<Fix> {
    let is_json =
        |fix: &Fix| crate::fix::apply_one(text, fix).is_some_and(|fixed| syntax::is_json(&fixed));
    if is_json(&fix) {
        return Some(fix);
    }
    for edit in &mut fix.edits {
        edit.replacement = json_fragment(&edit.replacement);
    }
    is_json(&fix).then_some(fix)
}

/// A YAML fragment in JSON: a lone plain scalar is quoted; each `key: value` gets its key
/// quoted and its value converted as a lone scalar.
fn json_fragment(yaml: &str) -> String {
    let trimmed = yaml.trim();
    if trimmed.is_empty() || serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok() {
        return yaml.to_string();
    }
    let lead = &yaml[..yaml.len() - yaml.trim_start().len()];
    let trail = &yaml[yaml.trim_end().len()..];
    let body = trimmed.trim_end_matches(',').trim_end();
    let comma = &trimmed[body.len()..];
    let converted = match body.split_once(": ") {
        Some((key, value)) if !key.contains(['"', '{', '[', ' ']) => {
            format!("{}: {}", json_string(key), json_fragment(value.trim()))
        }
        _ if !body.contains(['"', '{', '[', ':', '\n']) => json_string(body),
        _ => return yaml.to_string(),
    };
    format!("{lead}{converted}{comma}{trail}")
}

fn json_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}
