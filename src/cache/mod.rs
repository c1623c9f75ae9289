//! The build cache: what the previous build made, found again by what it was made from, so a
//! build after a small change re-renders and re-indexes only what changed.
//!
//! It keeps no copies of the site. The cache folder (`.vejviser-cache/` beside the content
//! folder, ignored by git) holds one [`Record`] per output folder: the digest of every input
//! the build read, every file it wrote (path and digest), and for each *key* (the digest of
//! everything a page or a search index is made from: this build of vejviser, the templates,
//! the page's whole context) the digests of what it made. The bytes themselves are the
//! previous site's files, read back while the new site is written beside them: a page whose
//! key is in the record is taken from the previous site when a file there has the recorded
//! digest, and made afresh otherwise. A part can also be a piece of a file (a [`Span`]: a
//! section's block on the print page, its entry in the JSON export), read from its place and
//! checked against its own digest.
//!
//! Nothing unverified is used. A record another build of vejviser wrote, or one that is cut
//! short or changed (its last line is the digest of the rest), is ignored whole; a file of the
//! previous site whose bytes do not have the recorded digest is not used. What is used is
//! therefore exactly what a clean build makes, byte for byte.

mod digest;
mod record;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

pub use digest::{Digest, KeyHasher};
pub use record::{Parts, Record, Span};

/// This build of vejviser: its version and a digest of the sources it was compiled from (see
/// `build.rs`), so that a cache is never read by a vejviser that could make other bytes.
pub const BUILD_ID: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("VEJVISER_SOURCE_DIGEST")
);

/// The cache folder's name.
pub const DIR_NAME: &str = ".vejviser-cache";

/// The cache of one output folder for one build.
pub struct Cache {
    record_path: PathBuf,
    /// The previous site: where the recorded files are read from.
    old_site: PathBuf,
    previous: Record,
    /// The path in the previous site of each recorded digest.
    by_digest: HashMap<Digest, String>,
    /// What this build made, by key (the next record's memo).
    made: Mutex<BTreeMap<Digest, Parts>>,
    /// Where this build wrote the pieces of its files (the next record's spans).
    spans: Mutex<BTreeMap<Digest, Span>>,
    reused: AtomicUsize,
    missed: AtomicUsize,
    /// Why the previous record was not used, when there was one.
    pub ignored: Option<String>,
}

impl Cache {
    /// The cache in `dir` of the site at `out`, with the previous build's record when it can
    /// be used.
    pub fn open(dir: &Path, out: &Path) -> Cache {
        let record_path = dir.join(record_name(out));
        let (previous, ignored) = match std::fs::read(&record_path) {
            Err(_) => (Record::default(), None),
            Ok(bytes) => match String::from_utf8(bytes)
                .map_err(|_| "it is not text".to_string())
                .and_then(|text| Record::from_text(&text, BUILD_ID))
            {
                Ok(record) => (record, None),
                Err(why) => (
                    Record::default(),
                    Some(format!("{} was ignored: {why}", record_path.display())),
                ),
            },
        };
        let by_digest = previous
            .files
            .iter()
            .map(|(path, d)| (*d, path.clone()))
            .collect();
        Cache {
            record_path,
            old_site: out.to_path_buf(),
            previous,
            by_digest,
            made: Mutex::default(),
            spans: Mutex::default(),
            reused: AtomicUsize::new(0),
            missed: AtomicUsize::new(0),
            ignored,
        }
    }

    /// True when the previous build read exactly `inputs`, printed no warnings, and its site
    /// is still there as it wrote it (every file, and no other, with the recorded bytes).
    pub fn up_to_date(&self, inputs: &Digest) -> bool {
        if self.previous.inputs.as_ref() != Some(inputs) || self.previous.warnings > 0 {
            return false;
        }
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&self.old_site).follow_links(false) {
            let Ok(entry) = entry else { return false };
            if entry.file_type().is_file() {
                let Ok(rel) = entry.path().strip_prefix(&self.old_site) else {
                    return false;
                };
                found.push(rel.to_string_lossy().replace('\\', "/"));
            } else if !entry.file_type().is_dir() {
                return false;
            }
        }
        found.len() == self.previous.files.len()
            && found
                .par_iter()
                .all(|path| match self.previous.files.get(path) {
                    Some(d) => std::fs::read(self.old_site.join(path))
                        .is_ok_and(|bytes| Digest::of(&bytes) == *d),
                    None => false,
                })
    }

    /// What `key` made in the previous build, each part's bytes read from the previous site
    /// and checked against its digest; None when any part is not there as recorded.
    pub fn recall(&self, key: &Digest) -> Option<Vec<(String, Vec<u8>)>> {
        let found = self.previous.memo.get(key).and_then(|parts| {
            let mut out = Vec::with_capacity(parts.len());
            for (name, d) in parts {
                let bytes = self.read_part(d)?;
                if Digest::of(&bytes) != *d {
                    return None;
                }
                out.push((name.clone(), bytes));
            }
            self.remember(*key, parts.clone());
            Some(out)
        });
        let counter = match found {
            Some(_) => &self.reused,
            None => &self.missed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The bytes the previous site holds for the part with digest `d`: a whole file, or a
    /// piece of one (unchecked).
    fn read_part(&self, d: &Digest) -> Option<Vec<u8>> {
        if let Some(path) = self.by_digest.get(d) {
            return std::fs::read(self.old_site.join(path)).ok();
        }
        let span = self.previous.spans.get(d)?;
        let path = self.by_digest.get(&span.file)?;
        let mut file = std::fs::File::open(self.old_site.join(path)).ok()?;
        file.seek(SeekFrom::Start(span.offset)).ok()?;
        let mut bytes = vec![0; usize::try_from(span.len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    /// The one part `key` made (a page, a print block, an export entry), as
    /// [`recall`](Cache::recall), with its digest (which its bytes were checked against).
    pub fn recall_one(&self, key: &Digest) -> Option<(Vec<u8>, Digest)> {
        let mut parts = self.recall(key)?;
        let digest = self.previous.memo.get(key)?.first()?.1;
        match parts.len() {
            1 => parts.pop().map(|(_, bytes)| (bytes, digest)),
            _ => None,
        }
    }

    /// Record that `key` made `parts` (names and digests of bytes the site holds).
    pub fn remember(&self, key: Digest, parts: Parts) {
        if let Ok(mut made) = self.made.lock() {
            made.insert(key, parts);
        }
    }

    /// Record that the file with digest `file` holds each `(digest, offset, len)` piece.
    pub fn remember_spans(
        &self,
        file: Digest,
        pieces: impl IntoIterator<Item = (Digest, u64, u64)>,
    ) {
        if let Ok(mut spans) = self.spans.lock() {
            for (d, offset, len) in pieces {
                spans.insert(d, Span { file, offset, len });
            }
        }
    }

    /// How many keys were found in the previous build, and how many were made afresh.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.reused.load(Ordering::Relaxed),
            self.missed.load(Ordering::Relaxed),
        )
    }

    /// Write the record of a finished build: its inputs, its warnings, every file it wrote;
    /// of what was made, only what those files hold.
    pub fn save(
        &self,
        inputs: Option<Digest>,
        warnings: usize,
        files: BTreeMap<String, Digest>,
    ) -> std::io::Result<()> {
        let whole: std::collections::HashSet<&Digest> = files.values().collect();
        let spans: BTreeMap<Digest, Span> = self
            .spans
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, span)| whole.contains(&span.file))
            .collect();
        let held = |d: &Digest| whole.contains(d) || spans.contains_key(d);
        let made = self.made.lock().map(|m| m.clone()).unwrap_or_default();
        let memo = made
            .into_iter()
            .filter(|(_, parts)| parts.iter().all(|(_, d)| held(d)))
            .collect();
        let record = Record {
            inputs,
            warnings,
            files,
            memo,
            spans,
        };
        if let Some(dir) = self.record_path.parent() {
            std::fs::create_dir_all(dir)?;
            let ignore = dir.join(".gitignore");
            if !ignore.exists() {
                std::fs::write(ignore, "# vejviser's build cache (safe to delete)\n*\n")?;
            }
        }
        let tmp = self
            .record_path
            .with_extension(format!("new-{}", std::process::id()));
        std::fs::write(&tmp, record.to_text(BUILD_ID))?;
        std::fs::rename(&tmp, &self.record_path)
    }

    /// Record `files`, now in the output folder as they are (the preview's), without inputs:
    /// the next build takes what it can from them, and is never skipped as up to date.
    pub fn save_files<'f>(&self, files: impl IntoIterator<Item = (&'f str, &'f [u8])>) {
        let files: Vec<(&str, &[u8])> = files.into_iter().collect();
        let digests = files
            .par_iter()
            .map(|(path, bytes)| (path.to_string(), Digest::of(bytes)))
            .collect();
        // A record that cannot be written only means the next build makes more afresh.
        let _ = self.save(None, 0, digests);
    }

    /// Forget the record (after a build that failed to write its site).
    pub fn discard(&self) {
        let _ = std::fs::remove_file(&self.record_path);
    }
}

/// The record's file name for the output folder `out`: its name and a digest of its full path,
/// so that builds into different folders keep their own records.
fn record_name(out: &Path) -> String {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = std::fs::canonicalize(&parent).unwrap_or(parent);
    let file = out.file_name().unwrap_or_default();
    let full = parent.join(file);
    let name: String = file
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let d = Digest::of(full.to_string_lossy().as_bytes());
    format!("{name}-{}.record", &d.hex()[..16])
}
