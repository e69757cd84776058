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
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads a manifest from stdin (e.g. `helm template . | podlint check -`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    #[command(flatten)]
    pub rules: RuleSelection,

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
