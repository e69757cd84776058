use super::helpers::{self, DEFAULT_REGISTRY};
use crate::k8s::Pod;
use crate::rule::options::{Decoder, OptionType};
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a container image that does not come from one of the registries your team
    /// allows. Off by default, and quiet until the list is configured. An entry is a
    /// registry host (`registry.example.com:5000`) or a host with a path prefix
    /// (`ghcr.io/my-org`):
    ///
    /// ```yaml
    /// # .podlint.yaml
    /// select: [allowed-registries]
    /// rules:
    ///   allowed-registries:
    ///     registries: [registry.example.com, ghcr.io/my-org]
    /// ```
    ///
    /// An image written without a registry comes from Docker Hub: `nginx` is
    /// `docker.io/library/nginx` and `bitnami/redis` is `docker.io/bitnami/redis`. The first
    /// part of the name is a registry only when it has a `.` or a `:`, or is `localhost`.
    /// Allow `docker.io` (or `docker.io/library` for official images only) to accept them.
    ///
    /// ## Why it matters in a Pod
    /// Whatever image a Pod names, the node pulls and runs, with the Pod's service account
    /// token and network access. Images from an approved registry have been scanned,
    /// mirrored and kept available; one from an arbitrary registry can be changed or
    /// removed by a stranger, and Docker Hub limits anonymous pulls, so a rollout can stall
    /// on `ImagePullBackOff`.
    ///
    /// ## Example
    /// With `registries: [registry.example.com]` configured:
    /// ```yaml
    /// containers:
    /// - name: web
    ///   image: nginx:1.25
    /// ```
    ///
    /// ## How to fix
    /// Use the copy in an allowed registry (`registry.example.com/mirror/nginx:1.25`), or
    /// add the registry to the list if it should be trusted.
    pub struct AllowedRegistries {
        name: "allowed-registries",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container image comes from a registry not on the allowed list (option `registries`)",
        options: AllowedRegistriesOptions,
        severity: Info,
        enabled: false,
    }
}

rule_options! {
    /// The options of [`AllowedRegistries`].
    pub struct AllowedRegistriesOptions {
        /// The registries images may come from: registry hosts (`registry.example.com:5000`)
        /// or hosts with a path prefix (`ghcr.io/my-org`). Empty: the rule reports nothing.
        "registries" registries: Vec<RegistryPrefix>,
    }
}

/// An entry of `registries`: a registry host, or a host with a path prefix; trimmed and
/// without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryPrefix(String);

impl RegistryPrefix {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl OptionType for RegistryPrefix {
    const EXPECTED: &'static str = "a registry host or host/path prefix";
    const LIST: &'static str = "a list of registry hosts or host/path prefixes";

    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        let Some(text) = node.as_string() else {
            cx.expected(node, place, Self::EXPECTED);
            return None;
        };
        let entry = text.trim().trim_end_matches('/').trim();
        if entry.is_empty() {
            cx.error(node.range(), format!("{place} must not be empty"));
            return None;
        }
        if let Some((_, rest)) = entry.split_once("://") {
            cx.error(
                node.range(),
                format!("{place} names a registry, not a URL: write `{rest}`"),
            );
            return None;
        }
        Some(Self(entry.to_string()))
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.0.clone())
    }

    fn schema() -> serde_json::Value {
        serde_json::json!({"type": "string", "minLength": 1})
    }
}

impl PodRule for AllowedRegistries {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let allowed = &cx.options::<AllowedRegistriesOptions>().registries;
        if allowed.is_empty() {
            return;
        }
        for container in pod.containers() {
            let Some(node) = container.get("image") else {
                continue;
            };
            let Some(image) = node.as_string().map(str::trim).filter(|i| !i.is_empty()) else {
                continue;
            };
            let parsed = helpers::parse(image);
            if allowed.iter().any(|entry| allows(entry.as_str(), &parsed)) {
                continue;
            }
            let implicit = if parsed.registry == DEFAULT_REGISTRY && !image.starts_with("docker.io")
            {
                format!(" (an image with no registry in its name comes from Docker Hub, `{DEFAULT_REGISTRY}`)")
            } else {
                String::new()
            };
            cx.report(
                node.range(),
                format!("{} uses `{image}` from `{}`{implicit}, which is not an allowed registry: the node would pull and run code from a source this project has not approved", container.describe(), parsed.registry),
            )
            .help(format!("use a copy from an allowed registry ({}), or add this registry in `.podlint.yaml` if it should be trusted", allowed.iter().map(|r| format!("`{}`", r.as_str())).collect::<Vec<_>>().join(", ")));
        }
    }
}

/// Whether an allow-list entry (`host` or `host/path-prefix`) covers the image.
fn allows(entry: &str, image: &helpers::ImageRef<'_>) -> bool {
    let (host, prefix) = match entry.split_once('/') {
        Some((host, prefix)) => (host, Some(prefix)),
        None => (entry, None),
    };
    if !helpers::same_registry(host, image.registry) {
        return false;
    }
    let Some(prefix) = prefix else {
        return true;
    };
    // Docker Hub's official images live under `library/`.
    let repository = if image.registry == DEFAULT_REGISTRY && !image.repository.contains('/') {
        format!("library/{}", image.repository)
    } else {
        image.repository.to_string()
    };
    repository
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::allows;
    use super::helpers::parse;
    use crate::rules::test::{pod, RuleTest};
    use crate::settings::Settings;

    #[test]
    fn entries_are_hosts_or_path_prefixes() {
        assert!(allows("docker.io", &parse("nginx:1.25")));
        assert!(allows("docker.io/library", &parse("nginx")));
        assert!(!allows("docker.io/library", &parse("bitnami/redis")));
        assert!(allows("ghcr.io/my-org", &parse("ghcr.io/my-org/app:1")));
        assert!(!allows(
            "ghcr.io/my-org",
            &parse("ghcr.io/my-organisation/app:1")
        ));
        assert!(allows("index.docker.io", &parse("redis")));
        assert!(!allows(
            "registry.example.com",
            &parse("registry.example.com:5000/app")
        ));
    }

    #[test]
    fn images_come_from_allowed_registries() {
        let yaml = pod("  containers:\n  - name: web\n    image: nginx:1.25\n  - name: app\n    image: registry.example.com/shop/app:1.0\n");
        // Quiet until the list is configured.
        RuleTest::new(&super::AllowedRegistries::META)
            .pass(yaml.clone())
            .run_inline();
        RuleTest::new(&super::AllowedRegistries::META)
            .options("registries: [registry.example.com/]")
            .fail(yaml.clone(), &["nginx:1.25"])
            .run();
        let mut settings = Settings::only(&["allowed-registries"]);
        settings
            .configure("allowed-registries", "registries: [registry.example.com]")
            .unwrap();
        let found = crate::lint(&yaml, &settings);
        assert!(found[0]
            .message
            .contains("from `docker.io` (an image with no registry"));
    }

    #[test]
    fn entries_are_checked_when_the_config_is_read() {
        let yaml = "registries: [https://registry.example.com, ' / ', {host: a}]\n";
        let errors: Vec<String> = Settings::only(&["allowed-registries"])
            .configure("allowed-registries", yaml)
            .unwrap_err()
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            errors,
            [
                "each entry of `registries` of `allowed-registries` names a registry, not a URL: write `registry.example.com`",
                "each entry of `registries` of `allowed-registries` must not be empty",
                "each entry of `registries` of `allowed-registries` must be a registry host or host/path prefix",
            ]
        );
    }
}
