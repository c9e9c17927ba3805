//! Partial calendar dates: the typed value every date of a fact carries.
//!
//! A [`Point`] is a date known to some granularity (a year, a month, a day), written in the
//! export contract as ISO 8601 at that granularity ("1950", "1950-01", "1950-01-30"), with
//! `X`s for unknown parts above a known one ("XXXX-09"). It serializes to that string and
//! parses back from it, so a stored fact's dates are read once, at the store, into this type.
//!
//! ```
//! use annals::fact::date::Point;
//! let p: Point = "1950-01".parse().unwrap();
//! assert_eq!(p, Point::ym(1950, 1));
//! assert_eq!(p.iso(), "1950-01");
//! assert!("1950-13".parse::<Point>().is_err());
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar point known to some granularity; `y` may be unknown while `m`/`d` are known
/// ("tháng 9" with no year in sight).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Point {
    pub y: Option<i32>,
    pub m: Option<u8>,
    pub d: Option<u8>,
}

impl Point {
    pub fn year(y: i32) -> Point {
        Point {
            y: Some(y),
            m: None,
            d: None,
        }
    }

    pub fn ym(y: i32, m: u8) -> Point {
        Point {
            y: Some(y),
            m: Some(m),
            d: None,
        }
    }

    pub fn ymd(y: i32, m: u8, d: u8) -> Point {
        Point {
            y: Some(y),
            m: Some(m),
            d: Some(d),
        }
    }

    /// Has a year or a month or a day.
    pub fn is_empty(&self) -> bool {
        self.y.is_none() && self.m.is_none() && self.d.is_none()
    }

    /// ISO 8601 at the known granularity; unknown parts above a known one are `X`s
    /// ("XXXX-09", "XXXX-XX-03"). Years before 1 AD are astronomical (1 BC is "0000", 208 BC
    /// is "-0207").
    pub fn iso(&self) -> String {
        let mut s = String::with_capacity(10);
        match self.y {
            Some(y) if y < 0 => s.push_str(&format!("-{:04}", -y)),
            Some(y) => s.push_str(&format!("{y:04}")),
            None => s.push_str("XXXX"),
        }
        if self.m.is_none() && self.d.is_none() {
            return s;
        }
        match self.m {
            Some(m) => s.push_str(&format!("-{m:02}")),
            None => s.push_str("-XX"),
        }
        if let Some(d) = self.d {
            s.push_str(&format!("-{d:02}"));
        }
        s
    }

    /// Whether the day exists in its month (years unknown allow 29 February).
    pub fn valid(&self) -> bool {
        match (self.m, self.d) {
            (Some(m), _) if !(1..=12).contains(&m) => false,
            (Some(m), Some(d)) => d >= 1 && d <= days_in_month(self.y, m),
            (None, Some(d)) => (1..=31).contains(&d),
            _ => true,
        }
    }

    /// Orders two points where both are known to the same depth; `None` when unknown.
    pub fn le(&self, other: &Point) -> Option<bool> {
        let a = (self.y?, self.m.unwrap_or(0), self.d.unwrap_or(0));
        let b = (other.y?, other.m.unwrap_or(0), other.d.unwrap_or(0));
        Some(a <= b)
    }
}

/// Days in a month; February has 29 when the year is unknown.
pub fn days_in_month(y: Option<i32>, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match y {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

impl Point {
    /// Whether only the year is known (no month, no day).
    pub fn is_year(&self) -> bool {
        self.y.is_some() && self.m.is_none() && self.d.is_none()
    }

    /// Whether year, month and day are known.
    pub fn is_day(&self) -> bool {
        self.y.is_some() && self.m.is_some() && self.d.is_some()
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// Why a string is not an ISO date at some granularity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a date (YYYY, YYYY-MM or YYYY-MM-DD): {:?}", self.0)
    }
}

impl std::error::Error for DateError {}

impl FromStr for Point {
    type Err = DateError;

    /// Parses what [`Point::iso`] writes: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, a negative
    /// (astronomical) year, `XXXX`/`XX` for unknown parts. The day must exist in its month.
    fn from_str(s: &str) -> Result<Point, DateError> {
        let err = || DateError(s.to_string());
        let (neg, body) = match s.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, s),
        };
        let mut parts = body.split('-');
        let y = parts.next().ok_or_else(err)?;
        let y = match y {
            "XXXX" if !neg => None,
            _ if y.len() >= 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
                let v: i32 = y.parse().map_err(|_| err())?;
                Some(if neg { -v } else { v })
            }
            _ => return Err(err()),
        };
        let field = |p: Option<&str>, unknown_ok: bool| -> Result<Option<Option<u8>>, DateError> {
            match p {
                None => Ok(None),
                Some("XX") if unknown_ok => Ok(Some(None)),
                Some(x) if x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(Some(x.parse().map_err(|_| err())?)))
                }
                Some(_) => Err(err()),
            }
        };
        let m = field(parts.next(), true)?;
        let d = field(parts.next(), false)?;
        if parts.next().is_some() {
            return Err(err());
        }
        let p = Point {
            y,
            m: m.flatten(),
            d: d.flatten(),
        };
        // "XXXX-XX" alone says nothing; a month of "XX" needs a day after it.
        if matches!(m, Some(None)) && d.is_none() {
            return Err(err());
        }
        if p.valid() { Ok(p) } else { Err(err()) }
    }
}

impl Serialize for Point {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Point, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_granularity_round_trips() {
        for (s, p) in [
            ("1950", Point::year(1950)),
            ("1950-01", Point::ym(1950, 1)),
            ("1950-01-30", Point::ymd(1950, 1, 30)),
            ("2000-02-29", Point::ymd(2000, 2, 29)),
            ("XXXX", Point::default()),
            (
                "XXXX-09",
                Point {
                    y: None,
                    m: Some(9),
                    d: None,
                },
            ),
            (
                "XXXX-XX-03",
                Point {
                    y: None,
                    m: None,
                    d: Some(3),
                },
            ),
            ("-0207", Point::year(-207)),
            ("0000", Point::year(0)),
        ] {
            assert_eq!(s.parse::<Point>(), Ok(p), "{s}");
            assert_eq!(p.iso(), s);
            let j = serde_json::to_string(&p).unwrap();
            assert_eq!(serde_json::from_str::<Point>(&j).unwrap(), p);
        }
    }

    #[test]
    fn what_is_no_date_is_refused() {
        for s in [
            "",
            "195",
            "1950-1",
            "1950-13",
            "1900-02-29",
            "1950-04-31",
            "1950-01-30-1",
            "XXXX-XX",
            "19a0",
            "1950-XX",
            "1950/01",
            "-XXXX",
        ] {
            assert!(s.parse::<Point>().is_err(), "{s:?}");
        }
    }
}
