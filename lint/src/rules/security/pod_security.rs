use crate::diagnostic::Severity;
use crate::k8s::pod_security::Violation;
use crate::k8s::pod_security::{Level, Policy, Version};
use crate::project::{Project, PsaMode};
use crate::rule::options::{Decoder, OptionType};
use crate::rule::{ProjectContext, ProjectRule};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks each pod (bare Pods and every pod template) against the Pod Security
    /// Standards exactly as Pod Security Admission, the admission controller built into
    /// every cluster since Kubernetes 1.25, checks it: the `baseline` or `restricted` level,
    /// at a policy version from `v1.0` to `latest`. Each violation is reported at the field
    /// at fault, named with the standard's control (`Privileged Containers`, `Running as
    /// Non-root`, …), the level and the version.
    ///
    /// The level comes from three places:
    ///
    /// - the configuration: `baseline`, `latest` by default; `podlint check --pod-security
    ///   restricted --pod-security-version v1.30`, `--select pss-restricted`, or in
    ///   `.podlint.yaml`:
    ///   ```yaml
    ///   pod-security: {level: restricted, version: v1.30}
    ///   ```
    ///   (`level: privileged` checks nothing but the namespaces' labels);
    /// - the labels of a Namespace declared in the manifests linted together, for the
    ///   pods in that namespace (`metadata.namespace`), as the API server applies them:
    ///   `pod-security.kubernetes.io/enforce` makes a violation an error (the API server
    ///   rejects the Pod), `warn` a warning, `audit` an info, each at the version of its
    ///   `-version` label (`latest` when there is none). A label value the API server
    ///   rejects is reported on the Namespace.
    ///
    /// A violation that several of these forbid is reported once, by the strictest.
    ///
    /// ## Why it matters in a Pod
    /// A namespace labelled `pod-security.kubernetes.io/enforce: restricted` refuses every
    /// Pod that breaks the level: `kubectl apply` of a bare Pod fails, and a Deployment is
    /// accepted but its ReplicaSet never manages to create a Pod (the reason is only in the
    /// ReplicaSet's events). `baseline` keeps out what lets a container take over its node
    /// (privileged containers, the node's namespaces, hostPath volumes, added capabilities);
    /// `restricted` also requires what hardening guides ask for: not running as root, no
    /// privilege escalation, every capability dropped, a seccomp profile.
    ///
    /// The checks follow PSA's code, so they differ from the other security rules in the
    /// details the API server cares about: `drop: [all]` in lower case does not count as
    /// `ALL`, restricted allows adding `NET_BIND_SERVICE`, a non-zero `runAsUser` still needs
    /// `runAsNonRoot: true`, Windows pods (`spec.os.name: windows`) are exempt from the
    /// Linux-only restricted checks from v1.25, and a pod with `hostUsers: false` may unmask
    /// `/proc` under baseline and run as UID 0 under restricted from v1.35.
    ///
    /// What a pinned version (`enforce-version: v1.N`) leaves out, as PSA's checks changed:
    /// restricted requires `allowPrivilegeEscalation: false` from v1.8, a seccomp profile
    /// from v1.19 (baseline reads the seccomp annotations before v1.19 and the field after),
    /// `drop: ["ALL"]` from v1.22 (before, restricted checks added capabilities as baseline
    /// does), and forbids `runAsUser: 0` from v1.23; Windows pods are exempt from those
    /// Linux-only checks from v1.25; baseline allows more sysctls at v1.27, v1.29, v1.32 and
    /// v1.37, the SELinux type `container_engine_t` from v1.31, and forbids a `host` in
    /// probes and lifecycle hooks from v1.34; v1.35 brings the user-namespace exceptions.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: payments
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: payments
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:1.4
    /// ```
    ///
    /// ## How to fix
    /// Write the secure setting at the field reported. For `restricted`, a container usually
    /// needs this much:
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     seccompProfile: {type: RuntimeDefault}
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:1.4
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    ///       capabilities: {drop: ["ALL"]}
    /// ```
    /// `podlint fix` corrects spellings admission does not recognise (`drop: [all]`, `add:
    /// [CAP_CHOWN]`); `podlint fix --unsafe-fixes` also writes the secure values, which can
    /// change how the container runs (an image built to run as root fails with
    /// `runAsNonRoot: true`), so review and test them.
    pub struct PodSecurity {
        name: "pod-security",
        category: Security,
        hook: Project,
        fix: Sometimes,
        summary: "A pod breaks the Pod Security Standards (baseline by default; restricted per config or namespace label)",
        options: PodSecurityOptions,
    }
}

rule_options! {
    /// The options of [`PodSecurity`].
    pub struct PodSecurityOptions {
        /// The level every pod is held to: `privileged` (nothing), `baseline` or
        /// `restricted`. Namespaces declared with Pod Security Admission labels apply
        /// their own levels to their pods as well.
        "level" level: Level = Level::Baseline,
        /// The policy version: `latest`, or `v1.N` (the checks as Kubernetes 1.N made them).
        "version" version: Version,
    }
}

impl PodSecurityOptions {
    pub fn policy(&self) -> Policy {
        Policy {
            level: self.level,
            version: self.version,
        }
    }
}

impl OptionType for Level {
    const EXPECTED: &'static str = "`privileged`, `baseline` or `restricted`";

    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        let level = node.as_string().and_then(|t| Level::parse(t.trim()));
        if level.is_none() {
            cx.expected(node, place, Self::EXPECTED);
        }
        level
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::from(self.as_str())
    }

    fn schema() -> serde_json::Value {
        serde_json::json!({"enum": ["privileged", "baseline", "restricted"]})
    }
}

impl OptionType for Version {
    const EXPECTED: &'static str = "`latest` or a policy version such as `v1.30`";

    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        let version = node.as_string().and_then(|t| Version::parse(t).ok());
        if version.is_none() {
            cx.expected(node, place, Self::EXPECTED);
        }
        version
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::from(self.to_string())
    }

    fn schema() -> serde_json::Value {
        serde_json::json!({"type": "string", "pattern": "^(latest|v?1\\.(0|[1-9][0-9]*))$"})
    }
}

/// Who holds a pod to a policy, in the order their findings win.
#[derive(Clone, Copy)]
enum Source<'a> {
    Namespace {
        mode: PsaMode,
        policy: Policy,
        name: &'a str,
        /// The Namespace's file and its label.
        label: (usize, TextRange),
    },
    Configured(Policy),
}

impl Source<'_> {
    fn policy(self) -> Policy {
        match self {
            Source::Namespace { policy, .. } | Source::Configured(policy) => policy,
        }
    }

    /// Enforce first, then warn, the configured level, audit.
    fn rank(self) -> u8 {
        match self {
            Source::Namespace {
                mode: PsaMode::Enforce,
                ..
            } => 0,
            Source::Namespace {
                mode: PsaMode::Warn,
                ..
            } => 1,
            Source::Configured(_) => 2,
            Source::Namespace {
                mode: PsaMode::Audit,
                ..
            } => 3,
        }
    }
}

impl ProjectRule for PodSecurity {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, object) in project.objects() {
            if !object.is("Namespace") {
                continue;
            }
            for (range, message) in object.pod_security().iter().flat_map(|l| &l.errors) {
                cx.report(file, *range, message.to_string()).severity = Severity::Error;
            }
        }
        for (file, object, pod) in project.pods_with_objects() {
            if pod.breaches.is_empty() {
                continue;
            }
            let configured = cx.options::<PodSecurityOptions>(file).policy();
            let mut sources = vec![Source::Configured(configured)];
            // A pod without `metadata.namespace` lands wherever it is applied: only an
            // explicit namespace is matched with a Namespace of the set.
            if let Some((name, at, labels)) = object
                .namespace
                .as_deref()
                .and_then(|n| project.psa_namespace(n))
            {
                sources.extend(labels.iter().map(|l| Source::Namespace {
                    mode: l.mode,
                    policy: l.policy,
                    name,
                    label: (at, l.range),
                }));
            }
            sources.sort_by_key(|s| s.rank());
            // Most pods break no policy in force: their own facts are not read.
            if !sources.iter().any(|s| pod.breaches.any(s.policy())) {
                continue;
            }
            let Some(violations) = project.violations(file, pod) else {
                continue;
            };
            let kind = &object.kind;
            for violation in violations {
                if let Some(source) = sources.iter().find(|s| violation.applies(s.policy())) {
                    report(cx, file, kind, violation, *source);
                }
            }
        }
    }
}

fn report(
    cx: &mut ProjectContext<'_>,
    file: usize,
    kind: &str,
    violation: &Violation,
    source: Source<'_>,
) {
    let policy = source.policy();
    let (whose, consequence, severity) = match source {
        Source::Configured(_) => (String::new(), String::new(), None),
        Source::Namespace { mode, name, .. } => {
            let consequence = match (mode, kind) {
                (PsaMode::Enforce, "Pod") => "the API server rejects this Pod".to_string(),
                (PsaMode::Enforce, _) => {
                    format!("the API server accepts the {kind} but rejects every Pod it creates")
                }
                (PsaMode::Warn, _) => "the API server answers with a warning".to_string(),
                (PsaMode::Audit, _) => "the API server records it in its audit log".to_string(),
            };
            let severity = match mode {
                PsaMode::Enforce => Severity::Error,
                PsaMode::Warn => Severity::Warning,
                PsaMode::Audit => Severity::Info,
            };
            (
                format!(", {} by namespace `{name}`", verb(mode)),
                format!("; {consequence}"),
                Some(severity),
            )
        }
    };
    let message = format!(
        "{} (Pod Security Standards, {} {}{whose}): {}{consequence}",
        violation.control.name(),
        policy.level,
        policy.version,
        violation.message
    );
    let d = cx.report(file, violation.range, message);
    d.help(violation.help.to_string());
    if let Some(fix) = &violation.fix {
        d.fix(fix.clone());
    }
    if let Some(severity) = severity {
        d.severity = severity;
    }
    if let Source::Namespace {
        mode,
        label: (at, range),
        ..
    } = source
    {
        if at == file {
            d.label(
                range,
                format!("the namespace {} {policy} here", verb_present(mode)),
            );
        }
    }
}

fn verb_present(mode: PsaMode) -> &'static str {
    match mode {
        PsaMode::Enforce => "enforces",
        PsaMode::Warn => "warns about",
        PsaMode::Audit => "audits",
    }
}

fn verb(mode: PsaMode) -> &'static str {
    match mode {
        PsaMode::Enforce => "enforced",
        PsaMode::Warn => "warned",
        PsaMode::Audit => "audited",
    }
}

#[cfg(test)]
mod tests {
    use super::agreement::restricted_with;
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn cases() {
        let privileged = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      privileged: true\n");
        RuleTest::new(&super::PodSecurity::META)
            .pass(pod("  containers:\n  - name: app\n    image: my-app:1.0\n"))
            .fail(&privileged, &["privileged: true"])
            .fail(
                pod("  hostNetwork: true\n  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 80\n      hostPort: 80\n"),
                &["hostNetwork: true", "hostPort: 80"],
            )
            // Restricted needs options; the default level is baseline.
            .pass(restricted_with("runAsNonRoot: true", "runAsNonRoot: false"))
            .fix(
                pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        add: [CAP_CHOWN, NET_RAW]\n"),
                pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        add: [CHOWN, NET_RAW]\n"),
            )
            .run();
    }
}

#[cfg(test)]
mod agreement;
