use super::helpers::{self, Hardening};
use crate::k8s::security::{effective_security, is_windows};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `securityContext.readOnlyRootFilesystem` is not `true`
    /// (`false` or not set). It is a container-only field: the pod level has no such
    /// setting. Init and ephemeral containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// By default a container can write anywhere in its image's filesystem, as with a plain
    /// `docker run` (the opposite of `docker run --read-only`). An attacker who gets in can
    /// then drop tools and binaries, or change the app's own code and config, until the
    /// container restarts. With a read-only root, the only writable places are the volumes you
    /// mount — which also makes clear what the app writes.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    ///   securityContext:
    ///     runAsNonRoot: true
    /// ```
    ///
    /// ## How to fix
    /// Set `readOnlyRootFilesystem: true` in the container's `securityContext`, and mount an
    /// `emptyDir` volume wherever the app must write (`/tmp`, a cache directory, nginx's
    /// `/var/cache/nginx` and `/var/run`). The fix adds the setting when the container has a
    /// `securityContext`; it is unsafe because an app that writes outside its volumes then
    /// fails with "read-only file system".
    pub struct WritableRootFilesystem {
        name: "writable-root-filesystem",
        category: Security,
        hook: Pod,
        fix: Sometimes,
        summary: "A container can write to its own root filesystem",
        enabled: false,
    }
}

const FIX_TITLE: &str = "Set `readOnlyRootFilesystem: true`";
const HELP: &str = "set `readOnlyRootFilesystem: true` in the container's `securityContext` and mount an `emptyDir` volume where the app writes (e.g. `/tmp`)";

impl PodRule for WritableRootFilesystem {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let who = container.who();
            helpers::require(
                cx,
                &container,
                &security,
                Hardening {
                    key: "readOnlyRootFilesystem",
                    wanted: true,
                    fix_title: FIX_TITLE,
                    help: HELP,
                    wrong: format!("{who} can write to its root filesystem, so an intruder can change its code and drop tools there"),
                    missing: format!("{who} can write to its root filesystem (`readOnlyRootFilesystem` is not set; compare `docker run --read-only`), so an intruder can change its code and drop tools there"),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_true_passes() {
        let ro = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      readOnlyRootFilesystem: true\n");
        let rw = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      readOnlyRootFilesystem: false\n");
        let unset = pod("  initContainers:\n  - name: setup\n    image: a\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      runAsUser: 1000\n");
        RuleTest::new(&super::WritableRootFilesystem::META)
            .pass(&ro)
            .fail(&rw, &["readOnlyRootFilesystem: false"])
            .fail(&unset, &["name: setup", "securityContext"])
            .run();
    }
}
