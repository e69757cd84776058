//! What the cursor is on in the YAML tree, and which schema field that is.
//!
//! The walk goes from the document root down to the node under the cursor, carrying the
//! schema type expected at each step; a mapping with a known `apiVersion` and `kind` restarts
//! it at that kind's root type, so the items of a `List` resolve too.

use podlint_lint::schema::{self, Field, Item, Shape, TypeRef};
use podlint_lint::syntax::{self, Document, NodeKind, NodeRef};
use podlint_lint::text::{TextRange, TextSize};

/// The schema type a node should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Object(TypeRef),
    /// A sequence whose items look like this.
    Items(Item),
    /// A mapping with free keys whose values look like this.
    Values(Item),
    Unknown,
}

impl Expect {
    fn of_shape(shape: Shape) -> Self {
        match shape {
            Shape::Object(t) => Expect::Object(t),
            Shape::ArrayOf(item) => Expect::Items(item),
            Shape::MapOf(item) => Expect::Values(item),
            Shape::Scalar(_) | Shape::FreeForm => Expect::Unknown,
        }
    }

    fn of_item(item: Item) -> Self {
        match item {
            Item::Object(t) => Expect::Object(t),
            Item::Scalar(_) => Expect::Unknown,
        }
    }
}

/// Where the cursor is: on a mapping key, or on a scalar value.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'d, 'src> {
    /// The key or scalar under the cursor.
    pub node: NodeRef<'d, 'src>,
    pub on_key: bool,
    /// The mapping that holds the key (for a value: the key it belongs to).
    pub mapping: Option<NodeRef<'d, 'src>>,
    /// The key node of the entry.
    pub key: Option<NodeRef<'d, 'src>>,
    /// The schema type of that mapping, when known.
    pub owner: Option<TypeRef>,
    /// The field the key names, when the schema knows it.
    pub field: Option<&'static Field>,
}

/// The schema root of a mapping that is a Kubernetes object of a kind podlint knows.
fn object_root(node: NodeRef<'_, '_>) -> Option<TypeRef> {
    let api_version = node.get("apiVersion")?.as_string()?;
    let kind = node.get("kind")?.as_string()?;
    schema::root_for(api_version, kind)
}

fn touches(range: TextRange, offset: TextSize) -> bool {
    range.contains_inclusive(offset)
}

/// How many levels the walk descends before it gives up. The parser stops nesting at
/// [`syntax::MAX_DEPTH`], so a tree never needs more; the budget is what guarantees an end
/// even if a cycle slipped through.
const STEP_BUDGET: usize = syntax::MAX_DEPTH + 2;

/// The key or scalar at `offset` in `doc`.
///
/// The walk follows what is written, never an alias: `*s` stands for a node elsewhere (its
/// anchor may even enclose the alias, `a: &s {b: [*s]}`), so a cursor on an alias is on no
/// field, and every step goes down into a node that is written inside the current one.
pub fn locate<'d, 'src>(doc: &'d Document<'src>, offset: TextSize) -> Option<Hit<'d, 'src>> {
    let mut node = doc.root()?;
    let mut expect = Expect::Unknown;
    let mut parent: (
        Option<NodeRef>,
        Option<NodeRef>,
        Option<TypeRef>,
        Option<&Field>,
    ) = (None, None, None, None);
    for _ in 0..STEP_BUDGET {
        if node.is_alias() {
            return None;
        }
        match node.kind() {
            NodeKind::Mapping(entries) => {
                if let Some(root) = object_root(node) {
                    expect = Expect::Object(root);
                }
                let owner = match expect {
                    Expect::Object(t) => Some(t),
                    _ => None,
                };
                let mut next = None;
                for entry in entries {
                    let (key, value) = (doc.node(entry.key), doc.node(entry.value));
                    let field = key.as_str().and_then(|name| owner?.field(name));
                    if touches(key.range(), offset) {
                        return Some(Hit {
                            node: key,
                            on_key: true,
                            mapping: Some(node),
                            key: Some(key),
                            owner,
                            field,
                        });
                    }
                    if touches(value.range(), offset) {
                        let value_expect = match (expect, field) {
                            (_, Some(field)) => Expect::of_shape(field.shape),
                            (Expect::Values(item), _) => Expect::of_item(item),
                            _ => Expect::Unknown,
                        };
                        next = Some((value, value_expect, (Some(node), Some(key), owner, field)));
                        break;
                    }
                }
                let (value, value_expect, value_parent) = next?;
                node = value;
                expect = value_expect;
                parent = value_parent;
            }
            NodeKind::Sequence(items) => {
                let item = items
                    .iter()
                    .map(|&id| doc.node(id))
                    .find(|item| touches(item.range(), offset))?;
                expect = match expect {
                    Expect::Items(item) => Expect::of_item(item),
                    _ => Expect::Unknown,
                };
                // An item is not a field: only its own keys are.
                parent = (None, None, None, None);
                node = item;
            }
            NodeKind::Scalar(_) => {
                let (mapping, key, owner, field) = parent;
                return Some(Hit {
                    node,
                    on_key: false,
                    mapping,
                    key,
                    owner,
                    field,
                });
            }
            NodeKind::Alias(_) => return None,
        }
    }
    None
}

/// The YAML document of a parsed file that holds `offset`.
pub fn document_at<'a, 'src>(
    documents: &'a [Document<'src>],
    offset: TextSize,
) -> Option<&'a Document<'src>> {
    documents
        .iter()
        .rev()
        .find(|d| d.range.start() <= offset)
        .or_else(|| documents.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use podlint_lint::syntax::parse;

    fn hit_at(text: &str, needle: &str) -> (bool, Option<&'static str>, Option<String>) {
        let parsed = parse(text);
        let offset = TextSize::new(text.find(needle).unwrap() as u32 + 1);
        let doc = document_at(&parsed.documents, offset).unwrap();
        let hit = locate(doc, offset).unwrap();
        (
            hit.on_key,
            hit.field.map(|f| f.name),
            hit.owner.map(|t| t.short_name().to_owned()),
        )
    }

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    imagePullPolicy: Always
    ports:
    - containerPort: 80
";

    #[test]
    fn keys_resolve_to_their_schema_field() {
        assert_eq!(
            hit_at(POD, "imagePullPolicy"),
            (true, Some("imagePullPolicy"), Some("Container".into()))
        );
        assert_eq!(
            hit_at(POD, "containerPort"),
            (true, Some("containerPort"), Some("ContainerPort".into()))
        );
        assert_eq!(
            hit_at(POD, "spec"),
            (true, Some("spec"), Some("Pod".into()))
        );
    }

    #[test]
    fn values_know_the_field_they_belong_to() {
        assert_eq!(
            hit_at(POD, "Always"),
            (false, Some("imagePullPolicy"), Some("Container".into()))
        );
    }

    #[test]
    fn list_items_are_resolved_by_their_own_kind() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  spec:\n    replicas: 2\n";
        assert_eq!(
            hit_at(list, "replicas"),
            (true, Some("replicas"), Some("DeploymentSpec".into()))
        );
    }

    #[test]
    fn an_alias_inside_its_own_anchor_ends_the_walk() {
        let text = "a: &s\n  b: [*s]\n";
        let parsed = parse(text);
        for offset in 0..=text.len() {
            let offset = TextSize::new(offset as u32);
            let doc = document_at(&parsed.documents, offset).unwrap();
            // Terminates; on the alias itself there is no field.
            let hit = locate(doc, offset);
            if text[usize::from(offset)..].starts_with("s]") {
                assert!(hit.is_none());
            }
        }
    }

    #[test]
    fn unknown_kinds_have_no_schema() {
        assert_eq!(
            hit_at("kind: Foo\nspec:\n  x: 1\n", " x"),
            (true, None, None)
        );
    }
}
