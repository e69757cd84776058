//! Any bytes: lint never panics, every range lies inside the text, and every fix applies
//! inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podlint_lint::settings::Selector;
use podlint_lint::Settings;

fuzz_target!(|data: &[u8]| {
    let mut settings = Settings::default();
    settings.select(Selector::All);
    let (text, diagnostics) = podlint_lint::lint_bytes(data, &settings);
    podlint_fuzz_support::check_invariants(&text, &diagnostics, &settings);
});

#[path = "support.rs"]
mod podlint_fuzz_support;
