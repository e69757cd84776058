use crate::k8s::security::effective_security;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports every entry of a container's `capabilities.add`, so each added capability is
    /// a reviewed decision. Init and ephemeral containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// `capabilities.add` is `docker run --cap-add`: each one gives the container a piece of
    /// root's power on the node's kernel. Some are harmless (`NET_BIND_SERVICE` lets a
    /// non-root process listen on port 80), others are not; `dangerous-capabilities` reports
    /// the worst ones on its own.
    ///
    /// Off by default (opinionated): enable it to review every capability.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     add: ["CHOWN"]
    /// ```
    ///
    /// ## How to fix
    /// Remove capabilities the process does not need. For one it does, suppress the finding
    /// with a comment saying why.
    pub struct CapabilitiesAdded {
        name: "capabilities-added",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container adds a Linux capability",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for CapabilitiesAdded {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            for (name, node) in security.capabilities("add") {
                cx.report(
                    node.range(),
                    format!("{} adds the `{name}` capability (like `docker run --cap-add {name}`), a piece of root's power on the node's kernel", container.describe()),
                )
                .help("remove it unless the process needs it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn every_added_capability_is_reported() {
        let dropped = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        drop: [ALL]\n");
        let added = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        add:\n        - CHOWN\n");
        RuleTest::new(&super::CapabilitiesAdded::META)
            .pass(&dropped)
            .fail(&added, &["CHOWN"])
            .run();
    }
}
