//! `vejviser serve`: build, serve on 127.0.0.1, rebuild on every change and reload the browser.

use vejviser::build::BuildPaths;
use vejviser::serve::{run, Options};

pub fn run_serve(args: &crate::ServeArgs) -> bool {
    run(Options {
        paths: BuildPaths {
            content: args.source.content.clone(),
            templates: args.source.templates.clone(),
            out: args.out.clone(),
        },
        host: args.host,
        port: args.port,
        local: args.local.clone(),
        open: args.open,
    })
}
