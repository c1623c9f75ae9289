//! The record a build leaves in the cache folder: what it was built from, every file it wrote
//! (path and digest), and what each key made (the digests of its parts). A text file that ends
//! with the digest of everything before it, so that a truncated or edited record is noticed.
//!
//! ```text
//! vejviser-cache 1 <build id>
//! inputs <digest>
//! warnings <count>
//! file <digest> <path>
//! memo <key> <number of parts>
//! part <digest> <name>
//! span <digest> <file digest> <offset> <length>
//! end <digest of all the lines above>
//! ```

use std::collections::BTreeMap;

use super::digest::Digest;

/// The format's version (the first line's second word).
const FORMAT: &str = "1";

/// What one key made: each part's name and digest.
pub type Parts = Vec<(String, Digest)>;

/// Where some bytes of the site are: `len` bytes at `offset` of the file with digest `file`
/// (a section's block on the print page, its entry in the JSON export).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub file: Digest,
    pub offset: u64,
    pub len: u64,
}

/// One build's record.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    /// The digest of everything the build read (see [`crate::cache::KeyHasher`]).
    pub inputs: Option<Digest>,
    /// The warnings the build printed (a build with warnings is never skipped: they are shown
    /// again).
    pub warnings: usize,
    /// Every file written, by path (relative to the output folder).
    pub files: BTreeMap<String, Digest>,
    /// What each key made.
    pub memo: BTreeMap<Digest, Parts>,
    /// Parts that are a piece of a file, by their digest.
    pub spans: BTreeMap<Digest, Span>,
}

impl Record {
    /// The record as text, ending with its own digest.
    pub fn to_text(&self, build_id: &str) -> String {
        let mut s = format!("vejviser-cache {FORMAT} {build_id}\n");
        if let Some(inputs) = &self.inputs {
            s.push_str(&format!("inputs {}\n", inputs.hex()));
        }
        s.push_str(&format!("warnings {}\n", self.warnings));
        for (path, d) in &self.files {
            if line_safe(path) {
                s.push_str(&format!("file {} {path}\n", d.hex()));
            }
        }
        for (key, parts) in &self.memo {
            if !parts.iter().all(|(name, _)| line_safe(name)) {
                continue;
            }
            s.push_str(&format!("memo {} {}\n", key.hex(), parts.len()));
            for (name, d) in parts {
                s.push_str(&format!("part {} {name}\n", d.hex()));
            }
        }
        for (d, span) in &self.spans {
            s.push_str(&format!(
                "span {} {} {} {}\n",
                d.hex(),
                span.file.hex(),
                span.offset,
                span.len
            ));
        }
        let end = Digest::of(s.as_bytes());
        s.push_str(&format!("end {}\n", end.hex()));
        s
    }

    /// Read a record written by [`to_text`](Record::to_text) for `build_id`; Err says why it
    /// cannot be used (another version's, damaged, not a record).
    pub fn from_text(text: &str, build_id: &str) -> Result<Record, String> {
        let body_end = text
            .trim_end_matches('\n')
            .rfind('\n')
            .map(|i| i + 1)
            .ok_or("it is not a build record")?;
        let (body, last) = text.split_at(body_end);
        let end = last
            .strip_prefix("end ")
            .and_then(|d| Digest::parse(d.trim_end_matches('\n')))
            .ok_or("it is cut short (no end line)")?;
        if Digest::of(body.as_bytes()) != end {
            return Err("its contents do not match its digest (it was changed or damaged)".into());
        }
        let mut lines = body.lines();
        let header = lines.next().unwrap_or_default();
        let mut words = header.split(' ');
        if words.next() != Some("vejviser-cache") || words.next() != Some(FORMAT) {
            return Err("it is not a build record of this format".into());
        }
        let id = words.next().unwrap_or_default();
        if id != build_id {
            return Err(format!("it was made by vejviser {id}, this is {build_id}"));
        }
        let mut record = Record::default();
        let mut open: Option<(Digest, usize)> = None;
        for (n, line) in lines.enumerate() {
            let bad = || format!("line {} is not understood", n + 2);
            let (word, rest) = line.split_once(' ').ok_or_else(bad)?;
            let (digest, tail) = match rest.split_once(' ') {
                Some((d, t)) => (d, t),
                None => (rest, ""),
            };
            if word == "warnings" {
                record.warnings = rest.parse().map_err(|_| bad())?;
                continue;
            }
            let d = Digest::parse(digest).ok_or_else(bad)?;
            match word {
                "inputs" => record.inputs = Some(d),
                "file" => {
                    record.files.insert(tail.to_string(), d);
                }
                "memo" => {
                    let count: usize = tail.parse().map_err(|_| bad())?;
                    record.memo.insert(d, Vec::with_capacity(count.min(1024)));
                    open = Some((d, count));
                }
                "span" => {
                    let mut words = tail.split(' ');
                    let file = words.next().and_then(Digest::parse).ok_or_else(bad)?;
                    let mut number = || words.next().and_then(|w| w.parse::<u64>().ok());
                    let (offset, len) = number().zip(number()).ok_or_else(bad)?;
                    record.spans.insert(d, Span { file, offset, len });
                }
                "part" => {
                    let (key, left) = open
                        .as_mut()
                        .filter(|(_, left)| *left > 0)
                        .ok_or_else(bad)?;
                    *left -= 1;
                    if let Some(parts) = record.memo.get_mut(key) {
                        parts.push((tail.to_string(), d));
                    }
                }
                _ => return Err(bad()),
            }
        }
        Ok(record)
    }
}

/// A name that fits on one line of the record (one with a line break is not recorded).
fn line_safe(name: &str) -> bool {
    !name.contains(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        let mut r = Record {
            inputs: Some(Digest::of(b"in")),
            warnings: 2,
            ..Default::default()
        };
        r.files.insert("index.html".into(), Digest::of(b"a"));
        r.files
            .insert("dir/with space.html".into(), Digest::of(b"b"));
        r.memo.insert(
            Digest::of(b"k"),
            vec![
                ("".into(), Digest::of(b"a")),
                ("x/y".into(), Digest::of(b"b")),
            ],
        );
        r.spans.insert(
            Digest::of(b"piece"),
            Span {
                file: Digest::of(b"a"),
                offset: 12,
                len: 345,
            },
        );
        r
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let text = sample().to_text("0.1.0+abc");
        assert_eq!(Record::from_text(&text, "0.1.0+abc"), Ok(sample()));
    }

    #[test]
    fn another_versions_record_is_refused() {
        let text = sample().to_text("0.1.0+abc");
        let e = Record::from_text(&text, "0.2.0+def").unwrap_err();
        assert!(e.contains("0.1.0+abc"), "{e}");
    }

    #[test]
    fn a_truncated_or_edited_record_is_refused() {
        let text = sample().to_text("v");
        for cut in [0, 10, text.len() / 2, text.len() - 3] {
            assert!(
                Record::from_text(&text[..cut], "v").is_err(),
                "cut at {cut}"
            );
        }
        let edited = text.replacen("index.html", "indox.html", 1);
        let e = Record::from_text(&edited, "v").unwrap_err();
        assert!(e.contains("digest"), "{e}");
    }
}
