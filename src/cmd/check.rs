//! `vejviser check`: every validation of a build, without writing anything.

use std::path::PathBuf;

use clap::Args;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{check_only, BuildPaths};

use super::SourceArgs;

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    source: SourceArgs,
}

pub fn run(args: &CheckArgs) -> bool {
    let paths = BuildPaths {
        content: args.source.content.clone(),
        templates: args.source.templates.clone(),
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
