use crate::k8s::{names, Container, ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;
use crate::text::TextRange;
use crate::{Edit, Fix};

/// The probes that address a port, and what a probe that always fails does.
const PROBES: [(&str, &str, &str); 3] = [
    (
        "livenessProbe",
        "liveness",
        "the kubelet restarts the container again and again",
    ),
    (
        "readinessProbe",
        "readiness",
        "the Pod never becomes Ready and Services send it no traffic",
    ),
    (
        "startupProbe",
        "startup",
        "the container is killed and restarted before it ever counts as started",
    ),
];

/// Probe handlers that carry a `port`.
const HANDLERS: [&str; 3] = ["httpGet", "tcpSocket", "grpc"];

declare_rule! {
    /// ## What it does
    /// Checks the `port` of each liveness, readiness and startup probe (`httpGet`,
    /// `tcpSocket`, `grpc`) against the container's `ports`:
    /// - a port *name* the container does not declare is an error at run time;
    /// - a port number declared by another container of the Pod means this probe checks
    ///   that other container's process.
    ///
    /// A port number that no container declares is fine: `ports` only documents what a
    /// process listens on, and the kubelet probes the number either way.
    ///
    /// ## Why it matters in a Pod
    /// The kubelet resolves a named probe port in the probed container's own `ports`; when
    /// the name is missing the probe fails every time — a failing liveness probe restarts
    /// the container forever, a failing readiness probe keeps the Pod out of its Services.
    /// Numbers are not looked up, but all containers of a Pod share one network namespace,
    /// so a probe reaches whatever listens on that port in the Pod, or nothing.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   ports:
    ///   - name: http
    ///     containerPort: 8080
    ///   livenessProbe:
    ///     httpGet:
    ///       path: /healthz
    ///       port: htpp
    /// ```
    ///
    /// ## How to fix
    /// Point the probe at a port the container declares (`port: http`), or declare the port
    /// the process listens on under the container's `ports`. Declaring a port also documents
    /// it for the next reader. When a declared name is one typo away, the fix uses it.
    pub struct ProbePortNotExposed {
        name: "probe-port-not-exposed",
        category: Correctness,
        hook: Pod,
        fix: Sometimes,
        summary: "A probe checks a port its container does not declare",
    }
}

impl PodRule for ProbePortNotExposed {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for (field, probe_kind, outcome) in PROBES {
                let Some(probe) = container.get(field) else {
                    continue;
                };
                for handler in HANDLERS {
                    let Some((key, port)) = probe.get(handler).and_then(|h| h.entry("port")) else {
                        continue;
                    };
                    let probe = ProbePort {
                        container,
                        kind: probe_kind,
                        outcome,
                        range: key.range().cover(port.range()),
                        value: port.range(),
                    };
                    if let Some(number) = port.as_i64() {
                        probe.check_number(pod, number, cx);
                    } else if let Some(name) = port.as_string() {
                        // Invalid names are rejected by the API: probe-handler-invalid's.
                        if names::port_name(name).is_ok() {
                            probe.check_name(name, cx);
                        }
                    }
                }
            }
        }
    }
}

/// One probe's `port` and where it sits.
struct ProbePort<'d, 'src> {
    container: Container<'d, 'src>,
    kind: &'static str,
    outcome: &'static str,
    /// `port: value`, what the finding points at.
    range: TextRange,
    /// The value alone, what a fix replaces.
    value: TextRange,
}

impl ProbePort<'_, '_> {
    fn check_name(&self, name: &str, cx: &mut Context<'_>) {
        let declared: Vec<_> = self
            .container
            .ports()
            .filter_map(|p| p.get("name")?.as_str())
            .collect();
        if declared.contains(&name) {
            return;
        }
        let who = self.container.who();
        let d = cx.report(
            self.range,
            format!(
                "the {} probe of {who} uses the port name `{name}`, but the container declares no port of that name; the kubelet looks names up in the probed container's own `ports`, so the probe fails every time and {}",
                self.kind, self.outcome
            ),
        );
        match closest(name, &declared) {
            Some(close) => {
                d.help(format!("did you mean `{close}`?")).fix(Fix::unsafe_(
                    format!("Probe port `{close}`"),
                    vec![Edit::replace(self.value, close)],
                ));
            }
            None => {
                d.help(format!("name the port the process listens on (`- name: {name}` with its `containerPort` under `ports`), or use a declared name or the port number"));
            }
        }
        if let Some(ports) = self.ports_key() {
            d.label(ports, format!("{who} declares its ports here"));
        }
    }

    fn check_number(&self, pod: &Pod<'_, '_>, number: i64, cx: &mut Context<'_>) {
        if declares(self.container, number).is_some() {
            return;
        }
        let who = self.container.who();
        // The Pod shares one network namespace: another container may own the port.
        let owner = pod
            .containers()
            .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar())
            .find_map(|c| Some((c, declares(c, number)?)));
        if let Some((owner, port)) = owner {
            let other = owner.describe();
            cx.report(
                self.range,
                format!(
                    "the {} probe of {who} checks port {number}, which {other} declares; containers in a Pod share one network, so this probe really tests {other}'s process while its verdict applies to {who}",
                    self.kind
                ),
            )
            .label(port, format!("{other} declares {number} here"))
            .help(format!("probe a port that {who} itself listens on, and declare it in its `ports`"));
        }
        // A number nobody declares is fine: `ports` is documentation, and the kubelet probes
        // the number whether it is listed or not.
    }

    /// The container's `ports:` key, when it has one.
    fn ports_key(&self) -> Option<TextRange> {
        self.container
            .node
            .entry("ports")
            .map(|(key, _)| key.range())
    }
}

/// The declared name `name` is most likely a misspelling of.
fn closest<'a>(name: &str, declared: &[&'a str]) -> Option<&'a str> {
    let mut near: Vec<_> = declared
        .iter()
        .map(|d| (strsim::damerau_levenshtein(name, d), *d))
        .filter(|(distance, d)| *distance <= 2.min(d.len() / 2))
        .collect();
    near.sort_unstable();
    match near.as_slice() {
        [(_, only)] => Some(*only),
        [(d0, first), (d1, _), ..] if d0 < d1 => Some(*first),
        _ => None,
    }
}

/// Where `container` declares `containerPort: number`.
fn declares(container: Container<'_, '_>, number: i64) -> Option<TextRange> {
    container.ports().find_map(|p: NodeRef<'_, '_>| {
        let (key, value) = p.entry("containerPort")?;
        (value.as_i64()? == number).then(|| key.range().cover(value.range()))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};

    const PORTS: &str = "  containers:\n  - name: app\n    image: a\n    ports:\n    - name: http\n      containerPort: 8080\n";

    #[test]
    fn probes_aim_at_declared_ports() {
        let by_name = pod(&format!("{PORTS}    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: http\n"));
        let by_number = pod(&format!(
            "{PORTS}    readinessProbe:\n      tcpSocket:\n        port: 8080\n"
        ));
        let exec = pod(&format!(
            "{PORTS}    livenessProbe:\n      exec:\n        command: [true]\n"
        ));
        let bad_name = pod(&format!("{PORTS}    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: htpp\n"));
        let undeclared = pod(&format!(
            "{PORTS}    startupProbe:\n      grpc:\n        port: 9090\n"
        ));
        let no_ports = pod("  containers:\n  - name: app\n    image: a\n    readinessProbe:\n      httpGet:\n        port: 80\n");
        RuleTest::new(&super::ProbePortNotExposed::META)
            .pass(&by_name)
            .pass(&by_number)
            .pass(&exec)
            .pass(&undeclared)
            .pass(&no_ports)
            .fail(&bad_name, &["port: htpp"])
            .run();
    }

    #[test]
    fn a_port_of_another_container_is_named() {
        let yaml = pod(&format!("{PORTS}  - name: sidecar\n    image: b\n    livenessProbe:\n      tcpSocket:\n        port: 8080\n"));
        let found = findings("probe-port-not-exposed", &yaml);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].1.contains("which container `app` declares"),
            "{found:?}"
        );
    }

    #[test]
    fn a_missing_name_is_worded_as_a_failure() {
        let name = findings(
            "probe-port-not-exposed",
            &pod(&format!(
                "{PORTS}    livenessProbe:\n      httpGet:\n        port: web\n"
            )),
        );
        assert!(name[0].1.contains("fails every time"), "{name:?}");
    }
}
