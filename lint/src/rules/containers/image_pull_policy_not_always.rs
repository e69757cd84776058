use super::helpers;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::edits::insert_entry;
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports a container whose image pull policy is not `Always`: set to `IfNotPresent` or
    /// `Never`, or left out for a tagged image, where the API server fills in
    /// `IfNotPresent`. Images pinned by digest are skipped: their content cannot change.
    /// Off by default.
    ///
    /// ## Why it matters in a Pod
    /// With `IfNotPresent` the kubelet reuses whatever image of that name the node already
    /// has. If the tag was pushed again, Pods on nodes that pulled earlier keep the old code
    /// while new nodes get the new one. It also lets a Pod start from a private image that
    /// another Pod on the node pulled with its credentials, without the registry checking
    /// this Pod's own. `Always` asks the registry at every container start; when the image
    /// is unchanged only its small manifest is fetched.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    ///   imagePullPolicy: IfNotPresent
    /// ```
    ///
    /// ## How to fix
    /// Set `imagePullPolicy: Always`, or pin the image by digest
    /// (`my-app:1.0@sha256:…`). The fix sets `Always`; it is unsafe because containers then
    /// cannot start while the registry is unreachable.
    pub struct ImagePullPolicyNotAlways {
        name: "image-pull-policy-not-always",
        category: Reliability,
        hook: Pod,
        fix: Sometimes,
        summary: "A container's imagePullPolicy is not `Always`",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for ImagePullPolicyNotAlways {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let deployed = pod
            .containers()
            .filter(|c| c.kind != ContainerKind::Ephemeral);
        for container in deployed {
            let Some(image_node) = container.get("image") else {
                continue;
            };
            let Some(written) = image_node.as_string().map(str::trim) else {
                continue;
            };
            let image = helpers::parse(written);
            if image.digest.is_some() {
                continue;
            }
            let who = container.who();
            let why = "the node reuses any copy it already has, so replicas can run different builds of a re-pushed tag, and a private image pulled by another Pod starts without this Pod's credentials being checked";
            let title = "Set `imagePullPolicy: Always`";
            match container.get("imagePullPolicy") {
                Some(node) => {
                    let Some(policy) = node.as_string() else {
                        continue;
                    };
                    if !matches!(policy, "IfNotPresent" | "Never") {
                        continue;
                    }
                    cx.report(
                        node.range(),
                        format!("{who} pulls its image with `{policy}`: {why}"),
                    )
                    .help("set `imagePullPolicy: Always`, or pin the image by digest")
                    .fix(Fix::unsafe_(
                        title,
                        vec![Edit::replace(node.range(), "Always")],
                    ));
                }
                None => {
                    // Kubernetes defaults `Always` only for `latest` or no tag.
                    if matches!(image.tag, None | Some("latest")) {
                        continue;
                    }
                    let edit = insert_entry(cx.source, container.node, "imagePullPolicy", "Always");
                    let d = cx.report(
                        image_node.range(),
                        format!("{who} has no imagePullPolicy, so for the tagged image `{written}` Kubernetes uses `IfNotPresent`: {why}"),
                    );
                    d.help("add `imagePullPolicy: Always`, or pin the image by digest");
                    if let Some(edit) = edit {
                        d.fix(Fix::unsafe_(title, vec![edit]));
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
    fn the_effective_policy_must_be_always() {
        let ok = pod("  containers:\n  - name: a\n    image: my-app:1.0\n    imagePullPolicy: Always\n  - name: b\n    image: my-app\n  - name: c\n    image: my-app:latest\n  - name: d\n    image: my-app:1.0@sha256:0123abcd\n    imagePullPolicy: IfNotPresent\n");
        let bad = pod("  containers:\n  - name: a\n    image: my-app:1.0\n    imagePullPolicy: IfNotPresent\n  - name: b\n    image: registry:5000/my-app:2.0\n");
        RuleTest::new(&super::ImagePullPolicyNotAlways::META)
            .pass(&ok)
            .fail(&bad, &["IfNotPresent", "registry:5000/my-app:2.0"])
            .run();
    }
}
