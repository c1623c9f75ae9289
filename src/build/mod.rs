//! The whole pipeline in one call: load, validate, render, write. Each site (the national
//! one, each local version) is made by [`site::render`], which writes each file into the
//! build's [`Sink`] as it is made: a new folder that replaces the output folder only when
//! everything succeeded ([`SiteFolder`]), or memory for the preview.

mod assets;
mod export;
mod host;
mod inputs;
mod output;
mod service_worker;
mod site;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::{Discard, MemorySink, OutputFile, Sink, SiteFolder};
use crate::base::theme::Theme;
use crate::base::timing;
use crate::cache::Cache;
use crate::model::pages::{self, PageKind};
use crate::model::Guideline;
use crate::{check, content, local, render};
use output::{SiteOutput, Written};

/// Where a build reads from and writes to.
#[derive(Debug, Clone)]
pub struct BuildPaths {
    pub content: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
}

/// Which sites a build makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Versions {
    /// The national site, and every local version under `lokal/<slug>/` in it.
    #[default]
    All,
    /// Only the local version with this slug, as a site of its own.
    Only(String),
}

/// Load, validate and render the national site and every local version (under
/// `lokal/<slug>/`); the files when there were no errors.
pub fn render_files(paths: &BuildPaths, diags: &mut Diagnostics) -> Option<Vec<OutputFile>> {
    render_files_cached(paths, None, diags)
}

/// [`render_files`], taking what `cache` holds of the files now in `paths.out`; after they
/// are in place, [`Cache::save_files`] records them for the next time.
pub fn render_files_cached(
    paths: &BuildPaths,
    cache: Option<&Cache>,
    diags: &mut Diagnostics,
) -> Option<Vec<OutputFile>> {
    let sink = MemorySink::default();
    render_into(paths, &Versions::All, None, &sink, cache, diags)?;
    Some(sink.into_files())
}

/// The build cache's folder when none is given: `.vejviser-cache/` beside the content folder
/// (in the project's folder, where `init` writes a `.gitignore` that ignores it).
pub fn default_cache_dir(content: &Path) -> PathBuf {
    let content = std::fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf());
    let parent = content
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(crate::cache::DIR_NAME)
}

/// Load, validate and render `versions` with `base_url` (a normalised base URL, see
/// [`crate::base::url::parse_base_url`]) in place of `guideline.yaml`'s, when given, putting
/// each file into `sink` as it is made, and taking what `cache` holds of the previous build.
/// What was written, or None when there were errors (what was put then is not a site).
pub fn render_into(
    paths: &BuildPaths,
    versions: &Versions,
    base_url: Option<&str>,
    sink: &dyn Sink,
    cache: Option<&Cache>,
    diags: &mut Diagnostics,
) -> Option<Vec<Written>> {
    let theme = Theme::load(&paths.templates, diags);
    let mut guideline = timing::phase("load", || {
        content::load_with_theme(&paths.content, &theme, diags)
    });
    if let (Some(g), Some(url)) = (guideline.as_mut(), base_url) {
        g.meta.base_url = Some(url.to_string());
    }
    let checked = timing::phase("validate", || {
        guideline.as_ref().map(|g| check::validate(g, diags))
    });
    let slugs = match versions {
        Versions::All => local::discover(&paths.content, diags),
        Versions::Only(slug) => vec![slug.clone()],
    };
    let locals: Vec<local::LocalVersion> = slugs
        .iter()
        .filter_map(|slug| local::load(&paths.content, slug, diags))
        .collect();
    let (Some(g), Some(c)) = (&guideline, &checked) else {
        render::check_templates(&theme, diags);
        return None;
    };
    // Local versions are checked even when the national content has errors, so one run
    // reports both; they are rendered only when everything is right.
    let local_guidelines: Vec<(String, Guideline, check::Checked)> = locals
        .iter()
        .filter_map(|v| {
            let mut lg = local::apply(g, v, diags)?;
            with_local_base_url(&mut lg, g, &v.info.slug);
            let lc = local::validate(&lg, diags);
            Some((v.info.slug.clone(), lg, lc))
        })
        .collect();
    if diags.has_errors() {
        render::check_templates(&theme, diags);
        return None;
    }
    // The local sites first, side by side, each with its own problems: the national site's
    // host files cover their files too.
    let rendered: Vec<(Option<Vec<Written>>, Diagnostics)> = local_guidelines
        .par_iter()
        .map(|(slug, lg, lc)| {
            let mut d = Diagnostics::default();
            let prefix = match versions {
                Versions::All => format!("{}/{slug}/", g.interface.names.local_dir()),
                Versions::Only(_) => String::new(),
            };
            let site = SiteTarget {
                sink,
                prefix: &prefix,
                cache,
            };
            let written = render_site(lg, lc, &theme, &site, &[], &[], &mut d);
            (written, d)
        })
        .collect();
    let mut all: Vec<Written> = Vec::new();
    for (written, d) in rendered {
        diags.extend(d);
        all.extend(written?);
    }
    if *versions == Versions::All {
        let local_urls: Vec<&str> = local_guidelines
            .iter()
            .filter_map(|(_, lg, _)| lg.meta.base_url.as_deref())
            .collect();
        let site = SiteTarget {
            sink,
            prefix: "",
            cache,
        };
        let national = timing::phase("render national site", || {
            render_site(g, c, &theme, &site, &all, &local_urls, diags)
        })?;
        all.extend(national);
    }
    (!diags.has_errors()).then_some(all)
}

/// Where one site goes: the sink, the folder in it (`lokal/<slug>/` for a local version inside
/// the national site, else empty) and the cache of the previous build.
struct SiteTarget<'a> {
    sink: &'a dyn Sink,
    prefix: &'a str,
    cache: Option<&'a Cache>,
}

/// Render one site into its target, with its `robots.txt` (naming the sitemaps at
/// `local_sitemaps` too) and its host files, which cover the files `within` (the local sites
/// inside it) as well; what was written, paths from the sink's root.
fn render_site(
    g: &Guideline,
    checked: &check::Checked,
    theme: &Theme,
    target: &SiteTarget<'_>,
    within: &[Written],
    local_sitemaps: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<Written>> {
    let prefix = target.prefix;
    let out = SiteOutput::new(target.sink, prefix);
    let mut robots = site::render(g, checked, theme, &out, target.cache, diags)?;
    host::list_local_sitemaps(
        &mut robots,
        &g.interface.names,
        local_sitemaps.iter().copied(),
    );
    out.put(&robots);
    let mut covered = out.written();
    covered.extend(within.iter().cloned());
    for f in host::files_for(g.meta.base_url.as_deref(), &g.interface.names, &covered) {
        out.put(&f);
    }
    match out.finish() {
        Ok(written) => Some(
            written
                .into_iter()
                .map(|mut w| {
                    w.path.insert_str(0, prefix);
                    w
                })
                .collect(),
        ),
        Err(errors) => {
            for e in errors {
                diags.push(Diagnostic::file(&PathBuf::from(prefix), e));
            }
            None
        }
    }
}

/// A local site's address: its manifest's `base_url` (a region's own domain), else its folder
/// under the national site's (`<national>/lokal/<slug>/`), else none; the national address
/// is kept for the canonical links of unchanged national sections.
fn with_local_base_url(lg: &mut Guideline, national: &Guideline, slug: &str) {
    let national_url = national.meta.base_url.clone();
    let own = lg.local.as_ref().and_then(|l| l.base_url.clone());
    lg.meta.base_url = own.or_else(|| {
        national_url
            .as_ref()
            .map(|b| format!("{b}{}/{slug}/", national.interface.names.local_dir()))
    });
    if let Some(info) = lg.local.as_mut() {
        info.national_base_url = national_url;
    }
}

/// Build the site into `paths.out`. Returns false when the build failed (nothing written).
pub fn build(paths: &BuildPaths, diags: &mut Diagnostics) -> bool {
    build_versions(paths, &Versions::All, diags)
}

/// Build `versions` into `paths.out`. Returns false when the build failed (nothing written).
pub fn build_versions(paths: &BuildPaths, versions: &Versions, diags: &mut Diagnostics) -> bool {
    build_versions_at(paths, versions, None, diags)
}

/// [`build_versions`] with `base_url` in place of `guideline.yaml`'s, when given.
pub fn build_versions_at(
    paths: &BuildPaths,
    versions: &Versions,
    base_url: Option<&str>,
    diags: &mut Diagnostics,
) -> bool {
    !matches!(
        build_cached(paths, versions, base_url, None, diags),
        Outcome::Failed
    )
}

/// How a build ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was written (the problems are in the diagnostics); the previous site stays.
    Failed,
    /// Nothing had changed since the last build, whose site is there as it wrote it.
    UpToDate,
    /// The site was written: `reused` pages and search indexes were taken from the previous
    /// build, `made` were made afresh; `note` says why the cache could not be used, if so.
    Built {
        reused: usize,
        made: usize,
        note: Option<String>,
    },
}

/// [`build_versions_at`] with the build cache in `cache_dir`, when given (see
/// [`crate::cache`]): when nothing changed, nothing is written; otherwise what would come out
/// as before is taken from the previous site and the rest is made.
pub fn build_cached(
    paths: &BuildPaths,
    versions: &Versions,
    base_url: Option<&str>,
    cache_dir: Option<&Path>,
    diags: &mut Diagnostics,
) -> Outcome {
    if let Err(d) = check_out_dir(paths) {
        diags.push(d);
        return Outcome::Failed;
    }
    if let Some(Err(d)) = cache_dir.map(|dir| check_cache_dir(paths, dir)) {
        diags.push(d);
        return Outcome::Failed;
    }
    let cache = cache_dir.map(|dir| Cache::open(dir, &paths.out));
    let read = || inputs::digest(paths, versions, base_url);
    let before = cache.as_ref().and_then(|_| timing::phase("inputs", read));
    if let (Some(c), Some(inputs)) = (&cache, &before) {
        if timing::phase("check previous site", || c.up_to_date(inputs)) {
            return Outcome::UpToDate;
        }
    }
    let folder = match SiteFolder::create(&paths.out) {
        Ok(folder) => folder,
        Err(e) => {
            diags.push(Diagnostic::file(
                &paths.out,
                format!("cannot start the new site folder: {e}"),
            ));
            return Outcome::Failed;
        }
    };
    // Dropped unfinished on errors: the new folder goes, the previous site stays.
    let Some(written) = render_into(paths, versions, base_url, &folder, cache.as_ref(), diags)
    else {
        return Outcome::Failed;
    };
    if let Err(e) = timing::phase("write", || folder.finish()) {
        diags.push(Diagnostic::file(
            &paths.out,
            format!("cannot write the site: {e}"),
        ));
        cache.iter().for_each(Cache::discard);
        return Outcome::Failed;
    }
    let Some(cache) = cache else {
        return Outcome::Built {
            reused: 0,
            made: 0,
            note: None,
        };
    };
    // The inputs are taken as this build's only if they did not change while it ran.
    let after = before.and_then(|_| read());
    let inputs = before.filter(|b| after.as_ref() == Some(b));
    let files = written.into_iter().map(|w| (w.path, w.digest)).collect();
    let saved = cache.save(inputs, diags.warning_count(), files);
    let (reused, made) = cache.counts();
    let note = match saved {
        Err(e) => Some(format!("the build cache could not be written: {e}")),
        Ok(()) => cache.ignored.clone(),
    };
    Outcome::Built { reused, made, note }
}

/// The output folder is replaced as a whole, so it must be a folder of its own: not a file,
/// not the content or templates (or a folder holding them), and, if it exists and is not empty,
/// a site built before (it has an `index.html`).
pub fn check_out_dir(paths: &BuildPaths) -> Result<(), Diagnostic> {
    let out = &paths.out;
    let refuse = |message: String| {
        Diagnostic::file(out, message).with_help("choose another folder with --out")
    };
    if out.exists() && !out.is_dir() {
        return Err(refuse(
            "--out names a file, not a folder; it was left as it is".into(),
        ));
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let out_abs = if out.exists() {
        canonical(out)
    } else {
        match out.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) if parent.exists() => {
                canonical(parent).join(out.file_name().unwrap_or_default())
            }
            _ => std::env::current_dir()
                .map(|d| d.join(out))
                .unwrap_or_else(|_| out.clone()),
        }
    };
    for (what, dir) in [("content", &paths.content), ("templates", &paths.templates)] {
        let dir = canonical(dir);
        if dir.starts_with(&out_abs) || out_abs.starts_with(&dir) {
            return Err(refuse(format!(
                "--out would replace or sit inside the {what} folder {}",
                dir.display()
            )));
        }
    }
    if out.is_dir() {
        let empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(pages::spec(PageKind::Index).file).is_file() {
            return Err(refuse(
                "--out is a folder that does not look like a built site (no index.html); it was left as it is".into(),
            ));
        }
    }
    Ok(())
}

/// The cache folder must not sit inside the folders a build reads or replaces (it would be
/// read as content, or replaced with the site).
fn check_cache_dir(paths: &BuildPaths, cache: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| match std::fs::canonicalize(p) {
        Ok(p) => p,
        Err(_) => std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf()),
    };
    let cache_abs = absolute(cache);
    let folders = [
        ("content", &paths.content),
        ("templates", &paths.templates),
        ("output", &paths.out),
    ];
    for (what, dir) in folders {
        if cache_abs.starts_with(absolute(dir)) {
            return Err(Diagnostic::file(
                cache,
                format!(
                    "--cache would sit inside the {what} folder {}",
                    dir.display()
                ),
            )
            .with_help("choose a cache folder outside it, or build with --no-cache"));
        }
    }
    Ok(())
}

/// Validate without writing anything.
pub fn check_only(paths: &BuildPaths, diags: &mut Diagnostics) -> bool {
    render_into(paths, &Versions::All, None, &Discard, None, diags).is_some()
}

#[cfg(test)]
mod tests {
    use crate::model::pages::PageNames;

    /// The names other modules give the site's folders and files are ones the registry
    /// reserves, in every built-in language.
    #[test]
    fn the_registry_knows_every_name_at_the_root() {
        let root = |p: &str| p.split(['/', '.']).next().unwrap_or(p).to_string();
        for language in ["da", "en"] {
            let names = PageNames::built_in(language).expect("names");
            for name in [
                names.local_dir(),
                crate::local::FILES_DIR,
                crate::search::BUNDLE_DIR,
                names.export(),
                names.export_schema(),
                names.questionnaire(),
                names.figures(),
            ] {
                assert!(names.is_reserved(&root(name)), "{language}: {name}");
            }
        }
    }
}
