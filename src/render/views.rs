//! What the templates see: plain serialisable views of the guideline, built once per site.

use std::collections::HashMap;

use serde::Serialize;

use crate::base::text::LanguageCollator;
use crate::check::Checked;
use crate::markdown::{GlossaryMatcher, LinkTarget, Token};
use crate::model::outline::Outline;
use crate::model::{pages, Guideline, Reference, Section};

/// A link as templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub url: String,
    /// "4.9.1", "Bilag 3", a local section's label ("L1"), or empty (unnumbered).
    pub number: String,
    /// The title, or an untitled section's first words.
    pub title: String,
    /// The owner, when this is a section a local version inserted.
    pub local: Option<String>,
}

/// One line of the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub url: String,
    pub id: String,
    pub number: String,
    pub title: String,
    pub depth: usize,
    pub appendix: bool,
    /// The owner, when this is a section a local version inserted.
    pub local: Option<String>,
    /// The national section has local additions or replacements.
    pub adapted: bool,
}

/// The site-wide facts shown on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub publisher: String,
    pub source: String,
    pub date: Option<String>,
    pub version: Option<String>,
    pub language: String,
    /// The footer link's target; no link when absent.
    pub accessibility_statement: Option<String>,
    /// The front page's introduction as HTML (`guideline.yaml`'s `introduction`).
    pub introduction_html: Option<String>,
    /// Whether that HTML is blocks (paragraphs, lists) rather than one paragraph's inline HTML.
    pub introduction_blocks: bool,
    /// The footer's line about the content (`guideline.yaml`'s `attribution`).
    pub attribution: Option<String>,
}

/// A cited work with the sections that cite it.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    #[serde(flatten)]
    pub reference: Reference,
    pub cited_in: Vec<Link>,
}

/// A glossary entry with its definition as HTML.
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryView {
    pub term: String,
    pub anchor: String,
    pub aliases: Vec<String>,
    pub definition_html: String,
}

/// Cross-section facts computed once: link targets, backlinks, citations.
pub struct SiteIndex {
    pub targets: HashMap<String, LinkTarget>,
    pub references: HashMap<String, String>,
    pub glossary: GlossaryMatcher,
    /// Section id → sections that link to it (document order, no duplicates).
    pub backlinks: HashMap<String, Vec<usize>>,
    /// Reference key → sections that cite it.
    pub cited_in: HashMap<String, Vec<usize>>,
}

impl SiteIndex {
    /// `appendix` is the interface's word before an appendix's number.
    pub fn new(g: &Guideline, checked: &Checked, appendix: &str) -> Self {
        let targets = g
            .sections
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    LinkTarget {
                        number: s.display_number(appendix),
                        title: s.link_title().to_string(),
                    },
                )
            })
            .collect();
        let references = g
            .references
            .iter()
            .map(|r| (r.key.clone(), r.label.clone()))
            .collect();
        let glossary = GlossaryMatcher::new(
            &g.glossary
                .iter()
                .map(|e| {
                    let mut spellings = vec![e.term.clone()];
                    spellings.extend(e.aliases.iter().cloned());
                    (spellings, e.anchor.clone())
                })
                .collect::<Vec<_>>(),
        );
        let mut backlinks: HashMap<String, Vec<usize>> = HashMap::new();
        let mut cited_in: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, analysis) in checked.sections.iter().enumerate() {
            for (_, token) in &analysis.tokens {
                let (map, key) = match token {
                    Token::XRef { target, .. } if *target != g.sections[i].id => {
                        (&mut backlinks, target)
                    }
                    Token::Cite { key, .. } => (&mut cited_in, key),
                    _ => continue,
                };
                let list = map.entry(key.clone()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        SiteIndex {
            targets,
            references,
            glossary,
            backlinks,
            cited_in,
        }
    }
}

pub fn site_view(g: &Guideline) -> SiteView {
    let introduction = given(&g.meta.introduction).map(|t| crate::markdown::render_snippet(&t));
    SiteView {
        title: g.meta.title.clone(),
        publisher: g.meta.publisher.clone(),
        source: g.meta.source.clone(),
        date: g.meta.date.clone().filter(|d| !d.trim().is_empty()),
        version: g.meta.version.clone().filter(|v| !v.trim().is_empty()),
        language: g.meta.language.clone(),
        accessibility_statement: given(&g.meta.accessibility_statement),
        introduction_html: introduction.clone(),
        introduction_blocks: introduction.as_deref().is_some_and(|h| {
            [
                "<p>",
                "<ul>",
                "<ol",
                "<h",
                "<blockquote>",
                "<pre>",
                "<table>",
                "<div",
                "<dl>",
            ]
            .iter()
            .any(|t| h.starts_with(t))
        }),
        attribution: given(&g.meta.attribution),
    }
}

/// A text of `guideline.yaml` the guideline may leave out: `None` when absent or blank.
fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// A link to section `s`; `appendix` is the interface's word before an appendix's number.
/// A free-standing page linked from the site's navigation (its front matter's `nav:`).
#[derive(Debug, Clone, Serialize)]
pub struct NavPage {
    pub url: String,
    pub label: String,
}

/// The pages that ask for a link in the navigation, in the order of `g.pages` (file names).
pub fn nav_pages(g: &Guideline) -> Vec<NavPage> {
    g.pages
        .iter()
        .filter_map(|p| {
            let label = p.nav.as_deref()?.trim();
            (!label.is_empty()).then(|| NavPage {
                url: g.interface.names.item_file(pages::PageKind::Page, &p.id),
                label: label.to_string(),
            })
        })
        .collect()
}

pub fn section_link(s: &Section, appendix: &str) -> Link {
    Link {
        url: pages::section_file(&s.id),
        number: s.display_number(appendix),
        title: s.link_title().to_string(),
        local: s.local.as_ref().map(|l| l.owner.clone()),
    }
}

/// The table of contents; `appendix` is the interface's word before an appendix's number.
pub fn toc(g: &Guideline, outline: &Outline, appendix: &str) -> Vec<TocEntry> {
    g.sections
        .iter()
        .enumerate()
        .map(|(i, s)| TocEntry {
            url: pages::section_file(&s.id),
            id: s.id.clone(),
            number: s.display_number(appendix),
            title: s.link_title().to_string(),
            depth: outline.depth[i],
            appendix: s.is_appendix(),
            local: s.local.as_ref().map(|l| l.owner.clone()),
            adapted: !s.local_parts.is_empty(),
        })
        .collect()
}

pub fn references(g: &Guideline, index: &SiteIndex, appendix: &str) -> Vec<ReferenceView> {
    let collator = LanguageCollator::new(&g.meta.language);
    let mut refs: Vec<ReferenceView> = g
        .references
        .iter()
        .map(|r| ReferenceView {
            reference: r.clone(),
            cited_in: index
                .cited_in
                .get(&r.key)
                .map(|v| {
                    v.iter()
                        .map(|&i| section_link(&g.sections[i], appendix))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    refs.sort_by(|a, b| collator.compare(&a.reference.label, &b.reference.label));
    refs
}

pub fn glossary(g: &Guideline) -> Vec<GlossaryView> {
    let collator = LanguageCollator::new(&g.meta.language);
    let mut entries: Vec<GlossaryView> = g
        .glossary
        .iter()
        .map(|e| GlossaryView {
            term: e.term.clone(),
            anchor: e.anchor.clone(),
            aliases: e.aliases.clone(),
            definition_html: crate::markdown::render_snippet(&e.definition),
        })
        .collect();
    entries.sort_by(|a, b| collator.compare(&a.term, &b.term));
    entries
}
