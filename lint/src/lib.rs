//! podlint's analysis library: text in, findings out. No terminal, no files, no LSP.
//!
//! The path of a manifest, from bytes to a finding, is [`engine`]'s: [`source::decode`]
//! checks the encoding → [`syntax::parse`] builds a spanned tree per YAML document →
//! [`k8s::objects`] finds the Kubernetes objects and the pod inside each → every enabled rule
//! of [`rules::RULES`] runs at the stage it declares ([`rule::Stage`]) → [`engine::finish`]
//! runs the cross-object rules over every file, applies suppressions and severities, and
//! sorts. `docs/architecture.md` follows it step by step.
//!
//! Modules are layered: each may use only those listed before it (`cargo xtask layers`
//! checks this).

pub mod diagnostic;
pub mod fix;
pub mod k8s;
pub mod project;
pub mod quantity;
pub mod render;
pub mod schema;
pub mod source;
pub mod sourcemap;
pub mod syntax;
pub mod text;
#[macro_use]
pub mod rule;
pub mod config;
pub mod docs;
pub mod engine;
pub mod rules;

pub use diagnostic::{Applicability, Category, Diagnostic, Edit, Fix, Label, Severity};
pub use engine::{check_file, finish, fix_file, lint, lint_bytes, FilePass, FileReport};
pub use rule::{FixAvailability, RuleMeta, Settings};
pub use rules::RULES;

/// Compatibility path for `Settings` and its helpers.
pub use rule::settings;
