//! Exports in the formats neighbouring tools read: CSV, TimelineJS, W3C Web Annotation,
//! CSL-JSON and BibTeX, on the reference corpus and on small files written here.

mod common;

use annals::export::bibliography::{self, Context, RefType, parse_entry};
use annals::export::{annotation, csl, csv as csv_export, timelinejs};
use annals::snapshot::History;
use annals::source::decode::{self, Encoding};
use annals::store::Store;
use annals::store::sqlite::SqliteStore;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

/// One store holding the reference corpus, shared by the tests of this file.
static DATA: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let data = tempfile::tempdir().unwrap();
    common::ingest_json(data.path(), &[], &common::corpus_dir());
    data
});

fn store_at(dir: &Path) -> SqliteStore {
    SqliteStore::open(&dir.join("annals.db")).expect("open the store")
}

fn corpus_store() -> SqliteStore {
    store_at(DATA.path())
}

fn corpus_file(doc: &str) -> Vec<u8> {
    std::fs::read(common::corpus_dir().join(doc)).expect("corpus file")
}

/// The snapshot every reader reads.
fn snap(store: &dyn Store) -> annals::snapshot::Snapshot {
    annals::snapshot::Snapshot::build(store).expect("snapshot")
}

fn fact_count(store: &dyn Store) -> usize {
    let mut n = 0;
    store
        .facts(None, &mut |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
    n
}

// ---------------------------------------------------------------------------------------
// CSV

fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("valid CSV").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

const HOSTILE: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[test]
fn csv_neutralises_formula_cells() {
    let mut buf = Vec::new();
    {
        let mut w = csv_export::SafeWriter::new(&mut buf);
        w.header(&["a", "b", "c", "d", "e", "f", "g", "h"]).unwrap();
        w.row([
            "=HYPERLINK(\"http://example.invalid\",\"x\")",
            "+1",
            "-2",
            "@x",
            "\tz",
            "\rz",
            "plain, with \"quotes\"",
            "a=b",
        ])
        .unwrap();
        assert_eq!(w.finish().unwrap(), 1);
    }
    let (header, rows) = parse_csv(&buf);
    assert_eq!(header.len(), 8);
    assert_eq!(
        rows,
        vec![vec![
            "'=HYPERLINK(\"http://example.invalid\",\"x\")".to_string(),
            "'+1".into(),
            "'-2".into(),
            "'@x".into(),
            "'\tz".into(),
            "'\rz".into(),
            "plain, with \"quotes\"".into(),
            "a=b".into(),
        ]]
    );
    // Leading whitespace, controls and invisible characters are trimmed by spreadsheets
    // before they look for a formula: the cell is neutralised all the same.
    for hidden in [
        "  =HYPERLINK(\"http://example.invalid\",\"x\")",
        "\u{a0}+1",
        "\n-2",
        "\u{200b}@x",
        "\u{feff}=1",
        "\u{3000}\u{ff1d}1",
    ] {
        assert_eq!(
            csv_export::neutralize(hidden),
            format!("'{hidden}"),
            "{hidden:?}"
        );
    }
    assert_eq!(csv_export::neutralize("  a=b"), "  a=b");
    assert_eq!(csv_export::neutralize("-0.5"), "'-0.5");
    assert_eq!(csv_export::neutralize("0.5"), "0.5");
    assert_eq!(csv_export::neutralize(""), "");
}

fn assert_no_live_formula(rows: &[Vec<String>]) {
    for r in rows {
        for c in r {
            assert!(!c.starts_with(HOSTILE), "cell not neutralised: {c:?}");
        }
    }
}

#[test]
fn csv_events_has_one_row_per_merged_event() {
    let store = corpus_store();
    let mut buf = Vec::new();
    let n = csv_export::write_csv(&snap(&store), csv_export::CsvKind::Events, &mut buf).unwrap();
    let (header, rows) = parse_csv(&buf);
    let events = History::build(&store).unwrap().events;
    assert_eq!(n, events.len());
    assert_eq!(rows.len(), events.len());
    assert!(events.len() > 100, "{} events", events.len());
    for k in [
        "id",
        "type",
        "date_start",
        "date_end",
        "participants",
        "sources",
        "evidence",
    ] {
        assert!(header.iter().any(|h| h == k), "no column {k}: {header:?}");
    }
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    let treaty = rows
        .iter()
        .find(|r| r[col("type")] == "treaty" && r[col("date_start")] == "1978-11-03")
        .expect("the 1978 treaty");
    assert!(treaty[col("sources")].parse::<usize>().unwrap() >= 2);
    // Evidence is doc@start-end, one per statement.
    let ev = &treaty[col("evidence")];
    assert_eq!(
        ev.split("; ").count(),
        treaty[col("statements")].parse::<usize>().unwrap()
    );
    assert!(ev.split("; ").all(|e| e.contains(".txt@")), "{ev}");
    assert_no_live_formula(&rows);
}

#[test]
fn csv_other_tables_parse_back() {
    let store = corpus_store();
    let facts = fact_count(&store);
    let mut counts = BTreeMap::new();
    for kind in csv_export::CsvKind::ALL {
        let mut buf = Vec::new();
        let n = csv_export::write_csv(&snap(&store), kind, &mut buf).unwrap();
        let (header, rows) = parse_csv(&buf);
        assert_eq!(n, rows.len(), "{}", kind.name());
        assert!(rows.iter().all(|r| r.len() == header.len()));
        assert_no_live_formula(&rows);
        counts.insert(kind.name(), rows.len());
        if kind == csv_export::CsvKind::Facts {
            // The record column holds the whole fact as JSON.
            let rec = header.iter().position(|h| h == "record").unwrap();
            for r in rows.iter().take(50) {
                let v: Value = serde_json::from_str(&r[rec]).unwrap();
                assert!(v["kind"].is_string());
            }
        }
    }
    assert_eq!(counts["facts"], facts);
    assert_eq!(counts["documents"], 5);
    assert!(
        counts["series"] > 0 && counts["conflicts"] > 0,
        "{counts:?}"
    );
    assert_eq!(
        "facts".parse::<csv_export::CsvKind>(),
        Ok(csv_export::CsvKind::Facts)
    );
    assert!("nope".parse::<csv_export::CsvKind>().is_err());
}

// ---------------------------------------------------------------------------------------
// TimelineJS

#[test]
fn timelinejs_dates() {
    let d = |s: &str| timelinejs::date_object(s);
    assert_eq!(
        d("1978-11-03").unwrap(),
        serde_json::json!({"year": 1978, "month": 11, "day": 3})
    );
    assert_eq!(
        d("1978-11").unwrap(),
        serde_json::json!({"year": 1978, "month": 11})
    );
    assert_eq!(d("1978").unwrap(), serde_json::json!({"year": 1978}));
    assert_eq!(d("1975-21").unwrap(), serde_json::json!({"year": 1975}));
    assert_eq!(d("-0500").unwrap(), serde_json::json!({"year": -500}));
    assert!(d("XXXX-02").is_none());
    assert!(d("").is_none());
}

#[test]
fn timelinejs_has_the_required_keys_and_the_1978_treaty() {
    let store = corpus_store();
    let mut buf = Vec::new();
    let stats = timelinejs::write_timelinejs(&snap(&store), &mut buf).unwrap();
    let v: Value = serde_json::from_slice(&buf).expect("valid JSON");
    assert!(v["title"]["text"]["headline"].is_string());
    let events = v["events"].as_array().unwrap();
    let merged = History::build(&store).unwrap().events.len();
    assert_eq!(events.len(), stats.events);
    assert_eq!(stats.events + stats.skipped, merged);
    let mut ids = HashSet::new();
    for e in events {
        assert!(e["start_date"]["year"].is_i64(), "{e}");
        if let Some(m) = e["start_date"].get("month") {
            assert!((1..=12).contains(&m.as_i64().unwrap()));
        }
        assert!(e["text"]["headline"].is_string());
        let html = e["text"]["text"].as_str().unwrap();
        assert!(html.contains("<cite>") && html.contains("bytes "), "{html}");
        assert!(e["group"].is_string());
        assert!(
            ids.insert(e["unique_id"].as_str().unwrap().to_string()),
            "duplicate id"
        );
        if let Some(end) = e.get("end_date") {
            assert!(end["year"].as_i64() >= e["start_date"]["year"].as_i64());
        }
    }
    let treaty = events
        .iter()
        .find(|e| {
            e["unique_id"].as_str().unwrap().contains("treaty")
                && e["start_date"] == serde_json::json!({"year": 1978, "month": 11, "day": 3})
        })
        .expect("the treaty of 3 November 1978");
    let sources = treaty["annals"]["sources"].as_u64().unwrap();
    assert!(sources >= 2);
    let html = treaty["text"]["text"].as_str().unwrap();
    assert!(
        html.contains(&format!("stated in {sources} sources")),
        "{html}"
    );
    // Every statement is listed with its document and span.
    for ev in treaty["annals"]["evidence"].as_array().unwrap() {
        let span = format!("bytes {}–{}", ev["start"], ev["end"]);
        assert!(html.contains(&span), "{span} not in {html}");
    }
}

// ---------------------------------------------------------------------------------------
// Web Annotation

/// Checks every annotation against `text` (the document decoded in its encoding): the
/// position selector, applied as code-point offsets, gives the quote's `exact`, `prefix`
/// and `suffix`; the NFC of `exact` is the source text of the byte span. Returns the number
/// of annotations whose char offsets differ from their byte offsets.
fn check_annotations(annos: &[&Value], text: &str, bytes: &[u8], enc: Encoding) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut differ = 0;
    for a in annos {
        let t = &a["target"];
        let sel = t["selector"].as_array().unwrap();
        let quote = sel
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .unwrap();
        let pos = sel
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .unwrap();
        let (s, e) = (
            pos["start"].as_u64().unwrap() as usize,
            pos["end"].as_u64().unwrap() as usize,
        );
        assert!(s <= e && e <= chars.len(), "{a}");
        assert_eq!(quote["exact"].as_str().unwrap(), slice(s, e), "{a}");
        assert_eq!(
            quote["prefix"].as_str().unwrap(),
            slice(s.saturating_sub(32), s)
        );
        assert_eq!(
            quote["suffix"].as_str().unwrap(),
            slice(e, (e + 32).min(chars.len()))
        );
        let (bs, be) = (
            t["annals:byteStart"].as_u64().unwrap() as usize,
            t["annals:byteEnd"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            common::nfc(quote["exact"].as_str().unwrap()),
            decode::decode_range(bytes, enc, bs..be),
            "{a}"
        );
        if (bs, be) != (s, e) {
            differ += 1;
        }
    }
    differ
}

fn annotations_of(store: &dyn Store) -> Vec<Value> {
    let mut out = Vec::new();
    annotation::for_each_annotation(
        &snap(store),
        &annotation::AnnotationOptions::default(),
        &mut |a| {
            out.push(a);
            Ok(())
        },
    )
    .unwrap();
    out
}

fn by_doc(annos: &[Value]) -> BTreeMap<String, Vec<&Value>> {
    let mut m: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for a in annos {
        m.entry(a["target"]["annals:doc"].as_str().unwrap().to_string())
            .or_default()
            .push(a);
    }
    m
}

#[test]
fn annotations_cover_every_fact_and_positions_are_characters() {
    let store = corpus_store();
    let annos = annotations_of(&store);
    assert_eq!(annos.len(), fact_count(&store));
    let ids: HashSet<&str> = annos.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), annos.len(), "annotation ids are unique");
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for a in &annos {
        assert_eq!(a["type"], "Annotation");
        assert!(
            a["target"]["source"]
                .as_str()
                .unwrap()
                .starts_with("urn:annals:doc:")
        );
        let class = a["body"][0]["value"].as_str().unwrap();
        *kinds
            .entry(class.split('/').next().unwrap().to_string())
            .or_default() += 1;
        assert!(a["annals:fact"]["kind"].is_string());
    }
    for k in [
        "timex",
        "quantity",
        "mention",
        "event_statement",
        "table",
        "duration",
    ] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) > 0,
            "no {k} annotation: {kinds:?}"
        );
    }
    let mut differ_in_thesis = 0;
    for (doc, list) in by_doc(&annos) {
        let bytes = corpus_file(&doc);
        let text = std::str::from_utf8(&bytes).expect("the corpus is UTF-8");
        let differ = check_annotations(&list, text, &bytes, Encoding::Utf8);
        if doc.starts_with("003_") {
            differ_in_thesis = differ;
        }
    }
    // The Vietnamese thesis is full of multi-byte characters: most offsets differ.
    assert!(differ_in_thesis > 1000, "{differ_in_thesis}");
    // A mention with a Wikidata id is identified by it.
    let m = annos
        .iter()
        .find(|a| a["annals:fact"]["kind"] == "mention" && a["annals:fact"]["qid"] == "Q15180")
        .expect("a mention of the Soviet Union");
    assert_eq!(m["motivation"], "identifying");
    assert!(m["body"].as_array().unwrap().iter().any(|b| {
        b["purpose"] == "identifying" && b["source"] == "http://www.wikidata.org/entity/Q15180"
    }));
    // A timex is described by its normalized value.
    let t = annos
        .iter()
        .find(|a| {
            a["annals:fact"]["kind"] == "timex" && a["annals:fact"]["value_start"] == "1978-11-03"
        })
        .expect("a timex of 3 November 1978");
    assert!(
        t["body"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| { b["purpose"] == "describing" && b["value"] == "1978-11-03" })
    );
}

/// Ingests `files` (name, bytes) from a fresh folder; returns the data dir.
fn ingest_files(
    files: &[(&str, Vec<u8>)],
    extra: &[&str],
) -> (tempfile::TempDir, tempfile::TempDir) {
    let src = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(src.path().join(name), bytes).unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    common::ingest_json(data.path(), extra, src.path());
    (src, data)
}

/// Our own text: Vietnamese and English, a character outside the BMP, dates and names.
const MIXED: &str = "Ghi chép 𐌰 về quan hệ Việt – Xô.\n\n\
Ngày 3 tháng 11 năm 1978, Liên Xô và Việt Nam ký Hiệp ước Hữu nghị và Hợp tác tại Mátxcơva.\n\n\
On 30 January 1950 the Soviet Union recognised Vietnam; in 1987 about 1.550 students studied there.\n";

#[test]
fn annotation_offsets_are_characters_in_a_utf16_file() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in MIXED.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let (_src, data) = ingest_files(&[("mixed16.txt", bytes.clone())], &[]);
    let store = store_at(data.path());
    let annos = annotations_of(&store);
    assert!(annos.len() >= 5, "{} annotations", annos.len());
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    let list: Vec<&Value> = annos.iter().collect();
    assert_eq!(list[0]["target"]["annals:encoding"], "utf-16le");
    let differ = check_annotations(&list, &text, &bytes, Encoding::Utf16Le);
    assert_eq!(
        differ,
        list.len(),
        "every byte offset differs from its char offset"
    );
    // After the astral character, code points and UTF-16 units differ by one: positions
    // are code points.
    let treaty_date = annos
        .iter()
        .find(|a| a["annals:fact"]["value_start"] == "1978-11-03")
        .expect("the 1978 date");
    let start = treaty_date["target"]["selector"][1]["start"]
        .as_u64()
        .unwrap() as usize;
    let byte_start = treaty_date["target"]["annals:byteStart"].as_u64().unwrap() as usize;
    assert_eq!(byte_start, 2 + 2 * (start + 1));
}

#[test]
fn annotation_offsets_are_characters_in_a_windows_1258_file() {
    let bytes = decode::encode_for_tests(MIXED.replace('𐌰', "").as_str(), Encoding::Windows1258)
        .expect("encodable");
    let (_src, data) = ingest_files(
        &[("vi1258.txt", bytes.clone())],
        &["--encoding", "windows-1258"],
    );
    let store = store_at(data.path());
    let annos = annotations_of(&store);
    assert!(annos.len() >= 5, "{} annotations", annos.len());
    let decoded = decode::decode_as(&bytes, Encoding::Windows1258).unwrap();
    let list: Vec<&Value> = annos.iter().collect();
    check_annotations(&list, decoded.text.as_str(), &bytes, Encoding::Windows1258);
    // Windows-1258 writes most toned letters as base + combining mark: the quote keeps the
    // file's characters, its NFC form is the fact's text.
    assert!(annos.iter().any(|a| {
        let exact = a["target"]["selector"][0]["exact"].as_str().unwrap();
        exact != common::nfc(exact)
    }));
}

#[test]
fn annotation_collection_and_base_url() {
    let store = corpus_store();
    let opts = annotation::AnnotationOptions {
        base_url: Some("https://annals.example/api/documents/".into()),
    };
    let mut buf = Vec::new();
    let n = annotation::write_annotation_collection(&snap(&store), &opts, &mut buf).unwrap();
    let v: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["total"].as_u64(), Some(n as u64));
    assert_eq!(v["@context"][0], "http://www.w3.org/ns/anno.jsonld");
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), n);
    assert!(
        items[0]["target"]["source"]
            .as_str()
            .unwrap()
            .starts_with("https://annals.example/api/documents/0")
    );
    assert_eq!(annotation::percent_encode("a b/é.txt"), "a%20b/%C3%A9.txt");
}

// ---------------------------------------------------------------------------------------
// Bibliography: CSL-JSON and BibTeX

#[test]
fn parse_entry_shapes() {
    let e =
        parse_entry("Nguyễn Văn An (2001), Lịch sử ngoại giao, Nxb Chính trị quốc gia, Hà Nội.");
    assert!(e.parsed);
    assert_eq!(e.ty, RefType::Book);
    assert_eq!(e.year, Some(2001));
    assert_eq!(e.authors[0].family.as_deref(), Some("Nguyễn"));
    assert_eq!(e.authors[0].given.as_deref(), Some("Văn An"));
    assert_eq!(e.title.as_deref(), Some("Lịch sử ngoại giao"));
    assert_eq!(e.publisher.as_deref(), Some("Chính trị quốc gia"));
    assert_eq!(e.place.as_deref(), Some("Hà Nội"));

    let (n, rest) = bibliography::split_number("[5] Author Name (1985), Title, Publisher, London.");
    assert_eq!(n, Some(5));
    let e = parse_entry(rest);
    assert_eq!((e.year, e.ty), (Some(1985), RefType::Book));
    assert_eq!(e.publisher.as_deref(), Some("Publisher"));
    assert_eq!(e.place.as_deref(), Some("London"));
    assert_eq!(e.authors[0].family.as_deref(), Some("Name"));

    let e = parse_entry(
        "Smith, J., & Brown, K. (1985). A title here. Journal of Things, 12(3), 45–67. https://doi.org/10.1/x",
    );
    assert_eq!(e.ty, RefType::ArticleJournal);
    assert_eq!(e.authors.len(), 2);
    assert_eq!(e.authors[1].family.as_deref(), Some("Brown"));
    assert_eq!(e.container.as_deref(), Some("Journal of Things"));
    assert_eq!(
        (e.volume.as_deref(), e.issue.as_deref()),
        (Some("12"), Some("3"))
    );
    assert_eq!(e.page.as_deref(), Some("45–67"));
    assert_eq!(e.url.as_deref(), Some("https://doi.org/10.1/x"));

    let e = parse_entry("Trần Thị Bình (1999), “Một bài báo”, Tạp chí Lịch sử, số 5, tr.10-15.");
    assert_eq!(e.ty, RefType::ArticleJournal);
    assert_eq!(e.title.as_deref(), Some("Một bài báo"));
    assert_eq!(e.issue.as_deref(), Some("5"));
    assert_eq!(e.page.as_deref(), Some("10-15"));

    let e = parse_entry("Иванов И.И. Книга. – М.: Наука, 1985. – 300 с.");
    assert_eq!((e.ty, e.year), (RefType::Book, Some(1985)));
    assert_eq!(e.authors[0].family.as_deref(), Some("Иванов"));
    assert_eq!(e.publisher.as_deref(), Some("Наука"));

    let e = parse_entry("Lê Văn C (Chủ biên) (2010), Tư liệu, Nxb Giáo dục, Hà Nội.");
    assert!(e.authors.is_empty());
    assert_eq!(e.editors[0].family.as_deref(), Some("Lê"));

    let e =
        parse_entry("Phạm D (2015), Đề tài, Luận án tiến sĩ lịch sử, Trường Đại học X, Hà Nội.");
    assert_eq!(e.ty, RefType::Thesis);
    assert_eq!(e.genre.as_deref(), Some("Luận án tiến sĩ lịch sử"));

    let e = parse_entry("a line with no shape at all");
    assert!(!e.parsed);
    assert_eq!(e.title.as_deref(), Some("a line with no shape at all"));
    assert!(e.note.as_deref().unwrap().starts_with("not parsed"));
}

/// A reference list of our own, as a thesis prints one.
const REFERENCE_LIST: &str = "CHƯƠNG 1. MỞ ĐẦU\n\n\
Luận án kế thừa các kết quả nghiên cứu trước đó và bổ sung những tư liệu lưu trữ mới được công bố trong thời gian gần đây.\n\n\
TÀI LIỆU THAM KHẢO\n\n\
1. Nguyễn Văn An (2001), Lịch sử ngoại giao hai nước, Nxb Chính trị quốc gia, Hà Nội.\n\
2. Trần Thị Bình (1999), “Quan hệ kinh tế thời kỳ đầu”, Tạp chí Nghiên cứu lịch sử, số 5, tr.10-15.\n\
3. Lê Văn Cường (Chủ biên) (2010), Tư liệu về hợp tác giáo dục, Nxb Giáo dục, Hà Nội.\n\
4. Phạm Minh Đức (2015), Quan hệ văn hóa giai đoạn 1975-1991, Luận án tiến sĩ lịch sử, Trường Đại học Sư phạm Hà Nội.\n\
5. Smith, J., & Brown, K. (1985). A history of distant friends. Journal of Imaginary Studies, 12(3), 45–67.\n\
6. Иванов И.И. История дружбы. – М.: Наука, 1985. – 300 с.\n\
7. Hoàng Văn Em (2020), Một trang thông tin, https://example.org/hop-tac (truy cập ngày 12/3/2021).\n\
8. Một dòng không theo mẫu nào cả\n\
9. Miller, A. (2003). Cold war partners. Oxford: Clarendon Press.\n\n\
PHỤ LỤC\n\n\
Phụ lục 1. Số liệu\n";

#[test]
fn a_reference_list_is_found_split_and_parsed() {
    let doc = annals::document::Document::read(
        "refs.txt",
        REFERENCE_LIST.as_bytes().to_vec(),
        annals::document::ReadOptions::default(),
    )
    .unwrap();
    let found = bibliography::find_in_document(&doc);
    assert_eq!(found.len(), 9, "{found:#?}");
    for (i, c) in found.iter().enumerate() {
        assert_eq!(c.context, Context::List);
        assert_eq!(c.number, Some(i as u32 + 1));
        let src = &REFERENCE_LIST.as_bytes()[c.start..c.end];
        let src = std::str::from_utf8(src).unwrap();
        assert!(src.starts_with(&format!("{}. ", i + 1)), "{src}");
        assert_eq!(src.split_whitespace().collect::<Vec<_>>().join(" "), c.text);
    }
    let items: Vec<Value> = csl::works(found).iter().map(csl::csl_item).collect();
    insta::assert_json_snapshot!("reference_list_csl", items);
}

#[test]
fn csl_from_the_corpus() {
    let store = corpus_store();
    let items = csl::csl_items(&snap(&store));
    let ids: HashSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), items.len(), "ids are unique");
    let mut figures: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    for it in &items {
        let a = &it["annals"];
        let doc = a["doc"].as_str().unwrap();
        let f = figures.entry(doc.to_string()).or_default();
        *f.entry(format!("context {}", a["context"].as_str().unwrap()))
            .or_default() += 1;
        *f.entry(format!("type {}", it["type"].as_str().unwrap()))
            .or_default() += 1;
        *f.entry("occurrences".into()).or_default() += a["occurrences"].as_array().unwrap().len();
        if !it["author"].is_null() || !it["editor"].is_null() {
            *f.entry("with authors or editors".into()).or_default() += 1;
        }
        if a["parsed"] == true {
            *f.entry("parsed".into()).or_default() += 1;
        }
        // Years are four digits.
        if let Some(parts) = it["issued"]["date-parts"][0].as_array() {
            let y = parts[0].as_i64().unwrap();
            assert!((1500..=2100).contains(&y), "{it}");
        }
        // Names are non-empty.
        for role in ["author", "editor"] {
            for n in it[role].as_array().into_iter().flatten() {
                let ok = n["family"].as_str().is_some_and(|s| !s.is_empty())
                    || n["literal"].as_str().is_some_and(|s| !s.is_empty());
                assert!(ok, "{it}");
            }
        }
        // Every place it is cited at decodes to text holding its year.
        for o in a["occurrences"].as_array().unwrap() {
            let d = o["doc"].as_str().unwrap();
            let bytes = files.entry(d.to_string()).or_insert_with(|| corpus_file(d));
            let (s, e) = (
                o["start"].as_u64().unwrap() as usize,
                o["end"].as_u64().unwrap() as usize,
            );
            let text = std::str::from_utf8(&bytes[s..e]).expect("span on char boundaries");
            if let Some(y) = it["issued"]["date-parts"][0][0].as_i64() {
                assert!(text.contains(&y.to_string()), "{text}");
            }
        }
    }
    let thesis = figures
        .iter()
        .find(|(d, _)| d.starts_with("003_"))
        .map(|(_, f)| f.clone())
        .expect("references in the thesis");
    assert!(thesis["context inline"] >= 40, "{thesis:?}");
    assert!(thesis["context source_note"] >= 5, "{thesis:?}");
    insta::assert_json_snapshot!("corpus_reference_figures", figures);

    let by_number = |n: u64| {
        items
            .iter()
            .find(|i| {
                i["annals"]["number"] == n
                    && i["annals"]["doc"].as_str().unwrap().starts_with("003_")
            })
            .unwrap_or_else(|| panic!("no reference [{n}]"))
    };
    let r = by_number(99);
    assert_eq!(r["author"][0]["family"], "Lưu");
    assert_eq!(r["author"][0]["given"], "Văn Lợi");
    assert_eq!(r["issued"]["date-parts"][0][0], 1998);
    let r = by_number(10);
    assert!(r["author"].is_null());
    assert_eq!(r["editor"][0]["family"], "Nguyễn");
    let r = by_number(144);
    assert_eq!(r["type"], "thesis");
    assert!(r["genre"].as_str().unwrap().starts_with("Luận án"));
    // The archival source notes under the appendix tables: one work, cited five times.
    let archival = items
        .iter()
        .find(|i| i["annals"]["occurrences"].as_array().unwrap().len() >= 5)
        .expect("a work cited by several source notes");
    assert!(
        archival["archive_location"]
            .as_str()
            .unwrap()
            .contains("476")
    );
    assert!(
        archival["annals"]["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["locator"].as_str().unwrap().starts_with("tr."))
    );
    let news = items
        .iter()
        .find(|i| i["type"] == "article-newspaper")
        .expect("a newspaper issue");
    assert_eq!(
        news["issued"]["date-parts"][0],
        serde_json::json!([1978, 11, 4])
    );
}

#[test]
fn bibtex_has_one_balanced_entry_per_work() {
    let store = corpus_store();
    let items = csl::csl_items(&snap(&store));
    let mut buf = Vec::new();
    let n = csl::write_bibtex(&snap(&store), &mut buf).unwrap();
    assert_eq!(n, items.len());
    let text = String::from_utf8(buf).unwrap();
    let entries: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(entries.len(), n);
    for e in entries {
        assert!(e.starts_with("% annals: "), "{e}");
        let body = e.split_once('\n').unwrap().1;
        assert!(body.starts_with('@'));
        let mut depth = 0i32;
        let mut prev = ' ';
        for c in body.chars() {
            if prev != '\\' {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            assert!(depth >= 0, "{body}");
            prev = c;
        }
        assert_eq!(depth, 0, "{body}");
    }
    assert_eq!(csl::bibtex_escape("50% & {x}_1"), "50\\% \\& \\{x\\}\\_1");
}

// ---------------------------------------------------------------------------------------
// The command line

#[test]
fn every_format_from_the_command_line() {
    let data = DATA.path();
    let csv_out = common::run_ok(data, &["export", "--format", "csv", "--kind", "documents"]);
    assert_eq!(parse_csv(csv_out.as_bytes()).1.len(), 5);
    let tl: Value =
        serde_json::from_str(&common::run_ok(data, &["export", "--format", "timelinejs"])).unwrap();
    assert!(!tl["events"].as_array().unwrap().is_empty());
    let annos = common::json_lines(&common::run_ok(
        data,
        &["export", "--format", "annotations"],
    ));
    assert_eq!(annos.len(), fact_count(&corpus_store()));
    assert!(
        annos
            .iter()
            .all(|a| a["@context"][0] == "http://www.w3.org/ns/anno.jsonld")
    );
    let coll: Value = serde_json::from_str(&common::run_ok(
        data,
        &["export", "--format", "annotation-collection"],
    ))
    .unwrap();
    assert_eq!(coll["total"].as_u64(), Some(annos.len() as u64));
    let items: Value =
        serde_json::from_str(&common::run_ok(data, &["export", "--format", "csl"])).unwrap();
    let bib = common::run_ok(data, &["export", "--format", "bibtex"]);
    assert_eq!(
        bib.lines().filter(|l| l.starts_with('@')).count(),
        items.as_array().unwrap().len()
    );
    // The JSON Lines export is unchanged: the default.
    let jsonl = common::export(data);
    assert!(jsonl.iter().any(|r| r["kind"] == "document"));
}

/// Found by fuzzing: a sentence end after a multi-byte space (U+2001) before an
/// author-year citation.
#[test]
fn a_multibyte_space_before_a_sentence_end_is_no_trouble() {
    let text = "Văn\u{2001}bản. Nguyễn Văn An (2001), Một cuốn sách [1].\n";
    let doc = annals::document::Document::read(
        "t.txt",
        text.as_bytes().to_vec(),
        annals::document::ReadOptions::default(),
    )
    .unwrap();
    let found = bibliography::find_in_document(&doc);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].entry.authors[0].family.as_deref(), Some("Nguyễn"));
}

// ---------------------------------------------------------------------------------------
// Properties

fn reference_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("(1985)".to_string()),
        Just("(2001), ".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just("Nxb ".to_string()),
        Just("[12] ".to_string()),
        Just("3. ".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("tr.12-15".to_string()),
        Just("Hà Nội".to_string()),
        Just(" – ".to_string()),
        Just("М.: ".to_string()),
        Just("12(3)".to_string()),
        Just("https://x.y/z".to_string()),
        Just("Luận án".to_string()),
        Just("(Chủ biên)".to_string()),
        Just("L.I.".to_string()),
        Just(" và ".to_string()),
        Just("\n".to_string()),
        "\\PC{0,8}",
        "[A-ZĐ][a-zđ]{0,6}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_entry_never_panics_on_any_string(s in "\\PC{0,300}") {
        let e = parse_entry(&s);
        if let Some(y) = e.year { prop_assert!((1500..=2100).contains(&y)); }
    }

    #[test]
    fn parse_entry_never_panics_on_reference_like_text(s in reference_like()) {
        let e = parse_entry(&s);
        if let Some(y) = e.year { prop_assert!((1500..=2100).contains(&y)); }
        for n in e.authors.iter().chain(&e.editors) {
            prop_assert!(!n.display().is_empty());
        }
        let _ = bibliography::split_number(&s);
    }

    #[test]
    fn references_found_in_any_document_lie_inside_it(s in reference_like(), heading in 0usize..3) {
        let head = ["TÀI LIỆU THAM KHẢO", "References", "Список литературы"][heading];
        let text = format!("{head}\n\n{s}\n\n1. {s}\n2. Nguyễn Văn A (2001), {s}\n");
        let Ok(doc) = annals::document::Document::read(
            "p.txt",
            text.as_bytes().to_vec(),
            annals::document::ReadOptions::default(),
        ) else {
            return Ok(());
        };
        for c in bibliography::find_in_document(&doc) {
            prop_assert!(c.start <= c.end && c.end <= text.len());
            prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
        }
    }
}
