//! Where a finding sits in a rendered document, said as a key path
//! (`spec.template.spec.containers[name=web].ports[containerPort=8080].containerPort`), so
//! the same place can be found in the file that produced it.

use crate::syntax::{Document, NodeRef};
use crate::text::TextSize;

/// The keys that tell list items apart, in order of preference (a container's `name`, a
/// port's `containerPort`, a mount's `mountPath`).
pub const IDENTITY_KEYS: &[&str] = &["name", "containerPort", "mountPath", "ip", "key"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    /// A list item: its position and, when it has one, the value of its identity key.
    Item {
        index: usize,
        name: Option<String>,
    },
}

/// A place in a rendered document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyPath {
    pub segments: Vec<Segment>,
    /// The place is a key (not its value).
    pub on_key: bool,
    /// The innermost node's range in the rendered text.
    pub node: Option<crate::text::TextRange>,
    /// The finding covers the key and its value.
    pub whole_entry: bool,
}

impl KeyPath {
    /// The path ends at an item's identity key (`containers[name=web].name`): the item as a
    /// whole, which the file that first declares it owns.
    pub fn is_identity(&self) -> bool {
        matches!(
            self.segments.as_slice(),
            [.., Segment::Item { .. }, Segment::Key(key)] if IDENTITY_KEYS.contains(&key.as_str())
        )
    }
}

/// The object a rendered document holds: its `kind` and `metadata.name`.
pub fn identity<'d>(doc: &'d Document<'_>) -> (Option<&'d str>, Option<&'d str>) {
    let Some(root) = doc.root() else {
        return (None, None);
    };
    let kind = root.get("kind").and_then(|k| k.as_str());
    let name = root
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(|n| n.as_str());
    (kind, name)
}

/// The key path of the innermost node at `offset`.
pub fn at(doc: &Document<'_>, offset: TextSize) -> KeyPath {
    let mut path = KeyPath::default();
    let Some(mut node) = doc.root() else {
        return path;
    };
    let contains = |n: NodeRef<'_, '_>| {
        let r = n.range();
        r.start() <= offset && (offset < r.end() || r.is_empty() && offset == r.start())
    };
    loop {
        path.node = Some(node.range());
        if node.is_mapping() {
            let mut next = None;
            for (key, value) in node.entries() {
                let name = key.as_str().unwrap_or_default().to_string();
                if contains(key) {
                    path.segments.push(Segment::Key(name));
                    path.on_key = true;
                    path.node = Some(key.range());
                    return path;
                }
                if contains(value) {
                    path.segments.push(Segment::Key(name));
                    next = Some(value);
                    break;
                }
            }
            match next {
                Some(value) => node = value,
                None => return path,
            }
        } else if node.is_sequence() {
            let found = node.items().enumerate().find(|(_, item)| contains(*item));
            let Some((index, item)) = found else {
                return path;
            };
            let name = IDENTITY_KEYS
                .iter()
                .find_map(|k| item.get(k).and_then(|v| v.as_str()))
                .map(str::to_string);
            path.segments.push(Segment::Item { index, name });
            node = item;
        } else {
            return path;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;
    use crate::text::size;

    #[test]
    fn the_path_names_items_by_their_identity() {
        let text = "spec:\n  containers:\n  - name: web\n    ports:\n    - containerPort: 8080\n";
        let parsed = syntax::parse(text);
        let at_port = text.find("8080").unwrap();
        let path = at(&parsed.documents[0], size(at_port));
        assert_eq!(
            path.segments,
            vec![
                Segment::Key("spec".into()),
                Segment::Key("containers".into()),
                Segment::Item {
                    index: 0,
                    name: Some("web".into())
                },
                Segment::Key("ports".into()),
                Segment::Item {
                    index: 0,
                    name: Some("8080".into())
                },
                Segment::Key("containerPort".into()),
            ]
        );
        assert!(!path.on_key);
        let at_name = text.find("name").unwrap();
        let path = at(&parsed.documents[0], size(at_name));
        assert!(path.on_key && path.is_identity());
    }
}
