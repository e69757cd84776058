use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports Secrets passed as environment variables: `env[].valueFrom.secretKeyRef` and
    /// `envFrom[].secretRef`.
    ///
    /// ## Why it matters in a Pod
    /// Environment variables leak more easily than files: they are inherited by every child
    /// process, printed by crash reporters and debug pages, visible in
    /// `/proc/<pid>/environ`, and never updated when the Secret changes. A Secret mounted as
    /// a volume is a file with its own permissions that Kubernetes refreshes in place.
    ///
    /// Off by default (opinionated): environment variables from Secrets are common and far
    /// better than literals.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    /// - name: DB_PASSWORD
    ///   valueFrom:
    ///     secretKeyRef: {name: db, key: password}
    /// ```
    ///
    /// ## How to fix
    /// Mount the Secret as a volume and have the app read the file:
    /// ```yaml
    /// volumeMounts:
    /// - name: db
    ///   mountPath: /run/secrets/db
    ///   readOnly: true
    /// volumes:
    /// - name: db
    ///   secret: {secretName: db}
    /// ```
    pub struct SecretRefInEnv {
        name: "secret-ref-in-env",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A Secret is passed as an environment variable instead of a file",
        severity: Info,
        enabled: false,
    }
}

const HELP: &str =
    "mount the Secret as a `secret` volume (`readOnly: true`) and read it from the file";

impl PodRule for SecretRefInEnv {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let who = container.who();
            for var in container.list("env") {
                let Some(from) = var.get("valueFrom") else {
                    continue;
                };
                let Some((key, _)) = from.entry("secretKeyRef") else {
                    continue;
                };
                let name = var.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                cx.report(
                    key.range(),
                    format!("{who} gets Secret data in the environment variable `{name}`, which child processes inherit and crash reports print"),
                )
                .help(HELP);
            }
            for source in container.list("envFrom") {
                let Some((key, _)) = source.entry("secretRef") else {
                    continue;
                };
                cx.report(
                    key.range(),
                    format!("{who} gets a whole Secret as environment variables, which child processes inherit and crash reports print"),
                )
                .help(HELP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn secret_refs_are_reported() {
        let config = pod("  containers:\n  - name: app\n    image: a\n    envFrom:\n    - configMapRef: {name: c}\n");
        let secrets = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: P\n      valueFrom:\n        secretKeyRef: {name: db, key: p}\n    envFrom:\n    - secretRef: {name: db}\n");
        RuleTest::new(&super::SecretRefInEnv::META)
            .pass(&config)
            .fail(&secrets, &["secretKeyRef", "secretRef"])
            .run();
    }
}
