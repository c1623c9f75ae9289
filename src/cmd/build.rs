//! `vejviser build`: build the national site and every local version (or, with `--local`, one
//! local version); the previous site stays if anything fails.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{build_cached, BuildPaths, Outcome, Versions};

use super::SourceArgs;

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Where to write the site; replaced only when the build succeeds. Default: site/, or
    /// site/lokal/<SLUG>/ with --local.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Build only this local version (content/local/<SLUG>/), as a site of its own.
    #[arg(long, value_name = "SLUG")]
    local: Option<String>,
    /// The address the site is published at (absolute http(s) URL), for the sitemap, canonical
    /// links and host configuration; overrides VEJVISER_BASE_URL and guideline.yaml's base_url.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Where the build cache is kept (what the previous build made, so that the next one
    /// re-renders only what changed). Default: .vejviser-cache/ beside the content folder.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Build everything afresh, without reading or writing the build cache.
    #[arg(long, conflicts_with = "cache")]
    no_cache: bool,
}

/// The environment variable that sets the base URL (below `--base-url`, above guideline.yaml).
pub const BASE_URL_ENV: &str = "VEJVISER_BASE_URL";

/// The base URL of `--base-url`, else of `VEJVISER_BASE_URL`, normalised; Err with the message
/// when the one given is not an absolute http(s) URL.
fn base_url(flag: Option<&str>) -> Result<Option<String>, String> {
    let env = std::env::var(BASE_URL_ENV).ok();
    let (value, from) = match (flag, env.as_deref()) {
        (Some(f), _) => (f, "--base-url"),
        (None, Some(e)) if !e.trim().is_empty() => (e, BASE_URL_ENV),
        _ => return Ok(None),
    };
    vejviser::base::url::parse_base_url(value).map_err(|problem| format!("{from}: {problem}"))
}

pub fn run(args: &BuildArgs) -> bool {
    let (content, templates) = (&args.source.content, &args.source.templates);
    let (out, local) = (args.out.as_deref(), args.local.as_deref());
    let started = Instant::now();
    vejviser::base::memory::keep_freed_memory();
    let out: PathBuf = match (out, local) {
        (Some(o), _) => o.to_path_buf(),
        (None, Some(slug)) => Path::new("site").join("lokal").join(slug),
        (None, None) => PathBuf::from("site"),
    };
    let paths = BuildPaths {
        content: content.to_path_buf(),
        templates: templates.to_path_buf(),
        out: out.clone(),
    };
    let versions = match local {
        Some(slug) => Versions::Only(slug.to_string()),
        None => Versions::All,
    };
    let base_url = match base_url(args.base_url.as_deref()) {
        Ok(url) => url,
        Err(problem) => {
            eprintln!("error: {problem}");
            eprintln!(
                "  help: give the published address, e.g. https://example.org/retningslinje/"
            );
            eprintln!("nothing was written; {} is unchanged", out.display());
            return false;
        }
    };
    let cache_dir = match (args.no_cache, &args.cache) {
        (true, _) => None,
        (false, Some(dir)) => Some(dir.clone()),
        (false, None) => Some(vejviser::build::default_cache_dir(content)),
    };
    let mut diags = Diagnostics::default();
    let outcome = build_cached(
        &paths,
        &versions,
        base_url.as_deref(),
        cache_dir.as_deref(),
        &mut diags,
    );
    if outcome == Outcome::UpToDate {
        eprintln!(
            "{} is up to date: nothing changed since it was built (checked in {} ms)",
            out.display(),
            started.elapsed().as_millis()
        );
        return true;
    }
    let ok = super::finish(&diags, "build") && outcome != Outcome::Failed;
    if ok && !out.join("sitemap.xml").is_file() {
        eprintln!(
            "note: no base URL is set, so no sitemap.xml, canonical links or robots.txt Sitemap line were written; \
             set base_url in guideline.yaml, pass --base-url URL or set {BASE_URL_ENV}"
        );
    }
    if let Outcome::Built {
        note: Some(note), ..
    } = &outcome
    {
        eprintln!("note: {note}");
    }
    if ok {
        let from_cache = match outcome {
            Outcome::Built { reused, made, .. } if reused > 0 => {
                format!(" ({made} pages and search indexes made, {reused} taken from the previous build)")
            }
            _ => String::new(),
        };
        eprintln!(
            "built {} in {} ms{from_cache}",
            out.display(),
            started.elapsed().as_millis()
        );
    } else {
        eprintln!("nothing was written; {} is unchanged", out.display());
    }
    ok
}
