use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports two containers of one Pod with the same name, across `containers`,
    /// `initContainers` and `ephemeralContainers`.
    ///
    /// ## Why it matters in a Pod
    /// Inside a Pod a container is identified by its name alone: `kubectl logs -c`,
    /// `kubectl exec -c`, status reporting and restarts all go by it, whichever list the
    /// container is in. The API server rejects a Pod with two containers of one name.
    ///
    /// ## Example
    /// ```yaml
    /// initContainers:
    /// - name: app
    ///   image: busybox:1.36
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Give each container a name that says its role: `init-db-check`, `app`, `log-forwarder`.
    pub struct ContainerNameDuplicate {
        name: "container-name-duplicate",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "Two containers of one Pod have the same name",
    }
}

impl PodRule for ContainerNameDuplicate {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut seen: Seen<&str, (TextRange, &'static str)> = Seen::new();
        for container in pod.containers() {
            let Some(node) = container.get("name") else {
                continue;
            };
            let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
                continue;
            };
            let noun = container.kind.noun();
            if let Some(&(first, first_noun)) = seen.get(name) {
                cx.report(node.range(), format!("another {first_noun} in this Pod is already named `{name}`; container names must be unique within a Pod"))
                    .label(first, format!("the {first_noun} `{name}` is declared here"))
                    .help("rename one of them after its role, e.g. `init-setup` or `log-forwarder`");
            } else {
                seen.insert(name, (node.range(), noun));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn names_are_unique_across_all_lists() {
        RuleTest::new(&super::ContainerNameDuplicate::META)
            .pass(pod("  initContainers:\n  - name: init\n    image: b\n  containers:\n  - name: app\n    image: b\n"))
            .fail(pod("  initContainers:\n  - name: app\n    image: b\n  containers:\n  - name: app\n    image: b\n"), &["app"])
            .run();
    }
}
