use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{delete_entry_lines, entry_range};
use crate::syntax::NodeRef;
use crate::text::TextRange;

/// Pod-level `securityContext` fields a Windows Pod may not set.
const WINDOWS_POD_SECURITY: &[&str] = &[
    "appArmorProfile",
    "fsGroup",
    "fsGroupChangePolicy",
    "runAsGroup",
    "runAsUser",
    "seLinuxChangePolicy",
    "seLinuxOptions",
    "seccompProfile",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "sysctls",
];

/// Container `securityContext` fields a Windows Pod may not set.
const WINDOWS_CONTAINER_SECURITY: &[&str] = &[
    "allowPrivilegeEscalation",
    "appArmorProfile",
    "capabilities",
    "privileged",
    "procMount",
    "readOnlyRootFilesystem",
    "runAsGroup",
    "runAsUser",
    "seLinuxOptions",
    "seccompProfile",
];

declare_rule! {
    /// ## What it does
    /// When a Pod declares its operating system with `spec.os.name`, reports the settings of
    /// the other one: in a `windows` Pod the Linux-only `securityContext` fields (`runAsUser`,
    /// `runAsGroup`, `fsGroup`, `supplementalGroups`, `sysctls`, `seccompProfile`,
    /// `appArmorProfile`, `seLinuxOptions`, `capabilities`, `privileged`,
    /// `allowPrivilegeEscalation`, `readOnlyRootFilesystem`, `procMount`…) and `hostPID`,
    /// `hostIPC`, `hostUsers`, `shareProcessNamespace`; in a `linux` Pod any `windowsOptions`.
    /// An empty `os.name` is reported too; a misspelt one is enum-value-invalid's.
    ///
    /// ## Why it matters in a Pod
    /// `os.name` tells the API server which kernel the Pod's containers will share, and it
    /// rejects settings that kernel does not have rather than letting the kubelet ignore them:
    /// Windows has no Linux user IDs, capabilities or seccomp, and Linux has no
    /// `windowsOptions`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   os:
    ///     name: windows
    ///   securityContext:
    ///     runAsUser: 1000
    /// ```
    ///
    /// ## How to fix
    /// Remove the setting. On Windows, choose the user with
    /// `securityContext.windowsOptions.runAsUserName` (e.g. `ContainerUser`).
    pub struct OsFieldConflict {
        name: "os-field-conflict",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A setting of the other operating system than the Pod's os.name",
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Os {
    Linux,
    Windows,
}

impl PodRule for OsFieldConflict {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((os_key, os_name)) = pod.spec.get("os").and_then(|os| os.entry("name")) else {
            return;
        };
        let os = match os_name.as_string() {
            Some("linux") => Os::Linux,
            Some("windows") => Os::Windows,
            Some("") => {
                cx.report(
                    entry_range(cx.source, os_key, os_name),
                    "`os.name` is empty; the API server requires `linux` or `windows` when `os` is set",
                )
                .help("write `name: linux` or `name: windows`, or remove `os`");
                return;
            }
            _ => return,
        };
        let declared = entry_range(cx.source, os_key, os_name);
        let mut check = Check { cx, declared, os };
        let pod_security = pod.spec.get("securityContext");
        match os {
            Os::Windows => {
                for field in ["hostPID", "hostIPC"] {
                    if let Some((key, value)) = pod.spec.entry(field) {
                        if value.as_bool() == Some(true) {
                            check.conflict(key, value, "");
                        }
                    }
                }
                for field in ["hostUsers", "shareProcessNamespace"] {
                    if let Some((key, value)) = pod.spec.entry(field) {
                        check.conflict(key, value, "");
                    }
                }
                check.fields(pod_security, WINDOWS_POD_SECURITY, "");
                for container in pod.containers() {
                    let who = format!("{}: ", container.describe());
                    check.fields(
                        container.get("securityContext"),
                        WINDOWS_CONTAINER_SECURITY,
                        &who,
                    );
                }
            }
            Os::Linux => {
                check.fields(pod_security, &["windowsOptions"], "");
                for container in pod.containers() {
                    let who = format!("{}: ", container.describe());
                    check.fields(container.get("securityContext"), &["windowsOptions"], &who);
                }
            }
        }
    }
}

struct Check<'c, 'a> {
    cx: &'c mut Context<'a>,
    /// `name: windows` / `name: linux`, where the Pod declares its OS.
    declared: TextRange,
    os: Os,
}

impl Check<'_, '_> {
    fn fields(&mut self, security: Option<NodeRef<'_, '_>>, fields: &[&str], who: &str) {
        let Some(security) = security else {
            return;
        };
        for (key, value) in security.entries() {
            if key.as_str().is_some_and(|k| fields.contains(&k)) {
                self.conflict(key, value, who);
            }
        }
    }

    fn conflict(&mut self, key: NodeRef<'_, '_>, value: NodeRef<'_, '_>, who: &str) {
        // A written `null` is unset; so is an empty `sysctls` list.
        let is_empty_list = value.is_sequence() && value.items().next().is_none();
        if value.is_null() || (key.as_str() == Some("sysctls") && is_empty_list) {
            return;
        }
        let field = key.as_str().unwrap_or_default();
        // Point at `key: value` for a scalar, at the key for a block underneath it.
        let range = if value.scalar().is_some() {
            entry_range(self.cx.source, key, value)
        } else {
            key.range()
        };
        let (message, help) = match self.os {
            Os::Windows => (
                format!("{who}`{field}` is a Linux setting, and this Pod declares it runs on Windows; the API server rejects it"),
                match field {
                    "runAsUser" | "runAsGroup" => "remove it; on Windows choose the user with `windowsOptions.runAsUserName`, e.g. `ContainerUser`".to_string(),
                    _ => format!("remove `{field}`; Windows nodes have no such setting"),
                },
            ),
            Os::Linux => (
                format!("{who}`windowsOptions` is a Windows setting, and this Pod declares it runs on Linux; the API server rejects it"),
                "remove `windowsOptions`, or set `os.name: windows` if the Pod is meant for Windows nodes".to_string(),
            ),
        };
        let fix = delete_entry_lines(self.cx.source, key, value)
            .map(|edit| Fix::unsafe_(format!("Remove `{field}`"), vec![edit]));
        let declared = self.declared;
        let d = self
            .cx
            .report(range, message)
            .label(declared, "the Pod's operating system is declared here")
            .help(help);
        if let Some(fix) = fix {
            d.fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn windows_pods_refuse_linux_settings() {
        let windows_ok = pod("  os:\n    name: windows\n  securityContext:\n    runAsNonRoot: true\n    windowsOptions:\n      runAsUserName: ContainerUser\n    sysctls: []\n  hostPID: false\n  containers:\n  - name: app\n    image: a\n");
        let windows_bad = pod("  os:\n    name: windows\n  hostPID: true\n  shareProcessNamespace: false\n  securityContext:\n    runAsUser: 1000\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      readOnlyRootFilesystem: true\n      capabilities: {drop: [ALL]}\n");
        RuleTest::new(&super::OsFieldConflict::META)
            .pass(windows_ok)
            .fail(
                windows_bad,
                &[
                    "hostPID: true",
                    "shareProcessNamespace: false",
                    "runAsUser: 1000",
                    "seccompProfile",
                    "readOnlyRootFilesystem: true",
                    "capabilities",
                ],
            )
            .run();
    }

    #[test]
    fn linux_pods_refuse_windows_options() {
        let undeclared = pod("  securityContext:\n    windowsOptions:\n      runAsUserName: ContainerUser\n  containers:\n  - name: app\n    image: a\n");
        let linux = pod("  os:\n    name: linux\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      windowsOptions:\n        hostProcess: false\n");
        let empty = pod("  os:\n    name: \"\"\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::OsFieldConflict::META)
            .pass(undeclared)
            .fail(linux, &["windowsOptions"])
            .fail(empty, &["name: \"\""])
            .run_inline();
    }
}
