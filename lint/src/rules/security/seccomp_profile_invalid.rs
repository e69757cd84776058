use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, leaves_volume, one_of, value_fix};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks each `seccompProfile` (pod and container level): `type` is `RuntimeDefault`,
    /// `Unconfined` or `Localhost`; `Localhost` comes with a `localhostProfile` that is a
    /// relative path without `..`; and only `Localhost` sets `localhostProfile`.
    ///
    /// ## Why it matters in a Pod
    /// Seccomp limits the system calls a container may make: Docker's
    /// `--security-opt seccomp=profile.json`. Kubernetes does not take a path on your machine
    /// but a file on the node, relative to the kubelet's seccomp directory
    /// (`/var/lib/kubelet/seccomp/`), so `localhostProfile: profiles/audit.json` — never an
    /// absolute path. The API server rejects a profile it cannot resolve.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: Localhost
    ///     localhostProfile: /var/lib/kubelet/seccomp/profiles/audit.json
    /// ```
    ///
    /// ## How to fix
    /// Use `type: RuntimeDefault` (the runtime's default filter, what Docker applies) unless
    /// you ship your own profile to the nodes; then write its path relative to the kubelet's
    /// seccomp directory.
    pub struct SeccompProfileInvalid {
        name: "seccomp-profile-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A seccompProfile has an unknown type or a misplaced or invalid localhostProfile",
        owns: [("SeccompProfile", "type")],
    }
}

const TYPES: &[&str] = &["RuntimeDefault", "Unconfined", "Localhost"];

/// The kubelet's seccomp directory, which `localhostProfile` is relative to.
const SECCOMP_DIR: &str = "/var/lib/kubelet/seccomp/";

impl PodRule for SeccompProfileInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if let Some(profile) = pod.spec.at(&["securityContext", "seccompProfile"]) {
            check(cx, profile, "the Pod");
        }
        for container in pod.containers() {
            if let Some(profile) = container.node.at(&["securityContext", "seccompProfile"]) {
                check(cx, profile, &container.describe());
            }
        }
    }
}

fn check(cx: &mut Context<'_>, profile: NodeRef<'_, '_>, who: &str) {
    let kind = profile.get("type");
    let kind_text = kind.and_then(|k| k.as_string());
    let local = profile
        .entry("localhostProfile")
        .filter(|(_, v)| !v.is_null());
    let source = cx.source;
    match (kind, kind_text) {
        (Some(node), Some(text)) if !text.is_empty() && !TYPES.contains(&text) => {
            let near = closest_value(text, TYPES);
            let d = cx.report(
                node.range(),
                format!("{who} has seccomp `type: {text}`, which is not a seccomp profile type"),
            );
            d.help(format!(
                "`type` is one of {} (case-sensitive); `RuntimeDefault` is the filter Docker applies by default",
                one_of(TYPES)
            ));
            if let Some((to, case_only)) = near {
                d.fix(value_fix(source, node, to, case_only));
            }
        }
        (Some(node), Some("Localhost")) => match local {
            None => {
                cx.report(
                    node.range(),
                    format!("{who} uses a `Localhost` seccomp profile without `localhostProfile`, so there is no profile file to load"),
                )
                .help("add `localhostProfile:` with the profile's path relative to /var/lib/kubelet/seccomp/ on the node, or use `type: RuntimeDefault`");
            }
            Some((_, value)) => check_path(cx, value, who),
        },
        (Some(_), Some(text)) if !text.is_empty() => {
            if let Some((key, value)) = local {
                cx.report(
                    key.range().cover(value.range()),
                    format!("{who} sets `localhostProfile` with seccomp `type: {text}`; a profile file is used only with `type: Localhost`"),
                )
                .help("remove `localhostProfile`, or set `type: Localhost` to load that file");
            }
        }
        _ => {}
    }
}

fn check_path(cx: &mut Context<'_>, value: NodeRef<'_, '_>, who: &str) {
    let Some(path) = value.as_string() else {
        return;
    };
    let Some(problem) = leaves_volume(path) else {
        return;
    };
    let d = cx.report(
        value.range(),
        format!("{who} loads seccomp profile `{path}`, which {problem}; it must be a path under the kubelet's seccomp directory ({SECCOMP_DIR})"),
    );
    d.help("write the path relative to /var/lib/kubelet/seccomp/, e.g. `localhostProfile: profiles/audit.json`");
    if let Some(relative) = path
        .strip_prefix(SECCOMP_DIR)
        .filter(|r| leaves_volume(r).is_none())
    {
        d.fix(crate::Fix::unsafe_(
            format!("Use the relative path `{relative}`"),
            vec![crate::Edit::replace(value.range(), relative)],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn profile(fields: &str) -> String {
        pod(&format!("  securityContext:\n    seccompProfile:\n{fields}  containers:\n  - name: app\n    image: a\n"))
    }

    #[test]
    fn seccomp_profiles() {
        RuleTest::new(&super::SeccompProfileInvalid::META)
            .pass(profile("      type: RuntimeDefault\n"))
            .pass(profile("      type: Localhost\n      localhostProfile: profiles/audit.json\n"))
            .fail(profile("      type: runtime/default\n"), &["runtime/default"])
            .fail(profile("      type: Localhost\n"), &["Localhost"])
            .fail(profile("      type: Localhost\n      localhostProfile: /var/lib/kubelet/seccomp/audit.json\n"), &["/var/lib/kubelet/seccomp/audit.json"])
            .fail(profile("      type: RuntimeDefault\n      localhostProfile: audit.json\n"), &["localhostProfile: audit.json"])
            .run();
    }
}
