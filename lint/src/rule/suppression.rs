//! The suppressions written in a file, as the engine found and applied them: what the
//! suppression stage's rules (`unused-suppression`) look at.

use super::settings::RuleSelector;
use crate::text::TextRange;

/// One name in a directive or annotation.
#[derive(Debug)]
pub struct Entry {
    pub name: String,
    pub range: TextRange,
    /// `None` when the name is no rule, category or `all`.
    pub selector: Option<RuleSelector>,
    /// Whether it suppressed a finding (or may suppress one later: a cross-object rule's).
    pub used: bool,
}

/// Where a suppression is written, which decides how to remove it.
#[derive(Debug)]
pub enum Origin {
    Comment {
        /// From the `#` to the end of the line (newline excluded).
        comment: TextRange,
        /// The whole line, newline included, when the comment stands alone on it.
        own_line: Option<TextRange>,
    },
    Annotation {
        /// What to delete to remove the annotation, when that can be done cleanly.
        removal: Option<TextRange>,
        /// Entries sit at their exact place in the text (no escapes in the value).
        exact: bool,
    },
}

/// A `# podlint-disable…` comment or a `podlint.dev/ignore` annotation.
#[derive(Debug)]
pub struct Suppression {
    /// What it covers: a finding is suppressed when its range starts inside.
    pub scope: TextRange,
    pub entries: Vec<Entry>,
    pub origin: Origin,
    /// Set for a `podlint-disable…` word that is not a directive (where it is, the closest
    /// directive): reported, suppresses nothing.
    pub misspelt: Option<(TextRange, &'static str)>,
}
