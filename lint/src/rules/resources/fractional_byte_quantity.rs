use super::helpers::{counts_bytes, quantity_maps};
use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::quantity;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{replace_scalar, value_range};

declare_rule! {
    /// ## What it does
    /// Reports a memory or ephemeral-storage request, limit or overhead that is not a whole
    /// number of bytes: `1.5`, `0.1Ki`, and above all `100m`.
    ///
    /// ## Why it matters in a Pod
    /// Memory is counted in bytes. In a quantity the suffix `m` means *milli*, thousandths —
    /// not mega — so `memory: 100m` asks for a tenth of a byte. It is the CPU habit (`500m`
    /// is half a core) carried over to memory. The API server accepts the Pod with a warning
    /// ("fractional byte value … is invalid") and rounds up: the container gets a limit of a
    /// single byte and is OOM-killed as soon as it starts.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   limits:
    ///     memory: "100m"
    /// ```
    ///
    /// ## How to fix
    /// Use a byte unit: `100Mi` (mebibytes, 2²⁰ bytes each, the usual choice) or `100M`
    /// (millions of bytes). For `m`, the fix rewrites the unit to `Mi`; it is unsafe because
    /// only you know the size you meant.
    pub struct FractionalByteQuantity {
        name: "fractional-byte-quantity",
        category: ApiWarns,
        hook: Pod,
        fix: Sometimes,
        summary: "A memory or storage quantity is a fraction of a byte (`100m` is milli, not mega)",
    }
}

impl PodRule for FractionalByteQuantity {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        for map in quantity_maps(pod) {
            for (resource, _, value, text) in map.quantities() {
                if !counts_bytes(resource) {
                    continue;
                }
                let Ok(q) = quantity::parse(text) else {
                    continue;
                };
                if q.is_integer() {
                    continue;
                }
                let range = value_range(source, value);
                let at = format!("`{}` of {}", map.path(resource), map.who());
                let trimmed = text.trim();
                match trimmed.strip_suffix('m') {
                    Some(number) => {
                        cx.report(range, format!("`{text}` in {at} is {number} thousandths of a byte: the `m` suffix means milli, not mega; the container would get about one byte"))
                            .help(format!("write `{number}Mi` (mebibytes, the usual unit for {resource}) or `{number}M` (millions of bytes)"))
                            .fix(Fix::unsafe_(
                                format!("Write `{number}Mi` (mebibytes)"),
                                vec![replace_scalar(source, value, &format!("{number}Mi"))],
                            ));
                    }
                    None => {
                        let help = if trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                            format!("a bare number counts bytes: write the unit you meant, e.g. `{trimmed}Gi`")
                        } else {
                            format!("{resource} is counted in whole bytes: pick a value that is one, e.g. a whole number of `Mi`")
                        };
                        cx.report(range, format!("`{text}` in {at} is not a whole number of bytes; the API server warns and rounds it up"))
                            .help(help);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn limits(value: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n{value}"
        ))
    }

    #[test]
    fn bytes_are_whole() {
        RuleTest::new(&super::FractionalByteQuantity::META)
            .pass(limits("        memory: 1.5Gi\n        cpu: 100m\n"))
            .pass(limits(
                "        memory: 128Mi\n        ephemeral-storage: 1e9\n",
            ))
            .pass(limits("        memory: 128MB\n"))
            .fail(limits("        memory: \"100m\"\n"), &["\"100m\""])
            .fail(limits("        ephemeral-storage: 1.5\n"), &["1.5"])
            .fail(limits("        memory: 0.1Ki\n"), &["0.1Ki"])
            .run();
    }
}
