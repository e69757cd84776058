//! What the workload-spec rules share: reading integer-or-percent values and reporting a
//! number the API server requires to be zero or more.

use crate::rule::Context;
use crate::syntax::NodeRef;

/// A `maxSurge`/`maxUnavailable`-style value as the API server reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntOrPercent {
    Int(i64),
    Percent(i64),
    /// A string that is not `<digits>%` (the API server refuses it).
    Malformed,
}

impl IntOrPercent {
    pub(crate) fn read(node: NodeRef<'_, '_>) -> Option<Self> {
        if let Some(n) = node.as_i64() {
            return Some(Self::Int(n));
        }
        let text = node.as_string()?;
        let digits = text.strip_suffix('%').unwrap_or("");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self::Malformed);
        }
        Some(digits.parse().map_or(Self::Malformed, Self::Percent))
    }

    /// The number, whether a count or a percentage (`0` and `0%` are both zero).
    pub(crate) fn value(self) -> Option<i64> {
        match self {
            Self::Int(n) | Self::Percent(n) => Some(n),
            Self::Malformed => None,
        }
    }
}

/// Reports `key` under `mapping` when it is a negative integer; `meaning` says what the
/// number controls for the Pods, e.g. "how many Pods the Deployment runs".
pub(crate) fn report_negative(
    cx: &mut Context<'_>,
    mapping: NodeRef<'_, '_>,
    key: &str,
    meaning: &str,
) -> bool {
    let Some((k, v)) = mapping.entry(key) else {
        return false;
    };
    match v.as_i64() {
        Some(n) if n < 0 => {
            cx.report(
                k.range().cover(v.range()),
                format!(
                    "`{key}: {n}` is refused by the API server: it must be 0 or more ({meaning})"
                ),
            )
            .help(format!(
                "write a number of 0 or more for `{key}`, or remove it to get the default"
            ));
            true
        }
        _ => false,
    }
}

/// Checks an integer-or-percent field: a malformed string or a negative count is refused, and
/// so is a percentage over 100 when `capped`. Returns the value when it is well-formed.
pub(crate) fn check_int_or_percent(
    cx: &mut Context<'_>,
    mapping: NodeRef<'_, '_>,
    key: &str,
    capped: bool,
) -> Option<IntOrPercent> {
    let (k, v) = mapping.entry(key)?;
    let value = IntOrPercent::read(v)?;
    let range = k.range().cover(v.range());
    let text = cx.text(v.range()).to_string();
    match value {
        IntOrPercent::Malformed => {
            cx.report(
                range,
                format!("`{key}: {text}` is refused by the API server: it is a number of Pods (`1`) or a percentage of the replicas (`25%`)"),
            )
            .help(format!("write `{key}` as a whole number or as digits followed by `%`"));
            None
        }
        IntOrPercent::Int(n) if n < 0 => {
            cx.report(
                range,
                format!("`{key}: {n}` is refused by the API server: a number of Pods cannot be negative"),
            )
            .help(format!("write `{key}` as 0 or more, or as a percentage such as `25%`"));
            None
        }
        IntOrPercent::Percent(p) if capped && p > 100 => {
            cx.report(
                range,
                format!("`{key}: {text}` is refused by the API server: it cannot be more than 100% of the replicas"),
            )
            .help(format!("write `{key}` as 100% or less"));
            None
        }
        value => Some(value),
    }
}
