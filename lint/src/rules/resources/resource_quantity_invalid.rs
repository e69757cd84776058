use super::helpers::{counts_bytes, quantity_maps};
use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::quantity;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{replace_scalar, value_range};

declare_rule! {
    /// ## What it does
    /// Reports a resource request or limit that is not a valid Kubernetes quantity (`128MB`,
    /// `1 Gi`, `2cores`), that is negative, or that is fractional for a resource counted in
    /// whole units (extended resources such as `nvidia.com/gpu`). Every container kind and
    /// the pod-level `spec.resources` and `spec.overhead` are checked.
    ///
    /// ## Why it matters in a Pod
    /// Requests and limits are how a Pod tells the scheduler what to reserve on a node and
    /// the kubelet where to cap the container. The API server parses them as quantities: a
    /// number with an optional, case-sensitive unit. `500m` is half a CPU; `128Mi` is 128
    /// mebibytes (2²⁰ bytes each) and `128M` is 128 million bytes. Anything else is rejected
    /// and the Pod is never created.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   limits:
    ///     memory: "128MB"
    /// ```
    ///
    /// ## How to fix
    /// Write the number and the unit with nothing in between. For memory use the binary
    /// units `Ki`, `Mi`, `Gi` (almost always what is meant); the decimal ones are `k`, `M`,
    /// `G`. When the intent is clear, the fix rewrites the value (`128MB` → `128M`); it is
    /// unsafe because you may have meant `128Mi`.
    pub struct ResourceQuantityInvalid {
        name: "resource-quantity-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A resource request or limit is not a valid quantity",
    }
}

impl PodRule for ResourceQuantityInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        for map in quantity_maps(pod) {
            for (resource, _, value, text) in map.quantities() {
                let range = value_range(source, value);
                // Named only in a finding: most quantities are valid.
                let at = || format!("`{}` of {}", map.path(resource), map.who());
                match quantity::parse(text) {
                    Err(error) => {
                        let d = cx.report(
                            range,
                            format!(
                                "`{text}` in {} is not a valid quantity: {}",
                                at(),
                                error.message
                            ),
                        );
                        match &error.suggestion {
                            Some(fixed) => {
                                d.help(suggestion_help(resource, fixed)).fix(Fix::unsafe_(
                                    format!("Write `{fixed}`"),
                                    vec![replace_scalar(source, value, fixed)],
                                ));
                            }
                            None => {
                                d.help(unit_help(resource));
                            }
                        }
                    }
                    Ok(q) if q.is_negative() => {
                        let positive = text.trim().trim_start_matches('-');
                        cx.report(
                            range,
                            format!("`{text}` in {} is negative; requests and limits must be zero or more", at()),
                        )
                        .help(format!("write the amount without the sign: `{positive}`"))
                        .fix(Fix::unsafe_(
                            format!("Write `{positive}`"),
                            vec![replace_scalar(source, value, positive)],
                        ));
                    }
                    Ok(q) if is_extended(resource) && !q.is_integer() => {
                        cx.report(
                            range,
                            format!("`{text}` in {} is not a whole number; extended resources such as `{resource}` are handed out in whole units", at()),
                        )
                        .help("request a whole number of units, e.g. `1`");
                    }
                    Ok(_) => {}
                }
            }
        }
    }
}

/// Extended resources (`nvidia.com/gpu`) have a domain that is not Kubernetes' own.
fn is_extended(resource: &str) -> bool {
    resource.contains('/') && !resource.contains("kubernetes.io/")
}

fn suggestion_help(resource: &str, fixed: &str) -> String {
    let decimal = fixed
        .strip_suffix(['k', 'M', 'G', 'T', 'P', 'E'])
        .filter(|number| number.ends_with(|c: char| c.is_ascii_digit()));
    match decimal {
        Some(number) if counts_bytes(resource) => {
            let unit = fixed[number.len()..].replace('k', "K");
            format!("write `{fixed}` ({resource} in decimal units, powers of 1000); you probably mean `{number}{unit}i`, the binary unit (powers of 1024) Kubernetes memory is usually given in")
        }
        _ => format!("write `{fixed}`"),
    }
}

fn unit_help(resource: &str) -> &'static str {
    if counts_bytes(resource) {
        "write a number with an optional unit and nothing in between, e.g. `128Mi` or `1Gi`"
    } else if resource == "cpu" {
        "write cores as a number, e.g. `2` or `0.5`, or millicores with `m`, e.g. `500m`"
    } else {
        "write a number with an optional unit and nothing in between, e.g. `1` or `500m`"
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
    fn quantities_follow_the_api_grammar() {
        RuleTest::new(&super::ResourceQuantityInvalid::META)
            .pass(limits("        memory: \"128Mi\"\n        cpu: 0.5\n"))
            .pass(limits(
                "        memory: 1e9\n        cpu: 500m\n        nvidia.com/gpu: 1\n",
            ))
            .pass(limits("        memory:\n"))
            .fail(limits("        memory: \"128MB\"\n"), &["\"128MB\""])
            .fail(limits("        cpu: 2cores\n"), &["2cores"])
            .fail(limits("        memory: -1Gi\n"), &["-1Gi"])
            .fail(limits("        nvidia.com/gpu: 0.5\n"), &["0.5"])
            .fail(
                pod("  overhead:\n    memory: 1 Gi\n  containers:\n  - name: app\n    image: a\n"),
                &["1 Gi"],
            )
            .run();
    }

    #[test]
    fn the_fix_keeps_the_quotes() {
        let yaml = limits("        memory: \"128MB\"\n");
        let found = crate::lint(
            &yaml,
            &crate::Settings::only(&["resource-quantity-invalid"]),
        );
        let (fixed, _) = crate::fix::apply(&yaml, &found, true);
        assert!(fixed.contains("memory: \"128M\"\n"), "{fixed}");
        assert!(found[0].help.as_deref().unwrap().contains("`128Mi`"));
    }
}
