use std::collections::HashSet;

use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Reports a mapping whose keys are not in alphabetical order (byte order, so
    /// upper-case letters sort first), once per mapping, at the first key that is out of
    /// place. Off by default: a house style some teams enforce.
    ///
    /// ## Why it matters in a Pod
    /// It does not change what Kubernetes does; it is about reading and reviewing. With
    /// sorted keys every container reads the same way, a reviewer finds `resources` without
    /// scanning, and diffs between two manifests line up. The usual Kubernetes order
    /// (`apiVersion`, `kind`, `metadata`, `spec`) already happens to be alphabetical; inside
    /// a container, `image` comes before `name`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Reorder the keys, e.g. with `yq -i 'sort_keys(..)' file.yaml`. Mappings that use a
    /// `<<` merge key are not checked.
    pub struct SortedKeys {
        name: "sorted-keys",
        category: Style,
        hook: Object,
        fix: Never,
        summary: "The keys of a mapping are not in alphabetical order",
        enabled: false,
    }
}

impl ObjectRule for SortedKeys {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        // An explicit stack: manifests can nest deeply, and an alias may point at a node
        // already checked.
        let mut pending = vec![object.root];
        let mut seen = HashSet::new();
        while let Some(node) = pending.pop() {
            if !seen.insert(node.id()) {
                continue;
            }
            if node.is_sequence() {
                pending.extend(node.items());
                continue;
            }
            let entries: Vec<_> = node.entries().collect();
            pending.extend(entries.iter().rev().map(|(_, v)| *v));
            let keys: Vec<_> = entries
                .iter()
                .filter_map(|(k, _)| Some((k.as_str()?, *k)))
                .collect();
            if keys.iter().any(|(k, _)| *k == "<<") {
                continue;
            }
            let Some(pair) = keys.windows(2).find(|w| w[0].0 > w[1].0) else {
                continue;
            };
            let ((before, before_node), (key, key_node)) = (pair[0], pair[1]);
            // Where the key belongs: before the first key that sorts after it.
            let slot = keys
                .iter()
                .find(|(k, _)| *k > key)
                .map_or(before, |(k, _)| *k);
            cx.report(
                key_node.range(),
                format!("`{key}` should come before `{slot}`: the keys of this mapping are not in alphabetical order"),
            )
            .label(before_node.range(), format!("`{before}` sorts after `{key}`"))
            .help("sort the keys, e.g. with `yq -i 'sort_keys(..)' <file>`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn keys_are_sorted_at_every_level() {
        let sorted = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  containers:\n  - image: my-app:1.0\n    name: app\n";
        let unsorted = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  containers:\n  - name: app\n    image: my-app:1.0\n    ports: [{containerPort: 8080, name: http}]\n  - resources: {}\n    image: b\n    name: c\n";
        RuleTest::new(&super::SortedKeys::META)
            .pass(sorted)
            .pass("apiVersion: v1\nbase: &b {z: 1}\ndata:\n  <<: *b\n  a: 2\nkind: ConfigMap\n")
            .fail(unsorted, &["image", "image"])
            .run();
    }
}
