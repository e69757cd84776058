use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container without an `image`, or with an empty one. For a bare Pod, an image
    /// with leading or trailing spaces is reported too.
    ///
    /// ## Why it matters in a Pod
    /// The image is the only thing the kubelet can start: the container's filesystem and its
    /// default command come from it. A Pod without one is rejected. Controllers' templates may
    /// omit it only when something fills it in later (an admission webhook, a Kustomize image
    /// transformer), which podlint cannot see.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   ports:
    ///   - containerPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Add the image with a pinned tag: `image: my-app:1.4.2`.
    pub struct ContainerImageMissing {
        name: "container-image-missing",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A container has no image",
    }
}

impl PodRule for ContainerImageMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let who = container.who();
            match container.get("image") {
                None if container.kind != ContainerKind::Ephemeral || pod.is_bare_pod() => {
                    cx.report(
                        container.anchor(),
                        format!("{who} has no `image`; the kubelet has nothing to run"),
                    )
                    .help("add `image:` with a pinned tag, e.g. `image: nginx:1.25`");
                }
                None => {}
                Some(image) => {
                    let text = image.as_str().unwrap_or_default();
                    if text.trim().is_empty() {
                        cx.report(image.range(), format!("{who} has an empty `image`"))
                            .help("name the image to run, with a pinned tag, e.g. `nginx:1.25`");
                    } else if pod.is_bare_pod() && text.trim() != text {
                        cx.report(image.range(), format!("the image of {who} has leading or trailing spaces, which a Pod does not accept"))
                            .help(format!("write `{}`", text.trim()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn every_container_needs_an_image() {
        RuleTest::new(&super::ContainerImageMissing::META)
            .pass(pod("  containers:\n  - name: a\n    image: nginx:1.25\n"))
            .fail(
                pod("  containers:\n  - name: a\n    ports: []\n"),
                &["name: a"],
            )
            .fail(
                pod("  containers:\n  - name: a\n    image: \"\"\n"),
                &["\"\""],
            )
            .fail(
                pod("  containers:\n  - name: a\n    image: \" nginx\"\n"),
                &["\" nginx\""],
            )
            .run();
    }
}
