use super::helpers;
use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Reports an object whose `metadata.annotations` lacks one of the annotations your
    /// team requires. Off by default, and quiet until the list is configured:
    ///
    /// ```yaml
    /// # .podlint.yaml
    /// select: [required-annotation]
    /// rules:
    ///   required-annotation:
    ///     annotations: [owner, runbook]
    /// ```
    ///
    /// ## Why it matters in a Pod
    /// Annotations carry what is not used to select objects but people and tools need:
    /// who owns the workload, where its runbook lives, which on-call rotation gets paged.
    /// When a Pod crash-loops at night, `kubectl describe` showing an owner and a runbook
    /// saves the search.
    ///
    /// ## Example
    /// With `annotations: [owner]` configured:
    /// ```yaml
    /// kind: Deployment
    /// metadata:
    ///   name: my-app
    /// ```
    ///
    /// ## How to fix
    /// Add the annotation under `metadata.annotations` (`owner: payments-team`).
    pub struct RequiredAnnotation {
        name: "required-annotation",
        category: Style,
        hook: Object,
        fix: Never,
        summary: "An object lacks an annotation the team requires (option `annotations`)",
        options: RequiredAnnotationOptions,
        enabled: false,
    }
}

rule_options! {
    /// The options of [`RequiredAnnotation`].
    pub struct RequiredAnnotationOptions {
        /// The annotation keys every object must carry under `metadata.annotations`, e.g.
        /// `[owner, runbook]`. Empty: the rule reports nothing.
        "annotations" annotations: Vec<String>,
    }
}

impl ObjectRule for RequiredAnnotation {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let required = &cx.options::<RequiredAnnotationOptions>().annotations;
        if required.is_empty() {
            return;
        }
        helpers::report_missing(
            object,
            cx,
            "annotations",
            required,
            "the people who debug it at night read ownership and runbooks from there",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;
    use crate::settings::Settings;

    #[test]
    fn configured_annotations_are_required() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\n  annotations:\n    owner: shop\nspec:\n  containers: [{name: app, image: a}]\n";
        RuleTest::new(&super::RequiredAnnotation::META)
            .pass(yaml)
            .run_inline();
        RuleTest::new(&super::RequiredAnnotation::META)
            .options("annotations: runbook")
            .fail(yaml, &["annotations"])
            .run();
        let mut settings = Settings::only(&["required-annotation"]);
        settings
            .configure("required-annotation", "annotations: runbook")
            .unwrap();
        let found = crate::lint(yaml, &settings);
        assert!(found[0]
            .message
            .contains("the required annotation `runbook`"));
    }
}
