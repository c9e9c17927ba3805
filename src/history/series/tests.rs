//! Unit tests with hand-made facts: attribution, reconciliation, conflicts, tables.

use super::*;
use serde_json::{Value, json};

/// A document for the tests: its text, its sentences (split at ". "), its facts.
struct Doc {
    id: String,
    text: String,
    facts: Vec<StoredFact>,
    timexes: Vec<StoredFact>,
}

impl Doc {
    fn new(id: &str, text: &str) -> Doc {
        Doc {
            id: id.into(),
            text: text.into(),
            facts: Vec::new(),
            timexes: Vec::new(),
        }
    }

    fn at(&self, needle: &str, nth: usize) -> (usize, usize) {
        let s = self
            .text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle:?} not in the text"))
            .0;
        (s, s + needle.len())
    }

    /// A quantity fact at the `nth` occurrence of `needle`.
    #[allow(clippy::too_many_arguments)]
    fn q(
        &mut self,
        needle: &str,
        nth: usize,
        number: f64,
        scale: f64,
        unit: &str,
        approx: Option<&str>,
        lang: &str,
    ) -> &mut Self {
        let (s, e) = self.at(needle, nth);
        let id = (self.facts.len() + 1) as i64;
        self.facts.push(stored(
            id,
            &self.id,
            s,
            e,
            json!({
                "kind": "quantity", "doc": self.id, "start": s, "end": e, "text": needle,
                "number": number, "scale": scale, "value": number * scale, "unit": unit,
                "approx": approx, "decimal_ambiguous": false, "lang": lang,
                "counted": null, "measure": null,
            }),
        ));
        self
    }

    /// A timex fact at the first occurrence of `needle`.
    fn t(&mut self, needle: &str, from: &str, to: &str) -> &mut Self {
        let (s, e) = self.at(needle, 0);
        let id = 1000 + self.timexes.len() as i64;
        self.timexes.push(stored(
            id,
            &self.id,
            s,
            e,
            json!({"kind": "timex", "type": "date", "value_start": from,
                "value_end": to, "mod": null, "text": needle}),
        ));
        self
    }

    fn sentences(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, _) in self.text.match_indices(". ") {
            out.push((start, i + 1));
            start = i + 2;
        }
        out.push((start, self.text.len()));
        out
    }

    fn add_to(&self, ctx: &mut Context) {
        ctx.insert(
            &self.id,
            self.text.as_bytes().into(),
            Encoding::Utf8,
            self.sentences(),
            &self.timexes,
        );
    }
}

/// A stored fact from a hand-written record (fields it leaves out at their empty values).
fn stored(id: i64, doc: &str, start: usize, end: usize, record: Value) -> StoredFact {
    let kind = record["kind"].as_str().unwrap_or_default().to_string();
    let record = crate::fact::testing::record(&kind, record);
    StoredFact::from_record(id, doc.to_string(), start as u64, end as u64, record).unwrap()
}

fn build_docs(docs: &[&Doc], tables: &[StoredFact]) -> Vec<Series> {
    let mut ctx = Context::default();
    let mut qs = Vec::new();
    for d in docs {
        d.add_to(&mut ctx);
        qs.extend(d.facts.iter().cloned());
    }
    build_with(&qs, tables, &ctx)
}

fn get<'a>(s: &'a [Series], key: &str) -> &'a Series {
    s.iter().find(|x| x.key == key).unwrap_or_else(|| {
        panic!(
            "no series {key}; have {:?}",
            s.iter().map(|x| &x.key).collect::<Vec<_>>()
        )
    })
}

fn english_1976() -> Doc {
    let mut d = Doc::new(
        "en.txt",
        "The total turnover of goods exchanged between the two sides in 1976 was 206.5 million rubles, of which the goods delivered by Vietnam were 47.8 million rubles. ",
    );
    d.t("1976", "1976", "1976")
        .q("206.5 million rubles", 0, 206.5, 1e6, "RUB", None, "en")
        .q("47.8 million rubles", 0, 47.8, 1e6, "RUB", None, "en");
    d
}

#[test]
fn running_text_points_keep_exact_evidence() {
    let d = english_1976();
    let s = build_docs(&[&d], &[]);
    let t = get(&s, "vn-ussr-trade-turnover-rub");
    assert_eq!(t.points.len(), 1);
    let p = &t.points[0];
    assert_eq!(p.period, Period::years(1976, 1976));
    assert_eq!(p.values[0].value, 206.5e6);
    let src = &p.values[0].sources[0].span;
    assert_eq!(&d.text[src.start..src.end], src.text);
    assert_eq!(src.text, "206.5 million rubles");
    let e = get(&s, "vn-ussr-exports-rub");
    assert_eq!(e.points[0].values[0].value, 47.8e6);
}

#[test]
fn of_which_with_the_ussr_makes_the_number_before_it_a_total() {
    let mut d = Doc::new(
        "vi.txt",
        "Năm 1985, tổng kim ngạch xuất khẩu của Việt Nam là 2800 triệu rúp, trong đó với Liên Xô đạt 1200 triệu rúp. ",
    );
    d.t("Năm 1985", "1985", "1985")
        .q("2800 triệu rúp", 0, 2800.0, 1e6, "RUB", None, "vi")
        .q("1200 triệu rúp", 0, 1200.0, 1e6, "RUB", None, "vi");
    let s = build_docs(&[&d], &[]);
    assert_eq!(
        get(&s, "vn-total-exports-rub").points[0].values[0].value,
        2800e6
    );
    assert_eq!(
        get(&s, "vn-ussr-exports-rub").points[0].values[0].value,
        1200e6
    );
}

#[test]
fn scales_reconcile_and_equal_values_merge() {
    let mut a = Doc::new(
        "a.txt",
        "Giai đoạn 1981-1985, Việt Nam xuất sang Liên Xô khoảng 1,2 tỷ rúp. ",
    );
    a.t("1981-1985", "1981", "1985").q(
        "khoảng 1,2 tỷ rúp",
        0,
        1.2,
        1e9,
        "RUB",
        Some("about"),
        "vi",
    );
    let mut b = Doc::new(
        "b.txt",
        "Kim ngạch xuất khẩu của Việt Nam sang Liên Xô giai đoạn 1981-1985 đạt 1200 triệu rúp. ",
    );
    b.t("1981-1985", "1981", "1985")
        .q("1200 triệu rúp", 0, 1200.0, 1e6, "RUB", None, "vi");
    let s = build_docs(&[&a, &b], &[]);
    let e = get(&s, "vn-ussr-exports-rub");
    assert_eq!(e.points.len(), 1);
    assert_eq!(e.points[0].values.len(), 1, "{:#?}", e.points[0]);
    assert_eq!(e.points[0].values[0].sources.len(), 2);
    assert!(!e.points[0].values[0].approx);
    assert!(conflicts(&s).is_empty());
}

#[test]
fn values_beyond_rounding_are_a_conflict_with_every_side() {
    let mut a = Doc::new(
        "a.txt",
        "Trong giai đoạn 1976-1980 Việt Nam nhập từ Liên Xô khoảng 1,5 tỷ rúp. ",
    );
    a.t("1976-1980", "1976", "1980").q(
        "khoảng 1,5 tỷ rúp",
        0,
        1.5,
        1e9,
        "RUB",
        Some("about"),
        "vi",
    );
    let mut b = Doc::new(
        "b.txt",
        "Trong giai đoạn 1976-1980 Việt Nam nhập từ Liên Xô 2000 triệu rúp. ",
    );
    b.t("1976-1980", "1976", "1980")
        .q("2000 triệu rúp", 0, 2000.0, 1e6, "RUB", None, "vi");
    let s = build_docs(&[&a, &b], &[]);
    let c = conflicts(&s);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].kind, ConflictKind::MeasureValue);
    assert_eq!(c[0].claims.len(), 2);
    assert!(c[0].claims.iter().all(|cl| cl.evidence.len() == 1));
    assert_eq!(c[0].id, "conflict-measure-value-1");
    assert!(c[0].topic.contains("1976–1980"), "{}", c[0].topic);
}

#[test]
fn rounding_and_approximation_are_not_conflicts() {
    let v = |value: f64, number: f64, scale: f64, approx: Option<&str>| PointValue {
        value,
        display: String::new(),
        approx: approx.is_some(),
        basis: None,
        sources: Vec::new(),
        range: allowed(value, half_unit(number) * scale, approx),
    };
    // 593.8 vs 594: rounding.
    assert!(compatible(
        &v(593.8e6, 593.8, 1e6, None),
        &v(594e6, 594.0, 1e6, None)
    ));
    // "about 2.14 billion" vs 2200 million: within 5%.
    assert!(compatible(
        &v(2.14e9, 2.14, 1e9, Some("about")),
        &v(2200e6, 2200.0, 1e6, None)
    ));
    // 680 vs 593: a conflict.
    assert!(!compatible(
        &v(680.0, 680.0, 1.0, None),
        &v(593.0, 593.0, 1.0, None)
    ));
    // "over 2,300" is open above.
    assert!(compatible(
        &v(2300.0, 2300.0, 1.0, Some("over")),
        &v(2900.0, 2900.0, 1.0, None)
    ));
    assert_eq!(half_unit(593.8), 0.05);
    assert_eq!(half_unit(1550.0), 5.0);
    assert_eq!(half_unit(2000.0), 50.0);
}

#[test]
fn usd_and_rub_are_different_series() {
    let mut d = Doc::new(
        "r.txt",
        "Bilateral trade amounted to $550 million in 2001. In 1980 the trade turnover with the Soviet Union was 593.8 million rubles. ",
    );
    d.t("2001", "2001", "2001")
        .t("1980", "1980", "1980")
        .q("$550 million", 0, 550.0, 1e6, "USD", None, "en")
        .q("593.8 million rubles", 0, 593.8, 1e6, "RUB", None, "en");
    let s = build_docs(&[&d], &[]);
    assert_eq!(
        get(&s, "vn-ussr-trade-turnover-usd").points[0].period,
        Period::years(2001, 2001)
    );
    assert_eq!(
        get(&s, "vn-ussr-trade-turnover-rub").points[0].period,
        Period::years(1980, 1980)
    );
}

#[test]
fn baselines_prices_parentheses_ranges_and_objects_stay_out() {
    let mut d = Doc::new(
        "x.txt",
        "Kim ngạch xuất khẩu sang Liên Xô đạt 1200 triệu rúp (tăng 5 triệu rúp so với giai đoạn 1976-1980). \
         Liên Xô viện trợ cho Việt Nam năm 1980 từ 350 đến 400 triệu rúp. \
         Năm 1985 Liên Xô giúp xây dựng nhà máy thủy điện trị giá 90 triệu rúp. ",
    );
    d.t("1976-1980", "1976", "1980")
        .t("năm 1980", "1980", "1980")
        .t("Năm 1985", "1985", "1985")
        .q("1200 triệu rúp", 0, 1200.0, 1e6, "RUB", None, "vi")
        .q("5 triệu rúp", 0, 5.0, 1e6, "RUB", None, "vi")
        .q("350", 0, 350.0, 1e6, "RUB", None, "vi")
        .q("400 triệu rúp", 0, 400.0, 1e6, "RUB", None, "vi")
        .q("90 triệu rúp", 0, 90.0, 1e6, "RUB", None, "vi");
    let s = build_docs(&[&d], &[]);
    assert!(s.is_empty(), "{s:#?}");
}

#[test]
fn price_basis_is_kept_apart_from_the_period() {
    let mut d = Doc::new(
        "p.txt",
        "Giai đoạn 1981-1985, trao đổi theo Hiệp định thương mại đạt doanh số 5400 triệu rúp (giá năm 1985) giữa hai nước. ",
    );
    d.t("1981-1985", "1981", "1985")
        .t("năm 1985", "1985", "1985")
        .q("5400 triệu rúp", 0, 5400.0, 1e6, "RUB", None, "vi");
    let s = build_docs(&[&d], &[]);
    let p = &get(&s, "vn-ussr-trade-turnover-rub").points[0];
    assert_eq!(p.period, Period::years(1981, 1985));
    assert_eq!(p.values[0].basis.as_deref(), Some("prices of 1985"));
}

#[test]
fn a_number_that_repeats_the_measure_takes_it() {
    let mut d = Doc::new(
        "s.txt",
        "If in 1981, the number of Vietnamese students in the Soviet Union was 1,022 people, in 1986 it was 1,026, by 1987, this number had increased to 1,550 people. ",
    );
    d.t("1981", "1981", "1981")
        .t("1986", "1986", "1986")
        .t("1987", "1987", "1987")
        .q("1,022 people", 0, 1022.0, 1.0, "person", None, "en")
        .q("1,026", 0, 1026.0, 1.0, "person", None, "en")
        .q("1,550 people", 0, 1550.0, 1.0, "person", None, "en");
    let s = build_docs(&[&d], &[]);
    let st = get(&s, "vn-ussr-students");
    let got: Vec<(i32, f64)> = st
        .points
        .iter()
        .map(|p| (p.period.end, p.values[0].value))
        .collect();
    assert_eq!(got, vec![(1981, 1022.0), (1986, 1026.0), (1987, 1550.0)]);
}

fn table_fact(
    doc: &Doc,
    caption: &str,
    unit: Option<&str>,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> StoredFact {
    // Cells: each numeric cell's text is found in the document in order.
    let mut pos = 0;
    let mut cells = Vec::new();
    for r in rows {
        let mut cr = Vec::new();
        for v in r {
            let s = match v {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => {
                    cr.push(Value::Null);
                    continue;
                }
            };
            let at = pos + doc.text[pos..].find(&s).expect("cell in text");
            cr.push(json!({"start": at, "end": at + s.len()}));
            pos = at + s.len();
        }
        cells.push(Value::Array(cr));
    }
    stored(
        99,
        &doc.id,
        0,
        doc.text.len(),
        json!({
            "kind": "table", "doc": doc.id, "start": 0, "end": doc.text.len(), "text": doc.text,
            "id": "t1", "label": "Phụ lục 1", "caption": caption, "unit": unit,
            "columns": columns, "rows": rows, "cells": cells, "source": null,
            "ambiguous": false, "lang": "vi",
        }),
    )
}

#[test]
fn table_cells_join_series_by_their_headers() {
    let d = Doc::new(
        "t.txt",
        "Phụ lục 1\nKim ngạch xuất nhập khẩu của Việt Nam - Liên Xô\nĐơn vị tính: triệu rúp\n1976-1980 1500 700\n1981-1985 2800 1200\n",
    );
    let t = table_fact(
        &d,
        "Kim ngạch xuất nhập khẩu của Việt Nam - Liên Xô",
        Some("triệu rúp"),
        &[
            "Thời kỳ",
            "Xuất khẩu - Tổng số",
            "Xuất khẩu - Trong đó với Liên Xô",
        ],
        &[
            vec![json!("1976-1980"), json!(1500), json!(700)],
            vec![json!("1981-1985"), json!(2800), json!(1200)],
        ],
    );
    // Without a context the cell text comes from the table's own text.
    let s = build(&[], std::slice::from_ref(&t));
    let total = get(&s, "vn-total-exports-rub");
    let ussr = get(&s, "vn-ussr-exports-rub");
    assert_eq!(total.points.len(), 2);
    assert_eq!(ussr.points[0].period, Period::years(1976, 1980));
    assert_eq!(ussr.points[0].values[0].value, 700e6);
    let src = &ussr.points[1].values[0].sources[0];
    assert_eq!(src.origin, Origin::Table);
    assert_eq!(&d.text[src.span.start..src.span.end], "1200");
}

#[test]
fn table_rows_naming_other_things_stay_out() {
    let d = Doc::new(
        "c.txt",
        "Những mặt hàng xuất khẩu chính của Việt Nam sang Liên Xô\nThan 369 322\nCao su 52 96\n",
    );
    let t = table_fact(
        &d,
        "Những mặt hàng xuất khẩu chính của Việt Nam sang Liên Xô",
        Some("Nghìn tấn"),
        &["", "1976-1980", "1981-1985"],
        &[
            vec![json!("Than"), json!(369), json!(322)],
            vec![json!("Cao su"), json!(52), json!(96)],
        ],
    );
    assert!(build(&[], &[t]).is_empty());
}

#[test]
fn names_in_any_language_find_series() {
    let d = english_1976();
    let s = build_docs(&[&d], &[]);
    for q in [
        "vn-ussr-trade-turnover-rub",
        "trade",
        "kim ngạch",
        "kim ngach",
        "товарооборот",
    ] {
        let f = find(&s, q);
        assert!(
            f.iter().any(|x| x.key == "vn-ussr-trade-turnover-rub"),
            "{q}: {:?}",
            f.iter().map(|x| &x.key).collect::<Vec<_>>()
        );
    }
    assert!(find(&s, "nothing like this").is_empty());
    let out = render::command(&s, Some("trade"), false).unwrap();
    assert!(out.contains("206.5 million RUB"), "{out}");
    assert!(render::command(&s, Some("zzz"), false).is_err());
    let j: Value = serde_json::from_str(&render::command(&s, None, true).unwrap()).unwrap();
    assert!(
        j.as_array()
            .unwrap()
            .iter()
            .any(|x| x["key"] == "vn-ussr-trade-turnover-rub")
    );
}

#[test]
fn an_interval_ending_in_part_of_a_year_gives_no_period() {
    let mut d = Doc::new(
        "m.txt",
        "Soviet assistance was substantial: from 1962 to early 1965, military aid to Vietnam was valued at approximately $200 million. ",
    );
    d.t("1962", "1962", "1962").q(
        "approximately $200 million",
        0,
        200.0,
        1e6,
        "USD",
        Some("about"),
        "en",
    );
    // "early 1965" is a timex with a modifier: not whole years.
    let (s, e) = d.at("early 1965", 0);
    d.timexes.push(stored(
        5000,
        &d.id,
        s,
        e,
        json!({"kind": "timex", "type": "date", "value_start": "1965",
            "value_end": "1965", "mod": "early"}),
    ));
    assert!(build_docs(&[&d], &[]).is_empty());
}

#[test]
fn an_exclusion_is_kept_with_the_sources_it_qualifies() {
    let mut d = Doc::new(
        "q.txt",
        "Trong 10 năm, Việt Nam nhập từ Liên Xô khoảng 5,2 tỷ rúp, không kể thiết bị toàn bộ, trong đó giai đoạn 1976-1980 nhập khoảng 1,5 tỷ rúp. ",
    );
    d.t("1976-1980", "1976", "1980")
        .q("khoảng 5,2 tỷ rúp", 0, 5.2, 1e9, "RUB", Some("about"), "vi")
        .q("khoảng 1,5 tỷ rúp", 0, 1.5, 1e9, "RUB", Some("about"), "vi");
    let s = build_docs(&[&d], &[]);
    let p = &get(&s, "vn-ussr-imports-rub").points;
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].values[0].value, 1.5e9);
    assert_eq!(
        p[0].values[0].sources[0].qualifier.as_deref(),
        Some("không kể thiết bị toàn bộ")
    );
}
