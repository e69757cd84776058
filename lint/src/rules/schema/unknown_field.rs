use std::collections::HashSet;

use crate::diagnostic::{Edit, Fix};
use crate::k8s::Object;
use crate::rule::{Context, SchemaRule};
use crate::schema::walk::{Place, Visitor};
use crate::schema::{type_named, Field, Item, Shape, TypeRef};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a key that the Kubernetes API does not know at that place: a typo
    /// (`contianers`, `imgae`, `readinessprobe`), a field written at the wrong level (`ports`
    /// directly under the pod's `spec`, `image` under `metadata`, `privileged` in the pod's
    /// `securityContext`), or a field newer than the Kubernetes version you target
    /// (`--kubernetes-version`, default the newest podlint knows).
    ///
    /// ## Why it matters in a Pod
    /// `kubectl apply` and `kubectl create` validate strictly by default (`--validate=strict`,
    /// done by the API server since Kubernetes 1.27): the object is rejected with
    /// `strict decoding error: unknown field`. Clients that do not ask for strict validation
    /// (Helm, Argo CD, Flux, `--validate=warn`) get the API server's default: a warning, and
    /// the field is dropped, so the setting silently has no effect: a misspelt `readinessProbe` means the Pod gets traffic before it is
    /// ready, a misspelt `containers` means the Pod has none, and `privileged: false` in the
    /// pod-level `securityContext` restricts nothing — that setting exists only per container.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     allowPrivilegeEscalation: false   # a container setting
    ///   containers:
    ///   - name: app
    ///     imgae: nginx:1.25                 # typo
    ///     readinessprobe:                    # wrong case
    ///       httpGet: {path: /, port: 80}
    /// ```
    ///
    /// ## How to fix
    /// Rename the key as suggested (the fix does it; it is safe when the match is certain:
    /// only the case differs, or one clear candidate is one or two letters away), or move
    /// the field where the message says it belongs. For a field your Kubernetes version does
    /// not have yet, upgrade the cluster or drop the field.
    pub struct UnknownField {
        name: "unknown-field",
        category: ApiWarns,
        hook: Schema,
        fix: Sometimes,
        summary: "A key the Kubernetes API does not know at that place",
    }
}

/// Why the server ignores it, said once per message.
const DROPPED: &str = "`kubectl apply` rejects the object (its `--validate=strict` default); clients that leave validation to the API server (Helm, Argo CD, Flux) get a warning and the field is dropped, so the setting has no effect";

impl SchemaRule for UnknownField {
    fn visitor<'c, 'a, 'd, 's>(
        &self,
        _: &'c Object<'d, 's>,
        cx: &'c mut Context<'a>,
    ) -> Box<dyn Visitor<'d, 's> + 'c> {
        let minor = cx.settings.kubernetes_minor;
        Box::new(Check {
            cx,
            minor,
            mapping: None,
        })
    }
}

struct Check<'c, 'a, 'd, 'src> {
    cx: &'c mut Context<'a>,
    minor: u8,
    /// The mapping whose entries the walker is at.
    mapping: Option<NodeRef<'d, 'src>>,
}

impl<'d, 'src> Visitor<'d, 'src> for Check<'_, '_, 'd, 'src> {
    fn object(&mut self, node: NodeRef<'d, 'src>, _: Option<NodeRef<'d, 'src>>, _: &Place) {
        self.mapping = Some(node);
    }

    fn field(&mut self, key: NodeRef<'d, 'src>, _: NodeRef<'d, 'src>, field: &Field, at: &Place) {
        if field.exists_in(self.minor) {
            return;
        }
        let name = field.name;
        let whose = on_what(at);
        let minor = self.minor;
        let message = if field.since_minor > minor {
            format!(
                "`{name}` {whose} needs Kubernetes 1.{}+, you target 1.{minor}",
                field.since_minor
            )
        } else {
            format!(
                "`{name}` {whose} was removed after Kubernetes 1.{}, you target 1.{minor}",
                field.until_minor
            )
        };
        let mut help = format!(
            "{DROPPED} on 1.{minor}; remove it, or pass `--kubernetes-version` with your cluster's version if it is newer"
        );
        if let Some(home) = belongs_elsewhere(name, at, minor) {
            help.push_str(&format!(". In 1.{minor}, `{name}` belongs {home}"));
        }
        self.cx.report(key.range(), message).help(help);
    }

    fn unknown(&mut self, key: NodeRef<'d, 'src>, value: NodeRef<'d, 'src>, at: &Place) {
        let text = self.cx.text(key.range()).to_string();
        let name = key.as_str().unwrap_or(&text);
        let owner = at.describe();
        let minor = self.minor;

        if let Some(container_only) = container_security_field(name, at) {
            self.cx
                .report(
                    key.range(),
                    format!("`{name}` is a per-container setting; the pod-level `securityContext` has no such field"),
                )
                .help(format!(
                    "{DROPPED}. Move it to each container's `securityContext` (`containers[].securityContext.{container_only}`): \
                     the pod-level one holds only what all containers share (runAsUser, runAsNonRoot, fsGroup, seccompProfile…)"
                ));
            return;
        }

        if let Some((field, how)) = compose_habit(name, value, at) {
            self.cx
                .report(
                    key.range(),
                    format!(
                        "`{name}` is Docker Compose, not Kubernetes: a container's is `{field}`"
                    ),
                )
                .help(format!("{DROPPED}; {how}"));
            return;
        }

        let near = closest(name, at.ty, minor);
        let elsewhere = || belongs_elsewhere(name, at, minor);
        let (message, help, fix) = match near {
            Some(m) if m.case_only || m.distance == 1 => typo(name, m, key, &owner),
            _ => match elsewhere() {
                Some(home) => (
                    format!("`{name}` is not a field of {owner}; it belongs {home}"),
                    format!("{DROPPED}; move it there"),
                    None,
                ),
                None => match near {
                    Some(m) => typo(name, m, key, &owner),
                    None => (
                        format!("`{name}` is not a field of {owner}"),
                        format!(
                            "{DROPPED}; check the spelling (`kubectl explain` lists the fields of a {})",
                            at.ty.short_name()
                        ),
                        None,
                    ),
                },
            },
        };
        let d = self.cx.report(key.range(), message);
        d.help(help);
        if let Some((fix, to)) = fix {
            // Renaming onto a key that is already there would only make a duplicate.
            let taken = self.mapping.is_some_and(|m| m.get(&to).is_some());
            if !taken {
                d.fix(fix);
            }
        }
    }
}

/// The message, help and (fix, new name) for a key that is a misspelling of `m.name`.
fn typo(
    name: &str,
    m: Match,
    key: NodeRef<'_, '_>,
    owner: &str,
) -> (String, String, Option<(Fix, String)>) {
    let to = m.name;
    let message = format!("unknown field `{name}` in {owner}; did you mean `{to}`?");
    let help = if m.case_only {
        format!("{DROPPED}; field names are case-sensitive: write `{to}`")
    } else {
        format!("{DROPPED}; rename it to `{to}`")
    };
    let edits = vec![Edit::replace(key.range(), to)];
    let title = format!("Rename `{name}` to `{to}`");
    let fix = if m.certain() {
        Fix::safe(title, edits)
    } else {
        Fix::unsafe_(title, edits)
    };
    (message, help, Some((fix, to.to_string())))
}

/// "on an init container", "in `securityContext` (PodSecurityContext)": where a field sits.
fn on_what(at: &Place) -> String {
    match at.via.map(|f| f.name) {
        Some("initContainers" | "containers" | "ephemeralContainers") => {
            format!("on {}", at.describe())
        }
        _ => format!("in {}", at.describe()),
    }
}

/// A container-only security setting written in the pod-level `securityContext`; returns the
/// key's name in the container's `SecurityContext`.
fn container_security_field(name: &str, at: &Place) -> Option<&'static str> {
    if at.ty.short_name() != "PodSecurityContext" {
        return None;
    }
    let container = type_named("io.k8s.api.core.v1.SecurityContext")?;
    container.field(name).map(|f| f.name)
}

/// Docker Compose service keys written in a container, with the Kubernetes field and how it
/// is written there. Compose habits are the commonest unknown keys of people new to Pods.
fn compose_habit(
    name: &str,
    value: NodeRef<'_, '_>,
    at: &Place,
) -> Option<(&'static str, &'static str)> {
    if !matches!(at.ty.short_name(), "Container" | "EphemeralContainer") {
        return None;
    }
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "environment" | "enviroment" | "environmentvariables" => (
            "env",
            "write `env:` as a list of `- name: KEY` / `value: \"…\"` items",
        ),
        "entrypoint" => (
            "command",
            "`command` replaces the image's ENTRYPOINT, as a list: `command: [\"python\", \"app.py\"]`",
        ),
        "workdir" => ("workingDir", "write `workingDir: /app`"),
        "expose" => (
            "ports",
            "list the ports as `ports: [{containerPort: 8080}]`",
        ),
        "restart" => (
            "restartPolicy",
            "restarts are the Pod's business: set `restartPolicy` in the pod's `spec`, or run it from a Deployment",
        ),
        // `- ./data:/data`; a list of Kubernetes volumes is only at the wrong level.
        "volumes" if value.items().any(|v| v.as_string().is_some()) => (
            "volumeMounts",
            "declare the volume once in the pod's `spec.volumes`, then mount it here with `volumeMounts: [{name: …, mountPath: …}]`",
        ),
        "healthcheck" => (
            "livenessProbe",
            "Kubernetes has `livenessProbe` (restart when it fails) and `readinessProbe` (no traffic until it passes)",
        ),
        _ => return None,
    })
}

/// A field of the mapping's own type close to `name`.
#[derive(Clone, Copy, Debug)]
struct Match {
    name: &'static str,
    distance: usize,
    case_only: bool,
    /// No other field is as close.
    unique: bool,
}

impl Match {
    /// Renaming certainly keeps what the author meant.
    fn certain(self) -> bool {
        self.case_only || (self.unique && self.distance <= 2 && self.name.len() >= 4)
    }
}

fn closest(name: &str, ty: TypeRef, minor: u8) -> Option<Match> {
    let fields = || ty.fields().iter().filter(|f| f.exists_in(minor));
    if let Some(f) = fields().find(|f| f.name.eq_ignore_ascii_case(name)) {
        return Some(Match {
            name: f.name,
            distance: 0,
            case_only: true,
            unique: true,
        });
    }
    let lower = name.to_ascii_lowercase();
    let length = name.chars().count();
    let limit = (length / 3).clamp(1, 3);
    // A name whose length differs by more than `limit` is further than `limit` edits away: it
    // can be neither the match nor a rival to it, so its distance is not computed.
    let mut scored: Vec<(usize, &'static str)> = fields()
        .filter(|f| f.name.chars().count().abs_diff(length) <= limit)
        .map(|f| {
            let d = strsim::damerau_levenshtein(&lower, &f.name.to_ascii_lowercase());
            (d, f.name)
        })
        .collect();
    scored.sort_unstable();
    let &(distance, best) = scored.first()?;
    if distance > limit {
        return None;
    }
    Some(Match {
        name: best,
        distance,
        case_only: false,
        unique: scored.get(1).is_none_or(|&(d, _)| d > distance),
    })
}

/// How far from the mapping's parent the search for a misplaced field goes.
const NEARBY_DEPTH: usize = 3;

/// Where a key that is not a field here is one: one level up, or in a nearby object (e.g.
/// `image` under `metadata` belongs in `spec.containers[]`). Reads "one level up, in …" or
/// "in `…`".
fn belongs_elsewhere(name: &str, at: &Place, minor: u8) -> Option<String> {
    let has = |ty: TypeRef| ty.field(name).is_some_and(|f| f.exists_in(minor));
    let (start, start_label) = match (at.parent, at.via) {
        (Some(parent), Some(_)) => (parent, Some(parent)),
        _ => (at.ty, None),
    };
    if start != at.ty && has(start) {
        return Some(format!(
            "one level up, in the {} that holds `{}`",
            start.short_name(),
            at.via.map_or("", |f| f.name)
        ));
    }
    // Breadth first, fields in name order: the shallowest, first-named place wins. Each
    // visited type keeps how it was reached; only the winner's path is written out.
    let mut seen = HashSet::from([start]);
    let mut reached: Vec<Step> = vec![Step {
        ty: start,
        from: None,
        field: "",
        list: "",
        depth: 0,
    }];
    let mut next = 0;
    while let Some(&Step { ty, depth, .. }) = reached.get(next) {
        if depth > 0 && ty != at.ty && has(ty) {
            return Some(describe_path(&path_to(&reached, next), at, start_label));
        }
        let from = next;
        next += 1;
        if depth == NEARBY_DEPTH {
            continue;
        }
        for field in ty.fields().iter().filter(|f| f.exists_in(minor)) {
            // Status is written by the cluster, never by you.
            if matches!(
                field.name,
                "status" | "managedFields" | "ephemeralContainers"
            ) {
                continue;
            }
            let (child, list) = match field.shape {
                Shape::Object(t) => (t, ""),
                Shape::ArrayOf(Item::Object(t)) => (t, "[]"),
                Shape::MapOf(Item::Object(t)) => (t, ".*"),
                _ => continue,
            };
            if seen.insert(child) {
                reached.push(Step {
                    ty: child,
                    from: Some(from),
                    field: field.name,
                    list,
                    depth: depth + 1,
                });
            }
        }
    }
    None
}

/// A type the search for a misplaced field reached: through which field (`list` is `[]` for a
/// list item, `.*` for a map value) of which earlier step.
struct Step {
    ty: TypeRef,
    from: Option<usize>,
    field: &'static str,
    list: &'static str,
    depth: usize,
}

/// `containers[].securityContext`: the fields from the search's start to step `at`.
fn path_to(steps: &[Step], at: usize) -> String {
    let mut parts = Vec::new();
    let mut current = Some(at);
    while let Some(i) = current {
        let step = &steps[i];
        if step.from.is_some() {
            parts.push(format!("{}{}", step.field, step.list));
        }
        current = step.from;
    }
    parts.reverse();
    parts.join(".")
}

/// "in `containers[]`" relative to the mapping when the path goes through it, else relative to
/// its parent.
fn describe_path(path: &str, at: &Place, parent: Option<TypeRef>) -> String {
    if let Some(via) = at.via {
        for list in ["", "[]", ".*"] {
            let own = format!("{}{list}.", via.name);
            if let Some(rest) = path.strip_prefix(&own) {
                return format!("one level down, in `{rest}`");
            }
        }
    }
    match parent {
        Some(parent) => format!("in `{path}` of the {}", parent.short_name()),
        None => format!("in `{path}`"),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};
    use crate::settings::Settings;

    const RULE: &str = "unknown-field";

    #[test]
    fn typos_at_any_depth_are_flagged_at_the_key() {
        let spec = "  contianers:\n  - name: a\n    imgae: x\n    volumeMount: []\n    ports:\n    - containerport: 80\n    readinessprobe:\n      httpGet: {path: /, port: 80}\n    resource: {}\n";
        RuleTest::new(&super::UnknownField::META)
            .pass(pod("  containers:\n  - name: a\n    image: x\n"))
            .fail(pod(spec), &["contianers"])
            .run();
        let spec = "  containers:\n  - name: a\n    imgae: x\n    volumeMount: []\n    ports:\n    - containerport: 80\n    readinessprobe:\n      httpGet: {path: /, port: 80}\n    resource: {}\n";
        let found = findings(RULE, &pod(spec));
        let keys: Vec<_> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "imgae",
                "volumeMount",
                "containerport",
                "readinessprobe",
                "resource"
            ]
        );
        assert!(
            found[0].1.contains("did you mean `image`?"),
            "{}",
            found[0].1
        );
        assert!(found[3].1.contains("`readinessProbe`"), "{}", found[3].1);
    }

    #[test]
    fn container_settings_in_the_pod_security_context_are_explained() {
        let found = findings(
            RULE,
            &pod("  securityContext:\n    runAsNonRoot: true\n    allowPrivilegeEscalation: false\n  containers:\n  - name: a\n    image: x\n"),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "allowPrivilegeEscalation");
        assert!(found[0].1.contains("per-container"), "{}", found[0].1);
    }

    #[test]
    fn misplaced_fields_say_where_they_belong() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  image: x\nspec:\n  ports: []\n  containers:\n  - name: a\n    image: x\n    hostNetwork: true\n";
        let found = findings(RULE, text);
        let messages: Vec<_> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`image` is not a field of `metadata` (ObjectMeta); it belongs in `spec.containers[]` of the Pod",
                "`ports` is not a field of `spec` (PodSpec); it belongs one level down, in `containers[]`",
                "`hostNetwork` is not a field of a container; it belongs one level up, in the PodSpec that holds `containers`",
            ]
        );
    }

    #[test]
    fn docker_compose_habits_are_translated() {
        let text = pod("  containers:\n  - name: a\n    image: x\n    environment:\n      A: b\n    working_dir: /app\n");
        let found = findings(RULE, &text);
        assert_eq!(
            found[0].1,
            "`environment` is Docker Compose, not Kubernetes: a container's is `env`"
        );
        assert_eq!(found[1].0, "working_dir");
    }

    #[test]
    fn fields_newer_than_the_target_version() {
        let text = pod("  initContainers:\n  - name: proxy\n    image: x\n    restartPolicy: Always\n  containers:\n  - name: a\n    image: x\n");
        let mut settings = Settings::only(&[RULE]);
        assert!(crate::lint(&text, &settings).is_empty());
        settings.kubernetes_minor = 27;
        let found = crate::lint(&text, &settings);
        assert_eq!(
            found[0].message,
            "`restartPolicy` on an init container needs Kubernetes 1.28+, you target 1.27"
        );
    }

    #[test]
    fn fixes_rename_and_leave_a_clean_file() {
        let spec = "  contianers:\n  - name: a\n    imgae: x\n    volumeMount: []\n    ports:\n    - containerport: 80\n    readinessprobe:\n      httpGet: {path: /, port: 80}\n    resource: {}\n";
        let settings = Settings::only(&[RULE]);
        let fixed = crate::engine::fix_text(&pod(spec), &settings, false);
        assert!(
            crate::lint(&fixed.text, &settings).is_empty(),
            "{}",
            fixed.text
        );
        assert!(fixed.text.contains("    readinessProbe:\n"));
    }

    #[test]
    fn no_rename_onto_a_key_that_is_already_there() {
        let text = pod("  containers:\n  - name: a\n    image: x\n    imgae: y\n");
        let found = crate::lint(&text, &Settings::only(&[RULE]));
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
