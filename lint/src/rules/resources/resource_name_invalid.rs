use super::helpers::quantity_maps;
use crate::k8s::names::qualified_name;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, value_fix};

declare_rule! {
    /// ## What it does
    /// Reports a key of a container's `resources.requests` or `resources.limits` that is not a
    /// resource a container can ask for: `cpu`, `memory`, `ephemeral-storage`,
    /// `hugepages-<size>`, or an extended resource with its vendor's domain (`nvidia.com/gpu`).
    ///
    /// ## Why it matters in a Pod
    /// Requests and limits are what the scheduler packs Pods onto nodes with, like
    /// `docker run --cpus 0.5 --memory 256m` but known before the container starts. Names
    /// are exact: `Memory` or `gpu` are not resources any node offers, so the API server
    /// rejects the Pod. Devices such as GPUs are *extended resources*, always written with
    /// the domain of the device plugin that provides them.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   limits:
    ///     Memory: 256Mi
    ///     gpu: 1
    /// ```
    ///
    /// ## How to fix
    /// Use the exact lower-case names (`cpu`, `memory`, `ephemeral-storage`) and the full
    /// name of an extended resource (`nvidia.com/gpu`, `amd.com/gpu`).
    pub struct ResourceNameInvalid {
        name: "resource-name-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A container requests or limits a resource name that does not exist",
    }
}

const STANDARD: &[&str] = &["cpu", "memory", "ephemeral-storage"];

impl PodRule for ResourceNameInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // The pod-level `spec.resources` and `overhead` have rules of their own.
        for map in quantity_maps(pod)
            .into_iter()
            .filter(|m| m.container.is_some())
        {
            for (key, _) in map.map.entries() {
                let Some(name) = key.as_str() else { continue };
                let Some(problem) = problem(name) else {
                    continue;
                };
                let who = map.who();
                let path = map.path(name);
                let gpu = name.to_ascii_lowercase().contains("gpu");
                let near = match name {
                    _ if gpu => None,
                    "storage" | "disk" => Some(("ephemeral-storage", false)),
                    _ if !name.contains('/') => closest_value(name, STANDARD),
                    _ => None,
                };
                let source = cx.source;
                let d = cx.report(key.range(), format!("{who} sets `{path}`: {problem}"));
                match near {
                    Some((to, case_only)) => {
                        d.help(format!(
                            "did you mean `{to}`? Resource names are exact and lower-case"
                        ));
                        d.fix(value_fix(source, key, to, case_only));
                    }
                    None if gpu => {
                        d.help("GPUs are extended resources named by the device plugin that provides them: `nvidia.com/gpu`, `amd.com/gpu` or `gpu.intel.com/i915`");
                    }
                    None => {
                        d.help("a container can ask for `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` (e.g. `hugepages-2Mi`), or an extended resource with its vendor's domain, e.g. `nvidia.com/gpu`");
                    }
                }
            }
        }
    }
}

/// What is wrong with a container resource name, as the API server sees it.
fn problem(name: &str) -> Option<String> {
    if !name.contains('/') {
        if STANDARD.contains(&name) || name.starts_with("hugepages-") {
            return None;
        }
        return Some(format!(
            "`{name}` is not a resource a container can ask for"
        ));
    }
    if let Err(why) = qualified_name(name) {
        return Some(format!("`{name}` is not a valid resource name: {why}"));
    }
    // Names in the `kubernetes.io` domain are Kubernetes' own.
    if name.contains("kubernetes.io/") {
        return None;
    }
    if name.starts_with("requests.") || qualified_name(&format!("requests.{name}")).is_err() {
        return Some(format!(
            "`{name}` does not follow the extended resource name format `<domain>/<name>`"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::rules::test::{pod, RuleTest};

    fn limits(entries: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n{entries}"
        ))
    }

    #[test]
    fn container_resource_names() {
        RuleTest::new(&super::ResourceNameInvalid::META)
            .pass(limits("        cpu: 500m\n        memory: 256Mi\n        nvidia.com/gpu: 1\n        hugepages-2Mi: 64Mi\n"))
            .fail(limits("        Memory: 256Mi\n        gpu: 1\n        storage: 1Gi\n"), &["Memory", "gpu", "storage"])
            .run();
    }

    #[test]
    fn extended_resources_need_a_valid_domain() {
        assert_eq!(problem("example.com/foo"), None);
        assert_eq!(problem("kubernetes.io/batch-cpu"), None);
        assert!(problem("requests.example.com/foo").is_some());
        assert!(problem("example.com/-foo").is_some());
    }
}
