//! What a local version adds to the model: who owns it, its branding, and the annotations a
//! local section or a local part of a national section carries (see `crate::local`).

use std::path::PathBuf;

use serde::Serialize;

use super::Asset;
use crate::base::source::SourceFile;

/// What makes a guideline a local version: who owns it and how it differs.
#[derive(Debug, Clone)]
pub struct LocalInfo {
    pub slug: String,
    /// The local version's name, e.g. "Forløbsprogram for lænderygsmerter – Region Midtjylland".
    pub name: String,
    /// Who answers for the local text, e.g. "Region Midtjylland".
    pub owner: String,
    /// How to reach the owner, as the owner states it.
    pub contact: String,
    /// The national version the overlays were written against, as stated in the manifest.
    pub base_version: Option<String>,
    /// The local version's own published address (`base_url` in its manifest), normalised.
    pub base_url: Option<String>,
    /// The national site's address, when known: where the local copy of an unchanged national
    /// section points its canonical link.
    pub national_base_url: Option<String>,
    pub branding: Branding,
    /// The local version's folder.
    pub dir: PathBuf,
    /// Every deviation from the national text, in file order.
    pub deviations: Vec<Deviation>,
    /// Files under `filer/`, copied into the site as they are.
    pub files: Vec<Asset>,
}

/// How an overlay changes the national text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OverlayKind {
    /// Local text after a national passage (or at the end of a section).
    Add,
    /// A new local section after a national section.
    Insert,
    /// Local text instead of a national passage, with a stated reason.
    Replace,
}

impl OverlayKind {
    pub fn name(self) -> &'static str {
        match self {
            OverlayKind::Add => "add",
            OverlayKind::Insert => "insert",
            OverlayKind::Replace => "replace",
        }
    }
}

/// A section a local version inserted.
#[derive(Debug, Clone)]
pub struct LocalSection {
    /// Shown instead of a number: "L1", "L2", … (national numbers never shift).
    pub label: String,
    pub owner: String,
    /// The national section it follows.
    pub after: String,
    /// Its deviation (1-based index into [`LocalInfo::deviations`]).
    pub deviation: usize,
}

/// Local text inside a national section: added after a passage or replacing one. The
/// section's body holds [`LocalPart::marker`] where it goes.
#[derive(Debug, Clone)]
pub struct LocalPart {
    pub marker: String,
    pub kind: OverlayKind,
    pub owner: String,
    pub reason: Option<String>,
    /// The overlay's Markdown (untrusted: rendered, then sanitised).
    pub body: String,
    /// For a replacement: the national Markdown it stands in for.
    pub national: Option<String>,
    /// Its deviation (1-based index into [`LocalInfo::deviations`]).
    pub deviation: usize,
    /// The overlay file and where its body starts, for messages.
    pub file: SourceFile,
    pub body_offset: usize,
}

/// One deviation from the national text, for the "Lokale tilpasninger" page and the export.
#[derive(Debug, Clone)]
pub struct Deviation {
    pub index: usize,
    pub kind: OverlayKind,
    /// The overlay file, relative to the content folder, with `/`.
    pub source: String,
    /// The national section it concerns.
    pub section: String,
    /// For an insertion: the id of the new local section.
    pub local_section: Option<String>,
    /// The national passage the text follows (add) or replaces (replace); the whole section
    /// when no passage is named.
    pub national: Option<String>,
    pub body: String,
    pub reason: Option<String>,
    /// The national section changed since the overlay was pinned (or it was never pinned).
    pub stale: bool,
}

/// A local version's look: a name for the header, an accent colour, a logo.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    pub name: Option<String>,
    /// `#rrggbb`, dark enough for white text on it (contrast at least 4.5:1).
    pub colour: Option<String>,
    pub logo: Option<Asset>,
}
