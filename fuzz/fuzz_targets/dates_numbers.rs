//! Text made of date and number pieces (month names in every case and abbreviation, digits,
//! separators, number and scale words of the three languages) through the time and quantity
//! extractors. Each input byte picks a piece, so the fuzzer reaches long runs of digits,
//! month names and grouped numbers that arbitrary bytes seldom form; libFuzzer's `-timeout`
//! catches a parser that is not linear on them.
//!
//! Checks: no panic; every fact's evidence lies inside the text, on char boundaries; a
//! quantity's value is finite; a timex's full ISO start never sorts after its end.

#![no_main]

#[path = "checks.rs"]
mod checks;

use annals::document::{Document, ReadOptions};
use annals::extract::Extractor;
use annals::extract::quantity::QuantityExtractor;
use annals::extract::time::TimeExtractor;
use annals::text::lang::Lang;
use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "0", "1", "7", "12", "31", "1945", "2012", "000", " ", "  ", "\n", ".", ",", "-", "–", "/",
    ":", "(", ")", "%", "$", "st", "th", "-го", "-е", "January", "Dec.", "Sept", "May", "мая",
    "сент.", "сентября", "декабре", "января", "tháng", "Tám", "Mười Hai", "ngày", "năm",
    "năm 1945", "г.", "года", "год", "в", "of", "to", "đến", "and", "thousand", "million",
    "billion", "bil- lion", "тысяч", "млн", "млрд", "миллиардов", "triệu", "nghìn", "tỷ",
    "rúp", "руб.", "rubles", "tons", "тонн", "скважин", "người", "one", "twenty", "пятого",
    "двух", "hai", "một nửa", "phần", "ba", "two-thirds", "a third", "BC", "TCN", "до н. э.",
    "yesterday", "вчера", "hôm qua", "giờ", "phút", "page", "Art.", "Союз-", "1 000 000 ",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, picks)) = data.split_first() else {
        return;
    };
    let text: String = picks.iter().map(|&b| PIECES[b as usize % PIECES.len()]).collect();
    let lang = [Lang::of("vi"), Lang::of("en"), Lang::of("ru")][sel as usize % 3];
    let opts = ReadOptions { lang: Some(lang), ..ReadOptions::default() };
    let Ok(doc) = Document::read("doc.txt", text.clone().into_bytes(), opts) else {
        return;
    };
    let mut times = Vec::new();
    TimeExtractor.extract(&doc, &mut times);
    let mut amounts = Vec::new();
    QuantityExtractor.extract_after(&doc, &times, &mut amounts);
    checks::facts_are_sound(&text, &times);
    checks::facts_are_sound(&text, &amounts);
});
