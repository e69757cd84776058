//! Structure-aware: Kubernetes-shaped trees made of the API's own field names, rendered as
//! block YAML, so the fuzzer spends its time inside the rules instead of the YAML scanner.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use podlint_lint::rule::RuleSelector;
use podlint_lint::Settings;

#[path = "support.rs"]
mod podlint_fuzz_support;

const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "labels",
    "annotations",
    "spec",
    "template",
    "selector",
    "matchLabels",
    "containers",
    "initContainers",
    "ephemeralContainers",
    "image",
    "imagePullPolicy",
    "ports",
    "containerPort",
    "hostPort",
    "protocol",
    "volumeMounts",
    "mountPath",
    "volumes",
    "emptyDir",
    "hostPath",
    "path",
    "resources",
    "requests",
    "limits",
    "cpu",
    "memory",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "httpGet",
    "port",
    "restartPolicy",
    "securityContext",
    "runAsNonRoot",
    "runAsUser",
    "privileged",
    "allowPrivilegeEscalation",
    "capabilities",
    "add",
    "drop",
    "env",
    "value",
    "valueFrom",
    "jobTemplate",
    "hostNetwork",
    "items",
    "<<",
    "contianers",
    "imgae",
];
const VALUES: &[&str] = &[
    "v1",
    "apps/v1",
    "batch/v1",
    "Pod",
    "Deployment",
    "Job",
    "CronJob",
    "List",
    "StatefulSet",
    "app",
    "web",
    "Web_1",
    "nginx:1.25",
    "nginx",
    "nginx:latest",
    "8080",
    "\"8080\"",
    "0",
    "65536",
    "-1",
    "TCP",
    "tcp",
    "Always",
    "always",
    "Never",
    "OnFailure",
    "128Mi",
    "128MB",
    "0.5",
    "500m",
    "1Gi",
    "true",
    "false",
    "null",
    "",
    "/data",
    "/var/run/docker.sock",
    "{}",
    "[]",
    "é🎉",
    "ALL",
    "SYS_ADMIN",
    "{{ .Values.x }}",
    "*a",
    "&a x",
];

#[derive(Arbitrary, Debug)]
enum Node {
    Scalar(u8),
    Map(Vec<(u8, Node)>),
    Seq(Vec<Node>),
}

fn render(node: &Node, indent: usize, out: &mut String, budget: &mut usize) {
    if *budget == 0 {
        out.push_str(" x\n");
        return;
    }
    *budget -= 1;
    match node {
        Node::Scalar(v) => {
            out.push(' ');
            out.push_str(VALUES[*v as usize % VALUES.len()]);
            out.push('\n');
        }
        Node::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            for (k, v) in entries {
                out.push_str(&" ".repeat(indent));
                out.push_str(KEYS[*k as usize % KEYS.len()]);
                out.push(':');
                render(v, indent + 2, out, budget);
            }
        }
        Node::Seq(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                render(item, indent + 2, out, budget);
            }
        }
        _ => out.push_str(" {}\n"),
    }
}

fuzz_target!(|doc: (u8, Vec<(u8, Node)>)| {
    let (kind, entries) = doc;
    let kinds = [
        "Pod",
        "Deployment",
        "Job",
        "CronJob",
        "List",
        "StatefulSet",
        "DaemonSet",
    ];
    let kind = kinds[kind as usize % kinds.len()];
    let api = match kind {
        "Pod" | "List" => "v1",
        "Job" | "CronJob" => "batch/v1",
        _ => "apps/v1",
    };
    let mut text = format!("apiVersion: {api}\nkind: {kind}\n");
    let mut budget = 2_000;
    for (k, v) in &entries {
        text.push_str(KEYS[*k as usize % KEYS.len()]);
        text.push(':');
        render(v, 2, &mut text, &mut budget);
    }
    let mut settings = Settings::default();
    settings.select(RuleSelector::All);
    let diagnostics = podlint_lint::lint(&text, &settings);
    podlint_fuzz_support::check_invariants(&text, &diagnostics, &settings);
});
