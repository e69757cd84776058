//! Walks a Kubernetes object's YAML together with its schema type, so rules about fields
//! (unknown keys, wrong value types, invalid enum values, missing required fields) see every
//! mapping with the type the API server would decode it into.
//!
//! Mapping keys go to their fields, list items to the list's item type, map values to the
//! map's value type. Free-form values, values of the wrong shape and keys the schema does not
//! know end the descent there: the rules report them, the walker does not guess.
//!
//! The walk uses an explicit stack (no recursion on input depth). Aliases are followed, but each
//! alias node at most once per walk and within a step budget, so an alias bomb costs a bounded
//! number of steps. `<<` merge keys are skipped: what they merge in is checked where it is
//! written.

use std::collections::HashSet;

use super::{root_for, Field, Item, Shape, TypeRef};
use crate::k8s::Object;
use crate::syntax::{NodeId, NodeKind, NodeRef, ScalarStyle};

/// Where a mapping sits in the schema.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    /// The type the mapping decodes into.
    pub ty: TypeRef,
    /// The field whose value, list item or map value the mapping is; `None` for the object
    /// itself.
    pub via: Option<&'static Field>,
    /// The type of the mapping that holds `via`.
    pub parent: Option<TypeRef>,
}

impl Place {
    /// Whether this mapping is the object itself (a Pod, a Deployment…).
    pub fn is_root(&self) -> bool {
        self.via.is_none()
    }

    /// How messages name the mapping: "a container", "an item of `ports` (ContainerPort)",
    /// "`spec` (PodSpec)", or the kind for the object itself.
    pub fn describe(&self) -> String {
        let ty = self.ty.short_name();
        let Some(via) = self.via else {
            return format!("a {ty}");
        };
        match (via.name, via.shape) {
            ("containers", _) => "a container".into(),
            ("initContainers", _) => "an init container".into(),
            ("ephemeralContainers", _) => "an ephemeral container".into(),
            (name, Shape::ArrayOf(_)) => format!("an item of `{name}` ({ty})"),
            (name, Shape::MapOf(_)) => format!("a value of `{name}` ({ty})"),
            (name, _) => format!("`{name}` ({ty})"),
        }
    }
}

/// What a rule does at each step of the walk. Every hook is optional.
pub trait Visitor<'d, 'src> {
    /// A mapping of a known type. `key` is the key whose value it is, when it is a field's or a
    /// map's value (not for list items and the object itself). The hooks for its entries
    /// follow, before the next mapping's `object`.
    fn object(&mut self, _node: NodeRef<'d, 'src>, _key: Option<NodeRef<'d, 'src>>, _at: &Place) {}

    /// An entry whose key the type has, in at least one covered Kubernetes version.
    fn field(
        &mut self,
        _key: NodeRef<'d, 'src>,
        _value: NodeRef<'d, 'src>,
        _field: &'static Field,
        _at: &Place,
    ) {
    }

    /// An entry whose key the type has in no covered Kubernetes version.
    fn unknown(&mut self, _key: NodeRef<'d, 'src>, _value: NodeRef<'d, 'src>, _at: &Place) {}

    /// An item of a list field, or a value of a map field, with the type it must have.
    fn element(
        &mut self,
        _value: NodeRef<'d, 'src>,
        _item: Item,
        _field: &'static Field,
        _at: &Place,
    ) {
    }
}

/// Several visitors in one walk: each hook is passed to every one, in order (the engine walks
/// an object once for all schema rules).
impl<'d, 'src> Visitor<'d, 'src> for Vec<Box<dyn Visitor<'d, 'src> + '_>> {
    fn object(&mut self, node: NodeRef<'d, 'src>, key: Option<NodeRef<'d, 'src>>, at: &Place) {
        self.iter_mut().for_each(|v| v.object(node, key, at));
    }

    fn field(
        &mut self,
        key: NodeRef<'d, 'src>,
        value: NodeRef<'d, 'src>,
        field: &'static Field,
        at: &Place,
    ) {
        self.iter_mut().for_each(|v| v.field(key, value, field, at));
    }

    fn unknown(&mut self, key: NodeRef<'d, 'src>, value: NodeRef<'d, 'src>, at: &Place) {
        self.iter_mut().for_each(|v| v.unknown(key, value, at));
    }

    fn element(&mut self, value: NodeRef<'d, 'src>, item: Item, field: &'static Field, at: &Place) {
        self.iter_mut()
            .for_each(|v| v.element(value, item, field, at));
    }
}

struct Frame<'d, 'src> {
    node: NodeRef<'d, 'src>,
    key: Option<NodeRef<'d, 'src>>,
    place: Place,
}

/// Visits every mapping of `object` that the schema types, with `visitor`. Objects whose
/// apiVersion and kind the schema does not serve are skipped.
pub fn walk<'d, 'src>(object: &Object<'d, 'src>, visitor: &mut impl Visitor<'d, 'src>) {
    let Some(root) = root_for(object.api_version_name(), object.kind_name()) else {
        return;
    };
    walk_from(object.root, root, visitor);
}

/// Visits every mapping of `node` (and below), taken to be of type `root`: a custom
/// resource's pod template is walked as a PodTemplateSpec, its own fields left alone.
pub fn walk_from<'d, 'src>(
    node: NodeRef<'d, 'src>,
    root: TypeRef,
    visitor: &mut impl Visitor<'d, 'src>,
) {
    let mut budget = Budget::for_document(node.document().nodes.len());
    let mut stack = vec![Frame {
        node,
        key: None,
        place: Place {
            ty: root,
            via: None,
            parent: None,
        },
    }];
    while let Some(Frame { node, key, place }) = stack.pop() {
        visitor.object(node, key, &place);
        for (key, raw_value) in raw_entries(node) {
            if is_merge_key(key) {
                continue;
            }
            let field = key.as_str().and_then(|name| place.ty.field(name));
            let Some(field) = field else {
                visitor.unknown(key, raw_value.resolve(), &place);
                continue;
            };
            if !budget.enter(raw_value) {
                continue;
            }
            let value = raw_value.resolve();
            visitor.field(key, value, field, &place);
            let inner = |ty| Place {
                ty,
                via: Some(field),
                parent: Some(place.ty),
            };
            match field.shape {
                Shape::Object(ty) if value.is_mapping() => stack.push(Frame {
                    node: value,
                    key: Some(key),
                    place: inner(ty),
                }),
                Shape::ArrayOf(item) => {
                    for raw_item in raw_items(value) {
                        if !budget.enter(raw_item) {
                            continue;
                        }
                        let item_node = raw_item.resolve();
                        visitor.element(item_node, item, field, &place);
                        if let Item::Object(ty) = item {
                            if item_node.is_mapping() {
                                stack.push(Frame {
                                    node: item_node,
                                    key: None,
                                    place: inner(ty),
                                });
                            }
                        }
                    }
                }
                Shape::MapOf(item) => {
                    for (map_key, raw_map_value) in raw_entries(value) {
                        if is_merge_key(map_key) || !budget.enter(raw_map_value) {
                            continue;
                        }
                        let map_value = raw_map_value.resolve();
                        visitor.element(map_value, item, field, &place);
                        if let Item::Object(ty) = item {
                            if map_value.is_mapping() {
                                stack.push(Frame {
                                    node: map_value,
                                    key: Some(map_key),
                                    place: inner(ty),
                                });
                            }
                        }
                    }
                }
                Shape::Object(_) | Shape::Scalar(_) | Shape::FreeForm => {}
            }
        }
    }
}

/// A mapping's entries with their values as written: an alias stays an alias, so the budget
/// can see it.
fn raw_entries<'d, 'src>(
    node: NodeRef<'d, 'src>,
) -> impl Iterator<Item = (NodeRef<'d, 'src>, NodeRef<'d, 'src>)> + 'd {
    let doc = node.document();
    let entries = match node.kind() {
        NodeKind::Mapping(entries) => entries.as_slice(),
        _ => &[],
    };
    entries
        .iter()
        .map(move |e| (doc.node(e.key), doc.node(e.value)))
}

/// A sequence's items as written (aliases unresolved).
fn raw_items<'d, 'src>(node: NodeRef<'d, 'src>) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
    let doc = node.document();
    let items = match node.kind() {
        NodeKind::Sequence(items) => items.as_slice(),
        _ => &[],
    };
    items.iter().map(move |&id| doc.node(id))
}

/// `<<: *base`, the YAML merge key (only when written plain: `"<<"` is an ordinary key).
fn is_merge_key(key: NodeRef<'_, '_>) -> bool {
    key.scalar()
        .is_some_and(|s| s.style == ScalarStyle::Plain && s.value == "<<")
}

/// Bounds the walk: each alias is followed once, and the whole walk takes at most a few steps
/// per node of the document.
struct Budget {
    steps: usize,
    followed: HashSet<NodeId>,
}

impl Budget {
    fn for_document(nodes: usize) -> Self {
        Self {
            steps: nodes.saturating_mul(4).saturating_add(10_000),
            followed: HashSet::new(),
        }
    }

    /// Whether the walk may go into `raw` (a value as written, possibly an alias).
    fn enter(&mut self, raw: NodeRef<'_, '_>) -> bool {
        if self.steps == 0 {
            return false;
        }
        self.steps -= 1;
        !raw.is_alias() || self.followed.insert(raw.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::objects;
    use crate::syntax::parse;

    /// Records `Type.key` for every known field and `?key` for every unknown one.
    #[derive(Default)]
    struct Trace(Vec<String>);

    impl<'d, 'src> Visitor<'d, 'src> for Trace {
        fn field(&mut self, key: NodeRef<'d, 'src>, _: NodeRef<'d, 'src>, _: &Field, at: &Place) {
            self.0
                .push(format!("{}.{}", at.ty.short_name(), key.as_str().unwrap()));
        }

        fn unknown(&mut self, key: NodeRef<'d, 'src>, _: NodeRef<'d, 'src>, at: &Place) {
            self.0
                .push(format!("{}?{}", at.ty.short_name(), key.as_str().unwrap()));
        }
    }

    fn trace(text: &str) -> Vec<String> {
        let parsed = parse(text);
        let mut trace = Trace::default();
        for doc in &parsed.documents {
            for object in objects(doc) {
                walk(&object, &mut trace);
            }
        }
        trace.0.sort();
        trace.0
    }

    #[test]
    fn keys_meet_their_types_at_every_depth() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        imgae: x\n        resources:\n          limits: {cpu: 1}\n";
        assert_eq!(
            trace(text),
            [
                "Container.name",
                "Container.resources",
                "Container?imgae",
                "Deployment.apiVersion",
                "Deployment.kind",
                "Deployment.spec",
                "DeploymentSpec.template",
                "PodSpec.containers",
                "PodTemplateSpec.spec",
                "ResourceRequirements.limits",
            ]
        );
    }

    #[test]
    fn unknown_kinds_and_free_form_values_are_not_walked() {
        assert!(trace("apiVersion: v1\nkind: Service\nspec:\n  bogus: 1\n").is_empty());
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    anything: goes\n";
        assert_eq!(
            trace(text),
            [
                "ObjectMeta.annotations",
                "Pod.apiVersion",
                "Pod.kind",
                "Pod.metadata"
            ]
        );
    }

    #[test]
    fn merge_keys_are_skipped_and_aliases_followed_once() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - &c {name: a, imgae: x}\n  - *c\n  - <<: *c\n    name: b\n";
        assert_eq!(
            trace(text),
            [
                "Container.name",
                "Container.name",
                "Container.name",
                "Container?imgae",
                "Container?imgae",
                "Pod.apiVersion",
                "Pod.kind",
                "Pod.spec",
                "PodSpec.containers",
            ]
        );
    }

    #[test]
    fn an_alias_bomb_costs_a_bounded_walk() {
        // Ten containers, each with ten env vars, each with a ten-item command list…: expanded,
        // a thousand env vars; each alias is followed once, so a few dozen steps.
        let items = |alias: &str| [alias; 10].join(", ");
        let text = format!(
            "apiVersion: v1\nkind: Pod\nx-env: &e {{name: A, value: b}}\nx-c: &c {{name: a, env: [{}]}}\nspec:\n  containers: [{}]\n",
            items("*e"),
            items("*c")
        );
        let fields = trace(&text);
        let env_names = fields.iter().filter(|f| *f == "EnvVar.name").count();
        assert_eq!(env_names, 10);
        assert!(fields.len() < 60, "{}", fields.len());
    }

    #[test]
    fn an_anchor_that_contains_its_own_alias_ends() {
        let text = "apiVersion: v1\nkind: Pod\nspec: &s\n  containers: [{name: a}]\n  securityContext: *s\n";
        let fields = trace(text);
        assert!(fields.contains(&"PodSecurityContext?containers".to_string()));
    }
}
