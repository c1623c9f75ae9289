//! `gen-corpus`: write a synthetic guideline of N sections (deterministic for a seed) for
//! benchmarks: `cargo run --release --bin gen-corpus -- --sections 10000 --seed 1 --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "gen-corpus",
    about = "Write a synthetic guideline content folder"
)]
struct Args {
    /// How many sections to generate.
    #[arg(long, default_value_t = 1000)]
    sections: usize,
    /// The seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The content folder to write (created).
    #[arg(long)]
    out: PathBuf,
    /// The shipped content whose YAML files are copied.
    #[arg(long, default_value = "content")]
    from: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.sections == 0 {
        eprintln!("--sections must be at least 1");
        return ExitCode::FAILURE;
    }
    if args.out.exists() && std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!(
            "{} exists and is not empty; choose a new folder",
            args.out.display()
        );
        return ExitCode::FAILURE;
    }
    match vejviser::corpus::generate(&args.from, &args.out, args.sections, args.seed) {
        Ok(()) => {
            eprintln!(
                "wrote {} sections (seed {}) to {}",
                args.sections,
                args.seed,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
