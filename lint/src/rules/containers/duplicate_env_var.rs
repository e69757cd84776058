use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;

declare_rule! {
    /// ## What it does
    /// Reports an `env` entry that repeats the name of an earlier entry of the same
    /// container. A later entry that builds on the earlier one through `$(NAME)` — such as
    /// `PATH` set to `/opt/bin:$(PATH)` — is left alone, as the API server does.
    ///
    /// ## Why it matters in a Pod
    /// As with `docker run -e A=1 -e A=2`, the last one wins and the first is silently
    /// ignored. Worse, `kubectl apply` merges `env` by name, so after an edit one of the two
    /// entries may be dropped from the live object. The API server accepts the Pod with a
    /// warning.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    /// - name: LOG_LEVEL
    ///   value: info
    /// - name: LOG_LEVEL
    ///   value: debug
    /// ```
    ///
    /// ## How to fix
    /// Keep one entry per name and delete the other.
    pub struct DuplicateEnvVar {
        name: "duplicate-env-var",
        category: ApiWarns,
        hook: Pod,
        fix: Never,
        summary: "An environment variable defined twice in one container",
    }
}

impl PodRule for DuplicateEnvVar {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let mut seen = Seen::new();
            for var in container.list("env") {
                let Some(node) = var.get("name") else {
                    continue;
                };
                let Some(name) = node.as_str() else { continue };
                let Some(first) = seen.get(name) else {
                    seen.insert(name, node.range());
                    continue;
                };
                let reference = format!("$({name})");
                let value = var.get("value").and_then(|v| v.as_str()).unwrap_or("");
                let builds_on_first = var.get("valueFrom").is_none()
                    && value != reference
                    && value.contains(&reference);
                if builds_on_first {
                    continue;
                }
                cx.report(
                    node.range(),
                    format!(
                        "{} sets `{name}` twice; this entry hides the earlier one",
                        container.describe()
                    ),
                )
                .label(*first, "first defined here")
                .help("keep one entry per name: the last one wins, and `kubectl apply` may drop one of them on the next change");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_repeated_name_is_flagged_unless_it_extends_the_first() {
        let extends = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: PATH\n      value: /bin\n    - name: PATH\n      value: /opt/bin:$(PATH)\n");
        let twice = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: LOG_LEVEL\n      value: info\n    - name: LOG_LEVEL\n      value: debug\n    - name: PATH\n      value: /bin\n    - name: PATH\n      value: $(PATH)\n");
        RuleTest::new(&super::DuplicateEnvVar::META)
            .pass(&extends)
            .fail(&twice, &["LOG_LEVEL", "PATH"])
            .run();
    }
}
