//! What a `kustomization.yaml` says that podlint needs: the files it builds from, the files it
//! patches with, the objects its generators make, and the transformers that add selectors or
//! a namespace.

use crate::syntax::{self, NodeRef};
use crate::text::TextRange;

/// The file names kustomize looks for in a directory, in its order.
pub const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// A patch the kustomization applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// The patch file, relative to the kustomization's directory (`None`: written inline).
    pub path: Option<String>,
    /// A JSON 6902 patch (a list of operations) rather than a strategic-merge one; only known
    /// for `patchesJson6902`.
    pub json6902: bool,
}

/// A ConfigMap or Secret a generator makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: String,
    /// Keys of its data, as far as the kustomization shows them (literals, files, env files
    /// are read by the caller).
    pub keys: Vec<String>,
    /// Env files (`envs:`) whose lines add keys.
    pub env_files: Vec<String>,
    /// The `name:` entry in the kustomization.
    pub range: TextRange,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kustomization {
    /// `kind: Component`: only used through another kustomization's `components:`.
    pub is_component: bool,
    /// `resources:` (and the older `bases:`): files or directories.
    pub resources: Vec<String>,
    pub components: Vec<String>,
    pub patches: Vec<Patch>,
    pub generators: Vec<Generated>,
    pub namespace: Option<String>,
    /// `commonLabels:` or a `labels:` entry with `includeSelectors: true`: selectors are
    /// written by the build, so a resource may leave them out.
    pub adds_selectors: bool,
    /// `helmCharts:`: needs `--enable-helm`.
    pub helm_charts: bool,
}

impl Kustomization {
    /// Reads a kustomization; what it cannot read is left out.
    pub fn parse(text: &str) -> Self {
        let parsed = syntax::parse(text);
        let mut k = Kustomization::default();
        let Some(root) = parsed.documents.first().and_then(|d| d.root()) else {
            return k;
        };
        if !root.is_mapping() {
            return k;
        }
        k.is_component = root.get("kind").and_then(|v| v.as_str()) == Some("Component");
        for key in ["resources", "bases"] {
            k.resources.extend(strings(root.get(key)));
        }
        k.components = strings(root.get("components"));
        for item in items(root.get("patches")) {
            k.patches.push(Patch {
                path: item
                    .get("path")
                    .and_then(|p| p.as_str())
                    .map(str::to_string),
                json6902: false,
            });
        }
        for path in strings(root.get("patchesStrategicMerge")) {
            // An entry may also be an inline patch; a file name has no newline.
            if !path.contains('\n') {
                k.patches.push(Patch {
                    path: Some(path),
                    json6902: false,
                });
            }
        }
        for item in items(root.get("patchesJson6902")) {
            k.patches.push(Patch {
                path: item
                    .get("path")
                    .and_then(|p| p.as_str())
                    .map(str::to_string),
                json6902: true,
            });
        }
        for (key, kind) in [
            ("configMapGenerator", "ConfigMap"),
            ("secretGenerator", "Secret"),
        ] {
            for item in items(root.get(key)) {
                let Some((name_key, name)) = item.entry("name") else {
                    continue;
                };
                let Some(name) = name.as_str() else { continue };
                let mut keys = Vec::new();
                for literal in strings(item.get("literals")) {
                    if let Some((k, _)) = literal.split_once('=') {
                        keys.push(k.trim().to_string());
                    }
                }
                for file in strings(item.get("files")) {
                    let key = match file.split_once('=') {
                        Some((k, _)) => k.to_string(),
                        None => file.rsplit('/').next().unwrap_or(&file).to_string(),
                    };
                    keys.push(key);
                }
                k.generators.push(Generated {
                    kind,
                    name: name.to_string(),
                    keys,
                    env_files: strings(item.get("envs")),
                    range: name_key.range(),
                });
            }
        }
        k.namespace = root
            .get("namespace")
            .and_then(|n| n.as_str())
            .map(str::to_string);
        let common = root
            .get("commonLabels")
            .is_some_and(|m| m.entries().next().is_some());
        let included = items(root.get("labels"))
            .any(|l| l.get("includeSelectors").and_then(|v| v.as_bool()) == Some(true));
        k.adds_selectors = common || included;
        k.helm_charts = root.get("helmCharts").is_some();
        k
    }

    /// Every patch file it names.
    pub fn patch_files(&self) -> impl Iterator<Item = &str> {
        self.patches.iter().filter_map(|p| p.path.as_deref())
    }
}

/// Strategic-merge directives (`$patch: delete`, `$setElementOrder/containers:`,
/// `$retainKeys:`, `$deleteFromPrimitiveList/args:`) are instructions to kustomize, not fields:
/// this turns each into a comment of the same length (with the lines under it), so a patch
/// is linted for its fields and every offset stays where it was. `None` when there is none.
pub fn mask_directives(text: &str) -> Option<String> {
    if !text.contains('$') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    // (column, whether a list at that column belongs to the masked key)
    let mut masking_under: Option<(usize, bool)> = None;
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let Some((col, list_at_col)) = masking_under {
            let under = indent > col || (list_at_col && indent == col && content.starts_with("- "));
            if content.trim().is_empty() || under {
                if !content.trim().is_empty() {
                    out.push_str(&line[..indent]);
                    out.push('#');
                    out.push_str(&content[1..]);
                } else {
                    out.push_str(line);
                }
                continue;
            }
            masking_under = None;
        }
        // Past `- ` item markers.
        let mut at = indent;
        let mut rest = content;
        while let Some(after) = rest.strip_prefix("- ") {
            let trimmed = after.trim_start_matches(' ');
            at += rest.len() - trimmed.len();
            rest = trimmed;
        }
        let is_directive = [
            "$patch:",
            "$retainKeys:",
            "$setElementOrder/",
            "$deleteFromPrimitiveList/",
        ]
        .iter()
        .any(|d| rest.starts_with(d));
        if is_directive {
            out.push_str(&line[..at]);
            out.push('#');
            out.push_str(&line[at + 1..]);
            // `$setElementOrder/containers:` with its list on the next lines, at its column.
            masking_under = Some((at, at == indent && rest.trim_end().ends_with(':')));
            changed = true;
        } else {
            out.push_str(line);
        }
    }
    changed.then_some(out)
}

fn items<'d, 's>(node: Option<NodeRef<'d, 's>>) -> impl Iterator<Item = NodeRef<'d, 's>> {
    node.filter(|n| n.is_sequence())
        .into_iter()
        .flat_map(|n| n.items())
}

fn strings(node: Option<NodeRef<'_, '_>>) -> Vec<String> {
    items(node)
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_become_comments_of_the_same_length() {
        let patch = "spec:\n  containers:\n  - name: debug\n    $patch: delete\n  $setElementOrder/containers:\n  - name: web\n  volumes:\n  - $patch: replace\n  - name: data\n";
        let masked = mask_directives(patch).unwrap();
        assert_eq!(masked.len(), patch.len());
        assert_eq!(
            masked,
            "spec:\n  containers:\n  - name: debug\n    #patch: delete\n  #setElementOrder/containers:\n  # name: web\n  volumes:\n  - #patch: replace\n  - name: data\n"
        );
        assert_eq!(mask_directives("image: a$b\n"), None);
    }

    #[test]
    fn reads_what_the_build_uses() {
        let k = Kustomization::parse(
            "kind: Kustomization\nnamespace: prod\nresources:\n- ../../base\n- extra.yaml\npatches:\n- path: sidecar.yaml\n- patch: |-\n    - op: add\npatchesStrategicMerge:\n- old.yaml\npatchesJson6902:\n- target: {kind: Deployment, name: web}\n  path: ops.yaml\nconfigMapGenerator:\n- name: web-config\n  literals: [MODE=prod]\n  files: [app.conf, key=x.txt]\nlabels:\n- pairs: {team: a}\n  includeSelectors: true\n",
        );
        assert_eq!(k.resources, ["../../base", "extra.yaml"]);
        assert_eq!(
            k.patch_files().collect::<Vec<_>>(),
            ["sidecar.yaml", "old.yaml", "ops.yaml"]
        );
        assert_eq!(k.generators[0].keys, ["MODE", "app.conf", "key"]);
        assert_eq!(k.namespace.as_deref(), Some("prod"));
        assert!(k.adds_selectors && !k.is_component);
        assert!(Kustomization::parse("kind: Component\n").is_component);
    }
}
