//! The JSON pieces the `publishDiagnostics` body is written from: strings and numbers through
//! serde_json's own serializer (its escaping, itoa for numbers), with no `Value` and no
//! intermediate `String` — a text made of parts (`message` and `help`) is escaped as it is
//! formatted.

use std::fmt::Display;

use serde::Serializer;

/// `text` as a JSON string, quotes included.
pub fn string(out: &mut Vec<u8>, text: impl Display) {
    // Writing to a `Vec` cannot fail.
    let _ = serde_json::Serializer::new(out).collect_str(&text);
}

/// An unsigned number in decimal.
pub fn uint(out: &mut Vec<u8>, n: u64) {
    let _ = serde_json::Serializer::new(out).serialize_u64(n);
}

/// A signed number in decimal.
pub fn int(out: &mut Vec<u8>, n: i64) {
    let _ = serde_json::Serializer::new(out).serialize_i64(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_byte: String = (0u8..0x80).map(char::from).collect();
        every_byte.push_str("é 🎉 \u{2028} then \"quotes\"\\");
        for s in ["", "plain", "line\nbreak", every_byte.as_str()] {
            assert_eq!(
                written(|out| string(out, s)),
                serde_json::to_string(s).unwrap()
            );
        }
        // A text in parts is one string.
        let parts = format_args!("{}{}", "a\"b", "\nhelp: c");
        assert_eq!(
            written(|out| string(out, parts)),
            serde_json::to_string("a\"b\nhelp: c").unwrap()
        );
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 4_294_967_295, u64::MAX] {
            assert_eq!(written(|out| uint(out, n)), n.to_string());
        }
        for n in [0, -1, i64::from(i32::MIN), i64::MIN, i64::MAX] {
            assert_eq!(written(|out| int(out, n)), n.to_string());
        }
    }
}
