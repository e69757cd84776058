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

/// The last value of a mapping, written in one of the ways that trip edits up: plain, an
/// alias, a block scalar (with a blank line inside and after; `{i}` is its indentation), a
/// flow mapping.
const LAST_VALUES: &[&str] = &[
    " always\n",
    " *policy\n",
    " |\n{i}first\n\n{i}second\n\n",
    " >-\n{i}folded\n",
    " {}\n",
    " &late tcp\n",
];

/// A Pod whose containers share parts through anchors, aliases and `<<` merge keys, with
/// block scalars and aliases as the last values of the mappings fixes add keys to.
fn hostile_manifest() -> impl Strategy<Value = String> {
    (
        prop::sample::select(VALUES),
        prop::sample::select(LAST_VALUES),
        prop::sample::select(LAST_VALUES),
        prop::collection::vec(0..8usize, 0..6),
        prop::sample::select(&["Pod", "Deployment", "Job"][..]),
    )
        .prop_map(|(value, last_a, last_b, uses, kind)| {
            let mut second = String::from("  - name: b\n");
            for use_ in uses {
                second.push_str(match use_ {
                    0 => "    <<: *base\n",
                    1 => "    securityContext: *sc\n",
                    2 => "    volumeMounts: *mounts\n",
                    3 => "    ports: *ports\n",
                    4 => "    imagePullPolicy: *policy\n",
                    5 => "    env: [{name: A, value: *policy}]\n",
                    6 => "    image: nginx:1.25\n",
                    _ => "    securityContext: {runAsUser: *policy}\n",
                });
            }
            second.push_str(&format!("    command:{}", last_b.replace("{i}", "      ")));
            let last_a = last_a.replace("{i}", "        ");
            let pod = format!(
                "spec:\n  securityContext: &sc\n    runAsUser: 0\n  containers:\n  - &base\n    name: a\n    image: nginx\n    imagePullPolicy: &policy {value}\n    ports: &ports\n    - containerPort: 8080\n      protocol: tcp\n    volumeMounts: &mounts\n    - name: host\n      mountPath: /host\n      subPath:{last_a}{second}  volumes:\n  - name: host\n    hostPath: {{path: /var/log}}\n"
            );
            let body = match kind {
                "Pod" => pod,
                _ => {
                    let nested = pod.replace('\n', "\n    ");
                    format!("spec:\n  template:\n    metadata: {{labels: {{app: x}}}}\n    {}", nested.trim_end())
                        + "\n"
                }
            };
            let api = match kind {
                "Pod" => "v1",
                "Job" => "batch/v1",
                _ => "apps/v1",
            };
            format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: demo\n{body}")
        })
}

/// A Pod written as JSON, with values to fix.
fn json_manifest() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (prop::sample::select(KEYS), prop::sample::select(VALUES)),
            0..6,
        ),
        prop::collection::vec(
            (prop::sample::select(KEYS), prop::sample::select(VALUES)),
            0..6,
        ),
    )
        .prop_map(|(pod, container)| {
            let as_json = |v: &str| -> serde_json::Value { serde_yaml_free_value(v) };
            let mut c = serde_json::Map::new();
            c.insert("name".into(), "app".into());
            c.insert("image".into(), "nginx:1.25".into());
            for (k, v) in container {
                c.insert(k.into(), as_json(v));
            }
            let mut spec = serde_json::Map::new();
            for (k, v) in pod {
                spec.insert(k.into(), as_json(v));
            }
            spec.insert(
                "containers".into(),
                serde_json::Value::Array(vec![c.into()]),
            );
            let pod = serde_json::json!({
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "demo"},
                "spec": spec,
            });
            serde_json::to_string_pretty(&pod).unwrap()
        })
}

/// A value of VALUES as JSON: numbers and booleans as themselves, the rest as strings.
fn serde_yaml_free_value(v: &str) -> serde_json::Value {
    serde_json::from_str(v).unwrap_or_else(|_| v.into())
}

/// Keys written twice in one mapping.
fn duplicate_keys(text: &str) -> usize {
    lint(text, &Settings::only(&["duplicate-key"])).len()
}

fn parse_errors(text: &str) -> usize {
    podlint_lint::syntax::parse(text).errors.len()
}

/// The "fix, then re-parse" oracle: after every fix the file parses as well as before, has no
/// new duplicate key, is still JSON if it was, and the loop ended without oscillating.
fn assert_fix_is_sound(text: &str) -> Result<(), TestCaseError> {
    let settings = all_rules();
    let diagnostics = lint(text, &settings);
    assert_in_text(text, &diagnostics);
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        prop_assert!(
            fix::well_formed(text, fix),
            "malformed fix offered: {fix:?}\n{text}"
        );
    }
    let fixed = engine::fix_text(text, &settings, true);
    assert_in_text(&fixed.text, &lint(&fixed.text, &settings));
    prop_assert!(
        parse_errors(&fixed.text) <= parse_errors(text),
        "a fix broke the YAML:\n--- before\n{text}\n--- after\n{}",
        fixed.text
    );
    prop_assert!(
        duplicate_keys(&fixed.text) <= duplicate_keys(text),
        "a fix wrote a duplicate key:\n--- before\n{text}\n--- after\n{}",
        fixed.text
    );
    if podlint_lint::syntax::is_json(text) {
        prop_assert!(
            podlint_lint::syntax::is_json(&fixed.text),
            "no longer JSON:\n{}",
            fixed.text
        );
    }
    prop_assert!(!fixed.oscillated, "fixes oscillate:\n{text}");
    prop_assert!(!fixed.refused, "a fix had to be refused:\n{text}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fixes_through_anchors_aliases_and_block_scalars_are_sound(text in hostile_manifest()) {
        // The generator writes valid YAML, so every problem found is a fix's.
        prop_assert_eq!(parse_errors(&text), 0, "{}", text);
        assert_fix_is_sound(&text)?;
    }

    #[test]
    fn fixes_of_json_manifests_stay_json(text in json_manifest()) {
        prop_assert!(podlint_lint::syntax::is_json(&text));
        assert_fix_is_sound(&text)?;
    }

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
