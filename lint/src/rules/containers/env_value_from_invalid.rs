use std::fmt::Display;

use crate::diagnostic::lazy;
use crate::k8s::{names, Pod};
use crate::quantity;
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports an `env[].valueFrom` the API server rejects: none or several of `fieldRef`,
    /// `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef`; a `valueFrom` next to a non-empty
    /// `value`; a `fieldRef.fieldPath` the downward API cannot give to a variable; a
    /// ConfigMap/Secret key or name in the wrong format; a `resourceFieldRef` resource or
    /// `divisor` that does not exist.
    ///
    /// ## Why it matters in a Pod
    /// Docker's `-e` only takes literal values. A Pod can also fill a variable from a
    /// ConfigMap or Secret key, or from the Pod itself (its name, namespace, IP, its own
    /// resource limits): the kubelet resolves `valueFrom` when it starts the container. Each
    /// variable gets exactly one source, and the API server rejects the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    /// - name: POD_LABELS
    ///   valueFrom:
    ///     fieldRef:
    ///       fieldPath: metadata.labels
    /// - name: DB_PASSWORD
    ///   value: changeme
    ///   valueFrom:
    ///     secretKeyRef: {name: db, key: password}
    /// ```
    ///
    /// ## How to fix
    /// Give each variable one source. A variable holds one value, so pick one label
    /// (`metadata.labels['app']`); whole label sets are available as files through a
    /// `downwardAPI` volume.
    pub struct EnvValueFromInvalid {
        name: "env-value-from-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "An env valueFrom with no, several or an invalid source",
    }
}

const SOURCES: &[&str] = &[
    "fieldRef",
    "resourceFieldRef",
    "configMapKeyRef",
    "secretKeyRef",
    "fileKeyRef",
];

/// What `fieldRef.fieldPath` may name in an environment variable.
const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

const CPU_DIVISORS: &[&str] = &["1m", "1"];
const BYTE_DIVISORS: &[&str] = &[
    "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
];

impl PodRule for EnvValueFromInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let who = container.who();
            for var in container.list("env") {
                let Some((key, from)) = var.entry("valueFrom") else {
                    continue;
                };
                if !from.is_mapping() {
                    continue;
                }
                let name = var.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let who = lazy(|f| write!(f, "{who}, variable `{name}`"));
                check_var(cx, &who, var, key, from);
            }
        }
    }
}

fn check_var(
    cx: &mut Context<'_>,
    who: &dyn Display,
    var: NodeRef<'_, '_>,
    key: NodeRef<'_, '_>,
    from: NodeRef<'_, '_>,
) {
    let sources: Vec<_> = from
        .entries()
        .filter(|(k, v)| k.as_str().is_some_and(|k| SOURCES.contains(&k)) && !v.is_null())
        .collect();
    if let Some(value) = var
        .get("value")
        .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    {
        cx.report(
            key.range(),
            format!("{who}: `valueFrom` may not be used together with a non-empty `value`"),
        )
        .label(value.range(), "literal value here")
        .help("keep `value` for a literal, like `docker run -e`, or `valueFrom` to read it from the Pod, a ConfigMap or a Secret; not both");
        return;
    }
    match sources.as_slice() {
        [] => {
            cx.report(
                key.range(),
                format!("{who}: `valueFrom` names no source"),
            )
            .help("add one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
        }
        [_, second, ..] => {
            cx.report(
                second.0.range(),
                format!("{who}: `valueFrom` has more than one source"),
            )
            .label(sources[0].0.range(), "first source")
            .help("a variable takes its value from exactly one place; move the other source to a variable of its own");
        }
        [(source, body)] => match source.as_str() {
            Some("fieldRef") => check_field_ref(cx, who, *body),
            Some("resourceFieldRef") => check_resource_ref(cx, who, *body),
            Some(kind @ ("configMapKeyRef" | "secretKeyRef")) => {
                check_key_ref(cx, who, kind, *source, *body)
            }
            _ => {}
        },
    }
}

fn check_field_ref(cx: &mut Context<'_>, who: &dyn Display, body: NodeRef<'_, '_>) {
    let Some(node) = body.get("fieldPath") else {
        return;
    };
    let Some(path) = node.as_string() else { return };
    let message = match path.split_once('[') {
        Some((base @ ("metadata.labels" | "metadata.annotations"), rest)) => {
            let key = rest
                .strip_suffix(']')
                .map(|k| k.trim_matches(|c| c == '\'' || c == '"'));
            match key.map(names::qualified_name) {
                Some(Ok(())) => return,
                Some(Err(why)) => format!("{who}: `{path}` names an invalid {} key: {why}", &base[9..base.len() - 1]),
                None => format!("{who}: `{path}` is not a valid subscript; write `{base}['key']`"),
            }
        }
        Some((base, _)) => format!("{who}: `{base}` does not support a `[…]` subscript"),
        None if ENV_FIELD_PATHS.contains(&path) => return,
        None if matches!(path, "metadata.labels" | "metadata.annotations") => format!(
            "{who}: `fieldPath: {path}` gives a whole map, which only a `downwardAPI` volume can hold; a variable takes one entry"
        ),
        None => format!("{who}: `fieldPath: {path}` is not available to environment variables"),
    };
    cx.report(node.range(), message).help(format!(
        "use one of {}, or `metadata.labels['key']` / `metadata.annotations['key']`",
        ENV_FIELD_PATHS
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
}

fn check_resource_ref(cx: &mut Context<'_>, who: &dyn Display, body: NodeRef<'_, '_>) {
    let Some(node) = body.get("resource") else {
        return;
    };
    let Some(resource) = node.as_string() else {
        return;
    };
    let hugepages = ["requests.hugepages-", "limits.hugepages-"]
        .iter()
        .any(|p| resource.starts_with(p));
    if !RESOURCES.contains(&resource) && !hugepages {
        cx.report(
            node.range(),
            format!("{who}: `resource: {resource}` is not a container resource the downward API exposes"),
        )
        .help("use `limits.cpu`, `limits.memory`, `limits.ephemeral-storage`, `requests.cpu`, `requests.memory`, `requests.ephemeral-storage` (or `requests.hugepages-<size>`)");
        return;
    }
    let Some(divisor_node) = body.get("divisor") else {
        return;
    };
    let Some(divisor) = divisor_node.as_str() else {
        return;
    };
    let Ok(parsed) = quantity::parse(divisor) else {
        return;
    };
    if parsed.is_zero() {
        return;
    }
    let allowed = if resource.ends_with(".cpu") {
        CPU_DIVISORS
    } else {
        BYTE_DIVISORS
    };
    let ok = allowed
        .iter()
        .any(|a| quantity::parse(a).is_ok_and(|q| q == parsed));
    if !ok {
        cx.report(
            divisor_node.range(),
            format!("{who}: `divisor: {divisor}` is not supported for `{resource}`"),
        )
        .help(format!("use one of {}", allowed.join(", ")));
    }
}

fn check_key_ref(
    cx: &mut Context<'_>,
    who: &dyn Display,
    kind: &str,
    source: NodeRef<'_, '_>,
    body: NodeRef<'_, '_>,
) {
    let object = if kind == "secretKeyRef" {
        "Secret"
    } else {
        "ConfigMap"
    };
    match body.get("name") {
        Some(node) => {
            if let Some(Err(why)) = node.as_str().map(names::dns1123_subdomain) {
                cx.report(
                    node.range(),
                    format!(
                        "{who}: `{}` is not a valid {object} name: {why}",
                        node.as_str().unwrap_or("")
                    ),
                )
                .help(format!("use the {object}'s `metadata.name`"));
            }
        }
        None if body.is_mapping() => {
            cx.report(source.range(), format!("{who}: `{kind}` names no {object}"))
                .help(format!("add `name:` with the {object}'s `metadata.name`"));
        }
        None => {}
    }
    if let Some(node) = body.get("key") {
        if let Some(key) = node.as_string().filter(|k| !k.is_empty()) {
            if key.len() > 253
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
            {
                cx.report(
                    node.range(),
                    format!("{who}: `{key}` is not a valid {object} key"),
                )
                .help("keys use letters, digits, `-`, `_` and `.` (at most 253), like file names in the ConfigMap's `data`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn env(vars: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n    env:\n{vars}"
        ))
    }

    #[test]
    fn one_valid_source_passes() {
        let good = env("    - name: A\n      valueFrom:\n        fieldRef: {fieldPath: \"metadata.labels['app']\"}\n    - name: B\n      valueFrom:\n        secretKeyRef: {name: db, key: pass.word}\n    - name: C\n      valueFrom:\n        resourceFieldRef: {resource: limits.memory, divisor: 1Mi}\n    - name: D\n      value: \"\"\n      valueFrom:\n        fieldRef: {fieldPath: status.podIP}\n");
        let bad = env("    - name: A\n      valueFrom:\n        fieldRef: {fieldPath: metadata.labels}\n    - name: B\n      value: x\n      valueFrom:\n        secretKeyRef: {name: db, key: p}\n    - name: C\n      valueFrom: {}\n    - name: D\n      valueFrom:\n        resourceFieldRef: {resource: limits.cpu, divisor: 1Mi}\n    - name: E\n      valueFrom:\n        configMapKeyRef: {name: My_Config, key: \"a/b\"}\n");
        RuleTest::new(&super::EnvValueFromInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "metadata.labels",
                    "valueFrom",
                    "valueFrom",
                    "1Mi",
                    "My_Config",
                    "\"a/b\"",
                ],
            )
            .run();
    }

    #[test]
    fn two_sources_point_at_the_second() {
        let bad = env("    - name: A\n      valueFrom:\n        fieldRef: {fieldPath: metadata.name}\n        secretKeyRef: {name: s, key: k}\n");
        RuleTest::new(&super::EnvValueFromInvalid::META)
            .fail(&bad, &["secretKeyRef"])
            .run_inline();
    }
}
