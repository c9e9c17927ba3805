//! Reading one table cell: numbers under the table's decimal convention ("14,2" = 14.2 in a
//! Vietnamese table, "3.148" = 3148), negative numbers, percentages, ranges ("449-462"),
//! ratios ("1/3,96"), parenthesised sub-values ("(250)") and empty marks ("-", "…").
//!
//! Guarantee: [`read`] never panics and looks at no more than [`MAX_CELL`] bytes.

use super::data::data;
use crate::extract::quantity::number::{self, Decimal};

/// Longer tokens are never numbers (a 50 MB run of digits is not a cell).
pub const MAX_CELL: usize = 40;

/// What a cell token says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// A number, decimal mark resolved; `percent` when written with "%".
    Number { value: f64, percent: bool },
    /// "a-b": kept as text in the table, parsed here.
    Range(f64, f64),
    /// "a/b": kept as text in the table, parsed here.
    Ratio(f64, f64),
    /// "(250)": a sub-value of the cell before it.
    Paren(f64),
    /// A mark that stands for "no value" ("-", "…").
    EmptyMark,
}

impl Reading {
    /// True for readings that sit in a value column.
    pub fn is_value(&self) -> bool {
        !matches!(self, Reading::Paren(_))
    }
}

/// The decimal mark the shape of `tok` proves, if any ("14,2" proves a comma).
pub fn evidence(tok: &str) -> Option<Decimal> {
    let core = strip_sign_suffix(tok)?;
    if core
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        number::evidence(core)
    } else {
        None
    }
}

fn strip_sign_suffix(tok: &str) -> Option<&str> {
    if tok.len() > MAX_CELL || tok.is_empty() {
        return None;
    }
    let t = tok
        .strip_prefix('-')
        .or_else(|| tok.strip_prefix('−'))
        .or_else(|| tok.strip_prefix('–'))
        .unwrap_or(tok);
    let t = t.strip_suffix('%').unwrap_or(t);
    let t = t.strip_suffix('*').unwrap_or(t);
    Some(t)
}

/// A plain number: digits with "." / "," marks, starting and ending with a digit.
fn plain(s: &str, dec: Decimal) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty()
        || !b[0].is_ascii_digit()
        || !b[b.len() - 1].is_ascii_digit()
        || !b
            .iter()
            .all(|c| c.is_ascii_digit() || *c == b'.' || *c == b',')
    {
        return None;
    }
    number::parse(s, dec).map(|n| n.value())
}

/// Reads a cell token under the decimal convention `dec`; `None` when it is no value
/// (a word, a label).
pub fn read(tok: &str, dec: Decimal) -> Option<Reading> {
    if tok.is_empty() || tok.len() > MAX_CELL {
        return None;
    }
    if data().empty_marks.contains(&tok.to_lowercase()) {
        return Some(Reading::EmptyMark);
    }
    if let Some(inner) = tok.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return plain(inner, dec).map(Reading::Paren);
    }
    // Ranges and ratios: two plain numbers around one separator.
    for (sep, ratio) in [('-', false), ('–', false), ('/', true)] {
        if let Some((a, b)) = tok.split_once(sep) {
            if a.is_empty() {
                continue;
            }
            let (Some(x), Some(y)) = (plain(a, dec), plain(b, dec)) else {
                return None;
            };
            return Some(if ratio {
                Reading::Ratio(x, y)
            } else {
                Reading::Range(x, y)
            });
        }
    }
    let neg = tok.starts_with(['-', '−', '–']);
    let percent = tok.ends_with('%');
    let core = strip_sign_suffix(tok)?;
    let v = plain(core, dec)?;
    Some(Reading::Number {
        value: if neg { -v } else { v },
        percent,
    })
}

/// A year as a column or row header would write it: a plain integer 1000..=2100.
pub fn year(tok: &str) -> Option<i32> {
    if tok.len() == 4 && tok.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = tok.parse().ok()?;
        (1000..=2100).contains(&y).then_some(y)
    } else {
        None
    }
}

/// A year ("1965") or a year range ("1976-1980", "1986–1990") as `(start, end)`.
pub fn period(tok: &str) -> Option<(i32, i32)> {
    if let Some(y) = year(tok) {
        return Some((y, y));
    }
    let (a, b) = tok.split_once(['-', '–'])?;
    let (a, b) = (year(a.trim())?, year(b.trim())?);
    (a <= b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings() {
        let c = Decimal::Comma;
        assert_eq!(
            read("14,2", c),
            Some(Reading::Number {
                value: 14.2,
                percent: false
            })
        );
        assert_eq!(
            read("3.148", c),
            Some(Reading::Number {
                value: 3148.0,
                percent: false
            })
        );
        assert_eq!(
            read("-4,1", c),
            Some(Reading::Number {
                value: -4.1,
                percent: false
            })
        );
        assert_eq!(read("449-462", c), Some(Reading::Range(449.0, 462.0)));
        assert_eq!(read("1/3,96", c), Some(Reading::Ratio(1.0, 3.96)));
        assert_eq!(read("(250)", c), Some(Reading::Paren(250.0)));
        assert_eq!(read("-", c), Some(Reading::EmptyMark));
        assert_eq!(read("m2", c), None);
        assert_eq!(read("03-11-1978", c), None);
        assert_eq!(read("tr.4", c), None);
        assert_eq!(period("1976-1980"), Some((1976, 1980)));
        assert_eq!(period("80"), None);
        assert_eq!(evidence("56,0"), Some(Decimal::Comma));
    }
}
