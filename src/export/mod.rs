//! The whole guideline as one JSON document for other programs, with its JSON Schema.
//!
//! [`document`] turns a validated [`Guideline`] and the rendered body of each section into a
//! typed [`Document`] (one `#[derive(Serialize)]` struct per JSON object, in `types.rs`):
//! metadata, sections (with HTML, plain text, cross-references, citations and footnotes), roles,
//! pathways, interventions, the ICF checklist, the glossary and the references. Arrays keep the
//! model's order and object keys are written in sorted order, so the same guideline always gives
//! the same bytes. [`SCHEMA_VERSION`] is the version of the document's structure (semver:
//! additive changes bump the minor version, breaking changes the major version) and must match
//! the schema's `schemaVersion` pattern.

use std::io::{self, Write};

use rayon::prelude::*;
use serde_json::Value;

use crate::base::output::OutputFile;
use crate::model::Guideline;

mod types;

pub use types::{Document, Sections};

/// Version of the document's structure (not of the guideline's content).
pub const SCHEMA_VERSION: &str = "1.2.0";

/// The JSON Schema describing the document, as shipped in `schema/guideline.schema.json`.
pub const SCHEMA: &str = include_str!("../../schema/guideline.schema.json");

// The document's file name in the built site, and its schema's next to it (the document's
// `$schema`), are the language's: `PageNames::export` and `PageNames::export_schema`.

/// The guideline as the typed document. `rendered` holds, per section in `g.sections` order,
/// the section body's HTML and its plain text (see [`body`]); a missing entry gives empty
/// strings.
/// `appendix` is the interface's word before an appendix's number, as the site shows it.
pub fn document<'a>(
    g: &'a Guideline,
    rendered: &'a [(String, String)],
    appendix: &str,
) -> Document<'a> {
    Document::new(g, rendered, appendix)
}

/// The guideline as a JSON value: [`document`], for programs that look into it.
pub fn guideline_json(g: &Guideline, rendered: &[(String, String)], appendix: &str) -> Value {
    // The document's types serialise infallibly (no maps, no fallible `Serialize` impls).
    serde_json::to_value(document(g, rendered, appendix)).unwrap_or_default()
}

/// A section body's rendered HTML with its plain text, as [`document`] takes them.
pub fn body(html: String) -> (String, String) {
    let text = crate::markdown::plain::from_html(&html);
    (html, text)
}

/// The document, pretty-printed with a final newline, written into `out` as it is serialised
/// (the document is never held whole: at 10,000 sections it is over 100 MB). `appendix` is
/// the interface's word before an appendix's number. Only `out`'s errors are returned (the
/// document's types serialise infallibly).
pub fn write_document(
    g: &Guideline,
    rendered: &[(String, String)],
    appendix: &str,
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    let sections = Sections::new(g, appendix);
    let n = g.sections.len();
    let mut w = EntryWriter::start(g, n, out)?;
    for start in (0..n).step_by(ENTRY_CHUNK) {
        let entries: Vec<Vec<u8>> = (start..(start + ENTRY_CHUNK).min(n))
            .into_par_iter()
            .map(|i| {
                let (html, text) = types::body_of(rendered, i);
                sections.entry(i, html, text)
            })
            .collect();
        for e in &entries {
            w.entry(e)?;
        }
    }
    w.finish()
}

/// How many sections' entries are made side by side before they are written (a small part of
/// a large document is held at a time).
pub const ENTRY_CHUNK: usize = 512;

/// How deep a section's entry is indented in the document (`{"sections": [ {…} ]}`).
const ENTRY_INDENT: &str = "    ";

/// Writes the document a section entry at a time: `sections` is the document's last key, so
/// the rest of the document comes first, then the entries as they are made.
pub struct EntryWriter<'w, W: Write + ?Sized> {
    out: &'w mut W,
    /// Bytes written so far.
    at: u64,
    /// Entries still to come.
    left: usize,
    /// Whether an entry was written (the next one is preceded by a comma).
    started: bool,
    /// Whether the document is already whole (it has no sections).
    closed: bool,
}

impl<'w, W: Write + ?Sized> EntryWriter<'w, W> {
    /// Write the document up to its sections into `out`; `count` entries are to follow.
    pub fn start(g: &Guideline, count: usize, out: &'w mut W) -> io::Result<Self> {
        let frame = serde_json::to_vec_pretty(&Document::frame(g)).unwrap_or_default();
        let empty = b"[]\n}";
        let head = match frame.strip_suffix(empty.as_slice()) {
            Some(head) if count > 0 => head,
            _ => {
                out.write_all(&frame)?;
                out.write_all(b"\n")?;
                let at = frame.len() as u64 + 1;
                return Ok(EntryWriter {
                    out,
                    at,
                    left: 0,
                    started: false,
                    closed: true,
                });
            }
        };
        out.write_all(head)?;
        out.write_all(b"[\n")?;
        let at = head.len() as u64 + 2;
        Ok(EntryWriter {
            out,
            at,
            left: count,
            started: false,
            closed: false,
        })
    }

    /// Write the next entry; where it starts.
    pub fn entry(&mut self, entry: &[u8]) -> io::Result<u64> {
        if self.left == 0 {
            return Err(io::Error::other(
                "more section entries than the document has sections",
            ));
        }
        if self.started {
            self.out.write_all(b",\n")?;
            self.at += 2;
        }
        self.started = true;
        self.left -= 1;
        let start = self.at;
        self.out.write_all(entry)?;
        self.at += entry.len() as u64;
        Ok(start)
    }

    /// Close the document (after every entry).
    pub fn finish(self) -> io::Result<()> {
        if self.left > 0 {
            return Err(io::Error::other(
                "fewer section entries than the document has sections",
            ));
        }
        if !self.closed {
            self.out.write_all(b"\n  ]\n}\n")?;
        }
        Ok(())
    }
}

/// The document ([`write_document`]) and its schema as files of the site (named in the site's
/// language: `retningslinje.json`, `guideline.json`); `appendix` is the interface's word
/// before an appendix's number.
pub fn output_files(
    g: &Guideline,
    rendered: &[(String, String)],
    appendix: &str,
) -> Vec<OutputFile> {
    let mut json = Vec::new();
    // Writing into a Vec cannot fail, and serialising cannot either (see `write_document`).
    let _ = write_document(g, rendered, appendix, &mut json);
    vec![
        OutputFile::asset(g.interface.names.export(), json),
        OutputFile::asset(
            g.interface.names.export_schema(),
            SCHEMA.as_bytes().to_vec(),
        ),
    ]
}
