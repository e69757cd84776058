//! Settings for files that are not whole objects on their own: a kustomize patch, or a
//! resource that a kustomization completes (selectors from `commonLabels`, a namespace).
//! Only rules about values that are written run there; rules about what is missing stay
//! quiet, because the build may add it.

use crate::rule::{Hook, RuleSelector, Settings};

/// Rules that report something absent: a patch leaves out what the base has.
pub const ABSENCE_RULES: &[&str] = &[
    "allow-privilege-escalation",
    "automount-sa-token",
    "bare-pod",
    "capabilities-not-dropped",
    "container-image-missing",
    "cpu-limit-missing",
    "cpu-request-missing",
    "cronjob-no-starting-deadline",
    "default-namespace",
    "default-service-account",
    "dns-config-options",
    "env-var-reference-undefined",
    "ephemeral-storage-request-ne-limit",
    "ephemeral-storage-unset",
    "host-network-host-port-mismatch",
    "host-users-enabled",
    "image-pull-policy-not-always",
    "instance-label-mismatch",
    "job-ttl-seconds-after-finished",
    "memory-limit-missing",
    "memory-request-missing",
    "missing-liveness-probe",
    "missing-priority-class",
    "missing-readiness-probe",
    "net-raw-not-dropped",
    "no-node-affinity",
    "no-pod-anti-affinity",
    "no-rolling-update",
    "no-topology-spread",
    "null-label-selector",
    "pod-no-containers",
    // Its restricted level asks for settings a base usually holds (`runAsNonRoot`, seccomp).
    "pod-security",
    "probe-port-not-exposed",
    "required-annotation",
    "required-field-missing",
    "required-label",
    "requests-not-equal-limits",
    "resources-request-exceeds-limit",
    "run-as-root",
    "seccomp-not-set",
    "security-context-missing",
    "selector-template-mismatch",
    "single-replica",
    "unused-volume",
    "volume-mount-unknown-volume",
    "volume-source-count",
    "writable-root-filesystem",
];

/// The settings for a patch file: value checks only, no absence rules, and no cross-object
/// rules (a patch's labels and names are not an object's, so it leaves no facts either).
pub fn for_patch(settings: &Settings) -> Settings {
    let mut patch = settings.clone();
    for (index, meta) in settings.registry().iter().enumerate() {
        if ABSENCE_RULES.contains(&meta.name) || matches!(meta.hook, Hook::Project(_)) {
            patch.ignore(RuleSelector::Rule(index));
        }
    }
    patch
}

/// The settings for a resource a kustomization completes: no "missing selector" when the
/// kustomization writes selectors, no "default namespace" when it sets one.
pub fn for_resource(settings: &Settings, adds_selectors: bool, sets_namespace: bool) -> Settings {
    let mut resource = settings.clone();
    let mut off = |name: &str| {
        if let Some(index) = settings.rule_index(name) {
            resource.ignore(RuleSelector::Rule(index));
        }
    };
    if adds_selectors {
        off("selector-template-mismatch");
        off("null-label-selector");
    }
    if sets_namespace {
        off("default-namespace");
    }
    resource
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_absence_rule_exists() {
        let settings = Settings::default();
        for name in ABSENCE_RULES {
            assert!(settings.rule_index(name).is_some(), "{name} is not a rule");
        }
        let patch = for_patch(&Settings::default());
        assert!(!patch.is_enabled("container-image-missing"));
        assert!(!patch.is_enabled("dangling-service-selector"));
        assert!(patch.is_enabled("duplicate-container-port"));
    }
}
