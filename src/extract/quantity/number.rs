//! Numbers as written: digit groups and decimal marks under a paragraph's convention
//! ("1.540,6" in Vietnamese and Russian, "1,540.6" in English), with the number's own shape
//! as evidence and a flag for what stays undecided.

/// Which mark is the decimal one: "1,540.6" (point) or "1.540,6" (comma). A language's
/// own is in its profile (`data/lang/*.toml`).
pub use crate::text::lang::Decimal;

/// A parsed number: an exact decimal `mantissa / 10^places`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    pub mantissa: u128,
    pub places: u32,
    /// The shape allowed both readings and only the convention decided.
    pub shape_ambiguous: bool,
    /// Digits only, no separator.
    pub plain: bool,
}

impl Num {
    pub fn value(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.places as i32)
    }

    /// `self × scale`, exact for whole scales.
    pub fn times(&self, scale: f64) -> f64 {
        if scale >= 1.0 && scale.fract() == 0.0 && scale < 1e15 {
            let s = scale as u128;
            if let Some(m) = self.mantissa.checked_mul(s) {
                return m as f64 / 10f64.powi(self.places as i32);
            }
        }
        self.value() * scale
    }

    /// A plain integer (no separators) of `len` digits.
    pub fn plain_int(&self) -> Option<u128> {
        (self.plain && self.places == 0).then_some(self.mantissa)
    }
}

/// What the shape of `s` says about the convention, if anything.
pub fn evidence(s: &str) -> Option<Decimal> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let groups_ok = |sep: char| {
        let mut parts = s.split(sep);
        let first = parts.next().unwrap_or("");
        (1..=3).contains(&first.len()) && parts.all(|p| p.len() == 3 && !p.contains([',', '.']))
    };
    match (dots, commas) {
        (0, 0) => None,
        (d, c) if d > 0 && c > 0 => {
            let last_dot = s.rfind('.').unwrap_or(0);
            let last_comma = s.rfind(',').unwrap_or(0);
            Some(if last_comma > last_dot {
                Decimal::Comma
            } else {
                Decimal::Point
            })
        }
        (1, 0) => (s.len() - s.find('.').unwrap_or(0) - 1 != 3).then_some(Decimal::Point),
        (0, 1) => (s.len() - s.find(',').unwrap_or(0) - 1 != 3).then_some(Decimal::Comma),
        (_, 0) => groups_ok('.').then_some(Decimal::Comma),
        (0, _) => groups_ok(',').then_some(Decimal::Point),
        _ => None,
    }
}

/// Parses the digits-and-marks string `s` under `conv`. `None` when it is no number
/// (a malformed shape such as "1.2.3" that is not grouping, or an overflow).
pub fn parse(s: &str, conv: Decimal) -> Option<Num> {
    let seps: Vec<(usize, char)> = s
        .char_indices()
        .filter(|(_, c)| !c.is_ascii_digit())
        .collect();
    if seps.is_empty() {
        return Some(Num {
            mantissa: s.parse().ok()?,
            places: 0,
            shape_ambiguous: false,
            plain: true,
        });
    }
    let is_sep = |c: char| c == '.' || c == ',';
    let kinds: Vec<char> = seps
        .iter()
        .map(|&(_, c)| if is_sep(c) { c } else { ' ' })
        .collect();
    let decimal_at: Option<usize>;
    let mut shape_ambiguous = false;
    let last = *kinds.last()?;
    let distinct = {
        let mut k = kinds.clone();
        k.sort_unstable();
        k.dedup();
        k.len()
    };
    let tail_len = s.len() - seps.last()?.0 - last.len_utf8();
    if distinct > 1 {
        // Two kinds of mark: the last one is the decimal mark unless it is a space group.
        decimal_at = if last == ' ' {
            None
        } else {
            Some(seps.len() - 1)
        };
    } else if seps.len() > 1 {
        // One kind, repeated: grouping.
        decimal_at = None;
    } else if last == ' ' {
        decimal_at = None;
    } else if tail_len != 3 {
        // One mark before anything but three digits: a decimal mark whatever the convention.
        decimal_at = Some(0);
    } else {
        let head_len = seps[0].0;
        shape_ambiguous = (1..=3).contains(&head_len) && !s.starts_with('0');
        let is_decimal = match conv {
            Decimal::Point => last == '.',
            Decimal::Comma => last == ',',
        };
        decimal_at = (is_decimal || !shape_ambiguous).then_some(0);
    }
    // Groups before the decimal mark: the first of one to three digits, then threes.
    let int_end = decimal_at.map_or(s.len(), |k| seps[k].0);
    let mut groups = s[..int_end].split(|c: char| !c.is_ascii_digit());
    let first = groups.next().unwrap_or("");
    let mut rest = groups.peekable();
    if rest.peek().is_some() && (!(1..=3).contains(&first.len()) || rest.any(|g| g.len() != 3)) {
        return None;
    }
    let mut digits = String::with_capacity(s.len());
    digits.extend(s[..int_end].chars().filter(char::is_ascii_digit));
    let mut places = 0;
    if let Some(k) = decimal_at {
        let frac = &s[seps[k].0 + 1..];
        places = frac.len() as u32;
        digits.push_str(frac);
    }
    Some(Num {
        mantissa: digits.parse().ok()?,
        places,
        shape_ambiguous,
        plain: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str, c: Decimal) -> f64 {
        parse(s, c).unwrap().value()
    }

    #[test]
    fn shapes() {
        assert_eq!(v("1.540,6", Decimal::Point), 1540.6);
        assert_eq!(v("1,540.6", Decimal::Comma), 1540.6);
        assert_eq!(v("20.662", Decimal::Comma), 20662.0);
        assert_eq!(v("20.662", Decimal::Point), 20.662);
        assert_eq!(v("4,5", Decimal::Point), 4.5);
        assert_eq!(v("1,022", Decimal::Point), 1022.0);
        assert_eq!(v("1 540,6", Decimal::Comma), 1540.6);
        assert_eq!(v("1.540.600", Decimal::Point), 1_540_600.0);
        assert!(parse("1.54.6", Decimal::Point).is_none());
        assert!(parse("20.662", Decimal::Comma).unwrap().shape_ambiguous);
        assert_eq!(evidence("42,9"), Some(Decimal::Comma));
        assert_eq!(evidence("206.5"), Some(Decimal::Point));
        assert_eq!(evidence("1,022"), None);
        assert_eq!(parse("0,125", Decimal::Point).unwrap().value(), 0.125);
    }
}
