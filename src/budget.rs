//! A budget of time and memory for analysing one document.
//!
//! Every stage from bytes to facts is meant to be linear, but a batch must not hang on one
//! file, nor grow without bound, whatever it holds: ingest gives each document a deadline and
//! a memory budget ([`Limits`]), and the stages look at them between units of work (windows of
//! text, paragraphs, extractors) and stop early once either is spent. The caller then discards
//! the partial result and rejects the file with the reason ([`Exceeded`]); nothing partial is
//! ever stored.
//!
//! Memory is what this thread allocated and has not freed since the budget began, counted by
//! [`Counting`], the global allocator the `annals` binary installs; without it (a program
//! that uses the library with another allocator) only the up-front check [`ensure_fits`]
//! and the deadline apply. The highest mark is kept ([`peak`]), so a stage that allocates a
//! lot and frees it before the next check is still seen.
//!
//! The budget is per thread (each ingest worker analyses one document at a time), so the
//! extractors' signatures stay as they are.
//!
//! ```
//! use annals::budget::{self, Limits};
//! use std::time::Duration;
//! let r = budget::within(Limits::time(Duration::ZERO), || budget::expired());
//! assert!(r.is_err());
//! let r = budget::within(Limits::none(), || 42);
//! assert_eq!(r.ok(), Some(42));
//! // A reservation larger than the budget is refused before anything is allocated.
//! let r = budget::within(Limits::memory(1 << 20), || budget::ensure_fits(2 << 20));
//! assert!(matches!(r, Ok(Err(budget::Exceeded::MemoryNeeded { .. }))));
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

thread_local! {
    /// The deadline and the time budget it was set from.
    static DEADLINE: Cell<Option<(Instant, Duration)>> = const { Cell::new(None) };
    /// Bytes this thread allocated minus the bytes it freed, since it started.
    static NET: Cell<isize> = const { Cell::new(0) };
    /// The highest `NET` since the last [`within`] began.
    static PEAK: Cell<isize> = const { Cell::new(0) };
    /// `NET` when the current budget began, and its memory budget in bytes (None: no limit).
    static MEMORY: Cell<Option<(isize, Option<usize>)>> = const { Cell::new(None) };
}

/// Whether [`Counting`] is the global allocator (it has counted an allocation).
static COUNTING: AtomicBool = AtomicBool::new(false);

/// The global allocator that counts each thread's live bytes: the system allocator, with
/// two thread-local additions per call. Install it in a binary with
/// `#[global_allocator] static A: annals::budget::Counting = annals::budget::Counting;`.
pub struct Counting;

#[inline]
fn count(delta: isize) {
    let _ = NET.try_with(|n| {
        let v = n.get().wrapping_add(delta);
        n.set(v);
        if delta > 0 {
            let _ = PEAK.try_with(|p| {
                if v > p.get() {
                    p.set(v)
                }
            });
        }
    });
}

// SAFETY: every call is forwarded to `System` unchanged; the counting touches only
// const-initialised thread-locals without destructors (no allocation, no re-entry).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Whether memory is being counted in this process (the `annals` binary's allocator is
/// [`Counting`]).
pub fn counting() -> bool {
    if !COUNTING.load(Ordering::Relaxed) {
        // One allocation tells: if it moved this thread's count, the allocator counts.
        let before = NET.with(Cell::get);
        let probe = std::hint::black_box(Box::new(0u64));
        let moved = NET.with(Cell::get) != before;
        drop(probe);
        if moved {
            COUNTING.store(true, Ordering::Relaxed);
        }
        return moved;
    }
    true
}

/// What one document may spend: wall time, and memory (bytes its thread may hold beyond what
/// it held when the budget began). `None`: no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    pub time: Option<Duration>,
    pub memory: Option<usize>,
}

impl Limits {
    /// No limit at all.
    pub fn none() -> Limits {
        Limits::default()
    }
    /// A deadline only.
    pub fn time(t: Duration) -> Limits {
        Limits {
            time: Some(t),
            memory: None,
        }
    }
    /// A memory budget only.
    pub fn memory(bytes: usize) -> Limits {
        Limits {
            time: None,
            memory: Some(bytes),
        }
    }
}

impl From<Option<Duration>> for Limits {
    fn from(time: Option<Duration>) -> Limits {
        Limits { time, memory: None }
    }
}

/// The budget ran out before the work was done.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Exceeded {
    #[error(
        "analysis took longer than the budget of {:.0} s for one document; the file may be pathological (raise the budget with --max-seconds-per-file)",
        .budget.as_secs_f64()
    )]
    Time { budget: Duration },
    /// The analysis held more than `budget` bytes at once (`held` when it stopped).
    #[error(
        "analysis held more memory than the budget of {} for one document (it was at {} when stopped); the file is too large or too dense to analyse whole: split it, or raise the budget with --max-memory-per-file",
        mib(*.budget), mib(*.held)
    )]
    Memory { budget: usize, held: usize },
    /// A stage said before it began that it would need `needed` bytes in all, more than
    /// `budget`: nothing was allocated for it.
    #[error(
        "analysis would need at least {} of memory, over the budget of {} for one document; the file is too large to analyse whole: split it, or raise the budget with --max-memory-per-file",
        mib(*.needed), mib(*.budget)
    )]
    MemoryNeeded { budget: usize, needed: usize },
}

/// Bytes in MiB or GiB, for messages ("512 MiB", "1.5 GiB").
pub fn mib(bytes: usize) -> String {
    let m = bytes as f64 / (1u64 << 20) as f64;
    if m >= 1024.0 {
        format!("{:.1} GiB", m / 1024.0)
    } else if m >= 10.0 {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}

/// Runs `f` within `limits` from now, on this thread; Err when either was spent by the time
/// `f` returned (its result is then partial and is dropped). Budgets nest: the inner one
/// replaces the outer one while `f` runs.
pub fn within<T>(limits: impl Into<Limits>, f: impl FnOnce() -> T) -> Result<T, Exceeded> {
    let limits = limits.into();
    let deadline = limits
        .time
        .and_then(|t| Some((Instant::now().checked_add(t)?, t)));
    let net = NET.with(Cell::get);
    // Restore the outer budget even if `f` panics; the outer peak keeps the inner one.
    struct Restore(
        Option<(Instant, Duration)>,
        Option<(isize, Option<usize>)>,
        isize,
    );
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
            MEMORY.with(|m| m.set(self.1));
            PEAK.with(|p| p.set(p.get().max(self.2)));
        }
    }
    let _restore = Restore(
        DEADLINE.with(|d| d.replace(deadline)),
        MEMORY.with(|m| m.replace(Some((net, limits.memory)))),
        PEAK.with(|p| p.replace(net)),
    );
    let out = f();
    match spent() {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// What was spent past its limit, if anything.
fn spent() -> Option<Exceeded> {
    if let Some((base, Some(budget))) = MEMORY.with(Cell::get) {
        let used = (PEAK.with(Cell::get) - base).max(0) as usize;
        if used > budget {
            return Some(Exceeded::Memory { budget, held: used });
        }
    }
    let (deadline, budget) = DEADLINE.with(Cell::get)?;
    (Instant::now() >= deadline).then_some(Exceeded::Time { budget })
}

/// Whether this thread's budget is spent (its deadline passed, or it held more memory than
/// allowed at some point): stages call it between units of work and stop early when it is.
pub fn expired() -> bool {
    spent().is_some()
}

/// [`expired`] with the reason: Err when this thread's budget is spent.
pub fn check() -> Result<(), Exceeded> {
    spent().map_or(Ok(()), Err)
}

/// Fails when `bytes` more would not fit in this thread's memory budget: a stage that knows
/// what it is about to need (a whole file's copies) asks before it begins, so that a file
/// far over the budget is refused at once instead of after the allocation.
pub fn ensure_fits(bytes: usize) -> Result<(), Exceeded> {
    let Some((base, Some(budget))) = MEMORY.with(Cell::get) else {
        return Ok(());
    };
    let held = (NET.with(Cell::get) - base).max(0) as usize;
    let needed = held.saturating_add(bytes);
    if needed > budget {
        Err(Exceeded::MemoryNeeded { budget, needed })
    } else {
        Ok(())
    }
}

/// The most memory this thread held at once since the current budget began (0 when memory
/// is not counted or no budget runs).
pub fn peak() -> usize {
    match MEMORY.with(Cell::get) {
        Some((base, _)) => (PEAK.with(Cell::get) - base).max(0) as usize,
        None => 0,
    }
}

/// The memory this thread holds now beyond what it held when the current budget began (0
/// when memory is not counted or no budget runs).
pub fn held() -> usize {
    match MEMORY.with(Cell::get) {
        Some((base, _)) => (NET.with(Cell::get) - base).max(0) as usize,
        None => 0,
    }
}

/// Runs `f` within `limits` and also says the most memory it held at once (0 when memory is
/// not counted): ingest reports it per file, and the bench per shape of input.
pub fn within_measured<T>(
    limits: impl Into<Limits>,
    f: impl FnOnce() -> T,
) -> (Result<T, Exceeded>, usize) {
    let mut held = 0;
    let r = within(limits, || {
        let out = f();
        held = peak();
        out
    });
    (r, held)
}

/// The time left before this thread's deadline (None: no deadline): an external engine run
/// for the document is stopped by then.
pub fn remaining() -> Option<Duration> {
    DEADLINE.with(|d| {
        d.get()
            .map(|(t, _)| t.saturating_duration_since(Instant::now()))
    })
}
