use crate::diagnostic::{Edit, Fix};
use crate::k8s::Object;
use crate::rule::{Context, SchemaRule};
use crate::schema::walk::{Place, Visitor};
use crate::schema::{Field, Item, Scalar};
use crate::syntax::{resolve_plain, NodeRef, ScalarType};

declare_rule! {
    /// ## What it does
    /// Reports a value outside the fixed set a field accepts: `scheme: http` in an `httpGet` probe, a toleration's `operator: exists`, a topology
    /// spread constraint's `whenUnsatisfiable: DoNotScheduled`, `fsGroupChangePolicy: OnRoot`…
    /// A few fields have their own rules with more to say, and are left to them:
    /// `imagePullPolicy` (image-pull-policy-invalid), a port's `protocol`
    /// (container-port-protocol-invalid), `dnsPolicy` (dns-policy-invalid), the pod's
    /// `restartPolicy`
    /// (pod-restart-policy-invalid), a container's `restartPolicy`
    /// (init-container-restart-policy-invalid), and the object's `apiVersion` and `kind`
    /// (api-version-kind-mismatch).
    ///
    /// ## Why it matters in a Pod
    /// These values select behaviour inside the kubelet, the scheduler or the controllers,
    /// which only know the listed ones. The API server rejects any other value, so the whole
    /// Pod (or the workload holding it) is not created. The values are case-sensitive:
    /// `HTTP`, not `http`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   tolerations:
    ///   - key: dedicated
    ///     operator: exists
    ///     effect: NoSchedule
    /// ```
    ///
    /// ## How to fix
    /// Use one of the values the message lists. The fix replaces the value with the closest
    /// valid one; it is safe when only the case differs.
    pub struct EnumValueInvalid {
        name: "enum-value-invalid",
        category: ApiRejects,
        hook: Schema,
        fix: Sometimes,
        summary: "A value outside the fixed set of values a field accepts",
    }
}

impl SchemaRule for EnumValueInvalid {
    fn visitor<'c, 'a, 'd, 's>(
        &self,
        _: &'c Object<'d, 's>,
        cx: &'c mut Context<'a>,
    ) -> Box<dyn Visitor<'d, 's> + 'c> {
        Box::new(Check { cx })
    }
}

struct Check<'c, 'a> {
    cx: &'c mut Context<'a>,
}

impl<'d, 'src> Visitor<'d, 'src> for Check<'_, '_> {
    fn field(
        &mut self,
        _: NodeRef<'d, 'src>,
        value: NodeRef<'d, 'src>,
        field: &'static Field,
        at: &Place,
    ) {
        if !field.enum_values.is_empty() && !value.is_sequence() && !skipped(self.cx, field, at) {
            self.check(value, field);
        }
    }

    fn element(&mut self, value: NodeRef<'d, 'src>, item: Item, field: &'static Field, at: &Place) {
        if item == Item::Scalar(Scalar::String)
            && !field.enum_values.is_empty()
            && !skipped(self.cx, field, at)
        {
            self.check(value, field);
        }
    }
}

fn skipped(cx: &Context<'_>, field: &Field, at: &Place) -> bool {
    // The object's own apiVersion and kind belong to api-version-kind-mismatch; fields a
    // dedicated rule declares it `owns` get that rule's words instead, not a second finding.
    let key = (at.ty.short_name(), field.name);
    (at.is_root() && matches!(field.name, "apiVersion" | "kind"))
        || cx.settings.registry().iter().any(|r| r.owns.contains(&key))
}

impl Check<'_, '_> {
    fn check(&mut self, value: NodeRef<'_, '_>, field: &Field) {
        // Numbers, booleans and lists are schema-type-mismatch's; an empty value is unset.
        let Some(text) = value.as_string() else {
            return;
        };
        let allowed = field.enum_values;
        if text.is_empty() || allowed.contains(&text) {
            return;
        }
        let name = field.name;
        let list = one_of(allowed);
        let near = closest(text, allowed);
        let message = match near {
            Some((to, _)) => {
                format!("`{name}: {text}` is not a valid value; did you mean `{to}`?")
            }
            None => format!("`{name}: {text}` is not a valid value"),
        };
        let d = self.cx.report(value.range(), message);
        d.help(format!(
            "`{name}` accepts {list} (case-sensitive); the API server rejects any other value"
        ));
        if let Some((to, case_only)) = near {
            let replacement = if resolve_plain(to) == ScalarType::String {
                to.to_string()
            } else {
                format!("\"{to}\"")
            };
            let edits = vec![Edit::replace(value.range(), replacement)];
            let title = format!("Replace with `{to}`");
            d.fix(if case_only {
                Fix::safe(title, edits)
            } else {
                Fix::unsafe_(title, edits)
            });
        }
    }
}

/// "`A`, `B` or `C`".
fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| format!("`{v}`"))
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((only, _)) => format!("only {only}"),
        None => "no value".into(),
    }
}

/// The valid value nearest to `text`, and whether only the case differs.
fn closest(text: &str, allowed: &[&'static str]) -> Option<(&'static str, bool)> {
    if let Some(v) = allowed.iter().find(|v| v.eq_ignore_ascii_case(text)) {
        return Some((v, true));
    }
    let lower = text.to_ascii_lowercase();
    // `Dir` for `Directory`: the value that starts with what was written, and that the other
    // such values (`DirectoryOrCreate`) only extend.
    let prefixed: Vec<&'static str> = allowed
        .iter()
        .copied()
        .filter(|v| !v.is_empty() && v.to_ascii_lowercase().starts_with(&lower))
        .collect();
    if let Some(shortest) = prefixed.iter().min_by_key(|v| v.len()) {
        if prefixed.iter().all(|v| v.starts_with(shortest)) {
            return Some((shortest, false));
        }
    }
    let (distance, best) = allowed
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| {
            (
                strsim::damerau_levenshtein(&lower, &v.to_ascii_lowercase()),
                *v,
            )
        })
        .min()?;
    (distance <= (best.len() / 3).max(1)).then_some((best, false))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};

    const RULE: &str = "enum-value-invalid";

    #[test]
    fn values_outside_the_set_are_flagged() {
        let good = pod("  dnsPolicy: ClusterFirst\n  tolerations:\n  - {key: a, operator: Exists, effect: NoSchedule}\n  containers:\n  - name: a\n    image: x\n    readinessProbe:\n      httpGet: {path: /, port: 80, scheme: HTTPS}\n");
        let bad = pod("  dnsPolicy: clusterFirst\n  tolerations:\n  - {key: a, operator: exist, effect: NoScheduled}\n  containers:\n  - name: a\n    image: x\n    readinessProbe:\n      httpGet: {path: /, port: 80, scheme: ftp}\n");
        RuleTest::new(&super::EnumValueInvalid::META)
            .pass(&good)
            .fail(&bad, &["exist", "NoScheduled", "ftp"])
            .run();
    }

    #[test]
    fn fields_with_their_own_rule_are_left_to_it() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  dnsPolicy: clusterFirst\n  restartPolicy: always\n  containers:\n  - name: a\n    image: x\n    imagePullPolicy: always\n    ports:\n    - {containerPort: 80, protocol: tcp}\n";
        assert!(findings(RULE, text).is_empty());
    }

    #[test]
    fn the_message_lists_the_values_and_the_fix_is_safe_for_case() {
        let text = pod("  securityContext:\n    fsGroupChangePolicy: onRootMismatch\n  containers:\n  - name: a\n    image: x\n");
        let found = crate::lint(&text, &crate::Settings::only(&[RULE]));
        assert_eq!(
            found[0].message,
            "`fsGroupChangePolicy: onRootMismatch` is not a valid value; did you mean `OnRootMismatch`?"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("`fsGroupChangePolicy` accepts `Always` or `OnRootMismatch` (case-sensitive); the API server rejects any other value")
        );
        let fix = found[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, crate::Applicability::Safe);
    }
}
