//! `vejviser check`: every validation of a build, without writing anything.

use std::path::{Path, PathBuf};

use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{check_only, BuildPaths};

pub fn run(content: &Path, templates: &Path) -> bool {
    let paths = BuildPaths {
        content: content.to_path_buf(),
        templates: templates.to_path_buf(),
        out: PathBuf::new(),
    };
    let mut diags = Diagnostics::default();
    let ok = check_only(&paths, &mut diags);
    let ok = super::finish(&diags, "check") && ok;
    if ok {
        eprintln!("check passed: no errors");
    }
    ok
}
