//! Each file's rendered findings, kept on disk in an unnamed temporary file until the
//! cross-object rules have run and the report can be written in order.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use podlint_lint::Severity;

/// One finding as it will be printed, with what orders it among its file's findings.
#[derive(Debug, Clone)]
pub(crate) struct Item<R = &'static str, B = Vec<u8>> {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) rule: R,
    pub(crate) severity: Severity,
    pub(crate) bytes: B,
}

/// A file's items as one record: the count, then each item's key, severity, rule and text.
pub(crate) fn encode(items: &[Item]) -> Vec<u8> {
    let size: usize = items
        .iter()
        .map(|i| 14 + i.rule.len() + i.bytes.len())
        .sum();
    let mut record = Vec::with_capacity(4 + size);
    record.extend_from_slice(&len_u32(items.len()).to_le_bytes());
    for item in items {
        record.extend_from_slice(&item.start.to_le_bytes());
        record.extend_from_slice(&item.end.to_le_bytes());
        record.push(severity_byte(item.severity));
        let rule = &item.rule.as_bytes()[..item.rule.len().min(255)];
        record.push(rule.len() as u8);
        record.extend_from_slice(rule);
        record.extend_from_slice(&len_u32(item.bytes.len()).to_le_bytes());
        record.extend_from_slice(&item.bytes);
    }
    record
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).expect("a file's report is under 4 GiB")
}

fn severity_byte(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn severity_of(byte: u8) -> Severity {
    match byte {
        0 => Severity::Error,
        1 => Severity::Warning,
        _ => Severity::Info,
    }
}

/// The items of a record, read back: views into it.
pub(crate) fn decode(record: &[u8]) -> Vec<Item<&str, &[u8]>> {
    let mut at = 0;
    let mut take = |n: usize| {
        let part = &record[at..at + n];
        at += n;
        part
    };
    let u32_at = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("four bytes"));
    let count = u32_at(take(4));
    (0..count)
        .map(|_| {
            let start = u32_at(take(4));
            let end = u32_at(take(4));
            let severity = severity_of(take(1)[0]);
            let rule_len = usize::from(take(1)[0]);
            // Written from a `&str`, cut at a character boundary (rule names are ASCII).
            let rule = std::str::from_utf8(take(rule_len)).unwrap_or_default();
            let len = u32_at(take(4)) as usize;
            Item {
                start,
                end,
                rule,
                severity,
                bytes: take(len),
            }
        })
        .collect()
}

/// Records appended one after another, then read back in any order. They stay in memory up
/// to [`IN_MEMORY`] bytes (a run of ordinary size never touches the disk), and move to an
/// unnamed temporary file beyond, so a huge run's report does not grow the heap.
pub(crate) struct Spool {
    store: Store,
    /// Where the records are.
    index: RecordIndex,
    limit: usize,
}

/// The report bytes a spool keeps in memory before it moves them to disk.
const IN_MEMORY: usize = 2 << 20;

enum Store {
    Memory(Vec<u8>),
    File(BufWriter<File>),
}

impl Spool {
    pub(crate) fn new() -> Self {
        Self::with_limit(IN_MEMORY)
    }

    fn with_limit(limit: usize) -> Self {
        Self {
            store: Store::Memory(Vec::new()),
            index: RecordIndex::default(),
            limit,
        }
    }

    /// Appends a record; records are numbered from 0 in the order appended.
    pub(crate) fn push(&mut self, record: &[u8]) -> std::io::Result<()> {
        self.index.push(record.len())?;
        if let Store::Memory(bytes) = &mut self.store {
            if bytes.len() + record.len() > self.limit {
                let mut writer = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
                writer.write_all(bytes)?;
                self.store = Store::File(writer);
            }
        }
        match &mut self.store {
            Store::Memory(bytes) => {
                // Doubling, but never past the limit: a full spool holds `limit` bytes, not
                // the twice that doubling would reserve.
                if bytes.capacity() - bytes.len() < record.len() {
                    let needed = bytes.len() + record.len();
                    let room = (bytes.len() * 2).clamp(needed, needed.max(self.limit));
                    bytes.reserve_exact(room - bytes.len());
                }
                bytes.extend_from_slice(record)
            }
            Store::File(writer) => writer.write_all(record)?,
        }
        Ok(())
    }

    /// Done writing: the records can be read.
    pub(crate) fn into_reader(self) -> std::io::Result<Reader> {
        let source = match self.store {
            Store::Memory(bytes) => Source::Memory(bytes),
            Store::File(writer) => {
                let file = writer.into_inner().map_err(|e| e.into_error())?;
                Source::File(BufReader::with_capacity(1 << 16, file))
            }
        };
        Ok(Reader {
            source,
            at: u64::MAX,
            index: self.index,
        })
    }
}

/// Where each record of a spool is: its length (four bytes a record: a run keeps one per file),
/// and where every [`CHECKPOINT`]th record starts.
#[derive(Default)]
struct RecordIndex {
    lengths: Vec<u32>,
    checkpoints: Vec<u64>,
    /// Where the next record starts.
    end: u64,
}

/// Records between two checkpoints: finding a record adds up at most this many lengths.
const CHECKPOINT: usize = 64;

impl RecordIndex {
    fn push(&mut self, len: usize) -> std::io::Result<()> {
        let len = u32::try_from(len).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "a record of over 4 GB")
        })?;
        if self.lengths.len().is_multiple_of(CHECKPOINT) {
            self.checkpoints.push(self.end);
        }
        self.lengths.push(len);
        self.end += u64::from(len);
        Ok(())
    }

    /// Where record `index` starts and ends.
    fn get(&self, index: usize) -> (u64, u64) {
        let from = index / CHECKPOINT * CHECKPOINT;
        let before: u64 = self.lengths[from..index]
            .iter()
            .map(|&l| u64::from(l))
            .sum();
        let start = self.checkpoints[index / CHECKPOINT] + before;
        (start, start + u64::from(self.lengths[index]))
    }
}

pub(crate) struct Reader {
    source: Source,
    /// Where the next read from the file starts (`u64::MAX` before the first).
    at: u64,
    index: RecordIndex,
}

enum Source {
    Memory(Vec<u8>),
    File(BufReader<File>),
}

impl Reader {
    /// Record `index`, read into `buffer`.
    pub(crate) fn read(&mut self, index: usize, buffer: &mut Vec<u8>) -> std::io::Result<()> {
        let (start, end) = self.index.get(index);
        match &mut self.source {
            Source::Memory(bytes) => {
                buffer.clear();
                buffer.extend_from_slice(&bytes[start as usize..end as usize]);
            }
            Source::File(file) => {
                if self.at != start {
                    file.seek(SeekFrom::Start(start))?;
                }
                buffer.resize((end - start) as usize, 0);
                file.read_exact(buffer)?;
                self.at = end;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(start: u32, rule: &'static str, severity: Severity, text: &str) -> Item {
        Item {
            start,
            end: start + 3,
            rule,
            severity,
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn records_read_back_as_written_in_any_order() {
        let files = [
            vec![
                item(1, "host-pid", Severity::Error, "a\n"),
                item(9, "x", Severity::Info, ""),
            ],
            vec![],
            vec![item(0, "image-tag", Severity::Warning, "b€\n")],
        ];
        // In memory, and moved to disk after the first record.
        for limit in [IN_MEMORY, 8] {
            let mut spool = Spool::with_limit(limit);
            for items in &files {
                spool.push(&encode(items)).unwrap();
            }
            read_back(spool, &files);
        }
    }

    #[test]
    fn many_records_read_back_past_every_checkpoint() {
        let records: Vec<Vec<u8>> = (0..3 * CHECKPOINT + 5)
            .map(|i| vec![i as u8; i % 7])
            .collect();
        for limit in [IN_MEMORY, 100] {
            let mut spool = Spool::with_limit(limit);
            records.iter().for_each(|r| spool.push(r).unwrap());
            let mut reader = spool.into_reader().unwrap();
            let mut buffer = Vec::new();
            for index in (0..records.len())
                .rev()
                .chain([CHECKPOINT, 0, CHECKPOINT - 1])
            {
                reader.read(index, &mut buffer).unwrap();
                assert_eq!(buffer, records[index], "record {index}");
            }
        }
    }

    fn read_back(spool: Spool, files: &[Vec<Item>]) {
        let mut reader = spool.into_reader().unwrap();
        let mut buffer = Vec::new();
        for index in [2, 0, 1, 2] {
            reader.read(index, &mut buffer).unwrap();
            let back = decode(&buffer);
            let written = &files[index];
            assert_eq!(back.len(), written.len());
            for (b, w) in back.iter().zip(written) {
                assert_eq!((b.start, b.end, b.rule), (w.start, w.end, w.rule));
                assert_eq!((b.severity, b.bytes), (w.severity, &w.bytes[..]));
            }
        }
    }
}
