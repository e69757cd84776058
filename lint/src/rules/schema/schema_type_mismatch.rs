use crate::diagnostic::{Edit, Fix};
use crate::k8s::Object;
use crate::rule::{Context, SchemaRule};
use crate::schema::walk::{Place, Visitor};
use crate::schema::{Field, Item, Scalar, Shape};
use crate::syntax::{resolve_plain, NodeKind, NodeRef, ScalarStyle, ScalarType};

declare_rule! {
    /// ## What it does
    /// Reports a value whose type is not the one the Kubernetes API expects for that field:
    /// a quoted number where an integer belongs (`containerPort: "8080"`), a number or
    /// boolean where a string belongs (an env var's `value: 8080`), a single string where a
    /// list belongs (`command: python app.py`), a mapping where a list belongs, and so on.
    /// Integer-or-string fields (probe `port`, `maxSurge`) take both; resource quantities
    /// take strings and numbers.
    ///
    /// ## Why it matters in a Pod
    /// The API server decodes the manifest as JSON into typed fields. A string cannot go into
    /// an integer field, nor a number into a string field: the whole object is rejected with
    /// `cannot unmarshal … into Go struct field`, and nothing of the Pod is created. YAML
    /// makes this easy to get wrong: `8080` is a number, `"8080"` a string, `true` and `yes`
    /// booleans.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.4.2
    ///   command: python app.py     # a list is expected
    ///   ports:
    ///   - containerPort: "8080"    # an integer is expected
    ///   env:
    ///   - name: PORT
    ///     value: 8080              # a string is expected
    /// ```
    ///
    /// ## How to fix
    /// Write the value in the expected type: `containerPort: 8080`, `value: "8080"`,
    /// `command: ["python", "app.py"]`. The fix unquotes a quoted integer or boolean and
    /// quotes a number or boolean where a string is expected (both safe), and splits a
    /// command string into words (unsafe: check the result, a shell line needs
    /// `["sh", "-c", "…"]`).
    pub struct SchemaTypeMismatch {
        name: "schema-type-mismatch",
        category: ApiRejects,
        hook: Schema,
        fix: Sometimes,
        summary: "A value of the wrong type for its field (string for integer, map for list…)",
    }
}

impl SchemaRule for SchemaTypeMismatch {
    fn visitor<'c, 'a, 'd, 's>(
        &self,
        _: &'c Object<'d, 's>,
        cx: &'c mut Context<'a>,
    ) -> Box<dyn Visitor<'d, 's> + 'c> {
        Box::new(Check { cx })
    }
}

struct Check<'c, 'a> {
    cx: &'c mut Context<'a>,
}

impl<'d, 'src> Visitor<'d, 'src> for Check<'_, '_> {
    fn field(
        &mut self,
        _: NodeRef<'d, 'src>,
        value: NodeRef<'d, 'src>,
        field: &'static Field,
        _: &Place,
    ) {
        self.check(value, field.shape, field, false);
    }

    fn element(&mut self, value: NodeRef<'d, 'src>, item: Item, field: &'static Field, at: &Place) {
        // labels-invalid reports label values that are not strings, with a label's words.
        if field.name == "labels" && at.ty.short_name() == "ObjectMeta" {
            return;
        }
        let shape = match item {
            Item::Scalar(s) => Shape::Scalar(s),
            Item::Object(t) => Shape::Object(t),
        };
        self.check(value, shape, field, true);
    }
}

/// What a YAML value is, as JSON will see it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    Null,
    Bool,
    Int,
    Float,
    String,
    Mapping,
    List,
}

impl Found {
    fn of(node: NodeRef<'_, '_>) -> Self {
        match node.kind() {
            NodeKind::Mapping(_) => return Found::Mapping,
            NodeKind::Sequence(_) => return Found::List,
            _ => {}
        }
        match node.scalar_type() {
            Some(ScalarType::Null) | None => Found::Null,
            Some(ScalarType::Bool) => Found::Bool,
            Some(ScalarType::Int) => Found::Int,
            Some(ScalarType::Float) => Found::Float,
            Some(ScalarType::String) => Found::String,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Found::Null => "null",
            Found::Bool => "a boolean",
            Found::Int | Found::Float => "a number",
            Found::String => "a string",
            Found::Mapping => "a mapping (`key: value` lines)",
            Found::List => "a list",
        }
    }
}

/// Whether the API decodes a value that YAML reads as `found` into a field of `shape`.
fn accepts(shape: Shape, found: Found) -> bool {
    match (shape, found) {
        (_, Found::Null) | (Shape::FreeForm, _) => true,
        (Shape::Object(_) | Shape::MapOf(_), found) => found == Found::Mapping,
        (Shape::ArrayOf(_), found) => found == Found::List,
        (Shape::Scalar(scalar), found) => match scalar {
            Scalar::String => found == Found::String,
            Scalar::Integer => found == Found::Int,
            Scalar::Number => matches!(found, Found::Int | Found::Float),
            Scalar::Boolean => found == Found::Bool,
            Scalar::IntOrString => matches!(found, Found::Int | Found::String),
            Scalar::Quantity => matches!(found, Found::Int | Found::Float | Found::String),
        },
    }
}

/// "an integer", "a list of strings": what the field wants, with an article.
fn expected(shape: Shape) -> String {
    let label = shape.label();
    let article = match label.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    };
    match shape {
        Shape::Object(t) => format!("a mapping (a {})", t.short_name()),
        _ => format!("{article} {label}"),
    }
}

impl Check<'_, '_> {
    fn check(&mut self, value: NodeRef<'_, '_>, shape: Shape, field: &Field, element: bool) {
        let found = Found::of(value);
        if accepts(shape, found) {
            return;
        }
        let name = field.name;
        let shown = match found {
            Found::Mapping | Found::List => "it ".to_string(),
            _ => format!("`{}` ", shorten(self.cx.text(value.range()))),
        };
        let want = expected(shape);
        let subject = if element {
            let part = match field.shape {
                Shape::MapOf(_) => "each value of",
                _ => "each item of",
            };
            format!("{part} `{name}`")
        } else {
            format!("`{name}`")
        };
        let message = format!(
            "{subject} must be {want}, but {shown}is {}; the API server cannot decode it and rejects the object",
            found.noun()
        );
        let (help, fix) = remedy(value, shape, found, field, self.cx.source);
        let d = self.cx.report(value.range(), message);
        d.help(help);
        if let Some(fix) = fix {
            d.fix(fix);
        }
    }
}

/// What to do, and a fix when the intended value is clear.
fn remedy(
    value: NodeRef<'_, '_>,
    shape: Shape,
    found: Found,
    field: &Field,
    source: &str,
) -> (String, Option<Fix>) {
    let text = value.as_str().unwrap_or_default();
    let plain = value
        .scalar()
        .is_some_and(|s| s.style == ScalarStyle::Plain && s.tag.is_none());
    let quoted = value.scalar().is_some_and(|s| {
        matches!(
            s.style,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
        ) && s.tag.is_none()
    });
    match (shape, found) {
        (Shape::Scalar(Scalar::String), _) if plain => {
            let with_quotes = format!("\"{text}\"");
            (
                format!("quote it to make it a string: `{with_quotes}`"),
                Some(Fix::safe(
                    "Quote the value",
                    vec![Edit::replace(value.range(), with_quotes)],
                )),
            )
        }
        (Shape::Scalar(scalar), Found::String) if quoted && unquotes_to(text, scalar) => (
            format!("remove the quotes: `{text}`"),
            Some(Fix::safe(
                "Remove the quotes",
                vec![Edit::replace(value.range(), text)],
            )),
        ),
        (Shape::ArrayOf(Item::Scalar(Scalar::String)), Found::String) => {
            let words: Vec<&str> = text.split_whitespace().collect();
            let list = format!(
                "[{}]",
                words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let help = format!(
                "`{}` is a list with one string per argument: `{list}`; for a shell command line write `[\"sh\", \"-c\", \"…\"]`",
                field.name
            );
            let simple = !words.is_empty()
                && !text.contains(['"', '\'', '\\', '$', '|', '&', ';', '>', '<', '*', '`'])
                && !source[value.range()].contains('\n');
            let fix = simple.then(|| {
                Fix::unsafe_(
                    "Split into a list of words",
                    vec![Edit::replace(value.range(), list)],
                )
            });
            (help, fix)
        }
        (Shape::ArrayOf(Item::Object(t)), Found::Mapping) => (
            format!(
                "`{}` is a list: start each {} with `- `",
                field.name,
                t.short_name()
            ),
            None,
        ),
        (Shape::MapOf(_), Found::List) => (
            format!(
                "`{}` is a mapping: write `key: value` lines without `- `",
                field.name
            ),
            None,
        ),
        _ => (format!("write {} here", expected(shape)), None),
    }
}

/// Whether the text of a quoted string, unquoted, is a plain scalar of the wanted type.
fn unquotes_to(text: &str, scalar: Scalar) -> bool {
    let is_decimal = |t: &str| {
        let digits = t.strip_prefix('-').unwrap_or(t);
        !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
    };
    match scalar {
        Scalar::Integer => is_decimal(text),
        Scalar::Number => is_decimal(text) || resolve_plain(text) == ScalarType::Float,
        Scalar::Boolean => matches!(text, "true" | "false"),
        _ => false,
    }
}

/// A value as shown in a message: at most 40 characters of its first line.
fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 40 || line.len() < text.len() {
        format!("{}…", line.chars().take(40).collect::<String>())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};

    const RULE: &str = "schema-type-mismatch";

    #[test]
    fn values_must_have_their_fields_type() {
        let good = pod("  containers:\n  - name: a\n    image: x\n    command: [\"python\", \"app.py\"]\n    ports:\n    - containerPort: 8080\n    env:\n    - name: PORT\n      value: \"8080\"\n    resources:\n      limits: {cpu: 0.5, memory: 1Gi}\n    readinessProbe:\n      httpGet: {path: /, port: http}\n    livenessProbe:\n      tcpSocket: {port: 8080}\n");
        let bad = pod("  containers:\n  - name: a\n    image: x\n    command: python app.py\n    ports:\n    - containerPort: \"8080\"\n    - containerPort: eighty\n    env:\n      PORT: \"8080\"\n    args: [--port, 8080]\n    stdin: \"true\"\n");
        RuleTest::new(&super::SchemaTypeMismatch::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "python app.py",
                    "\"8080\"",
                    "eighty",
                    "PORT: \"8080\"",
                    "8080",
                    "\"true\"",
                ],
            )
            .run();
    }

    #[test]
    fn messages_say_what_the_api_expects() {
        let found = findings(
            RULE,
            &pod("  containers:\n  - name: a\n    image: x\n    ports:\n    - containerPort: \"8080\"\n    env:\n    - name: A\n      value: true\n"),
        );
        assert_eq!(
            found[0].1,
            "`containerPort` must be an integer, but `\"8080\"` is a string; the API server cannot decode it and rejects the object"
        );
        assert_eq!(
            found[1].1,
            "`value` must be a string, but `true` is a boolean; the API server cannot decode it and rejects the object"
        );
    }

    #[test]
    fn fixes_unquote_and_quote() {
        let text = pod("  containers:\n  - name: a\n    image: x\n    ports:\n    - containerPort: \"8080\"\n    env:\n    - name: A\n      value: 8080\n");
        let settings = crate::Settings::only(&[RULE]);
        let found = crate::lint(&text, &settings);
        let (fixed, applied) = crate::fix::apply(&text, &found, false);
        assert_eq!(applied, 2);
        assert!(fixed.contains("containerPort: 8080\n") && fixed.contains("value: \"8080\"\n"));
        assert!(crate::lint(&fixed, &settings).is_empty());
    }
}
