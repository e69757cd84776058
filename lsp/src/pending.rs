//! Which documents wait for a lint, and which one is being linted.
//!
//! A document waits at most once: its lint takes the newest version when it starts on the
//! lint thread, so every edit made while it waited is in it. An edit that arrives while the
//! lint runs queues the document again, behind it. So a lint starts at once when the thread
//! is idle, and a burst of keystrokes costs one lint for each lint that was running, never
//! one per keystroke.

use std::collections::HashSet;

use tower_lsp_server::ls_types::Uri;

#[derive(Debug, Default)]
pub struct Pending {
    queued: HashSet<Uri>,
    /// The document on the lint thread now, at its version.
    running: Option<(Uri, i32)>,
}

impl Pending {
    /// Queues `uri`: `false` when it waits already (the lint queued for it sees this edit).
    pub fn queue(&mut self, uri: &Uri) -> bool {
        if self.queued.contains(uri) {
            return false;
        }
        self.queued.insert(uri.clone());
        true
    }

    /// The queued lint of `uri` starts, at `version` (`None`: the document was closed).
    pub fn start(&mut self, uri: &Uri, version: Option<i32>) {
        self.queued.remove(uri);
        self.running = version.map(|v| (uri.clone(), v));
    }

    /// The running lint is over (done, given up or panicked).
    pub fn finish(&mut self) {
        self.running = None;
    }

    /// Whether a queued or running lint will give the findings of `version` of `uri`, given
    /// that `version` is the document's current one.
    pub fn will_lint(&self, uri: &Uri, version: i32) -> bool {
        self.queued.contains(uri)
            || self
                .running
                .as_ref()
                .is_some_and(|(u, v)| u == uri && *v == version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(name: &str) -> Uri {
        format!("file:///p/{name}").parse().unwrap()
    }

    #[test]
    fn a_document_waits_once_and_again_once_its_lint_has_started() {
        let (a, b) = (uri("a.yaml"), uri("b.yaml"));
        let mut pending = Pending::default();
        assert!(pending.queue(&a));
        assert!(!pending.queue(&a), "edits while it waits join its lint");
        assert!(pending.queue(&b), "each document waits on its own");
        pending.start(&a, Some(3));
        assert!(pending.will_lint(&a, 3));
        assert!(
            !pending.will_lint(&a, 4),
            "a newer version is not in the running lint"
        );
        assert!(pending.queue(&a), "an edit during the lint queues another");
        assert!(pending.will_lint(&a, 4));
        pending.finish();
        pending.start(&a, None);
        assert!(!pending.will_lint(&a, 4), "closed: nothing will come");
        assert!(pending.will_lint(&b, 1));
    }
}
