use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::insert_entry;
use crate::rules::spec_values::{closest_value, value_fix};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `securityContext.procMount` is not `Default` or `Unmasked`,
    /// and an `Unmasked` one in a Pod that does not set `hostUsers: false`.
    ///
    /// ## Why it matters in a Pod
    /// Container runtimes hide parts of `/proc` (`/proc/kcore`, `/proc/sys`, …) from the
    /// container, as Docker does by default. `procMount: Unmasked` shows them, which only
    /// makes sense for nested containers (building images inside a Pod) and is safe only when
    /// the Pod runs in its own user namespace, where root in the container is not root on the
    /// node. The API server therefore requires `hostUsers: false` with it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   - name: builder
    ///     securityContext:
    ///       procMount: Unmasked
    /// ```
    ///
    /// ## How to fix
    /// Remove `procMount` (it defaults to `Default`), or add `hostUsers: false` to the Pod's
    /// `spec` when the container really needs the unmasked `/proc`.
    pub struct ProcMountInvalid {
        name: "proc-mount-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "procMount is not Default/Unmasked, or Unmasked without hostUsers: false",
        owns: [("SecurityContext", "procMount")],
    }
}

const TYPES: &[&str] = &["Default", "Unmasked"];

impl PodRule for ProcMountInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let own_user_namespace = pod.spec.get("hostUsers").and_then(|h| h.as_bool()) == Some(false);
        let shares_host = ["hostNetwork", "hostPID", "hostIPC"]
            .iter()
            .any(|f| pod.spec.get(f).and_then(|v| v.as_bool()) == Some(true));
        for container in pod.containers() {
            let Some((key, value)) = container
                .get("securityContext")
                .and_then(|s| s.entry("procMount"))
            else {
                continue;
            };
            let Some(text) = value.as_string().filter(|t| !t.is_empty()) else {
                continue;
            };
            let who = container.who();
            let source = cx.source;
            if !TYPES.contains(&text) {
                let near = closest_value(text, TYPES);
                let d = cx.report(
                    value.range(),
                    format!("{who} has `procMount: {text}`, which is not a proc mount type"),
                );
                d.help("`procMount` is `Default` (the runtime masks parts of /proc) or `Unmasked`; leave it out for `Default`");
                if let Some((to, case_only)) = near {
                    d.fix(value_fix(source, value, to, case_only));
                }
            } else if text == "Unmasked" && !own_user_namespace {
                let d = cx.report(
                    key.range().cover(value.range()),
                    format!("{who} asks for an unmasked /proc, which the API server allows only in a Pod with `hostUsers: false` (its own user namespace)"),
                );
                d.help("add `hostUsers: false` to the Pod's `spec`, or remove `procMount` if the container does not run nested containers");
                if !shares_host {
                    if let Some(edit) = insert_entry(source, pod.spec, "hostUsers", "false") {
                        d.fix(crate::Fix::unsafe_(
                            "Run the Pod in its own user namespace (`hostUsers: false`)",
                            vec![edit],
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn proc_mount(host_users: &str, value: &str) -> String {
        pod(&format!("{host_users}  containers:\n  - name: builder\n    image: a\n    securityContext:\n      procMount: {value}\n"))
    }

    #[test]
    fn unmasked_needs_a_user_namespace() {
        RuleTest::new(&super::ProcMountInvalid::META)
            .pass(proc_mount("", "Default"))
            .pass(proc_mount("  hostUsers: false\n", "Unmasked"))
            .fail(proc_mount("", "Unmasked"), &["procMount: Unmasked"])
            .fail(proc_mount("", "unmasked"), &["unmasked"])
            .run();
    }
}
