//! The rule API: what a rule declares about itself, the stage of the pipeline it runs at, and
//! what it sees there.
//!
//! A rule is a unit struct declared with [`declare_rule!`], which builds its [`RuleMeta`]
//! from its doc comment and a few fields. Its `hook:` names the stage it runs at, and the
//! rule implements that stage's trait: [`PodRule`] for a check of one PodSpec, [`ObjectRule`]
//! for one Kubernetes object, [`SchemaRule`] for a visitor of the shared schema walk, and so
//! on. The compiler checks that the two agree, and the engine calls each rule at its stage
//! only.
//!
//! Nothing here names a rule: the registry of every rule lives above, in `rules`.

#[macro_use]
mod declare;
mod context;
pub mod hook;
mod meta;
#[macro_use]
pub mod options;
pub mod preset;
pub mod settings;
mod suppression;

pub use context::{Context, ProjectContext};
pub use hook::{
    DocumentRule, Flow, Hook, ObjectRule, PodRule, ProjectRule, SchemaHook, SchemaRule, Stage,
    SuppressionRule, SyntaxProblems, SyntaxRule, TextRule,
};
pub use meta::{FixAvailability, RuleMeta};
pub use preset::{Preset, Presets};
pub use settings::{RuleSelector, Settings};
pub use suppression::{Entry, Origin, Suppression};
