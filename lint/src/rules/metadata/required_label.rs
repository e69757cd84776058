use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};
use super::helpers;

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
        enabled: false,
    }
}

impl ObjectRule for RequiredLabel {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let required = helpers::configured(cx, Self::META.name, "labels");
        if required.is_empty() {
            return;
        }
        helpers::report_missing(
            object,
            cx,
            "labels",
            &required,
            "selectors, `kubectl get -l` and ownership tools find objects by their labels",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::config::OptionValue;
    use crate::settings::Settings;

    fn flagged(labels: Option<&[&str]>, yaml: &str) -> Vec<String> {
        let mut settings = Settings::only(&["required-label"]);
        if let Some(labels) = labels {
            let list = labels.iter().map(|l| OptionValue::String(l.to_string()));
            settings.options_mut().set(
                "required-label",
                "labels",
                OptionValue::List(list.collect()),
            );
        }
        crate::lint(yaml, &settings)
            .into_iter()
            .map(|d| format!("{} | {}", &yaml[d.range], d.message))
            .collect()
    }

    #[test]
    fn configured_labels_are_required() {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: shop\n";
        assert!(flagged(None, yaml).is_empty());
        assert!(flagged(Some(&["app"]), yaml).is_empty());
        assert_eq!(
            flagged(Some(&["app", "team", "tier"]), yaml),
            ["labels | ConfigMap `settings` lacks the required labels `team`, `tier`: selectors, `kubectl get -l` and ownership tools find objects by their labels"]
        );
        let bare = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n";
        assert_eq!(flagged(Some(&["team"]), bare).len(), 1);
    }
}
