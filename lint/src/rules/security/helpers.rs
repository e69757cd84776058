//! Shared by the rules that want a container-only boolean in `securityContext` set one way
//! (`allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`): report the value written
//! the other way, with a fix that flips it, or the missing setting, with a fix that adds it
//! when the container has a `securityContext` to add it to; and by the rules that report a
//! security profile (seccomp, AppArmor) turned off.

use crate::k8s::security::{effective_security, list_names, Level, PerNode, Security, Setting};
use crate::k8s::{Container, Pod};
use crate::rule::Context;
use crate::rules::edits::insert_entry;
use crate::{Edit, Fix};

/// What a hardening rule wants and how it explains it.
pub(crate) struct Hardening<'a> {
    pub key: &'static str,
    pub wanted: bool,
    pub fix_title: &'a str,
    pub help: &'a str,
    /// The message when the value is written the other way.
    pub wrong: String,
    /// The message when the setting is not written at all.
    pub missing: String,
}

pub(crate) fn require(
    cx: &mut Context<'_>,
    container: &Container<'_, '_>,
    security: &Security<'_, '_>,
    want: Hardening<'_>,
) {
    let source = cx.source;
    let wanted = if want.wanted { "true" } else { "false" };
    match security.own(want.key) {
        Some(setting) => {
            if setting.value.as_bool() != Some(!want.wanted) {
                return;
            }
            cx.report(setting.range(), want.wrong)
                .help(want.help)
                .fix(Fix::unsafe_(
                    want.fix_title,
                    vec![Edit::replace(setting.value.range(), wanted)],
                ));
        }
        None => {
            let d = cx
                .report(security.missing_anchor(container), want.missing)
                .help(want.help);
            if let Some(edit) = security
                .container
                .and_then(|sc| insert_entry(source, sc, want.key, wanted))
            {
                d.fix(Fix::unsafe_(want.fix_title, vec![edit]));
            }
        }
    }
}

/// Reports each written `<profile_field>: {type: Unconfined}` (`seccompProfile`,
/// `appArmorProfile`) that applies to a container, once per written node, with a fix to the
/// runtime's default profile. `message` gets who it applies to ("for container `web`", "at pod
/// level, for …").
pub(crate) fn report_unconfined(
    pod: &Pod<'_, '_>,
    cx: &mut Context<'_>,
    profile_field: &str,
    message: impl Fn(&str) -> String,
    help: &str,
) {
    let mut unconfined = PerNode::new();
    for container in pod.containers() {
        let security = effective_security(pod, &container);
        let Some(profile) = security.inherited(profile_field) else {
            continue;
        };
        let Some((key, value)) = profile.value.entry("type") else {
            continue;
        };
        if value.as_str() == Some("Unconfined") {
            let setting = Setting {
                key,
                value,
                level: profile.level,
            };
            unconfined.add(setting, container.describe());
        }
    }
    for (setting, names) in unconfined.finish() {
        let whom = match setting.level {
            Level::Pod => format!("at pod level, for {}", list_names(&names)),
            Level::Container => format!("for {}", names[0]),
        };
        cx.report(setting.range(), message(&whom))
            .help(help)
            .fix(Fix::unsafe_(
                "Use `type: RuntimeDefault`",
                vec![Edit::replace(setting.value.range(), "RuntimeDefault")],
            ));
    }
}
