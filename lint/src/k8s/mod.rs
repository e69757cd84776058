//! The Kubernetes model: which documents are objects, and every PodSpec inside them.
//!
//! YAML that is not a Kubernetes object (no `apiVersion`/`kind`: CI workflows, compose files,
//! Helm values) yields nothing and is skipped silently, as are kinds that hold no pod.

pub mod cron;
pub mod custom;
pub mod names;
mod pod;
pub mod pod_security;
pub mod security;
mod workload;

pub use custom::{CustomKind, TemplateForm};
pub use pod::{Container, ContainerKind, Pod, Who};
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
    /// The workload kind when `apiVersion` and `kind` name one that holds a pod template.
    pub workload: Option<WorkloadKind>,
    /// For a custom resource that holds pods: where they are.
    pub custom: Option<&'d CustomKind>,
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

    /// The first pod template (`metadata` + `spec`) of a workload, or the Pod object itself.
    pub fn pod_template(&self) -> Option<NodeRef<'d, 'src>> {
        if let Some(custom) = self.custom {
            return custom.templates(self.root).into_iter().next();
        }
        let workload = self.workload?;
        self.root
            .at(workload.template_path())
            .filter(|t| t.is_mapping())
    }

    /// The first PodSpec inside this object (a custom resource may hold several: see
    /// [`Self::pods`]).
    pub fn pod(&self) -> Option<Pod<'d, 'src>> {
        self.pods().into_iter().next()
    }

    /// Every PodSpec inside this object, with what rules need to know about its place: one
    /// for a Pod or a core workload, one per template for a custom resource (each task of a
    /// Volcano Job, each replica type of a PyTorchJob…).
    pub fn pods(&self) -> Vec<Pod<'d, 'src>> {
        let Some(workload) = self.workload else {
            return Vec::new();
        };
        let Some(custom) = self.custom else {
            let spec = self
                .pod_template()
                .and_then(|t| Some((t, t.get("spec").filter(|s| s.is_mapping())?)));
            return spec
                .map(|(template, spec)| Pod::new(*self, workload, template, spec))
                .into_iter()
                .collect();
        };
        custom
            .templates(self.root)
            .into_iter()
            .filter_map(|template| {
                let spec = match custom.form {
                    TemplateForm::Template => template.get("spec").filter(|s| s.is_mapping())?,
                    TemplateForm::Spec | TemplateForm::ArgoTemplate => template,
                };
                let pod = Pod::new(*self, workload, template, spec);
                // An Argo template that runs no container (steps, dag, resource, suspend…)
                // is not a pod.
                (custom.form != TemplateForm::ArgoTemplate || pod.containers().next().is_some())
                    .then_some(pod)
            })
            .collect()
    }
}

/// Every Kubernetes object of a document, `List` items included, in source order; custom
/// resources' pods are found through the built-in table only.
pub fn objects<'d, 'src>(doc: &'d Document<'src>) -> Vec<Object<'d, 'src>> {
    objects_with(doc, &[])
}

/// [`objects`], with the custom kinds a configuration adds (`pod-templates:`).
pub fn objects_with<'d, 'src>(
    doc: &'d Document<'src>,
    custom_kinds: &'d [CustomKind],
) -> Vec<Object<'d, 'src>> {
    let mut out = Vec::new();
    let Some(root) = doc.root() else {
        return out;
    };
    let mut pending = vec![(root.resolve(), None, 0usize)];
    while let Some((node, list_item, depth)) = pending.pop() {
        let Some(object) = as_object(node, list_item, custom_kinds) else {
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
    custom_kinds: &'d [CustomKind],
) -> Option<Object<'d, 'src>> {
    if !node.is_mapping() {
        return None;
    }
    let api_version = node.get("apiVersion").filter(|v| v.as_string().is_some())?;
    let kind = node.get("kind").filter(|k| k.as_string().is_some())?;
    let (api_version_text, kind_text) = (
        api_version.as_str().unwrap_or(""),
        kind.as_str().unwrap_or(""),
    );
    let custom = WorkloadKind::from_type(api_version_text, kind_text)
        .is_none()
        .then(|| custom::find(api_version_text, kind_text, custom_kinds))
        .flatten();
    let workload = match custom {
        Some(c) => Some(WorkloadKind::Custom {
            replicas: c.replicas,
            batch: c.runs_to_completion,
        }),
        None => WorkloadKind::from_type(api_version_text, kind_text),
    };
    Some(Object {
        root: node,
        api_version,
        kind,
        workload,
        custom,
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
