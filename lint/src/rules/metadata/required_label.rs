use super::helpers;
use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Reports an object whose `metadata.labels` lacks one of the labels your team
    /// requires. Off by default, and quiet until the list is configured:
    ///
    /// ```yaml
    /// # .podlint.yaml
    /// select: [required-label]
    /// rules:
    ///   required-label:
    ///     labels: [app.kubernetes.io/name, team]
    /// ```
    ///
    /// ## Why it matters in a Pod
    /// Labels are how Kubernetes and people find objects: Services and Deployments select
    /// Pods by label, `kubectl get pods -l team=payments` lists a team's Pods, and cost,
    /// alerting and ownership tools group by them. An object without the agreed labels is
    /// invisible to all of that: nobody is paged for it and nobody knows whose it is.
    ///
    /// ## Example
    /// With `labels: [team]` configured:
    /// ```yaml
    /// kind: Deployment
    /// metadata:
    ///   name: my-app
    ///   labels:
    ///     app: my-app
    /// ```
    ///
    /// ## How to fix
    /// Add the label under `metadata.labels` (`team: payments`).
    pub struct RequiredLabel {
        name: "required-label",
        category: Style,
        hook: Object,
        fix: Never,
        summary: "An object lacks a label the team requires (option `labels`)",
        options: RequiredLabelOptions,
        enabled: false,
    }
}

rule_options! {
    /// The options of [`RequiredLabel`].
    pub struct RequiredLabelOptions {
        /// The label keys every object must carry under `metadata.labels`, e.g.
        /// `[app.kubernetes.io/name, team]`. Empty: the rule reports nothing.
        "labels" labels: Vec<String>,
    }
}

impl ObjectRule for RequiredLabel {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let required = &cx.options::<RequiredLabelOptions>().labels;
        if required.is_empty() {
            return;
        }
        helpers::report_missing(
            object,
            cx,
            "labels",
            required,
            "selectors, `kubectl get -l` and ownership tools find objects by their labels",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;
    use crate::settings::Settings;

    fn flagged(labels: Option<&[&str]>, yaml: &str) -> Vec<String> {
        let mut settings = Settings::only(&["required-label"]);
        if let Some(labels) = labels {
            let options = format!("labels: [{}]", labels.join(", "));
            settings.configure("required-label", &options).unwrap();
        }
        crate::lint(yaml, &settings)
            .into_iter()
            .map(|d| format!("{} | {}", &yaml[d.range], d.message))
            .collect()
    }

    #[test]
    fn configured_labels_are_required() {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: shop\n";
        let bare = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n";
        RuleTest::new(&super::RequiredLabel::META)
            .options("labels: [app, team]")
            .fail(yaml, &["labels"])
            .fail(bare, &["metadata"])
            .run();
        assert!(flagged(None, yaml).is_empty());
        assert!(flagged(Some(&["app"]), yaml).is_empty());
        assert_eq!(
            flagged(Some(&["app", "team", "tier"]), yaml),
            ["labels | ConfigMap `settings` lacks the required labels `team`, `tier`: selectors, `kubectl get -l` and ownership tools find objects by their labels"]
        );
    }
}
