use crate::config::OptionValue;
use crate::k8s::Pod;
use crate::quantity::{self, Quantity};
use super::helpers::quantity_maps;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a request or limit outside the bounds your team sets per resource. Off by
    /// default, and quiet until bounds are configured; each resource takes a `min`, a `max`
    /// or both, and applies to requests and limits alike:
    ///
    /// ```yaml
    /// # .podlint.yaml
    /// select: [resource-out-of-range]
    /// rules:
    ///   resource-out-of-range:
    ///     cpu: {min: 50m, max: "4"}
    ///     memory: {min: 64Mi, max: 8Gi}
    /// ```
    ///
    /// A bound that is not a valid quantity is ignored.
    ///
    /// ## Why it matters in a Pod
    /// The scheduler places a Pod on a node with room for its requests. A request larger
    /// than any node leaves the Pod `Pending` forever; a huge one that does fit reserves
    /// capacity nobody else can use. A tiny memory limit gets the container OOM-killed at
    /// start-up, and a tiny CPU limit throttles it until its probes time out. Bounds catch
    /// the extra zero or the `Mi` written for `Gi` before the cluster does.
    ///
    /// ## Example
    /// With `memory: {max: 8Gi}` configured:
    /// ```yaml
    /// resources:
    ///   limits:
    ///     memory: 16Gi
    /// ```
    ///
    /// ## How to fix
    /// Bring the value within the bounds, or, when the workload really needs more, raise
    /// the bound or suppress the finding with a reason.
    pub struct ResourceOutOfRange {
        name: "resource-out-of-range",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A request or limit is outside the configured bounds (options per resource)",
        severity: Info,
        enabled: false,
    }
}

/// The configured bounds of one resource.
struct Bounds {
    resource: String,
    min: Option<(Quantity, String)>,
    max: Option<(Quantity, String)>,
}

/// `resource: {min, max}` options; a bound that is not a quantity is dropped.
fn configured_bounds(cx: &Context<'_>) -> Vec<Bounds> {
    let bound = |entries: &[(String, OptionValue)], key: &str| {
        let text = match &entries.iter().find(|(k, _)| k == key)?.1 {
            OptionValue::String(s) => s.trim().to_string(),
            OptionValue::Int(i) => i.to_string(),
            OptionValue::Float(f) => f.to_string(),
            _ => return None,
        };
        Some((quantity::parse(&text).ok()?, text))
    };
    cx.settings
        .options()
        .iter()
        .filter(|(rule, _, _)| *rule == ResourceOutOfRange::META.name)
        .filter_map(|(_, resource, value)| {
            let OptionValue::Map(entries) = value else {
                return None;
            };
            Some(Bounds {
                resource: resource.to_string(),
                min: bound(entries, "min"),
                max: bound(entries, "max"),
            })
        })
        .collect()
}

impl PodRule for ResourceOutOfRange {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let bounds = configured_bounds(cx);
        if bounds.is_empty() {
            return;
        }
        for map in quantity_maps(pod) {
            if map.field == "overhead" {
                continue;
            }
            for (resource, key, value, text) in map.quantities() {
                let Some(bounds) = bounds.iter().find(|b| b.resource == resource) else {
                    continue;
                };
                let Ok(quantity) = quantity::parse(text) else {
                    continue;
                };
                let (side, (_, limit)) = match (&bounds.min, &bounds.max) {
                    (Some(min), _) if quantity < min.0 => ("below the minimum", min),
                    (_, Some(max)) if quantity > max.0 => ("above the maximum", max),
                    _ => continue,
                };
                let consequence = match (side.starts_with("above"), map.field) {
                    (true, "requests") => "a request that large can leave the Pod Pending or reserve capacity nobody else can use",
                    (true, _) => "a limit that large lets one container take a node's share of others",
                    (false, "limits") if resource == "memory" => "that little memory gets the container OOM-killed as it starts",
                    (false, _) => "that little is likely a unit mistake (a bare number is bytes or cores), and the scheduler places the Pod as if it needed almost nothing",
                };
                cx.report(
                    key.range().cover(value.range()),
                    format!("{} sets `{}: {text}`, {side} `{limit}` configured for {resource}: {consequence}", map.who(), map.path(resource)),
                )
                .help(format!("bring it within the configured range, or raise the bound in `.podlint.yaml` if {} needs it", map.who()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::OptionValue;
    use crate::rules::test::pod;
    use crate::settings::Settings;

    fn bounds(min: &str, max: OptionValue) -> OptionValue {
        OptionValue::Map(vec![
            ("min".into(), OptionValue::String(min.into())),
            ("max".into(), max),
        ])
    }

    #[test]
    fn quantities_stay_within_bounds() {
        let yaml = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {cpu: 10m, memory: 128Mi}\n      limits: {cpu: \"8\", memory: 16Gi}\n");
        let mut settings = Settings::only(&["resource-out-of-range"]);
        assert!(crate::lint(&yaml, &settings).is_empty());
        let options = settings.options_mut();
        options.set(
            "resource-out-of-range",
            "cpu",
            bounds("50m", OptionValue::Int(4)),
        );
        options.set(
            "resource-out-of-range",
            "memory",
            bounds("64Mi", OptionValue::String("8Gi".into())),
        );
        let found: Vec<_> = crate::lint(&yaml, &settings)
            .into_iter()
            .map(|d| yaml[d.range].to_string())
            .collect();
        assert_eq!(found, ["cpu: 10m", "cpu: \"8\"", "memory: 16Gi"]);
    }
}
