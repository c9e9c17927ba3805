//! The name engines, each direction tested on a table of pairs written from its convention
//! (not from the corpus): Russian → Latin (scholarly ISO 9, BGN/PCGN, popular English),
//! Russian → Vietnamese phonetic rendering, Vietnamese → Russian (Kontsevich), and Russian
//! case forms of names and nouns.

use annals::knowledge::morph::{Shape, ru_forms};
use annals::knowledge::translit::{ru_latin, ru_latin_by, ru_vi, vi_ru};
use annals::text::fold::fold;

#[test]
fn russian_to_latin_by_convention() {
    // (Russian, scholarly ISO 9, BGN/PCGN, popular English)
    let table = [
        ("Брежнев", "Brežnev", "Brezhnev", "Brezhnev"),
        ("Хрущёв", "Chruščëv", "Khrushchëv", "Khrushchev"),
        ("Ельцин", "Elcin", "Yeltsin", "Yeltsin"),
        ("Подгорный", "Podgornyj", "Podgornyy", "Podgorny"),
        (
            "Юрий Андропов",
            "Jurij Andropov",
            "Yuriy Andropov",
            "Yury Andropov",
        ),
        (
            "Алексей Косыгин",
            "Aleksej Kosygin",
            "Aleksey Kosygin",
            "Alexey Kosygin",
        ),
        ("Николай", "Nikolaj", "Nikolay", "Nikolai"),
        ("Шеварднадзе", "Ševardnadze", "Shevardnadze", "Shevardnadze"),
        ("Чичерин", "Čičerin", "Chicherin", "Chicherin"),
        ("Узбекистан", "Uzbekistan", "Uzbekistan", "Uzbekistan"),
        ("Жуков", "Žukov", "Zhukov", "Zhukov"),
        ("Щёлоков", "Ščëlokov", "Shchëlokov", "Shchelokov"),
    ];
    let mut bad = Vec::new();
    for (ru, sch, bgn, pop) in table {
        for (conv, want) in [("scholarly", sch), ("bgn", bgn), ("popular", pop)] {
            let got = ru_latin_by(conv, ru).unwrap_or_default();
            if got != want {
                bad.push(format!("{conv} {ru}: want {want}, got {got}"));
            }
        }
        // Every convention's form is among the forms the gazetteer gets.
        let all = ru_latin(ru);
        assert!(all.iter().any(|f| f == pop), "{ru}: {all:?}");
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn russian_to_vietnamese_phonetic() {
    // The renderings of Vietnamese publications, compared on their letters (tone marks vary
    // from writer to writer and are not matched).
    let table = [
        ("Брежнев", "Brêgiơnép"),
        ("Косыгин", "Côxưghin"),
        ("Подгорный", "Pốtgoócnưi"),
        ("Узбекистан", "Udơbêkixtan"),
        ("Армения", "Ácmênia"),
        ("Горбачёв", "Goócbachốp"),
        ("Андропов", "Anđrôpốp"),
        ("Черненко", "Chécnencô"),
        ("Громыко", "Grômưcô"),
        ("Ленин", "Lênin"),
        ("Сталин", "Xtalin"),
        ("Ельцин", "Enxin"),
        ("Хрущёв", "Khơrútsốp"),
        ("Устинов", "Uxtinốp"),
        ("Медведев", "Mếtvêđép"),
        ("Микоян", "Micôian"),
    ];
    let mut bad = Vec::new();
    for (ru, vi) in table {
        let got = ru_vi(ru);
        if !got.iter().any(|g| fold(g) == fold(vi)) {
            bad.push(format!("{ru}: want {vi}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn vietnamese_to_russian_kontsevich() {
    // (Vietnamese, one Russian form the system or its traditional variant gives)
    let people = [
        ("Hồ Chí Minh", "Хо Ти Мин"),
        ("Võ Nguyên Giáp", "Во Нгуен Зяп"),
        ("Lê Duẩn", "Ле Зуан"),
        ("Nguyễn Văn Linh", "Нгуен Ван Линь"),
        ("Phạm Văn Đồng", "Фам Ван Донг"),
        ("Trường Chinh", "Чыонг Тинь"),
        ("Đỗ Mười", "До Мыой"),
        ("Tôn Đức Thắng", "Тон Дык Тханг"),
        ("Nguyễn Phú Trọng", "Нгуен Фу Чонг"),
        ("Võ Văn Kiệt", "Во Ван Кьет"),
        ("Lê Khả Phiêu", "Ле Кха Фиеу"),
        ("Nông Đức Mạnh", "Нонг Дык Мань"),
        ("Nguyễn Xuân Phúc", "Нгуен Суан Фук"),
        ("Trần Đức Lương", "Чан Дык Лыонг"),
        ("Nguyễn Sinh Hùng", "Нгуен Шинь Хунг"),
    ];
    let mut bad = Vec::new();
    for (vi, ru) in people {
        let got = vi_ru(vi, false);
        if !got.iter().any(|g| g == ru) {
            bad.push(format!("{vi}: want {ru}, got {got:?}"));
        }
    }
    let places = [
        ("Hà Nội", "Ханой"),
        ("Hải Phòng", "Хайфон"),
        ("Ninh Thuận", "Ниньтхуан"),
        ("Khánh Hòa", "Кханьхоа"),
        ("Thái Bình", "Тхайбинь"),
        ("Đà Nẵng", "Дананг"),
    ];
    for (vi, ru) in places {
        let got = vi_ru(vi, true);
        if !got.iter().any(|g| g == ru) {
            bad.push(format!("{vi}: want {ru}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Not Vietnamese syllables: nothing.
    assert!(vi_ru("Strzelecki", false).is_empty());
}

#[test]
fn russian_case_forms() {
    let table: [(&str, Shape, &[&str]); 14] = [
        (
            "Хо Ши Мин",
            Shape::ForeignPerson,
            &["Хо Ши Мина", "Хо Ши Мину", "Хо Ши Мином"],
        ),
        ("Ле Зуан", Shape::ForeignPerson, &["Ле Зуаном", "Ле Зуане"]),
        ("Нгуен Ван Линь", Shape::ForeignPerson, &["Нгуен Ван Линя"]),
        (
            "Леонид Брежнев",
            Shape::Person,
            &["Леонида Брежнева", "Леонидом Брежневым"],
        ),
        ("Михаил Касьянов", Shape::Person, &["Михаила Касьянова"]),
        (
            "Николай Подгорный",
            Shape::Person,
            &["Николая Подгорного", "Николаем Подгорным"],
        ),
        ("Юрий Андропов", Shape::Person, &["Юрия Андропова"]),
        ("Монголия", Shape::Phrase, &["Монголии", "Монголией"]),
        ("Куба", Shape::Phrase, &["Кубе", "Кубы", "Кубой"]),
        (
            "Советский Союз",
            Shape::Phrase,
            &["Советского Союза", "Советском Союзе"],
        ),
        (
            "Коммунистическая партия Советского Союза",
            Shape::Phrase,
            &["Коммунистической партии Советского Союза"],
        ),
        (
            "Адмиралтейские верфи",
            Shape::Phrase,
            &["Адмиралтейских верфей"],
        ),
        ("Улан-Батор", Shape::Phrase, &["Улан-Батора"]),
        (
            "Министерство обороны",
            Shape::Phrase,
            &["Министерства обороны"],
        ),
    ];
    let mut bad = Vec::new();
    for (nom, shape, want) in table {
        let got = ru_forms(nom, shape);
        for w in want {
            if !got.iter().any(|g| g == w) {
                bad.push(format!("{nom}: want {w}, got {got:?}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Indeclinable names and words that are not Cyrillic get no forms.
    for (nom, shape) in [
        ("Черненко", Shape::Person),
        ("Перу", Shape::Phrase),
        ("Чили", Shape::Phrase),
        ("СССР", Shape::Phrase),
        ("Hanoi", Shape::Phrase),
    ] {
        assert!(
            ru_forms(nom, shape).is_empty(),
            "{nom}: {:?}",
            ru_forms(nom, shape)
        );
    }
    // Only the first words of a phrase decline, up to its head noun.
    assert!(
        !ru_forms("Министерство иностранных дел", Shape::Phrase)
            .iter()
            .any(|f| f.ends_with("делом"))
    );
}
