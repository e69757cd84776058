//! The rules. Each lives in its own file, named after the rule: its documentation is the doc
//! comment on its struct, followed by its metadata, its check and its inline tests.
//!
//! To add a rule: write `rules/<rule_name>.rs` with `declare_rule!` and `impl Rule`, add its
//! `mod` line and its entry in `RULES` below (kept sorted by name; a test checks), and add
//! `fixtures/rules/<rule-name>/{pass,fail}.yaml`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::k8s::{Object, Pod};
use crate::project::{Project, ProjectContext};
use crate::settings::Settings;
use crate::syntax::Document;
use crate::text::TextRange;

#[macro_use]
mod declare;
#[cfg(test)]
pub(crate) mod test;

mod affinity_invalid;
mod allow_privilege_escalation;
mod allowed_registries;
mod annotations_invalid;
mod api_version_kind_mismatch;
mod apparmor_profile_invalid;
mod apparmor_unconfined;
mod automount_sa_token;
mod bare_pod;
mod capabilities_added;
mod capabilities_not_dropped;
mod container_image_missing;
mod container_name_duplicate;
mod container_name_invalid;
mod container_port_name_duplicate;
mod container_port_name_invalid;
mod container_port_number_invalid;
mod container_port_protocol_invalid;
mod container_restart_policy_forbidden;
mod cpu_limit_missing;
mod cpu_request_missing;
mod cronjob_no_starting_deadline;
mod dangerous_capabilities;
mod dangling_service_selector;
mod default_namespace;
mod default_service_account;
mod deprecated_node_label;
mod deprecated_pod_annotation;
mod deprecated_service_account_field;
mod deprecated_volume_type;
mod dns_config_invalid;
mod dns_config_options;
mod dns_policy_invalid;
mod docker_socket_mount;
mod duplicate_container_port;
mod duplicate_env_var;
mod duplicate_host_alias_ip;
mod duplicate_key;
mod edits;
mod enum_value_invalid;
mod env_from_invalid;
mod env_ref_missing_object;
mod env_value_from_invalid;
mod env_var_name_invalid;
mod env_var_reference_undefined;
mod ephemeral_containers_forbidden;
mod ephemeral_storage_request_ne_limit;
mod ephemeral_storage_unset;
mod forbidden_annotation;
mod fractional_byte_quantity;
mod gates_invalid;
mod hardening;
mod helm_template;
mod host_aliases;
mod host_aliases_invalid;
mod host_ip_without_host_port;
mod host_ipc;
mod host_network;
mod host_network_host_port_mismatch;
mod host_path_volume;
mod host_pid;
mod host_port;
mod host_port_conflict;
mod host_users_conflict;
mod host_users_enabled;
mod hostname_subdomain_invalid;
mod hpa_static_replicas;
mod identical_liveness_readiness;
mod image_not_digest_pinned;
mod image_pull_policy_invalid;
mod image_pull_policy_not_always;
mod image_pull_secret_duplicate_or_empty;
mod image_ref;
mod image_tag_latest_or_missing;
mod init_container_probes_forbidden;
mod init_container_restart_policy_invalid;
mod instance_label_mismatch;
mod invalid_yaml;
mod job_ttl_seconds_after_finished;
mod label_selector;
mod labels_invalid;
mod lifecycle_sleep_invalid;
mod low_uid_gid;
mod memory_limit_missing;
mod memory_request_missing;
mod metadata_keys;
mod metadata_name_invalid;
mod missing_liveness_probe;
mod missing_network_policy;
mod missing_pdb;
mod missing_priority_class;
mod missing_probe;
mod missing_readiness_probe;
mod mount_propagation_invalid;
mod negative_termination_grace_period;
mod net_raw_not_dropped;
mod no_node_affinity;
mod no_pod_anti_affinity;
mod no_rolling_update;
mod no_topology_spread;
mod node_selector_invalid;
mod null_label_selector;
mod os_field_conflict;
mod pod_no_containers;
mod pod_restart_policy_invalid;
mod priority_class_not_allowed;
mod privilege_escalation_contradiction;
mod privileged_container;
mod privileged_port;
mod probe_fields_invalid;
mod probe_handler_invalid;
mod probe_port_not_exposed;
mod proc_mount_invalid;
mod projected_path_conflicts_sa_token;
mod projected_volume_invalid;
mod reference_name_invalid;
mod requests_not_equal_limits;
mod required_annotation;
mod required_field_missing;
mod required_label;
mod resize_policy_invalid;
mod resource_claim_unknown;
mod resource_fields;
mod resource_name_invalid;
mod resource_out_of_range;
mod resource_quantity_invalid;
mod resources_request_exceeds_limit;
mod risky_image;
mod run_as_root;
mod schema_type_mismatch;
mod seccomp_not_set;
mod seccomp_profile_invalid;
mod seccomp_unconfined;
mod secret_in_env_literal;
mod secret_ref_in_env;
mod security_context_id_invalid;
mod security_context_missing;
mod selector_template_mismatch;
mod sensitive_host_mount;
mod service_account_not_found;
mod share_process_namespace_host_pid;
mod single_replica;
mod sorted_keys;
mod spec_values;
mod ssh_port;
mod statefulset_service_name;
mod sysctls_invalid;
mod template_active_deadline_forbidden;
mod termination_message_policy_invalid;
mod tolerations_invalid;
mod topology_spread_invalid;
mod unknown_field;
mod unmasked_proc_mount;
mod unsafe_sysctls;
mod unused_suppression;
mod unused_volume;
mod volume_device_invalid;
mod volume_hostpath_type_invalid;
mod volume_mount_path_duplicate;
mod volume_mount_subpath_invalid;
mod volume_mount_unknown_volume;
mod volume_name_duplicate;
mod volume_name_invalid;
mod volume_source_count;
mod volume_source_fields_invalid;
mod windows_host_process;
mod windows_host_process_invalid;
mod workload_restart_policy_mismatch;
mod writable_host_mount;
mod writable_root_filesystem;

/// Every rule, sorted by name.
pub static RULES: &[&dyn Rule] = &[
    &affinity_invalid::AffinityInvalid,
    &allow_privilege_escalation::AllowPrivilegeEscalation,
    &allowed_registries::AllowedRegistries,
    &annotations_invalid::AnnotationsInvalid,
    &api_version_kind_mismatch::ApiVersionKindMismatch,
    &apparmor_profile_invalid::ApparmorProfileInvalid,
    &apparmor_unconfined::ApparmorUnconfined,
    &automount_sa_token::AutomountSaToken,
    &bare_pod::BarePod,
    &capabilities_added::CapabilitiesAdded,
    &capabilities_not_dropped::CapabilitiesNotDropped,
    &container_image_missing::ContainerImageMissing,
    &container_name_duplicate::ContainerNameDuplicate,
    &container_name_invalid::ContainerNameInvalid,
    &container_port_name_duplicate::ContainerPortNameDuplicate,
    &container_port_name_invalid::ContainerPortNameInvalid,
    &container_port_number_invalid::ContainerPortNumberInvalid,
    &container_port_protocol_invalid::ContainerPortProtocolInvalid,
    &container_restart_policy_forbidden::ContainerRestartPolicyForbidden,
    &cpu_limit_missing::CpuLimitMissing,
    &cpu_request_missing::CpuRequestMissing,
    &cronjob_no_starting_deadline::CronjobNoStartingDeadline,
    &dangerous_capabilities::DangerousCapabilities,
    &dangling_service_selector::DanglingServiceSelector,
    &default_namespace::DefaultNamespace,
    &default_service_account::DefaultServiceAccount,
    &deprecated_node_label::DeprecatedNodeLabel,
    &deprecated_pod_annotation::DeprecatedPodAnnotation,
    &deprecated_service_account_field::DeprecatedServiceAccountField,
    &deprecated_volume_type::DeprecatedVolumeType,
    &dns_config_invalid::DnsConfigInvalid,
    &dns_config_options::DnsConfigOptions,
    &dns_policy_invalid::DnsPolicyInvalid,
    &docker_socket_mount::DockerSocketMount,
    &duplicate_container_port::DuplicateContainerPort,
    &duplicate_env_var::DuplicateEnvVar,
    &duplicate_host_alias_ip::DuplicateHostAliasIp,
    &duplicate_key::DuplicateKey,
    &enum_value_invalid::EnumValueInvalid,
    &env_from_invalid::EnvFromInvalid,
    &env_ref_missing_object::EnvRefMissingObject,
    &env_value_from_invalid::EnvValueFromInvalid,
    &env_var_name_invalid::EnvVarNameInvalid,
    &env_var_reference_undefined::EnvVarReferenceUndefined,
    &ephemeral_containers_forbidden::EphemeralContainersForbidden,
    &ephemeral_storage_request_ne_limit::EphemeralStorageRequestNeLimit,
    &ephemeral_storage_unset::EphemeralStorageUnset,
    &forbidden_annotation::ForbiddenAnnotation,
    &fractional_byte_quantity::FractionalByteQuantity,
    &gates_invalid::GatesInvalid,
    &helm_template::HelmTemplate,
    &host_aliases::HostAliases,
    &host_aliases_invalid::HostAliasesInvalid,
    &host_ip_without_host_port::HostIpWithoutHostPort,
    &host_ipc::HostIpc,
    &host_network::HostNetwork,
    &host_network_host_port_mismatch::HostNetworkHostPortMismatch,
    &host_path_volume::HostPathVolume,
    &host_pid::HostPid,
    &host_port::HostPort,
    &host_port_conflict::HostPortConflict,
    &host_users_conflict::HostUsersConflict,
    &host_users_enabled::HostUsersEnabled,
    &hostname_subdomain_invalid::HostnameSubdomainInvalid,
    &hpa_static_replicas::HpaStaticReplicas,
    &identical_liveness_readiness::IdenticalLivenessReadiness,
    &image_not_digest_pinned::ImageNotDigestPinned,
    &image_pull_policy_invalid::ImagePullPolicyInvalid,
    &image_pull_policy_not_always::ImagePullPolicyNotAlways,
    &image_pull_secret_duplicate_or_empty::ImagePullSecretDuplicateOrEmpty,
    &image_tag_latest_or_missing::ImageTagLatestOrMissing,
    &init_container_probes_forbidden::InitContainerProbesForbidden,
    &init_container_restart_policy_invalid::InitContainerRestartPolicyInvalid,
    &instance_label_mismatch::InstanceLabelMismatch,
    &invalid_yaml::InvalidYaml,
    &job_ttl_seconds_after_finished::JobTtlSecondsAfterFinished,
    &labels_invalid::LabelsInvalid,
    &lifecycle_sleep_invalid::LifecycleSleepInvalid,
    &low_uid_gid::LowUidGid,
    &memory_limit_missing::MemoryLimitMissing,
    &memory_request_missing::MemoryRequestMissing,
    &metadata_name_invalid::MetadataNameInvalid,
    &missing_liveness_probe::MissingLivenessProbe,
    &missing_network_policy::MissingNetworkPolicy,
    &missing_pdb::MissingPdb,
    &missing_priority_class::MissingPriorityClass,
    &missing_readiness_probe::MissingReadinessProbe,
    &mount_propagation_invalid::MountPropagationInvalid,
    &negative_termination_grace_period::NegativeTerminationGracePeriod,
    &net_raw_not_dropped::NetRawNotDropped,
    &no_node_affinity::NoNodeAffinity,
    &no_pod_anti_affinity::NoPodAntiAffinity,
    &no_rolling_update::NoRollingUpdate,
    &no_topology_spread::NoTopologySpread,
    &node_selector_invalid::NodeSelectorInvalid,
    &null_label_selector::NullLabelSelector,
    &os_field_conflict::OsFieldConflict,
    &pod_no_containers::PodNoContainers,
    &pod_restart_policy_invalid::PodRestartPolicyInvalid,
    &priority_class_not_allowed::PriorityClassNotAllowed,
    &privilege_escalation_contradiction::PrivilegeEscalationContradiction,
    &privileged_container::PrivilegedContainer,
    &privileged_port::PrivilegedPort,
    &probe_fields_invalid::ProbeFieldsInvalid,
    &probe_handler_invalid::ProbeHandlerInvalid,
    &probe_port_not_exposed::ProbePortNotExposed,
    &proc_mount_invalid::ProcMountInvalid,
    &projected_path_conflicts_sa_token::ProjectedPathConflictsSaToken,
    &projected_volume_invalid::ProjectedVolumeInvalid,
    &reference_name_invalid::ReferenceNameInvalid,
    &requests_not_equal_limits::RequestsNotEqualLimits,
    &required_annotation::RequiredAnnotation,
    &required_field_missing::RequiredFieldMissing,
    &required_label::RequiredLabel,
    &resize_policy_invalid::ResizePolicyInvalid,
    &resource_claim_unknown::ResourceClaimUnknown,
    &resource_name_invalid::ResourceNameInvalid,
    &resource_out_of_range::ResourceOutOfRange,
    &resource_quantity_invalid::ResourceQuantityInvalid,
    &resources_request_exceeds_limit::ResourcesRequestExceedsLimit,
    &risky_image::RiskyImage,
    &run_as_root::RunAsRoot,
    &schema_type_mismatch::SchemaTypeMismatch,
    &seccomp_not_set::SeccompNotSet,
    &seccomp_profile_invalid::SeccompProfileInvalid,
    &seccomp_unconfined::SeccompUnconfined,
    &secret_in_env_literal::SecretInEnvLiteral,
    &secret_ref_in_env::SecretRefInEnv,
    &security_context_id_invalid::SecurityContextIdInvalid,
    &security_context_missing::SecurityContextMissing,
    &selector_template_mismatch::SelectorTemplateMismatch,
    &sensitive_host_mount::SensitiveHostMount,
    &service_account_not_found::ServiceAccountNotFound,
    &share_process_namespace_host_pid::ShareProcessNamespaceHostPid,
    &single_replica::SingleReplica,
    &sorted_keys::SortedKeys,
    &ssh_port::SshPort,
    &statefulset_service_name::StatefulsetServiceName,
    &sysctls_invalid::SysctlsInvalid,
    &template_active_deadline_forbidden::TemplateActiveDeadlineForbidden,
    &termination_message_policy_invalid::TerminationMessagePolicyInvalid,
    &tolerations_invalid::TolerationsInvalid,
    &topology_spread_invalid::TopologySpreadInvalid,
    &unknown_field::UnknownField,
    &unmasked_proc_mount::UnmaskedProcMount,
    &unsafe_sysctls::UnsafeSysctls,
    &unused_suppression::UnusedSuppression,
    &unused_volume::UnusedVolume,
    &volume_device_invalid::VolumeDeviceInvalid,
    &volume_hostpath_type_invalid::VolumeHostpathTypeInvalid,
    &volume_mount_path_duplicate::VolumeMountPathDuplicate,
    &volume_mount_subpath_invalid::VolumeMountSubpathInvalid,
    &volume_mount_unknown_volume::VolumeMountUnknownVolume,
    &volume_name_duplicate::VolumeNameDuplicate,
    &volume_name_invalid::VolumeNameInvalid,
    &volume_source_count::VolumeSourceCount,
    &volume_source_fields_invalid::VolumeSourceFieldsInvalid,
    &windows_host_process::WindowsHostProcess,
    &windows_host_process_invalid::WindowsHostProcessInvalid,
    &workload_restart_policy_mismatch::WorkloadRestartPolicyMismatch,
    &writable_host_mount::WritableHostMount,
    &writable_root_filesystem::WritableRootFilesystem,
];

pub(crate) use helm_template::HelmTemplate;
pub(crate) use invalid_yaml::InvalidYaml;
pub(crate) use unused_suppression::UnusedSuppression;

/// Looks a rule up by its name.
pub fn rule(name: &str) -> Option<&'static dyn Rule> {
    RULES
        .binary_search_by(|r| r.meta().name.cmp(name))
        .ok()
        .map(|i| RULES[i])
}

/// What kind of problem a rule finds; it sets the default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// The API server rejects the object.
    ApiRejects,
    /// The API server accepts it with a warning.
    ApiWarns,
    /// Accepted, but breaks or misbehaves when it runs.
    Correctness,
    Reliability,
    Security,
    Resources,
    Style,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::ApiRejects,
        Category::ApiWarns,
        Category::Correctness,
        Category::Reliability,
        Category::Security,
        Category::Resources,
        Category::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::ApiRejects => "api-rejects",
            Category::ApiWarns => "api-warns",
            Category::Correctness => "correctness",
            Category::Reliability => "reliability",
            Category::Security => "security",
            Category::Resources => "resources",
            Category::Style => "style",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub const fn default_severity(self) -> Severity {
        match self {
            Category::ApiRejects => Severity::Error,
            Category::Style => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

/// Whether a rule's findings come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's identity and documentation; `declare_rule!` builds it from the rule's source.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name, used in config, suppressions and output.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Off by default: opinionated checks a team opts into.
    pub default_enabled: bool,
    /// Looks across the objects of every linted file (`Rule::check_project`).
    pub cross_object: bool,
    pub fix: FixAvailability,
    /// One line for `podlint rules`.
    pub summary: &'static str,
    /// The doc comment: what it does, why it matters in a Pod, an example, the fix.
    pub docs: &'static str,
}

/// A check. Implement the hooks the rule needs; the engine calls each once per document,
/// per Kubernetes object and per pod.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    fn check_document(&self, _doc: &Document<'_>, _cx: &mut Context<'_>) {}

    fn check_object(&self, _object: &Object<'_, '_>, _cx: &mut Context<'_>) {}

    fn check_pod(&self, _pod: &Pod<'_, '_>, _cx: &mut Context<'_>) {}

    /// Called once per run over the facts of every linted file, for rules declared
    /// `cross_object: true`.
    fn check_project(&self, _project: &Project<'_>, _cx: &mut ProjectContext<'_>) {}
}

/// What a rule sees besides the tree, and where its findings go.
pub struct Context<'a> {
    pub source: &'a str,
    pub settings: &'a Settings,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) diagnostics: &'a mut Vec<Diagnostic>,
}

impl Context<'_> {
    /// Records a finding of the current rule and returns it for labels, help and a fix.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(self.meta, range, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// The source text of a range.
    pub fn text(&self, range: TextRange) -> &str {
        &self.source[range]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].meta().name < pair[1].meta().name,
                "RULES must be sorted and unique: {} then {}",
                pair[0].meta().name,
                pair[1].meta().name
            );
        }
        for rule in RULES {
            let meta = rule.meta();
            assert!(
                meta.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                meta.name
            );
            for heading in ["## What it does", "## Why", "## Example", "## How to fix"] {
                assert!(
                    meta.docs.contains(heading),
                    "{} docs lack `{heading}`",
                    meta.name
                );
            }
            assert!(!meta.summary.is_empty());
            assert!(std::ptr::eq(
                rule.meta(),
                super::rule(meta.name).unwrap().meta()
            ));
        }
    }
}
