//! `declare_rule!`: one place per rule for its docs and metadata.

/// Declares a rule's struct and its `META` from the doc comment and a few fields:
///
/// ```text
/// declare_rule! {
///     /// ## What it does …
///     pub struct DuplicateContainerPort {
///         name: "duplicate-container-port",
///         category: ApiWarns,
///         fix: None,
///         summary: "Two containers of one Pod declare the same port",
///     }
/// }
/// ```
///
/// Optional, after `summary`: `severity: Info,` (else the category's),
/// `enabled: false,` (for opinionated rules a team opts into) and `cross_object: true,` (a rule
/// that implements `check_project` over the whole set of linted manifests).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $rule:ident {
            name: $name:literal,
            category: $category:ident,
            fix: $fix:ident,
            summary: $summary:literal,
            $(severity: $severity:ident,)?
            $(enabled: $enabled:literal,)?
            $(cross_object: $cross:literal,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $rule;

        impl $rule {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: $name,
                category: $crate::rules::Category::$category,
                severity: declare_rule!(@severity $category $($severity)?),
                default_enabled: declare_rule!(@enabled $($enabled)?),
                cross_object: declare_rule!(@cross $($cross)?),
                fix: $crate::rules::FixAvailability::$fix,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
    (@severity $category:ident) => { $crate::rules::Category::$category.default_severity() };
    (@severity $category:ident $severity:ident) => { $crate::diagnostic::Severity::$severity };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
    (@cross) => { false };
    (@cross $cross:literal) => { $cross };
}
