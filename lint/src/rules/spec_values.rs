//! Value checks several API-rejects rules share: paths that must stay inside a volume, octal
//! file modes, and values from a fixed set.

use std::fmt::Display;

use crate::diagnostic::lazy;
use crate::rule::Context;
use crate::rules::edits::replace_scalar;
use crate::syntax::NodeRef;
use crate::{Edit, Fix};

/// Why a path that must stay inside its volume (an item's `path`, a `subPath`, a seccomp
/// profile under the kubelet's profile directory) would leave it: it is absolute, or one of its
/// `/`-separated parts is `..`. `None` when it stays inside.
pub(crate) fn leaves_volume(path: &str) -> Option<&'static str> {
    if path.starts_with('/') {
        Some("is absolute")
    } else if path.split('/').any(|part| part == "..") {
        Some("climbs out with `..`")
    } else {
        None
    }
}

/// Item paths may not start with `..` either (`..data`): the kubelet keeps its own links
/// there to swap ConfigMap and Secret files atomically.
pub(crate) fn is_reserved_item_path(path: &str) -> bool {
    path.starts_with("..") && !path.starts_with("../")
}

/// The largest file mode the API server accepts: `0777`.
const MAX_MODE: i64 = 0o777;

/// Reports a `defaultMode` or `mode` outside 0–0777. `who` names the volume or item, for
/// the message.
pub(crate) fn check_mode(
    cx: &mut Context<'_>,
    owner: NodeRef<'_, '_>,
    key: &str,
    who: &dyn Display,
) {
    let Some((key_node, value)) = owner.entry(key) else {
        return;
    };
    let Some(mode) = value.as_i64() else {
        return;
    };
    if (0..=MAX_MODE).contains(&mode) {
        return;
    }
    let written = value.as_str().unwrap_or_default();
    let range = key_node.range().cover(value.range());
    // `644` is the decimal 644: what `chmod 644` means needs YAML's octal `0644`.
    let as_octal = (!written.starts_with('0'))
        .then(|| i64::from_str_radix(written, 8).ok())
        .flatten()
        .filter(|m| (0..=MAX_MODE).contains(m));
    match as_octal {
        Some(_) => {
            cx.report(
                range,
                format!("{who} sets `{key}: {written}`, which YAML reads as the decimal number {written}, above the largest file mode 0777 (511)"),
            )
            .help(format!("file modes are octal as in `chmod {written}`; in YAML write them with a leading zero: `{key}: 0{written}`"))
            .fix(Fix::unsafe_(
                format!("Write the mode as octal `0{written}`"),
                vec![Edit::replace(value.range(), format!("0{written}"))],
            ));
        }
        None => {
            cx.report(
                range,
                format!("{who} sets `{key}: {written}`, outside the file modes 0–0777 the API server accepts"),
            )
            .help(format!("use an octal mode with a leading zero, e.g. `{key}: 0644` (owner read-write, others read) or `{key}: 0400` (owner read-only)"));
        }
    }
}

/// Reports an item `path` that would leave the volume or starts with the kubelet's `..`.
/// `mount_paths` are where containers mount the volume: an absolute path under one of them
/// is fixed to the part below it.
pub(crate) fn check_item_path(
    cx: &mut Context<'_>,
    item: NodeRef<'_, '_>,
    who: &dyn Display,
    mount_paths: &[&str],
) {
    let Some((key, value)) = item.entry("path") else {
        return;
    };
    let Some(path) = value.as_str() else {
        return;
    };
    let range = key.range().cover(value.range());
    if let Some(problem) = leaves_volume(path) {
        let relative = mount_paths
            .iter()
            .find_map(|m| {
                path.strip_prefix(m.trim_end_matches('/'))?
                    .strip_prefix('/')
            })
            .unwrap_or_else(|| path.trim_start_matches('/'));
        let fixable =
            path.starts_with('/') && !relative.is_empty() && leaves_volume(relative).is_none();
        let source = cx.source;
        let d = cx.report(
            range,
            format!("{who} has `path: {path}`, which {problem}; an item's path is a file name inside the volume, relative to where it is mounted"),
        );
        if fixable {
            d.help(format!("write the path relative to the volume, `path: {relative}`; the container's `mountPath` decides where the volume appears"))
                .fix(Fix::unsafe_(
                    format!("Use the relative path `{relative}`"),
                    vec![replace_scalar(source, value, relative)],
                ));
        } else {
            d.help("write the path relative to the volume, e.g. `path: app.conf`; the container's `mountPath` decides where the volume appears");
        }
    } else if is_reserved_item_path(path) {
        cx.report(
            range,
            format!("{who} has `path: {path}`; paths starting with `..` are reserved for the links the kubelet uses to update the files atomically"),
        )
        .help("choose a name that does not start with `..`");
    }
}

/// Where the pod's containers mount the volume called `name`.
pub(crate) fn mount_paths<'d>(pod: &crate::k8s::Pod<'d, '_>, name: Option<&str>) -> Vec<&'d str> {
    let Some(name) = name else {
        return Vec::new();
    };
    pod.containers()
        .flat_map(|c| c.volume_mounts())
        .filter(|m| m.get("name").and_then(|n| n.as_str()) == Some(name))
        .filter_map(|m| m.get("mountPath")?.as_str())
        .collect()
}

/// The allowed value `text` was most likely meant as, and whether only its case differs.
pub(crate) fn closest_value<'a>(text: &str, allowed: &[&'a str]) -> Option<(&'a str, bool)> {
    if let Some(same) = allowed.iter().find(|v| v.eq_ignore_ascii_case(text)) {
        return Some((same, true));
    }
    // `Dir` for `Directory`: the value that starts with what was written, and that the other
    // such values (`DirectoryOrCreate`) only extend.
    let lower = text.to_ascii_lowercase();
    let prefixed: Vec<&'a str> = allowed
        .iter()
        .copied()
        .filter(|v| !v.is_empty() && !lower.is_empty())
        .filter(|v| v.to_ascii_lowercase().starts_with(&lower))
        .collect();
    if let Some(shortest) = prefixed.iter().min_by_key(|v| v.len()) {
        if prefixed.iter().all(|v| v.starts_with(shortest)) {
            return Some((shortest, false));
        }
    }
    let mut near: Vec<(usize, &'a str)> = allowed
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| {
            let distance =
                strsim::damerau_levenshtein(&text.to_ascii_lowercase(), &v.to_ascii_lowercase());
            (distance, *v)
        })
        .filter(|(distance, v)| *distance <= 2.min(v.len() / 3))
        .collect();
    near.sort_unstable();
    match near.as_slice() {
        [(_, only)] => Some((only, false)),
        [(d0, first), (d1, _), ..] if d0 < d1 => Some((first, false)),
        _ => None,
    }
}

/// The fix that replaces a mistyped value with `to`: safe when only the case was wrong.
pub(crate) fn value_fix(source: &str, node: NodeRef<'_, '_>, to: &str, case_only: bool) -> Fix {
    let title = format!("Use `{to}`");
    let edits = vec![replace_scalar(source, node, to)];
    if case_only {
        Fix::safe(title, edits)
    } else {
        Fix::unsafe_(title, edits)
    }
}

/// "`A`, `B` or `C`".
pub(crate) fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| format!("`{v}`"))
        .collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// "volume `config`", or "this volume" when it has no name: written only when reported.
pub(crate) fn volume_who(name: Option<&str>) -> impl Display + '_ {
    lazy(move |f| match name {
        Some(name) => write!(f, "volume `{name}`"),
        None => f.write_str("this volume"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_and_outside_a_volume() {
        assert_eq!(leaves_volume("conf/app.yaml"), None);
        assert_eq!(leaves_volume("/etc/app.yaml"), Some("is absolute"));
        assert_eq!(leaves_volume("a/../../b"), Some("climbs out with `..`"));
        assert_eq!(leaves_volume("a..b"), None);
        assert!(is_reserved_item_path("..data"));
        assert!(!is_reserved_item_path("../x"));
    }

    #[test]
    fn closest_values() {
        let allowed = ["File", "FallbackToLogsOnError"];
        assert_eq!(closest_value("file", &allowed), Some(("File", true)));
        assert_eq!(closest_value("Fiel", &allowed), Some(("File", false)));
        assert_eq!(closest_value("Always", &allowed), None);
        let types = ["Directory", "DirectoryOrCreate", "File"];
        assert_eq!(closest_value("Dir", &types), Some(("Directory", false)));
        assert_eq!(
            closest_value("FallbackToLogOnError", &allowed),
            Some(("FallbackToLogsOnError", false))
        );
        assert_eq!(one_of(&["", "A", "B", "C"]), "`A`, `B` or `C`");
    }
}
