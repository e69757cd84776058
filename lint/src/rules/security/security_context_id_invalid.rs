use crate::k8s::{Pod, Who};
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a `runAsUser`, `runAsGroup`, `fsGroup` or `supplementalGroups` entry outside
    /// the user and group IDs Kubernetes accepts: 0 to 2147483647.
    ///
    /// ## Why it matters in a Pod
    /// These are Docker's `--user 1000:1000` and `--group-add`: the numeric user and groups
    /// the container's processes run as, and (`fsGroup`) the group that owns the Pod's
    /// volumes so every container can share files. Linux IDs are never negative, and
    /// Kubernetes stores them as 32-bit signed numbers, so `-1` or `4294967294` (`nobody` on
    /// some systems) is rejected with the whole Pod.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: -1
    ///   fsGroup: 4294967294
    /// ```
    ///
    /// ## How to fix
    /// Use the image's non-root user ID (often 1000, or 65532 for distroless `nonroot`),
    /// between 0 and 2147483647.
    pub struct SecurityContextIdInvalid {
        name: "security-context-id-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A user or group ID in a securityContext is outside 0–2147483647",
    }
}

const MAX_ID: i64 = i32::MAX as i64;

impl PodRule for SecurityContextIdInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if let Some(context) = pod.spec.get("securityContext") {
            let who = "the Pod's `spec.securityContext`";
            for field in ["runAsUser", "runAsGroup", "fsGroup"] {
                check(cx, context, field, &who);
            }
            for id in context
                .get("supplementalGroups")
                .into_iter()
                .flat_map(|l| l.items())
            {
                report(cx, id, id, "supplementalGroups", &who);
            }
        }
        for container in pod.containers() {
            if let Some(context) = container.get("securityContext") {
                let who = ContextOf(container.who());
                for field in ["runAsUser", "runAsGroup"] {
                    check(cx, context, field, &who);
                }
            }
        }
    }
}

/// "container `web`'s `securityContext`", written only into a message.
struct ContextOf<'d, 'src>(Who<'d, 'src>);

impl std::fmt::Display for ContextOf<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}'s `securityContext`", self.0)
    }
}

fn check(cx: &mut Context<'_>, context: NodeRef<'_, '_>, field: &str, who: &dyn std::fmt::Display) {
    if let Some((key, value)) = context.entry(field) {
        report(cx, key, value, field, who);
    }
}

fn report(
    cx: &mut Context<'_>,
    key: NodeRef<'_, '_>,
    value: NodeRef<'_, '_>,
    field: &str,
    who: &dyn std::fmt::Display,
) {
    let Some(id) = value.as_i64() else { return };
    if (0..=MAX_ID).contains(&id) {
        return;
    }
    let kind = if field == "runAsUser" {
        "user"
    } else {
        "group"
    };
    let why = if id < 0 {
        "IDs are never negative"
    } else {
        "IDs are 32-bit signed numbers, at most 2147483647"
    };
    cx.report(
        key.range().cover(value.range()),
        format!("{who} sets `{field}` to {id}, which is not a valid {kind} ID: {why}"),
    )
    .help(format!("use a {kind} ID between 0 and 2147483647, usually the image's non-root {kind} (e.g. 1000, or 65532 for distroless `nonroot`)"));
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn ids_are_within_the_int32_range() {
        let good = pod("  securityContext:\n    runAsUser: 1000\n    fsGroup: 2000\n    supplementalGroups: [3000]\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      runAsGroup: 0\n");
        let bad = pod("  securityContext:\n    fsGroup: 4294967294\n    supplementalGroups: [10, -5]\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      runAsUser: -1\n");
        RuleTest::new(&super::SecurityContextIdInvalid::META)
            .pass(&good)
            .fail(&bad, &["fsGroup: 4294967294", "-5", "runAsUser: -1"])
            .run();
    }
}
