//! The few JSON pieces the `publishDiagnostics` body is written from, by hand.
//!
//! A notification of a thousand findings is some 600 KB, most of it messages; serde_json
//! checks every byte of a string on its own and formats each number, which cost more than
//! everything else the server does for an edit besides the lint. Strings here are checked
//! eight bytes at a time, with the same escapes as serde_json.

/// `s` as a JSON string, quotes included.
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    string_contents(out, s);
    out.push(b'"');
}

/// `s` escaped for the inside of a JSON string, so one string can be written in parts.
pub fn string_contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // `bytes[written..i]` needs no escape and is not written yet.
    let (mut written, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let byte = bytes[i];
        if byte < 0x20 || byte == b'"' || byte == b'\\' {
            out.extend_from_slice(&bytes[written..i]);
            escape(out, byte);
            written = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[written..]);
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `word` is a control character, `"` or `\`.
fn needs_escape(word: u64) -> bool {
    // The classic tests for "some byte is below n" and "some byte is zero" (after xor).
    let below = |n: u64| word.wrapping_sub(n * ONES) & !word & HIGHS;
    let equal = |b: u64| {
        let x = word ^ (b * ONES);
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    (below(0x20) | equal(u64::from(b'"')) | equal(u64::from(b'\\'))) != 0
}

fn escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(byte >> 4)],
            HEX[usize::from(byte & 0xf)],
        ]),
    }
}

/// An unsigned number in decimal.
pub fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// A signed number in decimal.
pub fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
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
        every_byte.push_str("é 🎉 \u{2028} a longer run without escapes, then \"quotes\"\\");
        for s in [
            "",
            "plain",
            "exactly8",
            "exactly8\n",
            "\n1234567",
            every_byte.as_str(),
        ] {
            let ours = written(|out| string(out, s));
            assert_eq!(ours, serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // One byte to escape at each position of a word.
        for at in 0..17 {
            let s = format!("{}\"{}", "x".repeat(at), "y".repeat(16 - at));
            assert_eq!(
                written(|out| string(out, &s)),
                serde_json::to_string(&s).unwrap()
            );
        }
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
