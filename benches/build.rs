//! Benchmark of the build (harness = false). `cargo bench --bench build` measures, as medians of
//! several runs:
//!
//! - the full build of the shipped guideline (load, validate, render, search index, minify,
//!   write into a new folder);
//! - for synthetic guidelines (src/corpus.rs, seed 1) of `BENCH_SIZES` sections (default
//!   1000,10000): the full build; the floor — the same Markdown bodies read, parsed and rendered
//!   with pulldown-cmark and written, one file each, in parallel with rayon, nothing else; how
//!   much of the build the search index (pagefind) takes; the incremental rebuild of
//!   `vejviser serve` after an edit of one section's body; and the peak memory (VmHWM) of
//!   `vejviser build` run as a child process.
//!
//! `BENCH_RUNS` sets the runs per figure (default 5; 30 for the shipped guideline). Under
//! `cargo test --all-targets` it is a quick smoke run on a 60-section corpus.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// mimalloc instead of the system allocator: the build allocates and frees many small strings
/// on every core, where glibc's malloc cost about a quarter of the build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{build, BuildPaths};
use vejviser::serve::rebuild::Rebuilder;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Time `f` `runs` times; `setup` runs before each (untimed).
fn timed(runs: usize, mut setup: impl FnMut(usize), mut f: impl FnMut(usize)) -> Duration {
    let v = (0..runs)
        .map(|i| {
            setup(i);
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    median(v)
}

fn full_build(content: &Path, templates: &Path, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let paths = BuildPaths {
        content: content.to_path_buf(),
        templates: templates.to_path_buf(),
        out: out.to_path_buf(),
    };
    let mut diags = Diagnostics::default();
    let ok = build(&paths, &mut diags);
    if !ok {
        diags.print();
        panic!("the build of {} failed", content.display());
    }
}

/// The floor: every section body parsed and rendered by pulldown-cmark and written to a file
/// of its own, in parallel; nothing else.
fn floor(content: &Path, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).expect("floor folder");
    let files: Vec<PathBuf> = std::fs::read_dir(content.join("sections"))
        .expect("sections")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.par_iter().for_each(|path| {
        let text = std::fs::read_to_string(path).expect("section");
        let body = text
            .strip_prefix("---")
            .and_then(|rest| rest.find("\n---").map(|end| &rest[end + 4..]))
            .unwrap_or(&text);
        let mut options = pulldown_cmark::Options::empty();
        options.insert(pulldown_cmark::Options::ENABLE_TABLES);
        options.insert(pulldown_cmark::Options::ENABLE_FOOTNOTES);
        let mut html = String::with_capacity(body.len() * 2);
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, options));
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        std::fs::write(out.join(format!("{}.html", name.unwrap_or_default())), html)
            .expect("write");
    });
}

/// Peak resident memory (VmHWM, KiB) of `vejviser build` as a child process.
fn peak_memory(content: &Path, templates: &Path, out: &Path) -> Option<u64> {
    let _ = std::fs::remove_dir_all(out);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(["build", "--content"])
        .arg(content)
        .arg("--templates")
        .arg(templates)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if child.try_wait().ok()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (peak > 0).then_some(peak)
}

/// The median time of `vejviser serve`'s rebuild after an edit of one section body.
fn incremental(content: &Path, templates: &Path, out: &Path, runs: usize) -> Duration {
    let _ = std::fs::remove_dir_all(out);
    let mut r = Rebuilder::new(BuildPaths {
        content: content.to_path_buf(),
        templates: templates.to_path_buf(),
        out: out.to_path_buf(),
    });
    r.rebuild(&[]).map_err(|d| d.print()).expect("first build");
    let mut files: Vec<PathBuf> = std::fs::read_dir(content.join("sections"))
        .expect("sections")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let original = std::fs::read_to_string(&file).expect("section");
    let times = (0..runs)
        .map(|i| {
            let edited = format!("{original}\nRedigeret afsnit nummer {i} til benchmark.\n");
            std::fs::write(&file, edited).expect("edit");
            let t = Instant::now();
            let report = r
                .rebuild(std::slice::from_ref(&file))
                .map_err(|d| d.print())
                .expect("rebuild");
            let e = t.elapsed();
            assert_eq!(
                report.how, "incremental",
                "an edit of one body is incremental"
            );
            e
        })
        .collect();
    std::fs::write(&file, original).expect("restore");
    median(times)
}

fn main() {
    // As `vejviser build` does (src/memory.rs).
    vejviser::base::memory::keep_freed_memory();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let templates = root.join("templates");
    let tmp = tempfile::tempdir().expect("tempdir");
    let bench = std::env::args().any(|a| a == "--bench");
    let env_num = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
    };
    let runs = env_num("BENCH_RUNS").unwrap_or(if bench { 5 } else { 1 });
    let sizes: Vec<usize> = match std::env::var("BENCH_SIZES") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) if bench => vec![1000, 10000],
        Err(_) => vec![60],
    };
    println!(
        "machine: {} logical CPUs (rayon threads: {}); {runs} run(s) per figure, medians",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rayon::current_num_threads()
    );

    // The shipped guideline.
    let out = tmp.path().join("site");
    let shipped_runs = env_num("BENCH_RUNS").unwrap_or(if bench { 30 } else { 2 });
    full_build(&root.join("content"), &templates, &out); // warm-up
    let shipped = timed(
        shipped_runs,
        |_| {
            let _ = std::fs::remove_dir_all(&out);
        },
        |_| full_build(&root.join("content"), &templates, &out),
    );
    println!(
        "shipped guideline: full build {:.1} ms (median of {shipped_runs})",
        ms(shipped)
    );
    if let Some(kb) = peak_memory(&root.join("content"), &templates, &out) {
        println!(
            "shipped guideline: peak memory {:.0} MiB",
            kb as f64 / 1024.0
        );
    }

    println!("| sections | floor | full build | ratio | search index | build without index | ratio | incremental (1 edit) | peak memory |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let content = tmp.path().join(format!("content-{n}"));
        vejviser::corpus::generate(&root.join("content"), &content, n, 1).expect("corpus");
        let floor_out = tmp.path().join("floor");
        floor(&content, &floor_out); // warm the file cache
        let floor_t = timed(runs, |_| {}, |_| floor(&content, &floor_out));
        let full_t = timed(runs, |_| {}, |_| full_build(&content, &templates, &out));
        // The search index's share: pagefind over the pages the build wrote.
        let pages: Vec<vejviser::base::output::OutputFile> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .filter_map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&out)
                    .ok()?
                    .to_string_lossy()
                    .into_owned();
                Some(vejviser::base::output::OutputFile::asset(
                    &rel,
                    std::fs::read(e.path()).ok()?,
                ))
            })
            .collect();
        let names = vejviser::model::pages::PageNames::built_in("da").expect("names");
        let index_t = timed(
            runs.min(3),
            |_| {},
            |_| {
                vejviser::search::index(&pages, &names).expect("search index");
            },
        );
        let inc_t = incremental(&content, &templates, &tmp.path().join("inc"), runs.max(5));
        let peak = peak_memory(&content, &templates, &out).map_or("n/a".to_string(), |kb| {
            format!("{:.0} MiB", kb as f64 / 1024.0)
        });
        let without = full_t.saturating_sub(index_t);
        println!(
            "| {n} | {:.0} ms | {:.0} ms | {:.1}× | {:.0} ms | {:.0} ms | {:.1}× | {:.1} ms | {peak} |",
            ms(floor_t),
            ms(full_t),
            ms(full_t) / ms(floor_t),
            ms(index_t),
            ms(without),
            ms(without) / ms(floor_t),
            ms(inc_t),
        );
        let _ = std::fs::remove_dir_all(&content);
    }
}
