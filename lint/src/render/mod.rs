//! Findings as text for people. The machine formats (JSON, SARIF, …) stay with the command
//! line; the human report is here, next to the diagnostics it draws, so the rule tests in this
//! crate snapshot exactly what `podlint check` prints.
//!
//! Uses only [`crate::text`] and [`crate::diagnostic`].

pub mod human;
mod indexed;
