//! The table extractor: the thesis's appendix tables (structure, exact cell spans, a
//! snapshot of ids, columns, numbers and spans — never the source's sentences), small
//! hand-written Markdown, aligned and ambiguous tables, and a property test that no input
//! makes it panic or emit an inexact span.

mod common;

use annals::extract::quantity::number::Decimal;
use annals::extract::table::TableExtractor;
use annals::extract::table::cell::{self, Reading};
use annals::extract::{Extractor, Fact};
use annals::text::lang::Lang;
use proptest::prelude::*;
use serde_json::{Value, json};

fn tables_of(doc: &annals::document::Document) -> Vec<Fact> {
    let mut out = Vec::new();
    TableExtractor.extract(doc, &mut out);
    out
}

fn tables(text: &str, lang: Lang) -> Vec<Fact> {
    tables_of(&common::read_as(text, lang))
}

/// The numeric cells of a row, in order.
fn numbers(row: &Value) -> Vec<f64> {
    row.as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect()
}

fn rows(f: &Fact) -> Vec<Value> {
    f.fields()["rows"].as_array().unwrap().clone()
}

/// Every span of a table (evidence and cells) is exact: inside the source, on character
/// boundaries; and every numeric cell's text reads as its value.
#[track_caller]
fn check_spans(doc: &annals::document::Document, f: &Fact) {
    let bytes = &doc.source.bytes;
    assert!(f.evidence.end <= bytes.len());
    assert_eq!(
        f.evidence.text,
        doc.source.text_of(f.evidence.start..f.evidence.end)
    );
    let fields = f.fields();
    let rows = fields["rows"].as_array().unwrap();
    let cells = fields["cells"].as_array().unwrap();
    assert_eq!(rows.len(), cells.len());
    for (r, c) in rows.iter().zip(cells) {
        let (r, c) = (r.as_array().unwrap(), c.as_array().unwrap());
        assert_eq!(r.len(), c.len(), "row and cells differ in shape: {r:?}");
        for (v, span) in r.iter().zip(c) {
            if span.is_null() {
                assert!(v.is_null(), "a value without a span: {v}");
                continue;
            }
            let (s, e) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert!(s < e && e <= bytes.len());
            assert!(
                f.evidence.start <= s && e <= f.evidence.end,
                "cell outside the table"
            );
            let text = std::str::from_utf8(&bytes[s..e]).expect("cell on char boundaries");
            if let Some(want) = v.as_f64() {
                let ok = [Decimal::Comma, Decimal::Point].iter().any(|&d| {
                    matches!(cell::read(text, d), Some(Reading::Number { value, .. }) if (value - want).abs() < 1e-9)
                });
                assert!(ok, "cell text {text:?} does not read as {want}");
            }
        }
    }
}
#[test]
#[ignore]
fn dump_thesis() {
    let doc = common::corpus_doc("003");
    for f in tables_of(&doc) {
        let b = &f.fields();
        println!(
            "== {} {}..{} caption={} unit={} amb={}",
            b["id"], f.evidence.start, f.evidence.end, b["caption"], b["unit"], b["ambiguous"]
        );
        println!("   cols {}", b["columns"]);
        for r in b["rows"].as_array().unwrap() {
            println!("   {r}");
        }
        println!("   notes {}", b["notes"]);
        println!("   source {}", b["source"]);
    }
}

/// Writes the tables of the whole corpus as export records to `$TABLES_EXPORT`, for
/// `shared/eval/score.py` (a development aid; run with `--ignored`).
#[test]
#[ignore]
fn export_corpus_tables() {
    let Ok(path) = std::env::var("TABLES_EXPORT") else {
        return;
    };
    let mut out = String::new();
    for e in std::fs::read_dir(common::corpus_dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let doc = common::corpus_doc(&name);
        for f in tables_of(&doc) {
            let mut rec = f.fields();
            rec.insert("kind".into(), "table".into());
            rec.insert("doc".into(), name.clone().into());
            rec.insert("start".into(), f.evidence.start.into());
            rec.insert("end".into(), f.evidence.end.into());
            rec.insert("text".into(), f.evidence.text.clone().into());
            out.push_str(&serde_json::Value::Object(rec).to_string());
            out.push('\n');
        }
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn thesis_appendices() {
    let doc = common::corpus_doc("003");
    let found = tables_of(&doc);
    let ids: Vec<&str> = found
        .iter()
        .map(|f| f.body.table().unwrap().id.as_str())
        .collect();
    let want: Vec<String> = (1..=11).map(|n| format!("appendix-{n}")).collect();
    assert_eq!(
        ids, want,
        "Phụ lục 1-11 are tables; Phụ lục 12 (a treaty) is not"
    );
    for f in &found {
        check_spans(&doc, f);
        let cols = f.fields()["columns"].as_array().unwrap().len();
        for r in rows(f) {
            assert_eq!(
                r.as_array().unwrap().len(),
                cols,
                "{}: row {r} vs columns",
                f.fields()["id"]
            );
        }
        assert!(
            f.fields()["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("Nguồn"))
        );
    }
    let by_id = |id: &str| found.iter().find(|f| f.fields()["id"] == id).unwrap();
    // Row counts.
    let counts: Vec<usize> = found.iter().map(|f| rows(f).len()).collect();
    assert_eq!(counts, [7, 19, 8, 3, 3, 8, 5, 9, 8, 3, 5]);
    // Two-level header, unit line.
    let a1 = by_id("appendix-1");
    assert_eq!(a1.fields()["columns"][1], "Xuất khẩu - Tổng số");
    assert_eq!(a1.fields()["unit"], "triệu rúp");
    assert_eq!(
        a1.fields()["column_periods"],
        json!([null, null, null, null, null])
    );
    // Empty cells shown by doubled spaces; the unit column.
    let a2 = by_id("appendix-2");
    assert_eq!(rows(a2)[11], json!(["Tinh dầu", "Tấn", null, 338, null]));
    assert_eq!(a2.fields()["row_units"][0], "Nghìn tấn");
    assert_eq!(a2.fields()["column_periods"][2], json!([1976, 1980]));
    // Values one per line under a multi-line label; decimal commas; legend units.
    let a4 = by_id("appendix-4");
    assert_eq!(numbers(&rows(a4)[0]), [14.2, 2.1, 25.0, 2.8, 80.0, 3.4]);
    assert_eq!(a4.fields()["unit"], "I: triệu rúp; II: %");
    // Ranges stay text, with their parsed form in the cell.
    let a6 = by_id("appendix-6");
    assert_eq!(rows(a6)[1][8], "449-462");
    assert_eq!(a6.fields()["cells"][1][8]["range"], json!([449, 462]));
    // The detached block: said, not invented.
    let a7 = by_id("appendix-7");
    assert_eq!(a7.fields()["ambiguous"], true);
    assert!(!a7.fields()["notes"].as_array().unwrap().is_empty());
    assert!(rows(a7)[2][0].is_null() && rows(a7)[3][0].is_null());
    assert_eq!(numbers(&rows(a7)[2])[1], -4.1);
    // Parenthesised sub-values.
    let a9 = by_id("appendix-9");
    assert_eq!(numbers(&rows(a9)[3]), [500.0, 625.0, 125.0]);
    assert_eq!(a9.fields()["cells"][3][1]["sub"], 250.0);
    // Thousands grouping; ratios.
    assert_eq!(numbers(&rows(by_id("appendix-10"))[2]), [20662.0, 55.0]);
    let a11 = by_id("appendix-11");
    assert_eq!(rows(a11)[0], json!(["1986", 285, 1100, "1/3,96"]));
    assert_eq!(a11.fields()["cells"][0][3]["ratio"], json!([1, 3.96]));
}

#[test]
fn no_tables_in_the_other_corpus_documents() {
    for p in ["000", "001", "002", "004"] {
        let doc = common::corpus_doc(p);
        let found = tables_of(&doc);
        for f in &found {
            check_spans(&doc, f);
        }
        assert!(
            found.is_empty(),
            "{p}: {:?}",
            found
                .iter()
                .map(|f| f.fields()["id"].clone())
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn thesis_snapshot() {
    let doc = common::corpus_doc("003");
    let snap: Vec<Value> = tables_of(&doc)
        .iter()
        .map(|f| {
            json!({
                "id": f.fields()["id"],
                "start": f.evidence.start,
                "end": f.evidence.end,
                "columns": f.fields()["columns"],
                "unit": f.fields()["unit"],
                "ambiguous": f.fields()["ambiguous"],
                "rows": f.fields()["rows"],
                "cells": f.fields()["cells"],
                "column_periods": f.fields()["column_periods"],
            })
        })
        .collect();
    insta::assert_json_snapshot!("thesis_003", snap);
}

const MARKDOWN: &str = "Some words before.\n\nTable 2: Trade by year\n\n| Year | Exports | Imports |\n|------|--------:|--------:|\n| 1986 | 285 | 1,100 |\n| 1987 | 293 | 1,170 |\n| 1988 | - | 1,330.5 |\n\nSource: an archive.\n\nMore words after.\n";

#[test]
fn markdown_pipe_table() {
    let doc = common::read_as(MARKDOWN, Lang::of("en"));
    let t = tables_of(&doc);
    assert_eq!(t.len(), 1);
    check_spans(&doc, &t[0]);
    let b = &t[0].fields();
    assert_eq!(b["id"], "table-2");
    assert_eq!(b["caption"], "Trade by year");
    assert_eq!(b["columns"], json!(["Year", "Exports", "Imports"]));
    assert_eq!(
        b["rows"],
        json!([
            ["1986", 285, 1100],
            ["1987", 293, 1170],
            ["1988", null, 1330.5]
        ])
    );
    assert_eq!(b["source"], "Source: an archive.");
}

#[test]
fn aligned_english_table_with_caption() {
    let text = "Prose comes first here.\n\nTable 3. Soviet trade (million rubles)\n\nYear        Exports     Imports\n1980          1,500       6,000\n1981          2,800\n1985          4,800      10,500\n\nSource: Archive.\n";
    let doc = common::read_as(text, Lang::of("en"));
    let t = tables_of(&doc);
    assert_eq!(t.len(), 1);
    check_spans(&doc, &t[0]);
    let b = &t[0].fields();
    assert_eq!(b["id"], "table-3");
    assert_eq!(b["columns"], json!(["Year", "Exports", "Imports"]));
    assert_eq!(
        b["rows"],
        json!([
            ["1980", 1500, 6000],
            ["1981", 2800, null],
            ["1985", 4800, 10500]
        ])
    );
}

#[test]
fn aligned_russian_table_without_caption() {
    let text = "Данные приведены ниже.\n\nПоказатель        1970    1975\nЭкспорт           11,5    24,0\nИмпорт            10,6    26,7\n\nКонец.\n";
    let doc = common::read_as(text, Lang::of("ru"));
    let t = tables_of(&doc);
    assert_eq!(t.len(), 1);
    check_spans(&doc, &t[0]);
    let b = &t[0].fields();
    assert_eq!(b["id"], "table-1");
    assert_eq!(b["label"], Value::Null);
    assert_eq!(
        b["rows"],
        json!([["Экспорт", 11.5, 24], ["Импорт", 10.6, 26.7]])
    );
    assert_eq!(
        b["column_periods"],
        json!([null, [1970, 1970], [1975, 1975]])
    );
}

/// A block of values printed apart from its labels (as in Phụ lục 7), written for this test.
const DETACHED: &str = "Bảng 1 \nTốc độ tăng \n \n 2001 2002 2003 \nChỉ tiêu một \n1,0 2,0 3,0 \nChỉ tiêu hai \n4,0 5,0 6,0 \n7,0 \n \n8,0 \n9,0 \n \n1,5 \n2,5 \n \n3,5 \nChỉ tiêu ba \nChỉ tiêu bốn \n \nChỉ tiêu năm \n6,5 7,5 8,5 \n \nNguồn: Tự soạn. \n";

#[test]
fn detached_block_is_reported_not_invented() {
    let doc = common::read_as(DETACHED, Lang::of("vi"));
    let t = tables_of(&doc);
    assert_eq!(t.len(), 1);
    check_spans(&doc, &t[0]);
    let b = &t[0].fields();
    assert_eq!(b["id"], "table-1");
    assert_eq!(b["ambiguous"], true);
    assert_eq!(
        b["rows"],
        json!([
            ["Chỉ tiêu một", 1, 2, 3],
            ["Chỉ tiêu hai", 4, 5, 6],
            [null, 7, 9, 2.5],
            [null, 8, 1.5, 3.5],
            ["Chỉ tiêu năm", 6.5, 7.5, 8.5]
        ])
    );
    let notes = b["notes"].to_string();
    assert!(
        notes.contains("Chỉ tiêu ba") && notes.contains("Chỉ tiêu bốn"),
        "{notes}"
    );
}

#[test]
fn prose_mentions_are_not_tables() {
    for text in [
        "Table 1 shows the trade of 1986 and 1987 with 285 and 293.\n",
        "Phụ lục 1 ............ 165\nPhụ lục 2 ............ 170\n",
        "Bảng 2\nHIỆP ƯỚC HỮU NGHỊ\nĐiều 1\nHai Bên ký Hiệp ước sẽ cùng nhau cố gắng để củng cố và mở rộng sự hợp tác kinh tế.\n",
    ] {
        assert!(tables(text, Lang::of("vi")).is_empty(), "{text:?}");
    }
}

#[test]
fn a_long_run_of_digits_is_quick() {
    let text = "7".repeat(5_000_000) + "\n" + &"12  34  56\n".repeat(20_000);
    let t0 = std::time::Instant::now();
    let _ = tables(&text, Lang::of("en"));
    assert!(t0.elapsed().as_secs() < 20, "took {:?}", t0.elapsed());
}

fn text_strategy() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "Phụ lục 1",
        "Table 2:",
        "Bảng 3",
        "Nguồn: x",
        "Ghi chú:",
        "Đơn vị tính: triệu rúp",
        "I II I II",
        "| a | 1 |",
        "|---|---|",
        "14,2",
        "3.148",
        "-4,1",
        "449-462",
        "1/3,96",
        "(250)",
        "1976-1980",
        "Nghìn tấn",
        "Than",
        "Nhóm A",
        " ",
        "  ",
        "\n",
        "\n",
        "\n \n",
        "\t",
        "é",
        "ệ",
        "Ж",
        "\u{301}",
        "2000",
        "x",
        "-",
        "…",
        "(50 cao cấp)",
        "\r\n",
    ]);
    prop::collection::vec(atoms, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn never_panics_and_spans_are_exact(text in text_strategy()) {
        let opts = annals::document::ReadOptions { lang: Some(Lang::of("vi")), ..Default::default() };
        let Ok(doc) = annals::document::Document::read("t", text.into_bytes(), opts) else {
            return Ok(());
        };
        for f in tables_of(&doc) {
            check_spans(&doc, &f);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,300}") {
        if let Ok(doc) = annals::document::Document::read("t", text.into_bytes(), Default::default()) {
            for f in tables_of(&doc) {
                check_spans(&doc, &f);
            }
        }
    }
}
