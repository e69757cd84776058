//! Reading a container image reference (`[registry/]repository[:tag][@digest]`) the way the
//! container runtime does, for the image rules.

/// The registry that serves images named without one (`nginx`, `bitnami/redis`).
pub(crate) const DEFAULT_REGISTRY: &str = "docker.io";

/// The parts of an image reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// The registry host (with its port), `docker.io` when the reference names none.
    pub registry: &'a str,
    /// The path inside the registry, as written (`nginx`, not `library/nginx`).
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    /// `sha256:…` after the `@`.
    pub digest: Option<&'a str>,
}

/// Splits an image reference. The first path component is a registry only when it looks like
/// a host: it has a `.` or a `:` (port), or is `localhost` — so `nginx` and `bitnami/redis`
/// come from Docker Hub, `ghcr.io/org/app` from ghcr.io.
pub(crate) fn parse(image: &str) -> ImageRef<'_> {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let (registry, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first, rest)
        }
        _ => (DEFAULT_REGISTRY, name),
    };
    // A `:` after the last `/` starts the tag; one before it belongs to the host.
    let last_slash = path.rfind('/').map_or(0, |i| i + 1);
    let (repository, tag) = match path[last_slash..].find(':') {
        Some(i) => (&path[..last_slash + i], Some(&path[last_slash + i + 1..])),
        None => (path, None),
    };
    ImageRef {
        registry,
        repository,
        tag,
        digest,
    }
}

/// Docker Hub answers to several names; they are one registry.
pub(crate) fn same_registry(a: &str, b: &str) -> bool {
    let canonical = |r: &str| match r.to_ascii_lowercase().as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
            DEFAULT_REGISTRY.to_string()
        }
        other => other.to_string(),
    };
    canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_like_the_runtime_reads_them() {
        let r = parse("nginx:1.25");
        assert_eq!(
            (r.registry, r.repository, r.tag),
            ("docker.io", "nginx", Some("1.25"))
        );
        let r = parse("bitnami/redis");
        assert_eq!(
            (r.registry, r.repository, r.tag),
            ("docker.io", "bitnami/redis", None)
        );
        let r = parse("registry.example.com:5000/team/app:2.0@sha256:abc");
        assert_eq!(
            (r.registry, r.repository, r.tag, r.digest),
            (
                "registry.example.com:5000",
                "team/app",
                Some("2.0"),
                Some("sha256:abc")
            )
        );
        assert_eq!(parse("localhost/app").registry, "localhost");
        assert!(same_registry("index.docker.io", "docker.io"));
        assert!(!same_registry("ghcr.io", "docker.io"));
    }
}
