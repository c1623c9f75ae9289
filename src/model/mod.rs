//! The one model of a guideline that everything reads: loaded and validated content.
//!
//! The loader (`content`) builds it, transforms may change it, and every renderer (the HTML
//! site, and later the JSON export, the FHIR Questionnaire and the search index) consumes it.

pub mod checklist;
pub mod local;
pub mod outline;
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
    /// Target of the footer link to the accessibility statement: a URL or a page of this
    /// site. No link when absent.
    #[serde(default)]
    pub accessibility_statement: Option<String>,
    /// The section kinds this guideline uses; empty (or absent) means [`Kind::BUILT_IN`].
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// Markdown shown on the front page, introducing the guideline.
    #[serde(default)]
    pub introduction: Option<String>,
    /// One line in every page's footer, e.g. whose text it is.
    #[serde(default)]
    pub attribution: Option<String>,
    /// Where the site will be published (normalised, with a trailing slash), for the sitemap,
    /// canonical links and the host configuration; `vejviser build --base-url` and
    /// `VEJVISER_BASE_URL` override it.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Interface strings this guideline words its own way, by key (the keys of the theme's
    /// `strings/<language>.yaml`), over the theme's.
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, String>,
    /// The kinds whose sections a role page lists as what the role does; absent: the
    /// default ([`Meta::activity_kinds`]).
    #[serde(default)]
    pub role_activity_kinds: Option<Vec<Kind>>,
}

impl Meta {
    /// The kinds whose sections count as what a role does: `role_activity_kinds`, or by
    /// default interventions and recommendations.
    pub fn activity_kinds(&self) -> Vec<Kind> {
        self.role_activity_kinds.clone().unwrap_or_else(|| {
            ["intervention", "recommendation"]
                .iter()
                .filter_map(|k| Kind::new(k))
                .collect()
        })
    }
}

fn default_language() -> String {
    "da".to_string()
}

impl Meta {
    /// The section kinds a section may have: those declared, or the built-in ones; `appendix`
    /// always.
    pub fn kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = if self.kinds.is_empty() {
            Kind::BUILT_IN.to_vec()
        } else {
            self.kinds.iter().map(Kind::as_str).collect()
        };
        if !kinds.contains(&Kind::APPENDIX) {
            kinds.push(Kind::APPENDIX);
        }
        kinds
    }
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

/// What part of the guideline a section is: a lowercase slug (`[a-z][a-z0-9-]*`), one of
/// the kinds the guideline declares (`kinds:` in `guideline.yaml`) or, when it declares none,
/// of [`Kind::BUILT_IN`]. `appendix` is always allowed and numbers the section as an appendix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Kind(String);

impl Kind {
    /// The kinds a guideline has when it declares none.
    pub const BUILT_IN: &'static [&'static str] = &[
        "introduction",
        "population",
        "assessment",
        "intervention",
        "referral",
        "follow-up",
        "organisation",
        "appendix",
        "recommendation",
    ];

    /// The kind that numbers a section as an appendix.
    pub const APPENDIX: &'static str = "appendix";

    /// `text` as a kind, if it is a lowercase slug.
    pub fn new(text: &str) -> Option<Kind> {
        is_kind_slug(text).then(|| Kind(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the kind `name`.
    pub fn is(&self, name: &str) -> bool {
        self.0 == name
    }

    pub fn is_appendix(&self) -> bool {
        self.is(Self::APPENDIX)
    }
}

/// The part of every role page a section (with its subsections) is the source of, set by its
/// front matter `role_page:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RolePart {
    Responsibilities,
    Communication,
    FollowUp,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Kind::new(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a section kind: a kind is a lowercase slug ([a-z][a-z0-9-]*), e.g. recommendation"
            ))
        })
    }
}

/// `[a-z][a-z0-9-]*`, at most 100 bytes.
fn is_kind_slug(s: &str) -> bool {
    s.len() <= 100
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A section number as in the national document: "4.9.1", or an appendix's "3", "A", "A.1"
/// (shown with the interface's word for appendix, "Bilag 3", "Appendix A.1").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionNumber {
    pub appendix: bool,
    /// The first part is written in capital letters, counted A = 1 … Z = 26, AA = 27 … ZZ
    /// (only for an appendix).
    pub lettered: bool,
    pub parts: Vec<u32>,
}

impl SectionNumber {
    /// Parse "4.9.1"; for an appendix "3", "A", "A.1" or "3.1" (one or two capital letters
    /// or digits first, then digits).
    pub fn parse(text: &str, appendix: bool) -> Option<Self> {
        let mut lettered = false;
        let mut parts = Vec::new();
        for (i, p) in text.split('.').enumerate() {
            let letters = i == 0
                && appendix
                && (1..=2).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_uppercase());
            if letters {
                lettered = true;
                parts.push(p.bytes().fold(0, |n, b| n * 26 + u32::from(b - b'A') + 1));
            } else if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            } else {
                parts.push(p.parse().ok()?);
            }
        }
        Some(SectionNumber {
            appendix,
            lettered,
            parts,
        })
    }

    /// The number of the enclosing section, if any.
    pub fn parent(&self) -> Option<SectionNumber> {
        if self.parts.len() < 2 {
            return None;
        }
        Some(SectionNumber {
            parts: self.parts[..self.parts.len() - 1].to_vec(),
            ..self.clone()
        })
    }

    /// Whether this is a subsection (at any depth) of `parent`.
    pub fn is_within(&self, parent: &SectionNumber) -> bool {
        self.appendix == parent.appendix
            && self.lettered == parent.lettered
            && self.parts.len() > parent.parts.len()
            && self.parts.starts_with(&parent.parts)
    }

    /// 1 for a chapter or appendix, 2 for "4.9", …
    pub fn depth(&self) -> usize {
        self.parts.len()
    }

    /// The bare number, "4.9.1", "3" or "A.1".
    pub fn plain(&self) -> String {
        self.parts
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                if i == 0 && self.lettered {
                    letters(n)
                } else {
                    n.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The number as readers see it, with `appendix_word` (the interface's word, "Bilag")
    /// before an appendix's: "4.9.1", "Bilag 3", "Bilag A.1".
    pub fn shown(&self, appendix_word: &str) -> String {
        if self.appendix {
            format!("{appendix_word} {}", self.plain())
        } else {
            self.plain()
        }
    }
}

/// 1 → "A", 26 → "Z", 27 → "AA" (bijective base 26).
fn letters(mut n: u32) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        out.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One section of the guideline, from one Markdown file.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    /// `None` for an unnumbered section (a chapter, or a subsection of [`parent`](Self::parent)).
    pub number: Option<SectionNumber>,
    /// Empty for an untitled section (it shows its number, and [`excerpt`](Self::excerpt) in
    /// lists).
    pub title: String,
    /// The first words of the body, for an untitled section's links and table of contents.
    pub excerpt: String,
    pub kind: Kind,
    /// The id of the enclosing section an unnumbered section names (`parent:`); a numbered
    /// section's parent follows from its number.
    pub parent: Option<String>,
    pub roles: Vec<String>,
    /// `role_page:`: the part of the role pages this section and its subsections feed.
    pub role_page: Option<RolePart>,
    /// The Markdown body (after the front matter).
    pub body: String,
    /// The file it came from, and where the body starts in it.
    pub file: SourceFile,
    pub body_offset: usize,
    /// Where the front matter's fields are, for messages (`number_origin` is the id's for an
    /// unnumbered section).
    pub id_origin: Origin,
    pub number_origin: Origin,
    pub kind_origin: Origin,
    pub parent_origin: Option<Origin>,
    pub role_origins: Vec<Origin>,
    /// Set on a section a local version inserted; it shows this label instead of a number.
    pub local: Option<local::LocalSection>,
    /// Local text added to or replacing passages of this (national) section, each standing
    /// in for a placeholder in `body`.
    pub local_parts: Vec<local::LocalPart>,
}

impl Section {
    /// The number readers see: "4.9.1", "Bilag 3" (`appendix_word` is the interface's word),
    /// a local section's label ("L1"), or nothing for an unnumbered section.
    pub fn display_number(&self, appendix_word: &str) -> String {
        match (&self.local, &self.number) {
            (Some(l), _) => l.label.clone(),
            (None, Some(n)) => n.shown(appendix_word),
            (None, None) => String::new(),
        }
    }

    /// The title, or for an untitled section the first words of its text: what links and
    /// the table of contents show beside the number.
    pub fn link_title(&self) -> &str {
        if self.title.is_empty() {
            &self.excerpt
        } else {
            &self.title
        }
    }

    /// How messages name the section: "4.9.1 Title", "appendix A Title", or the title alone.
    pub fn described(&self) -> String {
        let number = self
            .number
            .as_ref()
            .map(|n| n.shown("appendix"))
            .unwrap_or_default();
        format!("{number} {}", self.link_title()).trim().to_string()
    }

    /// Whether this is an appendix (or a part of one).
    pub fn is_appendix(&self) -> bool {
        self.number
            .as_ref()
            .map_or(self.kind.is_appendix(), |n| n.appendix)
    }
}

/// A free-standing page (not part of the numbered guideline), from `content/pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub title: String,
    /// A summary for readers; the page says the national text is what applies.
    pub summary: bool,
    /// The text of its link in the site's navigation, if it has one (`nav:`).
    pub nav: Option<String>,
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

    /// Whether the site has the page of `kind`: a page that shows data only when there is
    /// some (the roles, the pathways or interventions, the checklist, the references, the
    /// glossary; the deviations on a local site), every other page always. Render steps,
    /// navigation links, the sitemap and the search index all follow from this.
    pub fn has_page(&self, kind: pages::PageKind) -> bool {
        use pages::PageKind as K;
        match kind {
            K::Roles | K::Role => !self.roles.is_empty(),
            K::Pathways => !self.pathways.is_empty() || !self.interventions.is_empty(),
            K::Checklist => self.checklist.is_some(),
            K::References => !self.references.is_empty(),
            K::Glossary => !self.glossary.is_empty(),
            K::Deviations => self.local.is_some(),
            K::Page => !self.pages.is_empty(),
            K::Index | K::Toc | K::Section | K::Print | K::NotFound | K::Search | K::Sitemap => {
                true
            }
        }
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
        assert_eq!(a.parent().unwrap().plain(), "4.9");
        assert_eq!(c.shown("Bilag"), "Bilag 1");
        assert_eq!(a.shown("Bilag"), "4.9.1");
        assert!(SectionNumber::parse("4..1", false).is_none());
        assert!(SectionNumber::parse("4.a", false).is_none());
        assert!(SectionNumber::parse("A", false).is_none());
        assert!(SectionNumber::parse("A.B", true).is_none());
        assert!(SectionNumber::parse("ABC", true).is_none());
        assert!(SectionNumber::parse("a", true).is_none());
    }

    #[test]
    fn lettered_appendices_have_subsections() {
        let a = SectionNumber::parse("A", true).unwrap();
        let a1 = SectionNumber::parse("A.1", true).unwrap();
        let b = SectionNumber::parse("B", true).unwrap();
        let z = SectionNumber::parse("Z", true).unwrap();
        let aa = SectionNumber::parse("AA", true).unwrap();
        let three = SectionNumber::parse("3", true).unwrap();
        let three1 = SectionNumber::parse("3.1", true).unwrap();
        assert!(a < a1 && a1 < b && b < z && z < aa);
        assert_eq!(a1.parent(), Some(a.clone()));
        assert!(a1.is_within(&a) && !b.is_within(&a));
        assert_eq!(three1.parent(), Some(three.clone()));
        assert_ne!(three, SectionNumber::parse("C", true).unwrap());
        assert_eq!(a1.shown("Appendix"), "Appendix A.1");
        assert_eq!(aa.plain(), "AA");
        assert_eq!(z.plain(), "Z");
        assert_eq!(SectionNumber::parse("ZZ", true).unwrap().plain(), "ZZ");
    }

    #[test]
    fn kinds_are_slugs() {
        assert!(Kind::new("recommendation").is_some());
        assert!(Kind::new("follow-up").is_some());
        assert!(Kind::new("r2").is_some());
        for bad in ["", "Recommendation", "2x", "-x", "a b", "æble"] {
            assert!(Kind::new(bad).is_none(), "{bad}");
        }
        assert!(Kind::new("appendix").unwrap().is_appendix());
    }
}
