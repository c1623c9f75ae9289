//! The JSON document's types: one `#[derive(Serialize)]` struct per object of
//! `schema/guideline.schema.json`, borrowing from the model, each built from the model's type.
//!
//! Key order: before the document was typed it was built with `serde_json::json!`, whose objects
//! (serde_json's `Map`, a `BTreeMap` without the `preserve_order` feature, which nothing in this
//! crate's dependency tree enables) are written with their keys sorted by bytes. To keep the
//! output byte for byte, every struct declares its fields in the sorted order of their JSON names
//! (after `rename_all = "camelCase"`: `"localParts"` after `"local"`, `"schemaVersion"` before
//! `"sections"`, `"$schema"` first), so they are written directly in that order. A field declared
//! out of order fails tests/export.rs and tests/export_site.rs, which compare the written bytes
//! with the document re-serialised from a `serde_json::Value`.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use serde::{Serialize, Serializer};

use super::SCHEMA_VERSION;
use crate::markdown::plain::{footnotes, from_markdown_collapsed};
use crate::markdown::{analyze, Analysis, Token};
use crate::model::checklist;
use crate::model::local::{self as local_model, OverlayKind};
use crate::model::{self, Guideline, Kind, PathwayKind};

/// The whole document: `retningslinje.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    checklist: Option<Checklist<'a>>,
    glossary: Vec<GlossaryEntry<'a>>,
    interventions: Vec<Intervention<'a>>,
    /// `false` for the national guideline; the owner and every deviation for a local version.
    #[serde(serialize_with = "false_if_none")]
    local: Option<Local<'a>>,
    meta: Meta<'a>,
    pathways: Vec<Pathway<'a>>,
    references: Vec<Reference<'a>>,
    roles: Vec<Role<'a>>,
    schema_version: &'static str,
    sections: Vec<Section<'a>>,
}

impl<'a> Document<'a> {
    /// See [`super::document`].
    pub(super) fn new(g: &'a Guideline, rendered: &'a [(String, String)], appendix: &str) -> Self {
        let sections = Sections::new(g, appendix);
        // Each section's body is parsed again for its references and footnotes: side by side.
        let sections = (0..g.sections.len())
            .into_par_iter()
            .map(|i| {
                let (html, text) = body_of(rendered, i);
                sections.section(i, html, text)
            })
            .collect();
        Document {
            sections,
            ..Document::frame(g)
        }
    }

    /// The document without its sections.
    pub(super) fn frame(g: &'a Guideline) -> Self {
        Document {
            schema: g.interface.names.export_schema(),
            checklist: g.checklist.as_ref().map(Checklist::from),
            glossary: g.glossary.iter().map(GlossaryEntry::from).collect(),
            interventions: g.interventions.iter().map(Intervention::from).collect(),
            local: g.local.as_ref().map(Local::from),
            meta: Meta::from(&g.meta),
            pathways: g.pathways.iter().map(Pathway::from).collect(),
            references: g.references.iter().map(Reference::from).collect(),
            roles: g.roles.iter().map(Role::from).collect(),
            schema_version: SCHEMA_VERSION,
            sections: Vec::new(),
        }
    }
}

/// Section `i`'s body HTML and plain text in `rendered` (empty when it has none).
pub(super) fn body_of(rendered: &[(String, String)], i: usize) -> (&str, &str) {
    rendered
        .get(i)
        .map_or(("", ""), |(h, t)| (h.as_str(), t.as_str()))
}

/// What the document's sections are made with besides their own bodies: what links show and
/// the outline (each section's parent).
pub struct Sections<'a> {
    g: &'a Guideline,
    shown: Shown<'a>,
    outline: model::outline::Outline,
    appendix: String,
}

impl<'a> Sections<'a> {
    /// `appendix` is the interface's word before an appendix's number, as the site shows it.
    pub fn new(g: &'a Guideline, appendix: &str) -> Self {
        Sections {
            g,
            shown: Shown::new(g, appendix),
            outline: model::outline::Outline::of(&g.sections),
            appendix: appendix.to_string(),
        }
    }

    /// The id of section `i`'s parent, if it has one.
    pub fn parent(&self, i: usize) -> Option<&'a str> {
        let g = self.g;
        self.outline
            .parent
            .get(i)
            .copied()
            .flatten()
            .map(|p| g.sections[p].id.as_str())
    }

    /// Section `i` of the document, with its body's `html` and plain `text`.
    fn section<'b>(&self, i: usize, html: &'b str, text: &'b str) -> Section<'b>
    where
        'a: 'b,
    {
        let s = &self.g.sections[i];
        Section::new(s, self.parent(i), html, text, &self.shown, &self.appendix)
    }

    /// Section `i`'s entry in the `sections` array as [`super::write_document`] writes it
    /// (pretty-printed at its depth, without the comma between entries).
    pub fn entry(&self, i: usize, html: &str, text: &str) -> Vec<u8> {
        let section = self.section(i, html, text);
        // The types serialise infallibly (see `guideline_json`).
        let flat = serde_json::to_vec_pretty(&section).unwrap_or_default();
        let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
        for line in flat.split(|&b| b == b'\n') {
            if !out.is_empty() {
                out.push(b'\n');
            }
            out.extend_from_slice(super::ENTRY_INDENT.as_bytes());
            out.extend_from_slice(line);
        }
        out
    }
}

/// `Some` as the value, `None` as `false`.
fn false_if_none<T: Serialize, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => v.serialize(s),
        None => s.serialize_bool(false),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    date: Option<&'a str>,
    language: &'a str,
    publisher: &'a str,
    source: &'a str,
    title: &'a str,
    version: Option<&'a str>,
}

impl<'a> From<&'a model::Meta> for Meta<'a> {
    fn from(m: &'a model::Meta) -> Self {
        Meta {
            date: given(m.date.as_deref()),
            language: &m.language,
            publisher: &m.publisher,
            source: &m.source,
            title: &m.title,
            version: given(m.version.as_deref()),
        }
    }
}

/// A metadata value the source may leave empty: trimmed, and `None` (`null`) when empty.
fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// What the site shows for `[[…]]` and `[@…]`, for the text of footnotes.
struct Shown<'a> {
    /// Section id → its number as shown ("4.9.1", "Bilag 3"), or an unnumbered section's
    /// title.
    numbers: HashMap<&'a str, String>,
    /// Reference key → its label.
    labels: HashMap<&'a str, &'a str>,
}

impl<'a> Shown<'a> {
    fn new(g: &'a Guideline, appendix: &str) -> Self {
        Shown {
            numbers: g
                .sections
                .iter()
                .map(|s| {
                    let n = s.display_number(appendix);
                    let shown = match n.is_empty() {
                        true => s.link_title().to_string(),
                        false => n,
                    };
                    (s.id.as_str(), shown)
                })
                .collect(),
            labels: g
                .references
                .iter()
                .map(|r| (r.key.as_str(), r.label.as_str()))
                .collect(),
        }
    }

    /// A token's own text, else the section's number or the reference's label, else its
    /// source `raw` as written.
    fn text(&self, token: &Token, raw: &str) -> String {
        let shown = match token {
            Token::XRef { target, text, .. } => text
                .as_deref()
                .or_else(|| self.numbers.get(target.as_str()).map(String::as_str)),
            Token::Cite { key, text } => text
                .as_deref()
                .or_else(|| self.labels.get(key.as_str()).copied()),
            Token::Unclosed(_) => None,
        };
        shown.unwrap_or(raw).to_string()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Section<'a> {
    appendix: bool,
    citations: Vec<String>,
    cross_references: Vec<CrossReference>,
    footnotes: Vec<Footnote>,
    html: &'a str,
    id: &'a str,
    kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    local: Option<LocalSection<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    local_parts: Vec<LocalPart<'a>>,
    number: String,
    number_parts: &'a [u32],
    parent: Option<&'a str>,
    roles: &'a [String],
    text: &'a str,
    title: &'a str,
}

impl<'a> Section<'a> {
    fn new(
        s: &'a model::Section,
        parent: Option<&'a str>,
        html: &'a str,
        text: &'a str,
        shown: &Shown<'_>,
        appendix: &str,
    ) -> Self {
        let analysis = analyze(&s.body);
        let (cross_references, citations) = referred_to(&analysis);
        Section {
            appendix: s.is_appendix(),
            citations,
            cross_references,
            footnotes: Footnote::of(&s.body, &analysis, shown),
            html,
            id: &s.id,
            kind: s.kind.clone(),
            local: s.local.as_ref().map(LocalSection::from),
            local_parts: s.local_parts.iter().map(LocalPart::from).collect(),
            number: s.display_number(appendix),
            number_parts: s.number.as_ref().map_or(&[], |n| &n.parts),
            parent,
            roles: &s.roles,
            text,
            title: &s.title,
        }
    }
}

/// The cross-references and the cited keys of a body, each once, in order of first use.
fn referred_to(analysis: &Analysis) -> (Vec<CrossReference>, Vec<String>) {
    let mut xrefs: Vec<CrossReference> = Vec::new();
    let mut cites: Vec<String> = Vec::new();
    for (_, token) in &analysis.tokens {
        match token {
            Token::XRef { target, anchor, .. } => {
                let r = CrossReference {
                    anchor: anchor.clone(),
                    target: target.clone(),
                };
                if !xrefs.contains(&r) {
                    xrefs.push(r);
                }
            }
            Token::Cite { key, .. } => {
                if !cites.contains(key) {
                    cites.push(key.clone());
                }
            }
            Token::Unclosed(_) => {}
        }
    }
    (xrefs, cites)
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct CrossReference {
    anchor: Option<String>,
    target: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Footnote {
    label: String,
    text: String,
}

impl Footnote {
    /// The footnotes a body defines, each label once, in order of definition.
    fn of(body: &str, analysis: &Analysis, shown: &Shown<'_>) -> Vec<Footnote> {
        let mut texts = footnotes(body, |token, raw| shown.text(token, raw));
        let mut seen = HashSet::new();
        analysis
            .footnote_defs
            .iter()
            .filter(|(_, label)| seen.insert(label.as_str()))
            .map(|(_, label)| Footnote {
                label: label.clone(),
                text: texts.remove(label).unwrap_or_default(),
            })
            .collect()
    }
}

/// A section a local version inserted.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocalSection<'a> {
    after: &'a str,
    deviation: usize,
    label: &'a str,
    owner: &'a str,
}

impl<'a> From<&'a local_model::LocalSection> for LocalSection<'a> {
    fn from(l: &'a local_model::LocalSection) -> Self {
        LocalSection {
            after: &l.after,
            deviation: l.deviation,
            label: &l.label,
            owner: &l.owner,
        }
    }
}

/// Local text in a national section.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocalPart<'a> {
    deviation: usize,
    kind: OverlayKind,
    owner: &'a str,
    reason: Option<&'a str>,
    text: String,
}

impl<'a> From<&'a local_model::LocalPart> for LocalPart<'a> {
    fn from(p: &'a local_model::LocalPart) -> Self {
        LocalPart {
            deviation: p.deviation,
            kind: p.kind,
            owner: &p.owner,
            reason: p.reason.as_deref(),
            text: from_markdown_collapsed(&p.body),
        }
    }
}

/// A local version: its owner and every deviation from the national guideline.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Local<'a> {
    base_version: Option<&'a str>,
    contact: &'a str,
    deviations: Vec<Deviation<'a>>,
    name: &'a str,
    owner: &'a str,
    slug: &'a str,
}

impl<'a> From<&'a local_model::LocalInfo> for Local<'a> {
    fn from(info: &'a local_model::LocalInfo) -> Self {
        Local {
            base_version: info.base_version.as_deref(),
            contact: &info.contact,
            deviations: info.deviations.iter().map(Deviation::from).collect(),
            name: &info.name,
            owner: &info.owner,
            slug: &info.slug,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deviation<'a> {
    index: usize,
    kind: OverlayKind,
    local_section: Option<&'a str>,
    local_text: String,
    national_text: Option<String>,
    reason: Option<&'a str>,
    section: &'a str,
    source: &'a str,
    stale: bool,
}

impl<'a> From<&'a local_model::Deviation> for Deviation<'a> {
    fn from(d: &'a local_model::Deviation) -> Self {
        Deviation {
            index: d.index,
            kind: d.kind,
            local_section: d.local_section.as_deref(),
            local_text: from_markdown_collapsed(&d.body),
            national_text: match d.kind {
                OverlayKind::Insert => None,
                _ => d.national.as_deref().map(from_markdown_collapsed),
            },
            reason: d.reason.as_deref(),
            section: &d.section,
            source: &d.source,
            stale: d.stale,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Role<'a> {
    description: &'a str,
    id: &'a str,
    mentions: &'a [String],
    name: &'a str,
    part_of: Option<&'a str>,
}

impl<'a> From<&'a model::Role> for Role<'a> {
    fn from(r: &'a model::Role) -> Self {
        Role {
            description: &r.description,
            id: &r.id,
            mentions: &r.mentions,
            name: &r.name,
            part_of: r.part_of.as_deref(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pathway<'a> {
    anchor: Option<&'a str>,
    channel: &'a str,
    condition: Option<&'a str>,
    from: &'a str,
    id: &'a str,
    kind: PathwayKind,
    local: Option<&'a str>,
    purpose: &'a str,
    section: &'a str,
    to: &'a str,
}

impl<'a> From<&'a model::Pathway> for Pathway<'a> {
    fn from(p: &'a model::Pathway) -> Self {
        Pathway {
            anchor: p.anchor.as_deref(),
            channel: &p.channel,
            condition: p.condition.as_deref(),
            from: &p.from,
            id: &p.id,
            kind: p.kind,
            local: p.local.as_deref(),
            purpose: &p.purpose,
            section: &p.section,
            to: &p.to,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Intervention<'a> {
    delivered_by: &'a [String],
    name: &'a str,
    referred_by: &'a [String],
    section: &'a str,
    sources: &'a [String],
}

impl<'a> From<&'a model::Intervention> for Intervention<'a> {
    fn from(iv: &'a model::Intervention) -> Self {
        Intervention {
            delivered_by: &iv.delivered_by,
            name: &iv.name,
            referred_by: &iv.referred_by,
            section: &iv.section,
            sources: &iv.sources,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Checklist<'a> {
    components: Vec<Component<'a>>,
    intro: &'a str,
    source: &'a str,
    title: &'a str,
}

impl<'a> From<&'a checklist::Checklist> for Checklist<'a> {
    fn from(c: &'a checklist::Checklist) -> Self {
        Checklist {
            components: c.components.iter().map(Component::from).collect(),
            intro: &c.intro,
            source: &c.source,
            title: &c.title,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component<'a> {
    anchor: Option<&'a str>,
    id: &'a str,
    items: Vec<Item<'a>>,
    title: &'a str,
}

impl<'a> From<&'a checklist::Component> for Component<'a> {
    fn from(c: &'a checklist::Component) -> Self {
        Component {
            anchor: c.anchor.as_deref(),
            id: &c.id,
            items: c.items.iter().map(Item::from).collect(),
            title: &c.title,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    icf: Option<&'a str>,
    id: &'a str,
    items: Vec<Item<'a>>,
    options: &'a [String],
    points_to: Vec<Pointer<'a>>,
    text: &'a str,
}

impl<'a> From<&'a checklist::Item> for Item<'a> {
    fn from(i: &'a checklist::Item) -> Self {
        Item {
            icf: i.icf.as_deref(),
            id: &i.id,
            items: i.items.iter().map(Item::from).collect(),
            options: &i.options,
            points_to: i.points_to.iter().map(Pointer::from).collect(),
            text: &i.text,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pointer<'a> {
    note: Option<&'a str>,
    section: &'a str,
    when: &'a str,
}

impl<'a> From<&'a checklist::Pointer> for Pointer<'a> {
    fn from(p: &'a checklist::Pointer) -> Self {
        Pointer {
            note: p.note.as_deref(),
            section: &p.section,
            when: &p.when,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GlossaryEntry<'a> {
    aliases: &'a [String],
    definition: &'a str,
    term: &'a str,
}

impl<'a> From<&'a model::GlossaryEntry> for GlossaryEntry<'a> {
    fn from(e: &'a model::GlossaryEntry) -> Self {
        GlossaryEntry {
            aliases: &e.aliases,
            definition: &e.definition,
            term: &e.term,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Reference<'a> {
    author: &'a str,
    key: &'a str,
    label: &'a str,
    note: Option<&'a str>,
    url: Option<&'a str>,
    year: Option<u32>,
}

impl<'a> From<&'a model::Reference> for Reference<'a> {
    fn from(r: &'a model::Reference) -> Self {
        Reference {
            author: &r.author,
            key: &r.key,
            label: &r.label,
            note: r.note.as_deref(),
            url: r.url.as_deref(),
            year: r.year,
        }
    }
}
