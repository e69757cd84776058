use serde_json::{json, Map, Value};

use super::helpers::quantity_maps;
use crate::k8s::Pod;
use crate::quantity::{self, Quantity};
use crate::rule::options::{closest, Decoder, OptionField, RuleOptions};
use crate::rule::{Context, PodRule};
use crate::syntax::{NodeRef, ScalarType};

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
    /// A bound that is not a valid quantity is a config error, reported at its place.
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
        options: ResourceOutOfRangeOptions,
        severity: Info,
        enabled: false,
    }
}

/// The options of [`ResourceOutOfRange`]: bounds per resource, keyed by the resource's name
/// (`cpu: {min: 50m, max: "4"}`).
#[derive(Debug, Clone, Default)]
pub struct ResourceOutOfRangeOptions {
    /// One per resource, in the order written.
    pub bounds: Vec<Bounds>,
}

/// The configured bounds of one resource.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or an extended resource.
    pub resource: String,
    pub min: Option<Bound>,
    pub max: Option<Bound>,
}

/// A bound: the quantity, parsed once, and its text as written for messages.
#[derive(Debug, Clone)]
pub struct Bound {
    pub quantity: Quantity,
    pub text: String,
}

/// The resources a container may name without a domain (`hugepages-<size>` aside).
const STANDARD_RESOURCES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

impl RuleOptions for ResourceOutOfRangeOptions {
    const FIELDS: &'static [OptionField] = &[OptionField {
        key: "<resource>",
        doc: concat!(
            " The bounds of a resource (`cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>`\n",
            " or an extended resource such as `nvidia.com/gpu`): a `min`, a `max` or both, each\n",
            " a quantity (`50m`, `\"4\"`, `8Gi`), applied to requests and limits alike.\n",
        ),
        expected: "a mapping `{min: <quantity>, max: <quantity>}`",
        schema: bounds_schema,
    }];

    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>) -> (Self, Vec<String>) {
        let mut options = Self::default();
        for (key, value) in node.entries() {
            let Some(resource) = key.as_string() else {
                cx.error(key.range(), "resource names are plain words such as `cpu`");
                continue;
            };
            if !is_resource_name(resource) {
                let near = closest(resource, STANDARD_RESOURCES.into_iter())
                    .map(|close| format!("did you mean `{close}`?"))
                    .unwrap_or_else(|| {
                        "expected `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or an \
                         extended resource with its domain, such as `nvidia.com/gpu`"
                            .into()
                    });
                cx.error(
                    key.range(),
                    format!(
                        "unknown resource `{resource}` in the options of `{}`; {near}",
                        cx.rule
                    ),
                );
                continue;
            }
            if options.bounds.iter().any(|b| b.resource == resource) {
                cx.error(key.range(), format!("`{resource}` is set twice"));
                continue;
            }
            if let Some(bounds) = decode_bounds(resource, value, cx) {
                options.bounds.push(bounds);
            }
        }
        let written = options.bounds.iter().map(|b| b.resource.clone()).collect();
        (options, written)
    }

    /// A later layer replaces the bounds of the resources it names and keeps the others.
    fn merge(&mut self, later: &Self, _written: &[String]) {
        for bounds in &later.bounds {
            match self
                .bounds
                .iter_mut()
                .find(|b| b.resource == bounds.resource)
            {
                Some(existing) => *existing = bounds.clone(),
                None => self.bounds.push(bounds.clone()),
            }
        }
    }

    fn to_json(&self) -> Value {
        let mut map = Map::new();
        for bounds in &self.bounds {
            let mut entry = Map::new();
            for (key, bound) in [("min", &bounds.min), ("max", &bounds.max)] {
                if let Some(bound) = bound {
                    entry.insert(key.into(), Value::String(bound.text.clone()));
                }
            }
            map.insert(bounds.resource.clone(), Value::Object(entry));
        }
        Value::Object(map)
    }

    fn schema() -> Value {
        let properties: Map<String, Value> = STANDARD_RESOURCES
            .iter()
            .map(|r| (r.to_string(), bounds_schema()))
            .collect();
        json!({
            "type": "object",
            "properties": properties,
            "propertyNames": {
                "anyOf": [
                    {"enum": STANDARD_RESOURCES},
                    {"pattern": "^hugepages-"},
                    {"pattern": "/"},
                ]
            },
            "additionalProperties": bounds_schema(),
        })
    }
}

/// Whether a container may name `resource`: a standard resource, huge pages, or an extended
/// resource, which always carries its domain (`nvidia.com/gpu`).
fn is_resource_name(resource: &str) -> bool {
    STANDARD_RESOURCES.contains(&resource)
        || resource.starts_with("hugepages-")
        || resource.contains('/')
}

/// `{min: …, max: …}` of one resource.
fn decode_bounds(resource: &str, node: NodeRef<'_, '_>, cx: &mut Decoder<'_>) -> Option<Bounds> {
    let place = format!("`{resource}` of `{}`", cx.rule);
    if !node.is_mapping() {
        cx.expected(
            node,
            &place,
            "a mapping `{min: <quantity>, max: <quantity>}`",
        );
        return None;
    }
    let mut bounds = Bounds {
        resource: resource.to_string(),
        min: None,
        max: None,
    };
    for (key, value) in node.entries() {
        let side = match key.as_str() {
            Some("min") => &mut bounds.min,
            Some("max") => &mut bounds.max,
            other => {
                let name = other.unwrap_or("");
                let near = closest(name, ["min", "max"].into_iter())
                    .map_or("expected `min` or `max`".to_string(), |c| {
                        format!("did you mean `{c}`?")
                    });
                cx.error(
                    key.range(),
                    format!("unknown bound `{name}` of {place}; {near}"),
                );
                continue;
            }
        };
        if side.is_some() {
            cx.error(
                key.range(),
                format!("`{}` of {place} is set twice", key.as_str().unwrap_or("")),
            );
            continue;
        }
        *side = decode_bound(
            value,
            cx,
            &format!("`{}` of {place}", key.as_str().unwrap_or("")),
        );
    }
    if let (Some(min), Some(max)) = (&bounds.min, &bounds.max) {
        if min.quantity > max.quantity {
            let range = node.get("min").map_or(node.range(), |n| n.range());
            cx.error(
                range,
                format!(
                    "the `min` of {place} (`{}`) is above its `max` (`{}`)",
                    min.text, max.text
                ),
            );
        }
    }
    Some(bounds)
}

/// One bound: a quantity, written as a string (`8Gi`, `"4"`) or a number (`4`, `0.5`).
fn decode_bound(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Bound> {
    let text = match node.scalar_type() {
        Some(ScalarType::String | ScalarType::Int | ScalarType::Float) => node.as_str()?.trim(),
        _ => {
            cx.expected(node, place, "a quantity such as `500m` or `8Gi`");
            return None;
        }
    };
    match quantity::parse(text) {
        Ok(quantity) => Some(Bound {
            quantity,
            text: text.to_string(),
        }),
        Err(error) => {
            cx.error(node.range(), format!("{place} is not a quantity: {error}"));
            None
        }
    }
}

fn bounds_schema() -> Value {
    let quantity = json!({
        "description": "A Kubernetes quantity, e.g. `500m`, `\"4\"` or `8Gi`.",
        "type": ["string", "number"],
        "pattern": "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$"
    });
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {"min": quantity, "max": quantity},
    })
}

impl PodRule for ResourceOutOfRange {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let bounds = &cx.options::<ResourceOutOfRangeOptions>().bounds;
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
                let (side, limit) = match (&bounds.min, &bounds.max) {
                    (Some(min), _) if quantity < min.quantity => ("below the minimum", &min.text),
                    (_, Some(max)) if quantity > max.quantity => ("above the maximum", &max.text),
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
    use crate::rules::test::{pod, RuleTest};
    use crate::settings::Settings;

    #[test]
    fn quantities_stay_within_bounds() {
        let yaml = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {cpu: 10m, memory: 128Mi}\n      limits: {cpu: \"8\", memory: 16Gi}\n");
        // Quiet until bounds are configured.
        RuleTest::new(&super::ResourceOutOfRange::META)
            .pass(yaml.clone())
            .run_inline();
        RuleTest::new(&super::ResourceOutOfRange::META)
            .options("cpu: {min: 50m, max: 4}\nmemory: {min: 64Mi, max: 8Gi}")
            .fail(yaml, &["cpu: 10m", "cpu: \"8\"", "memory: 16Gi"])
            .run();
    }

    #[test]
    fn bounds_are_checked_when_the_config_is_read() {
        let yaml = "memroy: {max: 8Gi}\nmemory: {max: 8Gix, maximum: 9Gi}\ncpu: {min: \"4\", max: 50m}\nnvidia.com/gpu: {max: [1]}\n";
        let errors: Vec<(String, String)> = Settings::only(&["resource-out-of-range"])
            .configure("resource-out-of-range", yaml)
            .unwrap_err()
            .into_iter()
            .map(|e| (yaml[e.range].to_string(), e.message))
            .collect();
        let texts: Vec<&str> = errors.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["memroy", "8Gix", "maximum", "\"4\"", "[1]"],
            "{errors:#?}"
        );
        assert_eq!(
            errors[0].1,
            "unknown resource `memroy` in the options of `resource-out-of-range`; did you mean `memory`?"
        );
        assert!(
            errors[1]
                .1
                .starts_with("`max` of `memory` of `resource-out-of-range` is not a quantity: "),
            "{}",
            errors[1].1
        );
        assert_eq!(
            errors[2].1,
            "unknown bound `maximum` of `memory` of `resource-out-of-range`; expected `min` or `max`"
        );
    }
}
