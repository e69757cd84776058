use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `ephemeralContainers` written in a manifest: in a Pod, or in the pod template
    /// of a Deployment, Job or other workload.
    ///
    /// ## Why it matters in a Pod
    /// Ephemeral containers are the Pod's `docker exec` into a debug image: `kubectl debug`
    /// adds them to a Pod that is already running, through a dedicated API. The API server
    /// refuses them when a Pod is created and in every pod template, so the manifest is
    /// rejected as a whole.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    ///   ephemeralContainers:
    ///   - name: debugger
    ///     image: busybox:1.36
    /// ```
    ///
    /// ## How to fix
    /// Delete `ephemeralContainers`, and run `kubectl debug -it <pod> --image=busybox:1.36
    /// --target=app` when you need a shell next to the app. For a helper that runs all the
    /// time, add a regular container (or a sidecar).
    pub struct EphemeralContainersForbidden {
        name: "ephemeral-containers-forbidden",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "ephemeralContainers in a manifest, which the API server refuses on create",
    }
}

impl PodRule for EphemeralContainersForbidden {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, list)) = pod.spec.entry("ephemeralContainers") else {
            return;
        };
        if list.items().next().is_none() {
            return;
        }
        let message = if pod.is_bare_pod() {
            "`ephemeralContainers` cannot be set when a Pod is created; `kubectl debug` adds them to a running Pod"
        } else {
            "`ephemeralContainers` are not allowed in a pod template; `kubectl debug` adds them to a running Pod"
        };
        cx.report(key.range(), message).help(
            "delete it and use `kubectl debug -it <pod> --image=<debug image> --target=<container>`; for a helper that always runs, add a regular container",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn ephemeral_containers_are_never_written_by_hand() {
        let empty = pod("  containers:\n  - name: app\n    image: a\n  ephemeralContainers: []\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n  ephemeralContainers:\n  - name: debugger\n    image: busybox\n");
        RuleTest::new(&super::EphemeralContainersForbidden::META)
            .pass(&empty)
            .fail(&bad, &["ephemeralContainers"])
            .run();
    }
}
