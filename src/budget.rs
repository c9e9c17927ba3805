//! A time budget for analysing one document.
//!
//! Every stage from bytes to facts is meant to be linear, but a batch must not hang on one
//! file whatever it holds: ingest gives each document a deadline, and the stages look at it
//! between units of work (extractors, paragraphs) and stop early once it has passed. The
//! caller then discards the partial result and rejects the file with the reason
//! ([`Exceeded`]); nothing partial is ever stored.
//!
//! The deadline is per thread (each ingest worker analyses one document at a time), so the
//! extractors' signatures stay as they are.
//!
//! ```
//! use annals::budget;
//! use std::time::{Duration, Instant};
//! let r = budget::within(Some(Duration::ZERO), || budget::expired());
//! assert!(r.is_err());
//! let r = budget::within(None, || 42);
//! assert_eq!(r.ok(), Some(42));
//! ```

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The budget ran out before the work was done.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "analysis took longer than the budget of {:.0} s for one document; the file may be pathological (raise the budget with --max-seconds-per-file)",
    .budget.as_secs_f64()
)]
pub struct Exceeded {
    pub budget: Duration,
}

/// Runs `f` with a deadline `budget` from now (None: no deadline), on this thread; Err when
/// the deadline had passed by the time `f` returned (its result is then partial and is
/// dropped).
pub fn within<T>(budget: Option<Duration>, f: impl FnOnce() -> T) -> Result<T, Exceeded> {
    let Some(budget) = budget else {
        return Ok(f());
    };
    let deadline = Instant::now().checked_add(budget);
    let before = DEADLINE.with(|d| d.replace(deadline));
    // Restore the outer deadline even if `f` panics.
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(before);
    let out = f();
    if expired() {
        Err(Exceeded { budget })
    } else {
        Ok(out)
    }
}

/// Whether this thread's deadline has passed: stages call it between units of work and stop
/// early when it has.
pub fn expired() -> bool {
    DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() >= t))
}

/// The time left before this thread's deadline (None: no deadline): an external engine run
/// for the document is stopped by then.
pub fn remaining() -> Option<Duration> {
    DEADLINE.with(|d| d.get().map(|t| t.saturating_duration_since(Instant::now())))
}
