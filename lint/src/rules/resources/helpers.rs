//! The pieces the resource rules share: every `requests`/`limits`/`overhead` map of a pod,
//! and the "is this resource set anywhere" question behind the `*-missing` rules.

use crate::k8s::{Container, ContainerKind, Pod, Who};
use crate::quantity;
use crate::rule::Context;
use crate::syntax::NodeRef;

/// One map from resource name to quantity, and whose it is.
#[derive(Clone, Copy)]
pub(crate) struct QuantityMap<'d, 'src> {
    /// The container it belongs to; `None` for the pod-level `spec.resources` and `overhead`.
    pub container: Option<Container<'d, 'src>>,
    /// `requests`, `limits` or `overhead`.
    pub field: &'static str,
    pub map: NodeRef<'d, 'src>,
}

impl<'d, 'src> QuantityMap<'d, 'src> {
    /// "container `web`", or "the Pod" for pod-level maps; written only into a message.
    pub fn who(&self) -> Owner<'d, 'src> {
        Owner(self.container.map(|c| c.who()))
    }

    /// Where an entry of this map sits, as the docs write it: `resources.limits.memory`,
    /// `spec.resources.requests.cpu`, `spec.overhead.memory`.
    pub fn path(&self, resource: &str) -> String {
        match (self.container, self.field) {
            (Some(_), field) => format!("resources.{field}.{resource}"),
            (None, "overhead") => format!("spec.overhead.{resource}"),
            (None, field) => format!("spec.resources.{field}.{resource}"),
        }
    }

    /// Each `resource: quantity` entry whose value is a non-null scalar: (name, key, value, text).
    pub fn quantities(
        &self,
    ) -> impl Iterator<Item = (&'d str, NodeRef<'d, 'src>, NodeRef<'d, 'src>, &'d str)> + 'd {
        self.map.entries().filter_map(|(key, value)| {
            let name = key.as_str()?;
            // A null quantity decodes as zero; a mapping or list is a type error for
            // another rule.
            if value.is_null() {
                return None;
            }
            Some((name, key, value, value.as_str()?))
        })
    }
}

/// Whose a quantity map is, as messages say it ([`QuantityMap::who`]).
#[derive(Clone, Copy)]
pub(crate) struct Owner<'d, 'src>(Option<Who<'d, 'src>>);

impl std::fmt::Display for Owner<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(who) => who.fmt(f),
            None => f.write_str("the Pod"),
        }
    }
}

/// Every quantity map of a pod: each container's `resources.requests` and `resources.limits`
/// (init and ephemeral containers included), then the pod-level ones.
pub(crate) fn quantity_maps<'d, 'src>(pod: &Pod<'d, 'src>) -> Vec<QuantityMap<'d, 'src>> {
    let mut maps = Vec::new();
    for container in pod.containers() {
        let Some(resources) = container.get("resources") else {
            continue;
        };
        push_sections(&mut maps, Some(container), resources);
    }
    if let Some(resources) = pod.spec.get("resources") {
        push_sections(&mut maps, None, resources);
    }
    if let Some(overhead) = pod.spec.get("overhead").filter(|o| o.is_mapping()) {
        maps.push(QuantityMap {
            container: None,
            field: "overhead",
            map: overhead,
        });
    }
    maps
}

fn push_sections<'d, 'src>(
    maps: &mut Vec<QuantityMap<'d, 'src>>,
    container: Option<Container<'d, 'src>>,
    resources: NodeRef<'d, 'src>,
) {
    for field in ["requests", "limits"] {
        if let Some(map) = resources.get(field).filter(|m| m.is_mapping()) {
            maps.push(QuantityMap {
                container,
                field,
                map,
            });
        }
    }
}

/// Memory-like resources are counted in bytes.
pub(crate) fn counts_bytes(resource: &str) -> bool {
    matches!(resource, "memory" | "ephemeral-storage")
}

/// What a `*-missing` rule looks for.
pub(crate) struct Missing {
    /// `cpu` or `memory`.
    pub resource: &'static str,
    /// `requests` or `limits`.
    pub field: &'static str,
    /// Builds the message from the container's description.
    pub message: fn(&str) -> String,
    pub help: &'static str,
}

/// Reports each app container (regular or native sidecar) that does not set `need`.
///
/// A limit counts as a request: when requests are omitted the API server copies the limits
/// into them. Pod-level `spec.resources` (beta since 1.34) covers every container. Plain
/// init containers are skipped: they run alone, before the app, and the scheduler sizes the
/// pod by the larger of their requests and the app containers' sum.
pub(crate) fn report_missing(pod: &Pod<'_, '_>, cx: &mut Context<'_>, need: &Missing) {
    let sets = |resources: Option<NodeRef<'_, '_>>| {
        let fields: &[&str] = if need.field == "requests" {
            &["requests", "limits"]
        } else {
            &["limits"]
        };
        fields.iter().any(|field| {
            resources
                .and_then(|r| r.get(field))
                .and_then(|m| m.get(need.resource))
                .is_some_and(|v| !v.is_null())
        })
    };
    if sets(pod.spec.get("resources")) {
        return;
    }
    let running = pod
        .containers()
        .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar());
    for container in running {
        let resources = container.get("resources");
        if sets(resources) {
            continue;
        }
        // Point at the closest thing that exists: the `requests:` key, `resources:`, or
        // the container's name.
        let section = container
            .node
            .get("resources")
            .and_then(|r| r.entry(need.field));
        let range = match (section, container.node.entry("resources")) {
            (Some((key, _)), _) => key.range(),
            (None, Some((key, _))) => key.range(),
            (None, None) => container.anchor(),
        };
        cx.report(range, (need.message)(&container.describe()))
            .help(need.help);
    }
}

/// Reports each container whose request for `resource` differs from its limit, both set
/// and valid (invalid quantities are resource-quantity-invalid's). `message` gets the
/// container's description, the request and the limit as written.
pub(crate) fn report_unequal(
    pod: &Pod<'_, '_>,
    cx: &mut Context<'_>,
    resource: &str,
    message: impl Fn(&str, &str, &str) -> String,
) {
    // Ephemeral containers have no resources.
    let sized = pod
        .containers()
        .filter(|c| c.kind != ContainerKind::Ephemeral);
    for container in sized {
        let Some(resources) = container.get("resources") else {
            continue;
        };
        let Some((request_key, request)) =
            resources.get("requests").and_then(|r| r.entry(resource))
        else {
            continue;
        };
        let Some(limit) = resources.get("limits").and_then(|l| l.get(resource)) else {
            continue;
        };
        let (Some(request_text), Some(limit_text)) = (request.as_str(), limit.as_str()) else {
            continue;
        };
        let (Ok(r), Ok(l)) = (quantity::parse(request_text), quantity::parse(limit_text)) else {
            continue;
        };
        if r == l {
            continue;
        }
        cx.report(
            request_key.range().cover(request.range()),
            message(&container.describe(), request_text, limit_text),
        )
        .label(limit.range(), format!("the {resource} limit"))
        .help(format!("set `requests.{resource}: {limit_text}` to match the limit, or remove the request so Kubernetes copies the limit"));
    }
}
