//! What a local version adds to the site: its text inside national sections (rendered, then
//! sanitised, in a box that says whose it is), the views of the "Lokale tilpasninger" page with
//! national and local text side by side, and its branding.

use serde::Serialize;

use crate::local::{diff, sanitize};
use crate::markdown::{self, LinkContext, RenderOptions};
use crate::model::local::{LocalInfo, LocalPart, OverlayKind};
use crate::model::{pages, Guideline, Section};
use crate::render::views::{section_link, Link};

/// What every page of a local site shows about it.
#[derive(Debug, Clone, Serialize)]
pub struct LocalSiteView {
    pub slug: String,
    pub name: String,
    pub owner: String,
    pub contact: String,
    pub base_version: Option<String>,
    pub brand_name: String,
    pub logo: Option<String>,
    pub colour: bool,
    pub deviations: usize,
    pub stale: usize,
}

pub fn site_view(info: &LocalInfo) -> LocalSiteView {
    LocalSiteView {
        slug: info.slug.clone(),
        name: info.name.clone(),
        owner: info.owner.clone(),
        contact: info.contact.clone(),
        base_version: info.base_version.clone(),
        brand_name: info
            .branding
            .name
            .clone()
            .unwrap_or_else(|| info.owner.clone()),
        logo: info.branding.logo.as_ref().map(|l| logo_path(&l.relative)),
        colour: info.branding.colour.is_some(),
        deviations: info.deviations.len(),
        stale: info.deviations.iter().filter(|d| d.stale).count(),
    }
}

/// Where the site has the local version's logo (`content/local/<slug>/` `relative`).
pub fn logo_path(relative: &str) -> String {
    let ext = relative.rsplit('.').next().unwrap_or("svg");
    format!("assets/lokal-logo.{ext}")
}

/// One piece of local text as the `partials/local-part.html` template sees it.
#[derive(Serialize)]
struct PartView {
    kind: OverlayKind,
    owner: String,
    reason: Option<String>,
    html: String,
    national_html: Option<String>,
    deviation: usize,
}

/// Render untrusted local Markdown: our extensions, then sanitised.
pub fn local_html(body: &str, links: &LinkContext<'_>, id_prefix: &str, shift: u8) -> String {
    let r = markdown::render(
        body,
        links,
        &RenderOptions {
            id_prefix,
            heading_shift: shift,
        },
    );
    sanitize::clean(&r.html)
}

/// The HTML that stands in for a local part's placeholder.
pub fn part_html(
    tera: &tera::Tera,
    base: &tera::Context,
    part: &LocalPart,
    links: &LinkContext<'_>,
    opts: &RenderOptions<'_>,
) -> Result<String, tera::Error> {
    let prefix = format!("{}lokal-{}-", opts.id_prefix, part.deviation);
    let national_prefix = format!("{}national-{}-", opts.id_prefix, part.deviation);
    let view = PartView {
        kind: part.kind,
        owner: part.owner.clone(),
        reason: part.reason.clone(),
        html: local_html(&part.body, links, &prefix, opts.heading_shift),
        national_html: part.national.as_ref().map(|n| {
            markdown::render(
                n,
                links,
                &RenderOptions {
                    id_prefix: &national_prefix,
                    heading_shift: opts.heading_shift,
                },
            )
            .html
        }),
        deviation: part.deviation,
    };
    let mut c = base.clone();
    c.insert("part", &view);
    tera.render("partials/local-part.html", &c)
}

/// Replace the placeholders of a section's local parts with their HTML.
pub fn fill_parts(
    mut html: String,
    s: &Section,
    tera: &tera::Tera,
    base: &tera::Context,
    links: &LinkContext<'_>,
    opts: &RenderOptions<'_>,
) -> Result<String, tera::Error> {
    for part in &s.local_parts {
        let local = part_html(tera, base, part, links, opts)?;
        html = html.replacen(&part.marker, &local, 1);
    }
    Ok(html)
}

/// One row of the "Lokale tilpasninger" page.
#[derive(Serialize)]
pub struct DeviationView {
    index: usize,
    kind: OverlayKind,
    source: String,
    section: Link,
    local_section: Option<Link>,
    reason: Option<String>,
    national_html: Option<String>,
    local_html: String,
    /// For a replacement: the national and the local text as a word diff.
    diff_national: Option<String>,
    diff_local: Option<String>,
    stale: bool,
}

/// `appendix` is the interface's word before an appendix's number.
pub fn deviations(g: &Guideline, links: &LinkContext<'_>, appendix: &str) -> Vec<DeviationView> {
    let Some(info) = &g.local else {
        return Vec::new();
    };
    info.deviations
        .iter()
        .map(|d| {
            let prefix = format!("afvigelse-{}-", d.index);
            let national_prefix = format!("afvigelse-{}-national-", d.index);
            let (diff_national, diff_local) = match (d.kind, &d.national) {
                (OverlayKind::Replace, Some(n)) => {
                    let (a, b) = diff::words_html(
                        &words(&markdown::plain(n)),
                        &words(&markdown::plain(&d.body)),
                    );
                    (Some(a), Some(b))
                }
                _ => (None, None),
            };
            DeviationView {
                index: d.index,
                kind: d.kind,
                source: d.source.clone(),
                section: g
                    .section(&d.section)
                    .map(|s| section_link(s, appendix))
                    .unwrap_or(Link {
                        url: pages::section_file(&d.section),
                        number: String::new(),
                        title: d.section.clone(),
                        local: None,
                    }),
                local_section: d
                    .local_section
                    .as_deref()
                    .and_then(|id| g.section(id))
                    .map(|s| section_link(s, appendix)),
                reason: d.reason.clone(),
                national_html: d.national.as_ref().map(|n| {
                    markdown::render(
                        n,
                        links,
                        &RenderOptions {
                            id_prefix: &national_prefix,
                            heading_shift: 2,
                        },
                    )
                    .html
                }),
                local_html: local_html(&d.body, links, &prefix, 2),
                diff_national,
                diff_local,
                stale: d.stale,
            }
        })
        .collect()
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
