//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "podlint",
    version,
    about = "A linter and language server for Kubernetes Pod manifests",
    long_about = "podlint reads Kubernetes manifests (bare Pods and the pod templates of Deployments, \
StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, ReplicationControllers, PodTemplates and Lists) \
and reports, at the exact field, what the API server would reject, what breaks when the Pod runs, \
and what is unsafe or unreliable."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint manifests: files, directories (walked for *.yaml and *.yml, honouring .gitignore) or `-` for stdin.
    Check(CheckArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Apply fixes to manifests, then report what remains (`-` fixes stdin to stdout).
    Fix(FixArgs),
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// Print the configuration that applies to a path: the config file used, the enabled rules and their severities, the options.
    Config(ConfigCmdArgs),
    /// Run the language server on stdin/stdout (for editors). Takes `--stdio` (the default) and ignores `--clientProcessId=N`; exits 0 after `shutdown` then `exit`, 1 on `exit` without `shutdown`.
    Lsp,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads a manifest from stdin (e.g. `helm template . | podlint check -`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// How findings are printed [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// After the report, count the findings of each rule and how many of them are fixable.
    #[arg(long)]
    pub statistics: bool,

    #[command(flatten)]
    pub rules: RuleSelection,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = Threshold::Warning)]
    pub severity_threshold: Threshold,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// How many files to lint at once (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,

    /// The name to show for a manifest read from stdin.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,

    #[command(flatten)]
    pub render: RenderArgs,
}

/// Building kustomizations and rendering Helm charts before linting.
#[derive(Debug, Args, Default, Clone)]
pub struct RenderArgs {
    /// When to build kustomizations (kubectl kustomize / kustomize build) and render Helm charts
    /// (helm template) before linting; `always` fails when the tool is missing
    /// [default: `render:` in .podlint.yaml, else auto].
    #[arg(long, value_enum)]
    pub render: Option<RenderChoice>,

    /// The command that builds a kustomization, e.g. "kustomize build" [default: kubectl kustomize, else kustomize build, from PATH].
    #[arg(long, value_name = "COMMAND")]
    pub kustomize_command: Option<String>,

    /// The Helm program [default: helm, from PATH].
    #[arg(long, value_name = "COMMAND")]
    pub helm_command: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderChoice {
    /// Render when the tool is found; otherwise lint the sources as written.
    Auto,
    /// Render, and fail (exit 2) when the tool is missing.
    Always,
    /// Lint the sources as written.
    Never,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Also apply fixes that may change what the manifest means (review them).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the changes as a unified diff instead of writing them; exit 1 if there are any.
    #[arg(long)]
    pub diff: bool,
}

/// Where settings come from besides the command line.
#[derive(Debug, Args, Default, Clone)]
pub struct ConfigArgs {
    /// Use this config file for every path instead of the nearest `.podlint.yaml`.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every config file: defaults and the command line only.
    #[arg(long)]
    pub isolated: bool,

    /// Ignore `# podlint-disable…` comments and `podlint.dev/ignore` annotations.
    #[arg(long)]
    pub no_inline_suppressions: bool,
}

#[derive(Debug, Args)]
pub struct ConfigCmdArgs {
    /// A manifest or a directory [default: .].
    pub path: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    #[command(flatten)]
    pub rules: RuleSelection,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args, Default, Clone)]
pub struct RuleSelection {
    /// Turn on rules: names, categories (e.g. `security`) or `all`. Comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,

    /// Turn off rules: names, categories or `all`. Applied after --select.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// The Kubernetes version your cluster runs, e.g. `1.30`: fields it does not have are
    /// reported [default: the newest podlint knows].
    #[arg(long, value_name = "1.NN", value_parser = podlint_lint::settings::parse_kubernetes_version)]
    pub kubernetes_version: Option<u8>,

    /// Hold every pod to this Pod Security Standards level, as Pod Security Admission would
    /// (turns on `pod-security`) [default: baseline]. Namespaces declared with
    /// `pod-security.kubernetes.io/*` labels apply their own levels to their pods too.
    #[arg(long, value_name = "LEVEL", value_parser = parse_pss_level)]
    pub pod_security: Option<podlint_lint::k8s::pod_security::Level>,

    /// The Pod Security Standards policy version: `latest` or `v1.N`, e.g. `v1.30` [default: latest].
    #[arg(long, value_name = "v1.N", value_parser = podlint_lint::k8s::pod_security::Version::parse)]
    pub pod_security_version: Option<podlint_lint::k8s::pod_security::Version>,
}

fn parse_pss_level(text: &str) -> Result<podlint_lint::k8s::pod_security::Level, String> {
    podlint_lint::k8s::pod_security::Level::parse(text.trim()).ok_or_else(|| {
        format!("`{text}` is not a Pod Security Standards level; use `privileged`, `baseline` or `restricted`")
    })
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule's name, e.g. `duplicate-container-port`.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with the problem underlined, the other places involved and what to do.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON object for tools (see docs/architecture.md).
    Json,
    /// One JSON object per line per finding, with the fields of `json`'s diagnostics.
    JsonLines,
    /// GitHub Actions workflow commands: annotations on the pull request's lines.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.
    Sarif,
    /// JUnit XML: a test suite per file, a failing test case per finding.
    Junit,
}

impl Format {
    /// The format when `--format` is not given: annotations inside GitHub Actions, else human.
    pub fn resolve(given: Option<Format>, github_actions: bool) -> Format {
        match given {
            Some(format) => format,
            None if github_actions => Format::Github,
            None => Format::Human,
        }
    }

    /// Whether the output is a document other programs parse (so nothing else may go to stdout).
    pub fn is_machine_readable(self) -> bool {
        matches!(
            self,
            Format::Json | Format::JsonLines | Format::Sarif | Format::Junit
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Info,
    Warning,
    Error,
    /// Exit 0 whatever is found.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
