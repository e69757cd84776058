//! podlint findings as LSP diagnostics, in two shapes from one description: written
//! straight from the findings for `publishDiagnostics` ([`crate::json`]: no
//! `serde_json::Value` and no `ls_types::Diagnostic` per finding), or as `ls_types` values for
//! a pull answer.
//!
//! A fix travels in `data` in one of two forms ([`FixForm`]): its edits, already in the
//! client's positions, so a quick fix is answered without linting again; or, for clients that
//! resolve code actions, a small key to the finding, so the edits are made only when asked.

use std::fmt;

use podlint_lint::{Applicability, Severity};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Range, TextEdit, Uri,
};

use crate::convert::Encoding;
use crate::documents::Document;
use crate::json;

/// The `source` of every diagnostic, so users tell podlint's from yaml-language-server's.
pub const SOURCE: &str = "podlint";

const DOCS: &str = "https://github.com/podlint/podlint/blob/main/docs/rules.md#";

/// Where a rule's documentation lives.
pub fn rule_url(rule: &str) -> String {
    format!("{DOCS}{rule}")
}

/// How each diagnostic carries its fix in `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixForm {
    /// `{"version", "fix": {"title", "safe", "edits"} | null}`: for clients that take a code
    /// action's edit only with the action.
    Inline,
    /// `{"version", "key"}` on fixable findings only (no `data` otherwise): the edits are made
    /// on `codeAction/resolve`, from the findings of this lint (`generation`).
    Keyed { generation: u64 },
}

/// What a diagnostic's `data` holds, as read back from a client.
#[derive(Debug, Clone, Deserialize)]
pub struct DiagnosticData {
    /// The document version the positions refer to.
    pub version: i32,
    #[serde(default)]
    pub fix: Option<FixData>,
    #[serde(default)]
    pub key: Option<FixKey>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

/// A finding's place in one lint of a document: the configuration generation it was linted
/// under and its index among that lint's findings. Sent as `[generation, index]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixKey(pub u64, pub usize);

impl DiagnosticData {
    pub fn of(diagnostic: &Diagnostic) -> Option<Self> {
        Self::deserialize(diagnostic.data.as_ref()?).ok()
    }
}

/// One version of a document's findings, ready to go to the client.
pub struct Findings<'a> {
    pub uri: &'a Uri,
    pub document: &'a Document,
    pub findings: &'a [podlint_lint::Diagnostic],
    pub encoding: Encoding,
    pub form: FixForm,
}

impl<'a> Findings<'a> {
    fn range(&self, range: podlint_lint::text::TextRange) -> Range {
        self.document
            .lines
            .range(&self.document.text, range, self.encoding)
    }

    fn each(&'a self) -> impl Iterator<Item = One<'a>> + 'a {
        self.findings
            .iter()
            .enumerate()
            .map(move |(index, finding)| One {
                all: self,
                index,
                finding,
            })
    }

    /// The `textDocument/publishDiagnostics` notification, as the JSON-RPC message body: the
    /// fields of [`notification`] and, for each finding, of `ls_types::Diagnostic`, in the
    /// order serde writes them.
    pub fn notification(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(self.estimated_size());
        // Written once: every label's location repeats it.
        let mut uri = Vec::new();
        json::string(&mut uri, self.uri.as_str());
        body.extend_from_slice(
            br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
        );
        body.extend_from_slice(&uri);
        body.extend_from_slice(br#","diagnostics":["#);
        for one in self.each() {
            if one.index > 0 {
                body.push(b',');
            }
            one.write(&mut body, &uri);
        }
        body.extend_from_slice(br#"],"version":"#);
        json::int(&mut body, self.document.version.into());
        body.extend_from_slice(b"}}");
        body
    }

    fn write_range(&self, out: &mut Vec<u8>, range: podlint_lint::text::TextRange) {
        let Range { start, end } = self.range(range);
        for (name, position) in [(&br#"{"start":"#[..], start), (br#","end":"#, end)] {
            out.extend_from_slice(name);
            out.extend_from_slice(br#"{"line":"#);
            json::uint(out, position.line.into());
            out.extend_from_slice(br#","character":"#);
            json::uint(out, position.character.into());
            out.push(b'}');
        }
        out.push(b'}');
    }

    /// About the notification's size, rather more than less: the buffer then grows once at
    /// most, where doubling from empty would hold one and a half times the body at the end.
    fn estimated_size(&self) -> usize {
        const PER_DIAGNOSTIC: usize = 400;
        const PER_EDIT_OR_LABEL: usize = 120;
        let uri = self.uri.as_str().len();
        let inline = self.form == FixForm::Inline;
        self.findings
            .iter()
            .map(|d| {
                let fix = d.fix.as_ref().filter(|_| inline).map_or(0, |fix| {
                    fix.title.len()
                        + fix
                            .edits
                            .iter()
                            .map(|e| PER_EDIT_OR_LABEL + e.replacement.len())
                            .sum::<usize>()
                });
                let labels: usize = d
                    .labels
                    .iter()
                    .map(|l| PER_EDIT_OR_LABEL + uri + l.message.len())
                    .sum();
                PER_DIAGNOSTIC
                    + d.message.len()
                    + d.help.as_ref().map_or(0, String::len)
                    + fix
                    + labels
            })
            .sum::<usize>()
            + 200
            + uri
    }

    /// As `ls_types` diagnostics (the answer to a pull, which tower-lsp-server serialises).
    pub fn to_lsp(&self) -> Vec<Diagnostic> {
        self.each().map(|one| one.to_lsp()).collect()
    }
}

/// A `publishDiagnostics` body for `uri` with `diagnostics` (any serialisable sequence).
pub fn notification(uri: &Uri, version: Option<i32>, diagnostics: &impl Serialize) -> Vec<u8> {
    let mut body = Vec::new();
    write_notification(&mut body, uri, version, diagnostics);
    body
}

fn write_notification(
    body: &mut Vec<u8>,
    uri: &Uri,
    version: Option<i32>,
    diagnostics: &impl Serialize,
) {
    #[derive(Serialize)]
    struct Params<'a, D> {
        uri: &'a Uri,
        diagnostics: &'a D,
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    #[derive(Serialize)]
    struct Message<'a, D> {
        jsonrpc: &'static str,
        method: &'static str,
        params: Params<'a, D>,
    }
    let message = Message {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: Params {
            uri,
            diagnostics,
            version,
        },
    };
    serde_json::to_writer(body, &message).expect("a notification serialises")
}

/// One finding seen as an LSP diagnostic.
struct One<'a> {
    all: &'a Findings<'a>,
    index: usize,
    finding: &'a podlint_lint::Diagnostic,
}

impl One<'_> {
    fn severity(&self) -> DiagnosticSeverity {
        match self.finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }
    }

    fn message(&self) -> Message<'_> {
        Message(self.finding)
    }

    fn data(&self) -> Option<Data<'_>> {
        match self.all.form {
            FixForm::Inline => Some(Data::Inline(self)),
            FixForm::Keyed { generation } => self.finding.fix.is_some().then_some(Data::Keyed(
                self.all.document.version,
                FixKey(generation, self.index),
            )),
        }
    }

    fn to_lsp(&self) -> Diagnostic {
        let related = self
            .finding
            .labels
            .iter()
            .map(|label| DiagnosticRelatedInformation {
                location: Location::new(self.all.uri.clone(), self.all.range(label.range)),
                message: label.message.clone(),
            })
            .collect::<Vec<_>>();
        Diagnostic {
            range: self.all.range(self.finding.range),
            severity: Some(self.severity()),
            code: Some(NumberOrString::String(self.finding.rule.to_owned())),
            code_description: rule_url(self.finding.rule)
                .parse()
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_owned()),
            message: self.message().to_string(),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: self.data().and_then(|data| serde_json::to_value(data).ok()),
        }
    }
}

impl One<'_> {
    /// This diagnostic as JSON: the fields `ls_types::Diagnostic` has, in its order.
    fn write(&self, out: &mut Vec<u8>, uri: &[u8]) {
        let (all, d) = (self.all, self.finding);
        out.extend_from_slice(br#"{"range":"#);
        all.write_range(out, d.range);
        out.extend_from_slice(br#","severity":"#);
        out.push(match d.severity {
            Severity::Error => b'1',
            Severity::Warning => b'2',
            Severity::Info => b'3',
        });
        out.extend_from_slice(br#","code":"#);
        json::string(out, d.rule);
        out.extend_from_slice(br#","codeDescription":{"href":"#);
        json::string(out, format_args!("{DOCS}{}", d.rule));
        out.extend_from_slice(br#"},"source":"#);
        json::string(out, SOURCE);
        out.extend_from_slice(br#","message":"#);
        match &d.help {
            Some(help) => json::string(out, format_args!("{}\nhelp: {help}", d.message)),
            None => json::string(out, &d.message),
        }
        if !d.labels.is_empty() {
            out.extend_from_slice(br#","relatedInformation":["#);
            for (i, label) in d.labels.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(br#"{"location":{"uri":"#);
                out.extend_from_slice(uri);
                out.extend_from_slice(br#","range":"#);
                all.write_range(out, label.range);
                out.extend_from_slice(br#"},"message":"#);
                json::string(out, &label.message);
                out.push(b'}');
            }
            out.push(b']');
        }
        match self.data() {
            None => {}
            Some(Data::Keyed(version, FixKey(generation, index))) => {
                out.extend_from_slice(br#","data":{"version":"#);
                json::int(out, version.into());
                out.extend_from_slice(br#","key":["#);
                json::uint(out, generation);
                out.push(b',');
                json::uint(out, index as u64);
                out.extend_from_slice(b"]}");
            }
            Some(Data::Inline(_)) => {
                out.extend_from_slice(br#","data":{"version":"#);
                json::int(out, all.document.version.into());
                out.extend_from_slice(br#","fix":"#);
                match &d.fix {
                    None => out.extend_from_slice(b"null"),
                    Some(fix) => self.write_fix(out, fix),
                }
                out.push(b'}');
            }
        }
        out.push(b'}');
    }

    /// `{"title", "safe", "edits"}`, as [`FixData`] serialises.
    fn write_fix(&self, out: &mut Vec<u8>, fix: &podlint_lint::Fix) {
        out.extend_from_slice(br#"{"title":"#);
        json::string(out, &fix.title);
        out.extend_from_slice(match fix.applicability {
            Applicability::Safe => br#","safe":true"#,
            Applicability::Unsafe => br#","safe":false"#,
        });
        out.extend_from_slice(br#","edits":["#);
        for (i, edit) in fix.edits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"range":"#);
            self.all.write_range(out, edit.range);
            out.extend_from_slice(br#","newText":"#);
            json::string(out, &edit.replacement);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
    }
}

/// The message, with the help on a line of its own (clients show one text).
struct Message<'a>(&'a podlint_lint::Diagnostic);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some(help) = &self.0.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

enum Data<'a> {
    Inline(&'a One<'a>),
    Keyed(i32, FixKey),
}

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        match self {
            Data::Inline(one) => {
                map.serialize_entry("version", &one.all.document.version)?;
                map.serialize_entry(
                    "fix",
                    &one.finding.fix.as_ref().map(|fix| InlineFix(one, fix)),
                )?;
            }
            Data::Keyed(version, key) => {
                map.serialize_entry("version", version)?;
                map.serialize_entry("key", key)?;
            }
        }
        map.end()
    }
}

struct InlineFix<'a>(&'a One<'a>, &'a podlint_lint::Fix);

impl Serialize for InlineFix<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Edit<'a> {
            range: Range,
            new_text: &'a str,
        }
        struct Edits<'a>(&'a One<'a>, &'a [podlint_lint::Edit]);
        impl Serialize for Edits<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.1.iter().map(|e| Edit {
                    range: self.0.all.range(e.range),
                    new_text: &e.replacement,
                }))
            }
        }
        let (one, fix) = (self.0, self.1);
        let mut s = serializer.serialize_struct("FixData", 3)?;
        s.serialize_field("title", &fix.title)?;
        s.serialize_field("safe", &(fix.applicability == Applicability::Safe))?;
        s.serialize_field("edits", &Edits(one, &fix.edits))?;
        s.end()
    }
}

/// The rule name of one of our diagnostics; `None` for other servers' diagnostics.
pub fn rule_of(diagnostic: &Diagnostic) -> Option<&str> {
    if diagnostic.source.as_deref() != Some(SOURCE) {
        return None;
    }
    match &diagnostic.code {
        Some(NumberOrString::String(rule)) => Some(rule),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podlint_lint::Settings;
    use serde_json::{json, Value};

    const POD: &str = "apiVersion: apps/v1\nkind: Pod\nmetadata:\n  name: Web_1\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n  - name: side\n    image: envoy:1.30\n    ports:\n    - containerPort: 80\n";

    fn findings_of(text: &str) -> (Document, Vec<podlint_lint::Diagnostic>) {
        let findings = podlint_lint::lint(text, &Settings::default());
        (Document::new(text.to_owned(), 7), findings)
    }

    fn published(findings: &Findings<'_>) -> Value {
        serde_json::from_slice(&findings.notification()).unwrap()
    }

    /// The bytes we write are what tower-lsp-server would have written for `to_lsp`.
    #[test]
    fn the_notification_says_what_the_lsp_types_say() {
        let (document, found) = findings_of(POD);
        assert!(found.iter().any(|d| d.fix.is_some()), "{found:#?}");
        assert!(found.iter().any(|d| !d.labels.is_empty()), "{found:#?}");
        assert!(found.iter().any(|d| d.help.is_some()), "{found:#?}");
        let uri: Uri = "file:///p/pod%201.yaml".parse().unwrap();
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for form in [FixForm::Inline, FixForm::Keyed { generation: 3 }] {
                let findings = Findings {
                    uri: &uri,
                    document: &document,
                    findings: &found,
                    encoding,
                    form,
                };
                let expected = json!({
                    "jsonrpc": "2.0",
                    "method": "textDocument/publishDiagnostics",
                    "params": { "uri": uri, "diagnostics": findings.to_lsp(), "version": 7 },
                });
                assert_eq!(published(&findings), expected);
                assert!(findings.estimated_size() >= findings.notification().len());
            }
        }
    }

    #[test]
    fn keyed_data_is_a_key_on_fixable_findings_only() {
        let (document, found) = findings_of(POD);
        let uri: Uri = "file:///p/pod.yaml".parse().unwrap();
        let findings = Findings {
            uri: &uri,
            document: &document,
            findings: &found,
            encoding: Encoding::Utf16,
            form: FixForm::Keyed { generation: 2 },
        };
        let diagnostics = findings.to_lsp();
        for (index, (finding, diagnostic)) in found.iter().zip(&diagnostics).enumerate() {
            match &finding.fix {
                Some(_) => {
                    assert_eq!(
                        diagnostic.data,
                        Some(json!({ "version": 7, "key": [2, index] }))
                    );
                    let data = DiagnosticData::of(diagnostic).unwrap();
                    assert_eq!((data.version, data.key), (7, Some(FixKey(2, index))));
                }
                None => assert_eq!(diagnostic.data, None),
            }
        }
    }
}
