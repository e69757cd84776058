//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on
//! the changed lines of a pull request.
//!
//! `::error file=k8s/pod.yaml,line=7,col=14,endLine=7,endColumn=26,title=podlint(rule)::message`

use std::fmt::Write;

use podlint_lint::Severity;

use super::{Located, Paths};

pub fn render(out: &mut String, d: &Located, paths: &Paths) {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (start, end) = (d.range.start, d.range.end);
    let _ = write!(
        out,
        "::{command} file={},line={}",
        escape_property(&paths.relative(&d.path)),
        start.line
    );
    // GitHub takes columns only for a range within one line.
    if start.line == end.line {
        let _ = write!(
            out,
            ",col={},endLine={},endColumn={}",
            start.column, end.line, end.column
        );
    } else {
        let _ = write!(out, ",endLine={}", end.line);
    }
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    let title = format!("podlint({})", d.rule);
    let _ = writeln!(
        out,
        ",title={}::{}",
        escape_property(&title),
        escape_data(&message)
    );
}

/// A command's message: `%`, CR and LF would end or corrupt the command; other control
/// characters (from a manifest) are shown escaped, so they cannot drive the log's terminal.
fn escape_data(text: &str) -> String {
    podlint_lint::text::escape_controls(text, &['\n', '\r'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, and `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Position, Range};

    fn finding(path: &str, severity: Severity, message: &str, lines: (u32, u32)) -> Located {
        let at = |line, column| Position {
            line,
            column,
            offset: 0,
        };
        Located {
            path: path.into(),
            rule: "duplicate-container-port",
            category: "api-warns",
            severity,
            message: message.into(),
            range: Range {
                start: at(lines.0, 7),
                end: at(lines.1, 11),
            },
            help: None,
            fix: None,
            labels: Vec::new(),
        }
    }

    #[test]
    fn escapes_data_and_properties_as_the_actions_toolkit_does() {
        let d = finding(
            "/repo/k8s/a,b:c.yaml",
            Severity::Error,
            "100% bad:\nline2\r",
            (7, 7),
        );
        let mut out = String::new();
        render(&mut out, &d, &Paths::new("/repo"));
        assert_eq!(
            out,
            "::error file=k8s/a%2Cb%3Ac.yaml,line=7,col=7,endLine=7,endColumn=11,\
             title=podlint(duplicate-container-port)::100%25 bad:%0Aline2%0D\n"
        );
    }

    #[test]
    fn severities_map_to_commands_and_multi_line_ranges_drop_columns() {
        let mut out = String::new();
        let paths = Paths::new("/repo");
        render(
            &mut out,
            &finding("a.yaml", Severity::Warning, "w", (3, 5)),
            &paths,
        );
        render(
            &mut out,
            &finding("./a.yaml", Severity::Info, "i", (3, 3)),
            &paths,
        );
        assert_eq!(
            out,
            "::warning file=a.yaml,line=3,endLine=5,title=podlint(duplicate-container-port)::w\n\
             ::notice file=a.yaml,line=3,col=7,endLine=3,endColumn=11,title=podlint(duplicate-container-port)::i\n"
        );
    }
}
