//! Pod Security Admission's checks, one function each, with the versions at which each level
//! applies them. Like PSA, they visit init containers, containers and ephemeral containers, and
//! compare values exactly as the API stores them (`drop: [all]` is not `ALL`).
//!
//! Revisions by policy version (PSA's `MinimumVersion`s) and overrides (a restricted check that
//! replaces a baseline one in the restricted level):
//!
//! | check | level | revisions | overrides |
//! |---|---|---|---|
//! | hostNamespaces, privileged, hostPorts, hostPathVolumes, appArmorProfile, windowsHostProcess | baseline | 1.0 | |
//! | capabilities_baseline | baseline | 1.0 | |
//! | seLinuxOptions | baseline | 1.0, 1.31 (`container_engine_t`) | |
//! | procMount | baseline | 1.0, 1.35 (allowed with `hostUsers: false`) | |
//! | seccompProfile_baseline | baseline | 1.0 (annotations), 1.19 (fields) | |
//! | sysctls | baseline | 1.0, 1.27, 1.29, 1.32, 1.37 (allowed list grows) | |
//! | hostProbesAndHostLifecycle | baseline | 1.34 | |
//! | restrictedVolumes | restricted | 1.0 | hostPathVolumes |
//! | allowPrivilegeEscalation | restricted | 1.8, 1.25 (Windows pods exempt) | |
//! | runAsNonRoot | restricted | 1.0, 1.35 (skipped with `hostUsers: false`) | |
//! | runAsUser | restricted | 1.23, 1.35 (skipped with `hostUsers: false`) | |
//! | seccompProfile_restricted | restricted | 1.19, 1.25 (Windows pods exempt) | seccompProfile_baseline |
//! | capabilities_restricted | restricted | 1.22, 1.25 (Windows pods exempt) | capabilities_baseline |
//! | procMount_restricted | restricted | 1.35 | procMount |

use std::fmt::Display;

use super::{Control, Span, Violation};
use crate::diagnostic::{Edit, Fix};
use crate::fix::edits::{
    delete_entry_lines, entry_range, insert_entry, insert_first_entry, replace_scalar,
};
use crate::k8s::{Container, Pod};
use crate::syntax::NodeRef;
use crate::text::TextRange;

/// Capabilities a container runtime grants by default; baseline lets a container add these.
const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// The sysctls baseline allows, with the policy version that first allowed each.
const SAFE_SYSCTLS: &[(&str, u8)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// SELinux types baseline allows, with the policy version that first allowed each.
const SELINUX_TYPES: &[(&str, u8)] = &[
    ("", 0),
    ("container_t", 0),
    ("container_init_t", 0),
    ("container_kvm_t", 0),
    ("container_engine_t", 31),
];

/// The volume sources restricted allows (`image` was added to the 1.0 check in place).
const RESTRICTED_VOLUME_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";
const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// Every violation of the pod, at every level and version (see the module table).
pub fn evaluate(pod: &Pod<'_, '_>, source: &str) -> Vec<Violation> {
    let mut cx = Checks {
        pod,
        source,
        out: Vec::new(),
        windows: pod.spec.at(&["os", "name"]).and_then(|n| n.as_str()) == Some("windows"),
        user_namespace: pod.spec.get("hostUsers").and_then(|h| h.as_bool()) == Some(false),
    };
    cx.host_namespaces();
    cx.pod_security_context();
    cx.annotations();
    cx.volumes();
    let containers: Vec<Container<'_, '_>> = pod.containers().collect();
    for container in &containers {
        cx.container(container);
    }
    cx.run_as_non_root(&containers);
    cx.seccomp_required(&containers);
    cx.out
}

struct Checks<'p, 'd, 's> {
    pod: &'p Pod<'d, 's>,
    source: &'p str,
    out: Vec<Violation>,
    /// `spec.os.name: windows`: restricted exempts such pods from some checks from v1.25.
    windows: bool,
    /// `spec.hostUsers: false`: from v1.35 some checks let such pods through.
    user_namespace: bool,
}

/// A value that is set (a written `null` is not).
fn set<'d, 's>(node: Option<NodeRef<'d, 's>>) -> Option<NodeRef<'d, 's>> {
    node.filter(|n| !n.is_null())
}

fn is_true(node: NodeRef<'_, '_>) -> bool {
    node.as_bool() == Some(true)
}

/// The string a Go string field would hold: absent and `null` are empty.
fn text<'d>(node: Option<NodeRef<'d, '_>>) -> &'d str {
    node.and_then(|n| n.as_string()).unwrap_or("")
}

impl<'d, 's> Checks<'_, 'd, 's> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        control: Control,
        range: TextRange,
        message: String,
        help: impl Into<String>,
        fix: Option<Fix>,
        baseline: Span,
        restricted: Span,
    ) {
        self.out.push(Violation {
            control,
            range,
            message,
            help: help.into(),
            fix,
            baseline,
            restricted,
        });
    }

    /// `key: value` as written.
    fn entry(&self, parent: NodeRef<'d, 's>, key: &str) -> Option<(TextRange, NodeRef<'d, 's>)> {
        let (k, v) = parent.entry(key)?;
        Some((entry_range(self.source, k, v), v))
    }

    /// An unsafe fix that rewrites a scalar.
    fn set_to(&self, node: NodeRef<'_, '_>, value: &str, title: String) -> Option<Fix> {
        Some(Fix::unsafe_(
            title,
            vec![replace_scalar(self.source, node, value)],
        ))
    }

    /// An edit that writes `key: value` into `mapping` (block or flow); `None` when the key is
    /// already there (written `null`), as a second one would be a duplicate key.
    fn add(&self, mapping: NodeRef<'_, '_>, key: &str, value: &str) -> Option<Edit> {
        if mapping.entry(key).is_some() {
            return None;
        }
        insert_entry(self.source, mapping, key, value)
            .or_else(|| insert_first_entry(self.source, mapping, &format!("{key}: {value}")))
    }

    /// An edit that sets `securityContext.<key>: <value>` on a container (or the pod spec),
    /// creating the `securityContext` when it is missing.
    fn add_security(&self, holder: NodeRef<'_, '_>, key: &str, value: &str) -> Option<Edit> {
        match holder.get("securityContext") {
            Some(sc) if sc.is_mapping() => self.add(sc, key, value),
            _ => self.add(holder, "securityContext", &format!("{{{key}: {value}}}")),
        }
    }

    // Baseline: Host Namespaces.
    fn host_namespaces(&mut self) {
        for (key, what) in [
            ("hostNetwork", "the node's network: it can reach every service bound to the node's addresses and sniff its traffic"),
            ("hostPID", "the node's process namespace: it sees, and can signal, every process on the node"),
            ("hostIPC", "the node's IPC namespace: it can read the shared memory of processes outside the pod"),
        ] {
            let Some((range, value)) = self.entry(self.pod.spec, key) else {
                continue;
            };
            if !is_true(value) {
                continue;
            }
            let fix = self.set_to(value, "false", format!("Set `{key}: false`"));
            self.push(
                Control::HostNamespaces,
                range,
                format!("`{key}: true` shares {what}"),
                format!("remove `{key}: true`; a pod gets its own namespace by default"),
                fix,
                Span::ALL,
                Span::ALL,
            );
        }
    }

    /// The pod-level `securityContext`: SELinux, Seccomp, AppArmor, HostProcess, Sysctls,
    /// runAsUser.
    fn pod_security_context(&mut self) {
        let Some(sc) = self
            .pod
            .spec
            .get("securityContext")
            .filter(|s| s.is_mapping())
        else {
            return;
        };
        self.selinux(sc, &"the pod");
        self.seccomp_value(sc, &"the pod");
        self.apparmor_field(sc, &"the pod");
        self.host_process(sc, &"the pod");
        self.run_as_user(sc, &"the pod");
        let sysctls = sc.get("sysctls").into_iter().flat_map(|l| l.items());
        for item in sysctls.collect::<Vec<_>>() {
            let Some((range, name)) = self.entry(item, "name") else {
                continue;
            };
            let name = text(Some(name));
            let allowed_since = SAFE_SYSCTLS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v);
            let span = match allowed_since {
                Some(0) => continue,
                Some(since) => Span::until(since - 1),
                None => Span::ALL,
            };
            let later = match allowed_since {
                Some(since) => format!(" (policy v1.{since} and later allow it)"),
                None => String::new(),
            };
            self.push(
                Control::Sysctls,
                range,
                format!("sysctl `{name}` is not one of the safe, namespaced sysctls{later}: it may change the node's kernel for every pod on it"),
                "remove it, or set it on the nodes where a cluster administrator controls it",
                None,
                span,
                span,
            );
        }
    }

    fn container(&mut self, container: &Container<'d, 's>) {
        let who = container.who();
        self.host_ports(container, &who);
        self.host_probes(container, &who);
        let sc = container.get("securityContext").filter(|s| s.is_mapping());
        self.privilege_escalation(container, sc, &who);
        self.capabilities_restricted(container, sc, &who);
        let Some(sc) = sc else {
            return;
        };
        if let Some((range, value)) = self.entry(sc, "privileged") {
            if is_true(value) {
                // A `Bidirectional` mount needs a privileged container: no fix there.
                let bidirectional = container
                    .volume_mounts()
                    .any(|m| text(m.get("mountPropagation")) == "Bidirectional");
                let fix = (!bidirectional)
                    .then(|| self.set_to(value, "false", "Set `privileged: false`".into()))
                    .flatten();
                self.push(
                    Control::Privileged,
                    range,
                    format!("{who} runs privileged, like `docker run --privileged`: every capability and every device of the node"),
                    "remove `privileged: true`; add only the capability the process needs under `capabilities.add`",
                    fix,
                    Span::ALL,
                    Span::ALL,
                );
            }
        }
        self.capabilities_baseline(sc, &who);
        self.selinux(sc, &who);
        self.seccomp_value(sc, &who);
        self.apparmor_field(sc, &who);
        self.host_process(sc, &who);
        self.run_as_user(sc, &who);
        if let Some((range, value)) =
            set(sc.get("procMount")).and_then(|_| self.entry(sc, "procMount"))
        {
            let mount = text(Some(value));
            if mount != "Default" {
                // Baseline lets a pod in its own user namespace unmask /proc from v1.35;
                // restricted never does (procMount_restricted overrides it from v1.35).
                let baseline = if self.user_namespace {
                    Span::until(34)
                } else {
                    Span::ALL
                };
                let fix = self.set_to(value, "Default", "Set `procMount: Default`".into());
                self.push(
                    Control::ProcMount,
                    range,
                    format!("{who} sets `procMount: {mount}`: the container sees the node's /proc without the masks that hide kernel details"),
                    "remove `procMount`, or set it to `Default`",
                    fix,
                    baseline,
                    Span::ALL,
                );
            }
        }
    }

    // Baseline: Host Ports.
    fn host_ports(&mut self, container: &Container<'d, 's>, who: &dyn Display) {
        for port in container.ports().collect::<Vec<_>>() {
            let Some((range, value)) = self.entry(port, "hostPort") else {
                continue;
            };
            if value.is_null() || value.as_i64() == Some(0) {
                continue;
            }
            let (k, v) = port.entry("hostPort").expect("just found");
            let fix = delete_entry_lines(self.source, k, v)
                .map(|e| Fix::unsafe_("Remove `hostPort`", vec![e]));
            self.push(
                Control::HostPorts,
                range,
                format!("{who} binds port {} on the node itself: the pod can only run on nodes where that port is free, and it is reachable from outside the cluster network", self.source[v.range()].trim()),
                "remove `hostPort` and expose the port with a Service",
                fix,
                Span::ALL,
                Span::ALL,
            );
        }
    }

    // Baseline (v1.34+): Host Probes / Lifecycle Hooks.
    fn host_probes(&mut self, container: &Container<'d, 's>, who: &dyn Display) {
        let mut handlers = Vec::new();
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            handlers.extend(container.get(probe).map(|p| (probe.to_string(), p)));
        }
        for hook in ["postStart", "preStop"] {
            if let Some(h) = container.node.at(&["lifecycle", hook]) {
                handlers.push((format!("lifecycle.{hook}"), h));
            }
        }
        for (place, handler) in handlers {
            for action in ["httpGet", "tcpSocket"] {
                let Some(target) = handler.get(action) else {
                    continue;
                };
                let Some((range, host)) = self.entry(target, "host") else {
                    continue;
                };
                if text(Some(host)).is_empty() {
                    continue;
                }
                let (k, v) = target.entry("host").expect("just found");
                let fix = delete_entry_lines(self.source, k, v)
                    .map(|e| Fix::unsafe_("Remove `host`", vec![e]));
                self.push(
                    Control::HostProbes,
                    range,
                    format!("the {place} of {who} sends the kubelet to host `{}`: a probe or hook may only target the pod itself, or the kubelet can be turned against other hosts", text(Some(host))),
                    "remove `host`; the kubelet then targets the pod's IP",
                    fix,
                    Span::since(34),
                    Span::since(34),
                );
            }
        }
    }

    // Baseline: Capabilities (overridden by restricted's from v1.22).
    fn capabilities_baseline(&mut self, sc: NodeRef<'d, 's>, who: &dyn Display) {
        let added = sc
            .at(&["capabilities", "add"])
            .into_iter()
            .flat_map(|l| l.items());
        for item in added.collect::<Vec<_>>() {
            let name = text(Some(item));
            if DEFAULT_CAPABILITIES.contains(&name) {
                continue;
            }
            let canonical = crate::k8s::security::capability_name(name);
            let (message, help, fix) = if DEFAULT_CAPABILITIES.contains(&canonical.as_str()) {
                (
                    format!("{who} adds `{name}`, which admission compares letter for letter with the default capabilities and does not recognise"),
                    format!("write it as `{canonical}`"),
                    Some(Fix::safe(
                        format!("Write `{canonical}`"),
                        vec![replace_scalar(self.source, item, &canonical)],
                    )),
                )
            } else {
                (
                    format!("{who} adds capability `{name}`, beyond the runtime's default set: it gives the process kernel powers a container does not normally have"),
                    "remove it; if the process truly needs it, the pod belongs in a namespace that allows the privileged level".to_string(),
                    None,
                )
            };
            self.push(
                Control::Capabilities,
                self.trimmed(item),
                message,
                help,
                fix,
                Span::ALL,
                Span::until(21),
            );
        }
    }

    /// The written text of a scalar, without a trailing comment.
    fn trimmed(&self, node: NodeRef<'_, '_>) -> TextRange {
        crate::fix::edits::value_range(self.source, node)
    }

    /// Restricted spans of the checks Windows pods are exempt from from v1.25.
    fn linux_only(&self, since: u8) -> Span {
        let span = Span::since(since);
        if self.windows {
            span.ending(24)
        } else {
            span
        }
    }

    // Restricted (v1.22+): Capabilities — drop ALL, add at most NET_BIND_SERVICE.
    fn capabilities_restricted(
        &mut self,
        container: &Container<'d, 's>,
        sc: Option<NodeRef<'d, 's>>,
        who: &dyn Display,
    ) {
        let span = self.linux_only(22);
        let capabilities = sc.and_then(|s| set(s.get("capabilities")));
        let drop = capabilities.and_then(|c| c.entry("drop"));
        let dropped: Vec<NodeRef<'d, 's>> = drop
            .map(|(_, list)| list.items().collect())
            .unwrap_or_default();
        if !dropped.iter().any(|d| text(Some(*d)) == "ALL") {
            let message = format!("{who} does not drop every capability (`capabilities.drop: [\"ALL\"]`): it keeps the runtime's default set, such as NET_RAW for forging packets");
            let help = "add `capabilities: {drop: [\"ALL\"]}` to its `securityContext`, then add back only `NET_BIND_SERVICE` if it binds a port below 1024";
            let lower = dropped
                .iter()
                .find(|d| text(Some(**d)).eq_ignore_ascii_case("all"));
            let (range, fix) = match (lower, drop) {
                (Some(node), _) => (
                    self.trimmed(*node),
                    Some(Fix::safe(
                        "Write `ALL`",
                        vec![replace_scalar(self.source, *node, "ALL")],
                    )),
                ),
                (None, Some((key, list))) => {
                    let fix = (list.is_sequence() && self.source[list.range()].starts_with('['))
                        .then(|| {
                            let at = usize::from(list.range().start()) + 1;
                            let sep = if list.items().next().is_some() {
                                ", "
                            } else {
                                ""
                            };
                            Fix::unsafe_(
                                "Drop `ALL`",
                                vec![Edit::insert(crate::text::size(at), format!("ALL{sep}"))],
                            )
                        });
                    (key.range(), fix)
                }
                (None, None) => {
                    let range = match (capabilities, sc) {
                        (Some(_), Some(sc)) => sc.entry("capabilities").map(|(k, _)| k.range()),
                        (None, Some(_)) => container
                            .node
                            .entry("securityContext")
                            .map(|(k, _)| k.range()),
                        _ => None,
                    }
                    .unwrap_or_else(|| container.anchor());
                    let edit = match capabilities {
                        Some(c) if c.is_mapping() => self.add(c, "drop", "[\"ALL\"]"),
                        Some(_) => None,
                        None => match sc {
                            Some(sc) => self.add(sc, "capabilities", "{drop: [\"ALL\"]}"),
                            None => self.add(
                                container.node,
                                "securityContext",
                                "{capabilities: {drop: [\"ALL\"]}}",
                            ),
                        },
                    };
                    (
                        range,
                        edit.map(|e| Fix::unsafe_("Drop all capabilities", vec![e])),
                    )
                }
            };
            let (message, help) = match lower {
                Some(node) => (
                    format!("{who} drops `{}`, but admission only recognises `ALL` in capitals, so the container is treated as keeping its default capabilities", text(Some(*node))),
                    "write `ALL`".to_string(),
                ),
                None => (message, help.to_string()),
            };
            self.push(
                Control::CapabilitiesRestricted,
                range,
                message,
                help,
                fix,
                Span::NEVER,
                span,
            );
        }
        let added = capabilities
            .and_then(|c| c.get("add"))
            .into_iter()
            .flat_map(|l| l.items());
        for item in added.collect::<Vec<_>>() {
            let name = text(Some(item));
            if name == "NET_BIND_SERVICE" {
                continue;
            }
            let fix =
                (crate::k8s::security::capability_name(name) == "NET_BIND_SERVICE").then(|| {
                    Fix::safe(
                        "Write `NET_BIND_SERVICE`",
                        vec![replace_scalar(self.source, item, "NET_BIND_SERVICE")],
                    )
                });
            self.push(
                Control::CapabilitiesRestricted,
                self.trimmed(item),
                format!("{who} adds capability `{name}`; the restricted level allows adding only `NET_BIND_SERVICE`"),
                "remove it from `capabilities.add`",
                fix,
                Span::NEVER,
                span,
            );
        }
    }

    // Restricted (v1.8+): Privilege Escalation.
    fn privilege_escalation(
        &mut self,
        container: &Container<'d, 's>,
        sc: Option<NodeRef<'d, 's>>,
        who: &dyn Display,
    ) {
        let span = self.linux_only(8);
        let written = sc.and_then(|s| self.entry(s, "allowPrivilegeEscalation"));
        let (range, fix, message) = match written {
            Some((_, value)) if value.as_bool() == Some(false) => return,
            Some((range, value)) if !value.is_null() => (
                range,
                self.set_to(value, "false", "Set `allowPrivilegeEscalation: false`".into()),
                format!("{who} allows privilege escalation: a setuid binary in the image (sudo, su) can make its process root"),
            ),
            _ => {
                let range = container
                    .node
                    .entry("securityContext")
                    .map_or_else(|| container.anchor(), |(k, _)| k.range());
                let fix = self
                    .add_security(container.node, "allowPrivilegeEscalation", "false")
                    .map(|e| Fix::unsafe_("Set `allowPrivilegeEscalation: false`", vec![e]));
                (range, fix, format!("{who} does not set `allowPrivilegeEscalation: false`, so a setuid binary in the image (sudo, su) can make its process root"))
            }
        };
        self.push(
            Control::PrivilegeEscalation,
            range,
            message,
            "set `allowPrivilegeEscalation: false` in the container's `securityContext`",
            fix,
            Span::NEVER,
            span,
        );
    }

    // Baseline: SELinux (pod or container `seLinuxOptions`).
    fn selinux(&mut self, sc: NodeRef<'d, 's>, who: &dyn Display) {
        let Some(options) = set(sc.get("seLinuxOptions")).filter(|o| o.is_mapping()) else {
            return;
        };
        if let Some((range, value)) = self.entry(options, "type") {
            let kind = text(Some(value));
            let since = SELINUX_TYPES
                .iter()
                .find(|(t, _)| *t == kind)
                .map(|(_, v)| *v);
            let span = match since {
                Some(0) => Span::NEVER,
                Some(since) => Span::until(since - 1),
                None => Span::ALL,
            };
            if span != Span::NEVER {
                self.push(
                    Control::SeLinux,
                    range,
                    format!("{who} sets SELinux type `{kind}`, which is not a container type: the process escapes the confinement SELinux gives containers"),
                    "remove `type`, or use `container_t` (or `container_init_t`, `container_kvm_t`)",
                    None,
                    span,
                    span,
                );
            }
        }
        for field in ["user", "role"] {
            let Some((range, value)) = self.entry(options, field) else {
                continue;
            };
            if text(Some(value)).is_empty() {
                continue;
            }
            self.push(
                Control::SeLinux,
                range,
                format!("{who} sets a custom SELinux {field}, which can lift the confinement SELinux gives containers"),
                format!("remove `{field}` from `seLinuxOptions`"),
                None,
                Span::ALL,
                Span::ALL,
            );
        }
    }

    /// A seccomp or AppArmor profile (`field` of a security context) whose `type` is neither
    /// `RuntimeDefault` nor `Localhost`: the type as written, where to report it, and the fix
    /// that sets `RuntimeDefault` when the type is written.
    fn unconfined(
        &self,
        sc: NodeRef<'d, 's>,
        field: &str,
        name: &str,
    ) -> Option<(String, TextRange, Option<Fix>)> {
        let profile = set(sc.get(field))?;
        let written = self.entry(profile, "type");
        let kind = text(written.map(|(_, v)| v));
        if kind == "RuntimeDefault" || kind == "Localhost" {
            return None;
        }
        let (range, fix) = match written {
            Some((range, value)) => (
                range,
                self.set_to(
                    value,
                    "RuntimeDefault",
                    format!("Set the {name} profile to `RuntimeDefault`"),
                ),
            ),
            None => (
                sc.entry(field).map_or(profile.range(), |(k, _)| k.range()),
                None,
            ),
        };
        Some((kind.to_string(), range, fix))
    }

    /// Seccomp `type` written at the pod or a container: baseline (v1.19+) and restricted
    /// (v1.19+, Windows pods exempt from v1.25) forbid anything but RuntimeDefault/Localhost.
    fn seccomp_value(&mut self, sc: NodeRef<'d, 's>, who: &dyn Display) {
        let Some((kind, range, fix)) = self.unconfined(sc, "seccompProfile", "seccomp") else {
            return;
        };
        self.push(
            Control::Seccomp,
            range,
            format!("{who} sets seccomp profile `{kind}`: the container may make every system call, the kernel's widest attack surface"),
            "use `type: RuntimeDefault` (or `Localhost` with a profile on the node)",
            fix,
            Span::since(19),
            self.linux_only(19),
        );
    }

    // Baseline: AppArmor, the `appArmorProfile` field (checked at every policy version).
    fn apparmor_field(&mut self, sc: NodeRef<'d, 's>, who: &dyn Display) {
        let Some((kind, range, fix)) = self.unconfined(sc, "appArmorProfile", "AppArmor") else {
            return;
        };
        self.push(
            Control::AppArmor,
            range,
            format!("{who} sets AppArmor profile `{kind}`, switching off the profile that confines containers"),
            "use `type: RuntimeDefault` (or `Localhost` with a profile on the node)",
            fix,
            Span::ALL,
            Span::ALL,
        );
    }

    // Baseline: HostProcess.
    fn host_process(&mut self, sc: NodeRef<'d, 's>, who: &dyn Display) {
        let Some(options) = sc.get("windowsOptions") else {
            return;
        };
        let Some((range, value)) = self.entry(options, "hostProcess") else {
            return;
        };
        if is_true(value) {
            let fix = self.set_to(value, "false", "Set `hostProcess: false`".into());
            self.push(
                Control::HostProcess,
                range,
                format!("{who} runs as a Windows HostProcess container, with full access to the Windows node"),
                "remove `hostProcess: true`",
                fix,
                Span::ALL,
                Span::ALL,
            );
        }
    }

    // Restricted (v1.23+): Running as Non-root user (`runAsUser: 0`).
    fn run_as_user(&mut self, sc: NodeRef<'d, 's>, who: &dyn Display) {
        let Some((range, value)) = self.entry(sc, "runAsUser") else {
            return;
        };
        if value.as_i64() != Some(0) {
            return;
        }
        let span = if self.user_namespace {
            Span { from: 23, to: 34 }
        } else {
            Span::since(23)
        };
        self.push(
            Control::RunAsUser,
            range,
            format!("{who} runs as user 0, root"),
            "set `runAsUser` to a non-zero UID the image works with, e.g. 1000",
            None,
            Span::NEVER,
            span,
        );
    }

    // Restricted: Running as Non-root (pod-level `runAsNonRoot: true`, or every container's).
    fn run_as_non_root(&mut self, containers: &[Container<'d, 's>]) {
        let span = if self.user_namespace {
            Span::until(34)
        } else {
            Span::ALL
        };
        let help = "set `runAsNonRoot: true` in the pod's `securityContext` (and `runAsUser` to a non-zero UID if the image runs as root)";
        let pod_sc = self
            .pod
            .spec
            .get("securityContext")
            .filter(|s| s.is_mapping());
        let pod_value = pod_sc
            .and_then(|s| self.entry(s, "runAsNonRoot"))
            .filter(|(_, v)| !v.is_null());
        let pod_true = pod_value.is_some_and(|(_, v)| is_true(v));
        if let Some((range, value)) = pod_value.filter(|_| !pod_true) {
            let fix = self.set_to(value, "true", "Set `runAsNonRoot: true`".into());
            self.push(
                Control::RunAsNonRoot,
                range,
                "the pod allows its containers to run as root (`runAsNonRoot` is not `true`)"
                    .to_string(),
                help,
                fix,
                Span::NEVER,
                span,
            );
        }
        let mut unset = Vec::new();
        for container in containers {
            let sc = container.get("securityContext").filter(|s| s.is_mapping());
            match sc
                .and_then(|s| self.entry(s, "runAsNonRoot"))
                .filter(|(_, v)| !v.is_null())
            {
                Some((_, v)) if is_true(v) => {}
                Some((range, value)) => {
                    let fix = self.set_to(value, "true", "Set `runAsNonRoot: true`".into());
                    self.push(
                        Control::RunAsNonRoot,
                        range,
                        format!(
                            "{} may run as root (`runAsNonRoot` is not `true`)",
                            container.describe()
                        ),
                        help,
                        fix,
                        Span::NEVER,
                        span,
                    );
                }
                None if pod_value.is_none() => unset.push(container.describe()),
                None => {}
            }
        }
        if unset.is_empty() {
            return;
        }
        let fix = self
            .add_security(self.pod.spec, "runAsNonRoot", "true")
            .map(|e| Fix::unsafe_("Set `runAsNonRoot: true` for the pod", vec![e]));
        self.push(
            Control::RunAsNonRoot,
            self.pod_anchor(),
            format!(
                "{} may run as root: neither the pod nor the container sets `runAsNonRoot: true`, so the image's default user (often root) is used",
                crate::k8s::security::list_names(&unset)
            ),
            help,
            fix,
            Span::NEVER,
            span,
        );
    }

    /// Where a finding about a missing pod-level setting points: `securityContext:` of the
    /// pod, else `spec:`.
    fn pod_anchor(&self) -> TextRange {
        self.pod
            .spec
            .entry("securityContext")
            .map(|(k, _)| k.range())
            .unwrap_or_else(|| crate::k8s::security::pod_anchor(self.pod))
    }

    // Restricted (v1.19+): Seccomp must be set, at the pod or on every container.
    fn seccomp_required(&mut self, containers: &[Container<'d, 's>]) {
        let profile_of = |sc: Option<NodeRef<'d, 's>>| {
            sc.filter(|s| s.is_mapping())
                .and_then(|s| set(s.get("seccompProfile")))
        };
        let pod_profile = profile_of(self.pod.spec.get("securityContext"));
        if pod_profile.is_some() {
            // A valid one covers every container; an invalid one is reported where written.
            return;
        }
        let unset: Vec<String> = containers
            .iter()
            .filter(|c| profile_of(c.get("securityContext")).is_none())
            .map(|c| c.describe())
            .collect();
        if unset.is_empty() {
            return;
        }
        let fix = self
            .add_security(self.pod.spec, "seccompProfile", "{type: RuntimeDefault}")
            .map(|e| Fix::unsafe_("Set the pod's seccomp profile to `RuntimeDefault`", vec![e]));
        self.push(
            Control::Seccomp,
            self.pod_anchor(),
            format!(
                "no seccomp profile is set for {}: without one the container may make every system call",
                crate::k8s::security::list_names(&unset)
            ),
            "set `seccompProfile: {type: RuntimeDefault}` in the pod's `securityContext`",
            fix,
            Span::NEVER,
            self.linux_only(19),
        );
    }

    // Baseline: HostPath Volumes; restricted: Volume Types (which overrides it).
    fn volumes(&mut self) {
        for volume in self.pod.volumes().collect::<Vec<_>>() {
            let name = text(volume.get("name"));
            let sources: Vec<(NodeRef<'d, 's>, NodeRef<'d, 's>)> = volume
                .entries()
                .filter(|(k, v)| k.as_str() != Some("name") && !v.is_null())
                .collect();
            if let Some((key, _)) = sources.iter().find(|(k, _)| k.as_str() == Some("hostPath")) {
                self.push(
                    Control::HostPathVolumes,
                    key.range(),
                    format!("volume `{name}` mounts a directory of the node: the container can read or change the node's files"),
                    "use an `emptyDir`, a `configMap`/`secret`, or a PersistentVolumeClaim instead",
                    None,
                    Span::ALL,
                    Span::NEVER,
                );
            }
            // A volume without a source is defaulted to `emptyDir` before admission.
            let allowed = sources.is_empty()
                || sources.iter().any(|(k, _)| {
                    k.as_str()
                        .is_some_and(|k| RESTRICTED_VOLUME_SOURCES.contains(&k))
                });
            if allowed {
                continue;
            }
            let (key, _) = sources[0];
            let kind = key.as_str().unwrap_or("");
            self.push(
                Control::VolumeTypes,
                key.range(),
                format!("volume `{name}` is a `{kind}` volume; the restricted level allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes"),
                "mount the storage through a PersistentVolumeClaim (the cluster administrator defines the PersistentVolume)",
                None,
                Span::NEVER,
                Span::ALL,
            );
        }
    }

    /// AppArmor and seccomp annotations of the pod (or the template's) metadata.
    fn annotations(&mut self) {
        let Some(annotations) = self.pod.metadata().and_then(|m| m.get("annotations")) else {
            return;
        };
        let names: std::collections::HashSet<&str> =
            self.pod.containers().filter_map(|c| c.name()).collect();
        for (key, value) in annotations.entries().collect::<Vec<_>>() {
            let Some(name) = key.as_str() else {
                continue;
            };
            let profile = text(Some(value));
            let range = entry_range(self.source, key, value);
            if name.starts_with(APPARMOR_ANNOTATION) {
                if profile.is_empty()
                    || profile == "runtime/default"
                    || profile.starts_with("localhost/")
                {
                    continue;
                }
                let fix = self.set_to(value, "runtime/default", "Use `runtime/default`".into());
                self.push(
                    Control::AppArmor,
                    range,
                    format!("the annotation sets AppArmor profile `{profile}`, switching off the profile that confines containers"),
                    "use `runtime/default` (or `localhost/<profile>`), or remove the annotation",
                    fix,
                    Span::ALL,
                    Span::ALL,
                );
                continue;
            }
            let seccomp = name == SECCOMP_POD_ANNOTATION
                || name
                    .strip_prefix(SECCOMP_CONTAINER_ANNOTATION)
                    .is_some_and(|c| names.contains(c));
            if !seccomp
                || profile == "runtime/default"
                || profile == "docker/default"
                || profile.starts_with("localhost/")
            {
                continue;
            }
            let fix = self.set_to(value, "runtime/default", "Use `runtime/default`".into());
            self.push(
                Control::Seccomp,
                range,
                format!("the annotation sets seccomp profile `{profile}`: the container may make every system call"),
                "use `runtime/default`, or better the `seccompProfile` field of the `securityContext`",
                fix,
                Span::until(18),
                Span::until(18),
            );
        }
    }
}
