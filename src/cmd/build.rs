//! `vejviser build`: build the national site and every local version (or, with `--local`, one
//! local version); the previous site stays if anything fails.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{build_versions, BuildPaths, Versions};

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
    let mut diags = Diagnostics::default();
    let ok = build_versions(&paths, &versions, &mut diags);
    let ok = super::finish(&diags, "build") && ok;
    if ok {
        eprintln!(
            "built {} in {} ms",
            out.display(),
            started.elapsed().as_millis()
        );
    } else {
        eprintln!("nothing was written; {} is unchanged", out.display());
    }
    ok
}
