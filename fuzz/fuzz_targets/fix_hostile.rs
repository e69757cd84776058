//! Structure-aware, for fixes: Kubernetes-shaped trees with anchors, aliases, `<<` merge keys
//! and block scalars, written as block YAML or as JSON, fixed with every rule (unsafe fixes
//! too) and checked by the "fix, then re-parse" oracle: the fixed file parses, has no new
//! duplicate key, and JSON stays JSON.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use podlint_lint::rule::RuleSelector;
use podlint_lint::Settings;

#[path = "support.rs"]
mod podlint_fuzz_support;

const KEYS: &[&str] = &[
    "name",
    "image",
    "imagePullPolicy",
    "ports",
    "containerPort",
    "protocol",
    "volumeMounts",
    "mountPath",
    "subPath",
    "readOnly",
    "securityContext",
    "runAsUser",
    "privileged",
    "allowPrivilegeEscalation",
    "env",
    "value",
    "resources",
    "limits",
    "memory",
    "cpu",
    "restartPolicy",
    "command",
    "livenessProbe",
    "httpGet",
    "port",
];
const VALUES: &[&str] = &[
    "app",
    "nginx:1.25",
    "always",
    "Always",
    "tcp",
    "TCP",
    "8080",
    "0",
    "true",
    "false",
    "128MB",
    "0.5",
    "/data",
    "OnFailure",
    "Never",
    "Web_1",
    "é🎉",
];
const ANCHORS: &[&str] = &["a", "b", "c"];

#[derive(Arbitrary, Debug)]
enum Node {
    Scalar(u8),
    /// `|` or `>` text, with blank lines.
    Block(bool, u8),
    Map(Vec<(u8, Node)>),
    Seq(Vec<Node>),
    Anchored(u8, Box<Node>),
    Alias(u8),
    /// A mapping that starts with `<<: *anchor`.
    Merge(u8, Vec<(u8, Node)>),
}

struct Writer {
    out: String,
    budget: usize,
    defined: Vec<&'static str>,
}

impl Writer {
    /// Writes `node` as the value after `key:` or `-` (its line already started).
    fn value(&mut self, node: &Node, indent: usize) {
        if self.budget == 0 {
            self.out.push_str(" x\n");
            return;
        }
        self.budget -= 1;
        match node {
            Node::Scalar(v) => {
                self.out.push(' ');
                self.out.push_str(VALUES[*v as usize % VALUES.len()]);
                self.out.push('\n');
            }
            Node::Block(folded, lines) => {
                self.out.push_str(if *folded { " >\n" } else { " |\n" });
                for i in 0..(lines % 4) + 1 {
                    self.out.push_str(&" ".repeat(indent));
                    self.out.push_str(VALUES[i as usize % VALUES.len()]);
                    self.out.push_str("\n\n");
                }
            }
            Node::Map(entries) if !entries.is_empty() => {
                self.out.push('\n');
                self.entries(entries, indent);
            }
            Node::Seq(items) if !items.is_empty() => {
                self.out.push('\n');
                for item in items {
                    self.out.push_str(&" ".repeat(indent));
                    self.out.push('-');
                    self.value(item, indent + 2);
                }
            }
            Node::Anchored(name, inner) => {
                let name = ANCHORS[*name as usize % ANCHORS.len()];
                self.out.push_str(" &");
                self.out.push_str(name);
                self.value(inner, indent);
                self.defined.push(name);
            }
            Node::Alias(name) => match self.pick(*name) {
                Some(name) => {
                    self.out.push_str(" *");
                    self.out.push_str(name);
                    self.out.push('\n');
                }
                None => self.out.push_str(" x\n"),
            },
            Node::Merge(name, entries) => {
                self.out.push('\n');
                if let Some(name) = self.pick(*name) {
                    self.out.push_str(&" ".repeat(indent));
                    self.out.push_str("<<: *");
                    self.out.push_str(name);
                    self.out.push('\n');
                }
                self.entries(entries, indent);
                if entries.is_empty() {
                    self.out.push_str(&" ".repeat(indent));
                    self.out.push_str("name: x\n");
                }
            }
            _ => self.out.push_str(" {}\n"),
        }
    }

    fn entries(&mut self, entries: &[(u8, Node)], indent: usize) {
        for (k, v) in entries {
            self.out.push_str(&" ".repeat(indent));
            self.out.push_str(KEYS[*k as usize % KEYS.len()]);
            self.out.push(':');
            self.value(v, indent + 2);
        }
    }

    /// An anchor defined before this point, if any.
    fn pick(&self, n: u8) -> Option<&'static str> {
        (!self.defined.is_empty()).then(|| self.defined[n as usize % self.defined.len()])
    }
}

/// The same tree as JSON (anchors and aliases have no JSON form: their values stand in).
fn json(node: &Node, budget: &mut usize) -> serde_json::Value {
    use serde_json::Value;
    if *budget == 0 {
        return Value::Null;
    }
    *budget -= 1;
    let scalar = |v: &u8| -> Value {
        let text = VALUES[*v as usize % VALUES.len()];
        serde_json::from_str(text).unwrap_or_else(|_| text.into())
    };
    match node {
        Node::Scalar(v) | Node::Alias(v) | Node::Block(_, v) => scalar(v),
        Node::Map(entries) | Node::Merge(_, entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (KEYS[*k as usize % KEYS.len()].to_string(), json(v, budget)))
                .collect(),
        ),
        Node::Seq(items) => Value::Array(items.iter().map(|i| json(i, budget)).collect()),
        Node::Anchored(_, inner) => json(inner, budget),
    }
}

fuzz_target!(|doc: (bool, Vec<Vec<(u8, Node)>>)| {
    let (as_json, containers) = doc;
    let mut settings = Settings::default();
    settings.select(RuleSelector::All);
    let text = if as_json {
        let mut budget = 2_000;
        let containers: Vec<serde_json::Value> = containers
            .iter()
            .map(|c| {
                let mut value = json(
                    &Node::Map(c.iter().map(|(k, _)| (*k, Node::Scalar(*k))).collect()),
                    &mut budget,
                );
                if let (serde_json::Value::Object(map), Some((_, node))) = (&mut value, c.first()) {
                    map.insert("env".into(), json(node, &mut budget));
                }
                value
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "fuzz"},
            "spec": {"containers": containers},
        }))
        .unwrap()
    } else {
        let mut writer = Writer {
            out: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fuzz\nspec:\n  containers:\n"
                .into(),
            budget: 2_000,
            defined: Vec::new(),
        };
        for container in &containers {
            writer.out.push_str("  - name: c\n");
            writer.entries(container, 4);
        }
        writer.out
    };
    let diagnostics = podlint_lint::lint(&text, &settings);
    podlint_fuzz_support::check_invariants(&text, &diagnostics, &settings);
});
