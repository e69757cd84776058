use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, one_of, value_fix};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks each `appArmorProfile` (pod and container level): `type` is `RuntimeDefault`,
    /// `Unconfined` or `Localhost`; `Localhost` names a profile in `localhostProfile`, not
    /// empty, without surrounding spaces and at most 4095 bytes; and only `Localhost` sets
    /// `localhostProfile`.
    ///
    /// ## Why it matters in a Pod
    /// AppArmor confines what files and capabilities a container's processes may use:
    /// Docker's `--security-opt apparmor=my-profile`. As with Docker, `Localhost` names a
    /// profile already loaded into the node's kernel (by name, not by file path). Without a
    /// name there is nothing to apply, and the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: Localhost
    /// ```
    ///
    /// ## How to fix
    /// Use `type: RuntimeDefault` (the runtime's default profile, what Docker applies), or
    /// `type: Localhost` with `localhostProfile:` naming a profile loaded on every node.
    pub struct ApparmorProfileInvalid {
        name: "apparmor-profile-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "An appArmorProfile has an unknown type or a missing, padded or misplaced localhostProfile",
        owns: [("AppArmorProfile", "type")],
    }
}

const TYPES: &[&str] = &["RuntimeDefault", "Unconfined", "Localhost"];

/// PATH_MAX - 1: the longest profile name the API server accepts.
const MAX_PROFILE_BYTES: usize = 4095;

impl PodRule for ApparmorProfileInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if let Some(profile) = pod.spec.at(&["securityContext", "appArmorProfile"]) {
            check(cx, profile, "the Pod");
        }
        for container in pod.containers() {
            if let Some(profile) = container.node.at(&["securityContext", "appArmorProfile"]) {
                check(cx, profile, &container.describe());
            }
        }
    }
}

fn check(cx: &mut Context<'_>, profile: NodeRef<'_, '_>, who: &str) {
    let Some(kind) = profile.get("type") else {
        return;
    };
    let Some(text) = kind.as_string().filter(|t| !t.is_empty()) else {
        return;
    };
    let local = profile
        .entry("localhostProfile")
        .filter(|(_, v)| !v.is_null());
    let source = cx.source;
    if !TYPES.contains(&text) {
        let near = closest_value(text, TYPES);
        let d = cx.report(
            kind.range(),
            format!("{who} has AppArmor `type: {text}`, which is not an AppArmor profile type"),
        );
        d.help(format!(
            "`type` is one of {} (case-sensitive); `RuntimeDefault` is the profile Docker applies by default",
            one_of(TYPES)
        ));
        if let Some((to, case_only)) = near {
            d.fix(value_fix(source, kind, to, case_only));
        }
        return;
    }
    if text != "Localhost" {
        if let Some((key, value)) = local {
            cx.report(
                key.range().cover(value.range()),
                format!("{who} sets `localhostProfile` with AppArmor `type: {text}`; a named profile is used only with `type: Localhost`"),
            )
            .help("remove `localhostProfile`, or set `type: Localhost` to apply that profile");
        }
        return;
    }
    let name = local.and_then(|(_, v)| v.as_str()).unwrap_or("");
    if name.trim().is_empty() {
        let at = local.map_or(kind.range(), |(k, v)| k.range().cover(v.range()));
        cx.report(
            at,
            format!("{who} uses a `Localhost` AppArmor profile without naming it in `localhostProfile`"),
        )
        .help("add `localhostProfile:` with the name of a profile loaded on the nodes (as listed by `aa-status`), or use `type: RuntimeDefault`");
        return;
    }
    let Some((_, value)) = local else { return };
    if name.trim() != name {
        let trimmed = name.trim();
        cx.report(
            value.range(),
            format!("{who} names AppArmor profile `{name}` with spaces around it; the API server takes the name exactly and rejects the padding"),
        )
        .help(format!("write `localhostProfile: {trimmed}`"))
        .fix(value_fix(source, value, trimmed, true));
    }
    if name.len() > MAX_PROFILE_BYTES {
        cx.report(
            value.range(),
            format!(
                "{who} names an AppArmor profile of {} bytes; the limit is 4095",
                name.len()
            ),
        )
        .help("use the profile's short name as loaded on the node");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn profile(fields: &str) -> String {
        pod(&format!("  containers:\n  - name: app\n    image: a\n    securityContext:\n      appArmorProfile:\n{fields}"))
    }

    #[test]
    fn apparmor_profiles() {
        RuleTest::new(&super::ApparmorProfileInvalid::META)
            .pass(profile("        type: RuntimeDefault\n"))
            .pass(profile(
                "        type: Localhost\n        localhostProfile: k8s-nginx\n",
            ))
            .fail(
                profile("        type: runtime/default\n"),
                &["runtime/default"],
            )
            .fail(profile("        type: Localhost\n"), &["Localhost"])
            .fail(
                profile("        type: Localhost\n        localhostProfile: \" k8s-nginx\"\n"),
                &["\" k8s-nginx\""],
            )
            .fail(
                profile("        type: Unconfined\n        localhostProfile: k8s-nginx\n"),
                &["localhostProfile: k8s-nginx"],
            )
            .run();
    }
}
