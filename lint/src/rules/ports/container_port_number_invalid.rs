use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container port whose `containerPort` is missing, `0` or outside 1–65535, and
    /// a `hostPort` outside 1–65535. A `hostPort` of `0` (or none) means "no host port" and is
    /// fine.
    ///
    /// ## Why it matters in a Pod
    /// `containerPort` says which port the container's process listens on inside the Pod's
    /// network namespace; Services and probes use it to reach the process. A TCP or UDP port
    /// number is 16 bits, so only 1–65535 exist, and the API server rejects the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   ports:
    ///   - containerPort: 80800
    ///   - hostPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Set `containerPort` to the port the process really listens on (`8080`), and give every
    /// entry of `ports` one. Leave `hostPort` out unless the node's own port must be opened.
    pub struct ContainerPortNumberInvalid {
        name: "container-port-number-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A containerPort is missing or outside 1-65535, or a hostPort is out of range",
    }
}

impl PodRule for ContainerPortNumberInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let who = container.who();
            for port in container.ports().filter(|p| p.is_mapping()) {
                match port.entry("containerPort") {
                    None => {
                        cx.report(
                            port.head(),
                            format!("this port of {who} has no `containerPort`; every entry of `ports` must say which port the process listens on"),
                        )
                        .help("add `containerPort:` with the port your process listens on, e.g. `containerPort: 8080`");
                    }
                    Some((_, value)) if value.is_null() => {
                        cx.report(
                            port.entry_range("containerPort").unwrap_or(port.range()),
                            format!("{who} declares a port with an empty `containerPort`; every entry of `ports` must say which port the process listens on"),
                        )
                        .help("set it to the port your process listens on, e.g. `containerPort: 8080`");
                    }
                    Some((_, value)) => {
                        if let Some(number) = value.as_i64().filter(|n| !is_port(*n)) {
                            let why = if number == 0 {
                                "0 is not a port a process can listen on".to_string()
                            } else {
                                format!("{number} is outside 1–65535, the only port numbers TCP and UDP have")
                            };
                            cx.report(
                                port.entry_range("containerPort").unwrap_or(port.range()),
                                format!("{who} declares containerPort {number}: {why}"),
                            )
                            .help("use the port your process listens on, between 1 and 65535");
                        }
                    }
                }
                let host_port = port.get("hostPort").and_then(|v| v.as_i64());
                if let Some(number) = host_port.filter(|n| *n != 0 && !is_port(*n)) {
                    cx.report(
                        port.entry_range("hostPort").unwrap_or(port.range()),
                        format!("{who} declares hostPort {number}, outside 1–65535, the only port numbers TCP and UDP have"),
                    )
                    .help("use a port between 1 and 65535, or remove `hostPort` if the node's own port need not be opened (most Pods are reached through a Service instead)");
                }
            }
        }
    }
}

fn is_port(number: i64) -> bool {
    (1..=65535).contains(&number)
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn ports_are_1_to_65535() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 8080\n      hostPort: 0\n    - containerPort: 65535\n      hostPort: 80\n    - containerPort: \"8080\"\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 80800\n    - containerPort: 0\n    - name: http\n      protocol: TCP\n    - containerPort:\n    - containerPort: 80\n      hostPort: -1\n");
        RuleTest::new(&super::ContainerPortNumberInvalid::META)
            .pass(&ok)
            .fail(
                &bad,
                &[
                    "containerPort: 80800",
                    "containerPort: 0",
                    "name: http",
                    "containerPort",
                    "hostPort: -1",
                ],
            )
            .run();
    }
}
