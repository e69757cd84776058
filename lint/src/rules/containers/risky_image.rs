use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports images of tools known for handing out control of a cluster: Helm 2's Tiller,
    /// the Kubernetes Dashboard, and git-sync.
    ///
    /// ## Why it matters in a Pod
    /// - Tiller (Helm 2, retired in 2020) ran with cluster-admin rights behind an
    ///   unauthenticated port: anything in the cluster that reached it could install
    ///   anything.
    /// - The Dashboard, deployed with broad permissions or exposed publicly, has been the
    ///   entry point of well-known cluster takeovers.
    /// - git-sync pulls code or config from a repository while the Pod runs, so what runs is
    ///   whatever the branch holds, outside image review.
    ///
    /// Off by default (opinionated).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: tiller
    ///   image: gcr.io/kubernetes-helm/tiller:v2.16.1
    /// ```
    ///
    /// ## How to fix
    /// Tiller: move to Helm 3, which needs no in-cluster component. Dashboard: keep it
    /// internal, with a read-only ServiceAccount, or use a local client. git-sync: pin a
    /// commit or tag and restrict who can push to the source.
    pub struct RiskyImage {
        name: "risky-image",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container runs a tool known for exposing the cluster",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for RiskyImage {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let Some(image) = container.get("image") else {
                continue;
            };
            let Some(text) = image.as_str() else {
                continue;
            };
            let Some((message, help)) = risk(text) else {
                continue;
            };
            cx.report(
                image.range(),
                format!("{} runs {message}", container.describe()),
            )
            .help(help);
        }
    }
}

/// What is risky about an image, judged by its repository name (tag and digest ignored).
fn risk(image: &str) -> Option<(&'static str, &'static str)> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let repository = match without_digest.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => without_digest,
    };
    let last = repository.rsplit('/').next().unwrap_or(repository);
    match last {
        "tiller" => Some((
            "Helm 2's Tiller, retired in 2020, which holds cluster-admin rights behind an unauthenticated port",
            "move to Helm 3, which needs nothing running in the cluster",
        )),
        "dashboard" | "kubernetes-dashboard" | "kubernetes-dashboard-amd64"
            if repository.contains("kubernetes") =>
        {
            Some((
                "the Kubernetes Dashboard, a frequent entry point of cluster takeovers when exposed or given broad permissions",
                "keep it internal behind authentication, with a read-only ServiceAccount",
            ))
        }
        "git-sync" => Some((
            "git-sync, which pulls code or config from a repository while the Pod runs, outside image review",
            "pin a commit or tag and restrict who can push to the repository",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn images_by_repository() {
        assert!(risk("gcr.io/kubernetes-helm/tiller:v2.16.1").is_some());
        assert!(risk("kubernetesui/dashboard:v2.7.0").is_some());
        assert!(risk("registry.k8s.io/git-sync/git-sync:v4.2.1").is_some());
        assert!(risk("my-registry:5000/dashboard").is_none());
        assert!(risk("nginx:1.25").is_none());
    }

    #[test]
    fn risky_images_are_reported() {
        let fine = pod("  containers:\n  - name: app\n    image: nginx:1.25\n");
        let tiller = pod(
            "  containers:\n  - name: tiller\n    image: gcr.io/kubernetes-helm/tiller:v2.16.1\n",
        );
        RuleTest::new(&super::RiskyImage::META)
            .pass(&fine)
            .fail(&tiller, &["gcr.io/kubernetes-helm/tiller:v2.16.1"])
            .run();
    }
}
