//! The `vejviser` command line: one file per command under `cmd/`.

mod cmd;

/// mimalloc instead of the system allocator: the build allocates and frees many small strings
/// on every core, where glibc's malloc cost about a quarter of the build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Scaffold a local version in content/local/<SLUG>/.
    NewLocal(NewLocalArgs),
    /// Re-confirm a local version's overlays against the current national text.
    Pin(PinArgs),
    /// Build, serve the site on 127.0.0.1, rebuild on every change and reload the browser.
    Serve(ServeArgs),
}

#[derive(Args)]
pub struct NewLocalArgs {
    /// The local version's folder name: lower-case a-z, digits and '-'.
    slug: String,
    /// Who owns it, e.g. "Region Midtjylland".
    #[arg(long)]
    owner: Option<String>,
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
}

#[derive(Args)]
pub struct PinArgs {
    /// The local version.
    slug: String,
    /// Overlay files to pin (names in the local folder); all when none are given.
    files: Vec<String>,
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
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
    /// Where to write the site; replaced only when the build succeeds. Default: site/, or
    /// site/lokal/<SLUG>/ with --local.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Build only this local version (content/local/<SLUG>/), as a site of its own.
    #[arg(long, value_name = "SLUG")]
    local: Option<String>,
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
        Command::Build(args) => cmd::build::run(
            &args.source.content,
            &args.source.templates,
            args.out.as_deref(),
            args.local.as_deref(),
        ),
        Command::Check(args) => cmd::check::run(&args.content, &args.templates),
        Command::NewLocal(args) => {
            cmd::new_local::run(&args.content, &args.slug, args.owner.as_deref())
        }
        Command::Pin(args) => cmd::pin::run(&args.content, &args.slug, &args.files),
        Command::Serve(args) => cmd::serve::run_serve(&args),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
