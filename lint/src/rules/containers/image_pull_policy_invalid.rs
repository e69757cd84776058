use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::{Edit, Fix};

/// The pull policies the API accepts.
const POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];

declare_rule! {
    /// ## What it does
    /// Reports an `imagePullPolicy` other than `Always`, `IfNotPresent` or `Never`, spelt
    /// exactly so. Leaving it out is fine: the API server picks `Always` for `latest` or
    /// untagged images and `IfNotPresent` otherwise.
    ///
    /// ## Why it matters in a Pod
    /// The pull policy tells the kubelet whether to fetch the image from the registry each
    /// time a container starts on a node (`Always`), only when the node lacks it
    /// (`IfNotPresent`), or never (`Never`). Values are case-sensitive, and the API server
    /// rejects any other.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    ///   imagePullPolicy: always
    /// ```
    ///
    /// ## How to fix
    /// Write one of the three values. The fix corrects the case (`always` → `Always`) and
    /// offers the closest value for other misspellings.
    pub struct ImagePullPolicyInvalid {
        name: "image-pull-policy-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "imagePullPolicy is not Always, IfNotPresent or Never",
        owns: [("Container", "imagePullPolicy"), ("EphemeralContainer", "imagePullPolicy")],
    }
}

impl PodRule for ImagePullPolicyInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let Some(node) = container.get("imagePullPolicy") else {
                continue;
            };
            // Empty is defaulted; a non-string is a type error of its own.
            let Some(policy) = node.as_string().filter(|p| !p.is_empty()) else {
                continue;
            };
            if POLICIES.contains(&policy) {
                continue;
            }
            let d = cx.report(
                node.range(),
                format!(
                    "{} has imagePullPolicy `{policy}`; it must be `Always`, `IfNotPresent` or `Never`",
                    container.describe()
                ),
            );
            if let Some(exact) = POLICIES
                .into_iter()
                .find(|p| p.eq_ignore_ascii_case(policy))
            {
                d.help(format!("pull policies are case-sensitive: write `{exact}`"))
                    .fix(Fix::safe(
                        format!("Write `{exact}`"),
                        vec![Edit::replace(node.range(), exact)],
                    ));
            } else if let Some(close) = closest(policy) {
                d.help(format!("did you mean `{close}`?")).fix(Fix::unsafe_(
                    format!("Use `{close}`"),
                    vec![Edit::replace(node.range(), close)],
                ));
            } else {
                d.help("use `IfNotPresent` to reuse an image the node already has, `Always` to check the registry at every start, or leave it out for the default");
            }
        }
    }
}

/// The policy nearest to `policy` by edit distance (ignoring case), when it is near enough
/// to be a misspelling rather than another word.
fn closest(policy: &str) -> Option<&'static str> {
    let lower = policy.to_ascii_lowercase();
    POLICIES
        .into_iter()
        .map(|p| {
            (
                strsim::damerau_levenshtein(&lower, &p.to_ascii_lowercase()),
                p,
            )
        })
        .filter(|(distance, p)| *distance <= 3.max(p.len() / 2))
        .min()
        .map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::closest;
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn misspellings_find_their_policy() {
        assert_eq!(closest("IfNotExists"), Some("IfNotPresent"));
        assert_eq!(closest("Allways"), Some("Always"));
        assert_eq!(closest("Nevr"), Some("Never"));
        assert_eq!(closest("sometimes"), None);
    }

    #[test]
    fn policies_are_exact() {
        let ok = pod("  containers:\n  - name: a\n    image: a:1\n    imagePullPolicy: IfNotPresent\n  - name: b\n    image: b:1\n    imagePullPolicy: \"\"\n  - name: c\n    image: c:1\n");
        let bad = pod("  containers:\n  - name: a\n    image: a:1\n    imagePullPolicy: always\n  - name: b\n    image: b:1\n    imagePullPolicy: IfNotExists\n");
        RuleTest::new(&super::ImagePullPolicyInvalid::META)
            .pass(&ok)
            .fail(&bad, &["always", "IfNotExists"])
            .run();
    }
}
