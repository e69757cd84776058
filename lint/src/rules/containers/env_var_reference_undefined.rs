use crate::k8s::{Container, Pod};
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `$(VAR)` reference in a container's `command`, `args` or `env[].value` that
    /// names no variable the container defines before it.
    ///
    /// ## Why it matters in a Pod
    /// Kubernetes, not a shell, replaces `$(VAR)` in these fields when it starts the
    /// container, from the variables listed in that container's own `env`. An `env` value
    /// sees only the variables listed above it; `command` and `args` see them all. A name
    /// Kubernetes cannot find is not an error: the text stays as it is, so the process
    /// receives the literal `$(DB_HOST)` and fails later in a confusing way. Variables are per
    /// container: one defined in a sibling container of the same Pod is not visible.
    ///
    /// The rule stays quiet for a container with `envFrom` (its variables come from a
    /// ConfigMap or Secret whose keys are unknown here), for names that Kubernetes injects
    /// for Services (`*_SERVICE_HOST`, `*_PORT`, …), and for all-lowercase names such as
    /// `$(date)` or `$(hostname)`, which are shell command substitutions when the command is
    /// `sh -c`. `$$(VAR)` is the escape for a literal `$(VAR)` and is never reported.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    ///   env:
    ///   - name: DB_URL
    ///     value: postgres://$(DB_HOST):5432/app
    ///   - name: DB_HOST
    ///     value: db.internal
    /// ```
    ///
    /// ## How to fix
    /// Define the variable in the same container, above the `env` entry that uses it (order
    /// matters), or fix the name's spelling. Write `$$(VAR)` when the process should receive
    /// the literal text.
    pub struct EnvVarReferenceUndefined {
        name: "env-var-reference-undefined",
        category: Correctness,
        hook: Pod,
        fix: Never,
        summary: "A `$(VAR)` reference names no variable defined before it, so it is left unexpanded",
    }
}

impl PodRule for EnvVarReferenceUndefined {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            if container.list("envFrom").next().is_some() {
                continue;
            }
            let env: Vec<(&str, NodeRef)> = env_names(&container).collect();
            let who = container.who();
            // `visible`: how many `env` entries the text sees; `later` starts after its own.
            let check = |node: NodeRef,
                         place: &dyn std::fmt::Display,
                         visible: usize,
                         later: usize,
                         cx: &mut Context| {
                let Some(text) = node.as_string() else { return };
                // Most values refer to nothing: no list to build for them.
                if !text.contains("$(") {
                    return;
                }
                for (name, nth) in references(text) {
                    if env[..visible].iter().any(|(n, _)| *n == name) || is_exempt(name) {
                        continue;
                    }
                    let range = locate(cx.source, node.range(), name, nth);
                    let later = env[later.min(env.len())..].iter().find(|(n, _)| *n == name);
                    // Where a missing variable lives instead: looked up only for a finding.
                    let own = who.to_string();
                    let elsewhere = pod
                        .containers()
                        .map(|c| (c.describe(), c))
                        .find(|(other, c)| *other != own && env_names(c).any(|(n, _)| n == name));
                    let d = cx.report(
                        range,
                        format!("{who} refers to `$({name})` in {place}, but {}; Kubernetes leaves an unknown reference as it is, so the process receives the literal text `$({name})`",
                            if later.is_some() { format!("`{name}` is defined only further down its `env`, and an `env` value sees just the variables above it") } else { format!("defines no variable `{name}`") }),
                    );
                    if let Some((_, defined)) = later {
                        d.label(
                            defined.range(),
                            format!("`{name}` is defined here, after its use"),
                        )
                        .help(format!(
                            "move the `{name}` entry above the one that uses it"
                        ));
                    } else if let Some((other, _)) = elsewhere {
                        d.help(format!("`{name}` is defined in {other}, but each container has its own environment: define it in {who} too"));
                    } else if let Some(close) = closest(name, env.iter().map(|(n, _)| *n)) {
                        d.help(format!("did you mean `$({close})`?"));
                    } else {
                        d.help(format!("add `- name: {name}` to {who}'s `env`, or write `$$({name})` if the process should receive the literal text"));
                    }
                }
            };
            for field in ["command", "args"] {
                for item in container.list(field) {
                    check(item, &format_args!("`{field}`"), env.len(), env.len(), cx);
                }
            }
            // An `env` value sees only the named entries above it (counted as we go: a
            // recount per entry is quadratic in a long `env`).
            let mut visible = 0;
            for var in container.list("env") {
                let name = var.get("name").and_then(|n| n.as_str());
                if let Some(value) = var.get("value") {
                    match name {
                        Some(n) => {
                            let place = format_args!("the value of `{n}`");
                            check(value, &place, visible, visible + 1, cx);
                        }
                        None => check(value, &"an `env` value", visible, visible, cx),
                    }
                }
                visible += usize::from(name.is_some());
            }
        }
    }
}

/// The `(name, name node)` of each `env` entry, in order.
fn env_names<'d, 'src>(
    container: &Container<'d, 'src>,
) -> impl Iterator<Item = (&'d str, NodeRef<'d, 'src>)> + 'd {
    container.list("env").filter_map(|var| {
        let node = var.get("name")?;
        Some((node.as_str()?, node))
    })
}

/// Each `$(NAME)` Kubernetes would try to expand in `text`, with how many identical
/// references precede it; `$$` is an escaped `$`, and a `$(` with no `)` is plain text.
fn references(text: &str) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => i += 2,
            Some(b'(') => match text[i + 2..].find(')') {
                Some(len) => {
                    let name = &text[i + 2..i + 2 + len];
                    if !name.is_empty() {
                        let nth = out.iter().filter(|(n, _)| *n == name).count();
                        out.push((name, nth));
                    }
                    i += len + 3;
                }
                None => break,
            },
            _ => i += 1,
        }
    }
    out
}

/// Names this rule never reports: shell command substitutions and Service variables.
fn is_exempt(name: &str) -> bool {
    let shell_like = name
        .bytes()
        .any(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        || !name.bytes().any(|b| b.is_ascii_uppercase());
    shell_like || is_service_variable(name)
}

/// Variables the kubelet injects for each Service in the namespace: `X_SERVICE_HOST`,
/// `X_SERVICE_PORT[_NAME]`, `X_PORT`, `X_PORT_80_TCP[_PROTO|_PORT|_ADDR]`.
fn is_service_variable(name: &str) -> bool {
    name.ends_with("_SERVICE_HOST")
        || name.contains("_SERVICE_PORT")
        || name.ends_with("_PORT")
        || name.contains("_PORT_")
}

/// The source range of the `nth` `$(name)` inside a scalar, or the whole scalar when escapes
/// or folding make the source differ from its value.
fn locate(source: &str, scalar: TextRange, name: &str, nth: usize) -> TextRange {
    let needle = format!("$({name})");
    let raw = &source[scalar];
    let found = raw.match_indices(&needle).map(|(i, _)| i).nth(nth);
    match found {
        Some(offset) => {
            let start = usize::from(scalar.start()) + offset;
            crate::text::range(start, start + needle.len())
        }
        None => scalar,
    }
}

/// The defined name closest to a misspelt one.
fn closest<'a>(name: &str, defined: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    defined
        .map(|d| (strsim::damerau_levenshtein(name, d), d))
        .filter(|(distance, d)| *distance > 0 && *distance <= 2.min(d.len() / 3))
        .min()
        .map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::references;
    use crate::rules::test::{findings, pod, RuleTest};

    #[test]
    fn references_follow_kubernetes_expansion() {
        assert_eq!(references("$(A) $$(B) $(A) $(C"), vec![("A", 0), ("A", 1)]);
        assert_eq!(references("$$$(A)"), vec![("A", 0)]);
        assert!(references("$() $ ( plain").is_empty());
    }

    #[test]
    fn references_need_an_earlier_definition() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    command: [\"/app\", \"--db=$(DB_HOST)\"]\n    args: [\"$$(NOT_EXPANDED)\", \"$(date)\", \"$(KUBERNETES_SERVICE_HOST)\"]\n    env:\n    - name: DB_HOST\n      value: db\n    - name: DB_URL\n      value: \"postgres://$(DB_HOST)/app\"\n");
        let env_from = pod("  containers:\n  - name: app\n    image: a\n    args: [\"$(FROM_CONFIG)\"]\n    envFrom:\n    - configMapRef: {name: settings}\n");
        let later = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: DB_URL\n      value: postgres://$(DB_HOST)/app\n    - name: DB_HOST\n      value: db\n");
        let typo = pod("  containers:\n  - name: app\n    image: a\n    args: [--url=$(DB_HOTS), --x=$(DB_HOTS)]\n    env:\n    - name: DB_HOST\n      value: db\n");
        let own = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: PATH\n      value: $(PATH):/opt/bin\n");
        let sibling = pod("  initContainers:\n  - name: setup\n    image: a\n    env:\n    - {name: TOKEN, value: t}\n  containers:\n  - name: app\n    image: a\n    command: [sh, -c, 'echo $(TOKEN)']\n");
        RuleTest::new(&super::EnvVarReferenceUndefined::META)
            .pass(&ok)
            .pass(&env_from)
            .fail(&later, &["$(DB_HOST)"])
            .fail(&typo, &["$(DB_HOTS)", "$(DB_HOTS)"])
            .fail(&sibling, &["$(TOKEN)"])
            .fail(&own, &["$(PATH)"])
            .run();
        let message = &findings("env-var-reference-undefined", &later)[0].1;
        assert!(message.contains("defined only further down"), "{message}");
    }
}
