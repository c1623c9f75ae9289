//! `vejviser build`: build the site; the previous site stays if anything fails.

use std::path::Path;
use std::time::Instant;

use vejviser::build::{build, BuildPaths};
use vejviser::diagnostics::Diagnostics;

pub fn run(content: &Path, templates: &Path, out: &Path) -> bool {
    let started = Instant::now();
    let paths = BuildPaths {
        content: content.to_path_buf(),
        templates: templates.to_path_buf(),
        out: out.to_path_buf(),
    };
    let mut diags = Diagnostics::default();
    let ok = build(&paths, &mut diags);
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
