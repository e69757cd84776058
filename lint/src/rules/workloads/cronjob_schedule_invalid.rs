use crate::diagnostic::{Edit, Fix};
use crate::k8s::cron::{is_time_zone, parse_schedule, time_zone_like};
use crate::k8s::{Object, WorkloadKind};
use crate::rule::{Context, ObjectRule};
use crate::text::{range, TextRange};

declare_rule! {
    /// ## What it does
    /// Reports a CronJob whose `schedule` the API server cannot parse (Kubernetes reads five
    /// fields, minute hour day-of-month month day-of-week, or `@hourly`, `@daily`, `@weekly`,
    /// `@monthly`, `@yearly`, `@every 2h`), a schedule that carries `TZ=` or `CRON_TZ=`, and a
    /// `timeZone` that is not a name of the tz database (`Europe/Paris`, `UTC`).
    ///
    /// ## Why it matters in a Pod
    /// The CronJob controller creates a Job, and so its Pods, each time the schedule fires.
    /// Kubernetes' cron has no seconds field and none of the Quartz extensions (`L`, `W`, `#`),
    /// and counts weekdays 0 (Sunday) to 6: a schedule copied from another scheduler is often
    /// refused, and the CronJob is not created at all. A time zone inside the schedule is
    /// refused too: the schedule is read in the controller's zone unless `spec.timeZone` says
    /// otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// kind: CronJob
    /// spec:
    ///   schedule: "CRON_TZ=Europe/Paris 0 3 * * 7"
    /// ```
    ///
    /// ## How to fix
    /// Write five fields (`0 3 * * 0`) and move the zone to `timeZone: Europe/Paris`; the fix
    /// does this for a `TZ=` prefix, and corrects the case of a zone name (`europe/paris`).
    pub struct CronjobScheduleInvalid {
        name: "cronjob-schedule-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Sometimes,
        summary: "A CronJob schedule Kubernetes cannot parse, a TZ inside it, or an unknown timeZone",
    }
}

impl ObjectRule for CronjobScheduleInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.workload != Some(WorkloadKind::CronJob) {
            return;
        }
        let Some(spec) = object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        let time_zone = spec.entry("timeZone").filter(|(_, v)| !v.is_null());
        if let Some((key, value)) = time_zone {
            check_time_zone(key.range().cover(value.range()), value, cx);
        }
        let Some((_, schedule)) = spec.entry("schedule") else {
            return;
        };
        let Some(text) = schedule.as_str() else {
            return;
        };
        // Point inside the schedule only when its text is written as is (plain or simply
        // quoted); else at the whole value.
        let value_range = crate::rules::edits::value_range(cx.source, schedule);
        let written = cx.text(value_range);
        let inner = written
            .strip_prefix(['"', '\''])
            .and_then(|w| w.strip_suffix(['"', '\'']))
            .unwrap_or(written);
        let inner_start = usize::from(value_range.start()) + written.find(inner).unwrap_or(0);
        let exact = inner == text;
        let at = |span: std::ops::Range<usize>| -> TextRange {
            if exact && span.end <= text.len() && span.start < span.end {
                range(inner_start + span.start, inner_start + span.end)
            } else {
                value_range
            }
        };
        if let Err(error) = parse_schedule(text) {
            cx.report(
                at(error.span),
                format!("the schedule `{text}` does not parse, so the API server refuses the CronJob: {}", error.message),
            )
            .help("write five fields, minute hour day-of-month month day-of-week (e.g. `0 3 * * *`), or a shorthand such as `@daily`");
            return;
        }
        if !text.contains("TZ") {
            return;
        }
        let prefix_end = text.find(char::is_whitespace).unwrap_or(text.len());
        let prefix = &text[..prefix_end];
        let zone = prefix.split_once('=').map_or("", |(_, z)| z);
        // The fix moves the zone to `timeZone` (the spec's last entry).
        let rest = text[prefix_end..].trim_start();
        let fix = (exact && !rest.is_empty() && time_zone.is_none())
            .then(|| crate::rules::edits::insert_entry(cx.source, spec, "timeZone", zone))
            .flatten()
            .map(|insert| {
                let cut = range(inner_start, inner_start + (text.len() - rest.len()));
                Fix::safe(
                    format!("Move `{zone}` to `timeZone`"),
                    vec![Edit::delete(cut), insert],
                )
            });
        let d = cx.report(
            at(0..prefix_end),
            format!("`{prefix}` inside the schedule is refused by the API server (it was never supported); the zone belongs in `spec.timeZone`"),
        );
        if time_zone.is_some() {
            d.help("remove the prefix: `spec.timeZone` already sets the zone");
        } else {
            d.help(format!("remove `{prefix}` from the schedule and add `timeZone: {zone}` to the CronJob's spec"));
        }
        if let Some(fix) = fix {
            d.fix(fix);
        }
    }
}

fn check_time_zone(range: TextRange, value: crate::syntax::NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let zone = value.as_str().unwrap_or("");
    if is_time_zone(zone) {
        return;
    }
    let like = time_zone_like(zone).filter(|_| !zone.eq_ignore_ascii_case("Local"));
    let fix = like.map(|like| {
        let edit = crate::rules::edits::replace_scalar(cx.source, value, like);
        Fix::safe(format!("Write `{like}`"), vec![edit])
    });
    let (why, help) = if zone.eq_ignore_ascii_case("Local") {
        (
            "`Local` is refused: the schedule must name an explicit zone, not whichever one the controller runs in".to_string(),
            "write the zone by name, e.g. `Europe/Paris` or `Etc/UTC`".to_string(),
        )
    } else if let Some(like) = like {
        (
            format!("`{zone}` is not a tz database name (names are case-sensitive)"),
            format!("write `{like}`"),
        )
    } else {
        (
            format!("`{zone}` is not a tz database name, so the API server refuses it"),
            "use a name such as `Europe/Paris`, `America/New_York` or `UTC` (see `timedatectl list-timezones`)".to_string(),
        )
    };
    let d = cx.report(
        range,
        format!("unknown `timeZone`: {why}; the schedule's times would have no zone to be read in"),
    );
    d.help(help);
    if let Some(fix) = fix {
        d.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn cron(fields: &str) -> String {
        format!("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n{fields}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{{name: m, image: my-app:1.0}}]\n")
    }

    #[test]
    fn schedules_and_time_zones() {
        RuleTest::new(&super::CronjobScheduleInvalid::META)
            .pass(cron("  schedule: '0 3 * * *'\n"))
            .pass(cron("  schedule: \"@daily\"\n  timeZone: Europe/Paris\n"))
            .pass(cron("  schedule: '*/15 9-17 * * MON-FRI'\n  timeZone: UTC\n"))
            .fail(cron("  schedule: '0 25 * * *'\n"), &["25"])
            .fail(cron("  schedule: '0 0 3 * * *'\n"), &["0 0 3 * * *"])
            .fail(cron("  schedule: '0 3 * * 7'\n"), &["7"])
            .fail(cron("  schedule: '@fortnightly'\n"), &["@fortnightly"])
            .fail(cron("  schedule: 'CRON_TZ=UTC 0 3 * * *'\n"), &["CRON_TZ=UTC"])
            .fail(
                cron("  schedule: 'TZ=UTC 0 3 * * *'\n  timeZone: UTC\n"),
                &["TZ=UTC"],
            )
            .fail(cron("  schedule: '@daily'\n  timeZone: europe/paris\n"), &["timeZone: europe/paris"])
            .fail(cron("  schedule: '@daily'\n  timeZone: Local\n"), &["timeZone: Local"])
            .fix(
                cron("  schedule: '@daily'\n  timeZone: \"america/new_york\"\n"),
                cron("  schedule: '@daily'\n  timeZone: \"America/New_York\"\n"),
            )
            .fix(
                cron("  schedule: \"CRON_TZ=Europe/Paris 0 3 * * *\"\n"),
                "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: m, image: my-app:1.0}]\n  timeZone: Europe/Paris\n",
            )
            .run();
    }
}
