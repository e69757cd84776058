use crate::k8s::{Container, ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports the same `containerPort` and `protocol` declared twice in one Pod: in two
    /// containers, or twice in one.
    ///
    /// ## Why it matters in a Pod
    /// All containers of a Pod share one network namespace: one IP address, one set of ports,
    /// and they reach each other on `localhost`. Two containers cannot both listen on 8080 —
    /// the second one fails to bind and crash-loops. The API server accepts the Pod (with a
    /// warning); the conflict shows up only when it runs.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app1
    ///   ports:
    ///   - containerPort: 8080
    /// - name: app2
    ///   ports:
    ///   - containerPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Give each container its own port (`containerPort: 8081` for `app2`) and configure the
    /// process inside to listen on it. Init containers are not counted: they finish before the
    /// app containers start.
    pub struct DuplicateContainerPort {
        name: "duplicate-container-port",
        category: ApiWarns,
        hook: Pod,
        fix: Never,
        summary: "Two containers of one Pod declare the same port",
    }
}

impl PodRule for DuplicateContainerPort {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut seen: Seen<(i64, &str), (TextRange, Container)> = Seen::new();
        // Regular containers and native sidecars run side by side; ordinary init containers
        // run alone, one after the other.
        let running = pod
            .containers()
            .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar());
        for container in running {
            for port in container.ports() {
                let Some(number_node) = port.get("containerPort") else {
                    continue;
                };
                let Some(number) = number_node.as_i64() else {
                    continue;
                };
                let protocol = port
                    .get("protocol")
                    .and_then(|p| p.as_str())
                    .unwrap_or("TCP");
                let range = port
                    .entry("containerPort")
                    .map_or(number_node.range(), |(k, v)| k.range().cover(v.range()));
                let key = (number, protocol);
                if let Some((first, first_container)) = seen.get(&key) {
                    // Containers are named in messages only, and compared by those names.
                    let who = container.describe();
                    let first_who = first_container.describe();
                    let message = if first_who == who {
                        format!("{who} declares port {number}/{protocol} twice")
                    } else {
                        format!(
                            "{who} declares port {number}/{protocol}, which {first_who} already uses; containers in a Pod share one network namespace, so only one of them can listen on it"
                        )
                    };
                    cx.report(range, message)
                        .label(*first, format!("{first_who} declares {number}/{protocol} here"))
                        .help("give each container its own port and make its process listen there, e.g. `containerPort: 8081`");
                } else {
                    seen.insert(key, (range, container));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn the_tutorials_port_conflict() {
        let conflict = pod("  containers:\n  - name: app1\n    image: a\n    ports:\n    - containerPort: 8080\n  - name: app2\n    image: b\n    ports:\n    - containerPort: 8080\n");
        let udp = pod("  containers:\n  - name: dns\n    image: a\n    ports:\n    - containerPort: 53\n    - containerPort: 53\n      protocol: UDP\n");
        let init = pod("  initContainers:\n  - name: i\n    image: a\n    ports:\n    - containerPort: 8080\n  containers:\n  - name: app\n    image: b\n    ports:\n    - containerPort: 8080\n");
        RuleTest::new(&super::DuplicateContainerPort::META)
            .pass(&udp)
            .pass(&init)
            .fail(&conflict, &["containerPort: 8080"])
            .run();
    }
}
