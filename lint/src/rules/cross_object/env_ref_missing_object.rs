use crate::project::{Project, RefKind, RefSource};
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports a ConfigMap or Secret that a pod names — in `env[].valueFrom`, `envFrom`, a
    /// `configMap`, `secret` or `projected` volume, or `imagePullSecrets` — that is not among
    /// the manifests linted together. It only speaks when the set declares objects of that
    /// kind in the pod's namespace, so a repository that keeps its Secrets elsewhere (sealed,
    /// external, created by hand) is not told they are missing. References marked
    /// `optional: true` are skipped.
    ///
    /// It also says nothing when something in the set may create the object at deploy time
    /// (a Job or CronJob, or a custom resource whose operator may, in that namespace; a
    /// Kustomization's generators), and when only some files are linted (files named one by
    /// one, as pre-commit passes them; an editor's buffer): what is missing there may be in
    /// a file not given.
    ///
    /// ## Why it matters in a Pod
    /// The kubelet resolves these names when it starts the pod. A missing ConfigMap or Secret
    /// keeps the pod in `CreateContainerConfigError` (for environment variables) or
    /// `ContainerCreating` (for volumes) until it appears: the Deployment looks applied, but
    /// no container ever starts. A missing image pull Secret makes private images fail with
    /// `ImagePullBackOff`.
    ///
    /// ## Example
    /// ```yaml
    /// envFrom:
    /// - configMapRef:
    ///     name: app-confg      # the ConfigMap is called app-config
    /// ```
    ///
    /// ## How to fix
    /// Correct the name, add the object to the manifests, or mark the reference
    /// `optional: true` if the pod can run without it.
    pub struct EnvRefMissingObject {
        name: "env-ref-missing-object",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "A pod names a ConfigMap or Secret that the linted set does not declare",
    }
}

impl ProjectRule for EnvRefMissingObject {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, object, pod) in project.pods_where_absence_is_known() {
            let namespace = object.namespace();
            let Some(own) = project.own(file, pod) else {
                continue;
            };
            for reference in &own.references {
                let kind = reference.kind.name();
                if reference.kind == RefKind::ServiceAccount
                    || reference.optional
                    || !project.has_kind(kind, namespace)
                    || project.declares(kind, namespace, &reference.name)
                {
                    continue;
                }
                let effect = match reference.source {
                    RefSource::ImagePullSecrets => {
                        "private images will fail to pull (`ImagePullBackOff`)"
                    }
                    RefSource::Volume => "the pod stays in `ContainerCreating` until it exists",
                    _ => {
                        "the container cannot start (`CreateContainerConfigError`) until it exists"
                    }
                };
                cx.report(
                    file,
                    reference.range,
                    format!(
                        "{kind} `{}` (named by {}) is not among the linted {kind}s of namespace `{namespace}`; {effect}",
                        reference.name, reference.via
                    ),
                )
                .help(format!(
                    "correct the name, add the {kind} to the manifests, or set `optional: true` if the pod can run without it"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn set(config_maps: &str, refs: &str) -> String {
        format!("{config_maps}apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n{refs}")
    }

    #[test]
    fn names_must_exist_when_the_set_has_that_kind() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata: {}\n---\n";
        let env_from = "    envFrom:\n    - configMapRef:\n        name: app-confg\n";
        let good = set(
            cm,
            "    envFrom:\n    - configMapRef:\n        name: app-config\n",
        );
        let optional = set(
            cm,
            "    envFrom:\n    - configMapRef:\n        name: other\n        optional: true\n",
        );
        let no_config_maps = set("", env_from);
        let secret_elsewhere = set(cm, "    env:\n    - name: PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n");
        let typo = set(cm, env_from);
        let volume = set(
            cm,
            "  volumes:\n  - name: config\n    configMap:\n      name: settings\n",
        );
        // What a Job, an operator's custom resource or a Kustomization's generator may create.
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: make-config\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: k, image: bitnami/kubectl:1.30}]\n---\n";
        let operator = "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: app\n---\n";
        let generator = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nconfigMapGenerator:\n- name: app-confg\n---\n";
        RuleTest::new(&super::EnvRefMissingObject::META)
            .pass(set(&format!("{cm}{job}"), env_from))
            .pass(set(&format!("{cm}{operator}"), env_from))
            .pass(set(&format!("{generator}{cm}"), env_from))
            .pass(&good)
            .pass(&optional)
            .pass(&no_config_maps)
            .pass(&secret_elsewhere)
            .fail(&typo, &["app-confg"])
            .fail(&volume, &["settings"])
            .run();
    }

    #[test]
    fn a_part_of_the_project_is_not_told_what_is_missing() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata: {}\n---\n";
        let typo = set(
            cm,
            "    envFrom:\n    - configMapRef:\n        name: app-confg\n",
        );
        let settings = crate::Settings::only(&["env-ref-missing-object"]);
        assert_eq!(crate::lint_whole(&typo, &settings).len(), 1);
        assert!(crate::lint(&typo, &settings).is_empty());
    }
}
