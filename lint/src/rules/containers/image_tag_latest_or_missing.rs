use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container image with no tag (`nginx`, `registry:5000/app`) or with the
    /// `latest` tag. An image pinned by digest (`nginx@sha256:…`) is fine.
    ///
    /// ## Why it matters in a Pod
    /// `latest` is not a version: it moves whenever someone pushes. Each node pulls the
    /// image when a Pod starts there, so two replicas of one Deployment can run different
    /// code, and rolling a Deployment back restores the same moving tag rather than the old
    /// code. An image with no tag means `latest`, and for both the default
    /// `imagePullPolicy` is `Always`, so every container start depends on the registry.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: nginx:latest
    /// - name: proxy
    ///   image: registry.example.com:5000/proxy
    /// ```
    ///
    /// ## How to fix
    /// Use a version tag (`nginx:1.25`) or a digest (`nginx@sha256:…`), and change it on
    /// purpose when you upgrade.
    pub struct ImageTagLatestOrMissing {
        name: "image-tag-latest-or-missing",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A container image has no tag or uses `latest`",
    }
}

/// What is wrong with an image reference's version.
#[derive(Debug, PartialEq, Eq)]
enum Unpinned {
    NoTag,
    Latest,
}

/// Whether `image` names a moving version: no tag and no digest, or the `latest` tag.
fn unpinned(image: &str) -> Option<Unpinned> {
    if image.contains('@') {
        return None;
    }
    // A `:` before the last `/` belongs to the registry host (`registry:5000/app`).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some(Unpinned::NoTag),
        Some((_, "latest")) => Some(Unpinned::Latest),
        Some(_) => None,
    }
}

impl PodRule for ImageTagLatestOrMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // Ephemeral containers are one-off debugging sessions, not deployed code.
        let deployed = pod
            .containers()
            .filter(|c| c.kind != ContainerKind::Ephemeral);
        for container in deployed {
            let Some(node) = container.get("image") else {
                continue;
            };
            let Some(image) = node.as_string().map(str::trim).filter(|i| !i.is_empty()) else {
                continue;
            };
            let Some(problem) = unpinned(image) else {
                continue;
            };
            let who = container.who();
            let what = match problem {
                Unpinned::NoTag => {
                    format!("{who} uses `{image}` with no tag, which means `latest`")
                }
                Unpinned::Latest => format!("{who} uses `{image}`"),
            };
            let repository = image.strip_suffix(":latest").unwrap_or(image);
            cx.report(
                node.range(),
                format!("{what}; `latest` moves with every push, so two replicas can run different code and a rollback does not bring the old code back"),
            )
            .help(format!("pin a version (`{repository}:<version>`) or a digest (`{repository}@sha256:…`); with `latest` or no tag the default imagePullPolicy is also `Always`, so every container start depends on the registry"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{unpinned, Unpinned};
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn tags_and_registry_ports() {
        assert_eq!(unpinned("nginx"), Some(Unpinned::NoTag));
        assert_eq!(unpinned("registry:5000/app"), Some(Unpinned::NoTag));
        assert_eq!(unpinned("registry:5000/app:latest"), Some(Unpinned::Latest));
        assert_eq!(unpinned("registry:5000/app:1.0"), None);
        assert_eq!(unpinned("nginx@sha256:0123abcd"), None);
        assert_eq!(unpinned("nginx:latest@sha256:0123abcd"), None);
        assert_eq!(unpinned("ghcr.io/org/app:v2"), None);
    }

    #[test]
    fn images_are_pinned() {
        let ok = pod("  containers:\n  - name: a\n    image: nginx:1.25\n  - name: b\n    image: nginx@sha256:0123abcd\n  ephemeralContainers:\n  - name: debug\n    image: busybox\n");
        let bad = pod("  initContainers:\n  - name: setup\n    image: busybox\n  containers:\n  - name: a\n    image: \"nginx:latest\"\n  - name: b\n    image: registry:5000/app\n");
        RuleTest::new(&super::ImageTagLatestOrMissing::META)
            .pass(&ok)
            .fail(&bad, &["busybox", "\"nginx:latest\"", "registry:5000/app"])
            .run();
    }
}
