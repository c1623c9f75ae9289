//! `sitemap.xml` and `robots.txt`. The sitemap lists the absolute address of every page the
//! other steps made that the registry lists in the sitemap (the print and search pages among
//! them, the 404 page not), from the site's base URL (a local site's own: its folder under the
//! national address, or its manifest's `base_url`), with `<lastmod>` from the guideline's
//! `date` when that is a full date (`YYYY-MM-DD`). Without a base URL there is no sitemap (the
//! protocol allows only absolute URLs) and `robots.txt` has no `Sitemap:` line.

use serde::Serialize;

use super::head::is_iso_date;
use super::site::{Rendered, Site};
use crate::base::output::OutputFile;
use crate::base::text::escape_xml;
use crate::model::pages::{PageKind, ROBOTS};

#[derive(Serialize)]
struct Url {
    loc: String,
    lastmod: Option<String>,
}

/// The step: the sitemap of `pages` (the paths of the other steps' files), and `robots.txt`.
pub fn render(site: &Site<'_>, pages: &[&str]) -> Rendered {
    let Some(base_url) = site.g.meta.base_url.as_deref() else {
        return Ok(vec![robots(None)]);
    };
    let lastmod = site
        .g
        .meta
        .date
        .as_deref()
        .map(str::trim)
        // The schema takes a full date (or date and time) only.
        .filter(|d| d.len() == 10 && is_iso_date(d))
        .map(str::to_string);
    let mut paths: Vec<&str> = pages
        .iter()
        .copied()
        .filter(|p| site.g.interface.names.in_sitemap(p))
        .collect();
    paths.sort_unstable();
    let urls: Vec<Url> = paths
        .iter()
        .map(|p| Url {
            loc: escape_xml(&format!("{base_url}{p}")),
            lastmod: lastmod.clone(),
        })
        .collect();
    let mut job = site.job(PageKind::Sitemap);
    // The sitemap is no page: it has the shared context only.
    job.context = site.prepared.base.clone();
    job.context.insert("urls", &urls);
    let mut files = site.render(vec![job])?;
    files.push(robots(Some(&format!(
        "{base_url}{}",
        site.g.interface.names.file(PageKind::Sitemap)
    ))));
    Ok(files)
}

/// `robots.txt`: everything may be crawled; the sitemap's address when there is one.
fn robots(sitemap: Option<&str>) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = sitemap {
        text.push_str(&format!("\nSitemap: {url}\n"));
    }
    OutputFile::asset(ROBOTS, text.into_bytes())
}
