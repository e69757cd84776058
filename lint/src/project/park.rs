//! A file's facts as bytes: a front end that streams a big tree parks each file's
//! [`FileFacts`] (on disk, past a few megabytes) once the directory has taken what other files
//! look up, and the cross-object stage reads them back file by file.
//!
//! The encoding is postcard's, private to one run. Reading back checks every length and tag,
//! so a damaged record gives `None`, never a panic.

use crate::project::facts::{FileFacts, ObjectFacts, PodOwnFacts};

pub(crate) fn encode(facts: &FileFacts) -> Vec<u8> {
    // Facts are plain data: serialising them into memory cannot fail.
    postcard::to_allocvec(facts).unwrap_or_default()
}

pub(crate) fn decode(record: &[u8]) -> Option<FileFacts> {
    postcard::from_bytes(record).ok()
}

/// The leading field of a [`FileFacts`] record: postcard writes fields in order, untagged, so
/// this reads the objects and leaves the pods' own facts (the bulk) unread.
#[derive(serde::Deserialize)]
struct Objects {
    objects: Vec<ObjectFacts>,
}

/// The two leading fields of a [`FileFacts`] record, leaving the violations unread.
#[derive(serde::Deserialize)]
struct Own {
    objects: Vec<ObjectFacts>,
    own: Vec<PodOwnFacts>,
}

/// The objects and own facts of a record of [`encode`], without the violations.
pub(crate) fn decode_own(record: &[u8]) -> Option<FileFacts> {
    let (Own { objects, own }, _) = postcard::take_from_bytes::<Own>(record).ok()?;
    Some(FileFacts {
        objects,
        own,
        violations: Vec::new(),
    })
}

/// The objects of a record of [`encode`], without the pods' own facts.
pub(crate) fn decode_objects(record: &[u8]) -> Option<FileFacts> {
    let (Objects { objects }, _) = postcard::take_from_bytes::<Objects>(record).ok()?;
    Some(FileFacts {
        objects,
        ..FileFacts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{check_file, finish_alone};
    use crate::rule::Settings;
    use std::sync::Arc;

    const MANIFEST: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  hostNetwork: true\n  serviceAccountName: runner\n  automountServiceAccountToken: false\n  volumes: [{name: c, configMap: {name: settings, optional: true}}]\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports: [{name: http, containerPort: 8080}]\n    envFrom: [{secretRef: {name: keys}}]\n    securityContext: {privileged: true}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n";

    fn facts() -> FileFacts {
        let pass = check_file(MANIFEST.as_bytes(), Arc::new(Settings::default()));
        finish_alone(pass).1.facts().clone()
    }

    #[test]
    fn facts_read_back_as_they_were_parked() {
        let facts = facts();
        assert!(!facts.own.is_empty() && !facts.violations[0].is_empty());
        let back = decode(&encode(&facts)).expect("a record just made reads back");
        assert_eq!(format!("{back:?}"), format!("{facts:?}"));
    }

    #[test]
    fn the_objects_read_back_alone() {
        let facts = facts();
        let objects = decode_objects(&encode(&facts)).expect("a record just made reads back");
        assert_eq!(
            format!("{:?}", objects.objects),
            format!("{:?}", facts.objects)
        );
        assert!(objects.own.is_empty());
        let own = decode_own(&encode(&facts)).expect("a record just made reads back");
        assert_eq!(format!("{:?}", own.own), format!("{:?}", facts.own));
        assert!(own.violations.is_empty());
    }

    #[test]
    fn a_damaged_record_reads_as_none_never_a_panic() {
        let record = encode(&facts());
        for end in 0..record.len() {
            assert!(decode(&record[..end]).is_none(), "cut at {end}");
            let _ = decode_objects(&record[..end]);
            let _ = decode_own(&record[..end]);
        }
        let mut flipped = record.clone();
        for i in 0..flipped.len() {
            flipped[i] ^= 0xff;
            // Anything but a panic: a flipped byte may still read as other facts.
            let _ = decode(&flipped);
            flipped[i] ^= 0xff;
        }
    }
}
