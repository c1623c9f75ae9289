//! `vejviser serve`: build, serve on 127.0.0.1, rebuild on every change and reload the browser.

use std::path::PathBuf;

use clap::Args;
use vejviser::build::BuildPaths;
use vejviser::serve::Options;

use super::SourceArgs;

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Where to write the site while previewing.
    #[arg(long, default_value = "site")]
    out: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// The address to listen on; only 127.0.0.1 unless asked.
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Serve the local version SLUG (built under <out>/lokal/SLUG/) as the site's root.
    #[arg(long, value_name = "SLUG")]
    local: Option<String>,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn run(args: &ServeArgs) -> bool {
    vejviser::serve::run(Options {
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
