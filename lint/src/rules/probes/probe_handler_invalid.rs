use crate::k8s::{names, ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::syntax::{NodeRef, ScalarType};

declare_rule! {
    /// ## What it does
    /// Reports a probe or lifecycle hook without exactly one action (`exec`, `httpGet`,
    /// `tcpSocket`, `grpc` for probes; `exec`, `httpGet`, `tcpSocket`, `sleep` for hooks), an
    /// `exec` with no `command`, a port that is neither 1–65535 nor a valid port name (a
    /// quoted `"8080"` is a *name*, and names need a letter), and an HTTP header name with
    /// characters other than letters, digits and `-`.
    ///
    /// ## Why it matters in a Pod
    /// A probe is the Pod's `HEALTHCHECK`, run by the kubelet from outside the container
    /// (except `exec`, which runs inside it). The kubelet needs exactly one way to check, and
    /// a port it can resolve: a number, or the `name` of one of the container's `ports`. The
    /// API server rejects the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet:
    ///     path: /healthz
    ///     port: "8080"
    ///   exec:
    ///     command: [cat, /tmp/healthy]
    /// ```
    ///
    /// ## How to fix
    /// Keep one action per probe. Write port numbers unquoted (`port: 8080`), or name the port
    /// under `ports` and use that name. The fix unquotes a quoted number.
    pub struct ProbeHandlerInvalid {
        name: "probe-handler-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A probe or lifecycle hook without exactly one valid action",
    }
}

const PROBE_ACTIONS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];
const HOOK_ACTIONS: &[&str] = &["exec", "httpGet", "tcpSocket", "sleep"];

impl PodRule for ProbeHandlerInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // Init containers (other than sidecars) and ephemeral containers may not have probes
        // or hooks at all; other rules say so.
        let probed = pod
            .containers()
            .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar());
        for container in probed {
            let who = container.who();
            for field in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some((key, probe)) = container.node.entry(field) {
                    let place = format_args!("{who}'s `{field}`");
                    check_handler(cx, &place, key, probe, PROBE_ACTIONS);
                }
            }
            let Some(lifecycle) = container.get("lifecycle") else {
                continue;
            };
            for hook in ["postStart", "preStop"] {
                if let Some((key, handler)) = lifecycle.entry(hook) {
                    let place = format_args!("{who}'s `{hook}` hook");
                    check_handler(cx, &place, key, handler, HOOK_ACTIONS);
                }
            }
        }
    }
}

fn check_handler(
    cx: &mut Context<'_>,
    // Written only into a message: most handlers have nothing to report.
    place: &dyn std::fmt::Display,
    key: NodeRef<'_, '_>,
    handler: NodeRef<'_, '_>,
    allowed: &[&str],
) {
    if !handler.is_mapping() {
        return;
    }
    let actions: Vec<_> = handler
        .entries()
        .filter(|(k, v)| k.as_str().is_some_and(|k| allowed.contains(&k)) && !v.is_null())
        .collect();
    match actions.as_slice() {
        [] => {
            let list = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            cx.report(key.range(), format!("{place} has no action"))
                .help(format!(
                    "give it one of {list}, e.g. `httpGet: {{path: /healthz, port: 8080}}`"
                ));
        }
        [(first, _), (second, _), ..] => {
            cx.report(second.range(), format!("{place} has more than one action"))
                .label(first.range(), "first action")
                .help("the kubelet runs exactly one check; keep one action and delete the others");
        }
        [(action, body)] => match action.as_str() {
            Some("exec") => {
                let empty = body
                    .get("command")
                    .is_none_or(|c| c.items().next().is_none());
                if empty && body.is_mapping() {
                    cx.report(
                        action.range(),
                        format!("{place} runs `exec` without a `command`"),
                    )
                    .help("list the command and its arguments, e.g. `command: [cat, /tmp/healthy]`; it runs inside the container, like `docker exec`");
                }
            }
            Some("httpGet") => {
                check_port(cx, place, *body);
                for header in body.get("httpHeaders").into_iter().flat_map(|h| h.items()) {
                    let Some(node) = header.get("name") else {
                        continue;
                    };
                    let Some(name) = node.as_str() else { continue };
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    {
                        cx.report(
                            node.range(),
                            format!("{place} sends a header named `{name}`, which is not a valid HTTP header name"),
                        )
                        .help("header names use letters, digits and `-`, e.g. `X-Probe`; put the value in `value`");
                    }
                }
            }
            Some("tcpSocket" | "grpc") => check_port(cx, place, *body),
            _ => {}
        },
    }
}

fn check_port(cx: &mut Context<'_>, place: &dyn std::fmt::Display, action: NodeRef<'_, '_>) {
    let Some(port) = action.get("port") else {
        return;
    };
    match port.scalar_type() {
        Some(ScalarType::Int) => {
            if let Some(n) = port.as_i64().filter(|n| !(1..=65535).contains(n)) {
                cx.report(
                    port.range(),
                    format!("{place} checks port {n}, outside 1-65535"),
                )
                .help("use the port the process listens on, e.g. `port: 8080`");
            }
        }
        Some(ScalarType::String) => {
            let Some(name) = port.as_str() else { return };
            let Err(why) = names::port_name(name) else {
                return;
            };
            let d = cx.report(
                port.range(),
                format!("{place} checks port `{name}`, which is neither a port number nor a valid port name: {why}"),
            );
            match name.parse::<u16>() {
                Ok(number) if number > 0 => {
                    d.help(
                        "a quoted number is read as a port *name*; write the number without quotes",
                    )
                    .fix(crate::Fix::safe(
                        format!("Use port number {number}"),
                        vec![crate::Edit::replace(port.range(), number.to_string())],
                    ));
                }
                _ => {
                    d.help("use a port number, or the `name` of one of the container's `ports` (lowercase letters, digits, `-`, at most 15)");
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    const RULE: &str = "probe-handler-invalid";

    fn app(fields: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n{fields}"
        ))
    }

    #[test]
    fn one_valid_action_per_probe() {
        let good = app("    ports:\n    - {name: http, containerPort: 8080}\n    livenessProbe:\n      httpGet: {path: /healthz, port: http, httpHeaders: [{name: X-Probe, value: k}]}\n    readinessProbe:\n      tcpSocket: {port: 8080}\n    lifecycle:\n      preStop:\n        sleep: {seconds: 5}\n");
        let bad = app("    livenessProbe:\n      httpGet: {path: /, port: \"8080\"}\n      exec: {command: [true]}\n    readinessProbe:\n      periodSeconds: 5\n    startupProbe:\n      exec: {command: []}\n    lifecycle:\n      postStart:\n        httpGet: {path: /, port: 0, httpHeaders: [{name: \"X Probe\", value: k}]}\n");
        RuleTest::new(&super::ProbeHandlerInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &["exec", "readinessProbe", "exec", "0", "\"X Probe\""],
            )
            .run();
    }

    #[test]
    fn a_quoted_number_is_a_name_and_the_fix_unquotes_it() {
        let text = app("    livenessProbe:\n      tcpSocket: {port: \"8080\"}\n");
        let found = crate::lint(&text, &crate::Settings::only(&[RULE]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_ref().unwrap().edits[0].replacement, "8080");
    }
}
