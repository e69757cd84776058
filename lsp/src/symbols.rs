//! The outline: each Kubernetes object, its containers and init containers, and their ports
//! and volume mounts.

use podlint_lint::k8s::{self, Container, ContainerKind};
use podlint_lint::syntax::{self, NodeRef};
use podlint_lint::text::TextRange;
use tower_lsp_server::ls_types::{DocumentSymbol, Range, SymbolKind};

pub fn symbols(text: &str, range: &dyn Fn(TextRange) -> Range) -> Vec<DocumentSymbol> {
    let parsed = syntax::parse(text);
    let mut out = Vec::new();
    for doc in &parsed.documents {
        for object in k8s::objects(doc) {
            let name = object.name().unwrap_or("(unnamed)");
            let selection = object
                .metadata()
                .and_then(|m| m.get("name"))
                .map_or(object.kind.range(), |n| n.range());
            let children = object.pod().map(|pod| {
                pod.containers()
                    .filter(|c| c.kind != ContainerKind::Ephemeral)
                    .map(|c| container(c, range))
                    .collect()
            });
            out.push(symbol(
                format!("{} {name}", object.kind_name()),
                Some(object.api_version_name().to_owned()),
                SymbolKind::CLASS,
                object.root.range(),
                selection,
                children,
                range,
            ));
        }
    }
    out
}

fn container(c: Container<'_, '_>, range: &dyn Fn(TextRange) -> Range) -> DocumentSymbol {
    let mut children: Vec<DocumentSymbol> = c
        .ports()
        .filter(|p| p.is_mapping())
        .map(|port| {
            let number = port.get("containerPort").and_then(|n| n.as_str());
            let protocol = port
                .get("protocol")
                .and_then(|p| p.as_str())
                .unwrap_or("TCP");
            let label = match (number, port.get("name").and_then(|n| n.as_str())) {
                (Some(n), Some(name)) => format!("{n}/{protocol} ({name})"),
                (Some(n), None) => format!("{n}/{protocol}"),
                (None, _) => "port".to_owned(),
            };
            leaf(label, SymbolKind::NUMBER, port, "containerPort", range)
        })
        .collect();
    children.extend(c.volume_mounts().filter(|m| m.is_mapping()).map(|mount| {
        let path = mount
            .get("mountPath")
            .and_then(|p| p.as_str())
            .unwrap_or("?");
        let volume = mount.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        leaf(
            format!("{path} ← {volume}"),
            SymbolKind::FILE,
            mount,
            "mountPath",
            range,
        )
    }));
    let detail = match (c.kind, c.is_sidecar()) {
        (_, true) => "sidecar",
        (ContainerKind::Init, false) => "init container",
        _ => "container",
    };
    let image = c.get("image").and_then(|i| i.as_str()).unwrap_or("");
    symbol(
        c.name().unwrap_or("(unnamed)").to_owned(),
        Some(format!("{detail} {image}").trim_end().to_owned()),
        SymbolKind::MODULE,
        c.node.range(),
        c.anchor(),
        Some(children),
        range,
    )
}

fn leaf(
    name: String,
    kind: SymbolKind,
    node: NodeRef<'_, '_>,
    key: &str,
    range: &dyn Fn(TextRange) -> Range,
) -> DocumentSymbol {
    let selection = node.get(key).map_or(node.range(), |v| v.range());
    symbol(name, None, kind, node.range(), selection, None, range)
}

#[allow(deprecated)] // `deprecated` is a required field of the struct
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    full: TextRange,
    selection: TextRange,
    children: Option<Vec<DocumentSymbol>>,
    range: &dyn Fn(TextRange) -> Range,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: range(full),
        // The selection must lie inside the range.
        selection_range: range(if full.contains_range(selection) {
            selection
        } else {
            full
        }),
        children,
    }
}
