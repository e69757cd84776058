//! The security settings a container really runs with.
//!
//! `spec.securityContext` (the pod level) sets defaults for every container — init, regular
//! and ephemeral — and a container's own `securityContext` overrides them field by field.
//! Some fields exist only on the container (`privileged`, `allowPrivilegeEscalation`,
//! `readOnlyRootFilesystem`, `capabilities`, `procMount`); some only on the pod (`sysctls`,
//! `fsGroup`, `supplementalGroups`). Every security rule reads settings through here so that
//! none of them flags a container the pod level already secures.

use std::collections::HashMap;

use super::{Container, Pod};
use crate::syntax::NodeRef;
use crate::text::TextRange;

/// Which `securityContext` a setting was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Pod,
    Container,
}

/// One setting and where it is written.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'d, 'src> {
    pub key: NodeRef<'d, 'src>,
    pub value: NodeRef<'d, 'src>,
    pub level: Level,
}

impl Setting<'_, '_> {
    /// `key: value`, the text a finding about this setting points at.
    pub fn range(&self) -> TextRange {
        self.key.range().cover(self.value.range())
    }

    /// "at pod level" / "in its securityContext", for messages.
    pub fn place(&self) -> &'static str {
        match self.level {
            Level::Pod => "in the pod-level `spec.securityContext`",
            Level::Container => "in its own `securityContext`",
        }
    }
}

/// The two `securityContext` mappings that apply to one container.
#[derive(Debug, Clone, Copy)]
pub struct Security<'d, 'src> {
    /// `spec.securityContext`.
    pub pod: Option<NodeRef<'d, 'src>>,
    /// The container's `securityContext`.
    pub container: Option<NodeRef<'d, 'src>>,
    /// The container's `securityContext` key, to point at when a setting is missing from it.
    pub container_key: Option<NodeRef<'d, 'src>>,
}

/// What applies to `container`: its own `securityContext` over the pod's.
pub fn effective_security<'d, 'src>(
    pod: &Pod<'d, 'src>,
    container: &Container<'d, 'src>,
) -> Security<'d, 'src> {
    let own = container
        .node
        .entry("securityContext")
        .filter(|(_, v)| v.is_mapping());
    Security {
        pod: pod.spec.get("securityContext").filter(|m| m.is_mapping()),
        container: own.map(|(_, v)| v),
        container_key: own.map(|(k, _)| k),
    }
}

impl<'d, 'src> Security<'d, 'src> {
    /// A field both levels may set (`runAsUser`, `runAsNonRoot`, `seccompProfile`, …): the
    /// container's value when it writes one, else the pod's. A written `null` counts as unset.
    pub fn inherited(&self, key: &str) -> Option<Setting<'d, 'src>> {
        self.own(key)
            .or_else(|| setting(self.pod, &[key], Level::Pod))
    }

    /// A nested field both levels may set, merged field by field (`windowsOptions.hostProcess`).
    pub fn inherited_at(&self, path: &[&str]) -> Option<Setting<'d, 'src>> {
        setting(self.container, path, Level::Container)
            .or_else(|| setting(self.pod, path, Level::Pod))
    }

    /// A container-only field (`privileged`, `capabilities`, …).
    pub fn own(&self, key: &str) -> Option<Setting<'d, 'src>> {
        setting(self.container, &[key], Level::Container)
    }

    /// The effective boolean of a field both levels may set.
    pub fn inherited_bool(&self, key: &str) -> Option<(bool, Setting<'d, 'src>)> {
        let s = self.inherited(key)?;
        Some((s.value.as_bool()?, s))
    }

    /// The capability names in `capabilities.add` or `.drop`, normalised (`cap_net_raw` and
    /// `CAP_NET_RAW` are both `NET_RAW`, as container runtimes read them), with their nodes.
    pub fn capabilities(&self, list: &str) -> Vec<(String, NodeRef<'d, 'src>)> {
        self.container
            .and_then(|c| c.at(&["capabilities", list]))
            .into_iter()
            .flat_map(|l| l.items())
            .filter_map(|item| Some((capability_name(item.as_str()?), item)))
            .collect()
    }

    /// Where a finding about a missing container setting points: the container's
    /// `securityContext` key, else the container's name.
    pub fn missing_anchor(&self, container: &Container<'_, '_>) -> TextRange {
        self.container_key
            .map_or_else(|| container.anchor(), |k| k.range())
    }
}

fn setting<'d, 'src>(
    context: Option<NodeRef<'d, 'src>>,
    path: &[&str],
    level: Level,
) -> Option<Setting<'d, 'src>> {
    let (last, parents) = path.split_last()?;
    let parent = context?.at(parents)?;
    let (key, value) = parent.entry(last)?;
    (!value.is_null()).then_some(Setting { key, value, level })
}

/// `cap_sys_admin` → `SYS_ADMIN`.
pub fn capability_name(text: &str) -> String {
    let upper = text.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_string)
}

/// Whether the pod declares it runs on Windows nodes, where the Linux-only settings
/// (`runAsUser`, `allowPrivilegeEscalation`, `readOnlyRootFilesystem`, capabilities, seccomp,
/// AppArmor) are rejected by the API server.
pub fn is_windows(pod: &Pod<'_, '_>) -> bool {
    pod.spec.at(&["os", "name"]).and_then(|n| n.as_str()) == Some("windows")
}

/// Where a finding about a pod-level setting that is missing points: the pod's `spec` key.
pub fn pod_anchor(pod: &Pod<'_, '_>) -> TextRange {
    pod.template
        .entry("spec")
        .map_or(pod.spec.range(), |(k, _)| k.range())
}

/// One finding per written node: a pod-level value inherited by three containers is
/// reported once, naming all three. Keeps the first-seen order.
pub struct PerNode<'d, 'src> {
    order: Vec<TextRange>,
    found: HashMap<TextRange, (Setting<'d, 'src>, Vec<String>)>,
}

impl<'d, 'src> PerNode<'d, 'src> {
    pub fn new() -> Self {
        Self {
            order: Vec::new(),
            found: HashMap::new(),
        }
    }

    pub fn add(&mut self, setting: Setting<'d, 'src>, container: String) {
        let range = setting.range();
        self.found
            .entry(range)
            .or_insert_with(|| {
                self.order.push(range);
                (setting, Vec::new())
            })
            .1
            .push(container);
    }

    /// Each setting with the containers it applies to.
    pub fn finish(mut self) -> impl Iterator<Item = (Setting<'d, 'src>, Vec<String>)> {
        self.order
            .into_iter()
            .filter_map(move |r| self.found.remove(&r))
    }
}

impl Default for PerNode<'_, '_> {
    fn default() -> Self {
        Self::new()
    }
}

/// "container `a`", "container `a` and init container `b`", "container `a`, `b` and `c`".
pub fn list_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Each hostPath volume of the pod: the volume, its name and its `path` node.
pub fn host_path_volumes<'d, 'src>(
    pod: &Pod<'d, 'src>,
) -> impl Iterator<Item = (NodeRef<'d, 'src>, Option<&'d str>, NodeRef<'d, 'src>)> + 'd {
    pod.volumes().filter_map(|v| {
        let path = v.at(&["hostPath", "path"])?;
        path.as_str()?;
        Some((v, v.get("name").and_then(|n| n.as_str()), path))
    })
}

/// `/var/run/` and `/var//run` are `/var/run`; `/` stays `/`.
pub fn normalise_host_path(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

/// Host directories that hold the node's system, its devices or its credentials.
const SENSITIVE_HOST_PATHS: &[&str] = &[
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/sys",
    "/usr",
    "/root",
    "/etc/kubernetes",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
];

/// Whether a (normalised) host path is one of the node's system directories.
pub fn is_sensitive_host_path(path: &str) -> bool {
    SENSITIVE_HOST_PATHS.contains(&path)
}

/// Whether a (normalised) host path is a container runtime's API socket, or the directory
/// that holds it: Docker's, containerd's or CRI-O's.
pub fn is_runtime_socket(path: &str) -> bool {
    let path = path.strip_prefix("/var").unwrap_or(path);
    matches!(
        path,
        "/run/docker.sock"
            | "/run/containerd/containerd.sock"
            | "/run/crio/crio.sock"
            | "/run/containerd"
            | "/run/crio"
            | "/run/docker"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::objects;
    use crate::syntax::parse;

    fn with_pod(text: &str, check: impl Fn(&Pod<'_, '_>)) {
        let parsed = parse(text);
        let objects = objects(&parsed.documents[0]);
        check(&objects[0].pod().unwrap());
    }

    #[test]
    fn the_container_overrides_the_pod_and_inherits_the_rest() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      runAsUser: 0\n  - name: b\n    image: y\n";
        with_pod(text, |pod| {
            let cs: Vec<_> = pod.containers().collect();
            let a = effective_security(pod, &cs[0]);
            let user = a.inherited("runAsUser").unwrap();
            assert_eq!(
                (user.value.as_i64(), user.level),
                (Some(0), Level::Container)
            );
            assert_eq!(a.inherited("runAsNonRoot").unwrap().level, Level::Pod);
            let b = effective_security(pod, &cs[1]);
            assert_eq!(b.inherited("runAsUser").unwrap().level, Level::Pod);
            assert!(b.own("runAsUser").is_none());
        });
    }

    #[test]
    fn names_and_paths_normalise() {
        assert_eq!(capability_name("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalise_host_path("/var//run/"), "/var/run");
        assert_eq!(normalise_host_path("/"), "/");
        assert!(is_runtime_socket("/var/run/docker.sock"));
        assert!(is_runtime_socket("/run/containerd/containerd.sock"));
        assert!(!is_runtime_socket("/var/run/app.sock"));
        assert_eq!(
            list_names(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
