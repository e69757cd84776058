//! CronJob schedules as the API server reads them, and the time zones it knows.
//!
//! Kubernetes validates `spec.schedule` with the "standard" parser of the Go library
//! robfig/cron v3: five fields (minute, hour, day of month, month, day of week) or one of its
//! `@` descriptors. The rules below restate that grammar (not its code): lists with `,`,
//! ranges with `-`, steps with `/`, `*` and `?` for "every", month and weekday names in any
//! case, and no Quartz extensions (`L`, `W`, `#`) or seconds field. Weekday `7` is refused.

/// One of the five fields: its name for messages, its bounds and the names it accepts.
struct FieldSpec {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [FieldSpec; 5] = [
    FieldSpec {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    FieldSpec {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    FieldSpec {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    FieldSpec {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
    },
    FieldSpec {
        name: "day of week",
        min: 0,
        max: 6,
        names: WEEKDAYS,
    },
];

/// The `@` shorthands the parser accepts, besides `@every <duration>`.
pub const DESCRIPTORS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Why a schedule does not parse, with the byte span (within the schedule) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub message: String,
    pub span: std::ops::Range<usize>,
}

/// Checks a schedule as `cron.ParseStandard` would, `TZ=`/`CRON_TZ=` prefix included (the
/// caller decides what to say about the prefix: the API server refuses it on create).
pub fn parse_schedule(schedule: &str) -> Result<(), ScheduleError> {
    let whole = 0..schedule.len();
    let fail = |message: String, span| Err(ScheduleError { message, span });
    if schedule.trim().is_empty() {
        return fail("the schedule is empty".into(), whole);
    }
    let mut rest = schedule;
    let mut offset = 0;
    if rest.starts_with("TZ=") || rest.starts_with("CRON_TZ=") {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let zone = &rest[rest.find('=').map_or(0, |i| i + 1)..end];
        if !is_time_zone(zone) {
            return fail(format!("`{zone}` is no time zone"), 0..end);
        }
        let trimmed = rest[end..].trim_start();
        offset += rest.len() - trimmed.len();
        rest = trimmed;
    }
    let fields = fields_with_offsets(rest, offset);
    if let Some((first, span)) = fields.first() {
        if first.starts_with('@') {
            return descriptor(first, span.clone(), &fields[1..], schedule);
        }
    }
    if fields.len() != 5 {
        let hint = match fields.len() {
            6 => " (Kubernetes has no seconds field: drop the first one)",
            _ => "",
        };
        return fail(
            format!(
                "a schedule has exactly 5 fields (minute hour day-of-month month day-of-week), this one has {}{hint}",
                fields.len()
            ),
            whole,
        );
    }
    for ((text, span), spec) in fields.iter().zip(FIELDS.iter()) {
        check_field(text, spec).map_err(|message| ScheduleError {
            message,
            span: span.clone(),
        })?;
    }
    Ok(())
}

/// The whitespace-separated words of `text`, with their spans shifted by `offset`.
fn fields_with_offsets(text: &str, offset: usize) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((&text[s..i], offset + s..offset + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

fn descriptor(
    word: &str,
    span: std::ops::Range<usize>,
    rest: &[(&str, std::ops::Range<usize>)],
    schedule: &str,
) -> Result<(), ScheduleError> {
    if word == "@every" {
        let duration = rest.first().map_or("", |(d, _)| *d);
        let span = rest.last().map_or(span.clone(), |(_, s)| span.start..s.end);
        if rest.len() > 1 || !is_go_duration(duration) {
            let written = schedule[span.clone()].trim_start_matches("@every").trim();
            let message = if written.is_empty() {
                "`@every` needs a duration after it, such as `5m` or `1h30m`".to_string()
            } else {
                format!("`@every` takes one duration such as `5m` or `1h30m`, not `{written}`")
            };
            return Err(ScheduleError { message, span });
        }
        return Ok(());
    }
    if DESCRIPTORS.contains(&word) && rest.is_empty() {
        return Ok(());
    }
    let message = if DESCRIPTORS.contains(&word) {
        format!("`{word}` stands alone; nothing may follow it")
    } else {
        format!(
            "`{word}` is no schedule shorthand; the accepted ones are {} and `@every <duration>`",
            DESCRIPTORS.join(", ")
        )
    };
    Err(ScheduleError { message, span })
}

/// One field: a comma-separated list of `*`, `?`, `N`, `N-M`, each with an optional `/step`.
fn check_field(text: &str, spec: &FieldSpec) -> Result<(), String> {
    for part in text.split(',') {
        check_range(part, spec)?;
    }
    Ok(())
}

fn check_range(part: &str, spec: &FieldSpec) -> Result<(), String> {
    let name = spec.name;
    let mut slash = part.split('/');
    let range = slash.next().unwrap_or("");
    let step = slash.next();
    if slash.next().is_some() {
        return Err(format!(
            "`{part}` in the {name} field has more than one `/`"
        ));
    }
    let mut hyphen = range.split('-');
    let low = hyphen.next().unwrap_or("");
    let high = hyphen.next();
    if hyphen.next().is_some() {
        return Err(format!(
            "`{part}` in the {name} field has more than one `-`"
        ));
    }
    let (start, mut end) = if low == "*" || low == "?" {
        (spec.min, spec.max)
    } else {
        let start = value(low, spec)?;
        let end = match high {
            Some(high) => value(high, spec)?,
            None => start,
        };
        (start, end)
    };
    if let Some(step) = step {
        let step = number(step, name)?;
        if step == 0 {
            return Err(format!(
                "the step in `{part}` ({name} field) must be at least 1"
            ));
        }
        // `5/15` means "from 5 to the end, every 15".
        if high.is_none() {
            end = spec.max;
        }
    }
    let (min, max) = (spec.min, spec.max);
    if start < min {
        return Err(format!("`{part}`: the {name} field starts at {min}"));
    }
    if end > max {
        let weekday = if name == "day of week" && end == 7 {
            " (Sunday is 0, not 7)"
        } else {
            ""
        };
        return Err(format!(
            "`{part}`: the {name} field goes up to {max}{weekday}"
        ));
    }
    if start > end {
        return Err(format!("`{part}`: the {name} range starts after it ends"));
    }
    Ok(())
}

/// A number, or a month or weekday name (any case) where the field has names.
fn value(text: &str, spec: &FieldSpec) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(i) = spec.names.iter().position(|n| *n == lower) {
        // Months count from 1, weekdays from 0 (Sunday).
        return Ok(i as u32 + spec.min);
    }
    number(text, spec.name)
}

fn number(text: &str, field: &str) -> Result<u32, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        let what = if text.is_empty() {
            "an empty value".to_string()
        } else {
            format!("`{text}`")
        };
        let quartz = if matches!(text, "L" | "W") || text.contains('#') || text.ends_with('L') {
            " (`L`, `W` and `#` are Quartz extensions Kubernetes does not accept)"
        } else {
            ""
        };
        return Err(format!(
            "{what} in the {field} field is neither a number nor a name{quartz}"
        ));
    }
    digits
        .parse()
        .map_err(|_| format!("`{text}` in the {field} field is too large"))
}

/// A Go duration (`time.ParseDuration`): `0`, or numbers with units `ns us µs ms s m h`,
/// e.g. `1h30m`, `2.5s`. A sign is accepted as Go does.
fn is_go_duration(text: &str) -> bool {
    let text = text.strip_prefix(['+', '-']).unwrap_or(text);
    if text == "0" {
        return true;
    }
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .into_iter()
            .filter(|u| rest.starts_with(u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// The IANA time zone names of the tz database (zones and their links), one a line, sorted.
const TIME_ZONES: &str = include_str!("time_zones.txt");

/// Whether `name` names a time zone the API server can load (`UTC`, `Europe/Paris`,
/// `US/Eastern`…). `Local` is refused by Kubernetes and is not in the list.
pub fn is_time_zone(name: &str) -> bool {
    !name.is_empty() && TIME_ZONES.lines().any(|zone| zone == name)
}

/// The zone a misspelt name most likely meant (same name in another case).
pub fn time_zone_like(name: &str) -> Option<&'static str> {
    TIME_ZONES
        .lines()
        .find(|zone| zone.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        parse_schedule(s).is_ok()
    }

    #[test]
    fn accepts_what_the_standard_parser_accepts() {
        for s in [
            "*/5 * * * *",
            "0 3 * * *",
            "0 0 1 1 *",
            "15 14 1 * *",
            "0 22 * * 1-5",
            "0 0 * * SUN",
            "0 0 * JAN,jul mon-fri",
            "5/15 * * * *",
            "0 0 ? * *",
            "0-59/10 8-18 * * 0,6",
            "@hourly",
            "@daily",
            "@midnight",
            "@every 1h30m",
            "@every 90s",
            "CRON_TZ=Europe/Paris 0 3 * * *",
            "TZ=UTC @daily",
            "  0  3 * * *  ",
        ] {
            assert!(ok(s), "{s}: {:?}", parse_schedule(s));
        }
    }

    #[test]
    fn refuses_what_it_refuses() {
        for s in [
            "",
            "* * * *",
            "0 * * * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "0 0 32 * *",
            "0 0 * 13 *",
            "0 0 * * 7",
            "0 0 L * *",
            "0 0 * * 5#2",
            "*/0 * * * *",
            "5-2 * * * *",
            "1-2-3 * * * *",
            "1/2/3 * * * *",
            "1,,2 * * * *",
            "@fortnightly",
            "@daily 5",
            "@every",
            "@every 5",
            "@every 5x",
            "CRON_TZ=Mars/Olympus 0 3 * * *",
            "0 3 * * * *",
        ] {
            assert!(!ok(s), "{s} should not parse");
        }
    }

    #[test]
    fn errors_point_at_the_field() {
        let e = parse_schedule("0 25 * * *").unwrap_err();
        assert_eq!(e.span, 2..4);
        assert!(e.message.contains("hour"), "{}", e.message);
        let e = parse_schedule("0 0 * * 7").unwrap_err();
        assert!(e.message.contains("Sunday is 0"), "{}", e.message);
        let e = parse_schedule("TZ=UTC @every 5x").unwrap_err();
        assert!(e.message.ends_with("not `5x`"), "{}", e.message);
        assert_eq!(e.span, 7..16);
        let e = parse_schedule("@every").unwrap_err();
        assert!(e.message.contains("needs a duration"), "{}", e.message);
    }

    #[test]
    fn knows_time_zones() {
        assert!(is_time_zone("Europe/Paris"));
        assert!(is_time_zone("UTC"));
        assert!(is_time_zone("US/Eastern"));
        assert!(!is_time_zone("Local"));
        assert!(!is_time_zone("europe/paris"));
        assert_eq!(time_zone_like("europe/paris"), Some("Europe/Paris"));
    }
}
