//! `--format json-lines`: one located finding per line, with the fields of the JSON
//! contract's diagnostics, so tools can stream them.

use super::Located;

pub fn render(out: &mut String, d: &Located) {
    out.push_str(&serde_json::to_string(d).expect("plain data serialises"));
    out.push('\n');
}
