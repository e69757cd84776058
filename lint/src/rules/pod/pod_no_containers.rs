use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a pod spec whose `containers` list is missing or empty.
    ///
    /// ## Why it matters in a Pod
    /// A Pod is a group of containers that share a network and storage; with no container
    /// there is nothing to run, and the API server rejects it. Init containers do not count:
    /// they run before the app containers and must finish.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   initContainers:
    ///   - name: setup
    ///     image: busybox:1.36
    /// ```
    ///
    /// ## How to fix
    /// Add at least one entry under `spec.containers` with a `name` and an `image`.
    pub struct PodNoContainers {
        name: "pod-no-containers",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "The pod spec has no containers",
    }
}

impl PodRule for PodNoContainers {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if pod.form() == crate::k8s::TemplateForm::ArgoTemplate {
            // Only Argo templates that run a container are pods at all.
            return;
        }
        match pod.spec.entry("containers") {
            Some((key, list)) if list.items().next().is_none() => {
                cx.report(
                    key.range().cover(list.range()),
                    "`containers` is empty; a Pod needs at least one container to run",
                )
                .help("add a container with a `name` and an `image`");
            }
            Some(_) => {}
            None => {
                let anchor = pod
                    .template
                    .entry("spec")
                    .map_or(pod.spec.range(), |(k, _)| k.range());
                cx.report(anchor, "this pod spec has no `containers`; a Pod needs at least one container to run")
                    .help("add `containers:` with at least one container that has a `name` and an `image`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn needs_a_container() {
        RuleTest::new(&super::PodNoContainers::META)
            .pass(pod("  containers:\n  - name: a\n    image: b\n"))
            .fail(pod("  containers: []\n"), &["containers: []"])
            .fail(
                pod("  initContainers:\n  - name: a\n    image: b\n"),
                &["spec"],
            )
            .run();
    }
}
