//! `declare_rule!`: one place per rule for its docs, metadata and stage.

/// Declares a rule's struct and its `META` from the doc comment and a few fields:
///
/// ```text
/// declare_rule! {
///     /// ## What it does …
///     pub struct DuplicateContainerPort {
///         name: "duplicate-container-port",
///         category: ApiWarns,
///         hook: Pod,            // Text | Syntax | Document | Object | Schema | Pod | Suppression | Project
///         fix: Never,           // Never | Sometimes | Always
///         summary: "Two containers of one Pod declare the same port",
///     }
/// }
/// impl PodRule for DuplicateContainerPort { fn check(&self, pod, cx) { … } }
/// ```
///
/// Optional, after `summary` and in this order:
///
/// * `owns: [("Container", "imagePullPolicy")],`: the schema fields whose values this rule
///   checks in its own words, so the schema-wide rules leave them to it (one finding per
///   problem; a registry test allows one owner per field).
/// * `options: RequiredLabelOptions,`: the rule takes options under `rules: {<name>: …}` in
///   `.podlint.yaml`, a struct declared with `rule_options!` (or implementing
///   [`RuleOptions`](crate::rule::options::RuleOptions)) in the rule's file. They are decoded
///   once when the config is loaded; the rule reads them with
///   `cx.options::<RequiredLabelOptions>()`.
/// * `severity: Info,` (else the category's);
/// * `enabled: false,` (for opinionated rules a team opts into).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $rule:ident {
            name: $name:literal,
            category: $category:ident,
            hook: $hook:ident,
            fix: $fix:ident,
            summary: $summary:literal,
            $(owns: [$(($owner_type:literal, $owner_field:literal)),* $(,)?],)?
            $(options: $options:ty,)?
            $(severity: $severity:ident,)?
            $(enabled: $enabled:literal,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $rule;

        impl $rule {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                name: $name,
                category: $crate::diagnostic::Category::$category,
                severity: declare_rule!(@severity $category $($severity)?),
                default_enabled: declare_rule!(@enabled $($enabled)?),
                fix: $crate::rule::FixAvailability::$fix,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                hook: declare_rule!(@hook $hook $rule),
                owns: &[$($(($owner_type, $owner_field)),*)?],
                options: declare_rule!(@options $($options)?),
            };
        }
    };
    (@severity $category:ident) => { $crate::diagnostic::Category::$category.default_severity() };
    (@severity $category:ident $severity:ident) => { $crate::diagnostic::Severity::$severity };
    (@options) => { None };
    (@options $options:ty) => {
        Some(&<$options as $crate::rule::options::RuleOptions>::SPEC)
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
    (@hook Text $rule:ident) => { $crate::rule::Hook::Text($crate::rule::hook::adapt::text::<$rule>) };
    (@hook Syntax $rule:ident) => { $crate::rule::Hook::Syntax($crate::rule::hook::adapt::syntax::<$rule>) };
    (@hook Document $rule:ident) => { $crate::rule::Hook::Document($crate::rule::hook::adapt::document::<$rule>) };
    (@hook Object $rule:ident) => { $crate::rule::Hook::Object($crate::rule::hook::adapt::object::<$rule>) };
    (@hook Schema $rule:ident) => { $crate::rule::Hook::Schema($crate::rule::hook::adapt::schema::<$rule>) };
    (@hook Pod $rule:ident) => { $crate::rule::Hook::Pod($crate::rule::hook::adapt::pod::<$rule>) };
    (@hook Suppression $rule:ident) => { $crate::rule::Hook::Suppression($crate::rule::hook::adapt::suppression::<$rule>) };
    (@hook Project $rule:ident) => { $crate::rule::Hook::Project($crate::rule::hook::adapt::project::<$rule>) };
}
