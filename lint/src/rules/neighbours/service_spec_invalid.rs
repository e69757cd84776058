use std::collections::HashMap;

use crate::k8s::names::{dns1123_label, dns1123_subdomain, port_name};
use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};
use crate::syntax::NodeRef;

/// The node ports a cluster hands out unless its API server is started with another range.
const NODE_PORTS: std::ops::RangeInclusive<i64> = 30000..=32767;
const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];
const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

declare_rule! {
    /// ## What it does
    /// Reports a Service (`v1`) the API server refuses: an unknown `type`; no `ports` on a
    /// Service that has a cluster IP; a port without a `name` when there are several, or
    /// with a name that is not a DNS label, or named twice; a `port`, `targetPort` or
    /// `nodePort` out of range or a `targetPort` name that is not a valid port name; a
    /// `protocol` other than TCP, UDP and SCTP; the same port and protocol twice; a `nodePort`
    /// on a ClusterIP Service or outside 30000–32767; `clusterIP: None` on a NodePort or
    /// LoadBalancer Service; an ExternalName Service without a valid `externalName` or with a
    /// cluster IP; `externalTrafficPolicy` or `loadBalancerSourceRanges` on a type that takes
    /// none.
    ///
    /// ## Why it matters in a Pod
    /// A Service gives a set of Pods one stable address: `port` is where clients connect,
    /// `targetPort` where the Pods listen, `nodePort` the port opened on every node for
    /// traffic from outside. When the Service is refused, the Pods run but nothing can reach
    /// them by name: other Pods' connections to `web:80` fail to resolve.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: ClusterIP
    ///   ports:
    ///   - port: 80           # two ports: each needs a name
    ///     nodePort: 30080    # only NodePort and LoadBalancer Services open node ports
    ///   - port: 443
    /// ```
    ///
    /// ## How to fix
    /// Name every port when there are several (`http`, `https`); keep numbers within
    /// 1–65535 and node ports within 30000–32767; use `type: NodePort` or `LoadBalancer`
    /// for node ports; give an ExternalName Service a host name such as `db.example.com`.
    pub struct ServiceSpecInvalid {
        name: "service-spec-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "A Service the API server refuses: port names, numbers, protocols, type-specific fields",
    }
}

impl ObjectRule for ServiceSpecInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.kind_name() != "Service" || object.api_version_name() != "v1" {
            return;
        }
        let Some((spec_key, spec)) = object.root.entry("spec").filter(|(_, s)| s.is_mapping())
        else {
            return;
        };
        let type_entry = spec.entry("type");
        let type_ = type_entry
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("ClusterIP");
        if let Some((key, value)) = type_entry {
            if !TYPES.contains(&type_) {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`type: {type_}` is no Service type; the API server accepts {}", TYPES.join(", ")),
                )
                .help("use `ClusterIP` (inside the cluster), `NodePort` or `LoadBalancer` (from outside), or `ExternalName` (a DNS alias)");
                return;
            }
        }
        let cluster_ip = spec.entry("clusterIP").filter(|(_, v)| !v.is_null());
        let headless = cluster_ip.and_then(|(_, v)| v.as_str()) == Some("None");
        let external = type_ == "ExternalName";
        let opens_node_ports = type_ == "NodePort" || type_ == "LoadBalancer";
        if external {
            external_name(spec, spec_key, cluster_ip, cx);
        }
        if headless && opens_node_ports {
            let (key, value) = cluster_ip.expect("headless");
            cx.report(
                key.range().cover(value.range()),
                format!("`clusterIP: None` is refused on a {type_} Service: traffic from outside reaches a node port, which forwards to the cluster IP a headless Service does not have"),
            )
            .help("remove `clusterIP: None`, or use `type: ClusterIP` for a headless Service");
        }
        for (field, allowed, who) in [
            (
                "externalTrafficPolicy",
                opens_node_ports,
                "NodePort and LoadBalancer",
            ),
            (
                "loadBalancerSourceRanges",
                type_ == "LoadBalancer",
                "LoadBalancer",
            ),
        ] {
            if let Some((key, value)) = spec.entry(field).filter(|(_, v)| !v.is_null()) {
                if !allowed {
                    cx.report(
                        key.range().cover(value.range()),
                        format!("`{field}` is refused on a {type_} Service: only {who} Services take traffic from outside the cluster"),
                    )
                    .help(format!("remove `{field}`, or change `type` to one that takes it"));
                }
            }
        }
        let ports = spec.entry("ports").filter(|(_, p)| p.is_sequence());
        let count = ports.map_or(0, |(_, p)| p.items().count());
        if count == 0 && !headless && !external {
            let range = ports.map_or(spec_key.range(), |(k, _)| k.range());
            cx.report(
                range,
                "a Service with a cluster IP needs at least one port; the API server refuses it without: clients connect to the cluster IP at a port",
            )
            .help("add `ports: [{port: 80, targetPort: 8080}]`, or `clusterIP: None` for a headless Service used only for DNS");
        }
        if let Some((_, ports)) = ports {
            check_ports(ports, count, opens_node_ports, type_, cx);
        }
    }
}

fn external_name(
    spec: NodeRef<'_, '_>,
    spec_key: NodeRef<'_, '_>,
    cluster_ip: Option<(NodeRef<'_, '_>, NodeRef<'_, '_>)>,
    cx: &mut Context<'_>,
) {
    match spec.entry("externalName") {
        None => {
            cx.report(
                spec_key.range(),
                "an ExternalName Service needs `externalName`; the API server refuses it without: the Service is a DNS alias for that host",
            )
            .help("add `externalName: db.example.com`");
        }
        Some((key, value)) => {
            let host = value.as_str().unwrap_or("");
            let host = host.strip_suffix('.').unwrap_or(host);
            if let Err(why) = dns1123_subdomain(host) {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`externalName` must be a lowercase DNS name such as `db.example.com`, and {why}; the API server refuses it"),
                )
                .help("write a host name, not a URL or an IP address");
            }
        }
    }
    if let Some((key, value)) = cluster_ip.filter(|(_, v)| v.as_str() != Some("")) {
        cx.report(
            key.range().cover(value.range()),
            "an ExternalName Service has no cluster IP; the API server refuses `clusterIP` on it: the name resolves to the external host instead",
        )
        .help("remove `clusterIP`");
    }
}

fn check_ports(
    ports: NodeRef<'_, '_>,
    count: usize,
    opens_node_ports: bool,
    type_: &str,
    cx: &mut Context<'_>,
) {
    let mut names: HashMap<String, ()> = HashMap::new();
    let mut pairs: HashMap<(i64, String), ()> = HashMap::new();
    for port in ports.items().filter(|p| p.is_mapping()) {
        let protocol = port
            .get("protocol")
            .and_then(|p| p.as_str())
            .unwrap_or("TCP");
        match port.entry("name").filter(|(_, v)| !v.is_null()) {
            None if count > 1 => {
                cx.report(
                    port.head(),
                    "this Service has several ports, so each needs a `name`; the API server refuses an unnamed one: the name tells the ports apart in Endpoints and in an Ingress",
                )
                .help("add `name: http` (or another lowercase name) to each port");
            }
            Some((key, value)) => {
                let name = value.as_str().unwrap_or("");
                if let Err(why) = dns1123_label(name) {
                    cx.report(
                        key.range().cover(value.range()),
                        format!("the port name `{name}` is refused by the API server: {why}"),
                    )
                    .help("use lowercase letters, digits and `-`, such as `http` or `grpc-web`");
                } else if names.insert(name.to_string(), ()).is_some() {
                    cx.report(
                        key.range().cover(value.range()),
                        format!("the port name `{name}` is used twice in this Service; the API server refuses repeated names"),
                    )
                    .help("give each port its own name");
                }
            }
            None => {}
        }
        if let Some((key, value)) = port.entry("protocol") {
            if !PROTOCOLS.contains(&protocol) {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`protocol: {protocol}` is refused by the API server: a Service forwards TCP, UDP or SCTP (HTTP and gRPC run over TCP)"),
                )
                .help("write `TCP`, or leave `protocol` out (TCP is the default)");
            }
        }
        if let Some((key, value)) = port.entry("port") {
            if let Some(n) = value.as_i64() {
                if !(1..=65535).contains(&n) {
                    cx.report(
                        key.range().cover(value.range()),
                        format!("`port: {n}` is refused by the API server: a port number is between 1 and 65535"),
                    )
                    .help("write the port clients connect to, between 1 and 65535");
                } else if pairs.insert((n, protocol.to_string()), ()).is_some() {
                    cx.report(
                        key.range().cover(value.range()),
                        format!("port {n}/{protocol} is listed twice in this Service; the API server refuses it: one address can forward to one place"),
                    )
                    .help("remove the repeated port, or give it another number or protocol");
                }
            }
        }
        if let Some((key, value)) = port.entry("targetPort") {
            let range = key.range().cover(value.range());
            if let Some(n) = value.as_i64() {
                if !(0..=65535).contains(&n) {
                    cx.report(range, format!("`targetPort: {n}` is refused by the API server: a port number is between 1 and 65535"))
                        .help("write the port the container listens on");
                }
            } else if let Some(name) = value.as_string() {
                if let Err(why) = port_name(name) {
                    cx.report(range, format!("`targetPort: {name}` is neither a port number nor a valid port name ({why}); the API server refuses it"))
                        .help("write the container's port number, or the `name` of one of its `ports`");
                }
            }
        }
        if let Some((key, value)) = port.entry("nodePort").filter(|(_, v)| !v.is_null()) {
            let range = key.range().cover(value.range());
            let Some(n) = value.as_i64() else {
                continue;
            };
            if n == 0 {
                continue;
            }
            if !opens_node_ports {
                cx.report(
                    range,
                    format!("`nodePort` is refused on a {type_} Service: only NodePort and LoadBalancer Services open a port on every node"),
                )
                .help("remove `nodePort`, or set `type: NodePort`");
            } else if !NODE_PORTS.contains(&n) {
                cx.report(
                    range,
                    format!("`nodePort: {n}` is outside the node-port range (30000-32767 unless the cluster sets another); the API server refuses it"),
                )
                .help("pick a port between 30000 and 32767, or leave `nodePort` out to get a free one");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn service(spec: &str) -> String {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n{spec}")
    }

    #[test]
    fn services() {
        RuleTest::new(&super::ServiceSpecInvalid::META)
            .pass(service("  ports:\n  - port: 80\n    targetPort: http\n"))
            .pass(service("  type: NodePort\n  ports:\n  - {name: http, port: 80, nodePort: 30080}\n  - {name: https, port: 443}\n"))
            .pass(service("  clusterIP: None\n"))
            .pass("apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com.\n")
            .fail(service("  ports:\n  - port: 80\n  - port: 443\n"), &["port: 80", "port: 443"])
            .fail(service("  ports:\n  - {name: HTTP, port: 80, nodePort: 30080}\n"), &["name: HTTP", "nodePort: 30080"])
            .fail(service("  type: NodePort\n  ports:\n  - {port: 70000, protocol: HTTP, nodePort: 8080, targetPort: my_port}\n"), &["port: 70000", "protocol: HTTP", "nodePort: 8080", "targetPort: my_port"])
            .fail(service("  ports:\n  - {name: a, port: 80}\n  - {name: a, port: 80}\n"), &["name: a", "port: 80"])
            .fail(service("  type: LoadBalancer\n  clusterIP: None\n  ports: [{port: 80}]\n"), &["clusterIP: None"])
            .fail(service("  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n"), &["externalTrafficPolicy: Local"])
            .fail(service("  type: ClusterIp\n"), &["type: ClusterIp"])
            .fail(service("  ports: []\n"), &["ports"])
            .fail("apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: https://db.example.com\n  clusterIP: 10.0.0.1\n", &["externalName: https://db.example.com", "clusterIP: 10.0.0.1"])
            .run();
    }
}
