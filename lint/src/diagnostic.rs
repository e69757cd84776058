//! What a rule reports: a message at a range, the other places involved, what to do, and an
//! optional fix.

use crate::text::TextRange;

/// Text written only if it is shown: the subject of a message (``volume `data` ``) that a rule
/// names for every object it looks at but prints only for the few it reports.
pub struct Lazy<F>(F);

/// [`Lazy`] text that `write` writes.
pub fn lazy<F: Fn(&mut std::fmt::Formatter<'_>) -> std::fmt::Result>(write: F) -> Lazy<F> {
    Lazy(write)
}

impl<F: Fn(&mut std::fmt::Formatter<'_>) -> std::fmt::Result> std::fmt::Display for Lazy<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (self.0)(f)
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// What kind of problem a rule finds; it sets the default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// The API server rejects the object.
    ApiRejects,
    /// The API server accepts it with a warning.
    ApiWarns,
    /// Accepted, but breaks or misbehaves when it runs.
    Correctness,
    Reliability,
    Security,
    Resources,
    Style,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::ApiRejects,
        Category::ApiWarns,
        Category::Correctness,
        Category::Reliability,
        Category::Security,
        Category::Resources,
        Category::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::ApiRejects => "api-rejects",
            Category::ApiWarns => "api-warns",
            Category::Correctness => "correctness",
            Category::Reliability => "reliability",
            Category::Security => "security",
            Category::Resources => "resources",
            Category::Style => "style",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub const fn default_severity(self) -> Severity {
        match self {
            Category::ApiRejects => Severity::Error,
            Category::Style => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

/// A secondary place the finding involves ("first declared here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of rule `rule`; rules report through their context, which fills these in.
    pub fn new(
        rule: &'static str,
        category: Category,
        severity: Severity,
        range: TextRange,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            category,
            severity,
            message: message.into(),
            range,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(&mut self, range: TextRange, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            range,
            message: message.into(),
        });
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Changes meaning in a way the author may not want: offered, applied only on request.
    Unsafe,
    /// Keeps what the author meant: applied by `podlint fix` and the editor's fix-all.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A minimal text edit: comments and formatting outside it survive.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: TextRange, replacement: impl Into<String>) -> Self {
        Self {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: crate::text::TextSize, text: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(at), text)
    }

    pub fn delete(range: TextRange) -> Self {
        Self::replace(range, "")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by start, never overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }
}
