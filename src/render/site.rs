//! What the render steps of one site share: the prepared templates and context, the guideline,
//! the cross-section index, the outline, the table of contents and the one way links in
//! bodies are written; and rendering a step's pages with every template error collected.

use rayon::prelude::*;

use super::context::PageContext;
use super::head;
use super::prepare::{Prepared, APPENDIX_KEY, MATRIX_PLACEHOLDER};
use super::role_views::PathwayWords;
use super::templates;
use super::views::{self, SiteIndex, TocEntry};
use crate::base::diagnostics::Diagnostic;
use crate::base::output::OutputFile;
use crate::cache::{Cache, Digest, KeyHasher};
use crate::check::Checked;
use crate::markdown::roles::RoleMatcher;
use crate::markdown::{self, BodyLabels, LinkContext, RenderOptions};
use crate::model::local::LocalPart;
use crate::model::outline::Outline;
use crate::model::pages::{self, Interface, PageKind};
use crate::model::{Guideline, Section};

/// What a render step makes: its files, or every problem it ran into.
pub type Rendered = Result<Vec<OutputFile>, Vec<Diagnostic>>;

/// A render step: the files of one kind of page (or a few) of a site.
pub type Step = fn(&Site<'_>) -> Rendered;

/// One page to render: where it goes, its template and its context.
pub struct Job {
    pub url: String,
    pub template: &'static str,
    pub context: PageContext,
}

/// Where each section sits in the outline, computed once: each section's parent and depth,
/// and the children of each section (document order), so that a page's breadcrumbs and
/// children are found without going through all sections.
pub struct Nav {
    pub outline: Outline,
    pub children: Vec<Vec<usize>>,
}

impl Nav {
    fn new(g: &Guideline) -> Self {
        let outline = Outline::of(&g.sections);
        let mut children = vec![Vec::new(); g.sections.len()];
        for (i, p) in outline.parent.iter().enumerate() {
            if let Some(p) = *p {
                children[p].push(i);
            }
        }
        Nav { outline, children }
    }
}

/// One site being rendered: what every step reads.
pub struct Site<'a> {
    pub prepared: &'a Prepared,
    pub g: &'a Guideline,
    pub index: SiteIndex,
    pub nav: Nav,
    /// The interface's word before an appendix's number ("Bilag").
    pub appendix: String,
    pub toc: Vec<TocEntry>,
    role_matcher: RoleMatcher,
    labels: BodyLabels,
    /// The words of the referral diagrams.
    pub pathway_words: PathwayWords,
    /// Where pages made before are found again (see [`crate::cache`]).
    cache: Option<&'a Cache>,
    /// With a cache: the digest of everything a section's body is rendered with besides the
    /// section itself (see [`Site::body_key`]).
    bodies_digest: Option<Digest>,
    /// With a cache: each section's [`section_digest`], in `g.sections` order.
    section_digests: Vec<Digest>,
}

fn pathway_words(interface: &Interface) -> PathwayWords {
    let t = |key: &str| interface.text(key);
    PathwayWords {
        title_all: t("diagram_title"),
        title_role: t("diagram_title_role"),
        referral: t("diagram_referral"),
        report_back: t("diagram_report_back"),
        refers_to: t("diagram_refers_to"),
        reports_to: t("diagram_reports_to"),
        local_suffix: t("diagram_local"),
    }
}

impl<'a> Site<'a> {
    pub fn new(prepared: &'a Prepared, g: &'a Guideline, checked: &Checked) -> Self {
        let t = |key: &str| g.interface.text(key);
        let appendix = t(APPENDIX_KEY);
        let nav = Nav::new(g);
        Site {
            prepared,
            g,
            index: SiteIndex::new(g, checked, &appendix),
            toc: views::toc(g, &nav.outline, &appendix),
            nav,
            appendix,
            role_matcher: RoleMatcher::new(&g.roles),
            labels: BodyLabels {
                footnote: t("footnote_label"),
                footnote_back: t("footnote_back"),
                permalink: t("permalink"),
            },
            pathway_words: pathway_words(&g.interface),
            cache: None,
            bodies_digest: None,
            section_digests: Vec::new(),
        }
    }

    /// The site, its pages taken from `cache` when they would come out as before.
    pub fn with_cache(mut self, cache: Option<&'a Cache>) -> Self {
        self.cache = cache;
        self.bodies_digest = cache.map(|_| self.shared_by_bodies());
        self.section_digests = match cache {
            Some(_) => self.g.sections.par_iter().map(section_digest).collect(),
            None => Vec::new(),
        };
        self
    }

    /// The digest of what [`section_html`](Site::section_html) reads besides the section: the
    /// templates and shared context (local parts are rendered with them), the interventions
    /// table, and what links in bodies show — every section's number and title, the
    /// references' labels, the glossary, the roles, the body labels and the page names.
    fn shared_by_bodies(&self) -> Digest {
        let g = self.g;
        let mut h = KeyHasher::new("bodies");
        h.digest(&self.prepared.templates_digest);
        // The shared context is keyed when it is made (see `prepare`); were it not, no key
        // would match.
        let base = self.prepared.base.digest().unwrap_or_else(Digest::unique);
        h.digest(&base);
        h.part(self.prepared.matrix_html.as_bytes());
        for s in &g.sections {
            h.part(s.id.as_bytes())
                .part(s.display_number(&self.appendix).as_bytes())
                .part(s.link_title().as_bytes());
        }
        h.json(&g.references).json(&g.glossary).json(&g.roles);
        h.debug(&self.labels).debug(&g.interface.names);
        h.finish()
    }

    /// The digest of everything section `i`'s body is rendered from with `links` and `opts`
    /// (see [`section_html`](Site::section_html)): the same key, the same HTML and footnotes.
    /// None without a cache.
    pub fn body_key(
        &self,
        i: usize,
        links: &LinkContext<'_>,
        opts: &RenderOptions<'_>,
        with_matrix: bool,
    ) -> Option<Digest> {
        let shared = self.bodies_digest?;
        let section = self.section_digests.get(i)?;
        let flags = [
            links.single_page as u8,
            with_matrix as u8,
            opts.heading_shift,
        ];
        let key = KeyHasher::new("body")
            .digest(&shared)
            .digest(section)
            .part(opts.id_prefix.as_bytes())
            .part(&flags)
            .part(self.appendix.as_bytes())
            .finish();
        Some(key)
    }

    /// The cache, when the site has one.
    pub fn cache(&self) -> Option<&'a Cache> {
        self.cache
    }

    /// How links in bodies are written on the site's pages: to the sections' own pages, with
    /// the roles they mention marked.
    pub fn links(&self) -> LinkContext<'_> {
        LinkContext {
            sections: &self.index.targets,
            references: &self.index.references,
            glossary: &self.index.glossary,
            single_page: false,
            roles: Some(&self.role_matcher),
            labels: &self.labels,
            names: &self.g.interface.names,
        }
    }

    /// How links are written on the print page: to anchors on the same page.
    pub fn print_links(&self) -> LinkContext<'_> {
        LinkContext {
            single_page: true,
            ..self.links()
        }
    }

    /// A UI string (the theme's `strings/<language>.yaml`, with the guideline's own).
    pub fn text(&self, key: &str) -> String {
        self.g.interface.text(key)
    }

    /// The title of a page of `kind` whose title is a fixed text.
    pub fn title(&self, kind: PageKind) -> String {
        pages::spec(kind)
            .title_key
            .map(|k| self.text(k))
            .unwrap_or_default()
    }

    /// A page's context: the shared one plus its URL and title, its canonical address (when
    /// the base URL is known) and its JSON-LD.
    pub fn context(&self, url: &str, title: &str) -> PageContext {
        let mut c = self.prepared.base.clone().keyed(self.cache.is_some());
        c.insert("page_url", url);
        c.insert("page_title", title);
        if let Some(canonical) = head::canonical(self.g, url) {
            c.insert("canonical", &canonical);
        }
        c.insert("jsonld", &head::json_ld(self.g, url, title));
        c
    }

    /// The job of the page of `kind` (a kind with one page), with its registry file,
    /// template and title.
    pub fn job(&self, kind: PageKind) -> Job {
        let spec = pages::spec(kind);
        let file = self.g.interface.names.file(kind);
        Job {
            url: file.to_string(),
            template: spec.template,
            context: self.context(file, &self.title(kind)),
        }
    }

    /// `job` with the table of contents in its context.
    pub fn with_toc(&self, mut job: Job) -> Job {
        job.context.insert("toc", &self.toc);
        job
    }

    /// A template error as a diagnostic naming the template and line.
    pub fn error(&self, e: &tera::Error) -> Diagnostic {
        templates::diagnostic(&self.prepared.theme, e)
    }

    /// Render one page, with its description filled in (see [`head::fill_description`]).
    pub fn render_one(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let (Some(cache), Some(key)) = (self.cache, self.page_key(job)) else {
            return self.render_fresh(job);
        };
        if let Some((bytes, _)) = cache.recall_one(&key) {
            return Ok(OutputFile::minified(&job.url, bytes));
        }
        let file = self.render_fresh(job)?;
        cache.remember(key, vec![(String::new(), Digest::of(&file.bytes))]);
        Ok(file)
    }

    /// Render `job`, whose context holds stand-ins (see [`PageContext::stand_in`]): the page
    /// is taken from the cache when its key is there, else `fill` completes the context and it
    /// is rendered (and what `fill` returns comes with it).
    pub fn render_or_fill<T>(
        &self,
        mut job: Job,
        fill: impl FnOnce(&mut Job) -> Result<T, Diagnostic>,
    ) -> Result<(OutputFile, Option<T>), Diagnostic> {
        let key = self.cache.zip(self.page_key(&job));
        if let Some((bytes, _)) = key.and_then(|(cache, key)| cache.recall_one(&key)) {
            return Ok((OutputFile::minified(&job.url, bytes), None));
        }
        let filled = fill(&mut job)?;
        let file = self.render_fresh(&job)?;
        if let Some((cache, key)) = key {
            cache.remember(key, vec![(String::new(), Digest::of(&file.bytes))]);
        }
        Ok((file, Some(filled)))
    }

    /// What a page is made from: this vejviser, the templates, the page's template, path and
    /// whole context, and the guideline's title (the fallback description).
    /// None for a context that was not keyed.
    fn page_key(&self, job: &Job) -> Option<Digest> {
        let context = job.context.digest()?;
        let key = KeyHasher::new("page")
            .digest(&self.prepared.templates_digest)
            .part(job.template.as_bytes())
            .part(job.url.as_bytes())
            .part(self.g.meta.title.as_bytes())
            .digest(&context)
            .finish();
        Some(key)
    }

    /// Render one page with Tera, as [`render_one`](Site::render_one) without the cache.
    fn render_fresh(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let fallback = || {
            let title = job.context.get("page_title").and_then(|t| t.as_str());
            match title.filter(|t| !t.is_empty()) {
                Some(t) => format!("{t} – {}", self.g.meta.title),
                None => self.g.meta.title.clone(),
            }
        };
        self.prepared
            .tera
            .render(job.template, job.context.tera())
            .map(|html| OutputFile::page(&job.url, head::fill_description(html, &fallback())))
            .map_err(|e| self.error(&e))
    }

    /// Render `jobs` side by side; every template error, each once (one error shows up on
    /// every page that uses the template).
    pub fn render(&self, jobs: Vec<Job>) -> Rendered {
        let results: Vec<Result<OutputFile, Diagnostic>> =
            jobs.par_iter().map(|job| self.render_one(job)).collect();
        collect(results)
    }

    /// A section's body HTML and footnotes: the Markdown rendered, the interventions table and
    /// the local parts filled in. A section a local version inserted is untrusted and
    /// sanitised. The table is left out where `with_matrix` is false (the print page).
    pub fn section_html(
        &self,
        s: &Section,
        links: &LinkContext<'_>,
        opts: &RenderOptions<'_>,
        with_matrix: bool,
    ) -> Result<(String, String), tera::Error> {
        if s.local.is_some() {
            let html = super::local::local_html(&s.body, links, opts.id_prefix, opts.heading_shift);
            return Ok((html, String::new()));
        }
        let r = markdown::render(&s.body, links, opts);
        let matrix = if with_matrix {
            self.prepared.matrix_html.as_str()
        } else {
            ""
        };
        let html = r.html.replace(MATRIX_PLACEHOLDER, matrix);
        let p = self.prepared;
        let html = super::local::fill_parts(html, s, &p.tera, p.base.tera(), links, opts)?;
        Ok((html, r.footnotes))
    }
}

/// The digest of everything in section `s` that its pages can show: every field but where it
/// came from (its file and the places of its fields, which only messages use). The fields are
/// named one by one, so a field added to [`Section`] or [`LocalPart`] does not compile here
/// until it is keyed or set aside.
fn section_digest(s: &Section) -> Digest {
    let Section {
        id,
        number,
        title,
        excerpt,
        kind,
        parent,
        roles,
        role_page,
        body,
        file: _,
        body_offset: _,
        id_origin: _,
        number_origin: _,
        kind_origin: _,
        parent_origin: _,
        role_origins: _,
        local,
        local_parts,
    } = s;
    let mut h = KeyHasher::new("section");
    h.part(id.as_bytes())
        .debug(number)
        .part(title.as_bytes())
        .part(excerpt.as_bytes())
        .debug(kind)
        .debug(parent)
        .debug(roles)
        .debug(role_page)
        .part(body.as_bytes())
        .debug(local);
    for part in local_parts {
        let LocalPart {
            marker,
            kind,
            owner,
            reason,
            body,
            national,
            deviation,
            file: _,
            body_offset: _,
        } = part;
        h.part(marker.as_bytes())
            .debug(kind)
            .part(owner.as_bytes())
            .debug(reason)
            .part(body.as_bytes())
            .debug(national)
            .debug(deviation);
    }
    h.finish()
}

/// The values of `results`, or all their errors, each once.
pub fn collect<T>(
    results: impl IntoIterator<Item = Result<T, Diagnostic>>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(dedup(errors))
    }
}

/// `errors` without repeats (by their text), in order.
pub fn dedup(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    errors
        .into_iter()
        .filter(|d| seen.insert(d.to_string()))
        .collect()
}
