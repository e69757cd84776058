//! Kubernetes resource quantities (`500m`, `128Mi`, `1.5Gi`, `1e3`), parsed the way the
//! API server parses them and compared exactly.
//!
//! # Grammar
//!
//! A quantity is an optional sign, a decimal number (`1`, `1.5`, `.5` and `5.` are all
//! fine) and an optional unit, with nothing in between:
//!
//! * decimal SI: `n` `u` `m` (10⁻⁹, 10⁻⁶, 10⁻³), none, `k` `M` `G` `T` `P` `E` (10³ … 10¹⁸);
//! * binary SI: `Ki` `Mi` `Gi` `Ti` `Pi` `Ei` (2¹⁰ … 2⁶⁰);
//! * a decimal exponent: `e` or `E`, an optional sign and digits (`1e3`, `2E-3`).
//!
//! # Representation
//!
//! A [`Quantity`] is a sign, a list of significant decimal digits and a power of ten,
//! always kept normalised (no leading or trailing zero digits, zero has no digits and no
//! sign). Normalisation makes the derived equality numeric, comparison needs no
//! arithmetic, and any value the API server accepts is held exactly, however long,
//! without floats or big-number crates.
//!
//! Two API-server rules are applied while parsing so that comparisons agree with what
//! the cluster stores: the magnitude is rounded up (away from zero) to whole nano-units,
//! and binary-suffixed magnitudes are capped at 2⁶³−1. As in the API's JSON decoding,
//! leading and trailing whitespace is ignored.
//!
//! # Deliberate deviations
//!
//! The upstream parser reads a number with no digits at all (`-`, `.`, `Mi`, `k`) as zero
//! and wraps exponents beyond 32 bits (`1e4294967296` becomes `1`). Both are accidents
//! nobody writes on purpose, so they are reported as errors here.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// An exact, normalised resource quantity.
///
/// Equality and ordering are numeric: `1Gi > 1000Mi`, `1 == 1000m`, `0.5 == 500m`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Quantity {
    negative: bool,
    /// Significant digits (values 0–9), most significant first; empty for zero.
    digits: Vec<u8>,
    /// The value is `digits × 10^exponent`; never below -9 after nano rounding.
    exponent: i64,
}

/// Why a string is not a valid quantity, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantityError {
    /// What is wrong, e.g. "unknown unit `gi`: units are case-sensitive; …".
    pub message: String,
    /// The whole corrected quantity when the intent is clear, e.g. `1Gi` for `1gi`.
    pub suggestion: Option<String>,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (did you mean `{suggestion}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for QuantityError {}

/// Parses a Kubernetes quantity such as `500m`, `128Mi` or `1e3`.
pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
    parse_exact(text).map_err(|problem| problem.explain(text))
}

impl FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)
    }
}

impl Quantity {
    /// Zero.
    pub const ZERO: Quantity = Quantity {
        negative: false,
        digits: Vec::new(),
        exponent: 0,
    };

    /// True for values below zero (`-0` is zero, not negative).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// True for whole numbers of base units: `1.5Ki` (1536) is, `1.5` and `100m` are not.
    pub fn is_integer(&self) -> bool {
        self.exponent >= 0 || self.digits.is_empty()
    }

    /// True for zero in any spelling (`0`, `0Gi`, `-0.0`).
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The value in nano-units (value × 10⁹), or `None` if that does not fit in an `i128`
    /// (above about 1.7 × 10²⁹ base units). Always exact, since values are whole nanos.
    pub fn to_nanos(&self) -> Option<i128> {
        // exponent >= -9 always holds, so the shift is never negative.
        self.scaled_integer(self.exponent.checked_add(9)?)
    }

    /// The value as a whole number of base units, or `None` if it has a fractional part
    /// or does not fit in an `i128`.
    pub fn to_i128(&self) -> Option<i128> {
        if !self.is_integer() {
            return None;
        }
        self.scaled_integer(self.exponent)
    }

    /// `digits × 10^shift` as an `i128`, with the sign applied; `shift` must be >= 0.
    fn scaled_integer(&self, shift: i64) -> Option<i128> {
        if self.is_zero() {
            return Some(0);
        }
        let shift = u32::try_from(shift).ok()?;
        let mut value: i128 = 0;
        for &digit in &self.digits {
            value = value.checked_mul(10)?.checked_add(i128::from(digit))?;
        }
        value = value.checked_mul(10i128.checked_pow(shift)?)?;
        Some(if self.negative { -value } else { value })
    }

    /// Decimal position of the leading digit: compares magnitudes of non-zero values.
    fn magnitude(&self) -> i64 {
        self.exponent.saturating_add(len_i64(&self.digits))
    }

    fn signum(&self) -> i8 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        self.cmp_magnitude_with(&other.digits, other.exponent)
    }

    /// [`Self::cmp_magnitude`] with `digits × 10^exponent` (normalised).
    fn cmp_magnitude_with(&self, digits: &[u8], exponent: i64) -> Ordering {
        // Normalised digit lists of equal magnitude line up from the top, and a missing
        // trailing digit is a zero, so plain slice order is numeric order.
        self.magnitude()
            .cmp(&exponent.saturating_add(len_i64(digits)))
            .then_with(|| self.digits.as_slice().cmp(digits))
    }

    /// Builds a normalised quantity from `digits × 10^exponent × 2^binary_shift`.
    fn from_parts(negative: bool, digits: Vec<u8>, exponent: i64, binary_shift: u32) -> Self {
        let mut quantity = Quantity {
            negative,
            digits,
            exponent,
        };
        if binary_shift > 0 {
            quantity.digits = multiply_by_pow2(&quantity.digits, binary_shift);
        }
        quantity.round_up_to_nanos();
        quantity.normalise();
        if binary_shift > 0 && quantity.cmp_magnitude_with(&BINARY_CAP, 0) == Ordering::Greater {
            quantity = Quantity {
                negative,
                ..binary_cap()
            };
        }
        quantity
    }

    /// The API server keeps at most nine decimal places and rounds the magnitude up, so
    /// that asking for a tiny amount still yields some of it.
    fn round_up_to_nanos(&mut self) {
        const NANO: i64 = -9;
        if self.exponent >= NANO {
            return;
        }
        let excess = usize::try_from(NANO.saturating_sub(self.exponent)).unwrap_or(usize::MAX);
        let keep = self.digits.len().saturating_sub(excess);
        let dropped_nonzero = self.digits[keep..].iter().any(|&digit| digit != 0);
        self.digits.truncate(keep);
        self.exponent = NANO;
        if dropped_nonzero {
            increment(&mut self.digits);
        }
    }

    fn normalise(&mut self) {
        let leading = self.digits.iter().take_while(|&&digit| digit == 0).count();
        self.digits.drain(..leading);
        let trailing = self
            .digits
            .iter()
            .rev()
            .take_while(|&&digit| digit == 0)
            .count();
        self.digits.truncate(self.digits.len() - trailing);
        self.exponent = self.exponent.saturating_add(len_i64_of(trailing));
        if self.digits.is_empty() {
            *self = Quantity::ZERO;
        }
    }
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity::ZERO
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.signum()
            .cmp(&other.signum())
            .then_with(|| match self.signum() {
                0 => Ordering::Equal,
                1 => self.cmp_magnitude(other),
                _ => other.cmp_magnitude(self),
            })
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Plain decimal in base units (`1073741824`, `0.5`, `-0.001`); scientific notation for
/// values with more than 40 integer digits, so `1e999999` stays short.
impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_PLAIN_DIGITS: i64 = 40;
        if self.is_zero() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let digits: String = self.digits.iter().map(|&d| char::from(b'0' + d)).collect();
        let magnitude = self.magnitude();
        if magnitude > MAX_PLAIN_DIGITS {
            let (first, rest) = digits.split_at(1);
            let dot = if rest.is_empty() { "" } else { "." };
            return write!(f, "{first}{dot}{rest}e{}", magnitude - 1);
        }
        if self.exponent >= 0 {
            let zeros = usize::try_from(self.exponent).unwrap_or(0);
            return write!(f, "{digits}{}", "0".repeat(zeros));
        }
        // exponent is in -9..0 here, so the padding is small.
        let fraction_len = usize::try_from(-self.exponent).unwrap_or(0);
        if digits.len() > fraction_len {
            let (whole, fraction) = digits.split_at(digits.len() - fraction_len);
            write!(f, "{whole}.{fraction}")
        } else {
            let zeros = "0".repeat(fraction_len - digits.len());
            write!(f, "0.{zeros}{digits}")
        }
    }
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quantity({self})")
    }
}

/// 2⁶³−1, the largest magnitude the API server keeps for binary-suffixed quantities.
/// The digits of `i64::MAX` (9223372036854775807), normalised: the largest binary-suffixed
/// quantity the API server keeps.
const BINARY_CAP: [u8; 19] = [9, 2, 2, 3, 3, 7, 2, 0, 3, 6, 8, 5, 4, 7, 7, 5, 8, 0, 7];

fn binary_cap() -> Quantity {
    Quantity {
        negative: false,
        digits: BINARY_CAP.to_vec(),
        exponent: 0,
    }
}

fn len_i64(digits: &[u8]) -> i64 {
    len_i64_of(digits.len())
}

fn len_i64_of(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// Adds one to a big-endian decimal digit list, growing it on carry out.
fn increment(digits: &mut Vec<u8>) {
    for digit in digits.iter_mut().rev() {
        if *digit == 9 {
            *digit = 0;
        } else {
            *digit += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

/// Multiplies a big-endian decimal digit list by `2^shift` (`shift` <= 60).
fn multiply_by_pow2(digits: &[u8], shift: u32) -> Vec<u8> {
    let factor = 1u64 << shift;
    let mut carry = 0u64;
    let mut out = Vec::with_capacity(digits.len() + 20);
    for &digit in digits.iter().rev() {
        // The carry stays below 2⁶⁰ (it is at most a tenth of the product), so
        // digit × 2⁶⁰ + carry < 10 × 2⁶⁰ < u64::MAX.
        let product = u64::from(digit) * factor + carry;
        out.push((product % 10) as u8);
        carry = product / 10;
    }
    while carry > 0 {
        out.push((carry % 10) as u8);
        carry /= 10;
    }
    out.reverse();
    out
}

// ---------------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------------

/// The power a unit applies to the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Decimal(i32),
    Binary(u32),
}

/// What went wrong, before it is put into words.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    Empty,
    InnerWhitespace,
    /// No digits before the unit: `abc`, `Mi`, `-`.
    NoDigits {
        rest: String,
    },
    ExtraDecimalPoint,
    Hexadecimal,
    DigitSeparator,
    UnexpectedCharacter(char),
    UnknownUnit {
        number: String,
        unit: String,
    },
    ExponentMissingDigits,
    ExponentNotInteger,
    ExponentOutOfRange,
}

fn parse_exact(text: &str) -> Result<Quantity, Problem> {
    // The API decodes quantities from JSON with surrounding whitespace trimmed.
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    // Whitespace is ASCII or a multi-byte character: only then are the characters decoded.
    let maybe_space = text
        .bytes()
        .any(|b| matches!(b, b'\t'..=b'\r' | b' ') || !b.is_ascii());
    if maybe_space && text.chars().any(char::is_whitespace) {
        return Err(Problem::InnerWhitespace);
    }
    let bytes = text.as_bytes();
    let (negative, start) = match bytes[0] {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let integer_end = skip_digits(bytes, start);
    let (fraction_start, fraction_end) = if bytes.get(integer_end) == Some(&b'.') {
        (integer_end + 1, skip_digits(bytes, integer_end + 1))
    } else {
        (integer_end, integer_end)
    };
    let integer = &bytes[start..integer_end];
    let fraction = &bytes[fraction_start..fraction_end];
    // Only ASCII has been consumed, so `fraction_end` is a char boundary.
    let (number, unit) = text.split_at(fraction_end);

    if integer.is_empty() && fraction.is_empty() {
        return Err(Problem::NoDigits {
            rest: text[start..].to_owned(),
        });
    }
    match unit.as_bytes().first() {
        Some(b'.') => return Err(Problem::ExtraDecimalPoint),
        Some(b'x' | b'X') if integer == b"0" && fraction_start == integer_end => {
            return Err(Problem::Hexadecimal)
        }
        Some(b',' | b'_') if unit.as_bytes().get(1).is_some_and(u8::is_ascii_digit) => {
            return Err(Problem::DigitSeparator)
        }
        _ => {}
    }
    let unit = parse_unit(number, unit)?;

    let digits: Vec<u8> = integer.iter().chain(fraction).map(|b| b - b'0').collect();
    let fraction_len = len_i64(fraction);
    Ok(match unit {
        Unit::Decimal(power) => {
            let exponent = i64::from(power).saturating_sub(fraction_len);
            Quantity::from_parts(negative, digits, exponent, 0)
        }
        Unit::Binary(shift) => Quantity::from_parts(negative, digits, -fraction_len, shift),
    })
}

fn skip_digits(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count()
}

fn parse_unit(number: &str, unit: &str) -> Result<Unit, Problem> {
    if let Some(known) = known_unit(unit) {
        return Ok(known);
    }
    if let Some(exponent) = unit.strip_prefix(['e', 'E']) {
        // `1eb` or `1ei` is a misspelt exa unit, not an exponent.
        if !exponent.starts_with(char::is_alphabetic) {
            return parse_exponent(exponent).map(Unit::Decimal);
        }
    }
    match unit.chars().next() {
        Some(c) if !c.is_alphabetic() && !is_micro_sign(c) => Err(Problem::UnexpectedCharacter(c)),
        _ => Err(Problem::UnknownUnit {
            number: number.to_owned(),
            unit: unit.to_owned(),
        }),
    }
}

fn known_unit(unit: &str) -> Option<Unit> {
    Some(match unit {
        "n" => Unit::Decimal(-9),
        "u" => Unit::Decimal(-6),
        "m" => Unit::Decimal(-3),
        "" => Unit::Decimal(0),
        "k" => Unit::Decimal(3),
        "M" => Unit::Decimal(6),
        "G" => Unit::Decimal(9),
        "T" => Unit::Decimal(12),
        "P" => Unit::Decimal(15),
        "E" => Unit::Decimal(18),
        "Ki" => Unit::Binary(10),
        "Mi" => Unit::Binary(20),
        "Gi" => Unit::Binary(30),
        "Ti" => Unit::Binary(40),
        "Pi" => Unit::Binary(50),
        "Ei" => Unit::Binary(60),
        _ => return None,
    })
}

/// The text after `e`/`E`: an optional sign and digits, within 32 bits.
fn parse_exponent(text: &str) -> Result<i32, Problem> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits_end = skip_digits(unsigned.as_bytes(), 0);
    let (digits, rest) = unsigned.split_at(digits_end);
    if digits.is_empty() {
        return Err(Problem::ExponentMissingDigits);
    }
    if !rest.is_empty() {
        return Err(if rest.starts_with('.') {
            Problem::ExponentNotInteger
        } else {
            Problem::UnexpectedCharacter(rest.chars().next().unwrap_or('.'))
        });
    }
    let significant = digits.trim_start_matches('0');
    // More than ten significant digits cannot fit; checking first keeps `parse` cheap.
    if significant.len() > 10 {
        return Err(Problem::ExponentOutOfRange);
    }
    let magnitude: i64 = significant.parse().unwrap_or(0);
    let value = if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    i32::try_from(value).map_err(|_| Problem::ExponentOutOfRange)
}

fn is_micro_sign(c: char) -> bool {
    matches!(c, 'µ' | 'μ')
}

// ---------------------------------------------------------------------------------------
// Explaining
// ---------------------------------------------------------------------------------------

const UNIT_LIST: &str = "use n, u, m, k, M, G, T, P or E (powers of 10), Ki, Mi, Gi, Ti, Pi or Ei \
                         (powers of 2), or an exponent such as `e3`";

impl Problem {
    fn explain(self, text: &str) -> QuantityError {
        let trimmed = text.trim();
        let (message, candidate) = match self {
            Problem::Empty => (
                "the quantity is empty; write a number such as `500m` or `128Mi`".to_owned(),
                None,
            ),
            Problem::InnerWhitespace => {
                let mut message =
                    "a quantity cannot contain spaces; write the number and unit together"
                        .to_owned();
                if splits_a_number(trimmed) {
                    return QuantityError {
                        message,
                        suggestion: None,
                    };
                }
                let compact: String = trimmed.split_whitespace().collect();
                // `1 GB` should lead to `1G` and say why, not stop at `1GB`.
                let candidate = match parse(&compact) {
                    Ok(_) => Some(compact),
                    Err(error) => {
                        message = format!("{message}; also, {}", error.message);
                        error.suggestion
                    }
                };
                (message, candidate)
            }
            Problem::NoDigits { rest } => (no_digits_message(&rest), None),
            Problem::ExtraDecimalPoint => (
                "the number has more than one decimal point; a quantity is one number such as \
                 `1.5` followed by an optional unit"
                    .to_owned(),
                None,
            ),
            Problem::Hexadecimal => (
                "hexadecimal numbers are not allowed; write the value in decimal".to_owned(),
                hex_to_decimal(trimmed),
            ),
            Problem::DigitSeparator => separator_advice(trimmed),
            Problem::UnexpectedCharacter('%') => (
                "a quantity cannot be a percentage; write an absolute amount such as `500m` \
                 or `256Mi`"
                    .to_owned(),
                None,
            ),
            Problem::UnexpectedCharacter(c) => (
                format!(
                    "unexpected character `{c}`; a quantity is a number followed by an \
                     optional unit"
                ),
                None,
            ),
            Problem::UnknownUnit { number, unit } => match unit_advice(&unit) {
                Some((replacement, why)) => (
                    format!("unknown unit `{unit}`: {why}"),
                    Some(format!("{number}{replacement}")),
                ),
                None => (format!("unknown unit `{unit}`; {UNIT_LIST}"), None),
            },
            Problem::ExponentMissingDigits => (
                "`e` must be followed by a whole-number exponent, as in `1e3`; for exa \
                 (10^18) write `E`"
                    .to_owned(),
                None,
            ),
            Problem::ExponentNotInteger => (
                "the exponent after `e` must be a whole number, as in `15e2`".to_owned(),
                None,
            ),
            Problem::ExponentOutOfRange => (
                "the exponent is out of range; Kubernetes reads exponents as 32-bit numbers"
                    .to_owned(),
                None,
            ),
        };
        QuantityError {
            message,
            // Offer only fixes that are themselves valid.
            suggestion: candidate.filter(|fixed| parse_exact(fixed).is_ok()),
        }
    }
}

/// `1 2` or `1. 5`: joining the pieces would invent a number nobody wrote.
fn splits_a_number(text: &str) -> bool {
    let is_numeric = |c: char| c.is_ascii_digit() || c == '.';
    let pieces: Vec<&str> = text.split_whitespace().collect();
    pieces
        .windows(2)
        .any(|pair| pair[0].ends_with(is_numeric) && pair[1].starts_with(is_numeric))
}

fn no_digits_message(rest: &str) -> String {
    if rest.is_empty() || rest == "." {
        return "the quantity has no digits; write a number such as `1` or `0.5`".to_owned();
    }
    if known_unit(rest).is_some() {
        return format!("the number is missing before the unit `{rest}`, as in `1{rest}`");
    }
    "not a number; a quantity starts with a number, as in `500m`, `2` or `128Mi`".to_owned()
}

/// `0x10` → `16`, when everything after `0x` is hexadecimal and fits.
fn hex_to_decimal(text: &str) -> Option<String> {
    let (sign, unsigned) = match text.strip_prefix(['+', '-']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text),
    };
    let hex = unsigned.get(2..)?;
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(hex, 16)
        .ok()
        .map(|value| format!("{sign}{value}"))
}

/// `1,000` and `1_000` are thousands separators; `1,5` is a decimal comma.
fn separator_advice(text: &str) -> (String, Option<String>) {
    let mut groups = text.split([',', '_']);
    let head_is_short = groups.next().is_some_and(|head| {
        let digits = head.trim_start_matches(['+', '-']);
        (1..=3).contains(&digits.len())
    });
    let rest: Vec<&str> = groups.collect();
    let thousands = head_is_short
        && rest.iter().enumerate().all(|(index, group)| {
            let digits_len = skip_digits(group.as_bytes(), 0);
            // Only the last group may carry a fraction or unit after its three digits.
            digits_len == 3 && (index + 1 == rest.len() || group.len() == 3)
        });
    if thousands || text.contains('_') {
        (
            "digit separators are not allowed; write the digits together".to_owned(),
            Some(text.replace([',', '_'], "")),
        )
    } else {
        (
            "use `.` for the decimal point, not `,`".to_owned(),
            Some(text.replacen(',', ".", 1)),
        )
    }
}

/// For a unit users often write by mistake: the unit they most likely mean, and why.
fn unit_advice(unit: &str) -> Option<(&'static str, String)> {
    const BINARY: [&str; 6] = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    const DECIMAL: [&str; 6] = ["k", "M", "G", "T", "P", "E"];
    const NAMES: [(&str, &str, &str); 6] = [
        ("kilobyte", "kibibyte", ""),
        ("megabyte", "mebibyte", "^2"),
        ("gigabyte", "gibibyte", "^3"),
        ("terabyte", "tebibyte", "^4"),
        ("petabyte", "pebibyte", "^5"),
        ("exabyte", "exbibyte", "^6"),
    ];
    let lower = unit.to_lowercase();
    let prefix_index = |text: &str| {
        let first = text.chars().next()?;
        "kmgtpe".find(first.to_ascii_lowercase())
    };

    // `gi`, `MI`, `kI`: a binary unit in the wrong case.
    if lower.len() == 2 && lower.ends_with('i') {
        if let Some(index) = prefix_index(&lower) {
            let fixed = BINARY[index];
            return Some((
                fixed,
                format!("units are case-sensitive; the binary unit is written `{fixed}`"),
            ));
        }
    }
    // `MiB`, `GIB`: a binary unit with a trailing B.
    if lower.len() == 3 && lower.ends_with("ib") {
        if let Some(index) = prefix_index(&lower) {
            let fixed = BINARY[index];
            return Some((
                fixed,
                format!("Kubernetes units have no `B`; the binary unit is written `{fixed}`"),
            ));
        }
    }
    // `MB`, `Gb`, `kB`, `KB`: a decimal unit with a trailing B. Keep the decimal meaning
    // that was written, and point at the binary unit people often intend.
    if lower.len() == 2 && lower.ends_with('b') {
        if let Some(index) = prefix_index(&lower) {
            let (decimal, binary) = (DECIMAL[index], BINARY[index]);
            let (decimal_name, binary_name, power) = NAMES[index];
            return Some((
                decimal,
                format!(
                    "Kubernetes units have no `B`; `{decimal}` is the decimal {decimal_name} \
                     (1000{power} bytes), while `{binary}` is the binary {binary_name} \
                     (1024{power} bytes) that many people mean"
                ),
            ));
        }
    }
    // A single SI prefix in the wrong case: `K`, `g`, `t`, `N`, `U`.
    let single = |fixed: &'static str, what: &str, binary: Option<&str>| {
        let also = binary
            .map(|binary| format!(" (the binary unit, in powers of 1024, is `{binary}`)"))
            .unwrap_or_default();
        Some((
            fixed,
            format!("units are case-sensitive; {what} is written `{fixed}`{also}"),
        ))
    };
    match unit {
        "K" => return single("k", "kilo (1000)", Some("Ki")),
        "g" => return single("G", "giga (10^9)", Some("Gi")),
        "t" => return single("T", "tera (10^12)", Some("Ti")),
        "p" => return single("P", "peta (10^15)", Some("Pi")),
        "N" => return single("n", "nano (10^-9)", None),
        "U" => return single("u", "micro (10^-6)", None),
        "µ" | "μ" => return Some(("u", "micro is written with the ASCII letter `u`".to_owned())),
        _ => {}
    }
    match lower.as_str() {
        "b" | "byte" | "bytes" => Some((
            "",
            "there is no byte unit; a plain number already counts bytes".to_owned(),
        )),
        "cpu" | "cpus" | "core" | "cores" | "vcpu" | "vcpus" => Some((
            "",
            "there is no core unit; a plain number already counts cores".to_owned(),
        )),
        "mcpu" | "millicpu" | "millicore" | "millicores" => Some((
            "m",
            "millicores are written with the unit `m`, as in `500m`".to_owned(),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        parse(text).unwrap_or_else(|error| panic!("`{text}` should parse: {error}"))
    }

    fn err(text: &str) -> QuantityError {
        match parse(text) {
            Ok(value) => panic!("`{text}` should be rejected, got {value}"),
            Err(error) => error,
        }
    }

    #[test]
    fn the_binary_cap_is_the_largest_int64() {
        let written: Vec<u8> = i64::MAX.to_string().bytes().map(|b| b - b'0').collect();
        assert_eq!(BINARY_CAP.as_slice(), written.as_slice());
    }

    fn suggestion(text: &str) -> Option<String> {
        err(text).suggestion
    }

    #[test]
    fn accepts_every_documented_form() {
        for text in [
            "128Mi", "0.5", "500m", "1e3", "1E3", "1.5Gi", "+1", ".5", "5.", "1n", "1u", "2Ei",
            "0", "-1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Ti", "1Pi", "1e-3", "1e+3",
            "1E-3", "1.G", "007", "1e0", "1e00003",
        ] {
            q(text);
        }
    }

    #[test]
    fn values_are_exact() {
        assert_eq!(q("128Mi").to_i128(), Some(128 << 20));
        assert_eq!(q("1.5Gi").to_i128(), Some(1_610_612_736));
        assert_eq!(q("2Ei").to_i128(), Some(2 << 60));
        assert_eq!(q("500m").to_nanos(), Some(500_000_000));
        assert_eq!(q("1n").to_nanos(), Some(1));
        assert_eq!(q("1u").to_nanos(), Some(1_000));
        assert_eq!(q("-1").to_i128(), Some(-1));
        assert_eq!(q("1e3").to_i128(), Some(1000));
        assert_eq!(q(".5").to_i128(), None);
        assert_eq!(q("5.").to_i128(), Some(5));
    }

    #[test]
    fn compares_numerically_across_units() {
        assert!(q("1Gi") > q("1000Mi"));
        assert!(q("1G") < q("1Gi"));
        assert_eq!(q("1"), q("1000m"));
        assert_eq!(q("0.5"), q("500m"));
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("1Ki"), q("1024"));
        assert_eq!(q("1.5Ki"), q("1536"));
        assert_eq!(q("1024Mi"), q("1Gi"));
        assert!(q("999m") < q("1"));
        assert!(q("1001m") > q("1"));
        assert!(q("0.15") < q("0.151"));
        assert!(q("-2") < q("-1"));
        assert!(q("-1") < q("0"));
        assert!(q("-1Gi") < q("-1G"));
        assert_eq!(q("-0"), q("0"));
        assert_eq!(q("0Gi"), q("0.000"));
    }

    #[test]
    fn integrality_is_about_base_units() {
        assert!(!q("1.5").is_integer());
        assert!(!q("100m").is_integer());
        assert!(!q("1n").is_integer());
        assert!(q("1.5Ki").is_integer());
        assert!(q("1000m").is_integer());
        assert!(q("0").is_integer());
        assert!(q("1e3").is_integer());
        assert!(q("1.0").is_integer());
    }

    #[test]
    fn sign_and_zero() {
        assert!(q("-1").is_negative());
        assert!(q("-100m").is_negative());
        assert!(!q("-0").is_negative());
        assert!(q("-0").is_zero());
        assert!(q("0.0Mi").is_zero());
        assert!(!q("1n").is_zero());
    }

    #[test]
    fn surrounding_whitespace_is_ignored_like_the_api() {
        assert_eq!(q(" 1Gi\t"), q("1Gi"));
    }

    #[test]
    fn rounds_up_to_nano_units_like_the_api() {
        assert_eq!(q("1e-12"), q("1n"));
        assert_eq!(q("0.0000000001"), q("1n"));
        assert_eq!(q("1.0000000001"), q("1.000000001"));
        assert_eq!(q("-1e-12"), q("-1n"));
        assert_eq!(q("0.9999999999"), q("1"));
        assert_eq!(q("1e-2147483648"), q("1n"));
    }

    #[test]
    fn caps_binary_quantities_at_int64_max_like_the_api() {
        let cap = q("9223372036854775807");
        assert_eq!(q("8Ei"), cap);
        assert_eq!(q("100000Ei"), cap);
        assert_eq!(q("-8Ei"), q("-9223372036854775807"));
        // Decimal quantities are not capped.
        assert!(q("10E") > cap);
    }

    #[test]
    fn holds_huge_values_exactly() {
        let huge = q("1e2000000000");
        assert!(huge > q("9e1999999999"));
        assert!(q("1e2000000000") < q("1.0000000001e2000000000"));
        assert_eq!(huge.to_nanos(), None);
        assert_eq!(huge.to_string(), "1e2000000000");
        let long = "9".repeat(100_000);
        assert!(q(&long) > q(&"9".repeat(99_999)));
    }

    #[test]
    fn displays_plain_base_units() {
        assert_eq!(q("1.5Gi").to_string(), "1610612736");
        assert_eq!(q("500m").to_string(), "0.5");
        assert_eq!(q("-1n").to_string(), "-0.000000001");
        assert_eq!(q("1.25k").to_string(), "1250");
        assert_eq!(q("0").to_string(), "0");
        assert_eq!(q("12.5e40").to_string(), "1.25e41");
    }

    #[test]
    fn rejects_malformed_text_with_plain_words() {
        assert!(err("").message.contains("empty"));
        assert!(err("   ").message.contains("empty"));
        assert!(err("1.5.0").message.contains("more than one decimal point"));
        assert!(err("abc").message.contains("not a number"));
        assert!(err("0x10").message.contains("hexadecimal"));
        assert!(err("Mi").message.contains("missing before the unit `Mi`"));
        assert!(err("-").message.contains("no digits"));
        assert!(err(".").message.contains("no digits"));
        assert!(err("1e").message.contains("whole-number exponent"));
        assert!(err("1e+").message.contains("whole-number exponent"));
        assert!(err("1e1.5").message.contains("whole number"));
        assert!(err("1e4294967296").message.contains("out of range"));
        assert!(err("1e-99999999999999999999999")
            .message
            .contains("out of range"));
        assert!(err("50%").message.contains("percentage"));
        assert!(err("1/2").message.contains("unexpected character `/`"));
        assert!(err("1Xi").message.contains("unknown unit `Xi`"));
        assert!(err("1e3i").message.contains("unexpected character `i`"));
        assert!(err("1Mi1").message.contains("unknown unit `Mi1`"));
    }

    #[test]
    fn suggests_the_likely_unit() {
        assert_eq!(suggestion("128MB").as_deref(), Some("128M"));
        assert!(err("128MB").message.contains("`Mi` is the binary mebibyte"));
        assert_eq!(suggestion("1GB").as_deref(), Some("1G"));
        assert_eq!(suggestion("1 Gi").as_deref(), Some("1Gi"));
        assert!(err("1 Gi").message.contains("spaces"));
        assert_eq!(suggestion("1 GB").as_deref(), Some("1G"));
        assert!(err("1 GB").message.contains("no `B`"));
        assert_eq!(suggestion("1eb").as_deref(), Some("1E"));
        assert_eq!(suggestion("1ei").as_deref(), Some("1Ei"));
        assert_eq!(suggestion("1gi").as_deref(), Some("1Gi"));
        assert!(err("1gi").message.contains("case-sensitive"));
        assert_eq!(suggestion("10mi").as_deref(), Some("10Mi"));
        assert_eq!(suggestion("1Kb").as_deref(), Some("1k"));
        assert_eq!(suggestion("1kb").as_deref(), Some("1k"));
        assert_eq!(suggestion("1KB").as_deref(), Some("1k"));
        assert!(err("1KB").message.contains("`Ki` is the binary kibibyte"));
        assert_eq!(suggestion("1K").as_deref(), Some("1k"));
        assert_eq!(suggestion("2g").as_deref(), Some("2G"));
        assert_eq!(suggestion("512MiB").as_deref(), Some("512Mi"));
        assert_eq!(suggestion("1.5GIB").as_deref(), Some("1.5Gi"));
        assert_eq!(suggestion("-1KI").as_deref(), Some("-1Ki"));
        assert_eq!(suggestion("5µ").as_deref(), Some("5u"));
        assert_eq!(suggestion("100bytes").as_deref(), Some("100"));
        assert_eq!(suggestion("2cores").as_deref(), Some("2"));
        assert_eq!(suggestion("500mcpu").as_deref(), Some("500m"));
        assert_eq!(suggestion("0x10").as_deref(), Some("16"));
        assert_eq!(suggestion("1,000").as_deref(), Some("1000"));
        assert_eq!(suggestion("1_000Mi").as_deref(), Some("1000Mi"));
        assert_eq!(suggestion("1,5Gi").as_deref(), Some("1.5Gi"));
    }

    #[test]
    fn gives_no_suggestion_when_the_intent_is_unclear() {
        for text in ["", "abc", "1.5.0", "1Xi", "1e", "50%", "0xZZ", "Mi", "1 2"] {
            assert_eq!(suggestion(text), None, "for `{text}`");
        }
    }

    #[test]
    fn implements_from_str_and_error() {
        let value: Quantity = "256Mi".parse().expect("valid");
        assert_eq!(value, q("268435456"));
        let error: Box<dyn std::error::Error> = Box::new(err("1gi"));
        assert!(error.to_string().contains("did you mean `1Gi`?"));
    }

    /// Every string of up to four characters over an alphabet of the interesting pieces:
    /// nothing panics, every suggestion parses, and the order agrees with the nano values.
    #[test]
    fn never_panics_and_suggestions_always_parse() {
        const ALPHABET: [&str; 24] = [
            "0", "1", "9", ".", "+", "-", "e", "E", "i", "k", "K", "m", "M", "G", "g", "b", "B",
            "x", " ", ",", "_", "µ", "%", "日",
        ];
        let mut inputs = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier = frontier
                .iter()
                .flat_map(|prefix| ALPHABET.iter().map(move |piece| format!("{prefix}{piece}")))
                .collect();
            inputs.extend(frontier.iter().cloned());
        }
        let mut valid = Vec::new();
        for text in &inputs {
            match parse(text) {
                Ok(value) => valid.push(value),
                Err(error) => {
                    assert!(!error.message.is_empty());
                    if let Some(fixed) = &error.suggestion {
                        assert!(parse(fixed).is_ok(), "`{text}` suggested invalid `{fixed}`");
                    }
                }
            }
        }
        let small: Vec<(i128, &Quantity)> = valid
            .iter()
            .filter_map(|value| Some((value.to_nanos()?, value)))
            .step_by(7)
            .collect();
        assert!(
            small.len() > 200,
            "the alphabet should yield many valid quantities"
        );
        for (a_nanos, a) in &small {
            for (b_nanos, b) in &small {
                assert_eq!(a.cmp(b), a_nanos.cmp(b_nanos), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn never_panics_on_extreme_input() {
        let long_digits = "1".repeat(200_000);
        let long_fraction = format!("0.{}1", "0".repeat(200_000));
        let many_zeros = format!("{}Ei", "0".repeat(100_000));
        for text in [
            long_digits.as_str(),
            long_fraction.as_str(),
            many_zeros.as_str(),
            "e99999999999",
            "1e99999999999",
            "1e-99999999999",
            "1e2147483647",
            "1e-2147483648",
            "1e2147483648",
            "99999999999999999999999999999999999999999Ei",
            "0x",
            "-0x",
            "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
            "ü",
            "1ü",
            "1 ü",
            "\u{200b}1",
            "1\u{0}",
            "--1",
            "+-1",
            "1e--1",
            "١٢٣",
            "１Gi",
        ] {
            let _ = parse(text);
        }
        assert_eq!(q(&many_zeros), Quantity::ZERO);
        assert!(q(&long_fraction) > q("0"));
        assert_eq!(q(&long_fraction), q("1n"));
    }
}
