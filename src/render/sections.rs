//! The section pages (`<id>.html`): each section's body with its breadcrumbs, neighbours,
//! children, backlinks and roles.

use rayon::prelude::*;
use serde::Serialize;

use super::site::{collect, Job, Site};
use super::views::{self, Link};
use crate::base::diagnostics::Diagnostic;
use crate::base::output::OutputFile;
use crate::markdown::{LinkContext, RenderOptions};
use crate::model::pages::{self, PageKind};

/// A section page as its template sees it.
#[derive(Serialize)]
struct SectionView {
    id: String,
    number: String,
    title: String,
    /// The number and title as one line ("4.9.1 Title", "1.1.1", "Rationale").
    heading: String,
    /// The title, or an untitled section's first words (what lists and search results show).
    link_title: String,
    kind: crate::model::Kind,
    roles: Vec<String>,
    /// Role ids, for the role switcher's highlighting.
    role_ids: Vec<String>,
    html: String,
    footnotes: String,
    breadcrumbs: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
    backlinks: Vec<Link>,
    children: Vec<Link>,
    /// The owner, when a local version inserted this section.
    local: Option<String>,
    /// "afsnit" (a local section) or "tilpasning" (national, with local text), for search.
    local_type: Option<&'static str>,
    /// The deviation this section is, on the "Lokale tilpasninger" page.
    deviation: Option<usize>,
}

/// The page of section `i` to render, and its body HTML.
fn section_job(
    site: &Site<'_>,
    links: &LinkContext<'_>,
    i: usize,
) -> Result<(Job, String), tera::Error> {
    let (g, nav) = (site.g, &site.nav);
    let page_opts = RenderOptions {
        id_prefix: "",
        heading_shift: 0,
    };
    let s = &g.sections[i];
    let (body_html, footnotes) = site.section_html(s, links, &page_opts, true)?;
    let word = site.appendix.as_str();
    let link = |&j: &usize| views::section_link(&g.sections[j], word);
    let mut breadcrumbs: Vec<Link> = nav.outline.ancestors(i).iter().map(link).collect();
    breadcrumbs.reverse();
    let view = SectionView {
        id: s.id.clone(),
        number: s.display_number(word),
        title: s.title.clone(),
        heading: format!("{} {}", s.display_number(word), s.title)
            .trim()
            .to_string(),
        link_title: s.link_title().to_string(),
        kind: s.kind.clone(),
        roles: s
            .roles
            .iter()
            .filter_map(|r| g.role(r).map(|r| r.name.clone()))
            .collect(),
        role_ids: s.roles.clone(),
        html: body_html.clone(),
        footnotes,
        breadcrumbs,
        prev: i.checked_sub(1).as_ref().map(link),
        next: g.sections.get(i + 1).map(|s| views::section_link(s, word)),
        backlinks: site
            .index
            .backlinks
            .get(&s.id)
            .map(|v| v.iter().map(link).collect())
            .unwrap_or_default(),
        // A local section shares the number of the national section it follows: no children.
        children: match s.local {
            Some(_) => Vec::new(),
            None => nav.children[i].iter().map(link).collect(),
        },
        local: s.local.as_ref().map(|l| l.owner.clone()),
        local_type: match (&s.local, s.local_parts.is_empty()) {
            (Some(_), _) => Some("afsnit"),
            (None, false) => Some("tilpasning"),
            (None, true) => None,
        },
        deviation: s.local.as_ref().map(|l| l.deviation),
    };
    let url = pages::section_file(&s.id);
    let shown = format!("{} {}", view.number, s.link_title());
    let mut context = site.context(&url, shown.trim());
    context.insert("section", &view);
    if let Some(canonical) = super::head::section_canonical(site.g, s, &url) {
        context.insert("canonical", &canonical);
    }
    let job = Job {
        url,
        template: pages::spec(PageKind::Section).template,
        context,
    };
    Ok((job, body_html))
}

/// The pages of the sections `which` (indices into `g.sections`; others are skipped), each
/// with its body HTML (which the JSON export takes too), in the order of `which`.
pub fn render_some(
    site: &Site<'_>,
    which: &[usize],
) -> Result<Vec<(OutputFile, String)>, Vec<Diagnostic>> {
    let links = site.links();
    let which: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| i < site.g.sections.len())
        .collect();
    let pages: Vec<Result<(OutputFile, String), Diagnostic>> = which
        .par_iter()
        .map(|&i| {
            let (job, body) = section_job(site, &links, i).map_err(|e| site.error(&e))?;
            Ok((site.render_one(&job)?, body))
        })
        .collect();
    collect(pages)
}
