//! Phase timings of a build, printed to standard error when `VEJVISER_TIMINGS` is set: where a
//! build spends its time, for profiling (the benchmark figures come from `benches/`).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("VEJVISER_TIMINGS").is_some())
}

/// Run `f`, and print how long it took as phase `name` when timings are on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    report(name, start);
    out
}

/// Print the time since `start` as phase `name` when timings are on (for a phase that
/// [`phase`] cannot wrap, such as one inside an async block).
pub fn report(name: &str, start: Instant) {
    if enabled() {
        eprintln!(
            "timing: {name}: {:.1} ms{}",
            start.elapsed().as_secs_f64() * 1000.0,
            peak_memory()
        );
    }
}

/// The process's peak resident memory so far (Linux's VmHWM), as ", peak N MiB"; empty where
/// it cannot be read.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kib| format!(", peak {} MiB", kib / 1024))
        .unwrap_or_default()
}
