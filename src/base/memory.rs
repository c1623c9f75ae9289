//! The allocator's settings for a one-off build: memory that is freed is kept for reuse rather
//! than handed back to the system.
//!
//! The binaries use mimalloc as their allocator. By default it returns ("purges") memory that has
//! been free for a second, and the next phase of the build then faults fresh, zeroed pages in
//! again: at 10,000 sections about 120,000 page faults and some 3 s of a 19 s build
//! (BENCHMARKS.md). A build is a short process, so it keeps what it freed; `serve`, which runs for
//! hours, does not call this.

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (the 16th option of `mi_option_e`), which
/// libmimalloc-sys has no constant for: milliseconds before free memory is purged; -1: never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Never hand freed memory back to the system during this process.
pub fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores an option value; any option index and value are valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_is_the_purge_delay() {
        // mimalloc 3's default purge delay is 1,000 ms: a wrong index would read another option.
        // SAFETY: reading an option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
        keep_freed_memory();
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, -1);
    }
}
