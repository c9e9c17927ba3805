//! The checks every extraction target makes on its facts (included with `#[path]`).

use annals::extract::{Fact, FactBody};

/// Every fact's evidence lies inside `text`, on char boundaries; its record reads back into
/// the same typed body; a quantity's value is finite; a timex's full start never comes
/// after its end.
pub fn facts_are_sound(text: &str, facts: &[Fact]) {
    for f in facts {
        let e = &f.evidence;
        assert!(e.start <= e.end && e.end <= text.len(), "span outside the input");
        assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end), "span off char boundaries");
        let record = annals::record::fact_record(f);
        let back = FactBody::from_record(&record).expect("a fact's record reads back");
        assert_eq!(back, f.body, "a fact's record reads back unchanged");
        match &f.body {
            FactBody::Quantity(q) => {
                assert!(q.value.is_finite(), "quantity value is not finite: {}", q.value);
            }
            FactBody::Timex(t) => {
                if let (Some(a), Some(b)) = (t.value_start, t.value_end)
                    && a.y.is_some()
                    && b.y.is_some()
                    && (a.m.is_some(), a.d.is_some()) == (b.m.is_some(), b.d.is_some())
                {
                    assert!(a.le(&b) == Some(true), "interval ends before it starts: {a} > {b}");
                }
            }
            _ => {}
        }
    }
}
