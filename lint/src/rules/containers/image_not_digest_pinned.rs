use super::helpers;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container image that is not pinned by digest (`@sha256:…`). Off by default:
    /// enable it when every deployment must be reproducible to the byte.
    ///
    /// ## Why it matters in a Pod
    /// A tag such as `nginx:1.25` is a name the registry owner can move: a rebuilt image, a
    /// patch release, or a compromised account pushing under the same tag. Each node pulls
    /// the image when a Pod first lands there, so the replicas of one Deployment can end up
    /// running different bytes, and what runs is not what was reviewed. A digest names the
    /// content itself; it cannot change.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: web
    ///   image: nginx:1.25
    /// ```
    ///
    /// ## How to fix
    /// Append the digest of the image you tested, keeping the tag for people to read:
    /// `nginx:1.25@sha256:<digest>` (`docker buildx imagetools inspect nginx:1.25` or
    /// `crane digest nginx:1.25` prints it). Let a bot such as Renovate update it.
    pub struct ImageNotDigestPinned {
        name: "image-not-digest-pinned",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A container image is not pinned by digest",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for ImageNotDigestPinned {
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
            if helpers::parse(image).digest.is_some() {
                continue;
            }
            cx.report(
                node.range(),
                format!("{} uses `{image}`, which is not pinned by digest; the tag can be moved to other content, so replicas pulled on different nodes or days may run different code", container.describe()),
            )
            .help(format!("pin the content you tested: `{image}@sha256:<digest>` (`crane digest {image}` prints it)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn tags_are_not_digests() {
        let ok = pod("  containers:\n  - name: web\n    image: nginx:1.25@sha256:0123abcd\n  ephemeralContainers:\n  - name: debug\n    image: busybox:1.36\n");
        let bad = pod("  initContainers:\n  - name: setup\n    image: busybox:1.36\n  containers:\n  - name: web\n    image: \"registry:5000/web:2\"\n");
        RuleTest::new(&super::ImageNotDigestPinned::META)
            .pass(&ok)
            .fail(&bad, &["busybox:1.36", "\"registry:5000/web:2\""])
            .run();
    }
}
