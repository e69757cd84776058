use std::collections::HashMap;

use crate::k8s::{Container, ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports the same `hostPort` (with the same `protocol` and `hostIP`) declared twice
    /// among a Pod's app containers, or twice within one init container.
    ///
    /// ## Why it matters in a Pod
    /// `containerPort` lives in the Pod's own network namespace, but `hostPort` opens a port
    /// on the node itself and forwards it to the Pod. A node has each port once, so only one
    /// Pod per node can hold a given host port — and two containers of the same Pod cannot
    /// both claim it. The API server rejects the Pod. Init containers run one at a time, so
    /// each is checked on its own.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: web
    ///   ports:
    ///   - containerPort: 8080
    ///     hostPort: 80
    /// - name: admin
    ///   ports:
    ///   - containerPort: 9000
    ///     hostPort: 80
    /// ```
    ///
    /// ## How to fix
    /// Give each container its own `hostPort`, or drop `hostPort` and reach the Pod through a
    /// Service, which needs no port on the node.
    pub struct HostPortConflict {
        name: "host-port-conflict",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "Two containers of one Pod claim the same host port",
    }
}

/// `protocol/hostIP/hostPort`, as the API server compares them (protocol defaulted to TCP).
type HostPortKey<'a> = (&'a str, &'a str, i64);

impl PodRule for HostPortConflict {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // App containers run together and share the claims; each init container runs alone.
        let mut together = HashMap::new();
        for container in pod.containers_of(ContainerKind::Regular) {
            check(container, &mut together, cx);
        }
        for container in pod.containers_of(ContainerKind::Init) {
            check(container, &mut HashMap::new(), cx);
        }
    }
}

fn check<'d>(
    container: Container<'d, '_>,
    seen: &mut HashMap<HostPortKey<'d>, (TextRange, String)>,
    cx: &mut Context<'_>,
) {
    let mut described = None;
    for port in container.ports() {
        let Some((key_node, value)) = port.entry("hostPort") else {
            continue;
        };
        let Some(number) = value.as_i64().filter(|n| *n != 0) else {
            continue;
        };
        let who: &String = described.get_or_insert_with(|| container.describe());
        let protocol = port
            .get("protocol")
            .and_then(|p| p.as_str())
            .filter(|p| !p.is_empty())
            .unwrap_or("TCP");
        let host_ip = port.get("hostIP").and_then(|p| p.as_str()).unwrap_or("");
        let range = key_node.range().cover(value.range());
        let shown = match host_ip {
            "" => format!("{number}/{protocol}"),
            ip => format!("{ip}:{number}/{protocol}"),
        };
        match seen.get(&(protocol, host_ip, number)) {
            Some((first, first_who)) => {
                let message = if first_who == who {
                    format!("{who} claims host port {shown} twice")
                } else {
                    format!("{who} claims host port {shown}, which {first_who} already claims")
                };
                cx.report(range, format!("{message}; hostPort binds that port on the node itself, so only one Pod per node — and one container in it — can use it"))
                    .label(*first, format!("{first_who} claims {shown} here"))
                    .help("give each container its own `hostPort`, or drop `hostPort` and reach the Pod through a Service");
            }
            None => {
                seen.insert((protocol, host_ip, number), (range, who.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_ports_are_claimed_once() {
        let distinct = pod("  containers:\n  - name: a\n    image: a\n    ports:\n    - containerPort: 53\n      hostPort: 53\n    - containerPort: 53\n      hostPort: 53\n      protocol: UDP\n  - name: b\n    image: b\n    ports:\n    - containerPort: 8080\n      hostPort: 80\n      hostIP: 10.0.0.1\n    - containerPort: 8081\n      hostPort: 80\n      hostIP: 10.0.0.2\n    - containerPort: 9000\n      hostPort: 0\n    - containerPort: 9001\n      hostPort: 0\n");
        let init_apart = pod("  initContainers:\n  - name: setup\n    image: a\n    ports:\n    - containerPort: 80\n      hostPort: 80\n  containers:\n  - name: app\n    image: b\n    ports:\n    - containerPort: 80\n      hostPort: 80\n");
        let across = pod("  containers:\n  - name: web\n    image: a\n    ports:\n    - containerPort: 8080\n      hostPort: 80\n  - name: admin\n    image: b\n    ports:\n    - containerPort: 9000\n      hostPort: 80\n      protocol: TCP\n");
        let in_init = pod("  initContainers:\n  - name: setup\n    image: a\n    ports:\n    - containerPort: 80\n      hostPort: 80\n    - containerPort: 81\n      hostPort: 80\n  containers:\n  - name: app\n    image: b\n");
        RuleTest::new(&super::HostPortConflict::META)
            .pass(&distinct)
            .pass(&init_apart)
            .fail(&across, &["hostPort: 80"])
            .fail(&in_init, &["hostPort: 80"])
            .run();
    }
}
