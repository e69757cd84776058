//! The JSON schema of `.podlint.yaml` (`schemas/podlint.schema.json`), built from the same
//! declarations the parser reads: the keys, the categories, the rule names and each rule's
//! options. Editors use it for completion and checks while the file is written.

use serde_json::{json, Map, Value};

use super::parse::{KEYS, OVERRIDE_KEYS};
use crate::diagnostic::Category;
use crate::rules::RULES;

/// The schema, as a JSON value.
pub fn json_schema() -> Value {
    let mut categories = vec![Value::from("all")];
    categories.extend(Category::ALL.iter().map(|c| Value::from(c.as_str())));
    let rule_names: Vec<Value> = RULES.iter().map(|r| Value::from(r.name)).collect();

    let mut rules = Map::new();
    for meta in RULES {
        let Some(spec) = meta.options else { continue };
        let mut schema = (spec.schema)();
        if let Value::Object(map) = &mut schema {
            map.insert(
                "description".into(),
                Value::String(format!("Options of `{}`: {}.", meta.name, meta.summary)),
            );
        }
        rules.insert(meta.name.into(), schema);
    }

    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/podlint/podlint/blob/main/schemas/podlint.schema.json",
        "title": ".podlint.yaml",
        "description": "podlint configuration. podlint uses the .podlint.yaml nearest to each linted file, searching up to the repository root (a directory holding .git). Generated from podlint's own declarations; do not edit by hand.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties(KEYS),
        "definitions": {
            "selector": {
                "description": "A rule name (see `podlint rules`), a category, `all`, or a Pod Security Standards level (`pss-baseline`, `pss-restricted`).",
                "anyOf": [
                    { "enum": categories },
                    { "enum": rule_names },
                    { "enum": super::pod_security::WORDS.iter().map(|(w, _)| *w).collect::<Vec<_>>() },
                ]
            },
            "selectors": {
                "anyOf": [
                    { "$ref": "#/definitions/selector" },
                    { "type": "array", "items": { "$ref": "#/definitions/selector" } }
                ]
            },
            "severity": {
                "description": "The severity of rules or categories; a rule's beats its category's.",
                "type": "object",
                "propertyNames": { "$ref": "#/definitions/selector" },
                "additionalProperties": { "enum": ["error", "warning", "info"] }
            },
            "globs": {
                "anyOf": [
                    { "type": "string" },
                    { "type": "array", "items": { "type": "string" } }
                ]
            },
            "kubernetesVersion": {
                "description": format!(
                    "The Kubernetes release the manifests target, e.g. \"1.{}\" (1.{} to 1.{}).",
                    crate::schema::NEWEST_MINOR,
                    crate::schema::OLDEST_MINOR,
                    crate::schema::NEWEST_MINOR,
                ),
                "type": ["string", "number"],
                "pattern": "^[vV]?1\\.[0-9]+(\\.[0-9]+)?$"
            },
            "command": {
                "anyOf": [
                    { "type": "string" },
                    { "type": "array", "items": { "type": "string" } }
                ]
            },
            "inlineSuppressions": {
                "description": "false: ignore `# podlint-disable…` comments and `podlint.dev/ignore` annotations.",
                "type": "boolean"
            },
            "rules": {
                "description": "Options of the rules that take them, by rule name, e.g. `required-label: {labels: [app, team]}`.",
                "type": "object",
                "additionalProperties": false,
                "properties": rules,
            }
        }
    })
}

/// The schema of a key of the file's top level or of an override.
fn key_schema(key: &str) -> Value {
    match key {
        "select" => json!({
            "description": "Turn rules on: rule names, categories or `all`. Within one level the most specific name wins (a rule beats a category beats `all`; `ignore` wins a tie).",
            "$ref": "#/definitions/selectors"
        }),
        "ignore" => json!({
            "description": "Turn rules off: rule names, categories or `all`.",
            "$ref": "#/definitions/selectors"
        }),
        "severity" => json!({ "$ref": "#/definitions/severity" }),
        "kubernetes-version" => json!({ "$ref": "#/definitions/kubernetesVersion" }),
        "inline-suppressions" => json!({ "$ref": "#/definitions/inlineSuppressions" }),
        "rules" => json!({ "$ref": "#/definitions/rules" }),
        "render" => json!({
            "description": "When kustomizations and Helm charts are rendered before linting: `auto` when kubectl/kustomize or helm is found, `always` (a missing tool is an error), `never` (lint the sources as written).",
            "enum": ["auto", "always", "never"]
        }),
        "kustomize-command" => json!({
            "description": "The command that builds a kustomization (its directory is appended), e.g. `kubectl kustomize` or `kustomize build`.",
            "$ref": "#/definitions/command"
        }),
        "helm-command" => json!({
            "description": "The Helm command; `template <chart-dir>` is appended.",
            "$ref": "#/definitions/command"
        }),
        "pod-security" => {
            let spec = crate::rules::rule(super::pod_security::RULE)
                .and_then(|r| r.options)
                .expect("pod-security takes options");
            json!({
                "description": "The Pod Security Standards level every pod is held to (turns `pod-security` on): a level, or `{level: restricted, version: v1.30}`.",
                "anyOf": [
                    { "enum": ["privileged", "baseline", "restricted"] },
                    (spec.schema)(),
                ]
            })
        }
        "exclude" => json!({
            "description": "Files not to lint: gitignore-style globs relative to this file's directory. A pattern without `/` matches at any depth; one naming a directory matches everything under it.",
            "$ref": "#/definitions/globs"
        }),
        "files" => json!({
            "description": "Gitignore-style globs relative to this file's directory.",
            "$ref": "#/definitions/globs"
        }),
        "overrides" => json!({
            "description": "Settings for the files that match `files`, applied in order after the top level.",
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["files"],
                "properties": properties(OVERRIDE_KEYS),
            }
        }),
        other => unreachable!("no schema for the key `{other}`"),
    }
}

fn properties(keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .map(|k| (k.to_string(), key_schema(k)))
        .collect()
}

/// The schema as `schemas/podlint.schema.json` holds it: pretty-printed, ending in a newline.
pub fn json_schema_text() -> String {
    serde_json::to_string_pretty(&json_schema()).expect("plain data serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schemas/podlint.schema.json` is generated from the declarations; this fails when it is
    /// out of date and rewrites it when `UPDATE_SCHEMA=1` is set.
    #[test]
    fn the_schema_file_is_up_to_date() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/podlint.schema.json");
        let expected = json_schema_text();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &expected).expect("schemas/podlint.schema.json is writable");
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == expected,
            "schemas/podlint.schema.json is out of date with the rules' declarations; regenerate it with\n\n    UPDATE_SCHEMA=1 cargo test -p podlint-lint the_schema_file_is_up_to_date\n"
        );
    }

    #[test]
    fn every_rule_with_options_is_in_the_schema() {
        let schema = json_schema();
        let rules = &schema["definitions"]["rules"]["properties"];
        for meta in RULES {
            assert_eq!(
                rules.get(meta.name).is_some(),
                meta.options.is_some(),
                "{}",
                meta.name
            );
        }
        assert_eq!(
            rules["required-label"]["properties"]["labels"]["anyOf"][1]["type"],
            "array"
        );
        let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), KEYS.len());
    }
}
