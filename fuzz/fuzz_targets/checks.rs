//! The checks every extraction target makes on its facts (included with `#[path]`).

use annals::extract::Fact;

/// Every fact's evidence lies inside `text`, on char boundaries; a quantity's value is
/// finite; a timex's full ISO start never sorts after its end.
pub fn facts_are_sound(text: &str, facts: &[Fact]) {
    for f in facts {
        let e = &f.evidence;
        assert!(e.start <= e.end && e.end <= text.len(), "span outside the input");
        assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end), "span off char boundaries");
        if f.kind == "quantity" {
            let v = f.body.get("value").and_then(|v| v.as_f64());
            assert!(v.is_none_or(f64::is_finite), "quantity value is not finite: {v:?}");
        }
        let (Some(a), Some(b)) = (f.body.get("value_start").and_then(|v| v.as_str()), f.body.get("value_end").and_then(|v| v.as_str())) else {
            continue;
        };
        if a.len() == b.len() && !a.contains('X') && !b.contains('X') && f.kind == "timex" {
            assert!(a <= b, "interval ends before it starts: {a} > {b}");
        }
    }
}
