//! `.podlint.yaml`: what a team configures, parsed from text ([`parse`]), modelled as layers
//! of choices ([`ConfigFile`], [`Layer`]) and resolved per file ([`Resolver`], which reads
//! files only through an injected [`ConfigReader`]).
//!
//! ```yaml
//! select: [all]                    # rule names, categories or `all`
//! ignore: [bare-pod]
//! severity: {style: warning, duplicate-container-port: error}
//! exclude: [vendor/, "charts/*/templates/"]   # gitignore-style, relative to this file
//! kubernetes-version: "1.30"
//! inline-suppressions: true        # false: ignore `# podlint-disable…` and annotations
//! render: auto                     # build kustomizations and charts: auto | always | never
//! kustomize-command: kubectl kustomize
//! helm-command: helm
//! rules:
//!   required-label: {labels: [app, team]}
//! pod-security: {level: restricted, version: v1.30}   # or `select: [pss-restricted]`
//! overrides:
//! - files: ["legacy/**"]
//!   ignore: [security]
//! ```

mod model;
mod parse;
pub mod partial;
pub mod pod_security;
mod resolve;
mod schema;

pub use crate::rule::options::{ConfiguredOptions, OptionError, RuleOptions};
pub use model::{ConfigFile, Globs, Layer, Override, RenderConfig, RenderMode};
pub use parse::{parse, ConfigError as ParseError, KEYS, OVERRIDE_KEYS};
pub use resolve::{
    is_normal, normalize, ConfigError, ConfigProblem, ConfigReader, LoadedConfig, Resolved,
    Resolver, ResolverOptions, CONFIG_FILE,
};
pub use schema::{json_schema, json_schema_text};
