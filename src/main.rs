//! The `vejviser` command line: one file per command under `cmd/`.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "vejviser",
    version,
    about = "Static-site generator for clinical guidelines"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ and templates/ into site/ (or --out DIR).
    Build(BuildArgs),
    /// Run every validation without writing the site.
    Check(SourceArgs),
    /// Build, serve the site on 127.0.0.1, rebuild on every change and reload the browser.
    Serve(ServeArgs),
}

/// Where the content and templates are.
#[derive(Args, Clone)]
pub struct SourceArgs {
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// The templates folder.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Where to write the site; replaced only when the build succeeds.
    #[arg(long, default_value = "site")]
    out: PathBuf,
}

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Command::Build(args) => {
            cmd::build::run(&args.source.content, &args.source.templates, &args.out)
        }
        Command::Check(args) => cmd::check::run(&args.content, &args.templates),
        Command::Serve(args) => cmd::serve::run_serve(&args),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
