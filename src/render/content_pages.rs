//! The free-standing pages of `content/pages/` (`<id>.html`), such as the accessibility
//! statement.

use super::prepare::MATRIX_PLACEHOLDER;
use super::site::{Job, Rendered, Site};
use crate::markdown::{self, RenderOptions};
use crate::model::pages::{self, PageKind};

/// The step: every free-standing page.
pub fn render(site: &Site<'_>) -> Rendered {
    let links = site.links();
    let opts = RenderOptions {
        id_prefix: "",
        heading_shift: 0,
    };
    let jobs = site
        .g
        .pages
        .iter()
        .map(|p| {
            let r = markdown::render(&p.body, &links, &opts);
            let url = site.g.interface.names.item_file(PageKind::Page, &p.id);
            let mut context = site.context(&url, &p.title);
            context.insert("summary", &p.summary);
            let html = r
                .html
                .replace(MATRIX_PLACEHOLDER, &site.prepared.matrix_html);
            context.insert("html", &html);
            context.insert("footnotes", &r.footnotes);
            Job {
                url,
                template: pages::spec(PageKind::Page).template,
                context,
            }
        })
        .collect();
    site.render(jobs)
}
