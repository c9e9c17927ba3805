//! Paradigm tables written from the languages, not from the corpus: every month name in
//! every case and abbreviation (with and without a period), ordinal days in digits and in
//! words, numeric forms, number words from 0 to 1,000,000, fractions, each unit in each case,
//! and negative tables (years, clock times, names with numbers, page and article numbers are
//! not quantities). Each table's cells are generated from the language's grammar here, so a
//! missing form is a failing cell; every table prints its pass count (`--nocapture`).

mod common;

use annals::extract::quantity::QuantityExtractor;
use annals::extract::quantity::data;
use annals::extract::quantity::token::tokenize;
use annals::extract::time::TimeExtractor;
use annals::extract::{Extractor, Fact};
use annals::text::lang::Lang;
use serde_json::Value;

/// A table's failing cells, with the count of all cells.
struct Table {
    name: &'static str,
    cells: usize,
    failed: Vec<String>,
}

impl Table {
    fn new(name: &'static str) -> Table {
        Table {
            name,
            cells: 0,
            failed: Vec::new(),
        }
    }

    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.cells += 1;
        if !ok {
            self.failed.push(what());
        }
    }

    /// Prints the pass count and the failing cells; fails if more than `known_gaps` cells
    /// fail (the gaps the extractors still have, listed in the closing note: the
    /// count may only go down).
    #[track_caller]
    fn done(self, known_gaps: usize) {
        eprintln!(
            "paradigm {}: {}/{} cells pass\n{}",
            self.name,
            self.cells - self.failed.len(),
            self.cells,
            self.failed.join("\n")
        );
        assert!(
            self.failed.len() <= known_gaps,
            "{}: {} of {} cells fail (known gaps: {known_gaps}):\n{}",
            self.name,
            self.failed.len(),
            self.cells,
            self.failed.join("\n")
        );
    }
}

fn s(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn timexes(text: &str, lang: Lang) -> Vec<Fact> {
    let doc = common::read_as(text, lang);
    let mut out = Vec::new();
    TimeExtractor.extract(&doc, &mut out);
    out
}

fn quantities(text: &str, lang: Lang) -> Vec<Fact> {
    let doc = common::read_as(text, lang);
    let mut out = Vec::new();
    QuantityExtractor.extract(&doc, &mut out);
    out
}

/// `expr`, framed by `before` and `after`, is found as exactly one timex spanning it with
/// this start value.
fn time_cell(t: &mut Table, lang: Lang, frame: (&str, &str), expr: &str, value: &str) {
    let text = format!("{}{expr}{}", frame.0, frame.1);
    let got: Vec<(String, String)> = timexes(&text, lang)
        .iter()
        .filter(|f| s(&f.fields()["type"]) != "duration")
        .map(|f| (f.evidence.text.clone(), s(&f.fields()["value_start"])))
        .collect();
    let ok = got.len() == 1 && got[0].0 == expr && got[0].1 == value;
    t.check(ok, || {
        format!("  {text:?}: want {expr:?} = {value}, got {got:?}")
    });
}

/// One quantity spanning `expr` (inside `text`) with this value and unit.
fn quantity_cell(t: &mut Table, lang: Lang, text: &str, expr: &str, value: f64, unit: &str) {
    let got: Vec<(String, f64, String)> = quantities(text, lang)
        .iter()
        .map(|f| {
            (
                f.evidence.text.clone(),
                f.fields()["value"].as_f64().unwrap_or(f64::NAN),
                s(&f.fields()["unit"]),
            )
        })
        .collect();
    let ok = got.len() == 1
        && got[0].0 == expr
        && (got[0].1 - value).abs() <= value.abs() * 1e-9
        && got[0].2 == unit;
    t.check(ok, || {
        format!("  {text:?}: want {expr:?} = {value} {unit}, got {got:?}")
    });
}

/// No quantity in `text`.
fn no_quantity(t: &mut Table, lang: Lang, text: &str) {
    let got: Vec<String> = quantities(text, lang)
        .iter()
        .map(|f| {
            format!(
                "{} = {} {}",
                f.evidence.text,
                f.fields()["value"],
                s(&f.fields()["unit"])
            )
        })
        .collect();
    t.check(got.is_empty(), || format!("  {text:?}: got {got:?}"));
}

// ---------------------------------------------------------------------------------------
// Months × case × form

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English abbreviations: the three-letter forms and "Sept".
const EN_ABBR: [&[&str]; 12] = [
    &["Jan"],
    &["Feb"],
    &["Mar"],
    &["Apr"],
    &[],
    &["Jun"],
    &["Jul"],
    &["Aug"],
    &["Sep", "Sept"],
    &["Oct"],
    &["Nov"],
    &["Dec"],
];

fn en_ordinal_suffix(d: u32) -> &'static str {
    match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[test]
fn english_months_and_days() {
    let en = Lang::of("en");
    let mut t = Table::new("en months x forms");
    let frame = ("It happened on ", " in the capital.");
    for (i, full) in EN_MONTHS.iter().enumerate() {
        let m = i + 1;
        let d = 1 + (i as u32 * 5) % 28;
        let y = 1941 + i;
        let day = format!("{y}-{m:02}-{d:02}");
        let mut names: Vec<String> = vec![full.to_string()];
        for a in EN_ABBR[i] {
            names.push(a.to_string());
            names.push(format!("{a}."));
        }
        for name in &names {
            time_cell(&mut t, en, frame, &format!("{d} {name} {y}"), &day);
            time_cell(&mut t, en, frame, &format!("{name} {d}, {y}"), &day);
            let suf = en_ordinal_suffix(d);
            time_cell(&mut t, en, frame, &format!("{d}{suf} {name} {y}"), &day);
            time_cell(&mut t, en, frame, &format!("{name} {d}{suf}, {y}"), &day);
        }
        time_cell(
            &mut t,
            en,
            ("It began in ", " and ended."),
            &format!("{full} {y}"),
            &format!("{y}-{m:02}"),
        );
        time_cell(
            &mut t,
            en,
            frame,
            &format!("the {d}{} of {full} {y}", en_ordinal_suffix(d)),
            &day,
        );
    }
    t.done(0);
}

#[test]
fn english_numeric_forms() {
    let en = Lang::of("en");
    let mut t = Table::new("en numeric forms");
    let frame = ("It happened on ", " in the capital.");
    time_cell(&mut t, en, frame, "1991-12-08", "1991-12-08");
    time_cell(&mut t, en, frame, "1991-12-8", "1991-12-08");
    time_cell(&mut t, en, frame, "1991/12/08", "1991-12-08");
    time_cell(&mut t, en, frame, "12/25/1991", "1991-12-25");
    // Day, month name and year joined by hyphens, in every month, title and upper case.
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    for (i, m) in months.iter().enumerate() {
        let want = format!("1999-{:02}-07", i + 1);
        time_cell(&mut t, en, frame, &format!("07-{m}-1999"), &want);
        time_cell(
            &mut t,
            en,
            frame,
            &format!("7-{}-1999", m.to_uppercase()),
            &want,
        );
    }
    t.done(0);
}

/// Russian month names: nominative, genitive, dative, instrumental, prepositional, and the
/// usual abbreviations (with a period in writing; without one in telegraphic text).
const RU_MONTHS: [[&str; 5]; 12] = [
    ["январь", "января", "январю", "январём", "январе"],
    ["февраль", "февраля", "февралю", "февралём", "феврале"],
    ["март", "марта", "марту", "мартом", "марте"],
    ["апрель", "апреля", "апрелю", "апрелем", "апреле"],
    ["май", "мая", "маю", "маем", "мае"],
    ["июнь", "июня", "июню", "июнем", "июне"],
    ["июль", "июля", "июлю", "июлем", "июле"],
    ["август", "августа", "августу", "августом", "августе"],
    ["сентябрь", "сентября", "сентябрю", "сентябрём", "сентябре"],
    ["октябрь", "октября", "октябрю", "октябрём", "октябре"],
    ["ноябрь", "ноября", "ноябрю", "ноябрём", "ноябре"],
    ["декабрь", "декабря", "декабрю", "декабрём", "декабре"],
];

const RU_ABBR: [&[&str]; 12] = [
    &["янв"],
    &["февр", "фев"],
    &["мар"],
    &["апр"],
    &[],
    &["июн"],
    &["июл"],
    &["авг"],
    &["сент", "сен"],
    &["окт"],
    &["нояб", "ноя"],
    &["дек"],
];

/// Genitive ordinals 1–31 ("пятого", "двадцать второго"), and the nominative neuter
/// ("пятое", "двадцать второе").
fn ru_ordinal_day(d: u32, genitive: bool) -> String {
    const GEN: [&str; 20] = [
        "первого",
        "второго",
        "третьего",
        "четвёртого",
        "пятого",
        "шестого",
        "седьмого",
        "восьмого",
        "девятого",
        "десятого",
        "одиннадцатого",
        "двенадцатого",
        "тринадцатого",
        "четырнадцатого",
        "пятнадцатого",
        "шестнадцатого",
        "семнадцатого",
        "восемнадцатого",
        "девятнадцатого",
        "двадцатого",
    ];
    let word = |n: u32| -> String {
        let g = GEN[n as usize - 1];
        if genitive {
            g.to_string()
        } else {
            match g.strip_suffix("ого") {
                Some(stem) => format!("{stem}ое"),
                None => "третье".to_string(),
            }
        }
    };
    match d {
        1..=20 => word(d),
        21..=29 => format!("двадцать {}", word(d - 20)),
        30 => {
            if genitive {
                "тридцатого".into()
            } else {
                "тридцатое".into()
            }
        }
        _ => format!("тридцать {}", word(d - 30)),
    }
}

#[test]
fn russian_months_in_every_case() {
    let ru = Lang::of("ru");
    let mut t = Table::new("ru months x case x form");
    let frame = ("Это было ", " в Москве.");
    for (i, forms) in RU_MONTHS.iter().enumerate() {
        let m = i + 1;
        let d = 1 + (i as u32 * 5) % 28;
        let y = 1941 + i;
        let day = format!("{y}-{m:02}-{d:02}");
        let month = format!("{y}-{m:02}");
        let [nom, gn, dat, ins, prep] = forms;
        time_cell(&mut t, ru, frame, &format!("{d} {gn} {y} года"), &day);
        time_cell(&mut t, ru, frame, &format!("{d} {gn} {y} г."), &day);
        time_cell(&mut t, ru, frame, &format!("{d} {gn} {y}"), &day);
        time_cell(
            &mut t,
            ru,
            ("Это было в ", " в Москве."),
            &format!("{prep} {y} года"),
            &month,
        );
        time_cell(
            &mut t,
            ru,
            ("Это было с ", " в Москве."),
            &format!("{gn} {y} года"),
            &month,
        );
        time_cell(
            &mut t,
            ru,
            ("Это было к ", " в Москве."),
            &format!("{dat} {y} года"),
            &month,
        );
        time_cell(
            &mut t,
            ru,
            ("Это было перед ", " в Москве."),
            &format!("{ins} {y} года"),
            &month,
        );
        time_cell(
            &mut t,
            ru,
            ("Итоги: ", " в Москве."),
            &format!("{nom} {y} г."),
            &month,
        );
        let cap: String = {
            let mut c = prep.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        };
        time_cell(
            &mut t,
            ru,
            ("Это было в ", " в Москве."),
            &format!("{cap} {y} года"),
            &month,
        );
        for a in RU_ABBR[i] {
            time_cell(&mut t, ru, frame, &format!("{d} {a}. {y} г."), &day);
            time_cell(&mut t, ru, frame, &format!("{d} {a} {y} г."), &day);
        }
    }
    t.done(0);
}

#[test]
fn russian_ordinal_days() {
    let ru = Lang::of("ru");
    let mut t = Table::new("ru ordinal days (digits, words)");
    let frame = ("Это было ", " в Москве.");
    for d in 1..=31u32 {
        let (m, gn) = if d <= 30 {
            (9, "сентября")
        } else {
            (12, "декабря")
        };
        let y = 1939;
        let day = format!("{y}-{m:02}-{d:02}");
        time_cell(&mut t, ru, frame, &format!("{d}-го {gn} {y} года"), &day);
        time_cell(
            &mut t,
            ru,
            frame,
            &format!("{} {gn} {y} года", ru_ordinal_day(d, true)),
            &day,
        );
        time_cell(
            &mut t,
            ru,
            ("Наступило ", " в Москве."),
            &format!("{} {gn} {y} года", ru_ordinal_day(d, false)),
            &day,
        );
    }
    t.done(0);
}

/// Vietnamese month names: "tháng" with the number in digits or in words, with the
/// traditional "Giêng" (1) and "Chạp" (12) and "Tư" (4).
const VI_MONTHS: [&[&str]; 12] = [
    &["Giêng", "Một", "1", "01"],
    &["Hai", "2"],
    &["Ba", "3"],
    &["Tư", "4"],
    &["Năm", "5"],
    &["Sáu", "6"],
    &["Bảy", "7"],
    &["Tám", "8"],
    &["Chín", "9"],
    &["Mười", "10"],
    &["Mười Một", "11"],
    &["Mười Hai", "Chạp", "12"],
];

const VI_DAY_WORDS: [&str; 10] = [
    "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
];

#[test]
fn vietnamese_months_and_days() {
    let vi = Lang::of("vi");
    let mut t = Table::new("vi months x forms");
    let frame = ("Sự kiện diễn ra ", " tại Hà Nội.");
    for (i, names) in VI_MONTHS.iter().enumerate() {
        let m = i + 1;
        let d = 1 + (i as u32 * 5) % 28;
        let y = 1941 + i;
        let day = format!("{y}-{m:02}-{d:02}");
        for name in names.iter() {
            for tháng in ["tháng", "Tháng"] {
                time_cell(
                    &mut t,
                    vi,
                    frame,
                    &format!("ngày {d} {tháng} {name} năm {y}"),
                    &day,
                );
                time_cell(
                    &mut t,
                    vi,
                    ("Sự kiện diễn ra vào ", " tại Hà Nội."),
                    &format!("{tháng} {name} năm {y}"),
                    &format!("{y}-{m:02}"),
                );
            }
        }
        time_cell(&mut t, vi, frame, &format!("ngày {d}/{m}/{y}"), &day);
        time_cell(&mut t, vi, frame, &format!("ngày {d:02}/{m:02}/{y}"), &day);
        time_cell(&mut t, vi, frame, &format!("ngày {d}-{m}-{y}"), &day);
    }
    for d in 1..=10u32 {
        let day = format!("1975-05-{d:02}");
        for mùng in ["mùng", "mồng"] {
            time_cell(
                &mut t,
                vi,
                frame,
                &format!("ngày {mùng} {d} tháng 5 năm 1975"),
                &day,
            );
            time_cell(
                &mut t,
                vi,
                frame,
                &format!(
                    "ngày {mùng} {} tháng 5 năm 1975",
                    VI_DAY_WORDS[d as usize - 1]
                ),
                &day,
            );
        }
    }
    t.done(0);
}

// ---------------------------------------------------------------------------------------
// Number words 0 – 1,000,000

fn en_words(n: u64) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_1000(n: u64, and: bool) -> String {
        let (h, r) = (n / 100, n % 100);
        let mut parts = Vec::new();
        if h > 0 {
            parts.push(format!("{} hundred", ONES[h as usize]));
        }
        if r > 0 {
            let tail = if r < 20 {
                ONES[r as usize].to_string()
            } else if r % 10 == 0 {
                TENS[(r / 10) as usize].to_string()
            } else {
                format!("{}-{}", TENS[(r / 10) as usize], ONES[(r % 10) as usize])
            };
            if h > 0 && and {
                parts.push(format!("and {tail}"));
            } else {
                parts.push(tail);
            }
        }
        parts.join(" ")
    }
    if n == 0 {
        return "zero".into();
    }
    if n == 1_000_000 {
        return "one million".into();
    }
    let (th, r) = (n / 1000, n % 1000);
    let mut parts = Vec::new();
    if th > 0 {
        parts.push(format!("{} thousand", below_1000(th, true)));
    }
    if r > 0 {
        // British "and" before the last group's tens, as in "one hundred and five".
        if th > 0 && r < 100 {
            parts.push(format!("and {}", below_1000(r, true)));
        } else {
            parts.push(below_1000(r, true));
        }
    }
    parts.join(" ")
}

fn ru_words(n: u64) -> String {
    const ONES_F: [&str; 20] = [
        "ноль",
        "одна",
        "две",
        "три",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "восемь",
        "девять",
        "десять",
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ];
    const TENS: [&str; 10] = [
        "",
        "",
        "двадцать",
        "тридцать",
        "сорок",
        "пятьдесят",
        "шестьдесят",
        "семьдесят",
        "восемьдесят",
        "девяносто",
    ];
    const HUNDREDS: [&str; 10] = [
        "",
        "сто",
        "двести",
        "триста",
        "четыреста",
        "пятьсот",
        "шестьсот",
        "семьсот",
        "восемьсот",
        "девятьсот",
    ];
    // Feminine: both "тонна" and "тысяча" are.
    fn below_1000(n: u64) -> Vec<String> {
        let (h, r) = (n / 100, n % 100);
        let mut p = Vec::new();
        if h > 0 {
            p.push(HUNDREDS[h as usize].to_string());
        }
        if r >= 20 {
            p.push(TENS[(r / 10) as usize].to_string());
            if r % 10 > 0 {
                p.push(ONES_F[(r % 10) as usize].to_string());
            }
        } else if r > 0 {
            p.push(ONES_F[r as usize].to_string());
        }
        p
    }
    if n == 0 {
        return "ноль".into();
    }
    if n == 1_000_000 {
        return "один миллион".into();
    }
    let (th, r) = (n / 1000, n % 1000);
    let mut p = Vec::new();
    if th > 0 {
        p.extend(below_1000(th));
        let form = match (th % 10, th % 100) {
            (_, 11..=14) => "тысяч",
            (1, _) => "тысяча",
            (2..=4, _) => "тысячи",
            _ => "тысяч",
        };
        p.push(form.into());
    }
    p.extend(below_1000(r));
    p.join(" ")
}

/// The form of "тонна" a Russian number governs.
fn ru_tonnes(n: u64) -> &'static str {
    if n > 0 && n.is_multiple_of(1000) {
        return "тонн";
    }
    match (n % 10, n % 100) {
        (_, 11..=14) => "тонн",
        (1, _) => "тонна",
        (2..=4, _) => "тонны",
        _ => "тонн",
    }
}

fn vi_words(n: u64) -> String {
    const ONES: [&str; 10] = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    fn below_100(r: u64) -> String {
        let (t, o) = (r / 10, r % 10);
        match (t, o) {
            (0, o) => ONES[o as usize].into(),
            (1, 0) => "mười".into(),
            (1, 5) => "mười lăm".into(),
            (1, o) => format!("mười {}", ONES[o as usize]),
            (t, 0) => format!("{} mươi", ONES[t as usize]),
            (t, 1) => format!("{} mươi mốt", ONES[t as usize]),
            (t, 4) => format!("{} mươi tư", ONES[t as usize]),
            (t, 5) => format!("{} mươi lăm", ONES[t as usize]),
            (t, o) => format!("{} mươi {}", ONES[t as usize], ONES[o as usize]),
        }
    }
    /// A group of three digits; `inner`: a group after a higher one ("không trăm").
    fn below_1000(n: u64, inner: bool) -> String {
        let (h, r) = (n / 100, n % 100);
        let mut p = Vec::new();
        if h > 0 || inner && r > 0 {
            p.push(format!("{} trăm", ONES[h as usize]));
        }
        if r > 0 {
            if r < 10 && !p.is_empty() {
                p.push(format!("linh {}", ONES[r as usize]));
            } else {
                p.push(below_100(r));
            }
        }
        p.join(" ")
    }
    if n == 0 {
        return "không".into();
    }
    if n == 1_000_000 {
        return "một triệu".into();
    }
    let (th, r) = (n / 1000, n % 1000);
    let mut p = Vec::new();
    if th > 0 {
        p.push(format!("{} nghìn", below_1000(th, false)));
    }
    if r > 0 {
        p.push(below_1000(r, th > 0));
    }
    p.join(" ")
}

/// Spells a number in words.
type Speller = fn(u64) -> String;

/// Every number 0–1000, then every 997th to a million, and the round ones.
fn sample() -> Vec<u64> {
    let mut v: Vec<u64> = (0..=1000).collect();
    v.extend((1000..1_000_000).step_by(997));
    v.extend([
        2000, 10_000, 21_000, 100_000, 101_000, 500_000, 999_999, 1_000_000,
    ]);
    v
}

/// The numeral grammar reads `words` whole as `n`.
fn numeral_cell(t: &mut Table, lang: Lang, words: &str, n: u64) {
    let toks = tokenize(words, false);
    let got = data::data(lang).numerals.parse(&toks, 0);
    let ok = got
        .as_ref()
        .is_some_and(|g| g.len == toks.len() && g.value == n as f64);
    t.check(ok, || format!("  {words:?}: want {n}, got {got:?}"));
}

#[test]
fn number_words_zero_to_a_million() {
    let tables: [(Lang, &str, Speller, usize); 3] = [
        (Lang::of("en"), "en number words 0-1,000,000", en_words, 0),
        (Lang::of("ru"), "ru number words 0-1,000,000", ru_words, 0),
        (Lang::of("vi"), "vi number words 0-1,000,000", vi_words, 0),
    ];
    for (lang, name, spell, known) in tables {
        let mut t = Table::new(name);
        for n in sample() {
            numeral_cell(&mut t, lang, &spell(n), n);
        }
        t.done(known);
    }
}

#[test]
fn number_words_before_a_unit() {
    let values = [
        1u64, 2, 3, 5, 11, 21, 22, 45, 100, 105, 250, 1000, 2500, 21_000, 1_000_000,
    ];
    let mut t = Table::new("number words + tonnes (en, ru, vi)");
    for n in values {
        let w = en_words(n);
        let unit = if n == 1 { "ton" } else { "tons" };
        let expr = format!("{w} {unit}");
        quantity_cell(
            &mut t,
            Lang::of("en"),
            &format!("They shipped {expr} of rice."),
            &expr,
            n as f64,
            "tonne",
        );
        let expr = format!("{} {}", ru_words(n), ru_tonnes(n));
        quantity_cell(
            &mut t,
            Lang::of("ru"),
            &format!("Было поставлено {expr} риса."),
            &expr,
            n as f64,
            "tonne",
        );
        let expr = format!("{} tấn", vi_words(n));
        quantity_cell(
            &mut t,
            Lang::of("vi"),
            &format!("Đã chuyển {expr} gạo."),
            &expr,
            n as f64,
            "tonne",
        );
    }
    t.done(0);
}

#[test]
fn fractions() {
    let mut t = Table::new("fractions (en, ru, vi)");
    for (lang, words, v) in [
        (Lang::of("en"), "a half", 0.5),
        (Lang::of("en"), "a third", 1.0 / 3.0),
        (Lang::of("en"), "two-thirds", 2.0 / 3.0),
        (Lang::of("en"), "two thirds", 2.0 / 3.0),
        (Lang::of("en"), "a quarter", 0.25),
        (Lang::of("en"), "three quarters", 0.75),
        (Lang::of("en"), "three-fourths", 0.75),
        (Lang::of("en"), "a fifth", 0.2),
        (Lang::of("en"), "two and a half", 2.5),
        (Lang::of("ru"), "половина", 0.5),
        (Lang::of("ru"), "треть", 1.0 / 3.0),
        (Lang::of("ru"), "две трети", 2.0 / 3.0),
        (Lang::of("ru"), "четверть", 0.25),
        (Lang::of("ru"), "три четверти", 0.75),
        (Lang::of("ru"), "две пятых", 0.4),
        (Lang::of("ru"), "полтора", 1.5),
        (Lang::of("vi"), "một nửa", 0.5),
        (Lang::of("vi"), "hai phần ba", 2.0 / 3.0),
        (Lang::of("vi"), "một phần ba", 1.0 / 3.0),
        (Lang::of("vi"), "một phần tư", 0.25),
        (Lang::of("vi"), "ba phần tư", 0.75),
    ] {
        let toks = tokenize(words, false);
        let got = data::data(lang).numerals.parse(&toks, 0);
        let ok = got
            .as_ref()
            .is_some_and(|g| g.len == toks.len() && (g.value - v).abs() < 1e-9);
        t.check(ok, || format!("  {words:?}: want {v}, got {got:?}"));
    }
    t.done(0);
}

// ---------------------------------------------------------------------------------------
// Units in every case

#[test]
fn russian_units_in_every_case() {
    let ru = Lang::of("ru");
    let mut t = Table::new("ru units x case");
    // Each unit by its forms: nominative singular (after 21), genitive singular (after 3),
    // genitive, instrumental, dative and prepositional plural (after 45), as a number governs.
    let table: [(&str, [&str; 6]); 5] = [
        (
            "tonne",
            ["тонна", "тонны", "тонн", "тоннами", "тоннам", "тоннах"],
        ),
        (
            "RUB",
            ["рубль", "рубля", "рублей", "рублями", "рублям", "рублях"],
        ),
        (
            "USD",
            [
                "доллар",
                "доллара",
                "долларов",
                "долларами",
                "долларам",
                "долларах",
            ],
        ),
        (
            "person",
            ["человек", "человека", "человек", "людьми", "людям", "людях"],
        ),
        (
            "percent",
            [
                "процент",
                "процента",
                "процентов",
                "процентами",
                "процентам",
                "процентах",
            ],
        ),
    ];
    for (unit, forms) in table {
        for (i, form) in forms.iter().enumerate() {
            let (num, v) = match i {
                0 if unit == "person" => ("1", 1.0),
                0 => ("21", 21.0),
                1 => ("3", 3.0),
                _ => ("45", 45.0),
            };
            let expr = format!("{num} {form}");
            quantity_cell(
                &mut t,
                ru,
                &format!("Речь шла о {expr} за всё время."),
                &expr,
                v,
                unit,
            );
        }
    }
    // Numbers in words in an oblique case govern the same case of the unit.
    for (expr, v, unit) in [
        ("пяти тонн", 5.0, "tonne"),
        ("двумя тоннами", 2.0, "tonne"),
        ("трёх рублей", 3.0, "RUB"),
        ("пятью долларами", 5.0, "USD"),
    ] {
        quantity_cell(
            &mut t,
            ru,
            &format!("Речь шла о {expr} за всё время."),
            expr,
            v,
            unit,
        );
    }
    t.done(0);
}

#[test]
fn english_and_vietnamese_units() {
    let mut t = Table::new("en, vi units");
    for (lang, text, expr, v, unit) in [
        (
            Lang::of("en"),
            "They sent 1 ton of rice.",
            "1 ton",
            1.0,
            "tonne",
        ),
        (
            Lang::of("en"),
            "They sent 45 tons of rice.",
            "45 tons",
            45.0,
            "tonne",
        ),
        (
            Lang::of("en"),
            "They sent 45 tonnes of rice.",
            "45 tonnes",
            45.0,
            "tonne",
        ),
        (
            Lang::of("en"),
            "It cost 45 rubles in all.",
            "45 rubles",
            45.0,
            "RUB",
        ),
        (
            Lang::of("en"),
            "It cost 1 ruble in all.",
            "1 ruble",
            1.0,
            "RUB",
        ),
        (
            Lang::of("en"),
            "It cost 45 dollars in all.",
            "45 dollars",
            45.0,
            "USD",
        ),
        (Lang::of("en"), "It cost $45 in all.", "$45", 45.0, "USD"),
        (
            Lang::of("en"),
            "It grew by 45 percent in all.",
            "45 percent",
            45.0,
            "percent",
        ),
        (
            Lang::of("en"),
            "It grew by 45% in all.",
            "45%",
            45.0,
            "percent",
        ),
        (
            Lang::of("vi"),
            "Đã chuyển 45 tấn gạo.",
            "45 tấn",
            45.0,
            "tonne",
        ),
        (
            Lang::of("vi"),
            "Giá trị là 45 rúp cả thảy.",
            "45 rúp",
            45.0,
            "RUB",
        ),
        (
            Lang::of("vi"),
            "Giá trị là 45 đô la cả thảy.",
            "45 đô la",
            45.0,
            "USD",
        ),
        (
            Lang::of("vi"),
            "Tăng 45 phần trăm cả thảy.",
            "45 phần trăm",
            45.0,
            "percent",
        ),
        (Lang::of("vi"), "Tăng 45% cả thảy.", "45%", 45.0, "percent"),
    ] {
        quantity_cell(&mut t, lang, text, expr, v, unit);
    }
    t.done(0);
}

// ---------------------------------------------------------------------------------------
// Negative tables: not quantities

#[test]
fn years_dates_clock_times_names_and_references_are_not_quantities() {
    let mut t = Table::new("not quantities (en, ru, vi)");
    for (lang, text) in [
        // Years and dates.
        (Lang::of("en"), "It was signed in 1978 in Moscow."),
        (
            Lang::of("en"),
            "It was signed on 3 November 1978 in Moscow.",
        ),
        (Lang::of("en"), "It was signed on Nov. 3, 1978 in Moscow."),
        (Lang::of("en"), "It was signed in the 1970s in Moscow."),
        (Lang::of("ru"), "Договор подписан в 1978 году в Москве."),
        (Lang::of("ru"), "Договор 1978 года подписан в Москве."),
        (Lang::of("ru"), "Договор подписан в 1978 г. в Москве."),
        (
            Lang::of("ru"),
            "Договор подписан 3 ноября 1978 г. в Москве.",
        ),
        (
            Lang::of("ru"),
            "Договор подписан пятого мая 1975 года в Москве.",
        ),
        (Lang::of("ru"), "С 1991 года отношения изменились."),
        (Lang::of("vi"), "Hiệp ước được ký năm 1978 tại Mát-xcơ-va."),
        (Lang::of("vi"), "Hiệp ước được ký ngày 3 tháng 11 năm 1978."),
        (Lang::of("vi"), "Cách mạng nổ ra vào Tháng Tám năm 1945."),
        (Lang::of("vi"), "Ngày 15 tháng 6 năm 1980 đoàn đến Hà Nội."),
        (
            Lang::of("vi"),
            "Hiệp ước được ký ngày 3/11/1978 tại Mát-xcơ-va.",
        ),
        // Clock times.
        (Lang::of("en"), "The ship left at 10:30 in the morning."),
        (Lang::of("ru"), "Корабль вышел в 10:30 утра."),
        (Lang::of("ru"), "Корабль вышел в 10 ч. 30 мин."),
        (Lang::of("vi"), "Tàu rời cảng lúc 1 giờ 33 phút sáng."),
        (Lang::of("vi"), "Tàu rời cảng lúc 14 giờ 30."),
        // Names with numbers.
        (Lang::of("en"), "The crew of Soyuz-37 landed safely."),
        (
            Lang::of("en"),
            "It supplied MiG-21 jets and Su-27 fighters.",
        ),
        (
            Lang::of("ru"),
            "Экипаж корабля «Союз-37» вернулся на Землю.",
        ),
        (Lang::of("ru"), "Поставлялись самолёты МиГ-21 и Су-27."),
        (Lang::of("vi"), "Phi hành đoàn Soyuz-37 đã trở về."),
        (Lang::of("vi"), "Liên Xô cung cấp máy bay MiG-21."),
        // Page, article and section numbers.
        (Lang::of("en"), "See page 37 and Article 5 of the treaty."),
        (Lang::of("en"), "See p. 37 and Art. 5 of the treaty."),
        (Lang::of("en"), "See Chapter 3 and Section 4 of the report."),
        (Lang::of("ru"), "См. с. 37 и статью 5 договора."),
        (Lang::of("ru"), "См. стр. 37 и ст. 5 договора."),
        (Lang::of("ru"), "См. главу 3 и пункт 4 договора."),
        (
            Lang::of("ru"),
            "В статье 5 договора и в пункте 3 протокола сказано иначе.",
        ),
        (Lang::of("ru"), "Согласно статье 7 и разделу 2 соглашения."),
        (Lang::of("ru"), "Со статьей 9 и главой 4 устава."),
        (Lang::of("vi"), "Xem trang 37 và Điều 5 của hiệp ước."),
        (Lang::of("vi"), "Xem Chương 3 và khoản 4 của hiệp ước."),
        // Fractions of a span of time are durations, not parts of something.
        (
            Lang::of("en"),
            "A quarter of a century later they met again.",
        ),
        (
            Lang::of("en"),
            "It took half a year and a third of a decade.",
        ),
        (Lang::of("ru"), "Четверть века спустя они встретились."),
        (Lang::of("ru"), "Прошло полгода, потом треть столетия."),
        (Lang::of("vi"), "Một phần tư thế kỷ sau họ gặp lại."),
        (Lang::of("vi"), "Sau nửa thế kỷ hợp tác."),
    ] {
        no_quantity(&mut t, lang, text);
    }
    t.done(0);
}
