//! A `kustomize build` made with `buildMetadata: [originAnnotations]`: each object carries
//! `config.kubernetes.io/origin`, the file it was read from (`path:`) or the kustomization
//! whose generator made it (`configuredIn:`). The annotations are taken out before linting
//! (the user did not write them) and kept as each document's origin.

const ORIGIN_KEY: &str = "config.kubernetes.io/origin:";

/// Where kustomize says a built object came from; paths are relative to the directory of
/// the kustomization that was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildOrigin {
    /// Read from this file.
    Path(String),
    /// Made by a generator of this kustomization.
    ConfiguredIn(String),
}

/// The build without its origin annotations, and each document's origin, in order.
pub fn strip_origins(text: &str) -> (String, Vec<Option<BuildOrigin>>) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let mut out = String::with_capacity(text.len());
    let mut origins: Vec<Option<BuildOrigin>> = vec![None];
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_end() == "---" {
            origins.push(None);
            out.push_str(line);
            i += 1;
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with(ORIGIN_KEY) {
            let col = indent(line);
            let mut end = i + 1;
            while end < lines.len() && !lines[end].trim().is_empty() && indent(lines[end]) > col {
                let field = lines[end].trim();
                if let Some(path) = field.strip_prefix("path: ") {
                    *origins.last_mut().expect("one") = Some(BuildOrigin::Path(path.into()));
                } else if let Some(path) = field.strip_prefix("configuredIn: ") {
                    *origins.last_mut().expect("one") =
                        Some(BuildOrigin::ConfiguredIn(path.into()));
                }
                end += 1;
            }
            // `annotations:` left with nothing under it goes too.
            let parent_emptied = out
                .lines()
                .last()
                .is_some_and(|last| last.trim() == "annotations:" && indent(last) < col)
                && lines.get(end).is_none_or(|next| indent(next) < col);
            if parent_emptied {
                let keep = out
                    .trim_end_matches('\n')
                    .rfind('\n')
                    .map_or(0, |at| at + 1);
                out.truncate(keep);
            }
            i = end;
            continue;
        }
        out.push_str(line);
        i += 1;
    }
    (out, origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_read_and_removed() {
        let build = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      configuredIn: ../k/kustomization.yaml\n      configuredBy:\n        apiVersion: builtin\n        kind: ConfigMapGenerator\n  name: c\n---\nkind: Deployment\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../base/deployment.yaml\n    team: a\n  name: web\n";
        let (text, origins) = strip_origins(build);
        assert_eq!(
            text,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\nkind: Deployment\nmetadata:\n  annotations:\n    team: a\n  name: web\n"
        );
        assert_eq!(
            origins,
            vec![
                Some(BuildOrigin::ConfiguredIn("../k/kustomization.yaml".into())),
                Some(BuildOrigin::Path("../base/deployment.yaml".into()))
            ]
        );
    }
}
