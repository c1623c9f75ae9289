//! What the templates see: plain serialisable views of the guideline, built once per site.

use std::collections::HashMap;

use serde::Serialize;

use crate::base::text::LanguageCollator;
use crate::check::Checked;
use crate::markdown::{GlossaryMatcher, LinkTarget, Token};
use crate::model::{pages, Guideline, Reference, Section};

/// A link as templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub url: String,
    /// "4.9.1", "Bilag 3", or a local section's label ("L1").
    pub number: String,
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
    pub accessibility_statement: String,
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
    pub fn new(g: &Guideline, checked: &Checked) -> Self {
        let targets = g
            .sections
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    LinkTarget {
                        number: s.display_number(),
                        title: s.title.clone(),
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
    SiteView {
        title: g.meta.title.clone(),
        publisher: g.meta.publisher.clone(),
        source: g.meta.source.clone(),
        date: g.meta.date.clone().filter(|d| !d.trim().is_empty()),
        version: g.meta.version.clone().filter(|v| !v.trim().is_empty()),
        language: g.meta.language.clone(),
        accessibility_statement: g.meta.accessibility_statement.clone(),
    }
}

pub fn section_link(s: &Section) -> Link {
    Link {
        url: pages::section_file(&s.id),
        number: s.display_number(),
        title: s.title.clone(),
        local: s.local.as_ref().map(|l| l.owner.clone()),
    }
}

pub fn toc(g: &Guideline) -> Vec<TocEntry> {
    g.sections
        .iter()
        .map(|s| TocEntry {
            url: pages::section_file(&s.id),
            id: s.id.clone(),
            number: s.display_number(),
            title: s.title.clone(),
            depth: s.number.depth(),
            appendix: s.number.appendix,
            local: s.local.as_ref().map(|l| l.owner.clone()),
            adapted: !s.local_parts.is_empty(),
        })
        .collect()
}

pub fn references(g: &Guideline, index: &SiteIndex) -> Vec<ReferenceView> {
    let collator = LanguageCollator::new(&g.meta.language);
    let mut refs: Vec<ReferenceView> = g
        .references
        .iter()
        .map(|r| ReferenceView {
            reference: r.clone(),
            cited_in: index
                .cited_in
                .get(&r.key)
                .map(|v| v.iter().map(|&i| section_link(&g.sections[i])).collect())
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
