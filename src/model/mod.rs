//! The one model of a guideline that everything reads: loaded and validated content.
//!
//! The loader (`content`) builds it, transforms may change it, and every renderer (the HTML
//! site, and later the JSON export, the FHIR Questionnaire and the search index) consumes it.

pub mod checklist;
pub mod local;
pub mod pages;

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use crate::base::source::{Origin, SourceFile};

/// A whole guideline: metadata, actors, literature, glossary and the numbered sections.
#[derive(Debug, Clone)]
pub struct Guideline {
    pub meta: Meta,
    /// Where `meta` was read from (`content/guideline.yaml`).
    pub meta_path: PathBuf,
    /// The interface strings and page file names of the guideline's language.
    pub interface: pages::Interface,
    pub roles: Vec<Role>,
    pub references: Vec<Reference>,
    pub glossary: Vec<GlossaryEntry>,
    /// In document order (chapters by number, then appendices).
    pub sections: Vec<Section>,
    /// Free-standing pages such as the accessibility statement.
    pub pages: Vec<Page>,
    /// Who refers whom and who reports back (`content/pathways.yaml`).
    pub pathways: Vec<Pathway>,
    /// The interventions and which actors deliver and refer to them (`content/interventions.yaml`).
    pub interventions: Vec<Intervention>,
    /// The ICF checklist of appendix 3 (`content/checklist.yaml`), if any.
    pub checklist: Option<checklist::Checklist>,
    /// Files under `content/figurer/`, as paths relative to that folder.
    pub figures: Vec<Asset>,
    /// Set when this is a local version: the national guideline with a region's overlays
    /// applied (see [`crate::local`]). `None` for the national guideline.
    pub local: Option<local::LocalInfo>,
}

/// `content/guideline.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: String,
    /// A short name for the installed site's icon (the web manifest's `short_name`); optional.
    #[serde(default)]
    pub short_name: Option<String>,
    pub publisher: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// What the content was made from (the national document).
    pub source: String,
    /// Publication date, as the publisher states it. Left empty when unknown.
    #[serde(default)]
    pub date: Option<String>,
    /// Version, as the publisher states it. Left empty when unknown.
    #[serde(default)]
    pub version: Option<String>,
    /// Target of the footer link "Tilgængelighedserklæring": a URL or a page of this site.
    pub accessibility_statement: String,
    /// Where the site will be published (normalised, with a trailing slash), for the sitemap,
    /// canonical links and the host configuration; `vejviser build --base-url` and
    /// `VEJVISER_BASE_URL` override it.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Interface strings this guideline words its own way, by key (the keys of the theme's
    /// `strings/<language>.yaml`), over the theme's.
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, String>,
}

fn default_language() -> String {
    "da".to_string()
}

/// An actor the guideline addresses (`content/roles.yaml`).
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The role this is a unit of (e.g. jobcenter is part of kommune).
    pub part_of: Option<String>,
    /// Words the text uses for this actor, to find passages that concern it.
    pub mentions: Vec<String>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub part_of_origin: Option<Origin>,
}

/// A cited work (`content/references.yaml`).
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub key: String,
    /// How the text cites it, e.g. "Sundhedsstyrelsen 2016".
    pub label: String,
    pub author: String,
    pub year: Option<u32>,
    pub note: Option<String>,
    pub url: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A term explained in the glossary (`content/glossary.yaml`).
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryEntry {
    pub term: String,
    pub aliases: Vec<String>,
    pub definition: String,
    /// Anchor on the glossary page.
    pub anchor: String,
    #[serde(skip)]
    pub origin: Origin,
}

/// Whether an edge of a pathway sends a patient on or reports back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathwayKind {
    Referral,
    ReportBack,
}

/// One referral or report-back the guideline describes, with the section that says so.
#[derive(Debug, Clone, Serialize)]
pub struct Pathway {
    pub id: String,
    pub from: String,
    pub to: String,
    pub kind: PathwayKind,
    pub purpose: String,
    /// REF 01, LÆ 165, henvisning, epikrise, tilbagemelding, …
    pub channel: String,
    pub condition: Option<String>,
    pub section: String,
    pub anchor: Option<String>,
    /// The owner of a local version that added this route; `None` for national pathways.
    pub local: Option<String>,
    #[serde(skip)]
    pub origins: PathwayOrigins,
}

/// Where the fields of a pathway entry are, for messages.
#[derive(Debug, Clone, Default)]
pub struct PathwayOrigins {
    pub id: Option<Origin>,
    pub from: Option<Origin>,
    pub to: Option<Origin>,
    pub section: Option<Origin>,
}

/// An intervention of chapter 4 and the actors that deliver it or refer to it (Figur 2).
#[derive(Debug, Clone, Serialize)]
pub struct Intervention {
    pub section: String,
    pub name: String,
    pub delivered_by: Vec<String>,
    pub referred_by: Vec<String>,
    pub sources: Vec<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// What part of the guideline a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Introduction,
    Population,
    Assessment,
    Intervention,
    Referral,
    FollowUp,
    Organisation,
    Appendix,
}

/// A section number as in the national document: "4.9.1" or appendix "3" (shown "Bilag 3").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionNumber {
    pub appendix: bool,
    pub parts: Vec<u32>,
}

impl SectionNumber {
    /// Parse "4.9.1" (or "3" for an appendix).
    pub fn parse(text: &str, appendix: bool) -> Option<Self> {
        let parts: Option<Vec<u32>> = text
            .split('.')
            .map(|p| {
                if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    p.parse().ok()
                }
            })
            .collect();
        let parts = parts?;
        if appendix && parts.len() != 1 {
            return None;
        }
        Some(SectionNumber { appendix, parts })
    }

    /// The number of the enclosing section, if any.
    pub fn parent(&self) -> Option<SectionNumber> {
        if self.appendix || self.parts.len() < 2 {
            return None;
        }
        Some(SectionNumber {
            appendix: false,
            parts: self.parts[..self.parts.len() - 1].to_vec(),
        })
    }

    /// 1 for a chapter or appendix, 2 for "4.9", …
    pub fn depth(&self) -> usize {
        self.parts.len()
    }

    /// The bare number, "4.9.1" or "3".
    pub fn plain(&self) -> String {
        self.parts
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl fmt::Display for SectionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.appendix {
            write!(f, "Bilag {}", self.plain())
        } else {
            f.write_str(&self.plain())
        }
    }
}

/// One numbered section of the guideline, from one Markdown file.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub number: SectionNumber,
    pub title: String,
    pub kind: Kind,
    pub roles: Vec<String>,
    /// The Markdown body (after the front matter).
    pub body: String,
    /// The file it came from, and where the body starts in it.
    pub file: SourceFile,
    pub body_offset: usize,
    /// Where the front matter's fields are, for messages.
    pub id_origin: Origin,
    pub number_origin: Origin,
    pub role_origins: Vec<Origin>,
    /// Set on a section a local version inserted; it shows this label instead of a number.
    pub local: Option<local::LocalSection>,
    /// Local text added to or replacing passages of this (national) section, each standing
    /// in for a placeholder in `body`.
    pub local_parts: Vec<local::LocalPart>,
}

impl Section {
    /// The number readers see: "4.9.1", "Bilag 3", or a local section's label ("L1").
    pub fn display_number(&self) -> String {
        match &self.local {
            Some(l) => l.label.clone(),
            None => self.number.to_string(),
        }
    }
}

/// A free-standing page (not part of the numbered guideline), from `content/pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub title: String,
    /// A summary for readers; the page says the national text is what applies.
    pub summary: bool,
    pub body: String,
    pub file: SourceFile,
    pub body_offset: usize,
    pub id_origin: Origin,
}

/// A file copied into the site as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to its content folder, with `/` separators.
    pub relative: String,
    pub path: PathBuf,
}

impl Guideline {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_and_order() {
        let a = SectionNumber::parse("4.9.1", false).unwrap();
        let b = SectionNumber::parse("4.10", false).unwrap();
        let c = SectionNumber::parse("1", true).unwrap();
        assert!(a < b && b < c);
        assert_eq!(a.parent().unwrap().to_string(), "4.9");
        assert_eq!(c.to_string(), "Bilag 1");
        assert!(SectionNumber::parse("4..1", false).is_none());
        assert!(SectionNumber::parse("4.a", false).is_none());
        assert!(SectionNumber::parse("1.2", true).is_none());
    }
}
