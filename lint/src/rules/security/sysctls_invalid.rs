use std::collections::HashMap;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::entry_range;
use crate::text::TextRange;

/// The longest sysctl name the API server accepts.
const MAX_LEN: usize = 253;

declare_rule! {
    /// ## What it does
    /// Checks `spec.securityContext.sysctls`: each `name` must be a sysctl name (lowercase
    /// segments of letters, digits, `-` and `_`, joined by `.` or `/`, at most 253 characters),
    /// appear once, and not be a network sysctl (`net.*`) in a Pod with `hostNetwork: true` or an
    /// IPC sysctl (`kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`) in a Pod with
    /// `hostIPC: true`. Whether a sysctl is safe to set is unsafe-sysctls' question.
    ///
    /// ## Why it matters in a Pod
    /// A Pod's sysctls are written into the kernel namespaces its containers share. With
    /// `hostNetwork` or `hostIPC` those namespaces are the node's own, so the setting would
    /// change the node and every Pod on it; the API server refuses the Pod instead. A name that
    /// is not a sysctl, or one listed twice, is refused too.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   securityContext:
    ///     sysctls:
    ///     - name: net.ipv4.tcp_syncookies
    ///       value: "1"
    /// ```
    ///
    /// ## How to fix
    /// Write the name as `sysctl -a` prints it (`net.ipv4.ip_local_port_range`), list each
    /// sysctl once, and drop network or IPC sysctls from Pods that use the node's namespaces
    /// (or drop `hostNetwork`/`hostIPC`).
    pub struct SysctlsInvalid {
        name: "sysctls-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A sysctl name is invalid, repeated, or conflicts with hostNetwork/hostIPC",
    }
}

impl PodRule for SysctlsInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some(sysctls) = pod.spec.at(&["securityContext", "sysctls"]) else {
            return;
        };
        let host_namespace = |field: &str| {
            pod.spec
                .entry(field)
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, v)| entry_range(cx.source, k, v))
        };
        let host_network = host_namespace("hostNetwork");
        let host_ipc = host_namespace("hostIPC");
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        for item in sysctls.items() {
            let Some(node) = item.get("name") else {
                continue;
            };
            let Some(name) = node.as_string() else {
                continue;
            };
            if let Err(why) = check_name(name) {
                cx.report(
                    node.range(),
                    format!("`{name}` is not a sysctl name: {why}"),
                )
                .help(
                    "write the name as `sysctl -a` prints it, e.g. `net.ipv4.ip_local_port_range`",
                );
                continue;
            }
            if let Some(first) = seen.get(name) {
                cx.report(
                    node.range(),
                    format!(
                        "sysctl `{name}` is listed twice; the API server accepts each name once"
                    ),
                )
                .label(*first, "first listed here")
                .help("keep one entry, with the value you want");
                continue;
            }
            seen.insert(name, node.range());
            let conflict = match namespace(name) {
                Some(Namespace::Net) => host_network.map(|r| (r, "hostNetwork", "network")),
                Some(Namespace::Ipc) => host_ipc.map(|r| (r, "hostIPC", "IPC")),
                None => None,
            };
            if let Some((range, field, what)) = conflict {
                cx.report(
                    node.range(),
                    format!("sysctl `{name}` would change the node's own {what} settings: with `{field}: true` the Pod shares the node's {what} namespace, so the API server refuses it"),
                )
                .label(range, format!("the Pod uses the node's {what} namespace here"))
                .help(format!("remove the sysctl, or remove `{field}: true` so the Pod gets its own {what} namespace"));
            }
        }
    }
}

/// Why `name` is not a sysctl name: dot- or slash-separated segments of lowercase letters,
/// digits, `-` and `_`, each starting and ending with a letter or digit.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > MAX_LEN {
        return Err(format!(
            "it is {} characters long; the limit is {MAX_LEN}",
            name.len()
        ));
    }
    if let Some(c) = name.chars().find(|c| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '/'))
    }) {
        return Err(if c.is_ascii_uppercase() {
            "sysctl names are lowercase".into()
        } else {
            format!("`{c}` is not allowed")
        });
    }
    for segment in name.split(['.', '/']) {
        if segment.is_empty() {
            return Err("it has an empty part between separators".into());
        }
        let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !edge_ok(segment.chars().next()) || !edge_ok(segment.chars().last()) {
            return Err(format!(
                "part `{segment}` must start and end with a letter or digit"
            ));
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Namespace {
    Net,
    Ipc,
}

/// The kernel namespace a sysctl lives in, for the two the API server compares with the
/// Pod's host namespaces.
fn namespace(name: &str) -> Option<Namespace> {
    // `net/ipv4/ip_forward` is `net.ipv4.ip_forward`: when the first separator is `/`, the
    // two separators swap meaning.
    let normalised: String = if name.find(['.', '/']).map(|i| &name[i..i + 1]) == Some("/") {
        name.chars()
            .map(|c| match c {
                '/' => '.',
                '.' => '/',
                c => c,
            })
            .collect()
    } else {
        name.to_string()
    };
    if normalised.starts_with("net.") {
        Some(Namespace::Net)
    } else if normalised == "kernel.sem"
        || ["kernel.shm", "kernel.msg", "fs.mqueue."]
            .iter()
            .any(|p| normalised.starts_with(p))
    {
        Some(Namespace::Ipc)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn sysctls(host: &str, names: &[&str]) -> String {
        let list: String = names
            .iter()
            .map(|n| format!("    - name: {n}\n      value: \"1\"\n"))
            .collect();
        pod(&format!(
            "{host}  securityContext:\n    sysctls:\n{list}  containers:\n  - name: app\n    image: a\n"
        ))
    }

    #[test]
    fn names_must_be_sysctls_and_listed_once() {
        let good = sysctls(
            "",
            &[
                "net.ipv4.tcp_syncookies",
                "net/ipv4/ip_local_port_range",
                "kernel.shm_rmid_forced",
            ],
        );
        let bad = sysctls(
            "",
            &[
                "Net.Core.Somaxconn",
                "net..ipv4",
                "net.ipv4.tcp_syncookies",
                "net.ipv4.tcp_syncookies",
            ],
        );
        RuleTest::new(&super::SysctlsInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &["Net.Core.Somaxconn", "net..ipv4", "net.ipv4.tcp_syncookies"],
            )
            .run();
    }

    #[test]
    fn host_namespaces_refuse_their_sysctls() {
        let other_namespace = sysctls("  hostNetwork: true\n", &["kernel.shm_rmid_forced"]);
        let net = sysctls(
            "  hostNetwork: true\n",
            &["net/ipv4/tcp_syncookies", "kernel.shm_rmid_forced"],
        );
        let ipc = sysctls(
            "  hostIPC: true\n",
            &[
                "kernel.sem",
                "fs.mqueue.msg_max",
                "net.ipv4.ping_group_range",
            ],
        );
        RuleTest::new(&super::SysctlsInvalid::META)
            .pass(&other_namespace)
            .fail(&net, &["net/ipv4/tcp_syncookies"])
            .fail(&ipc, &["kernel.sem", "fs.mqueue.msg_max"])
            .run_inline();
    }
}
