//! `check`'s report, written as the files are linted: each worker finishes and renders its
//! file alone (`engine::finish_alone`), the main thread appends the rendered findings to a
//! spool in file order and keeps only the counts and what the cross-object rules need. Once
//! every file is in, the cross-object rules run, their few findings are rendered (from the
//! file read again), and the spool is written out with them merged in each file's order.
//! Memory holds the cross-object facts and the counts, not the findings.

mod format;
mod ordered;
mod spool;

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::args::{Format, Threshold};
use crate::render::human::Style;
use crate::render::{Finding, Tally};
use crate::report::{self, FileResult};
use crate::walk::Input;
use crate::{ExitStatus, Io};
use format::Formatter;
use podlint_lint::engine::{self, ParkedSet, Pending};
use podlint_lint::{FileSet, Settings, Severity};
use spool::{Item, Spool};

/// What a streamed `check` is asked to do.
pub(crate) struct Plan<'a> {
    pub(crate) format: Format,
    pub(crate) style: Style,
    /// How many inputs the run checks (the summary and the JSON report say).
    pub(crate) files: usize,
    pub(crate) set: FileSet,
    pub(crate) statistics: bool,
    pub(crate) threshold: Threshold,
    pub(crate) jobs: &'a [(Input, Arc<Settings>)],
    pub(crate) patches: &'a std::collections::BTreeSet<PathBuf>,
    pub(crate) stdin: Option<&'a [u8]>,
    pub(crate) stdin_name: &'a str,
    /// Objects generators make: linted for the cross-object rules only.
    pub(crate) generated: &'a [(String, Arc<Settings>)],
    /// Reports of build sources and notes, finished already; when there are any, every file
    /// is reported in the order of its name.
    pub(crate) mapped: Vec<FileResult>,
    pub(crate) pool: Option<&'a rayon::ThreadPool>,
    /// Whether an input was already missing (the run fails with status 2).
    pub(crate) io_errors: bool,
}

/// One file linted, finished alone and rendered, as a worker hands it over.
struct Done {
    record: Vec<u8>,
    findings: Vec<Finding>,
    /// What the cross-object stage needs, with its facts as bytes to park.
    pending: Option<(Pending, Vec<u8>)>,
    fingerprint: u64,
    io_error: Option<String>,
}

/// What the main thread keeps of each file.
struct Kept {
    local: Vec<u32>,
    fingerprints: Vec<u64>,
    io_errors: HashMap<usize, String>,
    /// The cross-object stage: what files look up in each other; the rest of their facts is
    /// parked.
    pending: ParkedSet,
    /// The file of each file of `pending`, in the order pushed.
    pending_files: Vec<usize>,
}

pub(crate) fn run(plan: Plan<'_>, io: &mut Io) -> ExitStatus {
    let formatter = Formatter::new(plan.format, plan.style, plan.files);
    let mut spool = Spool::new();
    // The parked facts of each file of `kept.pending`, in its order.
    let mut parking = Spool::new();
    let mut tally = Tally::default();
    let mut kept = Kept::for_files(plan.jobs.len());
    let mut spool_error = None;
    ordered::for_each_in_order(
        plan.jobs.len(),
        plan.pool,
        |i| lint_one(&plan, &formatter, i),
        |i, done| {
            if spool_error.is_none() {
                spool_error = spool.push(&done.record).err();
            }
            kept.local.push(done.record_count());
            done.findings.into_iter().for_each(|f| tally.add(f));
            kept.fingerprints.push(done.fingerprint);
            if let Some(error) = done.io_error {
                kept.io_errors.insert(i, error);
            }
            if let Some((pending, parked)) = done.pending {
                if spool_error.is_none() {
                    spool_error = parking.push(&parked).err();
                }
                kept.pending.push(pending);
                kept.pending_files.push(i);
            }
        },
    );
    let readers =
        spool_error.map_or_else(|| Ok((spool.into_reader()?, parking.into_reader()?)), Err);
    let (reader, parked) = match readers {
        Ok(readers) => readers,
        Err(error) => {
            io.error(&format!("cannot write a temporary file: {error}"));
            return ExitStatus::Usage;
        }
    };
    let pending = kept.take_pending();
    let mut cross = Cross::new(&mut tally);
    let found = cross_object(
        &plan,
        &formatter,
        pending,
        parked,
        &kept.fingerprints,
        &mut cross,
    );
    let cross_reader = found.and_then(|()| cross.take_reader());
    let cross_reader = match cross_reader {
        Ok(reader) => reader,
        Err(error) => {
            io.error(&format!("cannot use a temporary file: {error}"));
            return ExitStatus::Usage;
        }
    };
    let Cross {
        records, errors, ..
    } = cross;
    let mut io_errors = plan.io_errors;

    // Every file in the order of the report.
    let mut entries: Vec<Entry> = (0..plan.jobs.len()).map(Entry::Linted).collect();
    let sort_by_name = !plan.mapped.is_empty();
    entries.extend((0..plan.mapped.len()).map(Entry::Mapped));
    if sort_by_name {
        let names: Vec<String> = entries.iter().map(|e| plan.name_of(e)).collect();
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by(|&a, &b| names[a].cmp(&names[b]));
        entries = order.into_iter().map(|i| entries[i]).collect();
    }
    let mut files_with_findings = 0;
    let (mut tests, mut failures) = (0, 0);
    for entry in &entries {
        let (error, found) = match *entry {
            Entry::Linted(i) => {
                let found = kept.local[i] as usize + records.get(&i).map_or(0, |r| r.1);
                (kept.io_errors.get(&i), found)
            }
            Entry::Mapped(k) => (
                plan.mapped[k].io_error.as_ref(),
                plan.mapped[k].located.len(),
            ),
        };
        if let Some(error) = error {
            io.error(error);
            io_errors = true;
        } else {
            tests += found.max(1);
            failures += found;
        }
        if let Entry::Linted(i) = *entry {
            if let Some(error) = errors.get(&i) {
                io.error(error);
                io_errors = true;
            }
        }
        files_with_findings += usize::from(found > 0);
    }
    for result in &plan.mapped {
        result
            .located
            .iter()
            .for_each(|d| tally.add(Finding::of(d)));
    }

    let mut writer = Writer {
        plan: &plan,
        formatter: &formatter,
        reader,
        cross_reader,
        written: 0,
        buffer: Vec::new(),
        cross_buffer: Vec::new(),
    };
    if let Err(error) = writer.write_all(&entries, &kept, &records, tests, failures, io) {
        io.error(&format!("cannot read a temporary file back: {error}"));
        return ExitStatus::Usage;
    }
    if !plan.format.is_machine_readable() {
        let mut tail = report::summary(&tally, files_with_findings, plan.files);
        if !plan.statistics {
            tail.push_str(&report::frequent_rules(&tally));
        }
        io.print(&tail);
    }
    if plan.statistics {
        report::print_statistics(io, plan.format, &tally);
    }
    if io_errors {
        return ExitStatus::Usage;
    }
    report::exit_status(plan.threshold, tally.counts)
}

impl Done {
    fn record_count(&self) -> u32 {
        u32::from_le_bytes(
            self.record[..4]
                .try_into()
                .expect("a record starts with its count"),
        )
    }
}

impl Kept {
    /// Room for `files` files from the start: a vector grown by doubling holds up to twice
    /// what it needs, and a big run keeps these until the end.
    fn for_files(files: usize) -> Self {
        Self {
            local: Vec::with_capacity(files),
            fingerprints: Vec::with_capacity(files),
            io_errors: HashMap::new(),
            pending: ParkedSet::new(),
            pending_files: Vec::with_capacity(files),
        }
    }

    fn take_pending(&mut self) -> (ParkedSet, Vec<usize>) {
        (
            std::mem::take(&mut self.pending),
            std::mem::take(&mut self.pending_files),
        )
    }
}

/// A file of the report: linted here (by its index in the jobs) or finished elsewhere.
#[derive(Debug, Clone, Copy)]
enum Entry {
    Linted(usize),
    Mapped(usize),
}

impl Plan<'_> {
    fn name_of(&self, entry: &Entry) -> String {
        match *entry {
            Entry::Linted(i) => self.job_name(i),
            Entry::Mapped(k) => self.mapped[k].name.clone(),
        }
    }

    fn job_name(&self, i: usize) -> String {
        match &self.jobs[i].0 {
            Input::Stdin => self.stdin_name.to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }

    fn read(&self, i: usize) -> std::io::Result<Vec<u8>> {
        match &self.jobs[i].0 {
            Input::Stdin => Ok(self.stdin.unwrap_or_default().to_vec()),
            Input::File(path) => std::fs::read(path),
        }
    }
}

/// Reads, lints and finishes file `i` alone, and renders what it found.
fn lint_one(plan: &Plan<'_>, formatter: &Formatter, i: usize) -> Done {
    let (input, settings) = &plan.jobs[i];
    let name = plan.job_name(i);
    let bytes = match plan.read(i) {
        Ok(bytes) => bytes,
        Err(error) => {
            let result = FileResult::unreadable(name, &error);
            return Done {
                record: spool::encode(&[]),
                findings: Vec::new(),
                pending: None,
                fingerprint: 0,
                io_error: result.io_error,
            };
        }
    };
    let is_patch = matches!(input, Input::File(path) if plan.patches.contains(&**path));
    let pass = if is_patch {
        engine::check_patch(&bytes, settings.clone())
    } else {
        engine::check_file(&bytes, settings.clone())
    };
    let (report, pending) = engine::finish_alone(pass);
    let (items, findings) = formatter.render_file(&name, &report.text, &report.diagnostics);
    Done {
        record: spool::encode(&items),
        findings,
        // A file without objects gets no cross-object finding: nothing of it need be kept.
        pending: pending.has_objects().then(|| {
            let parked = pending.facts().to_bytes();
            (pending, parked)
        }),
        fingerprint: fingerprint(&bytes),
        io_error: None,
    }
}

type Rendered = Result<(Vec<Item>, Vec<Finding>), String>;

/// The cross-object findings of the files that have any, rendered and spooled in file order.
struct Cross<'t> {
    spool: Option<Spool>,
    /// Each such file's record in the spool, and how many findings it holds.
    records: HashMap<usize, (usize, usize)>,
    /// The run's tally, which counts them.
    tally: &'t mut Tally,
    /// Files that could not be read again, or changed since they were linted.
    errors: HashMap<usize, String>,
    /// The first failure to write the spool.
    error: Option<std::io::Error>,
}

/// How many cross-object findings are rendered together (in parallel) before they are
/// spooled: enough to keep the workers busy, few enough to hold.
const RENDER_BATCH: usize = 1024;

impl<'t> Cross<'t> {
    fn new(tally: &'t mut Tally) -> Self {
        Self {
            spool: None,
            records: HashMap::new(),
            tally,
            errors: HashMap::new(),
            error: None,
        }
    }

    /// Renders a batch of files' findings (from each file read again) and spools them.
    fn add(
        &mut self,
        plan: &Plan<'_>,
        formatter: &Formatter,
        fingerprints: &[u64],
        batch: Vec<(usize, Vec<podlint_lint::Diagnostic>)>,
    ) {
        let rendered: Vec<(usize, Rendered)> = batch
            .into_par_iter()
            .map(|(file, found)| {
                let rendered = render_again(plan, formatter, file, fingerprints[file], &found);
                (file, rendered)
            })
            .collect();
        let spool = self.spool.get_or_insert_with(Spool::new);
        for (file, rendered) in rendered {
            match rendered {
                Ok((items, findings)) => {
                    if self.error.is_none() {
                        self.error = spool.push(&spool::encode(&items)).err();
                    }
                    self.records.insert(file, (self.records.len(), items.len()));
                    findings.into_iter().for_each(|f| self.tally.add(f));
                }
                Err(error) => {
                    self.errors.insert(file, error);
                }
            }
        }
    }

    fn take_reader(&mut self) -> std::io::Result<spool::Reader> {
        match self.error.take() {
            Some(error) => Err(error),
            None => self.spool.take().unwrap_or_else(Spool::new).into_reader(),
        }
    }
}

/// The cross-object findings of every file that has any, rendered into `cross`; the
/// generated objects take part but are never shown. A file that changed since it was linted
/// gets an error instead: its findings would point at text that is no longer there. `parked`
/// holds the facts of each file of `pending`, in its order; the error is a failure to read
/// them back.
fn cross_object(
    plan: &Plan<'_>,
    formatter: &Formatter,
    (mut pending, files): (ParkedSet, Vec<usize>),
    mut parked: spool::Reader,
    fingerprints: &[u64],
    cross: &mut Cross<'_>,
) -> std::io::Result<()> {
    let work = || {
        let generated: Vec<Pending> = plan
            .generated
            .par_iter()
            .map(|(text, settings)| {
                engine::finish_alone(engine::check_file(text.as_bytes(), settings.clone())).1
            })
            .collect();
        // Past the linted files come the generated objects, whose few facts stay here.
        let linted = pending.len();
        let generated: Vec<Vec<u8>> = generated
            .into_iter()
            .map(|p| {
                let record = p.facts().to_bytes();
                pending.push(p);
                record
            })
            .collect();
        let mut unpark = |k: usize| match k.checked_sub(linted) {
            Some(g) => Ok(generated[g].clone()),
            None => {
                let mut record = Vec::new();
                parked.read(k, &mut record)?;
                Ok(record)
            }
        };
        let (mut batch, mut size) = (Vec::new(), 0);
        pending.run_each(plan.set, &mut unpark, |k, found| {
            // Past the linted files come the generated objects.
            let Some(&file) = files.get(k) else { return };
            size += found.len();
            batch.push((file, found));
            if size >= RENDER_BATCH {
                cross.add(plan, formatter, fingerprints, std::mem::take(&mut batch));
                size = 0;
            }
        })?;
        cross.add(plan, formatter, fingerprints, batch);
        Ok(())
    };
    match plan.pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// File `file`'s cross-object findings rendered with its text, read again; `linted` is the
/// fingerprint of the bytes that were linted.
fn render_again(
    plan: &Plan<'_>,
    formatter: &Formatter,
    file: usize,
    linted: u64,
    found: &[podlint_lint::Diagnostic],
) -> Rendered {
    let name = plan.job_name(file);
    let changed = || format!("{name}: changed while podlint checked it; run podlint again");
    let bytes = match plan.read(file) {
        Ok(bytes) => bytes,
        Err(error) => return Err(format!("{name}: cannot read: {error}")),
    };
    if fingerprint(&bytes) != linted {
        return Err(changed());
    }
    let text = match podlint_lint::source::decode(&bytes) {
        Ok(text) => text.into_owned(),
        Err(undecodable) => undecodable.0,
    };
    Ok(formatter.render_file(&name, &text, found))
}

/// A cheap fingerprint of a file's bytes, to notice that it changed between two reads.
fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        hash = (hash.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    hash
}

/// Writes the report: the spool's records in the order of the entries, each file's
/// cross-object findings merged in by position.
struct Writer<'a, 'p> {
    plan: &'a Plan<'p>,
    formatter: &'a Formatter,
    reader: spool::Reader,
    /// The cross-object findings' records.
    cross_reader: spool::Reader,
    /// Findings written so far.
    written: usize,
    buffer: Vec<u8>,
    cross_buffer: Vec<u8>,
}

impl Writer<'_, '_> {
    fn write_all(
        &mut self,
        entries: &[Entry],
        kept: &Kept,
        cross: &HashMap<usize, (usize, usize)>,
        tests: usize,
        failures: usize,
        io: &mut Io,
    ) -> std::io::Result<()> {
        let mut out = BufWriter::with_capacity(1 << 16, &mut *io.stdout);
        // A closed pipe or a full disk: the output is lost, not the run (`Io` tracks it).
        let _ = out.write_all(self.formatter.start(tests, failures).as_bytes());
        // The human report leads with the errors of every file, then warnings, then infos.
        let passes: &[Option<Severity>] = if self.plan.format == Format::Human {
            &[
                Some(Severity::Error),
                Some(Severity::Warning),
                Some(Severity::Info),
            ]
        } else {
            &[None]
        };
        for &only in passes {
            for entry in entries {
                self.write_entry(&mut out, *entry, kept, cross, only)?;
            }
        }
        let _ = out.write_all(self.formatter.end(self.written).as_bytes());
        let _ = out.flush();
        Ok(())
    }

    fn write_entry(
        &mut self,
        out: &mut impl Write,
        entry: Entry,
        kept: &Kept,
        cross: &HashMap<usize, (usize, usize)>,
        only: Option<Severity>,
    ) -> std::io::Result<()> {
        let mapped;
        let local;
        let found;
        let items: Vec<(Severity, &[u8])> = match entry {
            Entry::Linted(i) => {
                if kept.io_errors.contains_key(&i) {
                    return Ok(());
                }
                self.reader.read(i, &mut self.buffer)?;
                local = spool::decode(&self.buffer);
                self.cross_buffer.clear();
                if let Some(&(record, _)) = cross.get(&i) {
                    self.cross_reader.read(record, &mut self.cross_buffer)?;
                    found = spool::decode(&self.cross_buffer);
                } else {
                    found = Vec::new();
                }
                merge(&local, &found)
            }
            Entry::Mapped(k) => {
                let result = &self.plan.mapped[k];
                if result.io_error.is_some() {
                    return Ok(());
                }
                (mapped, _) = self
                    .formatter
                    .render_located(&result.located, result.human.clone());
                mapped.iter().map(|i| (i.severity, &i.bytes[..])).collect()
            }
        };
        if self.formatter.has_sections() {
            let name = self.plan.name_of(&entry);
            let _ = out.write_all(self.formatter.section_start(&name, items.len()).as_bytes());
        }
        for (severity, bytes) in items {
            if only.is_none_or(|s| s == severity) {
                let _ = self.formatter.write_item(out, self.written, bytes);
                self.written += 1;
            }
        }
        if self.formatter.has_sections() {
            let _ = out.write_all(self.formatter.section_end().as_bytes());
        }
        Ok(())
    }
}

/// A file's own findings and its cross-object ones in one order: by position and rule, the
/// file's own first on a tie (as `engine::finish_set` orders them).
fn merge<'a>(
    local: &'a [Item<&str, &'a [u8]>],
    cross: &'a [Item<&str, &'a [u8]>],
) -> Vec<(Severity, &'a [u8])> {
    let mut merged = Vec::with_capacity(local.len() + cross.len());
    let mut cross = cross.iter().peekable();
    for item in local {
        let own = (item.start, item.end, item.rule);
        while let Some(c) = cross.next_if(|c| (c.start, c.end, c.rule) < own) {
            merged.push((c.severity, c.bytes));
        }
        merged.push((item.severity, item.bytes));
    }
    merged.extend(cross.map(|c| (c.severity, c.bytes)));
    merged
}
