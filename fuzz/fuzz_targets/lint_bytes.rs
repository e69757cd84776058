//! Any bytes: lint never panics, every range lies inside the text, and every fix applies
//! inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podlint_lint::rule::RuleSelector;
use podlint_lint::Settings;

fuzz_target!(|data: &[u8]| {
    let mut settings = Settings::default();
    settings.select(RuleSelector::All);
    let report = podlint_lint::lint_bytes(data, &settings);
    podlint_fuzz_support::check_invariants(&report.text, &report.diagnostics, &settings);
});

#[path = "support.rs"]
mod podlint_fuzz_support;
