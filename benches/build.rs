//! Benchmark: the full build of the shipped guideline (load, validate, render, minify, write),
//! repeated; prints the median and spread. Run with `cargo bench --bench build`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vejviser::build::{build, BuildPaths};
use vejviser::diagnostics::Diagnostics;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let paths = BuildPaths {
        content: root.join("content"),
        templates: root.join("templates"),
        out: out.path().join("site"),
    };
    // `cargo bench` passes --bench; under `cargo test --all-targets` this is a quick smoke run.
    let default_runs = if std::env::args().any(|a| a == "--bench") {
        30
    } else {
        2
    };
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_runs);
    // One warm-up build, also to fail early if the content does not build.
    let mut diags = Diagnostics::default();
    assert!(
        build(&paths, &mut diags),
        "the shipped guideline must build"
    );
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let mut diags = Diagnostics::default();
            let start = Instant::now();
            let ok = build(&paths, &mut diags);
            let t = start.elapsed();
            assert!(ok);
            t
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let files = walkdir::WalkDir::new(&paths.out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    println!(
        "build of the shipped guideline ({files} files), {runs} runs: median {:.1} ms, min {:.1} ms, max {:.1} ms, p90 {:.1} ms",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1]),
        ms(times[(runs * 9) / 10])
    );
}
