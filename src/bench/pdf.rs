//! PDFs written at bench and test time: pages of text lines in a standard font (Helvetica,
//! WinAnsi), and the malformed files annals must refuse (encrypted, without pages, broken).
//!
//! Written here because nothing else on a fresh machine writes a PDF without a browser, and
//! the bench must run anywhere Poppler does. The writer is small on purpose: one font, one
//! content stream per page, a correct cross-reference table. Text outside Latin-1 is
//! replaced by '?' (a bench needs pages to read, not a typesetter; tests that need
//! Vietnamese or Russian typeset with Chromium, `scripts/typeset`).

use crate::archive::Archive;
use crate::extract::Pipeline;
use crate::ingest::{self, IngestOptions, Silent};
use crate::source::ocr::{OcrMode, OcrOptions};
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// A page size in points (A4).
pub const A4: (f64, f64) = (595.0, 842.0);

/// What to write.
#[derive(Debug, Clone, Default)]
pub struct PdfSpec {
    /// Pages of lines.
    pub pages: Vec<Vec<String>>,
    /// Page size in points (default A4).
    pub size: Option<(f64, f64)>,
    /// Add an /Encrypt dictionary with a user password (no reader opens it without one).
    pub encrypted: bool,
}

/// Writes the PDF.
pub fn write(spec: &PdfSpec) -> Vec<u8> {
    let (w, h) = spec.size.unwrap_or(A4);
    let n = spec.pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then per page a page object and its content.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: String = (0..n).map(|i| format!("{} 0 R ", 4 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {n} >>").into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (i, lines) in spec.pages.iter().enumerate() {
        let mut content = String::from("BT /F1 11 Tf 14 TL ");
        let _ = write!(content, "56 {:.0} Td ", h - 72.0);
        for l in lines {
            content.push('(');
            for c in l.chars() {
                match c {
                    '(' | ')' | '\\' => {
                        content.push('\\');
                        content.push(c);
                    }
                    c if (c as u32) < 0x20 => content.push(' '),
                    c if (c as u32) < 0x80 => content.push(c),
                    _ => content.push('?'),
                }
            }
            content.push_str(") Tj T* ");
        }
        content.push_str("ET");
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let encrypt_obj = spec.encrypted.then(|| {
        objects.push(
            format!(
                "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -4 >>",
                "7a".repeat(32),
                "3c".repeat(32)
            )
            .into_bytes(),
        );
        objects.len()
    });
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut x = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(x, "{off:010} 00000 n ");
    }
    let encrypt = encrypt_obj
        .map(|e| {
            format!(
                " /Encrypt {e} 0 R /ID [<{0}> <{0}>]",
                "0123456789abcdef0123456789abcdef"
            )
        })
        .unwrap_or_default();
    let _ = write!(
        x,
        "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(x.as_bytes());
    out
}

/// `pages` pages of English prose about the subject, `lines` lines each, with dates and
/// figures for the extractors to find.
pub fn prose_pages(pages: usize, lines: usize) -> Vec<Vec<String>> {
    const SENTENCES: [&str; 6] = [
        "On 3 November 1978 the Soviet Union and Vietnam signed a treaty of friendship.",
        "In 1985 trade between the two countries reached 1.8 billion rubles.",
        "Soviet specialists helped to build the Hoa Binh hydroelectric plant from 1979 to 1994.",
        "About 50,000 Vietnamese students were trained in Soviet universities.",
        "In January 1950 the Soviet Union recognised the Democratic Republic of Vietnam.",
        "The delegation visited Moscow in July 1955 and met the Soviet leaders.",
    ];
    (0..pages)
        .map(|p| {
            (0..lines)
                .map(|l| SENTENCES[(p * lines + l) % SENTENCES.len()].to_string())
                .collect()
        })
        .collect()
}

/// PDF ingest: a long text-layer PDF, and a few pages read by OCR.
#[derive(Debug, Clone, Serialize)]
pub struct PdfBench {
    /// Pages of the text-layer PDF (50 lines each).
    pub pages: usize,
    pub text_layer_seconds: f64,
    pub text_layer_pages_per_s: f64,
    /// Peak resident memory of annals while it ingested the long PDF.
    pub peak_rss_mb: f64,
    /// Peak resident memory of the largest engine process (Poppler, Tesseract) it ran.
    pub engine_peak_rss_mb: f64,
    /// Pages read by OCR (`--ocr always`), at `ocr_dpi`.
    pub ocr_pages: usize,
    pub ocr_dpi: u32,
    pub ocr_seconds: f64,
    pub ocr_pages_per_s: f64,
}

impl PdfBench {
    pub fn to_text(&self) -> String {
        format!(
            "PDF: text layer, {} pages in {:.2} s = {:.1} pages/s; peak RSS {:.0} MB (annals), {:.0} MB (largest engine process)
  OCR (every page, {} dpi, language from the text): {} pages in {:.2} s = {:.2} pages/s
",
            self.pages,
            self.text_layer_seconds,
            self.text_layer_pages_per_s,
            self.peak_rss_mb,
            self.engine_peak_rss_mb,
            self.ocr_dpi,
            self.ocr_pages,
            self.ocr_seconds,
            self.ocr_pages_per_s
        )
    }
}

/// Peak resident set size of the largest child process waited for, in MB.
fn children_peak_mb() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    ru.ru_maxrss as f64 / 1024.0
}

/// Ingests a `pages`-page text-layer PDF, then an `ocr_pages`-page one with every page
/// OCR'd, into stores under `work`.
pub fn bench(work: &Path, pages: usize, ocr_pages: usize) -> Result<PdfBench> {
    let dir = work.join("pdf");
    std::fs::create_dir_all(&dir)?;
    let long = dir.join("long.pdf");
    std::fs::write(
        &long,
        write(&PdfSpec {
            pages: prose_pages(pages, 50),
            ..Default::default()
        }),
    )?;
    let run = |path: &Path, data: &Path, ocr: OcrOptions| -> Result<f64> {
        let mut archive = Archive::open(data)?;
        let mut opts = IngestOptions::default();
        opts.read.ocr = ocr;
        let s = ingest::ingest(
            &mut archive,
            &[path.to_path_buf()],
            &opts,
            &Pipeline::standard(),
            &Silent,
        )?;
        if s.rejected > 0 {
            let why = s
                .files
                .iter()
                .find_map(|f| match &f.outcome {
                    ingest::FileOutcome::Rejected { reason } => Some(reason.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            anyhow::bail!("{}: {why}", path.display());
        }
        Ok(s.seconds)
    };
    super::reset_peak_rss();
    let text_layer_seconds = run(&long, &work.join("data-pdf"), OcrOptions::default())?;
    let peak_rss_mb = super::peak_rss_mb();
    let engine_peak_rss_mb = children_peak_mb();
    let short = dir.join("ocr.pdf");
    std::fs::write(
        &short,
        write(&PdfSpec {
            pages: prose_pages(ocr_pages, 50),
            ..Default::default()
        }),
    )?;
    let ocr = OcrOptions {
        mode: OcrMode::Always,
        ..OcrOptions::default()
    };
    let ocr_seconds = if ocr_pages > 0 {
        run(&short, &work.join("data-ocr"), ocr)?
    } else {
        0.0
    };
    Ok(PdfBench {
        pages,
        text_layer_seconds,
        text_layer_pages_per_s: pages as f64 / text_layer_seconds.max(1e-9),
        peak_rss_mb,
        engine_peak_rss_mb,
        ocr_pages,
        ocr_dpi: ocr.dpi,
        ocr_seconds,
        ocr_pages_per_s: ocr_pages as f64 / ocr_seconds.max(1e-9),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let pdf = write(&PdfSpec {
            pages: prose_pages(2, 3),
            ..Default::default()
        });
        let text = String::from_utf8_lossy(&pdf);
        let xref = text.find("xref\n").unwrap();
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(start, text[..xref].len());
        for (i, line) in text[xref..].lines().skip(3).take(7).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(
                text[off..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
    }
}
