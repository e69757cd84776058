//! "Convert to Deployment" and "Convert to Job" for a bare Pod, as text edits: the Pod's
//! `spec` lines move under `spec.template.spec` by indenting them, so comments, quoting and
//! layout survive. Nothing is re-serialised.

use podlint_lint::k8s::Object;
use podlint_lint::syntax::NodeRef;
use podlint_lint::text::{self, TextSize};
use podlint_lint::Edit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    Deployment,
    Job,
}

impl Workload {
    pub fn kind(self) -> &'static str {
        match self {
            Workload::Deployment => "Deployment",
            Workload::Job => "Job",
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Workload::Deployment => "apps/v1",
            Workload::Job => "batch/v1",
        }
    }

    /// Which workload suits a Pod: a Job runs to completion, so it takes a Pod whose
    /// `restartPolicy` is `OnFailure` or `Never`; a Deployment allows only `Always`.
    pub fn suits(self, restart_policy: Option<&str>) -> bool {
        match self {
            Workload::Deployment => matches!(restart_policy, None | Some("Always")),
            Workload::Job => matches!(restart_policy, Some("OnFailure" | "Never")),
        }
    }
}

/// The edits that turn the bare Pod `pod` of `text` into `to`; `None` when its shape is not
/// one we can move safely (no `spec`, or `spec` from a merge key).
pub fn convert(text: &str, pod: &Object<'_, '_>, to: Workload) -> Option<Vec<Edit>> {
    let (spec_key, spec) = pod.root.entry("spec")?;
    if !pod.root.range().contains_range(spec_key.range())
        || spec.range().end() < spec_key.range().end()
    {
        return None;
    }
    let key_end = usize::from(spec_key.range().end());
    let colon = key_end + text[key_end..].find(':')?;
    let key_line_start = line_start(text, usize::from(spec_key.range().start()));
    let key_column = usize::from(spec_key.range().start()) - key_line_start;
    let unit = indent_unit(
        text,
        spec,
        usize::from(spec_key.range().start()),
        key_column,
    );
    let pad = |levels: usize| " ".repeat(key_column + levels * unit);

    let mut labels = labels(text, pod);
    if labels.is_empty() && to == Workload::Deployment {
        labels.push(("app".to_owned(), label_value(pod.name().unwrap_or("app"))));
    }
    let mut header = Vec::new();
    if to == Workload::Deployment {
        header.push(format!("{}replicas: 1", pad(1)));
        header.push(format!("{}selector:", pad(1)));
        header.push(format!("{}matchLabels:", pad(2)));
        header.extend(labels.iter().map(|(k, v)| format!("{}{k}: {v}", pad(3))));
    }
    header.push(format!("{}template:", pad(1)));
    if !labels.is_empty() {
        header.push(format!("{}metadata:", pad(2)));
        header.push(format!("{}labels:", pad(3)));
        header.extend(labels.iter().map(|(k, v)| format!("{}{k}: {v}", pad(4))));
    }
    header.push(format!("{}spec:", pad(2)));
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };

    let mut edits = vec![
        Edit::replace(pod.api_version.range(), to.api_version()),
        Edit::replace(pod.kind.range(), to.kind()),
        Edit::insert(
            text::size(colon + 1),
            format!("{newline}{}", header.join(newline)),
        ),
    ];
    // Every line of the spec after the key's own line moves two levels in.
    let shift = " ".repeat(2 * unit);
    let spec_end = usize::from(spec.range().end());
    let mut line = text[colon..].find('\n').map(|i| colon + i + 1);
    while let Some(start) = line.filter(|&s| s < spec_end) {
        let rest = &text[start..];
        if !(rest.starts_with('\n') || rest.starts_with("\r\n")) {
            edits.push(Edit::insert(text::size(start), shift.clone()));
        }
        line = rest.find('\n').map(|i| start + i + 1);
    }
    edits.sort_by_key(|e| e.range.start());
    Some(edits)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The indentation step the file uses below `spec`, else two spaces.
fn indent_unit(text: &str, spec: NodeRef<'_, '_>, key_start: usize, key_column: usize) -> usize {
    let Some((first_key, _)) = spec.entries().next() else {
        return 2;
    };
    let start = usize::from(first_key.range().start());
    let column = start - line_start(text, start);
    let own_line = text[key_start..start].contains('\n');
    if own_line && column > key_column {
        column - key_column
    } else {
        2
    }
}

/// The Pod's labels as written (`key: value`, quoting kept).
fn labels(text: &str, pod: &Object<'_, '_>) -> Vec<(String, String)> {
    let Some(labels) = pod.metadata().and_then(|m| m.get("labels")) else {
        return Vec::new();
    };
    labels
        .entries()
        .filter_map(|(k, v)| {
            let single_line = |n: NodeRef<'_, '_>| {
                let s = &text[n.range()];
                (!s.is_empty() && !s.contains(['\n', '\r'])).then(|| s.to_owned())
            };
            let key = single_line(k)?;
            let value = single_line(v).or_else(|| v.as_str().map(label_value))?;
            Some((key, value))
        })
        .collect()
}

/// A label value as a YAML scalar that stays a string.
fn label_value(value: &str) -> String {
    match podlint_lint::syntax::resolve_plain(value) {
        podlint_lint::syntax::ScalarType::String
            if !value.is_empty() && !value.contains([':', '#', '{', '[', '\'', '"']) =>
        {
            value.to_owned()
        }
        _ => format!("{value:?}"),
    }
}

/// The Pod object whose text holds `offset`, if it is a bare Pod.
pub fn bare_pod_at<'d, 'src>(
    objects: &[Object<'d, 'src>],
    offset: TextSize,
) -> Option<Object<'d, 'src>> {
    objects.iter().copied().find(|o| {
        o.root.range().contains_inclusive(offset)
            && o.kind_name() == "Pod"
            && o.api_version_name() == "v1"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use podlint_lint::{k8s, syntax};

    fn converted(text: &str, to: Workload) -> String {
        let parsed = syntax::parse(text);
        let objects = k8s::objects(&parsed.documents[0]);
        let edits = convert(text, &objects[0], to).unwrap();
        let mut out = text.to_owned();
        for edit in edits.iter().rev() {
            out.replace_range(
                std::ops::Range::<usize>::from(edit.range),
                &edit.replacement,
            );
        }
        out
    }

    #[test]
    fn a_pod_becomes_a_deployment_with_its_comments() {
        let pod = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec: # the pod
  # first the app
  containers:
  - name: app
    image: nginx:1.27 # pinned
    command:
    - sh
";
        let expected = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec: # the pod
      # first the app
      containers:
      - name: app
        image: nginx:1.27 # pinned
        command:
        - sh
";
        let out = converted(pod, Workload::Deployment);
        assert_eq!(out, expected);
        assert!(podlint_lint::lint(&out, &podlint_lint::Settings::default())
            .iter()
            .all(|d| d.severity != podlint_lint::Severity::Error));
    }

    #[test]
    fn a_pod_without_labels_gets_an_app_label_and_four_space_indent_is_kept() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n    name: batch\nspec:\n    restartPolicy: Never\n    containers: [{name: a, image: b}]\n";
        assert_eq!(
            converted(pod, Workload::Job),
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n    name: batch\nspec:\n    template:\n        spec:\n            restartPolicy: Never\n            containers: [{name: a, image: b}]\n"
        );
        assert!(
            converted(pod, Workload::Deployment).contains("matchLabels:\n            app: batch\n")
        );
    }

    #[test]
    fn restart_policy_decides_the_workload() {
        assert!(Workload::Deployment.suits(None));
        assert!(!Workload::Deployment.suits(Some("Never")));
        assert!(Workload::Job.suits(Some("OnFailure")));
        assert!(!Workload::Job.suits(None));
    }
}
