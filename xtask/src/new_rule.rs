//! `cargo xtask new-rule <rule-name> --area <area> [--hook pod|object|document|project]`:
//! writes the files of a new rule — its source with the documentation headings, a check and a
//! test to fill in, and a pass and a fail fixture — then registers it (`generate`).

use std::fs;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask new-rule <rule-name> --area <area> [--hook pod|object|document|project]";

/// What each hook's check looks like in a new rule.
struct Hook {
    name: &'static str,
    imports: &'static str,
    check: &'static str,
}

const HOOKS: &[Hook] = &[
    Hook {
        name: "pod",
        imports: "use crate::k8s::Pod;\nuse crate::rule::{Context, PodRule};",
        check: "impl PodRule for {Type} {\n    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {\n        for container in pod.containers() {\n            // Report with `cx.report(range, \"what is wrong, why it matters in a Pod\")`,\n            // then `.help(\"how to fix it\")` and, when mechanical, `.fix(Fix::safe(…))`.\n            let _ = (container, &cx);\n        }\n    }\n}",
    },
    Hook {
        name: "object",
        imports: "use crate::k8s::Object;\nuse crate::rule::{Context, ObjectRule};",
        check: "impl ObjectRule for {Type} {\n    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {\n        let _ = (object, cx);\n    }\n}",
    },
    Hook {
        name: "document",
        imports: "use crate::rule::{Context, DocumentRule};\nuse crate::syntax::Document;",
        check: "impl DocumentRule for {Type} {\n    fn check(&self, document: &Document<'_>, cx: &mut Context<'_>) {\n        let _ = (document, cx);\n    }\n}",
    },
    Hook {
        name: "project",
        imports: "use crate::project::Project;\nuse crate::rule::{ProjectContext, ProjectRule};",
        check: "impl ProjectRule for {Type} {\n    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {\n        let _ = (project, cx);\n    }\n}",
    },
];

const TEMPLATE: &str = r#"{imports}

declare_rule! {
    /// ## What it does
    /// Reports … (one or two sentences: the field, and what is wrong with it).
    ///
    /// ## Why it matters in a Pod
    /// What the API server or the kubelet does with it, and what breaks, for a reader who
    /// knows Docker and is learning Pods.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// The change to make, with the corrected YAML.
    pub struct {Type} {
        name: "{name}",
        category: Correctness,
        hook: {Hook},
        fix: Never,
        summary: "One line for `podlint rules`",
    }
}

{check}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn cases() {
        RuleTest::new(&super::{Type}::META)
            .pass(pod("  containers:\n  - name: app\n    image: my-app:1.0\n"))
            .run();
    }
}
"#;

const PASS: &str = "# A manifest {name} has nothing to say about.\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";
const FAIL: &str = "# A manifest {name} flags: say in a comment what is wrong.\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";

pub fn run(args: &[String]) -> ExitCode {
    let Some((name, area, hook)) = parse_args(args) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let root = crate::workspace_root();
    let Some(hook) = HOOKS.iter().find(|h| h.name == hook) else {
        eprintln!("unknown hook `{hook}`\n{USAGE}");
        return ExitCode::from(2);
    };
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !valid {
        eprintln!("a rule name is kebab-case: lowercase words joined by `-`");
        return ExitCode::from(2);
    }
    let area_dir = root.join("lint/src/rules").join(&area);
    if !area_dir.is_dir() {
        eprintln!(
            "no area `{area}`: the areas are the folders of lint/src/rules/ (a new one needs a line in xtask/src/generate.rs)"
        );
        return ExitCode::from(2);
    }
    let module = name.replace('-', "_");
    let source_path = area_dir.join(format!("{module}.rs"));
    let fixtures = root.join("fixtures/rules").join(&name);
    if source_path.exists() || fixtures.exists() {
        eprintln!("`{name}` exists already");
        return ExitCode::from(2);
    }
    let source = TEMPLATE
        .replace("{imports}", hook.imports)
        .replace("{check}", hook.check)
        .replace("{Type}", &type_name(&name))
        .replace("{name}", &name)
        .replace("{Hook}", &capitalised(hook.name));
    let written = write(&source_path, &source)
        .and_then(|()| fs::create_dir_all(&fixtures))
        .and_then(|()| write(&fixtures.join("pass.yaml"), &PASS.replace("{name}", &name)))
        .and_then(|()| write(&fixtures.join("fail.yaml"), &FAIL.replace("{name}", &name)));
    if let Err(error) = written {
        eprintln!("xtask new-rule: {error}");
        return ExitCode::FAILURE;
    }
    for path in [
        &source_path,
        &fixtures.join("pass.yaml"),
        &fixtures.join("fail.yaml"),
    ] {
        println!(
            "wrote {}",
            path.strip_prefix(&root).unwrap_or(path).display()
        );
    }
    let code = crate::generate::run(&[]);
    println!(
        "\nnext: write the check and the fixtures, then `cargo test -p podlint-lint {module}`;\n\
         accept the first snapshot with `INSTA_UPDATE=always cargo test -p podlint-lint {module}`\n\
         and read it in fixtures/tests/snapshots/{name}.snap."
    );
    code
}

fn parse_args(args: &[String]) -> Option<(String, String, String)> {
    let mut name = None;
    let mut area = None;
    let mut hook = "pod".to_string();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--area" => area = Some(args.next()?.clone()),
            "--hook" => hook = args.next()?.clone(),
            other if !other.starts_with('-') && name.is_none() => name = Some(other.to_string()),
            _ => return None,
        }
    }
    Some((name?, area?, hook))
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    fs::write(path, text)
}

/// `host-pid` → `HostPid`.
fn type_name(name: &str) -> String {
    name.split('-').map(capitalised).collect()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_types_and_hooks() {
        assert_eq!(type_name("host-pid"), "HostPid");
        assert_eq!(capitalised("pod"), "Pod");
        let args: Vec<String> = ["my-rule", "--area", "ports"].map(String::from).into();
        assert_eq!(
            parse_args(&args),
            Some(("my-rule".into(), "ports".into(), "pod".into()))
        );
        assert_eq!(parse_args(&["my-rule".to_string()]), None);
    }

    #[test]
    fn the_template_fills_every_placeholder() {
        for hook in HOOKS {
            let source = TEMPLATE
                .replace("{imports}", hook.imports)
                .replace("{check}", hook.check)
                .replace("{Type}", "MyRule")
                .replace("{name}", "my-rule")
                .replace("{Hook}", &capitalised(hook.name));
            assert!(
                !source.contains('{') || !source.contains("{Type}"),
                "{source}"
            );
            assert!(source.contains("hook: "), "{source}");
        }
    }
}
