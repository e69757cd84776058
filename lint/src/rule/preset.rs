//! Presets: named sets of rules a team turns on, off or up in one word (`--select hardening`,
//! `ignore: [probes]`, `severity: {resources: error}`).
//!
//! This layer only knows what a preset is; the table of presets, which names rules, lives in
//! `rules::presets`. A selector word is read as a preset before a category, so a preset may
//! reuse a category's name (`resources`) to mean that category's useful defaults.

/// A named set of rules.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// The selector word, kebab-case.
    pub name: &'static str,
    /// One line for `podlint rules` and docs/rules.md.
    pub summary: &'static str,
    /// Rule names, sorted.
    pub rules: &'static [&'static str],
    /// Other presets whose rules this one also names.
    pub includes: &'static [&'static Preset],
}

/// Every preset, sorted by name: `rules::PRESETS` in podlint; injected like the registry.
pub type Presets = &'static [&'static Preset];

impl Preset {
    /// Whether the preset (or one it includes) names `rule`.
    pub fn contains(&self, rule: &str) -> bool {
        self.rules.contains(&rule) || self.includes.iter().any(|p| p.contains(rule))
    }

    /// Every rule name the preset selects, sorted and without repeats.
    pub fn members(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = self.rules.to_vec();
        for included in self.includes {
            all.extend(included.members());
        }
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The preset called `name`.
pub fn find(presets: Presets, name: &str) -> Option<&'static Preset> {
    presets.iter().copied().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: Preset = Preset {
        name: "inner",
        summary: "",
        rules: &["b", "c"],
        includes: &[],
    };
    static OUTER: Preset = Preset {
        name: "outer",
        summary: "",
        rules: &["a", "c"],
        includes: &[&INNER],
    };

    #[test]
    fn a_preset_names_its_rules_and_those_of_the_presets_it_includes() {
        assert!(OUTER.contains("a") && OUTER.contains("b") && !OUTER.contains("d"));
        assert_eq!(OUTER.members(), ["a", "b", "c"]);
        static BOTH: Presets = &[&INNER, &OUTER];
        static ONE: Presets = &[&INNER];
        assert_eq!(find(BOTH, "outer"), Some(&OUTER));
        assert_eq!(find(ONE, "outer"), None);
    }
}
