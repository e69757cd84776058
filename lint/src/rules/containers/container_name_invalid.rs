use crate::diagnostic::{Edit, Fix};
use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Checks that every container, init container and ephemeral container has a `name` that
    /// is a DNS label: at most 63 lowercase letters, digits and `-`, starting and ending with
    /// a letter or digit.
    ///
    /// ## Why it matters in a Pod
    /// You address a container by its name — `kubectl logs my-app -c web`,
    /// `kubectl exec -c sidecar` — and the kubelet uses it in the names it gives the
    /// container's resources. The API server rejects a Pod with a missing or invalid name.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: Web_Server
    ///   image: nginx:1.25
    /// ```
    ///
    /// ## How to fix
    /// Use a DNS label: `name: web-server`. The fix renames the container (unsafe: scripts
    /// that use the old name with `-c` need the new one).
    pub struct ContainerNameInvalid {
        name: "container-name-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A container name is missing or not a DNS label",
    }
}

impl PodRule for ContainerNameInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let noun = container.kind.noun();
            let Some(node) = container.get("name") else {
                if pod.container_name_optional() {
                    // Knative and Argo Workflows name the container themselves.
                    continue;
                }
                cx.report(
                    container.node.range(),
                    format!("this {noun} has no `name`; every container in a Pod needs one"),
                )
                .help("add `name:` with a short lowercase name such as `app`");
                continue;
            };
            let Some(name) = node.as_str() else {
                cx.report(node.range(), format!("a {noun} name must be a string"));
                continue;
            };
            if let Err(why) = names::dns1123_label(name) {
                let d = cx.report(
                    node.range(),
                    format!("{noun} name `{name}` is not a valid DNS label: {why}"),
                );
                d.help(
                    "container names are lowercase letters, digits and `-`, at most 63 characters",
                );
                if let Some(fixed) = names::to_dns1123_label(name) {
                    d.fix(Fix::unsafe_(
                        format!("Rename to `{fixed}`"),
                        vec![Edit::replace(node.range(), fixed)],
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn names_are_dns_labels() {
        RuleTest::new(&super::ContainerNameInvalid::META)
            .pass(pod("  containers:\n  - name: web-1\n    image: b\n"))
            .fail(
                pod("  containers:\n  - name: Web_Server\n    image: b\n"),
                &["Web_Server"],
            )
            .fail(
                pod("  initContainers:\n  - image: b\n  containers:\n  - name: a\n    image: b\n"),
                &["image: b"],
            )
            .run();
    }
}
