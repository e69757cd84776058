//! The Kubernetes model: which documents are objects, and every PodSpec inside them.
//!
//! YAML that is not a Kubernetes object (no `apiVersion`/`kind`: CI workflows, compose files,
//! Helm values) yields nothing and is skipped silently, as are kinds that hold no pod.

pub mod cron;
pub mod names;
mod pod;
pub mod pod_security;
pub mod security;
mod workload;

pub use pod::{Container, ContainerKind, Pod};
pub use workload::WorkloadKind;

use crate::syntax::{Document, NodeRef};

/// Lists may hold lists; deeper than this is not something a person wrote.
const MAX_LIST_NESTING: usize = 8;

/// A Kubernetes object: a mapping with `apiVersion` and `kind`.
#[derive(Clone, Copy, Debug)]
pub struct Object<'d, 'src> {
    pub root: NodeRef<'d, 'src>,
    pub api_version: NodeRef<'d, 'src>,
    pub kind: NodeRef<'d, 'src>,
    /// The workload kind when `kind` names one that holds a pod template.
    pub workload: Option<WorkloadKind>,
    /// Set for an item of a `List`: its position there.
    pub list_item: Option<usize>,
}

impl<'d, 'src> Object<'d, 'src> {
    pub fn kind_name(&self) -> &'d str {
        self.kind.as_str().unwrap_or("")
    }

    pub fn api_version_name(&self) -> &'d str {
        self.api_version.as_str().unwrap_or("")
    }

    pub fn metadata(&self) -> Option<NodeRef<'d, 'src>> {
        self.root.get("metadata").filter(|m| m.is_mapping())
    }

    pub fn name(&self) -> Option<&'d str> {
        self.metadata()?.get("name")?.as_string()
    }

    /// The pod template (`metadata` + `spec`) of a workload, or the Pod object itself.
    pub fn pod_template(&self) -> Option<NodeRef<'d, 'src>> {
        let workload = self.workload?;
        self.root
            .at(workload.template_path())
            .filter(|t| t.is_mapping())
    }

    /// The PodSpec inside this object, with what rules need to know about its place.
    pub fn pod(&self) -> Option<Pod<'d, 'src>> {
        let workload = self.workload?;
        let template = self.pod_template()?;
        let spec = template.get("spec").filter(|s| s.is_mapping())?;
        Some(Pod::new(*self, workload, template, spec))
    }
}

/// Every Kubernetes object of a document, `List` items included, in source order.
pub fn objects<'d, 'src>(doc: &'d Document<'src>) -> Vec<Object<'d, 'src>> {
    let mut out = Vec::new();
    let Some(root) = doc.root() else {
        return out;
    };
    let mut pending = vec![(root.resolve(), None, 0usize)];
    while let Some((node, list_item, depth)) = pending.pop() {
        let Some(object) = as_object(node, list_item) else {
            continue;
        };
        let is_list = object.kind_name() == "List" || object.kind_name().ends_with("List");
        if is_list && depth < MAX_LIST_NESTING {
            if let Some(items) = node.get("items") {
                let items: Vec<_> = items.items().enumerate().collect();
                for (i, item) in items.into_iter().rev() {
                    pending.push((item, Some(i), depth + 1));
                }
            }
            continue;
        }
        out.push(object);
    }
    out
}

fn as_object<'d, 'src>(
    node: NodeRef<'d, 'src>,
    list_item: Option<usize>,
) -> Option<Object<'d, 'src>> {
    if !node.is_mapping() {
        return None;
    }
    let api_version = node.get("apiVersion").filter(|v| v.as_string().is_some())?;
    let kind = node.get("kind").filter(|k| k.as_string().is_some())?;
    Some(Object {
        root: node,
        api_version,
        kind,
        workload: WorkloadKind::from_kind(kind.as_str().unwrap_or("")),
        list_item,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn finds_the_pod_spec_in_every_workload_kind() {
        let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  spec:
    jobTemplate:
      spec:
        template:
          spec:
            containers: [{name: a, image: b}]
- apiVersion: v1
  kind: Service
  spec: {}
---
name: not-kubernetes
on: push
";
        let parsed = parse(text);
        let objects: Vec<_> = parsed.documents.iter().flat_map(objects).collect();
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0].kind_name(), "CronJob");
        assert_eq!(objects[0].list_item, Some(0));
        let pod = objects[0].pod().unwrap();
        assert_eq!(pod.containers().count(), 1);
        assert!(objects[1].pod().is_none());
    }
}
