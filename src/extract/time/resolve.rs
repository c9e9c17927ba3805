//! Underspecified dates ("tháng 9", "in September", "the same year", "năm sau"): the year
//! comes from the nearest preceding explicit date of the same paragraph or section, and the
//! anchor is recorded. With no anchor the date stays partial ("XXXX-09"); nothing is guessed.

use super::engine::{Kind, Timex};
use super::value::Point;
use std::ops::Range;

/// The running anchor: the last explicit point date seen in the section.
#[derive(Debug, Default, Clone)]
pub struct Anchor {
    current: Option<(Point, Range<usize>)>,
}

impl Anchor {
    /// Forgets the anchor (a new section starts).
    pub fn reset(&mut self) {
        self.current = None;
    }

    /// Resolves `t` (ranges absolute in the clean text) and updates the anchor.
    pub fn apply(&mut self, t: &mut Timex) {
        match t.kind {
            Kind::Date | Kind::Season if t.start.y.is_some() => {
                self.current = Some((t.start, t.range.clone()));
            }
            Kind::Date => {
                if let Some((p, r)) = &self.current {
                    let mut s = t.start;
                    s.y = p.y;
                    if s.m.is_none() && s.d.is_some() {
                        if p.m.is_none() {
                            return;
                        }
                        s.m = p.m;
                    }
                    if !s.valid() {
                        return;
                    }
                    t.start = s;
                    t.end = s;
                    t.year_from = Some((r.clone(), p.iso()));
                    self.current = Some((s, r.clone()));
                }
            }
            Kind::Relative => {
                let off = t.rel_offset.unwrap_or(0);
                if let Some((p, r)) = &self.current
                    && let Some(y) = p.y
                {
                    let v = Point::year(y + off);
                    t.start = v;
                    t.end = v;
                    t.year_from = Some((r.clone(), p.iso()));
                    self.current = Some((v, r.clone()));
                }
            }
            Kind::Interval if t.start.y.is_none() || t.end.y.is_none() => {
                if let Some((p, r)) = &self.current {
                    if t.start.y.is_none() {
                        t.start.y = p.y;
                    }
                    if t.end.y.is_none() {
                        t.end.y = p.y;
                    }
                    t.year_from = Some((r.clone(), p.iso()));
                }
            }
            _ => {}
        }
    }
}
