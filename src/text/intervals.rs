//! Interval queries over byte ranges in logarithmic time: the extractors ask "does any
//! range cover this point", "overlap this range", "contain it" for every candidate, and a
//! scan of every other range per candidate is quadratic in a long paragraph.

use std::collections::BTreeMap;
use std::ops::Range;

/// A fixed set of ranges (any, overlapping or not), answering coverage, overlap and
/// containment queries by binary search over the ranges ordered by start with the running
/// maximum of their ends.
///
/// ```
/// use annals::text::intervals::Intervals;
/// let set = Intervals::new([0..5, 10..20]);
/// assert!(set.covers(12));
/// assert!(!set.covers(7));
/// assert!(set.overlaps(&(4..8)));
/// assert!(set.contains(&(11..20)));
/// assert!(!set.contains_other(&(10..20)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Intervals {
    /// Ordered by start.
    starts: Vec<usize>,
    /// `max_end[i]`: the greatest end among the first `i + 1` ranges.
    max_end: Vec<usize>,
}

impl Intervals {
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Intervals {
        let mut v: Vec<Range<usize>> = ranges.into_iter().collect();
        v.sort_by_key(|r| (r.start, r.end));
        let mut max_end = Vec::with_capacity(v.len());
        let mut m = 0;
        for r in &v {
            m = m.max(r.end);
            max_end.push(m);
        }
        Intervals {
            starts: v.iter().map(|r| r.start).collect(),
            max_end,
        }
    }

    /// The greatest end among the ranges whose start satisfies `before` (a prefix of the
    /// order), or None.
    fn max_end_where(&self, before: impl Fn(usize) -> bool) -> Option<usize> {
        let n = self.starts.partition_point(|&s| before(s));
        n.checked_sub(1).map(|i| self.max_end[i])
    }

    /// Whether a range holds `p` (`start <= p < end`).
    pub fn covers(&self, p: usize) -> bool {
        self.max_end_where(|s| s <= p).is_some_and(|e| e > p)
    }

    /// Whether a range shares a byte with `q`.
    pub fn overlaps(&self, q: &Range<usize>) -> bool {
        self.max_end_where(|s| s < q.end)
            .is_some_and(|e| e > q.start)
    }

    /// Whether a range contains `q` (equal ranges included).
    pub fn contains(&self, q: &Range<usize>) -> bool {
        self.max_end_where(|s| s <= q.start)
            .is_some_and(|e| e >= q.end)
    }

    /// Whether a range other than `q` itself contains `q`.
    pub fn contains_other(&self, q: &Range<usize>) -> bool {
        self.max_end_where(|s| s < q.start)
            .is_some_and(|e| e >= q.end)
            || self
                .max_end_where(|s| s <= q.start)
                .is_some_and(|e| e > q.end)
    }

    /// Whether a range starting strictly before `q` reaches its end.
    pub fn encloses_from_before(&self, q: &Range<usize>) -> bool {
        self.max_end_where(|s| s < q.start)
            .is_some_and(|e| e >= q.end)
    }
}

/// A growing set of disjoint non-empty ranges: a range is added only if it overlaps none
/// already taken.
#[derive(Debug, Clone, Default)]
pub struct Disjoint {
    by_start: BTreeMap<usize, usize>,
}

impl Disjoint {
    pub fn new() -> Disjoint {
        Disjoint::default()
    }

    /// Whether a taken range shares a byte with `q`. The ranges are disjoint, so the one
    /// starting last before `q.end` also ends last.
    pub fn overlaps(&self, q: &Range<usize>) -> bool {
        self.by_start
            .range(..q.end)
            .next_back()
            .is_some_and(|(_, &e)| e > q.start)
    }

    /// Takes `q` when it overlaps nothing taken; returns whether it did.
    pub fn take(&mut self, q: Range<usize>) -> bool {
        if q.is_empty() || self.overlaps(&q) {
            return false;
        }
        self.by_start.insert(q.start, q.end);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ranges() -> impl Strategy<Value = Vec<Range<usize>>> {
        prop::collection::vec((0usize..60, 0usize..15).prop_map(|(s, l)| s..s + l), 0..25)
    }

    proptest! {
        /// Every query agrees with a scan of all ranges.
        #[test]
        fn queries_agree_with_a_scan(v in ranges(), q in (0usize..70, 0usize..15)) {
            let q = q.0..q.0 + q.1;
            let set = Intervals::new(v.clone());
            prop_assert_eq!(set.covers(q.start), v.iter().any(|r| r.contains(&q.start)));
            prop_assert_eq!(set.overlaps(&q), v.iter().any(|r| r.start < q.end && q.start < r.end));
            prop_assert_eq!(set.contains(&q), v.iter().any(|r| r.start <= q.start && q.end <= r.end));
            prop_assert_eq!(
                set.contains_other(&q),
                v.iter().any(|r| r.start <= q.start && q.end <= r.end && *r != q)
            );
            prop_assert_eq!(
                set.encloses_from_before(&q),
                v.iter().any(|r| r.start < q.start && q.end <= r.end)
            );
        }

        /// Taking ranges in order keeps exactly those a scan of the taken ones would keep.
        #[test]
        fn disjoint_agrees_with_a_scan(v in ranges()) {
            let mut d = Disjoint::new();
            let mut taken: Vec<Range<usize>> = Vec::new();
            for r in v {
                let want = !r.is_empty() && !taken.iter().any(|t| t.start < r.end && r.start < t.end);
                prop_assert_eq!(d.take(r.clone()), want);
                if want {
                    taken.push(r);
                }
            }
        }
    }
}
