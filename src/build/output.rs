//! One site's files on their way out: each is put into the build's [`Sink`] as soon as it is
//! made, under the site's folder (a local version's `lokal/<slug>/`), and only what the last
//! steps need is kept of it: its path, size and hash (the service worker's build id) and a
//! page's Content-Security-Policy (the host headers).

use std::io::{self, Write};
use std::sync::Mutex;

use crate::base::output::{OutputFile, Sink};
use crate::cache::Digest;

/// What is kept of a file once it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The path, relative to its site's root.
    pub path: String,
    pub len: u64,
    /// The digest of the bytes (the build cache's record, the service worker's build id).
    pub digest: Digest,
    /// A page's meta Content-Security-Policy.
    pub csp: Option<String>,
}

impl Written {
    /// What is kept of `file`.
    pub fn of(file: &OutputFile) -> Self {
        let digest = Digest::of(&file.bytes);
        let csp = if file.path.ends_with(".html") {
            meta_csp(&file.bytes)
        } else {
            None
        };
        Written {
            path: file.path.clone(),
            len: file.bytes.len() as u64,
            digest,
            csp,
        }
    }
}

/// One site's way into the sink.
pub struct SiteOutput<'a> {
    sink: &'a dyn Sink,
    /// Put before each path: `lokal/<slug>/` for a local version inside the national site.
    prefix: String,
    written: Mutex<Vec<Written>>,
    errors: Mutex<Vec<String>>,
}

impl<'a> SiteOutput<'a> {
    pub fn new(sink: &'a dyn Sink, prefix: &str) -> Self {
        SiteOutput {
            sink,
            prefix: prefix.to_string(),
            written: Mutex::default(),
            errors: Mutex::default(),
        }
    }

    /// Write `file` (a path relative to the site's root) and keep what is needed of it.
    pub fn put(&self, file: &OutputFile) {
        let record = Written::of(file);
        let result = if self.prefix.is_empty() {
            self.sink.put(&file.path, &file.bytes)
        } else {
            let path = format!("{}{}", self.prefix, file.path);
            self.sink.put(&path, &file.bytes)
        };
        match result {
            Ok(()) => {
                if let Ok(mut w) = self.written.lock() {
                    w.push(record);
                }
            }
            Err(e) => {
                if let Ok(mut errors) = self.errors.lock() {
                    errors.push(format!("cannot write {}{}: {e}", self.prefix, file.path));
                }
            }
        }
    }

    /// Write the file at `path` (relative to the site's root) whose bytes `write` writes,
    /// without holding them (see [`Sink::put_stream`]); a page's policy is read from its
    /// first [`HEAD_MAX`] bytes. The digest of what was written, when it was.
    pub fn put_stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Option<Digest> {
        let mut counted = Counted {
            hash: blake3::Hasher::new(),
            len: 0,
            start: Vec::new(),
        };
        let full = format!("{}{path}", self.prefix);
        let result = self.sink.put_stream(&full, &mut |w: &mut dyn Write| {
            let mut tee = Tee {
                inner: w,
                counted: &mut counted,
            };
            write(&mut tee)
        });
        match result {
            Ok(()) => {
                let digest = Digest(*counted.hash.finalize().as_bytes());
                let csp = match path.ends_with(".html") {
                    true => meta_csp(&counted.start),
                    false => None,
                };
                if let Ok(mut w) = self.written.lock() {
                    w.push(Written {
                        path: path.to_string(),
                        len: counted.len,
                        digest,
                        csp,
                    });
                }
                Some(digest)
            }
            Err(e) => {
                if let Ok(mut errors) = self.errors.lock() {
                    errors.push(format!("cannot write {full}: {e}"));
                }
                None
            }
        }
    }

    /// The paths written so far (relative to the site's root), sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .written
            .lock()
            .map(|w| w.iter().map(|f| f.path.clone()).collect())
            .unwrap_or_default();
        paths.sort_unstable();
        paths
    }

    /// What was written so far, sorted by path.
    pub fn written(&self) -> Vec<Written> {
        let mut written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        written.sort_by(|a, b| a.path.cmp(&b.path));
        written
    }

    /// Everything written, sorted by path, or the write errors.
    pub fn finish(self) -> Result<Vec<Written>, Vec<String>> {
        let errors = self.errors.into_inner().unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut written = self.written.into_inner().unwrap_or_default();
        written.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(written)
    }
}

/// The Content-Security-Policy of a page's `<meta http-equiv>` tag, as written (looked for in
/// the page's head only).
pub fn meta_csp(html: &[u8]) -> Option<String> {
    let head = html
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(html.len());
    let html = std::str::from_utf8(&html[..head]).ok()?;
    let lower = html.to_ascii_lowercase();
    let at = lower
        .find("http-equiv=\"content-security-policy\"")
        .or_else(|| lower.find("http-equiv=content-security-policy"))?;
    let tag_start = lower[..at].rfind('<')?;
    let tag_end = at + lower[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let c = tag.to_ascii_lowercase().find("content=")? + "content=".len();
    let rest = &tag[c..];
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split([' ', '>']).next()?,
    };
    Some(
        value
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// How much of a streamed page is kept to find its policy in (its head comes first).
pub const HEAD_MAX: usize = 64 * 1024;

/// The length and hash of the bytes written through a [`Tee`], and the first [`HEAD_MAX`].
struct Counted {
    hash: blake3::Hasher,
    len: u64,
    start: Vec<u8>,
}

/// A writer that counts and hashes what it passes on.
struct Tee<'w, 'c> {
    inner: &'w mut dyn Write,
    counted: &'c mut Counted,
}

impl Write for Tee<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.counted.hash.update(&buf[..n]);
        self.counted.len += n as u64;
        let room = HEAD_MAX.saturating_sub(self.counted.start.len());
        self.counted.start.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
