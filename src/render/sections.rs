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

/// The page of section `i` and, when it was rendered, its body HTML. With a cache the page's
/// context holds the body's key (see [`Site::body_key`]) in place of the body, which is only
/// rendered when the page is not taken from the cache.
fn section_page(
    site: &Site<'_>,
    links: &LinkContext<'_>,
    i: usize,
) -> Result<(OutputFile, Option<String>), Diagnostic> {
    let s = &site.g.sections[i];
    let body = |site: &Site<'_>| {
        site.section_html(s, links, &PAGE_BODY, true)
            .map_err(|e| site.error(&e))
    };
    let Some(key) = site.body_key(i, links, &PAGE_BODY, true) else {
        let (html, footnotes) = body(site)?;
        let (job, _) = section_job(site, i, html.clone(), footnotes);
        return Ok((site.render_one(&job)?, Some(html)));
    };
    let (mut job, mut view) = section_job(site, i, String::new(), String::new());
    job.context.stand_in(BODY_KEY, key);
    let (file, html) = site.render_or_fill(job, |job| {
        let (html, footnotes) = body(site)?;
        view.html = html;
        view.footnotes = footnotes;
        job.context.fill("section", &view);
        Ok(std::mem::take(&mut view.html))
    })?;
    Ok((file, html))
}

/// What stands for a section page's body in its context's key.
const BODY_KEY: &str = "section_body";

/// How a body is rendered on its section's page (and in the JSON export).
const PAGE_BODY: RenderOptions<'static> = RenderOptions {
    id_prefix: "",
    heading_shift: 0,
};

/// Section `i`'s body HTML as on its page (what the JSON export holds).
pub fn page_body(site: &Site<'_>, links: &LinkContext<'_>, i: usize) -> Result<String, Diagnostic> {
    site.section_html(&site.g.sections[i], links, &PAGE_BODY, true)
        .map(|(html, _)| html)
        .map_err(|e| site.error(&e))
}

/// The key of section `i`'s entry in the JSON export: its body's (as on its page) and its
/// parent's id. None without a cache.
pub fn export_key(
    site: &Site<'_>,
    links: &LinkContext<'_>,
    i: usize,
    parent: Option<&str>,
) -> Option<crate::cache::Digest> {
    let body = site.body_key(i, links, &PAGE_BODY, true)?;
    let key = crate::cache::KeyHasher::new("export section")
        .digest(&body)
        .part(parent.unwrap_or_default().as_bytes())
        .part(&[parent.is_some() as u8])
        .finish();
    Some(key)
}

/// The job of section `i`'s page with `html` and `footnotes` as its body, and its view.
fn section_job(site: &Site<'_>, i: usize, html: String, footnotes: String) -> (Job, SectionView) {
    let (g, nav) = (site.g, &site.nav);
    let s = &g.sections[i];
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
        html,
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
    (job, view)
}

/// The pages of the sections `which` (indices into `g.sections`; others are skipped), each
/// with its body HTML when it was rendered (which the JSON export takes too; a page taken
/// from the cache has none), in the order of `which`.
pub fn render_some(
    site: &Site<'_>,
    which: &[usize],
) -> Result<Vec<(OutputFile, Option<String>)>, Vec<Diagnostic>> {
    let links = site.links();
    let which: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| i < site.g.sections.len())
        .collect();
    let pages: Vec<Result<(OutputFile, Option<String>), Diagnostic>> = which
        .par_iter()
        .map(|&i| section_page(site, &links, i))
        .collect();
    collect(pages)
}
