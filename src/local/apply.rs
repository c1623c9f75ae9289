//! The transform: national [`Guideline`] + a [`LocalVersion`] → the local guideline.
//!
//! Add and replace overlays put a placeholder into the national section's Markdown (after or
//! instead of the named top-level passage) and record a [`LocalPart`] for it; insert overlays
//! become new [`Section`]s after their national section, labelled L1, L2, … National numbers
//! are not touched.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::overlay::Overlay;
use super::{Deviation, LocalInfo, LocalPart, LocalSection, LocalVersion, OverlayKind};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::located;
use crate::markdown;
use crate::model::{Guideline, Section};

/// One change to a national section's Markdown.
struct Edit {
    range: Range<usize>,
    part: LocalPart,
}

/// Apply a local version to the national guideline. `None` when an overlay cannot be placed
/// (every such problem is reported, with its line).
pub fn apply(national: &Guideline, v: &LocalVersion, diags: &mut Diagnostics) -> Option<Guideline> {
    let errors_before = diags.error_count();
    warn_about_base_version(national, &v.info, diags);
    let mut plan = Plan {
        national,
        info: v.info.clone(),
        edits: HashMap::new(),
        inserts: Vec::new(),
        national_ids: national
            .sections
            .iter()
            .map(|s| s.id.as_str())
            .chain(national.pages.iter().map(|p| p.id.as_str()))
            .collect(),
    };
    for o in &v.overlays {
        if let Some(deviation) = plan.overlay(o, diags) {
            plan.info.deviations.push(deviation);
        }
    }
    if diags.error_count() > errors_before {
        return None;
    }
    Some(plan.into_guideline(v))
}

/// A warning when the manifest's `base_version` is not the national version.
fn warn_about_base_version(national: &Guideline, info: &LocalInfo, diags: &mut Diagnostics) {
    if let (Some(national_version), Some(base)) = (&national.meta.version, &info.base_version) {
        if national_version.trim() != base.trim() {
            diags.push(
                Diagnostic::file(
                    &info.dir.join(super::MANIFEST),
                    format!(
                        "base_version `{base}` is not the national version `{national_version}`"
                    ),
                )
                .with_help("review the overlays against the new national text, run `vejviser pin`, then update base_version")
                .warning(),
            );
        }
    }
}

/// What the overlays do to the national guideline, collected before anything is changed.
struct Plan<'a> {
    national: &'a Guideline,
    info: LocalInfo,
    /// Placeholders to put into national sections' Markdown, by section id.
    edits: HashMap<String, Vec<Edit>>,
    /// New local sections, each with the national section it follows.
    inserts: Vec<(String, Section)>,
    national_ids: HashSet<&'a str>,
}

impl Plan<'_> {
    /// Plan one overlay; its deviation, or `None` (reported) when it cannot be placed.
    fn overlay(&mut self, o: &Overlay, diags: &mut Diagnostics) -> Option<Deviation> {
        let national = self.national;
        let Some(target) = national.section(&o.section) else {
            diags.push(
                located(
                    &o.file,
                    &o.section_origin,
                    format!("overlay targets unknown section `{}`", o.section),
                )
                .with_help(
                    "use the id from the front matter of a national section (content/sections/)",
                ),
            );
            return None;
        };
        let index = self.info.deviations.len() + 1;
        let stale = super::pin::check(&self.info.dir, &self.info.slug, o, target, diags);
        let passage = locate_passage(o, target, diags)?;
        let national_text = match &passage {
            Some(r) => target.body[r.clone()].trim().to_string(),
            None => target.body.trim().to_string(),
        };
        let mut deviation = Deviation {
            index,
            kind: o.kind,
            source: o.source.clone(),
            section: target.id.clone(),
            local_section: None,
            national: Some(national_text.clone()),
            body: o.body.clone(),
            reason: o.reason.clone(),
            stale,
        };
        match o.kind {
            OverlayKind::Insert => {
                let id = self.insert(o, target, index, diags)?;
                deviation.local_section = Some(id);
                deviation.national = None;
            }
            OverlayKind::Add | OverlayKind::Replace => {
                self.edit(o, target, passage, national_text, index, diags)?
            }
        }
        Some(deviation)
    }

    /// Plan a new local section after `target`; its id.
    fn insert(
        &mut self,
        o: &Overlay,
        target: &Section,
        index: usize,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let (id, id_origin) = o.id.clone()?;
        if self.national_ids.contains(id.as_str())
            || self.inserts.iter().any(|(_, s)| s.id == id)
            || self.national.interface.names.is_reserved(&id)
        {
            diags.push(
                located(&o.file, &id_origin, format!("id `{id}` is already taken")).with_help(
                    "local sections need ids of their own, e.g. prefixed with the region",
                ),
            );
            return None;
        }
        let section = Section {
            id: id.clone(),
            number: target.number.clone(),
            title: o.title.clone().unwrap_or_default(),
            kind: o.section_kind.unwrap_or(target.kind),
            roles: o.roles.iter().map(|(r, _)| r.clone()).collect(),
            body: o.body.clone(),
            file: o.file.clone(),
            body_offset: o.body_offset,
            id_origin,
            number_origin: o.section_origin.clone(),
            role_origins: o.roles.iter().map(|(_, origin)| origin.clone()).collect(),
            local: Some(LocalSection {
                label: String::new(),
                owner: self.info.owner.clone(),
                after: target.id.clone(),
                deviation: index,
            }),
            local_parts: Vec::new(),
        };
        self.inserts.push((target.id.clone(), section));
        Some(id)
    }

    /// Plan local text after (add) or instead of (replace) a passage of `target`.
    fn edit(
        &mut self,
        o: &Overlay,
        target: &Section,
        passage: Option<Range<usize>>,
        national_text: String,
        index: usize,
        diags: &mut Diagnostics,
    ) -> Option<()> {
        let body_len = target.body.len();
        let range = match (o.kind, &passage) {
            (OverlayKind::Add, Some(r)) => r.end..r.end,
            (OverlayKind::Add, None) => body_len..body_len,
            (_, Some(r)) => r.clone(),
            (_, None) => 0..body_len,
        };
        let list = self.edits.entry(target.id.clone()).or_default();
        if o.kind == OverlayKind::Replace
            && list.iter().any(|e| {
                e.part.kind == OverlayKind::Replace
                    && e.range.start < range.end
                    && range.start < e.range.end
            })
        {
            diags.push(
                located(
                    &o.file,
                    &o.kind_origin,
                    "this replacement overlaps another replacement of the same passage",
                )
                .with_help("replace each national passage at most once"),
            );
            return None;
        }
        list.push(Edit {
            range,
            part: LocalPart {
                marker: format!("<div data-vejviser=\"lokal-{index}\"></div>"),
                kind: o.kind,
                owner: self.info.owner.clone(),
                reason: o.reason.clone(),
                body: o.body.clone(),
                national: (o.kind == OverlayKind::Replace).then_some(national_text),
                deviation: index,
                file: o.file.clone(),
                body_offset: o.body_offset,
            },
        });
        Some(())
    }

    /// The local guideline: the national one with the planned edits and inserted sections.
    fn into_guideline(mut self, v: &LocalVersion) -> Guideline {
        let mut g = self.national.clone();
        for s in &mut g.sections {
            if let Some(list) = self.edits.remove(&s.id) {
                apply_edits(s, list);
            }
        }
        // Inserted sections follow their national section and its subsections, in overlay order.
        for (after, section) in std::mem::take(&mut self.inserts) {
            let Some(i) = g.sections.iter().position(|s| s.id == after) else {
                continue;
            };
            let number = g.sections[i].number.clone();
            let mut j = i + 1;
            while j < g.sections.len()
                && (g.sections[j].local.is_some() && g.sections[j].number == number
                    || is_within(&g.sections[j].number, &number))
            {
                j += 1;
            }
            g.sections.insert(j, section);
        }
        let mut n = 0;
        for s in &mut g.sections {
            if let Some(l) = s.local.as_mut() {
                n += 1;
                l.label = format!("L{n}");
            }
        }
        g.pathways.extend(v.pathways.iter().cloned());
        g.local = Some(self.info);
        g
    }
}

/// The range of the overlay's quoted passage in `target`'s Markdown: `Some(None)` when it names
/// none (or inserts), `None` (reported) when the quote matches no passage or several.
fn locate_passage(
    o: &Overlay,
    target: &Section,
    diags: &mut Diagnostics,
) -> Option<Option<Range<usize>>> {
    let (quote, origin) = match (&o.kind, &o.passage) {
        (OverlayKind::Insert, _) | (_, None) => return Some(None),
        (_, Some((quote, origin))) => (quote, origin),
    };
    match find_passage(&target.body, quote) {
        Ok(range) => Some(Some(range)),
        Err(found) => {
            let message = if found == 0 {
                format!(
                    "passage \"{quote}\" is not in section {} {}",
                    target.number, target.title
                )
            } else {
                format!(
                    "passage \"{quote}\" matches {found} passages of section {}",
                    target.number
                )
            };
            diags.push(located(&o.file, origin, message).with_help(
                "quote words from one paragraph, list or table of the national section as they read now",
            ));
            None
        }
    }
}

/// Whether `n` is a subsection of `parent`.
fn is_within(n: &crate::model::SectionNumber, parent: &crate::model::SectionNumber) -> bool {
    n.appendix == parent.appendix
        && n.parts.len() > parent.parts.len()
        && n.parts.starts_with(&parent.parts)
}

/// Put the placeholders into the section's Markdown, last edit first so earlier offsets hold.
fn apply_edits(s: &mut Section, mut list: Vec<Edit>) {
    list.sort_by_key(|e| (e.range.start, e.range.end));
    let mut body = s.body.clone();
    for e in list.iter().rev() {
        let replacement = format!("\n\n{}\n\n", e.part.marker);
        body.replace_range(e.range.clone(), &replacement);
    }
    s.body = body;
    s.local_parts = list.into_iter().map(|e| e.part).collect();
}

/// The one top-level block of `body` whose text contains `quote` (compared word by word,
/// ignoring case and Markdown syntax). `Err(n)` when it is found in `n != 1` blocks.
fn find_passage(body: &str, quote: &str) -> Result<Range<usize>, usize> {
    let want = words(quote);
    if want.is_empty() {
        return Err(0);
    }
    let hits: Vec<Range<usize>> = markdown::top_level_blocks(body)
        .into_iter()
        .filter(|r| {
            let text = words(&markdown::plain(&body[r.clone()]));
            text.contains(&want) || words(&body[r.clone()]).contains(&want)
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(hits.len()),
    }
}

fn words(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::find_passage;

    #[test]
    fn passages_are_found_by_their_words() {
        let body = "Første afsnit om *kommunen*.\n\nAndet afsnit\nom lægen.\n\n- en liste\n- med punkter\n";
        let r = find_passage(body, "afsnit om lægen").unwrap();
        assert!(body[r].starts_with("Andet"));
        let r = find_passage(body, "om kommunen").unwrap();
        assert!(body[r].starts_with("Første"));
        assert_eq!(find_passage(body, "afsnit"), Err(2));
        assert_eq!(find_passage(body, "findes ikke"), Err(0));
        assert!(body[find_passage(body, "med punkter").unwrap()].contains("en liste"));
    }
}
