//! Completion from the Kubernetes schema: the keys a mapping may still take, the values an
//! enum field allows, and a container skeleton for a new item of `containers`.
//!
//! The text being typed rarely parses (`imagePul` alone is not a mapping entry), so the line
//! under the cursor is replaced by a well-formed stand-in (`<placeholder>:` for a key,
//! `key:` for a value) and the patched text is parsed; the stand-in's place in the tree says
//! which schema type applies.

use podlint_lint::schema::{Field, Item, Scalar, Shape, NEWEST_MINOR};
use podlint_lint::syntax;
use podlint_lint::text::{self, TextRange, TextSize};

use crate::cursor::{document_at, locate};

const PLACEHOLDER: &str = "podlint_completion_placeholder";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Field,
    Value,
    Snippet,
}

/// One completion, with the byte range it replaces.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub label: String,
    pub what: What,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub insert: String,
    /// `insert` uses snippet syntax (`${1:app}`).
    pub snippet: bool,
    pub sort: String,
    pub replace: TextRange,
}

pub fn complete(text: &str, cursor: TextSize) -> Vec<Candidate> {
    let cursor = usize::from(cursor).min(text.len());
    let line_start = text[..cursor].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[cursor..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| cursor + i);
    let before = &text[line_start..cursor];
    if before.contains(" #") || before.trim_start().starts_with('#') {
        return Vec::new();
    }
    let mut rest = before.trim_start_matches(' ');
    let mut new_item = false;
    while let Some(after) = rest
        .strip_prefix('-')
        .filter(|a| a.is_empty() || a.starts_with(' '))
    {
        rest = after.trim_start_matches(' ');
        new_item = true;
    }
    let key_start = cursor - rest.len();
    let column = key_start - line_start;
    match key_colon(rest) {
        Some(colon) => {
            let typed = rest[colon + 1..].trim_start();
            let patched = [&text[..key_start + colon + 1], &text[line_end..]].concat();
            values(
                &patched,
                key_start,
                text::range(cursor - typed.len(), cursor),
            )
        }
        None if rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./".contains(&b)) =>
        {
            let patched = [&text[..key_start], PLACEHOLDER, ":", &text[line_end..]].concat();
            keys(
                &patched,
                key_start,
                column,
                new_item,
                text::range(key_start, cursor),
            )
        }
        None => Vec::new(),
    }
}

/// The colon that ends a key on this line: followed by a space or the end of the text.
fn key_colon(rest: &str) -> Option<usize> {
    rest.match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| matches!(rest.as_bytes().get(i + 1), None | Some(b' ')))
}

fn keys(
    patched: &str,
    key_start: usize,
    column: usize,
    new_item: bool,
    replace: TextRange,
) -> Vec<Candidate> {
    let parsed = syntax::parse(patched);
    let offset = text::size(key_start);
    let Some(hit) = document_at(&parsed.documents, offset).and_then(|d| locate(d, offset)) else {
        return Vec::new();
    };
    let (Some(owner), Some(mapping), true) = (hit.owner, hit.mapping, hit.on_key) else {
        return Vec::new();
    };
    let present: Vec<&str> = mapping
        .entries()
        .filter_map(|(k, _)| k.as_str())
        .filter(|k| *k != PLACEHOLDER)
        .collect();
    let indent = " ".repeat(column);
    let mut out: Vec<Candidate> = owner
        .fields()
        .iter()
        .filter(|f| f.until_minor == NEWEST_MINOR && f.name != "status")
        .filter(|f| !present.contains(&f.name))
        .map(|field| Candidate {
            label: field.name.to_owned(),
            what: What::Field,
            detail: Some(detail(field)),
            documentation: Some(field.description.to_owned()).filter(|d| !d.is_empty()),
            insert: key_insert(field, &indent),
            snippet: false,
            sort: format!("{}{}", u8::from(!field.required), field.name),
            replace,
        })
        .collect();
    if owner.short_name() == "Container" && new_item && present.is_empty() {
        out.insert(0, container_skeleton(&indent, replace));
    }
    out
}

fn detail(field: &Field) -> String {
    let mut detail = field.type_label();
    if field.required {
        detail.push_str(" (required)");
    }
    detail
}

/// `name: ` for a scalar; for a nested object or list, the key and the start of its block.
fn key_insert(field: &Field, indent: &str) -> String {
    match field.shape {
        Shape::Object(_) | Shape::MapOf(_) => format!("{}:\n{indent}  ", field.name),
        Shape::ArrayOf(_) => format!("{}:\n{indent}- ", field.name),
        Shape::Scalar(_) | Shape::FreeForm => format!("{}: ", field.name),
    }
}

fn container_skeleton(indent: &str, replace: TextRange) -> Candidate {
    let lines = [
        "name: ${1:app}",
        "image: ${2:nginx:1.27}",
        "ports:",
        "- containerPort: ${3:80}",
        "resources:",
        "  requests:",
        "    cpu: ${4:100m}",
        "    memory: ${5:128Mi}",
        "  limits:",
        "    memory: ${5:128Mi}",
    ];
    let insert = lines.join(&format!("\n{indent}"));
    Candidate {
        label: "container".to_owned(),
        what: What::Snippet,
        detail: Some("name, image, ports and resources".to_owned()),
        documentation: Some(
            "A container with a name, a pinned image, a port and resource requests and a \
             memory limit."
                .to_owned(),
        ),
        insert,
        snippet: true,
        sort: "0".to_owned(),
        replace,
    }
}

fn values(patched: &str, key_start: usize, replace: TextRange) -> Vec<Candidate> {
    let parsed = syntax::parse(patched);
    let offset = text::size(key_start);
    let Some(field) = document_at(&parsed.documents, offset)
        .and_then(|d| locate(d, offset))
        .and_then(|hit| hit.field)
    else {
        return Vec::new();
    };
    let values: &[&str] = match field.shape {
        Shape::Scalar(Scalar::Boolean) | Shape::ArrayOf(Item::Scalar(Scalar::Boolean)) => {
            &["true", "false"]
        }
        _ => field.enum_values,
    };
    values
        .iter()
        .enumerate()
        .map(|(i, value)| Candidate {
            label: (*value).to_owned(),
            what: What::Value,
            detail: Some(format!("{} value", field.name)),
            documentation: None,
            insert: (*value).to_owned(),
            snippet: false,
            sort: format!("{i:03}"),
            replace,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_at(text: &str) -> Vec<String> {
        let cursor = text.find('|').unwrap();
        let text = text.replace('|', "");
        complete(&text, text::size(cursor))
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn keys_not_yet_present_are_offered() {
        let labels = labels_at(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n    imagePul|\n",
        );
        assert!(labels.contains(&"imagePullPolicy".to_owned()));
        assert!(labels.contains(&"ports".to_owned()));
        assert!(!labels.contains(&"image".to_owned()));
        assert!(!labels.contains(&"name".to_owned()));
    }

    #[test]
    fn enum_values_are_offered_for_a_value() {
        let labels =
            labels_at("apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: |\n  containers: []\n");
        assert_eq!(labels, ["Always", "Never", "OnFailure"]);
    }

    #[test]
    fn a_new_container_item_gets_the_skeleton() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - |\n";
        let cursor = text.find('|').unwrap();
        let text = text.replace('|', "");
        let items = complete(&text, text::size(cursor));
        assert_eq!(items[0].label, "container");
        assert!(items[0].insert.contains("\n    image: ${2:nginx:1.27}"));
    }

    #[test]
    fn comments_and_unknown_kinds_get_nothing() {
        assert!(labels_at("apiVersion: v1\nkind: Pod\n# spe|\n").is_empty());
        assert!(labels_at("kind: Foo\nspec:\n  a|\n").is_empty());
    }
}
