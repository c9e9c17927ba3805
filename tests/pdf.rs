//! PDFs and scans end to end: text-layer PDFs typeset at test time from the reference corpus
//! and the unseen excerpts (headless Chromium, DejaVu fonts), pages rendered to images and
//! read by OCR (Poppler, Tesseract), and the malformed files annals must refuse.
//!
//! Needs `chromium`, `pdftoppm`/`pdfinfo`/`pdftotext` (poppler-utils) and `tesseract` with
//! its `vie`, `rus` and `eng` data. Without them the tests are skipped with a loud message,
//! unless `ANNALS_PDF_TESTS=required` (CI sets it in `.ci/run`), where they fail.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use annals::bench::pdf::{self, PdfSpec};
use common::{describe, export, run, run_ok};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// True when every tool is there; otherwise skips loudly, or fails when required.
fn tools_present() -> bool {
    let missing: Vec<&str> = ["chromium", "pdftoppm", "pdftotext", "pdfinfo", "tesseract"]
        .into_iter()
        .filter(|t| {
            Command::new(t)
                .arg("-v")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_err()
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("ANNALS_PDF_TESTS").is_ok_and(|v| v == "required") {
        panic!(
            "ANNALS_PDF_TESTS=required but {} missing: apt-get install -y chromium poppler-utils tesseract-ocr tesseract-ocr-vie tesseract-ocr-rus tesseract-ocr-eng",
            missing.join(", ")
        );
    }
    use std::io::Write;
    let bar = "!".repeat(78);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!! SKIPPED tests/pdf.rs: {} not found; PDFs and scans were NOT tested.\n{bar}\n",
        missing.join(", ")
    );
    false
}

/// Typesets a text file as a PDF in `dir` (A4, DejaVu Sans 10 pt, line breaks kept).
fn typeset(src: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(src).expect("read source");
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let name = src.file_stem().unwrap().to_string_lossy().into_owned();
    let html = dir.join(format!("{name}.html"));
    std::fs::write(
        &html,
        format!(
            "<!doctype html><meta charset='utf-8'><style>@page{{size:A4;margin:2cm}}\
             body{{font-family:'DejaVu Sans';font-size:10pt;white-space:pre-wrap;margin:0}}\
             </style><body>{escaped}</body>"
        ),
    )
    .unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    let st = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run chromium");
    assert!(
        st.success() && pdf.exists(),
        "chromium made no PDF of {name}"
    );
    std::fs::remove_file(&html).unwrap();
    pdf
}

/// Renders page `n` of `pdf` at `dpi` as a PNG named `name` in `dir`.
fn render(pdf: &Path, n: u32, dpi: u32, dir: &Path, name: &str) -> PathBuf {
    let prefix = dir.join(name);
    let st = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-f",
            &n.to_string(),
            "-l",
            &n.to_string(),
        ])
        .args(["-singlefile", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("run pdftoppm");
    assert!(st.success());
    prefix.with_extension("png")
}

/// Facts of one kind by a value field, counted.
fn values(
    records: &[Value],
    kind: &str,
    field: &str,
    page: Option<u64>,
) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in records {
        if r["kind"] == kind && page.is_none_or(|p| r["page"].as_u64() == Some(p)) {
            *m.entry(r[field].to_string()).or_default() += 1;
        }
    }
    m
}

/// The share of `base`'s values (counted) that `got` has.
fn share(base: &BTreeMap<String, usize>, got: &BTreeMap<String, usize>) -> f64 {
    let n: usize = base.values().sum();
    let hit: usize = base
        .iter()
        .map(|(k, c)| (*c).min(got.get(k).copied().unwrap_or(0)))
        .sum();
    if n == 0 { 1.0 } else { hit as f64 / n as f64 }
}

/// Two pages of English prose in Helvetica, `report.pdf` in `dir`.
fn report_pdf(dir: &Path) -> PathBuf {
    let file = dir.join("report.pdf");
    std::fs::write(
        &file,
        pdf::write(&PdfSpec {
            pages: pdf::prose_pages(2, 6),
            ..Default::default()
        }),
    )
    .unwrap();
    file
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Sources in three languages: a reference document and unseen excerpts.
fn sources() -> Vec<PathBuf> {
    let corpus = common::corpus_dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .collect();
    for n in ["vi_01", "vi_02", "ru_01", "ru_02", "en_01"] {
        v.push(shared().join(format!("eval/unseen/docs/{n}.txt")));
    }
    v
}

/// A PDF typeset from each source gives ≥ 0.95 of the text version's timex values (and of
/// its quantities and mentions); every record carries its page and boxes inside the page;
/// every span is exact against `annals text`; a fact's Web Annotation places it on its page.
#[test]
fn a_typeset_source_keeps_its_facts_with_pages_and_boxes() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pdfs = tmp.path().join("pdfs");
    std::fs::create_dir(&pdfs).unwrap();
    for src in sources() {
        let name = src.file_stem().unwrap().to_string_lossy().into_owned();
        let pdf = typeset(&src, &pdfs);
        let text_data = tmp.path().join(format!("{name}-text"));
        let pdf_data = tmp.path().join(format!("{name}-pdf"));
        run_ok(&text_data, &["ingest", "--quiet", src.to_str().unwrap()]);
        run_ok(&pdf_data, &["ingest", "--quiet", pdf.to_str().unwrap()]);
        let base = export(&text_data);
        let got = export(&pdf_data);
        for (kind, field, bar) in [
            ("timex", "edtf", 0.95),
            ("quantity", "value", 0.9),
            ("mention", "entity", 0.9),
        ] {
            let s = share(
                &values(&base, kind, field, None),
                &values(&got, kind, field, None),
            );
            assert!(
                s >= bar,
                "{name}: {kind} {s:.3} of the text version's values"
            );
        }
        let doc = got.iter().find(|r| r["kind"] == "document").unwrap();
        assert_eq!(doc["format"], "pdf", "{doc}");
        assert_eq!(doc["unit"], "pt");
        let pages = doc["pages"].as_u64().unwrap();
        assert!(pages >= 1);
        let id = doc["doc"].as_str().unwrap();
        let text = run_ok(&pdf_data, &["text", id]);
        let mut facts = 0;
        for r in got.iter().filter(|r| r.get("start").is_some()) {
            let (s, e) = (
                r["start"].as_u64().unwrap() as usize,
                r["end"].as_u64().unwrap() as usize,
            );
            let span = text
                .get(s..e)
                .unwrap_or_else(|| panic!("{name}: span {s}..{e} off the text"));
            assert_eq!(
                common::nfc(span),
                r["text"].as_str().unwrap(),
                "{name}: {r}"
            );
            if !matches!(
                r["kind"].as_str(),
                Some("sentence" | "timex" | "quantity" | "mention" | "event_statement")
            ) {
                continue;
            }
            facts += 1;
            let page = r["page"]
                .as_u64()
                .unwrap_or_else(|| panic!("{name}: no page in {r}"));
            assert!((1..=pages).contains(&page), "{r}");
            let boxes = r["boxes"]
                .as_array()
                .unwrap_or_else(|| panic!("no boxes in {r}"));
            assert!(!boxes.is_empty(), "{r}");
            for b in boxes {
                let b: Vec<f64> = b
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect();
                assert!(b[0] < b[2] && b[1] < b[3], "{name}: empty box in {r}");
                assert!(
                    b[0] >= 0.0 && b[2] <= 595.5 && b[1] >= 0.0 && b[3] <= 842.5,
                    "{r}"
                );
            }
            assert!(r.get("ocr").is_none(), "a text layer is no OCR: {r}");
        }
        assert!(facts > 5, "{name}: {facts} facts");
        // Every testimony of an event points at its page too.
        for ev in got.iter().filter(|r| r["kind"] == "event") {
            for e in ev["evidence"].as_array().unwrap() {
                assert!(
                    e["page"].as_u64().is_some()
                        && e["boxes"].as_array().is_some_and(|b| !b.is_empty()),
                    "{name}: {e}"
                );
            }
        }
        // The Web Annotation of a fact places it on its page (RFC 8118).
        let ann = run_ok(&pdf_data, &["export", "--format", "annotations"]);
        let first: Value = serde_json::from_str(ann.lines().next().unwrap()).unwrap();
        let frag = first["target"]["selector"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["type"] == "FragmentSelector")
            .unwrap_or_else(|| panic!("{name}: no FragmentSelector in {first}"));
        let v = frag["value"].as_str().unwrap();
        assert!(v.starts_with("page=") && v.contains("&viewrect="), "{v}");
    }
}

/// A 200 dpi scan of a source's first page gives the dates the text layer has on that page,
/// read by OCR: records marked `ocr` with a confidence, boxes in pixels.
#[test]
fn a_scan_of_a_first_page_gives_its_dates() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for src in sources().into_iter().take(3) {
        let name = src.file_stem().unwrap().to_string_lossy().into_owned();
        let pdf = typeset(&src, tmp.path());
        let png = render(&pdf, 1, 200, tmp.path(), &format!("{name}-scan"));
        let pdf_data = tmp.path().join(format!("{name}-pdf"));
        let scan_data = tmp.path().join(format!("{name}-scan"));
        run_ok(&pdf_data, &["ingest", "--quiet", pdf.to_str().unwrap()]);
        run_ok(&scan_data, &["ingest", "--quiet", png.to_str().unwrap()]);
        let layer = values(&export(&pdf_data), "timex", "edtf", Some(1));
        let scan_records = export(&scan_data);
        let scan = values(&scan_records, "timex", "edtf", None);
        let s = share(&layer, &scan);
        assert!(
            s >= 0.9,
            "{name}: the scan gives {s:.3} of page 1's dates\nlayer {layer:?}\nscan {scan:?}"
        );
        let doc = scan_records
            .iter()
            .find(|r| r["kind"] == "document")
            .unwrap();
        assert_eq!(
            (doc["format"].as_str(), doc["unit"].as_str()),
            (Some("image"), Some("px"))
        );
        for r in scan_records.iter().filter(|r| r["kind"] == "timex") {
            assert_eq!(r["ocr"], true, "{r}");
            let c = r["ocr_confidence"].as_f64().unwrap();
            assert!((0.0..=100.0).contains(&c), "{r}");
            // 200 dpi A4 is 1654 × 2339 pixels.
            let b = r["boxes"][0].as_array().unwrap();
            assert!(
                b[2].as_f64().unwrap() <= 1654.0 && b[3].as_f64().unwrap() <= 2339.0,
                "{r}"
            );
        }
    }
}

/// A text-layer PDF read with `--ocr always`: every page OCR'd, boxes scaled back to points,
/// the dates still found; `annals text --page` prints one page.
#[test]
fn ocr_of_every_page_keeps_boxes_in_points() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = report_pdf(tmp.path());
    let layer = tmp.path().join("layer");
    let ocr = tmp.path().join("ocr");
    run_ok(&layer, &["ingest", "--quiet", file.to_str().unwrap()]);
    run_ok(
        &ocr,
        &[
            "ingest",
            "--quiet",
            "--ocr",
            "always",
            "--ocr-lang",
            "en",
            "--ocr-dpi",
            "150",
            file.to_str().unwrap(),
        ],
    );
    let a = export(&layer);
    let b = export(&ocr);
    let doc = b.iter().find(|r| r["kind"] == "document").unwrap();
    assert_eq!(
        (doc["pages"].as_u64(), doc["ocr_pages"].as_u64()),
        (Some(2), Some(2))
    );
    let (la, lb) = (
        values(&a, "timex", "edtf", None),
        values(&b, "timex", "edtf", None),
    );
    assert!(share(&la, &lb) >= 0.9, "{la:?}\n{lb:?}");
    // The same date on the same page stands in nearly the same place, read either way.
    let find = |rs: &[Value]| {
        rs.iter()
            .find(|r| r["kind"] == "timex" && r["text"] == "3 November 1978" && r["page"] == 1)
            .map(|r| r["boxes"][0].clone())
            .unwrap_or_else(|| panic!("no '3 November 1978' on page 1"))
    };
    let (ba, bb) = (find(&a), find(&b));
    for i in 0..4 {
        let d = (ba[i].as_f64().unwrap() - bb[i].as_f64().unwrap()).abs();
        assert!(d < 6.0, "box {ba} read by OCR as {bb}");
    }
    let o = run(&layer, &["text", "report.pdf", "--page", "2"]);
    assert!(o.status.success(), "{}", describe(&o));
    let page2 = String::from_utf8_lossy(&o.stdout);
    assert!(
        page2.contains("Soviet") && String::from_utf8_lossy(&o.stderr).contains("page 2: bytes")
    );
    // A cited answer from a PDF says on which page it stands.
    let a: Value = serde_json::from_str(&run_ok(
        &layer,
        &[
            "ask",
            "When did the Soviet Union recognise Vietnam?",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let c = &a["citations"][0];
    assert!(
        c["page"].as_u64().is_some() && c["boxes"].as_array().is_some(),
        "{a:#}"
    );
    let o = run(&layer, &["text", "report.pdf", "--page", "3"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("2 pages"));
}

/// Encrypted, broken, page-less, too long and too large PDFs and an image bomb are refused
/// with their reason; the good file beside them is stored and the store stays consistent.
#[test]
fn bad_pdfs_and_images_are_refused_with_their_reason() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    let good = PdfSpec {
        pages: pdf::prose_pages(1, 3),
        ..Default::default()
    };
    std::fs::write(dir.join("good.pdf"), pdf::write(&good)).unwrap();
    std::fs::write(
        dir.join("encrypted.pdf"),
        pdf::write(&PdfSpec {
            encrypted: true,
            ..good.clone()
        }),
    )
    .unwrap();
    let mut broken = pdf::write(&good);
    broken.truncate(broken.len() / 3);
    broken.extend_from_slice(b"garbage");
    std::fs::write(dir.join("broken.pdf"), &broken).unwrap();
    std::fs::write(dir.join("nopages.pdf"), pdf::write(&PdfSpec::default())).unwrap();
    std::fs::write(
        dir.join("long.pdf"),
        pdf::write(&PdfSpec {
            pages: vec![Vec::new(); 2000],
            ..Default::default()
        }),
    )
    .unwrap();
    // A page the size of a wall and no text layer: rendering it for OCR would take
    // gigabytes.
    std::fs::write(
        dir.join("wall.pdf"),
        pdf::write(&PdfSpec {
            pages: vec![Vec::new()],
            size: Some((14_400.0, 14_400.0)),
            ..Default::default()
        }),
    )
    .unwrap();
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bomb.extend_from_slice(&200_000u32.to_be_bytes());
    bomb.extend_from_slice(&200_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    std::fs::write(dir.join("bomb.png"), &bomb).unwrap();
    let data = tmp.path().join("data");
    let o = run(
        &data,
        &[
            "ingest",
            "--quiet",
            "--output",
            "json",
            dir.to_str().unwrap(),
        ],
    );
    let summary: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", describe(&o)));
    let by_doc = common::files_by_doc(&summary);
    assert_eq!(by_doc["good.pdf"]["outcome"], "added", "{summary:#}");
    let reason = |d: &str| {
        let f = &by_doc[d];
        assert_eq!(f["outcome"], "rejected", "{d}: {f}");
        f["reason"].as_str().unwrap().to_string()
    };
    assert!(reason("encrypted.pdf").contains("encrypted PDF"));
    assert!(
        reason("broken.pdf").starts_with("broken PDF"),
        "{}",
        reason("broken.pdf")
    );
    assert!(
        reason("nopages.pdf").contains("without pages"),
        "{}",
        reason("nopages.pdf")
    );
    assert!(
        reason("long.pdf").contains("2000 pages"),
        "{}",
        reason("long.pdf")
    );
    assert!(
        reason("wall.pdf").contains("too large to render"),
        "{}",
        reason("wall.pdf")
    );
    assert!(
        reason("bomb.png").contains("200000 × 200000"),
        "{}",
        reason("bomb.png")
    );
    common::check_ok(&data);
    // A limit raised on the command line lets the long file in.
    let o = run(
        &tmp.path().join("data2"),
        &[
            "ingest",
            "--quiet",
            "--output",
            "json",
            "--max-pdf-pages",
            "2000",
            "--ocr",
            "never",
            dir.join("long.pdf").to_str().unwrap(),
        ],
    );
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Two thousand empty pages and no OCR: no text, said as such.
    let r = s["files"][0]["reason"].as_str().unwrap_or_default();
    assert!(r.contains("no text") && r.contains("OCR is off"), "{s:#}");
    // A page without text beside one with: the document is stored, and the summary names
    // the page that was not read and why.
    let mixed = tmp.path().join("mixed.pdf");
    let mut pages = pdf::prose_pages(1, 3);
    pages.push(Vec::new());
    std::fs::write(
        &mixed,
        pdf::write(&PdfSpec {
            pages,
            ..Default::default()
        }),
    )
    .unwrap();
    let s = common::ingest_json(&tmp.path().join("data3"), &["--ocr", "never"], &mixed);
    let f = &s["files"][0];
    assert_eq!(f["outcome"], "added", "{s:#}");
    assert_eq!(
        (f["pages"]["pages"].as_u64(), f["pages"]["ocr"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(
        f["pages"]["unread"][0], "page 2: no text layer; OCR is off",
        "{s:#}"
    );
}

/// The workbench shows a PDF's page beside its text: the page image rendered by Poppler,
/// the boxes of its facts linking to their passages, the target's boxes marked; the API
/// refuses pages that do not exist with the reason.
#[test]
fn the_reader_shows_the_page_with_the_facts_boxes() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = report_pdf(tmp.path());
    let data = tmp.path().join("data");
    run_ok(&data, &["ingest", "--quiet", file.to_str().unwrap()]);
    let timex = export(&data)
        .into_iter()
        .find(|r| r["kind"] == "timex" && r["page"] == 2)
        .expect("a date on page 2");
    let server = harness::Server::start(&data, &[]);
    let (s, e) = (
        timex["start"].as_u64().unwrap(),
        timex["end"].as_u64().unwrap(),
    );
    let page = server.get(&format!("/documents/report.pdf?at={s}&end={e}"));
    assert_eq!(page.status, 200, "{}", page.describe());
    let html = page.text();
    assert!(
        html.contains("data-page=\"2\""),
        "the target's page is shown"
    );
    assert!(html.contains("src=\"/api/documents/report.pdf/pages/2\""));
    assert!(html.contains("class=\"box target\""));
    assert!(
        html.contains(&format!("?at={s}&amp;end={e}#target")),
        "the box links to its passage"
    );
    let img = server.get("/api/documents/report.pdf/pages/2");
    assert_eq!(img.status, 200, "{}", img.describe());
    assert_eq!(img.header("content-type"), Some("image/png"));
    assert!(img.body.starts_with(b"\x89PNG"));
    let missing = server.get("/api/documents/report.pdf/pages/3");
    assert_eq!(missing.status, 404);
    assert!(
        missing.reason().contains("2 pages"),
        "{}",
        missing.describe()
    );
    let bad = server.get("/documents/report.pdf?page=9");
    assert_eq!(bad.status, 400, "{}", bad.describe());
}
