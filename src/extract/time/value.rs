//! Calendar values: partial dates, ISO and EDTF strings, numbers and roman numerals.

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
