//! Events: statements on real passages of the reference corpus, the merge across documents
//! and languages, conflicts, and a snapshot of the whole corpus's timeline (dates, types,
//! participants and spans; never the sources' sentences).

mod common;

use annals::extract::Pipeline;
use annals::knowledge::event_words as lexicon;
use serde_json::{Value, json};

/// Event statements of one corpus document.
fn statements(prefix: &str) -> Vec<annals::extract::Fact> {
    let doc = common::corpus_doc(prefix);
    Pipeline::standard()
        .run(&doc)
        .into_iter()
        .filter(|f| f.kind() == "event_statement")
        .collect()
}

/// A text field of the fact's record ("" when absent), as the export writes it.
fn s(f: &annals::extract::Fact, k: &str) -> String {
    f.fields()
        .get(k)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

#[test]
fn every_statement_has_a_typed_dated_exact_span() {
    let ontology = annals::knowledge::events::ontology();
    for prefix in ["000", "001", "002", "003", "004"] {
        let doc = common::corpus_doc(prefix);
        for f in statements(prefix) {
            let src = &doc.source.bytes[f.evidence.start..f.evidence.end];
            assert_eq!(common::nfc(&String::from_utf8_lossy(src)), f.evidence.text);
            assert!(
                ontology.types.contains_key(s(&f, "type").as_str()),
                "{:?}",
                f.body
            );
            assert!(ontology.fields.iter().any(|x| *x == s(&f, "field")));
            let (a, b) = (s(&f, "date_start"), s(&f, "date_end"));
            assert!(a.len() >= 4 && a <= b, "bad interval {a}..{b}");
            // The date phrase and the trigger lie inside the statement's sentence.
            for key in ["date_span", "trigger_span"] {
                let sp = &f.fields()[key];
                let (st, en) = (
                    sp["start"].as_u64().unwrap() as usize,
                    sp["end"].as_u64().unwrap() as usize,
                );
                if key == "date_span" && s(&f, "date_origin") == "paragraph" {
                    assert!(
                        en <= f.evidence.start,
                        "an inherited date comes from before"
                    );
                } else {
                    assert!(
                        st >= f.evidence.start && en <= f.evidence.end,
                        "{key} outside its sentence"
                    );
                }
            }
        }
    }
}

/// The statement of `doc` whose sentence contains the byte `at`, with type `ty`.
fn statement_at(prefix: &str, needle: &str, ty: &str) -> annals::extract::Fact {
    let doc = common::corpus_doc(prefix);
    let at = doc
        .source
        .bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .expect("needle in corpus");
    statements(prefix)
        .into_iter()
        .find(|f| f.evidence.start <= at && at < f.evidence.end && s(f, "type") == ty)
        .unwrap_or_else(|| panic!("no {ty} statement at {needle:?}"))
}

#[test]
fn dates_roles_and_types_on_real_sentences() {
    // English: a treaty signed on a day, with its signatories.
    let t = statement_at("000", "was signed on November 3", "treaty");
    assert_eq!(
        (s(&t, "date_start"), s(&t, "date_end")),
        ("1978-11-03".to_string(), "1978-11-03".to_string())
    );
    let p: Vec<&str> = t
        .body
        .event()
        .unwrap()
        .participants
        .iter()
        .map(String::as_str)
        .collect();
    assert!(
        p.contains(&"Vietnam") && p.contains(&"Soviet Union"),
        "{p:?}"
    );
    // A visit: the visitor before the trigger, the host after it.
    let v = statement_at("000", "traveled to the Soviet Union", "visit");
    assert_eq!(s(&v, "date_start"), "1975-10");
    let roles = &v.fields()["roles"];
    assert!(
        roles
            .as_array()
            .unwrap()
            .contains(&json!({"entity": "Lê Duẩn", "role": "visitor"})),
        "{roles}"
    );
    assert!(
        roles
            .as_array()
            .unwrap()
            .contains(&json!({"entity": "Soviet Union", "role": "host"})),
        "{roles}"
    );
    // Vietnamese: a date in brackets after a congress, and an interval "từ 23-02 đến 03-03-1981".
    let c = statement_at("003", "(12-1976)", "congress");
    assert_eq!(s(&c, "date_start"), "1976-12");
    let c = statement_at("003", "23-02 đến 03-03-1981", "congress");
    assert_eq!(
        (s(&c, "date_start"), s(&c, "date_end")),
        ("1981-02-23".to_string(), "1981-03-03".to_string())
    );
    // Coordinated dates are two events of one kind; consecutive years are one interval.
    let doc = "004";
    let votes: Vec<_> = statements(doc)
        .into_iter()
        .filter(|f| s(f, "type") == "statement" && f.evidence.text.contains("abstained"))
        .collect();
    let dates: Vec<String> = votes.iter().map(|f| s(f, "date_start")).collect();
    assert_eq!(dates, ["2022-03", "2023-02"]);
    let aid = statement_at("000", "and 1979, when Vietnam", "aid");
    assert_eq!(
        (s(&aid, "date_start"), s(&aid, "date_end")),
        ("1978".to_string(), "1979".to_string())
    );
}

#[test]
fn negation_plans_and_circumstances_are_marked() {
    let ws = |t: &str| lexicon::words(t);
    let lex = annals::knowledge::events::lexicon(annals::text::lang::Lang::of("en"));
    // The matcher sees "did not" before a trigger and "will" before a plan.
    assert!(
        lex.negation
            .occurs_in(&ws("did not take military action"), 0..3)
    );
    assert!(lex.planned.occurs_in(&ws("will visit Hanoi"), 0..1));
    // A negated act is a negative statement, never an event.
    let doc = common::read_as(
        "In 1979 the Soviet Union did not sign the treaty with China.",
        annals::text::lang::Lang::of("en"),
    );
    let neg: Vec<_> = Pipeline::standard()
        .run(&doc)
        .into_iter()
        .filter(|f| f.kind() == "event_statement")
        .collect();
    assert_eq!(neg.len(), 1);
    assert_eq!(s(&neg[0], "polarity"), "negative");
    // On the corpus: "did not take direct military action, provided … support" is support.
    let st = statements("004");
    let intel = st
        .iter()
        .find(|f| {
            f.evidence
                .text
                .contains("did not take direct military action")
        })
        .expect("statement of the 1979 support");
    assert_eq!(
        (s(intel, "type"), s(intel, "polarity")),
        ("aid".to_string(), "positive".to_string())
    );
    // "was to travel" is a plan, not a visit.
    assert!(
        st.iter()
            .any(|f| s(f, "modality") == "planned" && s(f, "type") == "visit")
    );
}

/// A fresh store holding the reference corpus.
fn ingested() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    common::run_ok(
        data.path(),
        &["ingest", "--quiet", common::corpus_dir().to_str().unwrap()],
    );
    data
}

#[test]
fn one_treaty_told_in_two_languages_and_three_documents_is_one_event() {
    let data = ingested();
    let out = common::run_ok(
        data.path(),
        &[
            "timeline",
            "--type",
            "treaty",
            "--from",
            "1978-11-03",
            "--to",
            "1978-11-03",
            "--format",
            "json",
        ],
    );
    let events: Vec<Value> = serde_json::from_str(&out).unwrap();
    let day: Vec<&Value> = events
        .iter()
        .filter(|e| e["date_start"] == "1978-11-03" && e["date_end"] == "1978-11-03")
        .collect();
    assert_eq!(day.len(), 1, "{out}");
    let e = day[0];
    let docs: std::collections::BTreeSet<&str> = e["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["doc"].as_str().unwrap())
        .collect();
    let langs: Vec<&str> = e["languages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(docs.len() >= 3, "{docs:?}");
    assert!(langs.contains(&"en") && langs.contains(&"vi"), "{langs:?}");
    // Actor filter in any language.
    let by_ru = common::run_ok(
        data.path(),
        &["timeline", "--actor", "Брежнев", "--format", "json"],
    );
    let by_vi = common::run_ok(
        data.path(),
        &["timeline", "--actor", "Brêgiơnép", "--format", "json"],
    );
    assert_eq!(by_ru, by_vi);
    assert!(serde_json::from_str::<Vec<Value>>(&by_ru).unwrap().len() >= 2);
    // A bad filter is a clear error.
    let o = common::run(data.path(), &["timeline", "--type", "picnic"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no event type is named"));
}

#[test]
fn conflicts_show_every_side_with_evidence() {
    let data = ingested();
    let out = common::run_ok(data.path(), &["conflicts", "--format", "json"]);
    let cs: Vec<Value> = serde_json::from_str(&out).unwrap();
    // The ranking of the Soviet recognition: "one of the first, along with China" against
    // "the second, after China".
    let ordering = cs
        .iter()
        .find(|c| c["kind"] == "ordering")
        .expect("ordering conflict");
    assert!(ordering["claims"].as_array().unwrap().len() >= 2);
    for c in &cs {
        let claims = c["claims"].as_array().unwrap();
        assert!(claims.len() >= 2, "{c}");
        for cl in claims {
            assert!(!cl["evidence"].as_array().unwrap().is_empty());
        }
    }
}

#[test]
fn timeline_of_the_reference_corpus() {
    let data = ingested();
    let out = common::run_ok(data.path(), &["timeline", "--format", "json"]);
    let events: Vec<Value> = serde_json::from_str(&out).unwrap();
    // Dates, types, participants and spans; not the sentences.
    let lines: Vec<String> = events
        .iter()
        .map(|e| {
            let spans: Vec<String> = e["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    format!(
                        "{}@{}-{}",
                        &v["doc"].as_str().unwrap()[..3],
                        v["start"],
                        v["end"]
                    )
                })
                .collect();
            let parts: Vec<&str> = e["participants"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            format!(
                "{}..{} {} [{}] {} {}",
                e["date_start"].as_str().unwrap(),
                e["date_end"].as_str().unwrap(),
                e["type"].as_str().unwrap(),
                e["field"].as_str().unwrap(),
                parts.join("; "),
                spans.join(" ")
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

/// Event statements of a text we wrote.
fn statements_of(text: &str, lang: annals::text::lang::Lang) -> Vec<annals::extract::Fact> {
    let doc = common::read_as(text, lang);
    Pipeline::standard()
        .run(&doc)
        .into_iter()
        .filter(|f| f.kind() == "event_statement")
        .collect()
}

#[test]
fn dates_bound_to_their_predicate_not_to_the_sentence() {
    use annals::text::lang::Lang;
    let dates = |sts: &[annals::extract::Fact]| -> Vec<(String, String, String, String)> {
        sts.iter()
            .map(|f| {
                (
                    s(f, "type").to_string(),
                    s(f, "date_start").to_string(),
                    s(f, "date_end").to_string(),
                    s(f, "modality").to_string(),
                )
            })
            .collect()
    };
    // An archival stamp's date is the copy's, not the event's.
    let st = statements_of(
        "Approved For Release 2011/05/04: the embassy reported that Laos signed a trade agreement with Poland.",
        Lang::of("en"),
    );
    assert!(
        dates(&st).iter().all(|d| d.1 != "2011-05-04"),
        "{:?}",
        dates(&st)
    );
    // The base year of a comparison dates nothing.
    let st = statements_of(
        "In 2012 exports of rice from Laos reached 40 tonnes, up 5% on 2011.",
        Lang::of("en"),
    );
    assert!(dates(&st).iter().all(|d| d.1 != "2011"), "{:?}", dates(&st));
    // A date after a plan word makes a plan, even when the predicate came first.
    let st = statements_of(
        "Việc ký kết hiệp định thương mại giữa Lào và Ba Lan dự kiến vào năm 2031.",
        Lang::of("vi"),
    );
    assert!(
        dates(&st).iter().all(|d| d.3 == "planned"),
        "{:?}",
        dates(&st)
    );
    // Intention words count past the date between them and the predicate.
    let st = statements_of(
        "Польские верфи намерены в течение 2031 года поставить Лаосу второй корабль.",
        Lang::of("ru"),
    );
    assert!(
        dates(&st).iter().all(|d| d.3 == "planned"),
        "{:?}",
        dates(&st)
    );
    // A quotation's date is not the reporting verb's.
    let st = statements_of(
        "«Это лучший результат с 1987 года», — заявил министр Лаоса в 2030 году.",
        Lang::of("ru"),
    );
    assert!(dates(&st).iter().all(|d| d.1 != "1987"), "{:?}", dates(&st));
    // "from the 12th to 15 May": one range, in the month of its end.
    let st = statements_of(
        "Thủ tướng Lào sang thăm chính thức Ba Lan từ ngày 12 đến 15 tháng 5 năm 2031.",
        Lang::of("vi"),
    );
    assert!(
        dates(&st)
            .iter()
            .any(|d| d.0 == "visit" && d.1 == "2031-05-12" && d.2 == "2031-05-15"),
        "{:?}",
        dates(&st)
    );
}

#[test]
fn a_date_after_before_or_after_is_a_bound() {
    use annals::text::lang::Lang;
    // "after 2031" bounds the lease; it does not date it.
    let st = statements_of(
        "Ba Lan muốn thuê cảng của Lào sau năm 2031.",
        Lang::of("vi"),
    );
    assert!(
        st.iter().all(|f| s(f, "date_start") != "2031"),
        "{:?}",
        st.iter().map(|f| &f.body).collect::<Vec<_>>()
    );
}

/// A list of actors' shares after "trong đó" / "of which", each actor a label before a colon
/// ("Ba Lan: viện trợ 3.000 tấn"), is an aid event of those actors, not an event of the
/// measured object noun ("4.000 tấn vũ khí") with nobody in it. Text written for the test.
#[test]
fn a_predicate_tells_the_event_and_a_name_before_a_colon_heads_its_clause() {
    use annals::text::lang::Lang;
    let st = statements_of(
        "Giai đoạn 1970-1972: tổng số 5.000 tấn, gồm: 1.000 tấn lương thực, 4.000 tấn vũ khí; trong đó, Ba Lan: viện trợ 3.000 tấn, Tiệp Khắc viện trợ 2.000 tấn.",
        Lang::of("vi"),
    );
    let main: Vec<_> = st.iter().filter(|f| s(f, "date_start") == "1970").collect();
    assert_eq!(main.len(), 1, "{st:?}");
    assert_eq!(s(main[0], "type"), "aid");
    let who = main[0].body.event().unwrap().participant_ids.clone();
    assert!(who.contains(&"poland".to_string()), "{who:?}");
    assert!(who.contains(&"czechoslovakia".to_string()), "{who:?}");
}

/// "The two countries", "hai nước", "двусторонний" name the two states the document names
/// most: a statement whose clause says so takes them as participants, unless it names two
/// states of its own. Texts written for the test.
#[test]
fn the_two_countries_are_the_documents_two_states() {
    use annals::text::lang::Lang;
    let ids = |text: &str, lang: Lang| -> Vec<Vec<String>> {
        statements_of(text, lang)
            .iter()
            .map(|f| f.body.event().unwrap().participant_ids.clone())
            .collect()
    };
    for (text, lang) in [
        (
            "Laos and Mongolia opened embassies in 1970. Laos sent rice to Mongolia. In 1985 the two countries signed a trade agreement.",
            Lang::of("en"),
        ),
        (
            "Lào và Mông Cổ lập đại sứ quán năm 1970. Lào gửi gạo sang Mông Cổ. Năm 1985, hai nước ký hiệp định thương mại.",
            Lang::of("vi"),
        ),
        (
            "Лаос и Монголия открыли посольства в 1970 году. Лаос отправлял рис в Монголию. В 1985 году был подписан двусторонний торговый договор.",
            Lang::of("ru"),
        ),
    ] {
        let all = ids(text, lang);
        let last = all.last().unwrap_or_else(|| panic!("{text}: no statement"));
        assert!(
            last.contains(&"laos".to_string()) && last.contains(&"mongolia".to_string()),
            "{text}: {all:?}"
        );
    }
    // A statement naming two states of its own keeps them.
    let all = ids(
        "Laos and Mongolia opened embassies in 1970. Laos sent rice to Mongolia. In 1985 Cuba and Poland signed a treaty, the first between the two countries.",
        Lang::of("en"),
    );
    let last = all.last().unwrap();
    assert!(
        last.contains(&"cuba".to_string()) && !last.contains(&"laos".to_string()),
        "{all:?}"
    );
}

/// A date right before a subordinator dates the circumstance when the circumstance is
/// simultaneous ("in March 1970, when …"), or when it is a year, which holds both; a day
/// before "ahead of", "sau khi", "после того как" is the main clause's, and the circumstance
/// takes a date of its own clause or none. Texts written for the test.
#[test]
fn a_date_before_a_sequential_subordinator_is_not_the_circumstances() {
    use annals::text::lang::Lang;
    let typed = |text: &str, lang: Lang| -> Vec<(String, String, String)> {
        statements_of(text, lang)
            .iter()
            .map(|f| {
                (
                    s(f, "type").to_string(),
                    s(f, "date_start").to_string(),
                    s(f, "date_end").to_string(),
                )
            })
            .collect()
    };
    let visit = |all: &[(String, String, String)]| -> Vec<(String, String)> {
        all.iter()
            .filter(|(t, _, _)| t == "visit")
            .map(|(_, a, b)| (a.clone(), b.clone()))
            .collect()
    };
    // Sequential: the visit takes its own date, never the one before the subordinator.
    for (text, lang) in [
        (
            "Kaysone Phomvihane spoke to reporters on 2 March 1977 ahead of his official visit to Ulaanbaatar on 5-8 March 1977.",
            Lang::of("en"),
        ),
        (
            "Ngày 2 tháng 3 năm 1977, Kaysone Phomvihane trả lời phỏng vấn trước khi thăm chính thức Ulan Bato từ ngày 5 đến ngày 8 tháng 3 năm 1977.",
            Lang::of("vi"),
        ),
    ] {
        let all = typed(text, lang);
        assert_eq!(
            visit(&all),
            vec![("1977-03-05".to_string(), "1977-03-08".to_string())],
            "{text}: {all:?}"
        );
    }
    // With no date of its own, a sequential circumstance is not dated at all.
    let all = typed(
        "Kaysone Phomvihane spoke to reporters on 2 March 1977 ahead of his official visit to Ulaanbaatar.",
        Lang::of("en"),
    );
    assert!(visit(&all).is_empty(), "{all:?}");
    // A year before "after" holds the circumstance too.
    let all = typed(
        "In 1977, after Kaysone Phomvihane visited Ulaanbaatar, the weather turned cold.",
        Lang::of("en"),
    );
    assert_eq!(
        visit(&all),
        vec![("1977".to_string(), "1977".to_string())],
        "{all:?}"
    );
    // Simultaneous: the date before "when", "khi", "когда" is the circumstance's.
    for (text, lang) in [
        (
            "In March 1977, when Kaysone Phomvihane visited Ulaanbaatar, the weather was cold.",
            Lang::of("en"),
        ),
        (
            "Tháng 3 năm 1977, khi Kaysone Phomvihane thăm Ulan Bato, trời rất lạnh.",
            Lang::of("vi"),
        ),
        (
            "В марте 1977 года, когда Кейсон Фомвихан посетил Улан-Батор, было холодно.",
            Lang::of("ru"),
        ),
    ] {
        let all = typed(text, lang);
        assert_eq!(
            visit(&all),
            vec![("1977-03".to_string(), "1977-03".to_string())],
            "{text}: {all:?}"
        );
    }
}

/// A date inside a clause opened by a sequential subordinator after the predicate ("the first
/// meeting since …", "kể từ khi …", "после того как …") is that clause's, not the
/// predicate's, even when the clause's own act is no trigger; right after "since" a date is
/// the start of the predicate's own state ("aid since 1955") and stays. A clause opening
/// with its predicate continues the clause before it: ", reaching $3 billion" is trade's, and
/// "the two countries" there names the parties. Texts written for the test.
#[test]
fn a_date_in_a_since_clause_and_a_predicate_first_clause() {
    use annals::text::lang::Lang;
    let dated = |text: &str, lang: Lang, ty: &str| -> Vec<String> {
        statements_of(text, lang)
            .iter()
            .filter(|f| s(f, "type") == ty)
            .map(|f| s(f, "date_start").to_string())
            .collect()
    };
    for (text, lang) in [
        (
            "It was the first meeting with a Lao leader since Jambyn Batmönkh became head of state on 12 June 1984.",
            Lang::of("en"),
        ),
        (
            "Đây là cuộc gặp đầu tiên với lãnh đạo Lào kể từ khi ông Batmönkh trở thành nguyên thủ quốc gia (12/6/1984).",
            Lang::of("vi"),
        ),
        (
            "Это была первая встреча с лидером Лаоса после того как Батмунх стал главой государства 12 июня 1984 года.",
            Lang::of("ru"),
        ),
    ] {
        let all = dated(text, lang, "visit");
        assert!(!all.contains(&"1984-06-12".to_string()), "{text}: {all:?}");
    }
    let all = dated(
        "Mongolia has extended Laos about $37 million worth of economic aid since 1955.",
        Lang::of("en"),
        "aid",
    );
    assert_eq!(all, vec!["1955".to_string()]);
    let doc = "Laos and Mongolia opened embassies in 1970. Laos sent rice to Mongolia. In 2015, trade between the two countries kept its upward dynamics, reaching 3 billion US dollars.";
    let last = statements_of(doc, Lang::of("en")).pop().unwrap();
    let e = last.body.event().unwrap();
    assert_eq!(
        (e.ty.as_str(), s(&last, "date_start").as_str()),
        ("trade", "2015")
    );
    assert!(
        e.participant_ids.contains(&"laos".to_string())
            && e.participant_ids.contains(&"mongolia".to_string()),
        "{:?}",
        e.participant_ids
    );
}

/// A target is a plan ("the goal of raising trade to $2 billion in 2020", "mục tiêu nâng kim
/// ngạch … vào năm 2020", "с целью довести товарооборот … к 2020 году"); a year after "than"
/// ("3,000 tonnes less than last year", "меньше, чем в 2003 году") is the base of a
/// comparison, no event's. Texts written for the test.
#[test]
fn targets_are_plans_and_a_year_after_than_is_a_base() {
    use annals::text::lang::Lang;
    for (text, lang) in [
        (
            "The agreement serves the goal of raising bilateral trade to 2 billion US dollars in 2020.",
            Lang::of("en"),
        ),
        (
            "Hiệp định nhằm hiện thực hóa mục tiêu nâng kim ngạch thương mại song phương lên 2 tỷ USD vào năm 2020.",
            Lang::of("vi"),
        ),
    ] {
        let all = statements_of(text, lang);
        let trade: Vec<_> = all
            .iter()
            .filter(|f| s(f, "date_start") == "2020")
            .map(|f| s(f, "modality"))
            .collect();
        assert!(
            !trade.is_empty() && trade.iter().all(|m| m == "planned"),
            "{text}: {trade:?}"
        );
    }
    let all = statements_of(
        "Now 33,000 tonnes of oil are extracted a day, which is 3,000 tonnes less than in 2003.",
        Lang::of("en"),
    );
    assert!(
        all.iter().all(|f| s(f, "date_start") != "2003"),
        "{:?}",
        all.iter().map(|f| s(f, "date_start")).collect::<Vec<_>>()
    );
}

/// News reports an act as just done ("has signed", "vừa ký", "только что подписала"): in a
/// story with a dateline, a sentence that gives no time of its own states it on the story's
/// date. Not without a dateline, not with a time of its own (a duration says the act is no
/// news), not in the past of the past ("had signed"), not for a plan, not where "has" is
/// followed by a noun ("has aid programs"). Texts written for the test.
#[test]
fn news_of_the_day_takes_the_datelines_date() {
    use annals::text::lang::Lang;
    let dated = |text: &str, lang: &str| -> Vec<(String, String, String)> {
        statements_of(text, Lang::of(lang))
            .iter()
            .map(|f| (s(f, "type"), s(f, "date_start"), s(f, "date_origin")))
            .collect()
    };
    let story =
        |(ty, date): (&str, &str)| vec![(ty.to_string(), date.to_string(), "dateline".to_string())];
    assert_eq!(
        dated(
            "HANOI, May 2, 2002\n\nRussia has signed an agreement with Vietnam to hand back the naval base.\n",
            "en"
        ),
        story(("agreement", "2002-05-02"))
    );
    assert_eq!(
        dated(
            "HÀ NỘI, ngày 15 tháng 9 năm 2000\n\nNga vừa ký hiệp định với Việt Nam về khoản nợ.\n",
            "vi"
        ),
        story(("agreement", "2000-09-15"))
    );
    assert_eq!(
        dated(
            "МОСКВА, 27 марта 2002 г.\n\nРоссия только что подписала соглашение с Вьетнамом о базе.\n",
            "ru"
        ),
        story(("agreement", "2002-03-27"))
    );
    assert_eq!(
        dated(
            "HANOI, May 2, 2002\n\nRussia and Vietnam have held talks on the base.\n",
            "en"
        )
        .iter()
        .filter(|(_, _, o)| o == "dateline")
        .count(),
        1
    );
    for (text, lang) in [
        (
            "Russia has signed an agreement with Vietnam to hand back the naval base.\n",
            "en",
        ),
        (
            "HANOI, May 2, 2002\n\nRussia had signed an agreement with Vietnam to hand back the naval base.\n",
            "en",
        ),
        (
            "HANOI, May 2, 2002\n\nRussia has supplied weapons to Vietnam for three decades.\n",
            "en",
        ),
        (
            "HÀ NỘI, ngày 15 tháng 9 năm 2000\n\nNga đã ký hiệp định với Việt Nam về khoản nợ.\n",
            "vi",
        ),
        // "has" before a noun is no act: a participle must follow.
        (
            "HANOI, May 2, 2002\n\nRussia has aid programs in Vietnam.\n",
            "en",
        ),
        (
            "HANOI, May 2, 2002\n\nRussia has visits planned to Vietnam.\n",
            "en",
        ),
    ] {
        assert!(
            dated(text, lang)
                .iter()
                .all(|(_, _, origin)| origin != "dateline"),
            "{text:?}: {:?}",
            dated(text, lang)
        );
    }
}
