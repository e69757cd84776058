//! `--format junit`: JUnit XML, which CI systems show as a test report. One test suite per
//! file, one failing test case per finding; a file without findings gets one passing case so
//! it still shows up as checked.

use std::fmt::Write;

use super::Located;

pub fn render<'a>(files: impl IntoIterator<Item = (&'a str, &'a [Located])>) -> String {
    let files: Vec<_> = files.into_iter().collect();
    let failures: usize = files.iter().map(|(_, found)| found.len()).sum();
    let tests: usize = files.iter().map(|(_, found)| found.len().max(1)).sum();
    let mut out = header(tests, failures);
    for (path, found) in files {
        out.push_str(&suite_start(path, found.len()));
        for d in found {
            case(&mut out, d);
        }
        out.push_str(SUITE_END);
    }
    out.push_str(FOOTER);
    out
}

/// The document's start, with the totals of every file: `tests` counts a clean file once.
pub fn header(tests: usize, failures: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"podlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    out
}

/// One file's suite up to its first finding; a clean file's passing case included.
pub fn suite_start(path: &str, found: usize) -> String {
    let path = escape(path);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
        found.max(1),
        found
    );
    if found == 0 {
        let _ = writeln!(
            out,
            "    <testcase name=\"podlint\" classname=\"{path}\" file=\"{path}\"/>"
        );
    }
    out
}

pub const SUITE_END: &str = "  </testsuite>\n";
pub const FOOTER: &str = "</testsuites>\n";

/// One finding: a failing test case.
pub fn case(out: &mut String, d: &Located) {
    let path = escape(&d.path);
    let (line, column) = (d.range.start.line, d.range.start.column);
    let _ = writeln!(
        out,
        "    <testcase name=\"{rule} at {line}:{column}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">",
        rule = d.rule
    );
    let mut body = format!(
        "{}:{line}:{column}: {}[{}] {}",
        d.path,
        d.severity.as_str(),
        d.rule,
        d.message
    );
    if let Some(help) = &d.help {
        let _ = write!(body, "\nhelp: {help}");
    }
    let _ = writeln!(
        out,
        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
        d.rule,
        escape(&d.message),
        escape(&body)
    );
    out.push_str("    </testcase>\n");
}

/// Text for XML attributes and content. Characters XML 1.0 cannot hold at all (most control
/// characters) become U+FFFD; line breaks are kept as character references.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a<b> & \"c\" 'd'\n\u{0}"),
            "a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn a_clean_file_is_one_passing_test_case() {
        let out = render([("ok.yaml", &[][..])]);
        assert!(
            out.contains("<testsuites name=\"podlint\" tests=\"1\" failures=\"0\""),
            "{out}"
        );
        assert!(
            out.contains("<testcase name=\"podlint\" classname=\"ok.yaml\" file=\"ok.yaml\"/>"),
            "{out}"
        );
    }
}
