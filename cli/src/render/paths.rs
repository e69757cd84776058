//! Paths as CI tools want them: relative to the working directory (the repository root in a
//! CI job), and as URIs for SARIF.

use std::path::{Path, PathBuf};

/// Makes reported paths relative to one directory.
#[derive(Debug, Clone)]
pub struct Paths {
    root: Option<PathBuf>,
}

impl Paths {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: Some(root.into()),
        }
    }

    pub fn from_current_dir() -> Self {
        Self {
            root: std::env::current_dir().ok(),
        }
    }

    /// `path` relative to the root when it lies inside it, without a leading `./`;
    /// other paths as they are.
    pub fn relative(&self, path: &str) -> String {
        let p = Path::new(path);
        if let (true, Some(root)) = (p.is_absolute(), &self.root) {
            if let Ok(inside) = p.strip_prefix(root) {
                return inside.to_string_lossy().into_owned();
            }
        }
        let mut rest = path;
        while let Some(stripped) = rest.strip_prefix("./") {
            rest = stripped.trim_start_matches('/');
        }
        rest.to_string()
    }

    /// The root as a `file://` URI ending in `/`, the base of relative URIs.
    pub fn root_uri(&self) -> Option<String> {
        let root = self.root.as_ref()?.to_string_lossy().into_owned();
        let slash = if root.ends_with('/') { "" } else { "/" };
        Some(format!("file://{}{slash}", encode_uri_path(&root)))
    }

    /// A URI reference for `path`: relative (to [`Paths::root_uri`]) when it can be, else an
    /// absolute `file://` URI. The flag says whether it is relative.
    pub fn uri(&self, path: &str) -> (String, bool) {
        let relative = self.relative(path);
        if Path::new(&relative).is_absolute() {
            (format!("file://{}", encode_uri_path(&relative)), false)
        } else {
            (encode_uri_path(&relative), true)
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, `/` and a few safe
/// sub-delimiters, byte by byte (so non-ASCII becomes its UTF-8 escapes).
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // A first segment with `:` would read as a scheme; it was encoded above (`:` is not kept).
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_the_root_become_relative() {
        let paths = Paths::new("/repo");
        assert_eq!(paths.relative("/repo/k8s/pod.yaml"), "k8s/pod.yaml");
        assert_eq!(paths.relative("./k8s/pod.yaml"), "k8s/pod.yaml");
        assert_eq!(paths.relative("k8s/pod.yaml"), "k8s/pod.yaml");
        assert_eq!(paths.relative("/elsewhere/pod.yaml"), "/elsewhere/pod.yaml");
    }

    #[test]
    fn uris_are_percent_encoded() {
        let paths = Paths::new("/my repo");
        assert_eq!(paths.root_uri().unwrap(), "file:///my%20repo/");
        assert_eq!(
            paths.uri("/my repo/k8s/café #1.yaml"),
            ("k8s/caf%C3%A9%20%231.yaml".to_string(), true)
        );
        assert_eq!(
            paths.uri("/other/a:b.yaml"),
            ("file:///other/a%3Ab.yaml".to_string(), false)
        );
    }
}
