//! `annals ask` on the reference corpus: questions of our own (not the gold's) in English,
//! Vietnamese and Russian, answered across languages; every citation is exact source bytes
//! and contains the answer; unanswerable questions abstain; batch mode keeps the contract.

mod common;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn corpus() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        p.is_dir(),
        "the reference corpus is missing at {}",
        p.display()
    );
    p
}

/// One store holding the reference corpus, shared by the tests of this file.
fn data() -> &'static Path {
    static DATA: OnceLock<tempfile::TempDir> = OnceLock::new();
    DATA.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        common::run_ok(d.path(), &["ingest", "--quiet", corpus().to_str().unwrap()]);
        d
    })
    .path()
}

fn ask(q: &str) -> Value {
    let out = common::run_ok(data(), &["ask", "--format", "json", q]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Every citation is the exact bytes of its source and holds the answer's own span.
fn check_citations(q: &str, a: &Value) {
    let cites = a["citations"].as_array().expect("citations");
    for c in cites {
        let doc = c["doc"].as_str().unwrap();
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        let bytes = std::fs::read(corpus().join(doc)).unwrap();
        assert_eq!(
            c["text"].as_str().unwrap(),
            String::from_utf8_lossy(&bytes[s..e]),
            "{q}: citation text is not the source bytes {doc}@{s}..{e}"
        );
        if let Some(span) = c["answer_span"].as_array() {
            let (a0, a1) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            assert!(
                s <= a0 && a1 <= e,
                "{q}: the answer {a0}..{a1} lies outside its citation {s}..{e}"
            );
        }
    }
}

/// (question, expected value). Dates are ISO at the granularity asked; numbers plain.
const ANSWERED: [(&str, &str); 16] = [
    (
        "When did Vietnam join the Council for Mutual Economic Assistance?",
        "\"1978-06-28\"",
    ),
    (
        "In which month and year did Sergey Lavrov visit Vietnam?",
        "\"2009-07\"",
    ),
    (
        "Who received Vladimir Putin in Hanoi in January 2001?",
        "\"Trần Đức Lương\"",
    ),
    (
        "Until what year did the Russian Navy maintain a presence at Cam Ranh Bay?",
        "\"2002\"",
    ),
    (
        "How many times did the Soviets expand the Cam Ranh base by 1987?",
        "4",
    ),
    // English question, answered from the Vietnamese thesis.
    (
        "In which year was the Hòa Bình hydropower plant completed?",
        "\"1985\"",
    ),
    (
        "Liên Xô công nhận Việt Nam Dân chủ Cộng hòa vào tháng năm nào?",
        "\"1950-01\"",
    ),
    (
        "Hiệp ước hữu nghị và hợp tác giữa Việt Nam và Liên Xô được ký vào ngày nào?",
        "\"1978-11-03\"",
    ),
    (
        "Ai là Tổng Bí thư Ban Chấp hành Trung ương Đảng Cộng sản Liên Xô năm 1985?",
        "\"Mikhail Gorbachev\"",
    ),
    // Vietnamese question, answered from an English article.
    (
        "Sergey Lavrov thăm Việt Nam vào tháng năm nào?",
        "\"2009-07\"",
    ),
    // Russian questions: the corpus has no Russian text.
    ("Когда Вьетнам вступил в СЭВ?", "\"1978-06-28\""),
    // The number of the year asked, among three years' numbers in one sentence.
    (
        "How many Vietnamese students were in the Soviet Union in 1987?",
        "1550",
    ),
    // An ordinal congress, answered by the congress of the year asked.
    (
        "Which congress of the Communist Party of Vietnam in 1982 called cooperation with the Soviet Union a principle and a strategy?",
        "\"5th National Congress of the Communist Party of Vietnam\"",
    ),
    (
        "Когда был подписан Договор о дружбе и сотрудничестве между Вьетнамом и СССР?",
        "\"1978-11-03\"",
    ),
    (
        "В каком году Вьетнам и США нормализовали дипломатические отношения?",
        "\"1995\"",
    ),
    (
        "В каком месяце и году Сергей Лавров посетил Вьетнам?",
        "\"2009-07\"",
    ),
];

#[test]
fn answers_in_three_languages_with_exact_citations() {
    let mut got = Vec::new();
    for (q, want) in ANSWERED {
        let a = ask(q);
        let want: Value = serde_json::from_str(want).unwrap();
        assert_eq!(a["value"], want, "{q}: {a:#}");
        assert!(
            !a["citations"].as_array().unwrap().is_empty(),
            "{q}: no citation"
        );
        check_citations(q, &a);
        let first = &a["citations"][0];
        got.push(serde_json::json!({
            "question": q,
            "value": a["value"],
            "type": a["type"],
            "cited": format!("{}@{}..{}", first["doc"].as_str().unwrap(), first["start"], first["end"]),
        }));
    }
    insta::assert_json_snapshot!("ask_answers", got);
}

/// A duration ("12 tháng" = P12M) answers "how many months" from Vietnamese evidence, but
/// with a confidence (0.36) under the calibrated bar: the right value or an abstention,
/// never another value.
#[test]
fn a_weak_cross_language_answer_is_right_or_abstains() {
    let a =
        ask("How many months before the 1978 treaty expires must a party give notice to end it?");
    assert!(
        a["value"] == serde_json::json!(12) || a["value"].is_null(),
        "{a:#}"
    );
}

#[test]
fn unanswerable_questions_abstain_without_citations() {
    for q in [
        "When did Vietnam launch a satellite to Mars?",
        "Bao nhiêu người Việt Nam sống ở Nam Cực năm 1960?",
        "Кто был послом Вьетнама на Украине с 2020 по 2024 год?",
    ] {
        let a = ask(q);
        assert_eq!(a["value"], Value::Null, "{q}: {a:#}");
        assert!(a["citations"].as_array().unwrap().is_empty(), "{q}: {a:#}");
        assert!(
            a["answer"]
                .as_str()
                .unwrap()
                .contains("insufficient evidence")
        );
    }
}

#[test]
fn events_of_a_date_are_listed_with_their_statements() {
    let a = ask("What happened in 1978?");
    let list = a["value"].as_array().expect("a list of events");
    assert!(!list.is_empty());
    check_citations("What happened in 1978?", &a);
    assert!(list.iter().all(|e| e.as_str().unwrap().contains("1978")));
    // One entry per merged event: the treaty of 3 November 1978 is stated by several
    // documents in two languages and listed once, with its sources counted.
    let treaty: Vec<&str> = list
        .iter()
        .filter_map(|e| e.as_str())
        .filter(|e| e.starts_with("Treaty signed") && e.contains("1978-11-03"))
        .collect();
    assert_eq!(treaty.len(), 1, "{list:#?}");
    assert!(treaty[0].contains("sources)"), "{}", treaty[0]);
    let docs: std::collections::BTreeSet<&str> = a["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["doc"].as_str().unwrap())
        .collect();
    assert!(docs.len() >= 3, "{docs:?}");
}

#[test]
fn batch_mode_writes_one_contract_line_per_question() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("q.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"id\": \"a\", \"question\": \"When did Vietnam join the Council for Mutual Economic Assistance?\"}\n",
            "\n",
            "{\"id\": 7, \"question\": \"When did Vietnam launch a satellite to Mars?\"}\n",
            "{\"id\": \"c\", \"question\": \"Когда Вьетнам вступил в СЭВ?\"}\n",
        ),
    )
    .unwrap();
    let out = common::run_ok(
        data(),
        &[
            "ask",
            "--batch",
            input.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let ids: Vec<&Value> = lines.iter().map(|l| &l["id"]).collect();
    assert_eq!(ids, [&Value::from("a"), &Value::from(7), &Value::from("c")]);
    for l in &lines {
        for k in ["id", "answer", "value", "citations"] {
            assert!(l.get(k).is_some(), "missing {k}: {l}");
        }
        for c in l["citations"].as_array().unwrap() {
            for k in ["doc", "start", "end", "text"] {
                assert!(c.get(k).is_some(), "citation without {k}: {c}");
            }
        }
    }
    assert_eq!(lines[0]["value"], "1978-06-28");
    assert_eq!(lines[1]["value"], Value::Null);
    assert!(lines[1]["citations"].as_array().unwrap().is_empty());
    // A line that is not a question is an error naming the line.
    std::fs::write(&input, "{\"id\": 1, \"question\": \"Who?\"}\nnot json\n").unwrap();
    let o = common::run(
        data(),
        &[
            "ask",
            "--batch",
            input.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2"));
}

/// A "who" question whose role names a state ("Bộ trưởng Tài chính Việt Nam", "министр
/// финансов России") is answered by a person of that state, not by the other signatory named
/// in the same sentence; asked about the other state, the other person answers. Text written
/// for the test.
#[test]
fn a_role_of_a_state_is_held_by_a_person_of_that_state() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("debt.txt"),
        "Ngày 13 tháng 9 năm 2000, Bộ trưởng Tài chính Alexei Kudrin và Bộ trưởng Tài chính Nguyễn Sinh Hùng đã ký thỏa thuận xử lý nợ giữa Nga và Việt Nam tại Hà Nội.\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    common::run_ok(&data, &["ingest", "--quiet", src.to_str().unwrap()]);
    let who = |q: &str| -> Value {
        let out = common::run_ok(&data, &["ask", "--format", "json", q]);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    };
    let a = who("Ai là Bộ trưởng Tài chính Việt Nam đã ký thỏa thuận xử lý nợ với Nga?");
    assert!(
        a["value"].is_null()
            || a["value"]
                .as_str()
                .unwrap_or("")
                .contains("Nguyễn Sinh Hùng"),
        "{a:#}"
    );
    assert!(
        !a.to_string().contains("\"value\":\"Alexei Kudrin\""),
        "{a:#}"
    );
    let a = who("Ai là Bộ trưởng Tài chính Nga đã ký thỏa thuận xử lý nợ với Việt Nam?");
    assert!(
        a["value"].is_null() || a["value"].as_str().unwrap_or("").contains("Kudrin"),
        "{a:#}"
    );
}

/// A store holding the given (file name, text) sources, and a function giving the whole
/// answer `annals ask --format json` gives over it.
fn answers_of(files: &[(&str, &str)]) -> (tempfile::TempDir, impl Fn(&str) -> Value) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    for (name, text) in files {
        std::fs::write(src.join(name), text).unwrap();
    }
    let data = tmp.path().join("data");
    common::run_ok(&data, &["ingest", "--quiet", src.to_str().unwrap()]);
    let ask = move |q: &str| -> Value {
        let out = common::run_ok(&data, &["ask", "--format", "json", q]);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    };
    (tmp, ask)
}

/// Like [`answers_of`], the function giving only the answer's value.
fn store_of(files: &[(&str, &str)]) -> (tempfile::TempDir, impl Fn(&str) -> Value) {
    let (tmp, ask) = answers_of(files);
    (tmp, move |q: &str| ask(q)["value"].clone())
}

/// A question about a whole ("the total", "tổng", "всего") is not answered by a number the
/// sentence gives as one of its parts ("…, of which the USSR 2,260 tonnes"), in every
/// language. Texts written for the test.
#[test]
fn a_total_is_not_answered_by_one_of_its_parts() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "In 1970-1972 the allies sent a total of 5,170 tonnes of equipment to the port, of which the USSR 2,260 tonnes and Poland 1,700 tonnes.\n",
        ),
        (
            "vi.txt",
            "Giai đoạn 1980-1982, các nước gửi tổng số 8.340 tấn phân bón cho tỉnh, trong đó Liên Xô: 4.120 tấn, Ba Lan: 2.650 tấn.\n",
        ),
        (
            "ru.txt",
            "В 1990-1992 годах в порт доставили всего 9 610 тонн зерна, в том числе из Канады 6 200 тонн и из Аргентины 3 100 тонн.\n",
        ),
    ]);
    assert_eq!(
        value(
            "How many tonnes of equipment in total did the allies send to the port in 1970-1972?"
        ),
        json!(5170)
    );
    assert_eq!(
        value("Tổng số phân bón các nước gửi cho tỉnh giai đoạn 1980-1982 là bao nhiêu tấn?"),
        json!(8340)
    );
    assert_eq!(
        value("Сколько всего тонн зерна доставили в порт в 1990-1992 годах?"),
        json!(9610)
    );
}

/// "When did it begin / end?" is answered in full by the start / the end of a stated
/// interval ("from 14 to 18 March 2011"), in every language. Texts written for the test.
#[test]
fn the_start_or_the_end_of_an_interval_answers_when_it_began_or_ended() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "The Mongolian trade fair in Hanoi was held from 14 to 18 March 2011 and drew 40,000 visitors.\n",
        ),
        (
            "vi.txt",
            "Hội chợ thương mại Mông Cổ tại Hà Nội diễn ra từ ngày 14 đến 18 tháng 3 năm 2011.\n",
        ),
        (
            "ru.txt",
            "Монгольская торговая ярмарка в Ханое проходила с 14 по 18 марта 2011 года.\n",
        ),
    ]);
    assert_eq!(
        value("On what day did the Mongolian trade fair in Hanoi begin?"),
        json!("2011-03-14")
    );
    assert_eq!(
        value("On what day did the Mongolian trade fair in Hanoi end?"),
        json!("2011-03-18")
    );
    assert_eq!(
        value("Hội chợ thương mại Mông Cổ tại Hà Nội kết thúc vào ngày nào?"),
        json!("2011-03-18")
    );
    assert_eq!(
        value("Какого числа закончилась монгольская торговая ярмарка в Ханое?"),
        json!("2011-03-18")
    );
}

/// "How much was it" asks for an amount: a change stated beside it ("grew by 12%", "tăng
/// 12%", "вырос на 12%") does not answer it; "by how much did it grow" is answered by the
/// change. Texts written for the test.
#[test]
fn an_amount_is_not_answered_by_its_change() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "In 2019 the trade of Laos with Mongolia grew by 12% and reached 480 million US dollars.\n",
        ),
        (
            "vi.txt",
            "Năm 2019, kim ngạch thương mại giữa Lào và Mông Cổ tăng 12%, đạt 480 triệu USD.\n",
        ),
        (
            "ru.txt",
            "В 2019 году товарооборот Лаоса и Монголии вырос на 12% и составил 480 млн долларов.\n",
        ),
    ]);
    for q in [
        "How much was the trade of Laos with Mongolia in 2019?",
        "Kim ngạch thương mại giữa Lào và Mông Cổ năm 2019 là bao nhiêu?",
        "Сколько составил товарооборот Лаоса и Монголии в 2019 году?",
    ] {
        assert_eq!(value(q), json!(480_000_000), "{q}");
    }
    assert_eq!(
        value("By how much did the trade of Laos with Mongolia grow in 2019?"),
        json!(12)
    );
}

/// A number in a list of actors' shares belongs to the actor named just before it ("the
/// USSR 2,260 tonnes and Poland 1,700 tonnes"): asked about one actor, the answer is its
/// number, not a neighbour's, in every language. Texts written for the test.
#[test]
fn a_share_belongs_to_the_actor_named_before_it() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "In 1966-1968 the port received 6,300 tonnes of cement: Poland sent 1,900 tonnes, the Soviet Union sent 4,400 tonnes.\n",
        ),
        (
            "vi.txt",
            "Giai đoạn 1983-1985, tỉnh nhận 7.450 tấn phân bón: Ba Lan 2.130 tấn, Liên Xô viện trợ 5.320 tấn.\n",
        ),
        (
            "ru.txt",
            "В 1986-1988 годах Вьетнам получил 3 870 тонн зерна: Польша передала 1 240 тонн, Советский Союз передал 2 630 тонн.\n",
        ),
    ]);
    assert_eq!(
        value("How many tonnes of cement did the Soviet Union send in 1966-1968?"),
        json!(4400)
    );
    assert_eq!(
        value("How many tonnes of cement did Poland send in 1966-1968?"),
        json!(1900)
    );
    assert_eq!(
        value("Giai đoạn 1983-1985, Liên Xô viện trợ bao nhiêu tấn phân bón?"),
        json!(5320)
    );
    assert_eq!(
        value("Сколько тонн зерна передал Советский Союз в 1986-1988 годах?"),
        json!(2630)
    );
}

/// A change has two ends ("from 40 percent to 7 percent", "từ 40% xuống 7%", "с 40
/// процентов до 7 процентов"): "to what level" is answered by where it ended, "from what
/// level" by where it started, in every language. Texts written for the test.
#[test]
fn a_question_about_one_end_of_a_change_is_answered_by_that_end() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "In 1992 inflation in Laos fell from 40 percent a month to 7 percent.\n",
        ),
        (
            "vi.txt",
            "Năm 1992, lạm phát ở Lào giảm từ 40% mỗi tháng xuống 7%.\n",
        ),
        (
            "ru.txt",
            "В 1992 году инфляция в Лаосе снизилась с 40 процентов в месяц до 7 процентов.\n",
        ),
    ]);
    for q in [
        "To what level did inflation in Laos fall in 1992?",
        "До какого уровня снизилась инфляция в Лаосе в 1992 году?",
        "Lạm phát ở Lào năm 1992 giảm xuống mức nào?",
    ] {
        assert_eq!(value(q), json!(7), "{q}");
    }
    for q in [
        "From what level did inflation in Laos fall in 1992?",
        "С какого уровня снизилась инфляция в Лаосе в 1992 году?",
    ] {
        assert_eq!(value(q), json!(40), "{q}");
    }
}

/// A relative date resolved from the document's dateline ("last October" under 3 March
/// 2006) answers; "the last" is not answered by "the first" (and the reverse); "how much
/// coal" asks for an amount, not for the count of mines beside it. Text written for the test.
#[test]
fn relative_dates_opposites_and_amounts() {
    let (_tmp, value) = store_of(&[(
        "en.txt",
        "Friday, 3 March 2006\nMongolia announced last October that it was closing its embassy in Laos for financial reasons. The first of four Mongolian ferries was handed over to Laos on 5 May 2004. The last of the four ferries will be delivered in 2007. In 2005 the Mongolian company extracted 3 million tonnes of coal from its 12 mines.\n",
    )]);
    assert_eq!(
        value("In which month did Mongolia announce it was closing its embassy in Laos?"),
        json!("2005-10")
    );
    assert_eq!(
        value("When will the last ferry be delivered to Laos?"),
        json!("2007")
    );
    assert_eq!(
        value("Khi nào chiếc phà cuối cùng được bàn giao cho Lào?"),
        json!("2007")
    );
    assert_eq!(
        value("When was the first ferry handed over to Laos?"),
        json!("2004-05-05")
    );
    assert_eq!(
        value("How much coal did the Mongolian company extract in 2005?"),
        json!(3_000_000)
    );
}

/// A sentence whose document names the asked actor elsewhere ("The Prime Minister of
/// Mongolia met …" then "Inflation fell to 7 percent") answers before one from a document
/// that never names it; the other value is still shown as a disagreement. Texts written for
/// the test.
#[test]
fn a_sentence_of_a_document_about_the_asked_actor_comes_first() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("a.txt"),
        "The Prime Minister of Mongolia met a delegation from Laos in Ulaanbaatar.\n\nInflation fell to 7 percent a month, the minister of finance said.\n",
    )
    .unwrap();
    std::fs::write(
        src.join("b.txt"),
        "Inflation fell to 12 percent a month, the central bank said.\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    common::run_ok(&data, &["ingest", "--quiet", src.to_str().unwrap()]);
    for q in [
        "To what level did inflation fall in Mongolia?",
        "До какого уровня снизилась инфляция в Монголии?",
    ] {
        let out = common::run_ok(&data, &["ask", "--format", "json", q]);
        let a: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(a["value"], json!(7), "{q}: {a}");
        assert_eq!(a["citations"][0]["doc"], json!("a.txt"), "{q}: {a}");
        assert_eq!(a["disagreement"][0]["value"], json!(12), "{q}: {a}");
    }
}

/// A sentence naming a kind of a thing (a spacecraft, a cosmonaut) speaks of the thing
/// ("space"), so "when did he fly into space" finds the launch of the spacecraft that
/// carried him before a sentence about his flying years that only says "before the flight".
/// Texts written for the test.
#[test]
fn a_narrower_term_answers_for_its_broader_one() {
    let (_tmp, value) = store_of(&[
        (
            "ru.txt",
            "До полёта Фам Туан был лётчиком-истребителем и в 1972 году сбил американский бомбардировщик.\n",
        ),
        (
            "vi.txt",
            "Ngày 23/7/1980, tàu vũ trụ Soyuz 37 chở nhà du hành Phạm Tuân được phóng đi từ sân bay vũ trụ Baikonur.\n",
        ),
    ]);
    for q in [
        "Phạm Tuân bay vào vũ trụ năm nào?",
        "When did Pham Tuan fly into space?",
        "Когда Фам Туан полетел в космос?",
    ] {
        let v = value(q);
        assert!(
            v.as_str().is_some_and(|s| s.starts_with("1980")),
            "{q}: {v}"
        );
    }
}

/// A number right after a designation noun names a thing ("Project 877", "проекта 877"),
/// it is not a count; "what was the trade turnover" and a question with no question word
/// ("Товарооборот … в 2018 году?") ask for a sum, answered by a sentence about trade.
/// Texts written for the test.
#[test]
fn designations_are_not_counts_and_a_measure_noun_asks_for_a_number() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "In 2015 Mongolia handed Laos the first patrol boat of Project 877, and four more followed.\n\nIn 2018, trade between Laos and Mongolia reached 45 million US dollars.\n",
        ),
        (
            "ru.txt",
            "Монголия передала Лаосу первый катер проекта 877.\n",
        ),
    ]);
    for q in [
        "How many patrol boats of Project 877 did Mongolia hand to Laos?",
        "Сколько катеров проекта 877 Монголия передала Лаосу?",
    ] {
        assert_ne!(value(q), json!(877), "{q}");
    }
    for q in [
        "What was the trade turnover between Laos and Mongolia in 2018?",
        "Товарооборот Лаоса и Монголии в 2018 году?",
        "Kim ngạch thương mại Lào - Mông Cổ năm 2018 là bao nhiêu?",
    ] {
        assert_eq!(value(q), json!(45_000_000), "{q}");
    }
}

/// A date or a number answers a question about an act only from a sentence stating that
/// act: "when was the agreement to build the plant signed" is not answered by "the plan to
/// build the plant was approved in 2009" (build is named, signing is not), in every
/// language; a verb of saying gives way to the act it reports ("when did X announce it was
/// abandoning Y": the abandoning). Texts written for the test.
#[test]
fn an_answer_states_the_asked_act() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "The plan to build two power plants in Laos was approved by Mongolia in 2009.\n\nIn 2001 Mongolia declared that it was abandoning the airfield at Pakse for financial reasons.\n",
        ),
        (
            "ru.txt",
            "План строительства двух электростанций в Лаосе был утверждён Монголией в 2009 году.\n",
        ),
    ]);
    for q in [
        "When did Mongolia sign the agreement with Laos to build the power plants?",
        "Когда Монголия подписала соглашение с Лаосом о строительстве электростанций?",
        "Mông Cổ ký hiệp định với Lào về xây dựng nhà máy điện vào năm nào?",
    ] {
        assert_eq!(value(q), Value::Null, "{q}");
    }
    for q in [
        "When was the plan to build the power plants in Laos approved?",
        "Когда был утверждён план строительства электростанций в Лаосе?",
    ] {
        assert_eq!(value(q), json!("2009"), "{q}");
    }
    assert_eq!(
        value("In which year did Mongolia announce that it was abandoning the airfield at Pakse?"),
        json!("2001")
    );
}

/// A list item is read with the lead-in that opens its list ("Aid delivered by Mongolia,
/// by period:" governs "1965-1968: in all 51,700 tonnes"); and an answer cites each
/// agreeing document before a second sentence of one document. Texts written for the test.
#[test]
fn a_list_item_is_read_with_its_lead_in_and_agreeing_sources_are_all_cited() {
    let (_tmp, ask) = answers_of(&[
        (
            "vi.txt",
            "Khối lượng hàng Mông Cổ viện trợ cho Lào, qua từng giai đoạn:\n\nGiai đoạn 1961-1964: tổng số 7.020 tấn.\n\nGiai đoạn 1965-1968: tổng số 51.700 tấn.\n",
        ),
        (
            "a.txt",
            "The Mongolia–Laos treaty was signed on 12 May 1972 in Ulaanbaatar.\n\nThe treaty signed on 12 May 1972 opened a new stage.\n\nAfter the treaty was signed on 12 May 1972, trade grew.\n",
        ),
        (
            "b.txt",
            "Договор между Монголией и Лаосом был подписан 12 мая 1972 года.\n",
        ),
    ]);
    let a = ask("Giai đoạn 1965-1968, Mông Cổ viện trợ cho Lào tổng cộng bao nhiêu tấn hàng?");
    assert_eq!(a["value"], json!(51_700), "{a}");
    let a = ask("When was the treaty between Mongolia and Laos signed?");
    assert_eq!(a["value"], json!("1972-05-12"), "{a}");
    let docs: Vec<&str> = a["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["doc"].as_str().unwrap())
        .collect();
    assert!(docs.len() >= 2 && docs[..2].contains(&"b.txt"), "{docs:?}");
}

/// A date in a clause that "since", "kể từ khi" or "после того как" opens is that clause's
/// act's ("the first meeting since he became head of state on 12 June 1984" does not date
/// the meeting). Texts written for the test.
#[test]
fn a_date_in_a_since_clause_does_not_date_the_main_act() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "The talks in Vientiane were the first meeting of Batmönkh with a Lao leader since Batmönkh became head of state on 12 June 1984.\n",
        ),
        (
            "vi.txt",
            "Đây là cuộc gặp đầu tiên của Batmönkh với lãnh đạo Lào kể từ khi ông Batmönkh trở thành nguyên thủ quốc gia ngày 12/6/1984.\n",
        ),
    ]);
    for q in [
        "When did Batmönkh first meet a Lao leader?",
        "Batmönkh gặp lãnh đạo Lào lần đầu tiên khi nào?",
    ] {
        assert_ne!(value(q), json!("1984-06-12"), "{q}");
    }
}

/// A directed act (a visit, an accession) answers only with its own parties: a visit to
/// another country, or another leader's visit, is another act however many words it shares
/// with the question; of several dated visits none called the first, a later one is not
/// the first. Texts written for the test (invented events between real names).
#[test]
fn a_directed_act_is_answered_by_its_own_parties_and_first_by_the_earliest() {
    let (_tmp, value) = store_of(&[
        (
            "en.txt",
            "Nikita Khrushchev visited Mongolia in July 1957.\n\nIn 1997 Laos joined ASEAN.\n",
        ),
        (
            "ru.txt",
            "Алексей Косыгин посетил Лаос в 1961 году.\n\nМонголия вступила в СЭВ в 1962 году.\n",
        ),
    ]);
    for q in [
        // Another object of the same kind.
        "When did Khrushchev visit Laos?",
        "Когда Хрущёв посетил Лаос?",
        "Khrushchev thăm Lào vào năm nào?",
        "When did Laos join the CMEA?",
        "Когда Лаос вступил в СЭВ?",
        // Another visitor.
        "When did Kosygin visit Mongolia?",
    ] {
        assert_eq!(value(q), Value::Null, "{q}");
    }
    assert_eq!(
        value("When did Khrushchev visit Mongolia?"),
        json!("1957-07")
    );
    assert_eq!(value("Когда Косыгин посетил Лаос?"), json!("1961"));
    assert_eq!(value("When did Mongolia join the CMEA?"), json!("1962"));

    let (_tmp2, value) = store_of(&[
        (
            "a.txt",
            "Leonid Brezhnev visited Mongolia in November 1966.\n",
        ),
        (
            "b.txt",
            "Leonid Brezhnev visited Mongolia in January 1974.\n",
        ),
    ]);
    assert_eq!(
        value("When did Brezhnev first visit Mongolia?"),
        json!("1966-11")
    );
    assert_eq!(
        value("When did Brezhnev last visit Mongolia?"),
        json!("1974-01")
    );
}

/// A date a state holds from ("has fallen since 1979", "начиная с 1979 года") is not the
/// date of an act, unless the question asks since when. Texts written for the test.
#[test]
fn a_date_a_state_holds_from_answers_since_when_not_when() {
    let (_tmp, value) = store_of(&[(
        "en.txt",
        "Oil production at the Pakse field has fallen since 1979.\n\nThe Pakse field produced its first oil in 1975.\n",
    )]);
    assert_eq!(
        value("When did the Pakse field produce oil?"),
        json!("1975")
    );
    assert_eq!(
        value("Since when has oil production at the Pakse field been falling?"),
        json!("1979")
    );
}

/// The same question over the same store gives the same answer, citations in the same order,
/// every time: equal scores are not reordered by the last bits of a sum taken in hash-map
/// order. The unseen excerpts hold one sentence twice (vi_02), the case that showed it.
#[test]
fn the_same_question_gets_the_same_answer_every_time() {
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/unseen/docs");
    assert!(
        docs.is_dir(),
        "the unseen excerpts are missing at {}",
        docs.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    common::run_ok(tmp.path(), &["ingest", "--quiet", docs.to_str().unwrap()]);
    for q in [
        "Кто из советских космонавтов полетел в космос вместе с Фам Туаном?",
        "Who flew into space with Pham Tuan?",
        "Phạm Tuân bay vào vũ trụ cùng ai?",
    ] {
        let first = common::run_ok(tmp.path(), &["ask", "--format", "json", q]);
        for _ in 0..15 {
            let again = common::run_ok(tmp.path(), &["ask", "--format", "json", q]);
            assert_eq!(again, first, "{q}: two runs answered differently");
        }
    }
}
