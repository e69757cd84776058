//! The spanned YAML tree of one document.
//!
//! Nodes live in one arena (`Document::nodes`) and refer to each other by index, so building,
//! walking and dropping a document never recurses on the input's depth. An alias is a node that
//! points at its anchored node: it is never expanded, so an alias bomb costs one node per alias.

use std::borrow::Cow;

use crate::text::TextRange;

/// Index of a node in its document's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

/// How a scalar was written; quoting decides whether `8080` is a number or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug)]
pub struct Scalar<'src> {
    // Read-only outside this module (a changed value would leave `ty` stale): use the accessors.
    pub(crate) value: Cow<'src, str>,
    pub(crate) style: ScalarStyle,
    /// An explicit tag such as `!!str`, written as handle + suffix (`!!` + `str`). Boxed:
    /// tags are rare, and a thin pointer keeps every node of the arena smaller.
    #[allow(clippy::box_collection)]
    pub(crate) tag: Option<Box<String>>,
    /// What the value decodes to, resolved once: rules ask for it again and again.
    ty: ScalarType,
}

impl<'src> Scalar<'src> {
    pub fn new(value: Cow<'src, str>, style: ScalarStyle, tag: Option<Box<String>>) -> Self {
        let ty = match (&tag, style) {
            (Some(tag), _) => match tag.as_str() {
                "!!str" => ScalarType::String,
                "!!int" => ScalarType::Int,
                "!!float" => ScalarType::Float,
                "!!bool" => ScalarType::Bool,
                "!!null" => ScalarType::Null,
                _ => ScalarType::String,
            },
            (None, ScalarStyle::Plain) => resolve_plain(&value),
            (None, _) => ScalarType::String,
        };
        Self {
            value,
            style,
            tag,
            ty,
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn style(&self) -> ScalarStyle {
        self.style
    }

    /// The explicit tag (`!!str`), if any.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref().map(String::as_str)
    }

    pub fn ty(&self) -> ScalarType {
        self.ty
    }
}

#[derive(Debug)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
    /// A short fingerprint of a scalar key ([`KeyTag`]), so a lookup passes most entries
    /// without reading their key node.
    pub(crate) tag: KeyTag,
}

impl Entry {
    pub(crate) fn new(doc_nodes: &[Node<'_>], key: NodeId, value: NodeId) -> Self {
        let tag = match &doc_nodes[key.0 as usize].kind {
            // A merge key is looked at by every lookup (what it merges in may hold the key),
            // so it carries the tag every lookup stops at.
            NodeKind::Scalar(s) if s.value != "<<" => KeyTag::of(&s.value),
            _ => KeyTag::UNKNOWN,
        };
        Self { key, value, tag }
    }
}

/// A key's length and first two bytes, packed: two keys with different tags differ.
/// `UNKNOWN` (an alias, a collection or `<<` as key) matches every tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KeyTag(u32);

impl KeyTag {
    const UNKNOWN: KeyTag = KeyTag(0);

    #[inline]
    pub(crate) fn of(key: &str) -> Self {
        let bytes = key.as_bytes();
        let len = bytes.len().min(0x7fff) as u32;
        let b0 = u32::from(bytes.first().copied().unwrap_or(0));
        let b1 = u32::from(bytes.get(1).copied().unwrap_or(0));
        KeyTag(0x8000_0000 | (len << 16) | (b0 << 8) | b1)
    }

    /// Whether an entry with this tag may hold the key tagged `wanted`.
    #[inline]
    fn may_be(self, wanted: KeyTag) -> bool {
        self == wanted || self == KeyTag::UNKNOWN
    }

    /// Whether the keys of two entries may be the same text.
    #[inline]
    pub(crate) fn may_match(self, other: KeyTag) -> bool {
        self.may_be(other) || other == KeyTag::UNKNOWN
    }
}

#[derive(Debug)]
pub enum NodeKind<'src> {
    Mapping(Vec<Entry>),
    Sequence(Vec<NodeId>),
    Scalar(Scalar<'src>),
    /// `*name`: the anchored node it refers to.
    Alias(NodeId),
}

#[derive(Debug)]
pub struct Node<'src> {
    /// Byte range in the file. For a block collection it runs from its first to its last
    /// child; for a flow collection it includes the brackets.
    pub range: TextRange,
    pub kind: NodeKind<'src>,
}

/// One YAML document (`---` separates them).
#[derive(Debug)]
pub struct Document<'src> {
    pub(crate) nodes: Vec<Node<'src>>,
    pub(crate) root: Option<NodeId>,
    /// Byte range of the document's content.
    pub range: TextRange,
    /// Position of this document among the file's documents, counting from 0.
    pub index: usize,
}

impl<'src> Document<'src> {
    /// The same document owning its text, with every range passed through `map` (for a
    /// document read from a modified copy of the file).
    pub(crate) fn into_owned<'any>(self, map: impl Fn(TextRange) -> TextRange) -> Document<'any> {
        let nodes = self
            .nodes
            .into_iter()
            .map(|node| Node {
                range: map(node.range),
                kind: match node.kind {
                    NodeKind::Mapping(entries) => NodeKind::Mapping(entries),
                    NodeKind::Sequence(items) => NodeKind::Sequence(items),
                    NodeKind::Alias(target) => NodeKind::Alias(target),
                    NodeKind::Scalar(s) => NodeKind::Scalar(Scalar {
                        value: Cow::Owned(s.value.into_owned()),
                        ..s
                    }),
                },
            })
            .collect();
        Document {
            nodes,
            root: self.root,
            range: map(self.range),
            index: self.index,
        }
    }

    pub fn root(&self) -> Option<NodeRef<'_, 'src>> {
        self.root.map(|id| NodeRef { doc: self, id })
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_, 'src> {
        NodeRef { doc: self, id }
    }

    /// Every node of the document, in source order of their start.
    pub fn nodes(&self) -> impl Iterator<Item = NodeRef<'_, 'src>> {
        (0..self.nodes.len() as u32).map(move |i| NodeRef {
            doc: self,
            id: NodeId(i),
        })
    }
}

/// The YAML 1.1 resolution of a plain scalar, as Kubernetes' YAML decoder applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Null,
    Bool,
    Int,
    Float,
    String,
}

/// A node together with its document: the handle rules work with.
#[derive(Clone, Copy)]
pub struct NodeRef<'d, 'src> {
    doc: &'d Document<'src>,
    id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeRef({:?} {:?})", self.id, self.range())
    }
}

impl PartialEq for NodeRef<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.id == other.id
    }
}

/// How many `<<` merge keys a lookup follows before it gives up (merges can nest).
const MERGE_BUDGET: usize = 64;

impl<'d, 'src> NodeRef<'d, 'src> {
    pub fn id(self) -> NodeId {
        self.id
    }

    pub fn document(self) -> &'d Document<'src> {
        self.doc
    }

    fn raw(self) -> &'d Node<'src> {
        &self.doc.nodes[self.id.0 as usize]
    }

    /// Where this node is written. For an alias, the alias itself (`*name`).
    pub fn range(self) -> TextRange {
        self.raw().range
    }

    /// The node an alias stands for; any other node is itself.
    pub fn resolve(self) -> Self {
        match self.raw().kind {
            NodeKind::Alias(target) => self.doc.node(target),
            _ => self,
        }
    }

    pub fn is_alias(self) -> bool {
        matches!(self.raw().kind, NodeKind::Alias(_))
    }

    pub fn kind(self) -> &'d NodeKind<'src> {
        &self.resolve().raw().kind
    }

    pub fn is_mapping(self) -> bool {
        matches!(self.kind(), NodeKind::Mapping(_))
    }

    pub fn is_sequence(self) -> bool {
        matches!(self.kind(), NodeKind::Sequence(_))
    }

    pub fn scalar(self) -> Option<&'d Scalar<'src>> {
        match self.kind() {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries written in this mapping, in order (merged-in entries not included).
    pub fn entries(self) -> impl Iterator<Item = (NodeRef<'d, 'src>, NodeRef<'d, 'src>)> + 'd {
        let doc = self.doc;
        let entries: &'d [Entry] = match self.kind() {
            NodeKind::Mapping(entries) => entries,
            _ => &[],
        };
        entries
            .iter()
            .map(move |e| (doc.node(e.key), doc.node(e.value).resolve()))
    }

    /// The entries as they are written: a value that is an alias stays the alias (`*name`,
    /// where it is written), for edits that must land in this mapping.
    pub fn written_entries(
        self,
    ) -> impl Iterator<Item = (NodeRef<'d, 'src>, NodeRef<'d, 'src>)> + 'd {
        let doc = self.doc;
        let entries: &'d [Entry] = match self.kind() {
            NodeKind::Mapping(entries) => entries,
            _ => &[],
        };
        entries
            .iter()
            .map(move |e| (doc.node(e.key), doc.node(e.value)))
    }

    /// The items as they are written: an alias stays the alias.
    pub fn written_items(self) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        let doc = self.doc;
        let items: &'d [NodeId] = match self.kind() {
            NodeKind::Sequence(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| doc.node(id))
    }

    /// The items of this sequence, aliases resolved.
    pub fn items(self) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        let doc = self.doc;
        let items: &'d [NodeId] = match self.kind() {
            NodeKind::Sequence(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| doc.node(id).resolve())
    }

    /// The key node and value of `key` in this mapping, following `<<` merge keys when the
    /// key is not written here. The value has its aliases resolved.
    #[inline]
    pub fn entry(self, key: &str) -> Option<(NodeRef<'d, 'src>, NodeRef<'d, 'src>)> {
        // Inlined where the key is a literal, so its fingerprint is worked out at compile time.
        let (k, v) = self.find(key, KeyTag::of(key))?;
        Some((self.doc.node(k), self.doc.node(v).resolve()))
    }

    /// The key and value (as written) of `key`, whose fingerprint is `wanted`.
    #[inline(never)]
    fn find(self, key: &str, wanted: KeyTag) -> Option<(NodeId, NodeId)> {
        // Lookups are the rules' bread and butter: a mapping of scalar keys without merge keys
        // (nearly all of them) is one pass over the entries' tags, with no allocation.
        let doc = self.doc;
        let NodeKind::Mapping(entries) = self.kind() else {
            return None;
        };
        for (i, e) in entries.iter().enumerate() {
            if e.tag == wanted {
                if let NodeKind::Scalar(s) = &doc.nodes[e.key.0 as usize].kind {
                    if same_bytes(s.value.as_bytes(), key.as_bytes()) {
                        return Some((e.key, e.value));
                    }
                }
            } else if e.tag == KeyTag::UNKNOWN {
                return self
                    .entry_unusual(&entries[i..], key)
                    .map(|(k, v)| (k.id, v.id));
            }
        }
        None
    }

    /// [`Self::entry`] from the first entry whose key is not a plain text key: an alias, a
    /// collection, or `<<`.
    #[cold]
    #[inline(never)]
    fn entry_unusual(
        self,
        entries: &'d [Entry],
        key: &str,
    ) -> Option<(NodeRef<'d, 'src>, NodeRef<'d, 'src>)> {
        let doc = self.doc;
        let wanted = KeyTag::of(key);
        let mut merged = false;
        for e in entries {
            if !e.tag.may_be(wanted) {
                continue;
            }
            let Some(name) = doc.node(e.key).as_str() else {
                continue;
            };
            if name == key {
                return Some((doc.node(e.key), doc.node(e.value).resolve()));
            }
            if name == "<<" {
                merged = true;
            }
        }
        if merged {
            self.entry_merged(key)
        } else {
            None
        }
    }

    /// [`Self::entry`] through `<<` merge keys.
    fn entry_merged(self, key: &str) -> Option<(NodeRef<'d, 'src>, NodeRef<'d, 'src>)> {
        let mut pending = vec![self.resolve()];
        let mut budget = MERGE_BUDGET;
        while let Some(map) = pending.pop() {
            let mut merges = Vec::new();
            for (k, v) in map.entries() {
                match k.as_str() {
                    Some(name) if name == key => return Some((k, v)),
                    Some("<<") if k.scalar().is_some_and(|s| s.style == ScalarStyle::Plain) => {
                        merges.push(v)
                    }
                    _ => {}
                }
            }
            // Merge sources: earlier ones win, so push them in reverse.
            for m in merges.into_iter().rev() {
                if m.is_sequence() {
                    pending.extend(m.items().collect::<Vec<_>>().into_iter().rev());
                } else {
                    pending.push(m);
                }
            }
            budget = budget.checked_sub(1)?;
        }
        None
    }

    #[inline]
    pub fn get(self, key: &str) -> Option<NodeRef<'d, 'src>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// `key: value` as one range, for findings about a field and its value.
    pub fn entry_range(self, key: &str) -> Option<TextRange> {
        self.entry(key).map(|(k, v)| k.range().cover(v.range()))
    }

    /// Where a finding about a whole mapping (a list item) points: its first `key: value`
    /// when the value is a scalar, else its first key; the mapping itself when empty.
    pub fn head(self) -> TextRange {
        match self.entries().next() {
            Some((k, v)) if v.scalar().is_some() => k.range().cover(v.range()),
            Some((k, _)) => k.range(),
            None => self.range(),
        }
    }

    /// Follows a path of mapping keys.
    pub fn at(self, path: &[&str]) -> Option<NodeRef<'d, 'src>> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar, whatever its type (`80` gives `"80"`).
    pub fn as_str(self) -> Option<&'d str> {
        self.scalar().map(|s| s.value.as_ref())
    }

    /// The text of a scalar that resolves to a string (not `null`, `true` or `80`).
    pub fn as_string(self) -> Option<&'d str> {
        match self.scalar_type()? {
            ScalarType::String => self.as_str(),
            _ => None,
        }
    }

    pub fn scalar_type(self) -> Option<ScalarType> {
        Some(self.scalar()?.ty)
    }

    pub fn is_null(self) -> bool {
        self.scalar_type() == Some(ScalarType::Null)
    }

    pub fn as_i64(self) -> Option<i64> {
        match self.scalar_type()? {
            ScalarType::Int => parse_int(self.as_str()?),
            _ => None,
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self.scalar_type()? {
            ScalarType::Bool => Some(matches!(
                self.as_str()?,
                "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y"
            )),
            _ => None,
        }
    }
}

/// `a == b` for keys, which are short: compared a word at a time, without a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or([0; 8]));
    match n {
        // Two overlapping words cover the key.
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        0..=7 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// Resolves a plain scalar the way Kubernetes' YAML 1.1 decoder does.
pub fn resolve_plain(text: &str) -> ScalarType {
    // Most plain scalars are words: one starting with a letter that begins no null or boolean
    // spelling is a string (numbers start with a digit, a sign or a dot).
    let bytes = text.as_bytes();
    if let Some(first) = bytes.first() {
        if first.is_ascii_alphabetic() && !b"nNtTfFyYoO".contains(first) {
            return ScalarType::String;
        }
        if first.is_ascii_digit() {
            // Decimal digits without a leading zero (ports, counts, ids): an int when it fits.
            if *first != b'0' && bytes.len() <= 18 && bytes.iter().all(u8::is_ascii_digit) {
                return ScalarType::Int;
            }
            // No null, boolean or infinity is spelt with a leading digit.
            return resolve_number(text);
        }
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "yes" | "Yes" | "YES" | "no"
        | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF" | "y" | "Y" | "n" | "N" => {
            return ScalarType::Bool
        }
        ".inf" | "-.inf" | "+.inf" | ".Inf" | "-.Inf" | ".INF" | ".nan" | ".NaN" | ".NAN" => {
            return ScalarType::Float
        }
        // No number starts with a letter (`0x1F` and `0o17` start with a digit).
        _ if bytes[0].is_ascii_alphabetic() => return ScalarType::String,
        _ => {}
    }
    resolve_number(text)
}

/// An int, a float, or else a string.
fn resolve_number(text: &str) -> ScalarType {
    if parse_int(text).is_some() {
        return ScalarType::Int;
    }
    if is_float(text) {
        return ScalarType::Float;
    }
    ScalarType::String
}

fn parse_int(text: &str) -> Option<i64> {
    let cleaned: Cow<str> = if text.bytes().any(|b| b == b'_') {
        Cow::Owned(text.replace('_', ""))
    } else {
        Cow::Borrowed(text)
    };
    let (negative, digits) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(digits.strip_prefix("0o").unwrap_or(digits), 8).ok()?
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn is_float(text: &str) -> bool {
    let body = text.trim_start_matches(['-', '+']);
    let mut saw_digit = false;
    let mut saw_dot = false;
    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' => saw_digit = true,
            '_' => {}
            '.' if !saw_dot => saw_dot = true,
            'e' | 'E' if saw_digit => {
                let exp = body[i + 1..].trim_start_matches(['-', '+']);
                return !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit());
            }
            _ => return false,
        }
    }
    saw_digit && saw_dot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_kubernetes_yaml() {
        assert_eq!(resolve_plain("8080"), ScalarType::Int);
        assert_eq!(resolve_plain("0x1F"), ScalarType::Int);
        assert_eq!(resolve_plain("0.5"), ScalarType::Float);
        assert_eq!(resolve_plain("1e3"), ScalarType::Float);
        assert_eq!(resolve_plain(".5"), ScalarType::Float);
        assert_eq!(resolve_plain("1.0e3"), ScalarType::Float);
        assert_eq!(resolve_plain("yes"), ScalarType::Bool);
        assert_eq!(resolve_plain("~"), ScalarType::Null);
        assert_eq!(resolve_plain("128Mi"), ScalarType::String);
        assert_eq!(resolve_plain("nginx:1.25"), ScalarType::String);
        assert_eq!(resolve_plain("-"), ScalarType::String);
        // Words that start like a null or a boolean are strings.
        assert_eq!(resolve_plain("name"), ScalarType::String);
        assert_eq!(resolve_plain("offline"), ScalarType::String);
        assert_eq!(resolve_plain("Nope"), ScalarType::String);
    }

    #[test]
    fn lookups_tell_keys_apart_by_their_whole_text() {
        // Keys that share a length and first bytes, non-ASCII and quoted keys.
        let doc = crate::syntax::parse(
            "nam: 1\nname: 2\nnamé: 3\nlivenessXXXobe: 4\nlivenessProbe: 5\n\"quoted\": 6\n",
        )
        .documents
        .remove(0);
        let root = doc.root().unwrap();
        let value = |key: &str| root.get(key).and_then(|v| v.as_i64());
        assert_eq!(
            [
                "nam",
                "name",
                "namé",
                "livenessXXXobe",
                "livenessProbe",
                "quoted"
            ]
            .map(value),
            [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]
        );
        assert_eq!(["na", "names", "livenessYYYobe", ""].map(value), [None; 4]);
    }
}
