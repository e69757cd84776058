use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::{Edit, Fix};

/// The transport protocols a container port can have.
const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];

/// Application protocols people write here by mistake, and the transport each runs over.
const APPLICATION: [(&str, &str); 7] = [
    ("HTTP", "TCP"),
    ("HTTPS", "TCP"),
    ("HTTP2", "TCP"),
    ("H2C", "TCP"),
    ("GRPC", "TCP"),
    ("QUIC", "UDP"),
    ("HTTP3", "UDP"),
];

declare_rule! {
    /// ## What it does
    /// Reports a port `protocol` other than `TCP`, `UDP` or `SCTP` (written exactly so, in
    /// capitals). Leaving `protocol` out is fine: it defaults to `TCP`.
    ///
    /// ## Why it matters in a Pod
    /// `protocol` is the transport protocol of the port in the Pod's network namespace, not
    /// the application protocol spoken over it: an HTTP or gRPC server listens on `TCP`. The
    /// API server accepts only the three exact values and rejects the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - containerPort: 8080
    ///   protocol: tcp
    /// - containerPort: 9000
    ///   protocol: HTTP
    /// ```
    ///
    /// ## How to fix
    /// Write `TCP`, `UDP` or `SCTP` in capitals; for HTTP, HTTPS and gRPC use `TCP` (or leave
    /// `protocol` out). The fix capitalises a value that only differs in case, and offers
    /// the transport of an application protocol (`HTTP` → `TCP`, `QUIC` → `UDP`).
    pub struct ContainerPortProtocolInvalid {
        name: "container-port-protocol-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A port protocol is not TCP, UDP or SCTP",
        owns: [("ContainerPort", "protocol")],
    }
}

impl PodRule for ContainerPortProtocolInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for port in container.ports() {
                let Some(node) = port.get("protocol") else {
                    continue;
                };
                // Empty is defaulted to TCP; a non-string is a type error of its own.
                let Some(protocol) = node.as_string().filter(|p| !p.is_empty()) else {
                    continue;
                };
                if PROTOCOLS.contains(&protocol) {
                    continue;
                }
                let who = container.who();
                let upper = protocol.to_ascii_uppercase();
                let d = cx.report(
                    node.range(),
                    format!("{who} declares a port with protocol `{protocol}`; a port's protocol must be `TCP`, `UDP` or `SCTP`"),
                );
                if let Some(exact) = PROTOCOLS.into_iter().find(|p| *p == upper) {
                    d.help(format!(
                        "protocol names are case-sensitive: write `{exact}`"
                    ))
                    .fix(Fix::safe(
                        format!("Write `{exact}`"),
                        vec![Edit::replace(node.range(), exact)],
                    ));
                } else if let Some((_, transport)) =
                    APPLICATION.into_iter().find(|(p, _)| *p == upper)
                {
                    d.help(format!("this is the transport protocol, not the application protocol: {protocol} runs over `{transport}`"))
                        .fix(Fix::unsafe_(
                            format!("Use `{transport}`"),
                            vec![Edit::replace(node.range(), transport)],
                        ));
                } else {
                    d.help("use `TCP` (the default, also for HTTP and gRPC), `UDP` or `SCTP`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn protocols_are_tcp_udp_or_sctp() {
        let ok = pod("  containers:\n  - name: dns\n    image: a\n    ports:\n    - containerPort: 53\n      protocol: UDP\n    - containerPort: 53\n      protocol: TCP\n    - containerPort: 80\n      protocol: \"\"\n    - containerPort: 81\n");
        let bad = pod("  containers:\n  - name: web\n    image: a\n    ports:\n    - containerPort: 80\n      protocol: tcp\n    - containerPort: 81\n      protocol: HTTP\n    - containerPort: 82\n      protocol: SMTP\n");
        RuleTest::new(&super::ContainerPortProtocolInvalid::META)
            .pass(&ok)
            .fail(&bad, &["tcp", "HTTP", "SMTP"])
            .run();
    }
}
