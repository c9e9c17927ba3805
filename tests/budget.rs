//! The memory budget as the `annals` binary counts it: this test binary installs the same
//! counting allocator (`annals::budget::Counting`), so what a thread allocates inside a
//! budget is seen by it, at its highest mark, and nothing another thread does is.

use annals::budget::{self, Counting, Exceeded, Limits};
use std::hint::black_box;
use std::time::Duration;

#[global_allocator]
static ALLOC: Counting = Counting;

const MIB: usize = 1 << 20;

#[test]
fn counting_is_on_in_a_binary_that_installs_it() {
    assert!(budget::counting());
}

#[test]
fn a_budget_sees_the_highest_mark_even_when_freed_before_the_check() {
    let r = budget::within(Limits::memory(MIB), || {
        let v = black_box(vec![1u8; 4 * MIB]);
        drop(v);
        budget::expired()
    });
    match r {
        Err(Exceeded::Memory { budget, held }) => {
            assert_eq!(budget, MIB);
            assert!(held >= 4 * MIB, "held {held}");
        }
        other => panic!("{other:?}"),
    }
    // Under the budget: fine, and the peak is reported.
    let (r, peak) = budget::within_measured(Limits::memory(8 * MIB), || {
        black_box(vec![1u8; 2 * MIB]).len()
    });
    assert_eq!(r, Ok(2 * MIB));
    assert!((2 * MIB..3 * MIB).contains(&peak), "peak {peak}");
}

#[test]
fn what_was_held_before_the_budget_began_does_not_count() {
    let before = black_box(vec![1u8; 16 * MIB]);
    let r = budget::within(Limits::memory(MIB), || black_box(vec![0u8; 1000]).len());
    assert_eq!(r, Ok(1000));
    drop(before);
    // Freeing inside a budget what was allocated before it never makes room below zero.
    let outer = black_box(vec![1u8; 8 * MIB]);
    let r = budget::within(Limits::memory(MIB), || {
        drop(outer);
        black_box(vec![1u8; MIB / 2]).len()
    });
    assert_eq!(r, Ok(MIB / 2));
}

#[test]
fn another_threads_allocations_are_its_own() {
    let r = budget::within(Limits::memory(MIB), || {
        std::thread::scope(|s| {
            s.spawn(|| black_box(vec![1u8; 32 * MIB]).len())
                .join()
                .unwrap()
        })
    });
    assert_eq!(r, Ok(32 * MIB));
}

#[test]
fn budgets_nest_and_the_outer_one_resumes() {
    let r = budget::within(Limits::memory(64 * MIB), || {
        let inner = budget::within(Limits::memory(MIB), || black_box(vec![1u8; 2 * MIB]).len());
        assert!(matches!(inner, Err(Exceeded::Memory { .. })));
        // The outer budget still holds, and saw the inner peak.
        assert!(!budget::expired());
        assert!(budget::peak() >= 2 * MIB);
        budget::ensure_fits(128 * MIB)
    });
    assert!(matches!(
        r,
        Ok(Err(Exceeded::MemoryNeeded { budget, needed })) if budget == 64 * MIB && needed >= 128 * MIB
    ));
    // No budget outside: nothing is refused.
    assert!(budget::ensure_fits(usize::MAX).is_ok());
    assert!(!budget::expired());
}

#[test]
fn time_and_memory_each_name_their_own_limit() {
    let r = budget::within(
        Limits {
            time: Some(Duration::ZERO),
            memory: Some(64 * MIB),
        },
        || (),
    );
    let e = r.unwrap_err();
    assert!(matches!(e, Exceeded::Time { .. }));
    assert!(e.to_string().contains("--max-seconds-per-file"));
    let e =
        budget::within(Limits::memory(MIB), || black_box(vec![1u8; 3 * MIB]).len()).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("1.0 MiB") && msg.contains("--max-memory-per-file"),
        "{msg}"
    );
}
