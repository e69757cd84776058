//! Heap held by the cross-object stage, per YAML document of a corpus (issue #14):
//!
//! ```text
//! cargo run --release -p podlint-lint --example facts_heap -- /tmp/corp/10000
//! ```
//!
//! Each file is linted with the default cross-object rules only, and again with no rule at
//! all: the difference in live heap is what the files' facts hold. Then the set is finished:
//! the report shows the peak the project stage adds on top of the facts, and what its findings
//! hold once made; and what `podlint check` holds per file once its own facts are parked. A
//! counting allocator measures it all, so the numbers are exact.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use podlint_lint::engine::{finish_alone, ParkedSet};
use podlint_lint::rule::Hook;
use podlint_lint::{check_file, finish, FilePass, Settings};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn lint_all(files: &[Vec<u8>], settings: &Arc<Settings>) -> (Vec<FilePass>, usize) {
    let before = live();
    let passes: Vec<FilePass> = files
        .iter()
        .map(|bytes| check_file(bytes, settings.clone()))
        .collect();
    (passes, live() - before)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: facts_heap <corpus dir>");
    let mut paths = Vec::new();
    yaml_files(Path::new(&dir), &mut paths);
    let files: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let documents: usize = files
        .iter()
        .map(|f| {
            let text = String::from_utf8_lossy(f);
            1 + text.lines().filter(|l| l.trim_end() == "---").count()
        })
        .sum();

    let defaults = Settings::default();
    let project_rules: Vec<&str> = defaults
        .registry()
        .iter()
        .filter(|m| matches!(m.hook, Hook::Project(_)) && defaults.is_enabled(m.name))
        .map(|m| m.name)
        .collect();
    let with_facts = Arc::new(Settings::only(&project_rules));
    let without = Arc::new(Settings::only(&[]));

    let (bare, bare_bytes) = lint_all(&files, &without);
    drop(bare);
    let (passes, with_bytes) = lint_all(&files, &with_facts);
    let facts = with_bytes - bare_bytes;

    let before = live();
    PEAK.store(before, Ordering::Relaxed);
    let mut reports = finish(passes);
    let stage_peak = PEAK.load(Ordering::Relaxed) - before;
    for report in &mut reports {
        report.text = String::new();
    }
    let findings_bytes = live();
    let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    drop(reports);
    let findings_bytes = findings_bytes - live();

    // What `podlint check` holds: each file finished alone, its facts parked (on disk) once
    // the directory took what other files look up.
    let before = live();
    let (passes, _) = lint_all(&files, &with_facts);
    let mut parked = 0;
    let mut set = ParkedSet::new();
    for pass in passes {
        let (_, pending) = finish_alone(pass);
        parked += pending.facts().to_bytes().len();
        set.push(pending);
    }
    let held = live() - before;
    drop(set);

    let per_doc = |bytes: usize| bytes as f64 / documents as f64;
    println!("{} files, {documents} documents", files.len());
    println!("rules: {}", project_rules.join(", "));
    println!("facts: {facts} B = {:.0} B/document", per_doc(facts));
    println!(
        "check holds: {held} B = {:.0} B/document, and parks {parked} B = {:.0} B/document",
        per_doc(held),
        per_doc(parked)
    );
    println!(
        "finish: peak over the passes {stage_peak} B = {:.0} B/document",
        per_doc(stage_peak)
    );
    println!(
        "findings: {findings} ({:.2}/document) holding {findings_bytes} B = {:.0} B/document",
        findings as f64 / documents as f64,
        per_doc(findings_bytes)
    );
}
