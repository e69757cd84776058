//! Reading parked facts back in file order, a batch at a time: the records are read in order
//! (the caller's store may be a file on disk) and decoded in parallel, so the cross-object
//! stage's sweeps over a big set do not run on one core.

use std::collections::VecDeque;
use std::io;

use rayon::prelude::*;

use crate::project::{FileFacts, Part, Unpark};

/// Files read and decoded together: enough to keep two workers busy, few enough that the
/// batch is a rounding error in the peak memory of a million documents.
const BATCH: usize = 64;

/// Parked facts read back, file by file, through `unpark`.
pub(super) struct ReadAhead<'u, 'a> {
    unpark: &'u mut Unpark<'a>,
    files: usize,
    /// Decoded ahead: files `next - ahead.len()..next` of part `part`.
    ahead: VecDeque<FileFacts>,
    next: usize,
    part: Part,
}

impl<'u, 'a> ReadAhead<'u, 'a> {
    pub(super) fn new(unpark: &'u mut Unpark<'a>, files: usize) -> Self {
        Self {
            unpark,
            files,
            ahead: VecDeque::new(),
            next: 0,
            part: Part::Whole,
        }
    }

    /// `part` of file `file`'s facts. Reading in ascending order is what batches pay for;
    /// any other order reads the one file.
    pub(super) fn read(&mut self, file: usize, part: Part) -> io::Result<FileFacts> {
        if part == Part::Whole {
            // One pod's violations, now and then: the batch ahead stays.
            return decode(part, &(self.unpark)(file)?);
        }
        let first_ahead = self.next - self.ahead.len();
        if part != self.part || file < first_ahead || file > self.next {
            self.ahead.clear();
            self.part = part;
            self.next = file;
        } else if file > first_ahead {
            self.ahead.drain(..file - first_ahead);
        }
        if self.ahead.is_empty() {
            let end = (file + BATCH).min(self.files);
            let records: Vec<Vec<u8>> = (file..end)
                .map(|f| (self.unpark)(f))
                .collect::<io::Result<_>>()?;
            let decoded: Vec<FileFacts> = records
                .par_iter()
                .map(|bytes| decode(part, bytes))
                .collect::<io::Result<_>>()?;
            self.ahead.extend(decoded);
            self.next = end;
        }
        Ok(self
            .ahead
            .pop_front()
            .expect("a batch holds the file asked for"))
    }
}

fn decode(part: Part, bytes: &[u8]) -> io::Result<FileFacts> {
    let facts = match part {
        Part::Objects => FileFacts::objects_from_bytes(bytes),
        Part::Own => FileFacts::own_from_bytes(bytes),
        Part::Whole => FileFacts::from_bytes(bytes),
    };
    facts
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "parked facts read back damaged"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::{check_file, finish_alone};
    use crate::rule::Settings;

    /// The parked records of `n` small files, each a Pod named after its index.
    fn records(n: usize) -> Vec<Vec<u8>> {
        let settings = Arc::new(Settings::default());
        (0..n)
            .map(|i| {
                let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers: [{{name: app, image: nginx:1.27}}]\n");
                let pass = check_file(text.as_bytes(), settings.clone());
                finish_alone(pass).1.facts().to_bytes()
            })
            .collect()
    }

    fn name(facts: &FileFacts) -> String {
        facts.objects[0].name.as_deref().unwrap_or("?").to_string()
    }

    #[test]
    fn every_order_reads_the_file_asked_for() {
        let records = records(BATCH + 40);
        let mut asked = 0;
        let mut unpark = |file: usize| {
            asked += 1;
            Ok(records[file].clone())
        };
        let mut ahead = ReadAhead::new(&mut unpark, BATCH + 40);
        // Sweeps in order, skipping some files; a jump back; a whole file in between.
        let order = [(0, Part::Objects), (1, Part::Objects), (5, Part::Objects)]
            .into_iter()
            .chain((6..BATCH + 40).map(|f| (f, Part::Objects)))
            .chain([
                (0, Part::Own),
                (1, Part::Whole),
                (1, Part::Own),
                (2, Part::Own),
            ]);
        for (file, part) in order {
            let facts = ahead.read(file, part).unwrap();
            assert_eq!(name(&facts), format!("p{file}"), "{file} {part:?}");
            assert_eq!(facts.own.is_empty(), part == Part::Objects);
            assert_eq!(facts.violations.is_empty(), part != Part::Whole);
        }
        drop(ahead);
        // Two batches for the sweep, one for the focus, one lone whole file.
        assert_eq!(asked, (BATCH + 40) + BATCH + 1);
    }

    #[test]
    fn a_record_that_cannot_be_read_fails_the_read() {
        let records = records(3);
        let mut unpark = |file: usize| match file {
            2 => Err(io::Error::other("gone")),
            _ => Ok(records[file].clone()),
        };
        let mut ahead = ReadAhead::new(&mut unpark, 3);
        assert_eq!(ahead.read(0, Part::Own).unwrap_err().to_string(), "gone");
        let mut damaged = |_: usize| Ok(vec![9, 9, 9]);
        let mut ahead = ReadAhead::new(&mut damaged, 3);
        let error = ahead.read(1, Part::Objects).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }
}
