use crate::rule::{Context, Flow, TextRule};
use crate::text::{self, TextRange};

declare_rule! {
    /// ## What it does
    /// Recognises a ytt template (Carvel): a file with `#@` annotation lines such as
    /// `#@ load("@ytt:data", "data")` or `#@ def labels():`, and reports it once instead of
    /// linting it.
    ///
    /// ## Why it matters in a Pod
    /// To a YAML parser a ytt annotation is a comment, so `replicas: #@ data.values.replicas`
    /// reads as `replicas:` with no value, and a Deployment built by a function reads as empty.
    /// Linting the template would report values that ytt fills in; the Pod the cluster sees
    /// exists only after `ytt` renders it.
    ///
    /// ## Example
    /// ```yaml
    /// #@ load("@ytt:data", "data")
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// spec:
    ///   replicas: #@ data.values.replicas
    /// ```
    ///
    /// ## How to fix
    /// Lint what ytt renders: `ytt -f config/ | podlint check -`. To skip the templates in a
    /// directory walk, exclude them in `.podlint.yaml`.
    pub struct YttTemplate {
        name: "ytt-template",
        category: Style,
        hook: Text,
        fix: Never,
        summary: "The file is a ytt template; lint what `ytt` renders instead",
    }
}

impl TextRule for YttTemplate {
    fn check(&self, text: &str, cx: &mut Context<'_>) -> Flow {
        let Some(range) = first_annotation(text) else {
            return Flow::Continue;
        };
        cx.report(
            range,
            "this is a ytt template (`#@` annotations): its values exist only once ytt renders it, so podlint skips the file",
        )
        .help("lint the rendered output instead: `ytt -f <files> | podlint check -`");
        Flow::Stop
    }
}

/// The first ytt annotation: `#@` starting a line's code, or following a value
/// (`replicas: #@ data.values.replicas`).
fn first_annotation(source: &str) -> Option<TextRange> {
    if !crate::text::contains(source, "#@") {
        return None;
    }
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if let Some(at) = annotation_in(line) {
            let end = line[at..].trim_end().len();
            return Some(text::range(offset + at, offset + at + end));
        }
        offset += line.len();
    }
    None
}

/// Where `#@` opens a comment on `line`: at the line's start, or after a space outside quotes.
fn annotation_in(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    if trimmed.starts_with("#@") {
        return Some(line.len() - trimmed.len());
    }
    let mut quote = None;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'\'' | b'"') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'#') if i > 0 && bytes[i - 1] == b' ' => {
                return bytes.get(i + 1).filter(|&&c| c == b'@').map(|_| i);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn reports_the_first_annotation() {
        RuleTest::new(&super::YttTemplate::META)
            .pass("# a comment\nkind: Pod\nmetadata:\n  annotations:\n    note: \"#@ not ytt inside a string\"\n")
            .pass("a: b # an ordinary comment @ here\n")
            .fail(
                "#@ load(\"@ytt:data\", \"data\")\n---\nkind: Pod\n",
                &["#@ load(\"@ytt:data\", \"data\")"],
            )
            .fail(
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: #@ data.values.replicas\n",
                &["#@ data.values.replicas"],
            )
            .run();
    }
}
