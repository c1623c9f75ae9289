//! The JSON export of one site, written while its section pages are made: each slice's
//! sections give their entries (taken from the cache when their key is there, else made from
//! the body the page was rendered with), which are written in document order as soon as the
//! entries before them are, so that no body is kept for the export once its entry is made.

use std::collections::BTreeMap;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::base::diagnostics::Diagnostic;
use crate::cache::Digest;
use crate::export::{EntryWriter, Sections};
use crate::markdown::LinkContext;
use crate::render::{BlockSpan, Site};

/// A section's entry of the export and its digest.
type Entry = (Vec<u8>, Digest);

/// The entries of one site's export on their way into its file.
pub struct Export<'s, 'a> {
    site: &'s Site<'a>,
    sections: Sections<'a>,
    links: LinkContext<'s>,
    /// The section whose entry is to be written next.
    next: usize,
    /// Entries (with their digests) made before those ahead of them.
    pending: BTreeMap<usize, Entry>,
    /// Where each written entry is in the file (for the cache).
    spans: Vec<BlockSpan>,
}

impl<'s, 'a> Export<'s, 'a> {
    pub fn new(site: &'s Site<'a>) -> Self {
        Export {
            site,
            sections: Sections::new(site.g, &site.appendix),
            links: site.links(),
            next: 0,
            pending: BTreeMap::new(),
            spans: Vec::new(),
        }
    }

    /// Make the entries of the sections in `bodies` (each with its body when its page was
    /// rendered) and write every entry whose turn has come; the problems, if any.
    pub fn add<W: Write + ?Sized>(
        &mut self,
        out: &mut EntryWriter<'_, W>,
        bodies: Vec<(usize, Option<String>)>,
    ) -> io::Result<Vec<Diagnostic>> {
        let made: Vec<Result<(usize, Entry), Diagnostic>> = bodies
            .into_par_iter()
            .map(|(i, body)| self.entry(i, body).map(|e| (i, e)))
            .collect();
        let made = match crate::render::collect(made) {
            Ok(made) => made,
            Err(errors) => return Ok(errors),
        };
        self.pending.extend(made);
        while let Some((entry, digest)) = self.pending.remove(&self.next) {
            let at = out.entry(&entry)?;
            self.spans.push((digest, at, entry.len() as u64));
            self.next += 1;
        }
        Ok(Vec::new())
    }

    /// Section `i`'s entry and its digest: the cache's, or made from `body` (rendered here
    /// when the page came from the cache).
    fn entry(&self, i: usize, body: Option<String>) -> Result<Entry, Diagnostic> {
        let site = self.site;
        let key = crate::render::export_key(site, &self.links, i, self.sections.parent(i));
        let key = site.cache().zip(key);
        if let Some(recalled) = key.and_then(|(cache, key)| cache.recall_one(&key)) {
            return Ok(recalled);
        }
        let html = match body {
            Some(html) => html,
            None => crate::render::page_body(site, &self.links, i)?,
        };
        let (html, text) = crate::export::body(html);
        let entry = self.sections.entry(i, &html, &text);
        let digest = Digest::of(&entry);
        if let Some((cache, key)) = key {
            cache.remember(key, vec![(String::new(), digest)]);
        }
        Ok((entry, digest))
    }

    /// After the file with digest `file` was written: remember where its entries are.
    pub fn finish(self, file: Option<Digest>) {
        if let (Some(cache), Some(file)) = (self.site.cache(), file) {
            cache.remember_spans(file, self.spans);
        }
    }
}
