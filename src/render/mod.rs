//! The HTML site renderer: turns a validated [`Guideline`] into the files of a static site
//! through the Tera templates in `templates/`.

mod checklist;
pub mod local;
pub mod roles;
mod templates;
pub mod views;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{files_under, report_errors};
use crate::base::hash::Fnv64;
use crate::base::output::OutputFile;
use crate::check::Checked;
use crate::markdown::{self, LinkContext, RenderOptions};
use crate::model::Guideline;
use views::{Link, SiteIndex};

pub use templates::REQUIRED as REQUIRED_TEMPLATES;

/// A section page as its template sees it.
#[derive(Serialize)]
struct SectionView {
    id: String,
    number: String,
    title: String,
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

/// One section of the print page.
#[derive(Serialize)]
struct PrintSection {
    id: String,
    number: String,
    title: String,
    level: usize,
    html: String,
    footnotes: String,
    local: Option<String>,
}

/// Load the templates only, to report their errors when the content cannot be rendered.
pub fn check_templates(templates_dir: &Path, diags: &mut Diagnostics) {
    templates::load(templates_dir, diags);
    load_strings(templates_dir, diags);
}

/// Raw HTML in content that is replaced by the generated interventions × actors table.
pub const MATRIX_PLACEHOLDER: &str = "<div data-vejviser=\"indsatser\"></div>";

/// What every page of a site shares, prepared once per site (and kept by `vejviser serve`
/// between rebuilds that change only section bodies).
pub struct Prepared {
    tera: tera::Tera,
    strings: Strings,
    /// Site facts, UI strings and roles: what every page gets. The table of contents is not in
    /// it (it is as long as the site): only the pages that show it get it.
    base: tera::Context,
    matrix_html: String,
    templates_dir: std::path::PathBuf,
}

/// Load the templates and strings and render what all pages share.
pub fn prepare(g: &Guideline, templates_dir: &Path, diags: &mut Diagnostics) -> Option<Prepared> {
    let tera = templates::load(templates_dir, diags)?;
    let strings = load_strings(templates_dir, diags)?;
    let mut base = tera::Context::new();
    base.insert("site", &views::site_view(g));
    base.insert("t", &strings);
    let role_links: Vec<roles::RoleLink> = g.roles.iter().map(roles::role_link).collect();
    base.insert("roles", &role_links);
    if let Some(cl) = &g.checklist {
        base.insert("checklist_source", &cl.source);
    }
    if let Some(info) = &g.local {
        base.insert("local", &local::site_view(info));
    }
    let matrix = roles::matrix(g);
    let matrix_html = {
        let mut c = base.clone();
        c.insert("matrix", &matrix);
        match tera.render("partials/matrix.html", &c) {
            Ok(html) => html,
            Err(e) => {
                diags.push(templates::diagnostic(templates_dir, &e));
                return None;
            }
        }
    };
    Some(Prepared {
        tera,
        strings,
        base,
        matrix_html,
        templates_dir: templates_dir.to_path_buf(),
    })
}

/// Where each section sits in the outline, computed once: sections by number, and the
/// children of each section (document order), so that a page's breadcrumbs and children are
/// found without going through all sections.
struct Nav<'a> {
    by_number: std::collections::HashMap<&'a crate::model::SectionNumber, usize>,
    children: Vec<Vec<usize>>,
}

impl<'a> Nav<'a> {
    fn new(g: &'a Guideline) -> Self {
        let mut by_number = std::collections::HashMap::with_capacity(g.sections.len());
        for (i, s) in g.sections.iter().enumerate() {
            by_number.entry(&s.number).or_insert(i);
        }
        let mut children = vec![Vec::new(); g.sections.len()];
        for (i, s) in g.sections.iter().enumerate() {
            if let Some(&p) = s.number.parent().as_ref().and_then(|n| by_number.get(n)) {
                children[p].push(i);
            }
        }
        Nav {
            by_number,
            children,
        }
    }
}

/// A page's context: the shared one plus its URL and title.
fn page(base: &tera::Context, url: &str, title: &str) -> tera::Context {
    let mut c = base.clone();
    c.insert("page_url", url);
    c.insert("page_title", title);
    c
}

/// The page of section `i`: (url, context, body HTML).
fn section_job(
    p: &Prepared,
    g: &Guideline,
    index: &SiteIndex,
    nav: &Nav<'_>,
    links: &LinkContext<'_>,
    i: usize,
) -> Result<(String, tera::Context, String), tera::Error> {
    let page_opts = RenderOptions {
        id_prefix: "",
        heading_shift: 0,
    };
    let s = &g.sections[i];
    let (body_html, footnotes) =
        section_html(s, &p.tera, &p.base, links, &page_opts, &p.matrix_html)?;
    let mut breadcrumbs = Vec::new();
    let mut n = s.number.parent();
    while let Some(num) = n {
        if let Some(&j) = nav.by_number.get(&num) {
            breadcrumbs.push(views::section_link(&g.sections[j]));
        }
        n = num.parent();
    }
    breadcrumbs.reverse();
    let view = SectionView {
        id: s.id.clone(),
        number: s.display_number(),
        title: s.title.clone(),
        kind: s.kind,
        roles: s
            .roles
            .iter()
            .filter_map(|r| g.role(r).map(|r| r.name.clone()))
            .collect(),
        role_ids: s.roles.clone(),
        html: body_html.clone(),
        footnotes,
        breadcrumbs,
        prev: i
            .checked_sub(1)
            .map(|j| views::section_link(&g.sections[j])),
        next: g.sections.get(i + 1).map(views::section_link),
        backlinks: index
            .backlinks
            .get(&s.id)
            .map(|v| {
                v.iter()
                    .map(|&j| views::section_link(&g.sections[j]))
                    .collect()
            })
            .unwrap_or_default(),
        // A local section shares the number of the national section it follows: no children.
        children: match s.local {
            Some(_) => Vec::new(),
            None => nav.children[i]
                .iter()
                .map(|&c| views::section_link(&g.sections[c]))
                .collect(),
        },
        local: s.local.as_ref().map(|l| l.owner.clone()),
        local_type: match (&s.local, s.local_parts.is_empty()) {
            (Some(_), _) => Some("afsnit"),
            (None, false) => Some("tilpasning"),
            (None, true) => None,
        },
        deviation: s.local.as_ref().map(|l| l.deviation),
    };
    let url = format!("{}.html", s.id);
    let mut c = page(&p.base, &url, &format!("{} {}", view.number, s.title));
    c.insert("section", &view);
    Ok((url, c, body_html))
}

/// Only the pages of the sections `which` (indices into `g.sections`), minified, each with its
/// body HTML: what `vejviser serve` re-renders after an edit of section bodies.
pub fn render_section_pages(
    p: &Prepared,
    g: &Guideline,
    checked: &Checked,
    which: &[usize],
    diags: &mut Diagnostics,
) -> Option<Vec<(OutputFile, String)>> {
    let index = SiteIndex::new(g, checked);
    let role_matcher = crate::markdown::roles::RoleMatcher::new(&g.roles);
    let nav = Nav::new(g);
    let links = LinkContext {
        sections: &index.targets,
        references: &index.references,
        glossary: &index.glossary,
        single_page: false,
        roles: Some(&role_matcher),
    };
    let mut out = Vec::with_capacity(which.len());
    for &i in which.iter().filter(|&&i| i < g.sections.len()) {
        let rendered = section_job(p, g, &index, &nav, &links, i)
            .and_then(|(url, ctx, body)| Ok((url, p.tera.render("section.html", &ctx)?, body)));
        match rendered.map(|(url, html, body)| (OutputFile::page(&url, html), body)) {
            Ok(page) => out.push(page),
            Err(e) => {
                diags.push(templates::diagnostic(&p.templates_dir, &e));
                return None;
            }
        }
    }
    Some(out)
}

/// Render every page of the site. Template errors are reported with template name and line.
pub fn render_site(
    g: &Guideline,
    checked: &Checked,
    templates_dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<OutputFile>> {
    let prepared = prepare(g, templates_dir, diags)?;
    let p = &prepared;
    let (tera, strings, base, matrix_html) = (&p.tera, &p.strings, &p.base, &p.matrix_html);
    let index = SiteIndex::new(g, checked);
    let role_matcher = crate::markdown::roles::RoleMatcher::new(&g.roles);
    let nav = Nav::new(g);
    let toc = views::toc(g);
    let with_toc = |c: tera::Context| {
        let mut c = c;
        c.insert("toc", &toc);
        c
    };

    let links = LinkContext {
        sections: &index.targets,
        references: &index.references,
        glossary: &index.glossary,
        single_page: false,
        roles: Some(&role_matcher),
    };
    let page_opts = RenderOptions {
        id_prefix: "",
        heading_shift: 0,
    };

    // (output path, template, context)
    let mut jobs: Vec<(String, &str, tera::Context)> = Vec::new();

    jobs.push((
        "index.html".into(),
        "index.html",
        with_toc(page(base, "index.html", &g.meta.title)),
    ));
    jobs.push((
        "indhold.html".into(),
        "toc.html",
        with_toc(page(base, "indhold.html", &strings.get("toc_title"))),
    ));

    // (url, context, body HTML) per section; the HTML also goes into the JSON export.
    let sections: Vec<Result<(String, tera::Context, String), Diagnostic>> =
        crate::base::timing::phase("section bodies", || {
            (0..g.sections.len())
                .into_par_iter()
                .map(|i| {
                    section_job(p, g, &index, &nav, &links, i)
                        .map_err(|e| templates::diagnostic(templates_dir, &e))
                })
                .collect()
        });
    let mut section_bodies = Vec::with_capacity(sections.len());
    for r in sections {
        match r {
            Ok((url, c, html)) => {
                jobs.push((url, "section.html", c));
                section_bodies.push(crate::export::body(html));
            }
            Err(d) => {
                diags.push(d);
                return None;
            }
        }
    }

    for p in &g.pages {
        let r = markdown::render(&p.body, &links, &page_opts);
        let url = format!("{}.html", p.id);
        let mut c = page(base, &url, &p.title);
        c.insert("summary", &p.summary);
        c.insert("html", &r.html.replace(MATRIX_PLACEHOLDER, matrix_html));
        c.insert("footnotes", &r.footnotes);
        jobs.push((url, "page.html", c));
    }

    // Each role view (with its diagram) is built once, for its page and the list of roles.
    let role_views: Vec<roles::RoleView> =
        g.roles.par_iter().map(|r| roles::role_view(g, r)).collect();
    let mut c = page(base, "roller.html", &strings.get("roles_title"));
    c.insert("role_views", &role_views);
    jobs.push(("roller.html".into(), "roles.html", c));
    let role_pages: Vec<(String, tera::Context)> = role_views
        .iter()
        .map(|view| {
            let url = roles::role_url(&view.id);
            let mut c = page(base, &url, &view.name);
            c.insert("role", view);
            (url, c)
        })
        .collect();
    jobs.extend(role_pages.into_iter().map(|(url, c)| (url, "role.html", c)));
    let mut c = page(base, "forloeb.html", &strings.get("pathways_title"));
    c.insert("diagram", &roles::full_diagram(g));
    c.insert(
        "pathways",
        &g.pathways
            .iter()
            .map(|p| roles::pathway_view(g, p))
            .collect::<Vec<_>>(),
    );
    c.insert("matrix_html", matrix_html);
    jobs.push(("forloeb.html".into(), "pathways.html", c));

    if let Some(cl) = &g.checklist {
        let mut c = page(base, "tjekliste.html", &cl.title);
        c.insert("checklist", &checklist::checklist_view(g, cl));
        jobs.push(("tjekliste.html".into(), "checklist.html", c));
    }

    let mut c = page(base, "referencer.html", &strings.get("references_title"));
    c.insert("references", &views::references(g, &index));
    jobs.push(("referencer.html".into(), "references.html", c));

    let mut c = page(base, "ordliste.html", &strings.get("glossary_title"));
    c.insert("entries", &views::glossary(g));
    jobs.push(("ordliste.html".into(), "glossary.html", c));

    // The print page is rendered beside the search index, which does not cover it (below).
    let print_links = LinkContext {
        single_page: true,
        ..links
    };
    let print_page = || -> Result<OutputFile, Diagnostic> {
        let print: Vec<Result<PrintSection, tera::Error>> = g
            .sections
            .par_iter()
            .map(|s| {
                let depth = s.number.depth();
                let prefix = format!("{}--", s.id);
                let opts = RenderOptions {
                    id_prefix: &prefix,
                    heading_shift: depth as u8,
                };
                let (html, footnotes) = section_html(s, tera, base, &print_links, &opts, "")?;
                Ok(PrintSection {
                    id: s.id.clone(),
                    number: s.display_number(),
                    title: s.title.clone(),
                    level: (depth + 1).min(6),
                    html,
                    footnotes,
                    local: s.local.as_ref().map(|l| l.owner.clone()),
                })
            })
            .collect();
        let print = print
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| templates::diagnostic(templates_dir, &e))?;
        let mut c = with_toc(page(base, "udskriv.html", &strings.get("print_title")));
        c.insert("sections", &print);
        tera.render("print.html", &c)
            .map(|html| OutputFile::page("udskriv.html", html))
            .map_err(|e| templates::diagnostic(templates_dir, &e))
    };

    jobs.push((
        "404.html".into(),
        "404.html",
        page(base, "404.html", &strings.get("not_found_title")),
    ));

    if g.local.is_some() {
        let mut c = page(
            base,
            local::DEVIATIONS_PAGE,
            &strings.get("deviations_title"),
        );
        c.insert("deviations", &local::deviations(g, &links));
        jobs.push((local::DEVIATIONS_PAGE.into(), "deviations.html", c));
    }

    // The search page (listed in the sitemap, so the service worker pre-caches it too).
    jobs.push((
        "soeg.html".into(),
        "search.html",
        page(base, "soeg.html", &strings.get("search_title")),
    ));

    let mut urls: Vec<String> = jobs
        .iter()
        .map(|(u, _, _)| u.clone())
        .chain(std::iter::once("udskriv.html".to_string()))
        .filter(|u| u != "404.html")
        .collect();
    urls.sort();
    let base_url = g.meta.base_url.clone().unwrap_or_default();
    let mut c = base.clone();
    c.insert("base_url", base_url.trim_end_matches('/'));
    c.insert("urls", &urls);
    jobs.push(("sitemap.xml".into(), "sitemap.xml", c));

    let results: Vec<Result<OutputFile, Diagnostic>> = crate::base::timing::phase("pages", || {
        jobs.par_iter()
            .map(|(path, template, ctx)| {
                tera.render(template, ctx)
                    .map(|html| OutputFile::page(path, html))
                    .map_err(|e| templates::diagnostic(templates_dir, &e))
            })
            .collect()
    });
    let mut files = Vec::with_capacity(results.len() + 8);
    let mut failed = false;
    let mut seen = std::collections::HashSet::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            // One template error shows up on every page that uses the template: report it once.
            Err(d) => {
                failed = true;
                if seen.insert(d.to_string()) {
                    diags.push(d);
                }
            }
        }
    }
    if failed {
        return None;
    }
    // The search index of the rendered pages (pagefind/…) is built on one thread (Pagefind
    // indexes one page after another) while the other threads render the print page and the
    // JSON export, which it does not index.
    let (bundle, rest) = rayon::join(
        || crate::base::timing::phase("search index", || crate::search::index(&files)),
        || {
            let print = crate::base::timing::phase("print page", print_page);
            let export = crate::base::timing::phase("json export", || {
                crate::export::output_files(g, &section_bodies)
            });
            (print, export)
        },
    );
    let (print, export) = rest;
    match bundle {
        Ok(bundle) => {
            // The list of the search files, for the service worker (offline search).
            files.push(crate::search::precache_list(&bundle));
            files.extend(bundle);
        }
        Err(e) => {
            diags.push(Diagnostic::file(templates_dir, e));
            return None;
        }
    }
    match print {
        Ok(f) => files.push(f),
        Err(d) => {
            diags.push(d);
            return None;
        }
    }
    if let Some(cl) = &g.checklist {
        let q = crate::fhir::questionnaire(g, cl);
        let json = serde_json::to_string_pretty(&q).unwrap_or_default();
        files.push(OutputFile::asset("tjekliste.fhir.json", json.into_bytes()));
    }
    files.extend(export);
    files.extend(static_files(g, templates_dir, diags)?);
    if let Some(info) = &g.local {
        match local::files(info) {
            Ok(f) => files.extend(f),
            Err(d) => {
                diags.push(d);
                return None;
            }
        }
    }
    service_worker(&mut files);
    Some(files)
}

/// A section's body HTML and footnotes: the Markdown rendered, the interventions table and the
/// local parts filled in. A section a local version inserted is untrusted and sanitised.
fn section_html(
    s: &crate::model::Section,
    tera: &tera::Tera,
    base: &tera::Context,
    links: &LinkContext<'_>,
    opts: &RenderOptions<'_>,
    matrix_html: &str,
) -> Result<(String, String), tera::Error> {
    if s.local.is_some() {
        let html = local::local_html(&s.body, links, opts.id_prefix, opts.heading_shift);
        return Ok((html, String::new()));
    }
    let r = markdown::render(&s.body, links, opts);
    let html = r.html.replace(MATRIX_PLACEHOLDER, matrix_html);
    let html = local::fill_parts(html, s, tera, base, links, opts)?;
    Ok((html, r.footnotes))
}

/// The service worker goes to the site's root (`sw.js`), so that its scope is the whole site; its
/// `__VEJVISER_BUILD__` becomes a build id that depends only on the content of the site: a 64-bit
/// FNV-1a hash over every output file, in path order.
fn service_worker(files: &mut Vec<OutputFile>) {
    let Some(i) = files.iter().position(|f| f.path == "assets/sw.js") else {
        return;
    };
    let mut sorted: Vec<&OutputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut h = Fnv64::default();
    for f in sorted {
        h.write(f.path.as_bytes());
        h.write(&[0]);
        h.write(&(f.bytes.len() as u64).to_le_bytes());
        h.write(&f.bytes);
    }
    let id = h.hex();
    let sw = files.remove(i);
    let text = String::from_utf8_lossy(&sw.bytes).replace("__VEJVISER_BUILD__", &id);
    files.push(OutputFile::asset("sw.js", text.into_bytes()));
}

/// UI strings (`templates/strings.yaml`): every text the templates show, in one place.
#[derive(Serialize)]
#[serde(transparent)]
struct Strings(std::collections::BTreeMap<String, String>);

impl Strings {
    fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

fn load_strings(dir: &Path, diags: &mut Diagnostics) -> Option<Strings> {
    let path = dir.join("strings.yaml");
    let file = crate::base::source::read_source(&path, diags)?;
    let text = file.text.clone();
    crate::base::yaml::parse(&file, &text, 1, diags).map(Strings)
}

/// Stylesheets and scripts from `templates/static/`, figures from `content/figurer/`.
fn static_files(
    g: &Guideline,
    templates_dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<OutputFile>> {
    let mut files = Vec::new();
    let static_dir = templates_dir.join("static");
    let (found, errors) = files_under(&static_dir, |_| false);
    if !errors.is_empty() {
        report_errors(&static_dir, errors, diags);
        return None;
    }
    for f in found.iter().filter(|f| !f.is_symlink) {
        match std::fs::read(&f.path) {
            Ok(bytes) => files.push(OutputFile::asset(&format!("assets/{}", f.relative), bytes)),
            Err(e) => diags.push(Diagnostic::file(&f.path, format!("cannot read file: {e}"))),
        }
    }
    for fig in &g.figures {
        match std::fs::read(&fig.path) {
            Ok(bytes) => files.push(OutputFile::asset(
                &format!("figurer/{}", fig.relative),
                bytes,
            )),
            Err(e) => diags.push(Diagnostic::file(
                &fig.path,
                format!("cannot read file: {e}"),
            )),
        }
    }
    Some(files)
}
