//! The `vejviser` command line: one file per command under `cmd/`, each with its own arguments.

mod cmd;

/// mimalloc instead of the system allocator: the build allocates and frees many small strings
/// on every core, where glibc's malloc cost about a quarter of the build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Start a new guideline in DIR (default: here): content to edit, ready to build.
    Init(cmd::init::InitArgs),
    /// Build the site from content/ (and any templates/ overrides) into site/ (or --out DIR).
    Build(cmd::build::BuildArgs),
    /// Run every validation without writing the site.
    Check(cmd::check::CheckArgs),
    /// Scaffold a local version in content/local/<SLUG>/.
    NewLocal(cmd::new_local::NewLocalArgs),
    /// Re-confirm a local version's overlays against the current national text.
    Pin(cmd::pin::PinArgs),
    /// Build, serve the site on 127.0.0.1, rebuild on every change and reload the browser.
    Serve(cmd::serve::ServeArgs),
}

fn main() -> ExitCode {
    let ok = match Cli::parse().command {
        Command::Init(args) => cmd::init::run(&args),
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::NewLocal(args) => cmd::new_local::run(&args),
        Command::Pin(args) => cmd::pin::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
