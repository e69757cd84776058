//! The Pod Security Standards, evaluated as Pod Security Admission (PSA) evaluates them.
//!
//! PSA is a registry of checks, each with a level (baseline or restricted) and one revision
//! per policy version where its behaviour changed; restricted is every baseline check, minus
//! those a restricted check overrides, plus the restricted checks. Instead of running the
//! registry once per level and version, [`evaluate`] runs every check once and records, for
//! each violation, the policy versions at which each level forbids it ([`Span`]). A pod then
//! fails a policy ([`Policy`]) exactly when one of its violations [`applies`](Violation::applies)
//! to it, so one evaluation serves the configured policy and every namespace's labels.
//!
//! The reference is PSA's `policy/` package (kubernetes/kubernetes,
//! `staging/src/k8s.io/pod-security-admission/policy`) and its test fixtures; the version
//! history of each check is written next to it in [`checks`].

mod checks;

use std::fmt;

use crate::diagnostic::Fix;
use crate::text::TextRange;

pub use checks::evaluate;

/// The newest policy version: the highest revision of any check (sysctls, v1.37). `latest`
/// means this one, and a newer version written in a label is read as this one, as PSA does.
pub const LATEST_MINOR: u8 = 37;

/// A Pod Security Standards level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Level {
    /// No restriction at all.
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Privileged, Level::Baseline, Level::Restricted];

    /// Reads a level as written in a namespace label or the config (lower case, as PSA).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy version: `latest`, or the Kubernetes minor release whose checks apply (`v1.30`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Version {
    #[default]
    Latest,
    /// `v1.N`; kept as written (a version newer than [`LATEST_MINOR`] behaves as it).
    Minor(u16),
}

impl Version {
    /// Reads a version as PSA's labels take it: `latest` or `v1.N`.
    pub fn parse_label(text: &str) -> Result<Self, String> {
        if text == "latest" {
            return Ok(Version::Latest);
        }
        let minor = text
            .strip_prefix("v1.")
            .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
            .filter(|m| m.len() == 1 || !m.starts_with('0'))
            .and_then(|m| m.parse::<u16>().ok())
            .ok_or_else(|| {
                format!("`{text}` is not a policy version; write `latest` or `v1.N`, e.g. `v1.30`")
            })?;
        Ok(Version::Minor(minor))
    }

    /// Reads a version from the command line or the config: also `1.30` without the `v`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text.strip_prefix("1.") {
            Some(_) => Self::parse_label(&format!("v{text}")),
            None => Self::parse_label(text),
        }
    }

    /// The minor release whose checks apply.
    pub fn minor(self) -> u8 {
        match self {
            Version::Latest => LATEST_MINOR,
            Version::Minor(m) => m.min(u16::from(LATEST_MINOR)) as u8,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::Minor(m) => write!(f, "v1.{m}"),
        }
    }
}

/// A level at a version, as a namespace label pair or the config sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Policy {
    pub level: Level,
    pub version: Version,
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.level, self.version)
    }
}

/// The policy versions (Kubernetes minors, inclusive) at which a level forbids a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub from: u8,
    pub to: u8,
}

impl Span {
    /// Every version.
    pub const ALL: Span = Span {
        from: 0,
        to: u8::MAX,
    };
    /// No version: the level never forbids it.
    pub const NEVER: Span = Span { from: 1, to: 0 };

    /// From `minor` on.
    pub const fn since(minor: u8) -> Span {
        Span {
            from: minor,
            to: u8::MAX,
        }
    }

    /// Up to `minor`, included.
    pub const fn until(minor: u8) -> Span {
        Span { from: 0, to: minor }
    }

    pub fn contains(self, minor: u8) -> bool {
        self.from <= minor && minor <= self.to
    }

    /// Also ends at `minor` (a later revision of the check lets the pod through).
    pub fn ending(self, minor: u8) -> Span {
        Span {
            from: self.from,
            to: self.to.min(minor),
        }
    }
}

/// A Pod Security Standards control, named as the standard names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Control {
    HostProcess,
    HostNamespaces,
    Privileged,
    Capabilities,
    HostPathVolumes,
    HostPorts,
    HostProbes,
    AppArmor,
    SeLinux,
    ProcMount,
    Seccomp,
    Sysctls,
    VolumeTypes,
    PrivilegeEscalation,
    RunAsNonRoot,
    RunAsUser,
    /// The restricted level's capabilities control: drop `ALL`, add only `NET_BIND_SERVICE`.
    CapabilitiesRestricted,
}

impl Control {
    /// Every control, in the order of the standard.
    pub const ALL: [Control; 17] = [
        Control::HostProcess,
        Control::HostNamespaces,
        Control::Privileged,
        Control::Capabilities,
        Control::HostPathVolumes,
        Control::HostPorts,
        Control::HostProbes,
        Control::AppArmor,
        Control::SeLinux,
        Control::ProcMount,
        Control::Seccomp,
        Control::Sysctls,
        Control::VolumeTypes,
        Control::PrivilegeEscalation,
        Control::RunAsNonRoot,
        Control::RunAsUser,
        Control::CapabilitiesRestricted,
    ];

    /// The control's name in the Pod Security Standards.
    pub fn name(self) -> &'static str {
        match self {
            Control::HostProcess => "HostProcess",
            Control::HostNamespaces => "Host Namespaces",
            Control::Privileged => "Privileged Containers",
            Control::Capabilities | Control::CapabilitiesRestricted => "Capabilities",
            Control::HostPathVolumes => "HostPath Volumes",
            Control::HostPorts => "Host Ports",
            Control::HostProbes => "Host Probes / Lifecycle Hooks",
            Control::AppArmor => "AppArmor",
            Control::SeLinux => "SELinux",
            Control::ProcMount => "/proc Mount Type",
            Control::Seccomp => "Seccomp",
            Control::Sysctls => "Sysctls",
            Control::VolumeTypes => "Volume Types",
            Control::PrivilegeEscalation => "Privilege Escalation",
            Control::RunAsNonRoot => "Running as Non-root",
            Control::RunAsUser => "Running as Non-root user",
        }
    }

    /// The lowest level that has the control.
    pub fn level(self) -> Level {
        match self {
            Control::VolumeTypes
            | Control::PrivilegeEscalation
            | Control::RunAsNonRoot
            | Control::RunAsUser
            | Control::CapabilitiesRestricted => Level::Restricted,
            _ => Level::Baseline,
        }
    }
}

/// One field of a pod that a level forbids at some policy versions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    pub control: Control,
    /// The field at fault (or, for a required field that is missing, where it belongs).
    pub range: TextRange,
    /// What is wrong here, and why it matters for the pod.
    pub message: String,
    /// What to write instead.
    pub help: String,
    pub fix: Option<Fix>,
    /// The versions at which the baseline level forbids it.
    pub baseline: Span,
    /// The versions at which the restricted level forbids it.
    pub restricted: Span,
}

impl Violation {
    /// Whether `policy` forbids this.
    pub fn applies(&self, policy: Policy) -> bool {
        let minor = policy.version.minor();
        match policy.level {
            Level::Privileged => false,
            Level::Baseline => self.baseline.contains(minor),
            Level::Restricted => self.restricted.contains(minor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_as_psa_reads_them() {
        assert_eq!(Version::parse_label("latest"), Ok(Version::Latest));
        assert_eq!(Version::parse_label("v1.30"), Ok(Version::Minor(30)));
        assert_eq!(Version::parse_label("v1.0"), Ok(Version::Minor(0)));
        assert!(Version::parse_label("1.30").is_err());
        assert!(Version::parse_label("v1.030").is_err());
        assert!(Version::parse_label("v2.1").is_err());
        assert_eq!(Version::parse("1.30"), Ok(Version::Minor(30)));
        assert_eq!(Version::parse(" v1.8 "), Ok(Version::Minor(8)));
        // Newer than any check's revision: the newest policy.
        assert_eq!(Version::Minor(99).minor(), LATEST_MINOR);
        assert_eq!(Version::Minor(30).to_string(), "v1.30");
    }

    #[test]
    fn spans_bound_versions() {
        assert!(Span::ALL.contains(0) && Span::ALL.contains(LATEST_MINOR));
        assert!(!Span::NEVER.contains(0) && !Span::NEVER.contains(30));
        assert!(Span::since(19).contains(19) && !Span::since(19).contains(18));
        assert!(!Span::since(22).ending(24).contains(25));
        assert!(Span::until(30).contains(30) && !Span::until(30).contains(31));
    }
}
