//! Numbers written in words, in any of the three languages, read by one grammar from each
//! language's word table (`[numeral]` in `data/quantity/{en,vi,ru}.toml`; the Russian case
//! forms come from `data/quantity/generated/ru.toml`).
//!
//! A number is a run of words: additive words below a thousand ("twenty", "năm", "двести"),
//! multipliers that multiply the part of the group below them ("hundred", "trăm", "mươi":
//! "hai trăm năm mươi" = 2×100 + 5×10, "twenty-five hundred" = 25×100), scales that close a
//! group ("thousand", "triệu", "миллиона"), joiners between the words of one number ("and",
//! "linh", a hyphen), and at the end an ordinal ("twenty-first", "двадцать пятого") or a
//! denominator ("two-thirds", "две трети", "hai phần ba"). An addend must be smaller than
//! every place the group already holds ("twenty five" is 25; "five twenty" is two numbers),
//! and scales must fall ("two million three thousand").

use super::phrases::Lookup;
use super::phrases::Phrases;
use super::token::{Kind, Tok};

/// What a word (or phrase) can be in a number; a word may have several roles ("third" is
/// an ordinal and a denominator).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Roles {
    /// Additive value below a thousand.
    pub card: Option<f64>,
    /// Multiplies the part of the group below it.
    pub mult: Option<f64>,
    /// Closes a group: thousand, million, billion.
    pub scale: Option<f64>,
    /// Ordinal value of the last word.
    pub ord: Option<f64>,
    /// A fraction's denominator ("third" = 3).
    pub denom: Option<f64>,
    /// A fraction or mixed number on its own ("half" = 0.5, "полтора" = 1.5).
    pub fraction: Option<f64>,
    /// Stands for one before a multiplier, a scale or a denominator ("a hundred", "a third").
    pub one: bool,
    /// Between the words of one number ("one hundred and five", "một trăm linh năm").
    pub joiner: bool,
    /// Between a numerator and its denominator ("hai phần ba").
    pub over: bool,
    /// Adds a half of the last unit ("and a half", "rưỡi", "с половиной").
    pub half: bool,
    /// Makes the cardinal after it an ordinal ("thứ hai").
    pub ord_prefix: bool,
    /// A cardinal only inside a number, never its first word ("mốt", "tư", "lăm" in "hai
    /// mươi mốt", "hai mươi tư", "mười lăm").
    pub inner: bool,
}

impl Roles {
    fn merge(&mut self, o: Roles) {
        self.card = self.card.or(o.card);
        self.mult = self.mult.or(o.mult);
        self.scale = self.scale.or(o.scale);
        self.ord = self.ord.or(o.ord);
        self.denom = self.denom.or(o.denom);
        self.fraction = self.fraction.or(o.fraction);
        self.one |= o.one;
        self.joiner |= o.joiner;
        self.over |= o.over;
        self.half |= o.half;
        self.ord_prefix |= o.ord_prefix;
        self.inner |= o.inner;
    }

    fn starts_number(&self) -> bool {
        self.card.is_some() && !self.inner
            || self.fraction.is_some()
            || self.one
            || self.ord.is_some()
            || self.ord_prefix
    }
}

/// One language's number words.
#[derive(Debug, Default)]
pub struct Numerals {
    pub words: Phrases<Roles>,
    /// Every word form with a role, lowercased (for the time extractor's patterns).
    pub cardinal_forms: Vec<String>,
    pub ordinal_forms: Vec<String>,
    pub joiner_forms: Vec<String>,
    /// The forms of the tens (20 to 90), which may stand before an ordinal's last word
    /// ("twenty-first", "двадцать пятого").
    pub tens_forms: Vec<String>,
}

/// A table of word → roles being built; the same word may be given several roles.
#[derive(Debug, Default)]
pub struct Builder {
    map: std::collections::BTreeMap<String, Roles>,
}

impl Builder {
    /// Gives `word` (one of its forms) the roles `r`.
    pub fn add(&mut self, word: &str, r: Roles) {
        self.map.entry(word.to_lowercase()).or_default().merge(r);
    }

    pub fn build(self) -> Numerals {
        let mut n = Numerals::default();
        for (w, r) in self.map {
            if r.card.is_some() || r.mult.is_some() || r.scale.is_some() || r.fraction.is_some() {
                n.cardinal_forms.push(w.clone());
            }
            if r.ord.is_some() {
                n.ordinal_forms.push(w.clone());
            }
            if r.card
                .is_some_and(|v| (20.0..100.0).contains(&v) && v % 10.0 == 0.0)
            {
                n.tens_forms.push(w.clone());
            }
            if r.joiner {
                n.joiner_forms.push(w.clone());
            }
            n.words.insert(&w, r);
        }
        n
    }
}

/// A number read from words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numeral {
    /// Tokens it covers.
    pub len: usize,
    /// Its value, the trailing scale included.
    pub value: f64,
    /// The scale word it ends with ("hai triệu": value 2e6, scale 1e6), so that the number as
    /// written is `value / scale`.
    pub scale: Option<f64>,
    pub ordinal: bool,
    pub fraction: bool,
}

/// A hyphen glued between two words ("twenty-five", "two-thirds").
fn glued_hyphen(toks: &[Tok], j: usize) -> bool {
    toks.get(j).is_some_and(|t| {
        t.kind == Kind::Sym && matches!(t.lower.as_str(), "-" | "‐" | "‑") && !t.space
    }) && toks
        .get(j + 1)
        .is_some_and(|t| !t.space && t.kind == Kind::Word)
}

/// The largest power of ten dividing `g` (a group below a thousand), or 1000 for zero.
fn place(g: f64) -> f64 {
    if g == 0.0 {
        return 1000.0;
    }
    let g = g as u64;
    let mut p = 1u64;
    while p < 1000 && g.is_multiple_of(p * 10) {
        p *= 10;
    }
    p as f64
}

impl Numerals {
    fn at(&self, toks: &[Tok], j: usize) -> Option<(usize, Roles)> {
        if toks.get(j)?.kind != Kind::Word {
            return None;
        }
        self.words.at(toks, j).map(|(n, r)| (n, *r))
    }

    /// Whether a number in words can start at token `i`.
    pub fn starts_at(&self, toks: &[Tok], i: usize) -> bool {
        self.at(toks, i).is_some_and(|(_, r)| r.starts_number())
    }

    /// Reads the longest number in words starting at token `i`.
    pub fn parse(&self, toks: &[Tok], i: usize) -> Option<Numeral> {
        let (mut total, mut group) = (0.0f64, 0.0f64);
        // What the last word was: its value as a multiplier or a scale (for "rưỡi").
        let mut last_unit = 1.0f64;
        let mut last_scale = f64::INFINITY;
        let mut pending_one = false;
        let mut any = false;
        let mut ord_prefix = false;
        let mut j = i;
        let mut end = i; // one past the last token of the number so far
        let mut scale_end: Option<f64> = None;
        let mut fraction = false;
        let mut ordinal = false;
        // The last word was an explicit zero: a multiplier after it holds its place empty
        // ("ba trăm linh một nghìn không trăm chín mươi bảy" = 301,097).
        let mut zero = false;
        // Steps over a joiner (or a glued hyphen) when a number word follows it.
        let skip_join = |j: usize| -> usize {
            if glued_hyphen(toks, j) {
                return j + 1;
            }
            match self.at(toks, j) {
                Some((n, r)) if r.joiner && !r.starts_number() => j + n,
                _ => j,
            }
        };
        loop {
            // A phrase at `j` itself ("and a half") before a joiner ("and").
            let (k, n, r) = match self.at(toks, j) {
                Some((n, r)) if !(r.joiner && !r.starts_number() && !r.half) => (j, n, r),
                _ if any => {
                    let k = skip_join(j);
                    match self.at(toks, k) {
                        Some((n, r)) if k > j => (k, n, r),
                        _ => break,
                    }
                }
                _ => break,
            };
            let was_zero = std::mem::take(&mut zero);
            if !any && r.ord_prefix && !ord_prefix {
                ord_prefix = true;
                j = k + n;
                continue;
            }
            if let Some(v) = r
                .card
                .filter(|_| !pending_one && (any || ord_prefix || !r.inner))
                && (group == 0.0 || v < place(group))
                && (group > 0.0 || total == 0.0 || v < last_scale)
            {
                group += v;
                last_unit = 1.0;
                any = true;
                scale_end = None;
                zero = v == 0.0;
            } else if let Some(m) = r.mult.filter(|_| any || pending_one) {
                let base = if pending_one { 1.0 } else { group % m };
                if base <= 0.0 && !(was_zero && group == 0.0 && total > 0.0) {
                    break;
                }
                group = group - (group % m) + base * m;
                last_unit = m;
                pending_one = false;
                any = true;
                scale_end = None;
            } else if let Some(s) = r.scale.filter(|&s| (any || pending_one) && s < last_scale) {
                let g = if pending_one { 1.0 } else { group };
                if g <= 0.0 && total <= 0.0 {
                    break;
                }
                // "hai triệu rưỡi" after the scale; a bare group before it.
                total += if g > 0.0 { g } else { 1.0 } * s;
                group = 0.0;
                last_scale = s;
                last_unit = s;
                pending_one = false;
                any = true;
                scale_end = Some(s);
            } else if r.half && any && !pending_one {
                let add = if last_unit > 1.0 {
                    last_unit / 2.0
                } else {
                    0.5
                };
                if scale_end.is_some() {
                    total += add;
                } else {
                    group += add;
                }
                j = k + n;
                end = j;
                break;
            } else if let Some(f) = r.fraction.filter(|_| !any && !pending_one) {
                // "half", "полтора": a number of its own, a scale may follow ("полтора
                // миллиона").
                group = f;
                fraction = f.fract() != 0.0;
                any = true;
            } else if let Some(o) = r.ord.filter(|&o| {
                !pending_one && (group == 0.0 && total == 0.0 || o < place(group) || o >= 1000.0)
            }) && (any || r.card.is_none())
                && !(any && r.denom.is_some() && group > 0.0 && o >= place(group))
            {
                // The last word of an ordinal: "twenty-first", "двадцать пятого".
                if o >= 100.0 && any {
                    // "two hundredth": the multiplier as an ordinal.
                    group = if group > 0.0 { group * o } else { o };
                } else {
                    group += o;
                }
                ordinal = true;
                any = true;
                j = k + n;
                end = j;
                break;
            } else if r.one && !any && !pending_one {
                pending_one = true;
            } else if let Some(d) = self.denominator(toks, k, r, any, pending_one, group) {
                // "two-thirds", "a third", "две трети", "hai phần ba".
                let (num, len) = d;
                group = num;
                total = 0.0;
                fraction = true;
                any = true;
                pending_one = false;
                j = len;
                end = j;
                break;
            } else {
                break;
            }
            j = k + n;
            if !pending_one {
                end = j;
            }
        }
        if !any || pending_one {
            return None;
        }
        if ord_prefix && !ordinal {
            ordinal = true;
        }
        let value = total + group;
        Some(Numeral {
            len: end - i,
            value,
            scale: scale_end.filter(|_| !ordinal && !fraction),
            ordinal,
            fraction,
        })
    }

    /// A denominator at `k` after a numerator (`group`, or "a"): the fraction's value and the
    /// token after it.
    fn denominator(
        &self,
        toks: &[Tok],
        k: usize,
        r: Roles,
        any: bool,
        pending_one: bool,
        group: f64,
    ) -> Option<(f64, usize)> {
        let num = if pending_one {
            1.0
        } else if any && group > 0.0 {
            group
        } else {
            return None;
        };
        let n = self.words.at(toks, k).map_or(1, |(n, _)| n);
        if let Some(d) = r
            .denom
            .or(r.ord.filter(|&o| o >= 3.0 && o < place(num) * 10.0))
            && d > num
        {
            return Some((num / d, k + n));
        }
        if r.over {
            // "hai phần ba": a cardinal after the joiner.
            let (m, rd) = self.at(toks, k + n)?;
            let d = rd.card?;
            if d > 1.0 {
                return Some((num / d, k + n + m));
            }
        }
        None
    }
}
