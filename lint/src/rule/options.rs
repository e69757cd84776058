//! Typed rule options (`rules: {required-label: {labels: [app, team]}}`).
//!
//! A rule that takes options declares a struct for them in its own file, with
//! [`rule_options!`] (or by implementing [`RuleOptions`] by hand), and names it in
//! `declare_rule!` (`options: RequiredLabelOptions,`). The struct is decoded once, when the
//! config file is loaded, from our spanned YAML: every mistake (an unknown key, a value of the
//! wrong type, an invalid quantity) is reported at its place in the file. Rules read the
//! result through their context, `cx.options::<RequiredLabelOptions>()`, which gives the
//! defaults when nothing is configured.
//!
//! The same declaration gives the docs their `## Options` section and the JSON schema of
//! `.podlint.yaml` its `rules:` part.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::syntax::NodeRef;
use crate::text::TextRange;

/// A mistake in a rule's options, at its place in the config text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub range: TextRange,
    pub message: String,
}

/// Where decoding reports its mistakes, and for which rule.
pub struct Decoder<'e> {
    /// The rule whose options are read, for messages.
    pub rule: &'static str,
    errors: &'e mut Vec<OptionError>,
}

impl<'e> Decoder<'e> {
    pub fn new(rule: &'static str, errors: &'e mut Vec<OptionError>) -> Self {
        Self { rule, errors }
    }

    pub fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(OptionError {
            range,
            message: message.into(),
        });
    }

    /// Reports that the value at `node` is not what `place` takes: "`labels` of
    /// `required-label` must be a list of strings, not `3`".
    pub fn expected(&mut self, node: NodeRef<'_, '_>, place: &str, expected: &str) {
        let written = node
            .as_str()
            .map(|text| format!(", not `{text}`"))
            .unwrap_or_default();
        self.error(node.range(), format!("{place} must be {expected}{written}"));
    }

    /// How messages name option `key`: "`labels` of `required-label`".
    pub fn place(&self, key: &str) -> String {
        format!("`{key}` of `{}`", self.rule)
    }
}

/// One option of a rule, as the docs, the JSON schema and did-you-mean see it.
#[derive(Debug)]
pub struct OptionField {
    /// The key written in `.podlint.yaml`, kebab-case.
    pub key: &'static str,
    /// What the option does: its doc comment.
    pub doc: &'static str,
    /// What a value looks like, in words ("a list of strings").
    pub expected: &'static str,
    /// The JSON schema of a value.
    pub schema: fn() -> Value,
}

/// A rule's options struct: decoded once per config layer, laid over the defaults and over
/// earlier layers, then read by the rule on every pod.
pub trait RuleOptions: Default + Clone + fmt::Debug + Send + Sync + 'static {
    /// Each option the rule takes.
    const FIELDS: &'static [OptionField];

    /// Reads the rule's mapping, reporting each mistake through `cx`. Returns the options
    /// with the keys written replacing the defaults, and those keys.
    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>) -> (Self, Vec<String>);

    /// Lays the options of a later layer over these: each key written there wins.
    fn merge(&mut self, later: &Self, written: &[String]);

    /// The options as JSON, for `podlint config --format json`.
    fn to_json(&self) -> Value;

    /// The JSON schema of the rule's mapping.
    fn schema() -> Value {
        fields_schema(Self::FIELDS)
    }

    /// What `declare_rule!`'s `options:` stores in the rule's metadata.
    const SPEC: OptionsSpec = OptionsSpec {
        type_name: std::any::type_name::<Self>,
        fields: Self::FIELDS,
        decode: decode_any::<Self>,
        default: default_any::<Self>,
        schema: Self::schema,
    };
}

/// A rule's options behind a pointer: the settings hold one per rule that takes options.
pub trait AnyOptions: Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn to_json(&self) -> Value;
    /// These options with `later`'s written keys laid over them.
    fn merged(&self, later: &dyn AnyOptions, written: &[String]) -> Arc<dyn AnyOptions>;
}

impl<T: RuleOptions> AnyOptions for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn to_json(&self) -> Value {
        RuleOptions::to_json(self)
    }

    fn merged(&self, later: &dyn AnyOptions, written: &[String]) -> Arc<dyn AnyOptions> {
        let later = later
            .as_any()
            .downcast_ref::<T>()
            .expect("options of one rule share their type");
        let mut out = self.clone();
        out.merge(later, written);
        Arc::new(out)
    }
}

/// The options one config layer sets for one rule, decoded.
#[derive(Debug, Clone)]
pub struct ConfiguredOptions {
    /// The rule's index in the registry.
    pub rule: usize,
    pub value: Arc<dyn AnyOptions>,
    /// The keys written, which replace those of earlier layers.
    pub written: Vec<String>,
}

/// A rule's decoded options and the keys the mapping wrote.
pub type Decoded = (Arc<dyn AnyOptions>, Vec<String>);

/// What the registry knows about a rule's options, without naming their type: stored in
/// [`RuleMeta::options`](super::RuleMeta::options) by `declare_rule!`.
pub struct OptionsSpec {
    /// The options struct's name, for messages about a rule reading the wrong type.
    pub type_name: fn() -> &'static str,
    pub fields: &'static [OptionField],
    /// Decodes the rule's mapping; `None` when it is not a mapping (reported).
    pub decode: fn(NodeRef<'_, '_>, &mut Decoder<'_>) -> Option<Decoded>,
    pub default: fn() -> Arc<dyn AnyOptions>,
    /// The JSON schema of the rule's mapping.
    pub schema: fn() -> Value,
}

impl fmt::Debug for OptionsSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OptionsSpec")
            .field("type", &(self.type_name)())
            .field(
                "fields",
                &self.fields.iter().map(|o| o.key).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl OptionsSpec {
    /// The `## Options` section of the rule's docs (Markdown): each option with what it
    /// takes, its default and its doc comment.
    pub fn markdown(&self) -> String {
        let defaults = (self.default)().to_json();
        let mut out = String::from("## Options\n\n");
        for field in self.fields {
            out.push_str(&format!("- `{}`: {}", field.key, field.expected));
            if let Some(default) = defaults.get(field.key) {
                out.push_str(&format!("; default `{default}`"));
            }
            out.push_str(".\n");
            for line in field.doc.lines() {
                let line = line.strip_prefix(' ').unwrap_or(line).trim_end();
                if !line.is_empty() {
                    out.push_str("  ");
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        out
    }
}

fn decode_any<T: RuleOptions>(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>) -> Option<Decoded> {
    if !node.is_mapping() {
        let example = T::FIELDS.first().map_or("key", |f| f.key);
        cx.error(
            node.range(),
            format!(
                "the options of `{}` are a mapping, e.g. `{}: {{{example}: …}}`",
                cx.rule, cx.rule
            ),
        );
        return None;
    }
    let (options, written) = T::decode(node, cx);
    Some((Arc::new(options), written))
}

fn default_any<T: RuleOptions>() -> Arc<dyn AnyOptions> {
    Arc::new(T::default())
}

/// The entries of an options mapping whose keys are among `fields`; unknown keys (with the
/// nearest known one), keys set twice and non-string keys are reported.
pub fn known_entries<'d, 's>(
    node: NodeRef<'d, 's>,
    cx: &mut Decoder<'_>,
    fields: &'static [OptionField],
) -> Vec<(&'static str, NodeRef<'d, 's>)> {
    let mut out: Vec<(&'static str, NodeRef<'d, 's>)> = Vec::new();
    for (key, value) in node.entries() {
        let Some(name) = key.as_str() else {
            cx.error(key.range(), "option names are plain words");
            continue;
        };
        let Some(field) = fields.iter().find(|f| f.key == name) else {
            let keys = fields.iter().map(|f| f.key);
            let message = format!(
                "unknown option `{name}` of `{}`; {}",
                cx.rule,
                suggestion(name, keys)
            );
            cx.error(key.range(), message);
            continue;
        };
        if out.iter().any(|(k, _)| *k == field.key) {
            cx.error(key.range(), format!("`{name}` is set twice"));
            continue;
        }
        out.push((field.key, value));
    }
    out
}

/// "did you mean `x`?" when one candidate is near `text`, else the candidates:
/// "expected `x`", "expected one of `x`, `y`".
pub fn suggestion<'a>(text: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> String {
    let all: Vec<&str> = candidates.clone().collect();
    match all.as_slice() {
        [] => "it takes no options".into(),
        [only] => format!("expected `{only}`"),
        _ => match closest(text, candidates) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "expected one of {}",
                all.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    }
}

/// The candidate nearest to a misspelt word, if any is near.
pub fn closest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::damerau_levenshtein(text, c), c))
        .filter(|(d, c)| *d <= c.len() / 3 + 1)
        .min()
        .map(|(_, c)| c)
}

/// The schema of an options mapping with these fields and no others.
pub fn fields_schema(fields: &[OptionField]) -> Value {
    let mut properties = Map::new();
    for field in fields {
        let mut schema = (field.schema)();
        if let Value::Object(map) = &mut schema {
            let doc = field
                .doc
                .lines()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            map.insert("description".into(), Value::String(doc.trim().to_string()));
        }
        properties.insert(field.key.into(), schema);
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

/// A type an option's value can have: how to read it from YAML, show it and describe it.
pub trait OptionType: Sized + Clone + fmt::Debug + Send + Sync + 'static {
    /// What a value looks like, in words, for messages and docs: "a whole number".
    const EXPECTED: &'static str;
    /// What a list of them looks like: "a list of strings".
    const LIST: &'static str = "a list";

    /// Reads a value, reporting each mistake in terms of `place` ("`labels` of
    /// `required-label`"); `None` when nothing usable was written.
    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self>;

    fn to_json(&self) -> Value;

    fn schema() -> Value;
}

impl OptionType for String {
    const EXPECTED: &'static str = "a string";
    const LIST: &'static str = "a list of strings";

    /// A string, trimmed; an empty one is a mistake (it would match nothing).
    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        let Some(text) = node.as_string() else {
            cx.expected(node, place, Self::EXPECTED);
            return None;
        };
        let text = text.trim();
        if text.is_empty() {
            cx.error(node.range(), format!("{place} must not be empty"));
            return None;
        }
        Some(text.to_string())
    }

    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }

    fn schema() -> Value {
        json!({"type": "string", "minLength": 1})
    }
}

impl OptionType for u32 {
    const EXPECTED: &'static str = "a whole number";

    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        let value = node.as_i64().and_then(|n| u32::try_from(n).ok());
        if value.is_none() {
            cx.expected(node, place, Self::EXPECTED);
        }
        value
    }

    fn to_json(&self) -> Value {
        Value::from(*self)
    }

    fn schema() -> Value {
        json!({"type": "integer", "minimum": 0})
    }
}

impl OptionType for bool {
    const EXPECTED: &'static str = "`true` or `false`";

    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        let value = node.as_bool();
        if value.is_none() {
            cx.expected(node, place, Self::EXPECTED);
        }
        value
    }

    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }

    fn schema() -> Value {
        json!({"type": "boolean"})
    }
}

impl<T: OptionType> OptionType for Vec<T> {
    const EXPECTED: &'static str = T::LIST;

    /// A list; a single value counts as a list of one (`labels: app`). Each wrong entry is
    /// reported; the others are kept.
    fn decode(node: NodeRef<'_, '_>, cx: &mut Decoder<'_>, place: &str) -> Option<Self> {
        if node.is_mapping() {
            cx.expected(node, place, Self::EXPECTED);
            return None;
        }
        if node.is_null() {
            return Some(Vec::new());
        }
        if !node.is_sequence() {
            return T::decode(node, cx, place).map(|v| vec![v]);
        }
        let entry = format!("each entry of {place}");
        Some(
            node.items()
                .filter_map(|i| T::decode(i, cx, &entry))
                .collect(),
        )
    }

    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }

    fn schema() -> Value {
        json!({
            "anyOf": [
                T::schema(),
                {"type": "array", "items": T::schema()},
            ]
        })
    }
}

/// Declares a rule's options struct with named fields, each with its key in `.podlint.yaml`,
/// its type (an [`OptionType`]) and an optional default (else the type's `Default`):
///
/// ```text
/// rule_options! {
///     /// Options of `single-replica`.
///     pub struct SingleReplicaOptions {
///         /// The smallest `replicas` accepted.
///         "minimum-replicas" minimum_replicas: u32 = 2,
///     }
/// }
/// ```
///
/// It implements [`RuleOptions`]: unknown keys are reported with the nearest known one, a
/// later layer replaces the keys it writes, and the fields' doc comments become the docs'
/// `## Options` section and the schema's descriptions.
macro_rules! rule_options {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $field_doc:literal])*
                $key:literal $field:ident: $ty:ty $(= $default:expr)?,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(
                $(#[doc = $field_doc])*
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self {
                    $($field: rule_options!(@default $($default)?),)*
                }
            }
        }

        impl $crate::rule::options::RuleOptions for $name {
            const FIELDS: &'static [$crate::rule::options::OptionField] = &[
                $(
                    $crate::rule::options::OptionField {
                        key: $key,
                        doc: concat!($($field_doc, "\n"),*),
                        expected: <$ty as $crate::rule::options::OptionType>::EXPECTED,
                        schema: <$ty as $crate::rule::options::OptionType>::schema,
                    },
                )*
            ];

            fn decode(
                node: $crate::syntax::NodeRef<'_, '_>,
                cx: &mut $crate::rule::options::Decoder<'_>,
            ) -> (Self, Vec<String>) {
                let mut options = Self::default();
                let mut written = Vec::new();
                for (key, value) in $crate::rule::options::known_entries(node, cx, Self::FIELDS) {
                    match key {
                        $(
                            $key => {
                                let place = cx.place($key);
                                if let Some(v) = <$ty as $crate::rule::options::OptionType>::decode(value, cx, &place) {
                                    options.$field = v;
                                    written.push(key.to_string());
                                }
                            }
                        )*
                        _ => unreachable!("known_entries keeps the declared keys"),
                    }
                }
                (options, written)
            }

            fn merge(&mut self, later: &Self, written: &[String]) {
                $(
                    if written.iter().any(|w| w == $key) {
                        self.$field = later.$field.clone();
                    }
                )*
                let _ = (later, written);
            }

            fn to_json(&self) -> serde_json::Value {
                #[allow(unused_mut)]
                let mut map = serde_json::Map::new();
                $(
                    map.insert(
                        $key.into(),
                        <$ty as $crate::rule::options::OptionType>::to_json(&self.$field),
                    );
                )*
                serde_json::Value::Object(map)
            }
        }
    };
    (@default) => { Default::default() };
    (@default $default:expr) => { $default };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    rule_options! {
        /// Options for these tests.
        pub struct Sample {
            /// Names.
            "names" names: Vec<String>,
            /// A count.
            "at-least" at_least: u32 = 2,
        }
    }

    fn decode(yaml: &str) -> (Sample, Vec<String>, Vec<(String, String)>) {
        let parsed = syntax::parse(yaml);
        let root = parsed.documents[0].root().unwrap();
        let mut errors = Vec::new();
        let (options, written) = Sample::decode(root, &mut Decoder::new("sample", &mut errors));
        errors.sort_by_key(|e| e.range.start());
        let errors = errors
            .into_iter()
            .map(|e| (yaml[e.range].to_string(), e.message))
            .collect();
        (options, written, errors)
    }

    #[test]
    fn fields_decode_with_defaults_for_the_rest() {
        let (options, written, errors) = decode("names: [ app , team]\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(options.names, ["app", "team"]);
        assert_eq!(options.at_least, 2);
        assert_eq!(written, ["names"]);
        let (options, _, _) = decode("names: app\nat-least: 3\n");
        assert_eq!(options.names, ["app"]);
        assert_eq!(options.at_least, 3);
    }

    #[test]
    fn every_mistake_is_reported_at_its_place() {
        let (options, written, errors) =
            decode("nmaes: [app]\nzzz: 1\nat-least: three\nnames: [app, 3, '']\n");
        assert_eq!(
            errors,
            [
                (
                    "nmaes".to_string(),
                    "unknown option `nmaes` of `sample`; did you mean `names`?".to_string()
                ),
                (
                    "zzz".into(),
                    "unknown option `zzz` of `sample`; expected one of `names`, `at-least`".into()
                ),
                (
                    "three".into(),
                    "`at-least` of `sample` must be a whole number, not `three`".into()
                ),
                (
                    "3".into(),
                    "each entry of `names` of `sample` must be a string, not `3`".into()
                ),
                (
                    "''".into(),
                    "each entry of `names` of `sample` must not be empty".into()
                ),
            ]
        );
        // What was right is kept (the config still fails as a whole).
        assert_eq!(options.names, ["app"]);
        assert_eq!(written, ["names"]);
        let (_, _, errors) = decode("at-least: -1\nnames: {a: b}\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn a_later_layer_replaces_the_keys_it_writes() {
        let (mut base, _, _) = decode("names: [a]\nat-least: 5\n");
        let (later, written, _) = decode("names: [b]\n");
        base.merge(&later, &written);
        assert_eq!(base.names, ["b"]);
        assert_eq!(base.at_least, 5);
    }

    #[test]
    fn the_declaration_gives_docs_and_schema() {
        let spec = <Sample as RuleOptions>::SPEC;
        let docs = spec.markdown();
        assert!(
            docs.contains("- `names`: a list of strings; default `[]`.\n  Names.\n"),
            "{docs}"
        );
        assert!(
            docs.contains("- `at-least`: a whole number; default `2`."),
            "{docs}"
        );
        let schema = (spec.schema)();
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["properties"]["at-least"]["type"], "integer");
        assert_eq!(schema["properties"]["names"]["description"], "Names.");
    }
}
