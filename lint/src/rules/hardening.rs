//! Shared by the rules that want a container-only boolean in `securityContext` set one way
//! (`allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`): report the value written
//! the other way, with a fix that flips it, or the missing setting, with a fix that adds it
//! when the container has a `securityContext` to add it to.

use crate::k8s::security::{insert_entry, Security};
use crate::k8s::Container;
use crate::rules::Context;
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
