use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container port with a `hostIP` but no `hostPort`.
    ///
    /// ## Why it matters in a Pod
    /// `hostIP` picks the node address for a `hostPort`, like the `127.0.0.1` in Docker's
    /// `-p 127.0.0.1:8080:80`. Without a `hostPort` nothing is published on the node, so the
    /// `hostIP` does nothing; the API server accepts the Pod with a warning. Usually the
    /// `hostPort` was forgotten, or the `hostIP` is left over.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - containerPort: 8080
    ///   hostIP: 127.0.0.1
    /// ```
    ///
    /// ## How to fix
    /// Add the `hostPort` to publish on the node, or delete `hostIP`. To reach the Pod from
    /// elsewhere in the cluster, use a Service instead of host ports.
    pub struct HostIpWithoutHostPort {
        name: "host-ip-without-host-port",
        category: ApiWarns,
        hook: Pod,
        fix: Always,
        summary: "A container port sets hostIP without a hostPort",
    }
}

impl PodRule for HostIpWithoutHostPort {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for port in container.ports() {
                let Some((key, ip)) = port.entry("hostIP") else {
                    continue;
                };
                if ip.as_str().is_none_or(str::is_empty) {
                    continue;
                }
                if port.get("hostPort").and_then(|p| p.as_i64()).unwrap_or(0) != 0 {
                    continue;
                }
                let range = key.range().cover(ip.range());
                let whole_line = line_of(cx.source, range);
                cx.report(
                    range,
                    format!(
                        "{} sets `hostIP` on a port without `hostPort`, so nothing is published on the node",
                        container.describe()
                    ),
                )
                .help("add `hostPort:` to publish the port on that node address, or delete `hostIP`")
                .fix(crate::Fix::unsafe_(
                    "Delete `hostIP`",
                    vec![crate::Edit::delete(whole_line)],
                ));
            }
        }
    }
}

/// The whole line (with its newline) that holds `range`, when nothing else is on it;
/// else `range` itself.
fn line_of(source: &str, range: crate::text::TextRange) -> crate::text::TextRange {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..]
        .find('\n')
        .map_or(source.len(), |i| end + i + 1);
    let alone =
        source[line_start..start].trim().is_empty() && source[end..line_end].trim().is_empty();
    if alone {
        crate::text::range(line_start, line_end)
    } else {
        range
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_ip_needs_a_host_port() {
        let good = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 8080\n      hostPort: 8080\n      hostIP: 127.0.0.1\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 8080\n      hostIP: 127.0.0.1\n");
        RuleTest::new(&super::HostIpWithoutHostPort::META)
            .pass(&good)
            .fail(&bad, &["hostIP: 127.0.0.1"])
            .run();
    }
}
