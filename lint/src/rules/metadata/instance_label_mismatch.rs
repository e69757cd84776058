use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

const INSTANCE: &str = "app.kubernetes.io/instance";

declare_rule! {
    /// ## What it does
    /// Reports an object whose `app.kubernetes.io/instance` label differs from its
    /// `metadata.name`. Off by default: Helm charts conventionally set the label to the
    /// release name and name objects `<release>-<chart>`, so the two differ by design there.
    ///
    /// ## Why it matters in a Pod
    /// `app.kubernetes.io/instance` is one of Kubernetes' recommended labels: it names the
    /// instance of an application, so tools and people can select everything that belongs
    /// to it (`kubectl get all -l app.kubernetes.io/instance=my-app`). When it is copied
    /// from another manifest and not updated, two apps share one instance value: the
    /// selection mixes them, and a cleanup aimed at one removes the other.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata:
    ///   name: checkout
    ///   labels:
    ///     app.kubernetes.io/instance: cart
    /// ```
    ///
    /// ## How to fix
    /// Set the label to the object's name (`app.kubernetes.io/instance: checkout`). Change
    /// selectors that use the label at the same time.
    pub struct InstanceLabelMismatch {
        name: "instance-label-mismatch",
        category: Style,
        hook: Object,
        fix: Never,
        summary: "The `app.kubernetes.io/instance` label differs from the object's name",
        enabled: false,
    }
}

impl ObjectRule for InstanceLabelMismatch {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(metadata) = object.metadata() else {
            return;
        };
        let Some(name) = metadata.get("name").and_then(|n| n.as_string()) else {
            return;
        };
        let Some(label) = metadata.get("labels").and_then(|l| l.get(INSTANCE)) else {
            return;
        };
        let Some(instance) = label.as_string() else {
            return;
        };
        if instance == name {
            return;
        }
        let kind = object.kind_name();
        cx.report(
            label.range(),
            format!("{kind} `{name}` is labelled as instance `{instance}`: selecting `{INSTANCE}={instance}` finds objects of another app, or misses this one"),
        )
        .label(metadata.get("name").unwrap().range(), "the object's name")
        .help(format!("set `{INSTANCE}: {name}`, and update selectors that use the label"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn the_instance_is_the_name() {
        let object = |label: &str| {
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: checkout\n  labels:\n    app.kubernetes.io/instance: {label}\n")
        };
        RuleTest::new(&super::InstanceLabelMismatch::META)
            .pass(object("checkout"))
            .pass("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
            .fail(object("cart"), &["cart"])
            .run();
    }
}
