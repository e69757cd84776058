//! The stages of the pipeline a rule can run at, one trait each.
//!
//! `declare_rule!`'s `hook: Pod` stores `Hook::Pod(<the rule's PodRule::check>)` in the rule's
//! metadata, so a rule implements exactly the trait of the stage it declares and the engine
//! calls it there and nowhere else.

use super::context::{Context, ProjectContext};
use super::suppression::Suppression;
use crate::k8s::{Object, Pod};
use crate::project::Project;
use crate::schema::walk::Visitor;
use crate::source::DecodeError;
use crate::syntax::{Document, SyntaxError};

/// Where in the pipeline a rule runs, in the order the engine runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The file's text, before it is parsed; may stop the file there.
    Text,
    /// What went wrong reading and parsing the file.
    Syntax,
    /// Each YAML document.
    Document,
    /// Each Kubernetes object.
    Object,
    /// Each object's fields with their schema types, in one walk shared by all such rules.
    Schema,
    /// Each PodSpec (bare Pods and the pod templates of workloads).
    Pod,
    /// The file's suppression comments and annotations, once they have been applied.
    Suppression,
    /// Every file linted together, once all are done.
    Project,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Text => "text",
            Stage::Syntax => "syntax",
            Stage::Document => "document",
            Stage::Object => "object",
            Stage::Schema => "schema",
            Stage::Pod => "pod",
            Stage::Suppression => "suppression",
            Stage::Project => "project",
        }
    }
}

/// Whether the pipeline goes on with a file after a text rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// The file is not YAML to lint (an unrendered template): no parse, no other rule.
    Stop,
}

/// What went wrong reading a file: at most one encoding problem, then the parser's errors.
pub struct SyntaxProblems<'a> {
    pub decode: Option<&'a DecodeError>,
    pub parse: &'a [SyntaxError],
    /// Lines read the lenient way kubectl reads them (`syntax::ParsedFile::lenient`).
    pub lenient: &'a [SyntaxError],
}

/// A check of the file's text before it is parsed.
pub trait TextRule: Sync {
    fn check(&self, text: &str, cx: &mut Context<'_>) -> Flow;
}

/// A check of what went wrong reading and parsing the file.
pub trait SyntaxRule: Sync {
    fn check(&self, problems: &SyntaxProblems<'_>, cx: &mut Context<'_>);
}

/// A check of one YAML document, whatever it holds.
pub trait DocumentRule: Sync {
    fn check(&self, document: &Document<'_>, cx: &mut Context<'_>);
}

/// A check of one Kubernetes object (a mapping with `apiVersion` and `kind`).
pub trait ObjectRule: Sync {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>);
}

/// A check of one PodSpec.
pub trait PodRule: Sync {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>);
}

/// A visitor of the schema walk: the engine walks each object once and calls every schema
/// rule's visitor at each step.
pub trait SchemaRule: Sync {
    fn visitor<'c, 'a, 'd, 's>(
        &self,
        object: &'c Object<'d, 's>,
        cx: &'c mut Context<'a>,
    ) -> Box<dyn Visitor<'d, 's> + 'c>;
}

/// A check of the file's suppressions after they have been applied (which were used).
pub trait SuppressionRule: Sync {
    fn check(&self, suppressions: &[Suppression], cx: &mut Context<'_>);
}

/// A check across every file linted together, over the facts each file left.
pub trait ProjectRule: Sync {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>);
}

/// The schema stage's function: a visitor for one object.
pub type SchemaHook = for<'c, 'a, 'd, 's> fn(
    &'c Object<'d, 's>,
    &'c mut Context<'a>,
) -> Box<dyn Visitor<'d, 's> + 'c>;

/// A rule's stage with the function the engine calls there.
#[derive(Clone, Copy)]
pub enum Hook {
    Text(fn(&str, &mut Context<'_>) -> Flow),
    Syntax(fn(&SyntaxProblems<'_>, &mut Context<'_>)),
    Document(fn(&Document<'_>, &mut Context<'_>)),
    Object(fn(&Object<'_, '_>, &mut Context<'_>)),
    Schema(SchemaHook),
    Pod(fn(&Pod<'_, '_>, &mut Context<'_>)),
    Suppression(fn(&[Suppression], &mut Context<'_>)),
    Project(fn(&Project<'_>, &mut ProjectContext<'_>)),
}

impl Hook {
    pub fn stage(&self) -> Stage {
        match self {
            Hook::Text(_) => Stage::Text,
            Hook::Syntax(_) => Stage::Syntax,
            Hook::Document(_) => Stage::Document,
            Hook::Object(_) => Stage::Object,
            Hook::Schema(_) => Stage::Schema,
            Hook::Pod(_) => Stage::Pod,
            Hook::Suppression(_) => Stage::Suppression,
            Hook::Project(_) => Stage::Project,
        }
    }
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hook::{:?}", self.stage())
    }
}

// The functions `declare_rule!` stores: one per stage, generic over the rule, so each is a
// plain function pointer with the right lifetimes.
#[doc(hidden)]
pub mod adapt {
    use super::*;

    pub fn text<R: TextRule + Default>(text: &str, cx: &mut Context<'_>) -> Flow {
        R::default().check(text, cx)
    }
    pub fn syntax<R: SyntaxRule + Default>(p: &SyntaxProblems<'_>, cx: &mut Context<'_>) {
        R::default().check(p, cx)
    }
    pub fn document<R: DocumentRule + Default>(d: &Document<'_>, cx: &mut Context<'_>) {
        R::default().check(d, cx)
    }
    pub fn object<R: ObjectRule + Default>(o: &Object<'_, '_>, cx: &mut Context<'_>) {
        R::default().check(o, cx)
    }
    pub fn schema<'c, 'a, 'd, 's, R: SchemaRule + Default>(
        o: &'c Object<'d, 's>,
        cx: &'c mut Context<'a>,
    ) -> Box<dyn Visitor<'d, 's> + 'c> {
        R::default().visitor(o, cx)
    }
    pub fn pod<R: PodRule + Default>(p: &Pod<'_, '_>, cx: &mut Context<'_>) {
        R::default().check(p, cx)
    }
    pub fn suppression<R: SuppressionRule + Default>(s: &[Suppression], cx: &mut Context<'_>) {
        R::default().check(s, cx)
    }
    pub fn project<R: ProjectRule + Default>(p: &Project<'_>, cx: &mut ProjectContext<'_>) {
        R::default().check(p, cx)
    }
}
