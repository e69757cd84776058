//! `helm template` streams: Helm writes `# Source: <chart>/templates/<file>` before each
//! document it renders, which names the template the document came from.

use crate::syntax::Document;

const HEADER: &str = "# Source: ";

/// Whether `text` is a `helm template` stream: it names at least one chart template
/// (`# Source: <chart>/templates/…`), not merely a comment that starts the same way.
pub fn is_stream(text: &str) -> bool {
    text.split('\n')
        .filter_map(|line| line.strip_prefix(HEADER))
        .any(|path| split_source(path.trim()).is_some())
}

/// The template each document of the stream came from (`None` before the first header).
pub fn sources(text: &str, documents: &[Document<'_>]) -> Vec<Option<String>> {
    let mut headers: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix(HEADER) {
            headers.push((offset, path.trim()));
        }
        offset += line.len();
    }
    let mut previous_end = 0;
    documents
        .iter()
        .map(|doc| {
            let start = doc.root().map_or(doc.range.start(), |r| r.range().start());
            let start = usize::from(start);
            let source = headers
                .iter()
                .rev()
                .find(|(at, _)| *at < start && *at >= previous_end)
                .map(|(_, path)| path.to_string());
            previous_end = usize::from(doc.range.end()).max(start);
            source
        })
        .collect()
}

/// The chart a template path belongs to and the path inside it
/// (`web/templates/deployment.yaml` → `web`, `templates/deployment.yaml`).
pub fn split_source(source: &str) -> Option<(&str, &str)> {
    let at = source.find("/templates/")?;
    Some((&source[..at], &source[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    #[test]
    fn each_document_gets_the_header_before_it() {
        let text = "---\n# Source: web/templates/service.yaml\nkind: Service\n---\n# Source: web/templates/deployment.yaml\nkind: Deployment\n";
        let parsed = syntax::parse(text);
        assert!(is_stream(text));
        assert!(!is_stream("# Source: the team wiki\nkind: Pod\n"));
        assert_eq!(
            sources(text, &parsed.documents),
            vec![
                Some("web/templates/service.yaml".to_string()),
                Some("web/templates/deployment.yaml".to_string())
            ]
        );
        assert_eq!(
            split_source("web/templates/deployment.yaml"),
            Some(("web", "templates/deployment.yaml"))
        );
    }
}
