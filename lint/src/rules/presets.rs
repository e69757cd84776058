//! The presets: rules off by default that a team turns on in one word. Each names rules by
//! name; `podlint rules` lists them with their members, and `.podlint.yaml` `select`, `ignore`
//! and `severity` accept their names.
//!
//! What is on by default is what the API server rejects or warns about and what breaks when
//! the Pod runs. What a team may reasonably decide otherwise waits here.

use crate::rule::{Preset, Presets};

/// Security beyond the Pod Security Standards' baseline: what the `restricted` level and
/// hardening guides ask of every container.
pub static HARDENING: Preset = Preset {
    name: "hardening",
    summary: "Containers locked down beyond the Pod Security baseline: no root, no privilege escalation, capabilities dropped, seccomp, a read-only root filesystem, no API token",
    rules: &[
        "allow-privilege-escalation",
        "automount-sa-token",
        "capabilities-not-dropped",
        "run-as-root",
        "seccomp-not-set",
        "writable-root-filesystem",
    ],
    includes: &[],
};

/// The separate rules for what the Pod Security Standards' baseline forbids. `pod-security`
/// reports all of these by default, one control per finding; these give each its own message
/// and name, for a team that wants to ignore or raise one alone.
pub static HOST_ACCESS: Preset = Preset {
    name: "host-access",
    summary: "One rule per way a Pod reaches into its node (privileged, host namespaces and ports, hostPath, capabilities, unconfined seccomp or AppArmor, unsafe sysctls); `pod-security` reports these by default as baseline controls",
    rules: &[
        "apparmor-unconfined",
        "dangerous-capabilities",
        "docker-socket-mount",
        "host-ipc",
        "host-network",
        "host-path-volume",
        "host-pid",
        "host-port",
        "privileged-container",
        "seccomp-unconfined",
        "sensitive-host-mount",
        "unmasked-proc-mount",
        "unsafe-sysctls",
        "windows-host-process",
    ],
    includes: &[],
};

/// Probes: whether Kubernetes can tell a container is alive and ready.
pub static PROBES: Preset = Preset {
    name: "probes",
    summary: "Every long-running container has a liveness and a readiness probe",
    rules: &["missing-liveness-probe", "missing-readiness-probe"],
    includes: &[],
};

/// Resources: what the scheduler reserves and where a container is stopped. Named like the
/// category it narrows: `--select resources` turns on these, not options-driven or QoS rules.
pub static RESOURCES: Preset = Preset {
    name: "resources",
    summary: "Every container requests CPU and memory and has limits, so the scheduler places it and a leak cannot starve the node",
    rules: &[
        "cpu-limit-missing",
        "cpu-request-missing",
        "memory-limit-missing",
        "memory-request-missing",
    ],
    includes: &[],
};

/// What most teams running production workloads want on top of the defaults.
pub static RECOMMENDED: Preset = Preset {
    name: "recommended",
    summary:
        "The defaults' companion for production workloads: hardening, probes and resources together",
    rules: &[],
    includes: &[&HARDENING, &PROBES, &RESOURCES],
};

/// Every preset, sorted by name.
pub static PRESETS: Presets = &[&HARDENING, &HOST_ACCESS, &PROBES, &RECOMMENDED, &RESOURCES];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{rule, RULES};

    #[test]
    fn presets_are_sorted_and_name_real_rules_in_order() {
        assert!(PRESETS.windows(2).all(|w| w[0].name < w[1].name));
        for preset in PRESETS {
            assert!(
                preset.rules.windows(2).all(|w| w[0] < w[1]),
                "{}",
                preset.name
            );
            for name in preset.members() {
                assert!(
                    rule(name).is_some(),
                    "preset {} names no rule {name}",
                    preset.name
                );
            }
            assert!(
                RULES.iter().all(|r| r.name != preset.name),
                "preset {} shadows a rule",
                preset.name
            );
        }
    }

    #[test]
    fn preset_rules_wait_off_by_default() {
        for preset in PRESETS {
            for name in preset.members() {
                assert!(
                    !rule(name).unwrap().default_enabled,
                    "{name} of preset {} is on by default",
                    preset.name
                );
            }
        }
    }
}
