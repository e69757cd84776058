//! Property tests: whatever the input, lint answers without panicking, its ranges and fix
//! edits lie inside the text on character boundaries, and fixes keep valid YAML valid and
//! converge. (The fuzz targets in `fuzz/` explore the same properties for longer.)

use podlint_lint::rule::RuleSelector;
use podlint_lint::{engine, fix, lint, lint_bytes, Diagnostic, Settings};
use proptest::prelude::*;

fn all_rules() -> Settings {
    let mut settings = Settings::default();
    settings.select(RuleSelector::All);
    settings
}

fn assert_in_text(text: &str, diagnostics: &[Diagnostic]) {
    let inside = |r: podlint_lint::text::TextRange| {
        usize::from(r.end()) <= text.len()
            && text.is_char_boundary(r.start().into())
            && text.is_char_boundary(r.end().into())
    };
    for d in diagnostics {
        assert!(inside(d.range), "{d:?}");
        assert!(d.labels.iter().all(|l| inside(l.range)), "{d:?}");
        if let Some(f) = &d.fix {
            assert!(f.edits.iter().all(|e| inside(e.range)), "{d:?}");
        }
    }
}

const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "labels",
    "spec",
    "template",
    "selector",
    "matchLabels",
    "containers",
    "initContainers",
    "image",
    "imagePullPolicy",
    "ports",
    "containerPort",
    "protocol",
    "volumeMounts",
    "mountPath",
    "volumes",
    "emptyDir",
    "resources",
    "requests",
    "limits",
    "cpu",
    "memory",
    "livenessProbe",
    "httpGet",
    "port",
    "restartPolicy",
    "securityContext",
    "runAsUser",
    "privileged",
    "env",
    "value",
    "contianers",
    "imgae",
];
const VALUES: &[&str] = &[
    "v1",
    "apps/v1",
    "Pod",
    "Deployment",
    "Job",
    "app",
    "Web_1",
    "nginx:1.25",
    "nginx",
    "8080",
    "\"8080\"",
    "0",
    "-1",
    "TCP",
    "tcp",
    "Always",
    "always",
    "OnFailure",
    "128Mi",
    "128MB",
    "0.5",
    "true",
    "null",
    "\"\"",
    "é🎉",
    "{}",
    "[]",
];

/// Kubernetes-shaped YAML: block mappings and sequences of the API's keys and tricky values.
fn manifest() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(VALUES).prop_map(|v| format!(" {v}\n"));
    let tree = leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec((prop::sample::select(KEYS), inner.clone()), 1..6).prop_map(
                |entries| {
                    let mut out = String::from("\n");
                    for (k, v) in entries {
                        out.push_str(&format!("{k}:{v}"));
                    }
                    indent(&out)
                }
            ),
            prop::collection::vec(inner, 1..4).prop_map(|items| {
                let mut out = String::from("\n");
                for item in items {
                    out.push_str(&format!("-{item}"));
                }
                indent(&out)
            }),
        ]
    });
    let entries = || prop::collection::vec((prop::sample::select(KEYS), tree.clone()), 0..5);
    (
        prop::sample::select(&["Pod", "Deployment", "Job", "CronJob", "List"][..]),
        entries(),
        entries(),
    )
        .prop_map(|(kind, pod_entries, container_entries)| {
            let api = match kind {
                "Pod" | "List" => "v1",
                "Job" | "CronJob" => "batch/v1",
                _ => "apps/v1",
            };
            // Random entries at the pod level and inside a container, so the rules run.
            let mut text =
                format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: demo\nspec:\n");
            for (k, v) in pod_entries {
                text.push_str(&indent(&format!("\n{k}:{v}"))[1..]);
                text.push('\n');
            }
            text.push_str("  containers:\n  - name: app\n    image: nginx:1.25\n");
            for (k, v) in container_entries {
                text.push_str(&indent(&indent(&format!("\n{k}:{v}")))[1..]);
                text.push('\n');
            }
            text
        })
}

/// Indents every line after the first by two spaces (a nested block).
fn indent(block: &str) -> String {
    block
        .replace('\n', "\n  ")
        .trim_end_matches(' ')
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_lint_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let report = lint_bytes(&bytes, &all_rules());
        let (text, diagnostics) = (report.text, report.diagnostics);
        assert_in_text(&text, &diagnostics);
    }

    #[test]
    fn fixes_keep_manifests_valid_and_converge(text in manifest()) {
        let settings = all_rules();
        let diagnostics = lint(&text, &settings);
        assert_in_text(&text, &diagnostics);
        let was_valid = !diagnostics.iter().any(|d| d.rule == "invalid-yaml");
        // The engine's fix loop, as `podlint fix` and the editor run it: its guard against
        // invalid YAML must never have to step in, and it must converge within its rounds.
        let fixed = engine::fix_text(&text, &settings, true);
        assert_in_text(&fixed.text, &lint(&fixed.text, &settings));
        prop_assert!(fixed.converged, "fixes do not converge:\n{text}");
        if was_valid {
            prop_assert!(
                !fixed.refused,
                "fixes broke the YAML:\n--- before\n{text}"
            );
        }
    }
}

#[test]
fn inserted_lines_keep_crlf_line_endings() {
    let text = "apiVersion: batch/v1\r\nkind: Job\r\nmetadata:\r\n  name: migrate\r\nspec:\r\n  template:\r\n    spec:\r\n      containers:\r\n      - name: app\r\n        image: my-app:1.0\r\n        securityContext:\r\n          runAsNonRoot: true\r\n";
    let settings = all_rules();
    let (fixed, applied) = fix::apply(text, &lint(text, &settings), true);
    assert!(applied > 0);
    let lone_lf = fixed
        .char_indices()
        .any(|(i, c)| c == '\n' && !fixed[..i].ends_with('\r'));
    assert!(
        !lone_lf,
        "a fix wrote a bare \\n into a CRLF file:\n{fixed:?}"
    );
}
