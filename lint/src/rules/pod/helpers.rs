//! What several pod rules share: the restart policies and what a misspelt one meant.

pub(crate) const RESTART_POLICIES: [&str; 3] = ["Always", "OnFailure", "Never"];

/// The restart policy `text` was surely meant to be: `always`, `on-failure`, `ON_FAILURE`.
pub(crate) fn intended_policy(text: &str) -> Option<&'static str> {
    let squashed: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect();
    RESTART_POLICIES
        .into_iter()
        .find(|p| p.eq_ignore_ascii_case(&squashed))
}
