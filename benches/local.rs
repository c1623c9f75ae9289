//! Benchmark: the national site plus 0…5 local versions (copies of the shipped Region
//! Midtjylland version), each built in full (load, validate, apply, render, index, write);
//! prints the median per count and the cost of each extra local version, to show that the
//! build grows linearly. Run with `cargo bench --bench local`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{build, BuildPaths};

/// mimalloc instead of the system allocator: the build allocates and frees many small strings
/// on every core, where glibc's malloc cost about a quarter of the build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

fn main() {
    // As `vejviser build` does (src/memory.rs).
    vejviser::base::memory::keep_freed_memory();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let bench = std::env::args().any(|a| a == "--bench");
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if bench { 15 } else { 1 });
    let counts: Vec<usize> = if bench { (0..=5).collect() } else { vec![0, 1] };
    let example = root.join("content/local/region-midtjylland");
    let mut medians = Vec::new();
    for &n in &counts {
        let content = tmp.path().join(format!("content-{n}"));
        for entry in std::fs::read_dir(root.join("content")).expect("content") {
            let entry = entry.expect("entry");
            if entry.file_name() != "local" {
                let dest = content.join(entry.file_name());
                if entry.file_type().expect("type").is_dir() {
                    copy_dir(&entry.path(), &dest);
                } else {
                    std::fs::create_dir_all(&content).expect("mkdir");
                    std::fs::copy(entry.path(), &dest).expect("copy");
                }
            }
        }
        for i in 0..n {
            copy_dir(&example, &content.join(format!("local/region-{i}")));
        }
        let paths = BuildPaths {
            content,
            templates: root.join("templates"),
            out: tmp.path().join(format!("site-{n}")),
        };
        let mut diags = Diagnostics::default();
        assert!(
            build(&paths, &mut diags),
            "national + {n} local versions must build"
        );
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let mut diags = Diagnostics::default();
                let start = Instant::now();
                assert!(build(&paths, &mut diags));
                start.elapsed()
            })
            .collect();
        times.sort();
        let median = times[runs / 2].as_secs_f64() * 1000.0;
        let files = walkdir::WalkDir::new(&paths.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        println!("national + {n} local: {files} files, median {median:.1} ms of {runs} runs (min {:.1}, max {:.1})",
            times[0].as_secs_f64() * 1000.0, times[runs - 1].as_secs_f64() * 1000.0);
        medians.push((n, median));
    }
    for w in medians.windows(2) {
        println!(
            "  {} → {} local: +{:.1} ms",
            w[0].0,
            w[1].0,
            w[1].1 - w[0].1
        );
    }
    // A straight line through the medians (least squares) and how well it fits (R²).
    let k = medians.len() as f64;
    let mx = medians.iter().map(|(n, _)| *n as f64).sum::<f64>() / k;
    let my = medians.iter().map(|(_, t)| t).sum::<f64>() / k;
    let sxy: f64 = medians
        .iter()
        .map(|(n, t)| (*n as f64 - mx) * (t - my))
        .sum();
    let sxx: f64 = medians.iter().map(|(n, _)| (*n as f64 - mx).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let intercept = my - slope * mx;
    let ss_tot: f64 = medians.iter().map(|(_, t)| (t - my).powi(2)).sum();
    let ss_res: f64 = medians
        .iter()
        .map(|(n, t)| (t - (intercept + slope * *n as f64)).powi(2))
        .sum();
    let r2 = if ss_tot > 0.0 {
        1.0 - ss_res / ss_tot
    } else {
        1.0
    };
    println!(
        "linear fit of the medians: {intercept:.1} ms + {slope:.1} ms per local version (R² = {r2:.3}); national alone {:.1} ms",
        medians[0].1
    );
}
