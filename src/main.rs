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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Command::Build(args) => {
            cmd::build::run(&args.source.content, &args.source.templates, &args.out)
        }
        Command::Check(args) => cmd::check::run(&args.content, &args.templates),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
