//! Own facts as bytes: a front end that streams a big tree parks each file's
//! [`PodOwnFacts`] (on disk, past a few megabytes) instead of holding them until the set is
//! done, and the cross-object stage reads them back when that file's findings are made.
//!
//! The encoding is private to one run: little-endian integers, strings as a length and their
//! UTF-8 bytes. Reading back checks every length, so a damaged record gives `None`, never a
//! panic.

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::k8s::pod_security::{Control, Span, Violation};
use crate::project::facts::{PodOwnFacts, RefKind, RefSource, Reference};
use crate::text::{TextRange, TextSize};

/// The own facts of a file's pods, in order, as one record.
pub(crate) fn encode(pods: &[PodOwnFacts]) -> Vec<u8> {
    let mut out = Writer(Vec::with_capacity(64 * pods.len() + 4));
    out.len(pods.len());
    for pod in pods {
        out.range(pod.anchor);
        match pod.automount {
            None => out.u8(0),
            Some((on, range)) => {
                out.u8(1 + u8::from(on));
                out.range(range);
            }
        }
        out.len(pod.references.len());
        for r in pod.references.iter() {
            out.u8(ref_kind_byte(r.kind));
            out.u8(ref_source_byte(r.source));
            out.u8(u8::from(r.optional));
            out.str(&r.name);
            out.range(r.range);
            out.str(&r.via);
        }
        out.len(pod.pod_security.len());
        for v in pod.pod_security.iter() {
            out.u8(control_byte(v.control));
            out.span(v.baseline);
            out.span(v.restricted);
            out.range(v.range);
            out.str(&v.message);
            out.str(&v.help);
            match &v.fix {
                None => out.u8(0),
                Some(fix) => {
                    out.u8(1 + u8::from(fix.applicability == Applicability::Safe));
                    out.str(&fix.title);
                    out.len(fix.edits.len());
                    for edit in &fix.edits {
                        out.range(edit.range);
                        out.str(&edit.replacement);
                    }
                }
            }
        }
    }
    out.0
}

/// A record of [`encode`] read back; `None` if it is not one.
pub(crate) fn decode(record: &[u8]) -> Option<Vec<PodOwnFacts>> {
    let mut r = Reader(record);
    let pods = r.len()?;
    let mut out = Vec::with_capacity(pods.min(record.len()));
    for _ in 0..pods {
        let anchor = r.range()?;
        let automount = match r.u8()? {
            0 => None,
            on => Some((on == 2, r.range()?)),
        };
        let count = r.len()?;
        let mut references = Vec::with_capacity(count.min(record.len()));
        for _ in 0..count {
            references.push(Reference {
                kind: ref_kind(r.u8()?)?,
                source: ref_source(r.u8()?)?,
                optional: r.u8()? != 0,
                name: r.str()?.into(),
                range: r.range()?,
                via: r.str()?.into(),
            });
        }
        let count = r.len()?;
        let mut pod_security = Vec::with_capacity(count.min(record.len()));
        for _ in 0..count {
            let control = control(r.u8()?)?;
            let (baseline, restricted, range) = (r.span()?, r.span()?, r.range()?);
            let (message, help) = (r.str()?.to_string(), r.str()?.to_string());
            let fix = match r.u8()? {
                0 => None,
                safe => {
                    let title = r.str()?.to_string();
                    let edits = r.len()?;
                    let edits = (0..edits)
                        .map(|_| {
                            Some(Edit {
                                range: r.range()?,
                                replacement: r.str()?.to_string(),
                            })
                        })
                        .collect::<Option<Vec<Edit>>>()?;
                    let applicability = if safe == 2 {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    Some(Fix {
                        title,
                        applicability,
                        edits,
                    })
                }
            };
            pod_security.push(Violation {
                control,
                range,
                message,
                help,
                fix,
                baseline,
                restricted,
            });
        }
        out.push(PodOwnFacts {
            references: references.into(),
            pod_security: pod_security.into(),
            anchor,
            automount,
        });
    }
    r.0.is_empty().then_some(out)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, b: u8) {
        self.0.push(b);
    }

    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("a file's facts are under 4 GiB"));
    }

    fn range(&mut self, range: TextRange) {
        self.u32(range.start().into());
        self.u32(range.end().into());
    }

    fn span(&mut self, span: Span) {
        self.0.extend_from_slice(&[span.from, span.to]);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
}

struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn len(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }

    fn range(&mut self) -> Option<TextRange> {
        let (start, end) = (self.u32()?, self.u32()?);
        (start <= end).then(|| TextRange::new(TextSize::from(start), TextSize::from(end)))
    }

    fn span(&mut self) -> Option<Span> {
        let b = self.take(2)?;
        Some(Span {
            from: b[0],
            to: b[1],
        })
    }

    fn str(&mut self) -> Option<&'b str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

const REF_KINDS: [RefKind; 3] = [RefKind::ConfigMap, RefKind::Secret, RefKind::ServiceAccount];

const REF_SOURCES: [RefSource; 4] = [
    RefSource::Environment,
    RefSource::Volume,
    RefSource::ImagePullSecrets,
    RefSource::ServiceAccountName,
];

fn ref_kind_byte(kind: RefKind) -> u8 {
    REF_KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

fn ref_kind(b: u8) -> Option<RefKind> {
    REF_KINDS.get(usize::from(b)).copied()
}

fn ref_source_byte(source: RefSource) -> u8 {
    REF_SOURCES.iter().position(|s| *s == source).unwrap_or(0) as u8
}

fn ref_source(b: u8) -> Option<RefSource> {
    REF_SOURCES.get(usize::from(b)).copied()
}

fn control_byte(control: Control) -> u8 {
    Control::ALL.iter().position(|c| *c == control).unwrap_or(0) as u8
}

fn control(b: u8) -> Option<Control> {
    Control::ALL.get(usize::from(b)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::range;

    fn sample() -> Vec<PodOwnFacts> {
        let violation = |control, fix: Option<Fix>| Violation {
            control,
            range: range(40, 52),
            message: "container `app` runs as root — é".into(),
            help: "set `runAsNonRoot: true`".into(),
            fix,
            baseline: Span::NEVER,
            restricted: Span::since(23),
        };
        let reference = |kind, source, optional| Reference {
            kind,
            source,
            optional,
            name: "app-config".into(),
            range: range(7, 17),
            via: "`envFrom` of container `app`".into(),
        };
        vec![
            PodOwnFacts {
                references: vec![
                    reference(RefKind::ConfigMap, RefSource::Environment, false),
                    reference(RefKind::ServiceAccount, RefSource::ServiceAccountName, true),
                ]
                .into(),
                pod_security: vec![
                    violation(Control::RunAsNonRoot, None),
                    violation(
                        Control::CapabilitiesRestricted,
                        Some(Fix::safe(
                            "Drop every capability",
                            vec![Edit {
                                range: range(60, 60),
                                replacement: "\n  drop: [ALL]".into(),
                            }],
                        )),
                    ),
                ]
                .into(),
                anchor: range(1, 5),
                automount: Some((true, range(3, 9))),
            },
            PodOwnFacts {
                references: Box::default(),
                pod_security: Box::default(),
                anchor: range(0, 0),
                automount: None,
            },
        ]
    }

    #[test]
    fn own_facts_read_back_as_parked() {
        let pods = sample();
        let back = decode(&encode(&pods)).expect("a record");
        assert_eq!(format!("{back:?}"), format!("{pods:?}"));
    }

    #[test]
    fn a_damaged_record_reads_as_none() {
        let record = encode(&sample());
        for cut in 0..record.len() {
            assert!(decode(&record[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = record.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
        // Lengths far beyond the record do not allocate them.
        assert!(decode(&[0xff, 0xff, 0xff, 0xff]).is_none());
    }
}
