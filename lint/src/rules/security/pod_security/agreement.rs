//! `pod-security` against Pod Security Admission: its v1.37 test fixtures, the revisions of
//! its checks by policy version, and the namespace labels.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::test::pod;
use crate::settings::Settings;

/// `pod-security` alone at `level` and `version`.
fn settings_at(level: &str, version: &str) -> Settings {
    let mut settings = Settings::only(&["pod-security"]);
    settings
        .configure(
            "pod-security",
            &format!("{{level: {level}, version: {version}}}"),
        )
        .expect("valid options");
    settings
}

fn lint_at(yaml: &str, level: &str, version: &str) -> Vec<Diagnostic> {
    crate::lint(yaml, &settings_at(level, version))
}

/// A pod that satisfies restricted at every version; cases change one thing in it.
const RESTRICTED: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: app
    image: my-app:1.0
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
";

pub(super) fn restricted_with(from: &str, to: &str) -> String {
    assert!(RESTRICTED.contains(from), "{from}");
    RESTRICTED.replacen(from, to, 1)
}

#[test]
fn restricted_fixes_write_the_secure_settings() {
    let bare = pod("  containers:\n  - name: app\n    image: a\n");
    let fixed = crate::engine::fix_text(&bare, &settings_at("restricted", "latest"), true);
    assert_eq!(
        fixed.text,
        pod("  containers:\n  - name: app\n    image: a\n    securityContext: {capabilities: {drop: [\"ALL\"]}, allowPrivilegeEscalation: false}\n  securityContext: {seccompProfile: {type: RuntimeDefault}, runAsNonRoot: true}\n")
    );
    assert!(lint_at(&fixed.text, "restricted", "latest").is_empty());
    // Without --unsafe-fixes only the spelling is corrected.
    let lower = restricted_with("drop: [ALL]", "drop: [all]");
    let fixed = crate::engine::fix_text(&lower, &settings_at("restricted", "latest"), false);
    assert_eq!(fixed.text, RESTRICTED);
}

/// Every pass and fail fixture of Pod Security Admission's own test data agrees.
#[test]
fn every_psa_fixture_agrees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/pod-security-admission");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for level in ["baseline", "restricted"] {
        let versions = fs::read_dir(root.join(level)).expect("fixture folder");
        for version in versions.map(|v| v.unwrap().file_name().into_string().unwrap()) {
            for kind in ["pass", "fail"] {
                for path in yaml_files(&root.join(level).join(&version).join(kind)) {
                    let text = fs::read_to_string(&path).unwrap();
                    let found = lint_at(&text, level, &version);
                    checked += 1;
                    if (kind == "fail") == found.is_empty() {
                        wrong.push(format!("{level} {version} {}: {found:#?}", path.display()));
                    }
                    // A fail fixture is flagged for the control its name gives.
                    let control = control_of(&path, level);
                    if kind == "fail" && !found.iter().any(|d| d.message.starts_with(control)) {
                        wrong.push(format!(
                            "{level} {version} {}: no `{control}` finding in {found:#?}",
                            path.display()
                        ));
                    }
                    // Restricted forbids whatever baseline does.
                    if level == "baseline"
                        && kind == "fail"
                        && lint_at(&text, "restricted", &version).is_empty()
                    {
                        wrong.push(format!("restricted {version} passes {}", path.display()));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "disagreements:\n{}", wrong.join("\n"));
    assert!(checked >= 148, "only {checked} fixtures found");
}

/// The control a PSA fixture exercises, from its file name (`capabilities_restricted1.yaml`).
fn control_of(path: &Path, level: &str) -> &'static str {
    let stem = path.file_stem().unwrap().to_string_lossy();
    let check = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    match check {
        "apparmorprofile" => "AppArmor",
        "capabilities_baseline" | "capabilities_restricted" => "Capabilities",
        "hostnamespaces" => "Host Namespaces",
        // Restricted's volume allow-list overrides the hostPath check.
        "hostpathvolumes" if level == "restricted" => "Volume Types",
        "hostpathvolumes" => "HostPath Volumes",
        "hostports" => "Host Ports",
        "hostprobesandhostlifecycle" => "Host Probes / Lifecycle Hooks",
        "privileged" => "Privileged Containers",
        "procmount" | "procmount_restricted" => "/proc Mount Type",
        "seccompprofile_baseline" | "seccompprofile_restricted" => "Seccomp",
        "selinuxoptions" => "SELinux",
        "sysctls" => "Sysctls",
        "windowshostprocess" => "HostProcess",
        "restrictedvolumes" => "Volume Types",
        "allowprivilegeescalation" => "Privilege Escalation",
        "runasnonroot" => "Running as Non-root (",
        "runasuser" => "Running as Non-root user",
        "base" | "base_linux" | "base_windows" => "",
        other => panic!("{}: no control known for `{other}`", path.display()),
    }
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Whether `yaml` fails each `(level, version)`, as PSA's policy code decides by version.
fn assert_versions(name: &str, yaml: &str, expected: &[(&str, &str, bool)]) {
    for (level, version, fails) in expected {
        let found = lint_at(yaml, level, version);
        assert_eq!(
            !found.is_empty(),
            *fails,
            "{name} at {level} {version}: {found:#?}"
        );
    }
}

#[test]
fn older_policy_versions_follow_psa_revisions() {
    let no = false;
    let yes = true;
    // Seccomp: required by restricted from v1.19; annotations checked before v1.19 only.
    let no_seccomp = restricted_with("    seccompProfile:\n      type: RuntimeDefault\n", "");
    assert_versions(
        "seccomp",
        &no_seccomp,
        &[
            ("restricted", "v1.18", no),
            ("restricted", "v1.19", yes),
            ("baseline", "latest", no),
        ],
    );
    let annotation = restricted_with(
        "  name: demo\n",
        "  name: demo\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n",
    );
    assert_versions(
        "seccomp annotation",
        &annotation,
        &[
            ("baseline", "v1.18", yes),
            ("baseline", "v1.19", no),
            ("restricted", "v1.18", yes),
        ],
    );
    let unconfined = restricted_with("type: RuntimeDefault", "type: Unconfined");
    assert_versions(
        "seccomp Unconfined",
        &unconfined,
        &[
            ("baseline", "v1.18", no),
            ("baseline", "v1.19", yes),
            ("restricted", "v1.19", yes),
        ],
    );
    // Privilege escalation: restricted from v1.8.
    let escalation = restricted_with(
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
    );
    assert_versions(
        "allowPrivilegeEscalation",
        &escalation,
        &[
            ("restricted", "v1.7", no),
            ("restricted", "v1.8", yes),
            ("baseline", "latest", no),
        ],
    );
    // Capabilities: restricted's drop-ALL from v1.22; before, baseline's add list.
    let keeps = restricted_with("        drop: [ALL]\n", "        drop: [NET_RAW]\n");
    assert_versions(
        "no drop ALL",
        &keeps,
        &[("restricted", "v1.21", no), ("restricted", "v1.22", yes)],
    );
    let adds = restricted_with("drop: [ALL]", "drop: [ALL]\n        add: [CHOWN]");
    assert_versions(
        "add CHOWN",
        &adds,
        &[
            ("baseline", "latest", no),
            ("restricted", "v1.21", no),
            ("restricted", "v1.22", yes),
        ],
    );
    let bind = restricted_with(
        "drop: [ALL]",
        "drop: [ALL]\n        add: [NET_BIND_SERVICE]",
    );
    assert_versions(
        "add NET_BIND_SERVICE",
        &bind,
        &[("restricted", "v1.22", no), ("restricted", "latest", no)],
    );
    let raw = restricted_with("drop: [ALL]", "drop: [ALL]\n        add: [NET_RAW]");
    assert_versions(
        "add NET_RAW",
        &raw,
        &[
            ("baseline", "v1.0", yes),
            ("restricted", "v1.21", yes),
            ("restricted", "latest", yes),
        ],
    );
    // runAsUser: 0 from v1.23; a pod in a user namespace may from v1.35.
    let root = restricted_with(
        "runAsNonRoot: true\n",
        "runAsNonRoot: true\n    runAsUser: 0\n",
    );
    assert_versions(
        "runAsUser 0",
        &root,
        &[
            ("restricted", "v1.22", no),
            ("restricted", "v1.23", yes),
            ("baseline", "latest", no),
        ],
    );
    let userns_root = root.replace("spec:\n", "spec:\n  hostUsers: false\n");
    assert_versions(
        "runAsUser 0, hostUsers false",
        &userns_root,
        &[("restricted", "v1.34", yes), ("restricted", "v1.35", no)],
    );
    let userns_nonroot = restricted_with("    runAsNonRoot: true\n", "")
        .replace("spec:\n", "spec:\n  hostUsers: false\n");
    assert_versions(
        "no runAsNonRoot, hostUsers false",
        &userns_nonroot,
        &[
            ("restricted", "v1.0", yes),
            ("restricted", "v1.34", yes),
            ("restricted", "v1.35", no),
        ],
    );
    // Windows pods are exempt from the Linux-only restricted checks from v1.25.
    let windows = pod("  os:\n    name: windows\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: a\n");
    assert_versions(
        "windows",
        &windows,
        &[
            ("restricted", "v1.24", yes),
            ("restricted", "v1.25", no),
            ("restricted", "latest", no),
        ],
    );
    // Sysctls: the allowed list grows at v1.27, v1.29, v1.32 and v1.37.
    for (name, since) in [
        ("net.ipv4.ip_local_reserved_ports", 27),
        ("net.ipv4.tcp_keepalive_time", 29),
        ("net.ipv4.tcp_fin_timeout", 29),
        ("net.ipv4.tcp_rmem", 32),
        ("net.ipv4.tcp_slow_start_after_idle", 37),
    ] {
        let yaml = pod(&format!("  securityContext:\n    sysctls:\n    - name: {name}\n      value: \"1\"\n  containers:\n  - name: app\n    image: a\n"));
        let before = format!("v1.{}", since - 1);
        let after = format!("v1.{since}");
        assert_versions(
            name,
            &yaml,
            &[
                ("baseline", &before, yes),
                ("baseline", &after, no),
                ("restricted", &before, yes),
            ],
        );
    }
    let unsafe_sysctl = pod("  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: \"1\"\n  containers:\n  - name: app\n    image: a\n");
    assert_versions(
        "kernel.msgmax",
        &unsafe_sysctl,
        &[("baseline", "v1.0", yes), ("baseline", "latest", yes)],
    );
    // SELinux: container_engine_t allowed from v1.31.
    let engine = pod("  securityContext:\n    seLinuxOptions:\n      type: container_engine_t\n  containers:\n  - name: app\n    image: a\n");
    assert_versions(
        "container_engine_t",
        &engine,
        &[("baseline", "v1.30", yes), ("baseline", "v1.31", no)],
    );
    // procMount: baseline lets a user-namespace pod unmask /proc from v1.35, restricted never.
    let unmasked = pod("  hostUsers: false\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      procMount: Unmasked\n");
    assert_versions(
        "procMount",
        &unmasked,
        &[
            ("baseline", "v1.34", yes),
            ("baseline", "v1.35", no),
            ("restricted", "v1.35", yes),
        ],
    );
    let unmasked_host = unmasked.replace("hostUsers: false", "hostUsers: true");
    assert_versions(
        "procMount, host users",
        &unmasked_host,
        &[("baseline", "v1.35", yes), ("baseline", "latest", yes)],
    );
    // Probe and lifecycle hosts: baseline from v1.34.
    let probe = pod("  containers:\n  - name: app\n    image: a\n    livenessProbe:\n      httpGet:\n        host: 10.0.0.1\n        port: 80\n");
    assert_versions(
        "probe host",
        &probe,
        &[("baseline", "v1.33", no), ("baseline", "v1.34", yes)],
    );
    // Checks amended in place apply at every version: AppArmor fields, image volumes.
    let apparmor = pod("  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n  - name: app\n    image: a\n");
    assert_versions(
        "appArmorProfile",
        &apparmor,
        &[("baseline", "v1.0", yes), ("baseline", "latest", yes)],
    );
    let image = restricted_with(
        "  containers:\n",
        "  volumes:\n  - name: models\n    image: {reference: models:1}\n  containers:\n",
    );
    assert_versions(
        "image volume",
        &image,
        &[("restricted", "v1.25", no), ("restricted", "latest", no)],
    );
    // Volume types: restricted only; hostPath is baseline's.
    let nfs = restricted_with(
        "  containers:\n",
        "  volumes:\n  - name: share\n    nfs: {server: nfs.example.com, path: /}\n  containers:\n",
    );
    assert_versions(
        "nfs",
        &nfs,
        &[("baseline", "latest", no), ("restricted", "v1.0", yes)],
    );
    let host_path = pod("  volumes:\n  - name: logs\n    hostPath: {path: /var/log}\n  containers:\n  - name: app\n    image: a\n");
    assert_versions(
        "hostPath",
        &host_path,
        &[
            ("baseline", "v1.0", yes),
            ("restricted", "latest", yes),
            ("privileged", "latest", no),
        ],
    );
    // HostProcess and host ports: baseline at every version.
    let host_process = pod("  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n  - name: app\n    image: a\n");
    assert_versions(
        "hostProcess",
        &host_process,
        &[("baseline", "v1.0", yes), ("baseline", "latest", yes)],
    );
    // A version newer than any revision reads as the newest.
    assert_versions("future", &probe, &[("baseline", "v1.99", yes)]);
}

#[test]
fn each_restricted_control_is_named_at_its_field() {
    let bare = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        drop: [all]\n");
    let found: Vec<(String, String)> = lint_at(&bare, "restricted", "v1.30")
        .into_iter()
        .map(|d| (bare[d.range].to_string(), d.message))
        .collect();
    let names: Vec<&str> = found.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(
        names,
        ["spec", "spec", "securityContext", "all"],
        "{found:#?}"
    );
    assert!(
        found[0]
            .1
            .starts_with("Running as Non-root (Pod Security Standards, restricted v1.30): "),
        "{found:#?}"
    );
    assert!(
        found[1]
            .1
            .starts_with("Seccomp (Pod Security Standards, restricted v1.30): "),
        "{found:#?}"
    );
    assert!(
        found[2]
            .1
            .starts_with("Privilege Escalation (Pod Security Standards, restricted v1.30): "),
        "{found:#?}"
    );
    assert!(
        found[3].1.contains("only recognises `ALL` in capitals"),
        "{found:#?}"
    );
}

const NAMESPACE: &str = "\
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.30
    pod-security.kubernetes.io/warn: restricted
---
";

/// A Pod that runs as root (no `runAsNonRoot`), in `namespace`.
fn root_pod(namespace: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  namespace: {namespace}\nspec:\n  securityContext:\n    seccompProfile: {{type: RuntimeDefault}}\n  containers:\n  - name: api\n    image: a\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {{drop: [ALL]}}\n")
}

#[test]
fn an_enforcing_namespace_makes_a_root_pod_an_error() {
    let labelled = format!("{NAMESPACE}{}", root_pod("payments"));
    let found = crate::lint(&labelled, &Settings::default());
    let security: Vec<&Diagnostic> = found.iter().filter(|d| d.rule == "pod-security").collect();
    assert_eq!(security.len(), 1, "{found:#?}");
    assert_eq!(security[0].severity, Severity::Error);
    assert_eq!(&labelled[security[0].range], "securityContext");
    assert!(
        security[0].message.starts_with("Running as Non-root (Pod Security Standards, restricted v1.30, enforced by namespace `payments`): "),
        "{}",
        security[0].message
    );
    assert!(security[0]
        .message
        .ends_with("the API server rejects this Pod"));

    // The same Pod in a namespace without labels, or with none declared, passes baseline.
    let elsewhere = format!("{NAMESPACE}{}", root_pod("web"));
    assert!(crate::lint(&elsewhere, &Settings::default())
        .iter()
        .all(|d| d.rule != "pod-security"));
    assert!(crate::lint(&root_pod("payments"), &Settings::default())
        .iter()
        .all(|d| d.rule != "pod-security"));
}

#[test]
fn the_namespace_may_be_in_another_file() {
    let settings = std::sync::Arc::new(Settings::default());
    let passes = vec![
        crate::check_file(NAMESPACE.as_bytes(), settings.clone()),
        crate::check_file(root_pod("payments").as_bytes(), settings),
    ];
    let reports = crate::finish(passes);
    let errors: Vec<&Diagnostic> = reports[1]
        .diagnostics
        .iter()
        .filter(|d| d.rule == "pod-security" && d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:#?}", reports[1].diagnostics);
}

#[test]
fn warn_and_audit_labels_give_warnings_and_infos() {
    let namespace = NAMESPACE
        .replace("enforce: restricted", "audit: restricted")
        .replace("enforce-version", "audit-version")
        .replace("warn: restricted", "warn: baseline");
    let privileged = format!(
        "{namespace}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: payments\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: a\n        securityContext:\n          privileged: true\n"
    );
    let found: Vec<(Severity, String)> =
        crate::lint(&privileged, &Settings::only(&["pod-security"]))
            .into_iter()
            .map(|d| (d.severity, d.message))
            .collect();
    // Privileged breaks baseline (warned); no runAsNonRoot and the rest break restricted (audited).
    assert_eq!(found[0].0, Severity::Info, "{found:#?}");
    let privileged_finding = found
        .iter()
        .find(|(_, m)| m.starts_with("Privileged Containers"))
        .unwrap();
    assert_eq!(privileged_finding.0, Severity::Warning);
    assert!(
        privileged_finding
            .1
            .contains("warned by namespace `payments`"),
        "{found:#?}"
    );
    assert!(found.iter().all(|(s, _)| *s != Severity::Error));
}

#[test]
fn label_values_the_api_server_rejects_are_reported() {
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    pod-security.kubernetes.io/enforce: Restricted\n    pod-security.kubernetes.io/enforce-version: \"1.30\"\n";
    let found: Vec<(String, Severity)> = crate::lint(namespace, &Settings::only(&["pod-security"]))
        .into_iter()
        .map(|d| (namespace[d.range].to_string(), d.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("Restricted".into(), Severity::Error),
            ("\"1.30\"".into(), Severity::Error)
        ]
    );
}

#[test]
fn privileged_level_checks_only_namespaces() {
    let privileged = pod("  hostPID: true\n  containers:\n  - name: app\n    image: a\n");
    assert!(lint_at(&privileged, "privileged", "latest").is_empty());
    assert_eq!(lint_at(&privileged, "baseline", "latest").len(), 1);
}

#[test]
fn fixes_never_write_a_key_twice() {
    // Written `null`s count as unset for admission, but a fix must not add a second key.
    let nulls = pod("  securityContext:\n    runAsNonRoot: null\n    seccompProfile: null\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      allowPrivilegeEscalation: null\n      capabilities: null\n");
    let settings = settings_at("restricted", "latest");
    let found = crate::lint(&nulls, &settings);
    assert_eq!(found.len(), 4, "{found:#?}");
    let fixed = crate::engine::fix_text(&nulls, &settings, true);
    let parsed = crate::syntax::parse(&fixed.text);
    assert!(parsed.errors.is_empty(), "{}", fixed.text);
    for key in [
        "runAsNonRoot",
        "seccompProfile",
        "allowPrivilegeEscalation",
        "capabilities",
    ] {
        assert_eq!(
            fixed.text.matches(&format!("{key}:")).count(),
            1,
            "{}",
            fixed.text
        );
    }
}
