//! Calendar values: partial dates, ISO and EDTF strings, numbers and roman numerals.

pub use crate::fact::date::{Point, days_in_month};

fn calendar_date(y: i32, m: u8, d: u8) -> Option<time::Date> {
    let month = time::Month::try_from(m).ok()?;
    time::Date::from_calendar_date(y, month, d).ok()
}

/// The ISO weekday (Monday = 1) of a date; `None` for a date that does not exist.
pub fn weekday(y: i32, m: u8, d: u8) -> Option<u8> {
    Some(calendar_date(y, m, d)?.weekday().number_from_monday())
}

/// The full date `n` days after `p` (before it when `n` is negative); `None` unless `p` has
/// a year, a month and a day.
pub fn add_days(p: &Point, n: i64) -> Option<Point> {
    let date = calendar_date(p.y?, p.m?, p.d?)?.checked_add(time::Duration::days(n))?;
    Some(Point {
        y: Some(date.year()),
        m: Some(date.month() as u8),
        d: Some(date.day()),
    })
}

/// Days from `a` to `b` (negative when `b` is earlier); `None` unless both are full dates.
pub fn days_between(a: &Point, b: &Point) -> Option<i64> {
    let a = calendar_date(a.y?, a.m?, a.d?)?;
    let b = calendar_date(b.y?, b.m?, b.d?)?;
    Some((b - a).whole_days())
}

/// A roman numeral ("XX" → 20); `None` unless well formed and at most 3999.
pub fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let val = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let digits: Vec<i64> = s.chars().map(val).collect::<Option<Vec<i64>>>()?;
    let mut t = 0i64;
    let mut i = 0;
    while i < digits.len() {
        let d = digits[i];
        if i + 1 < digits.len() && digits[i + 1] > d {
            t += digits[i + 1] - d;
            i += 2;
        } else {
            t += d;
            i += 1;
        }
    }
    let t = u32::try_from(t).ok()?;
    (t > 0 && t < 4000 && to_roman(t) == s.to_ascii_uppercase()).then_some(t)
}

fn to_roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}
