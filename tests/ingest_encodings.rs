//! Ingest of legacy-encoded sources: each is detected, converted, reported, and its exported
//! spans still point at the original file's bytes.

use annals::archive::Archive;
use annals::document::{Document, ReadOptions};
use annals::extract::Pipeline;
use annals::ingest::{self, IngestOptions, Silent};
use std::path::PathBuf;

#[test]
fn legacy_files_are_converted_reported_and_mapped_to_original_bytes() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encodings");
    let data = tempfile::tempdir().unwrap();
    let mut a = Archive::open(data.path()).unwrap();
    let s = ingest::ingest(
        &mut a,
        std::slice::from_ref(&fixtures),
        &IngestOptions::default(),
        &Pipeline::standard(),
        &Silent,
    )
    .unwrap();
    assert_eq!(s.rejected, 0);
    let expect = [
        ("vi_windows1258.txt", "windows-1258"),
        ("vi_tcvn3.txt", "tcvn3"),
        ("vi_vni.txt", "vni-windows"),
        ("ru_windows1251.txt", "windows-1251"),
        ("ru_koi8r.txt", "koi8-r"),
        ("mixed_utf16le.txt", "utf-16le"),
    ];
    for (name, enc) in expect {
        let f = s
            .files
            .iter()
            .find(|f| f.doc == name)
            .unwrap_or_else(|| panic!("{name} not ingested"));
        assert_eq!(f.converted_from.as_deref(), Some(enc), "{name}");
        let d = a.store.document(name).unwrap().unwrap();
        assert_eq!(d.encoding, enc);

        // The stored sentences of the legacy file equal those of its UTF-8 original, and
        // each span's text is the original bytes of that range, decoded.
        let original = std::fs::read(fixtures.join(name)).unwrap();
        let utf8 = std::fs::read(fixtures.join(name.replace(".txt", ".utf8.txt"))).unwrap();
        let reference = Document::read("ref", utf8, ReadOptions::default()).unwrap();
        let want: Vec<&str> = reference
            .sentences
            .iter()
            .map(|x| reference.sentence_text(x))
            .collect();
        let mut got = Vec::new();
        a.store
            .sentences(Some(name), &mut |x| {
                let text = annals::source::decode::decode_range(
                    &original,
                    d.encoding(),
                    x.start as usize..x.end as usize,
                );
                let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(
                    norm(&text),
                    norm(&x.clean),
                    "{name}: span text differs from its clean text"
                );
                got.push(x.clean);
                Ok(())
            })
            .unwrap();
        assert_eq!(got, want, "{name}");
    }
}
