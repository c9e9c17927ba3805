//! The time extractor: isolated expressions in English, Vietnamese and Russian with exact
//! values, things that are not times, underspecified dates and their anchors, snapshots of
//! the reference corpus (spans and values only, never the sources' text), and a property
//! test that no input makes it panic or produce a span off character boundaries.

mod common;

use annals::document::{Document, ReadOptions};
use annals::extract::time::TimeExtractor;
use annals::extract::{Extractor, Fact};
use annals::text::lang::Lang;
use proptest::prelude::*;
use serde_json::{Value, json};

fn facts(text: &str, lang: Lang) -> Vec<Fact> {
    let doc = common::read_as(text, lang);
    let mut out = Vec::new();
    TimeExtractor.extract(&doc, &mut out);
    out
}

fn s(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// The (value_start, value_end) of the expression written `span` in `text`.
fn value_at(text: &str, lang: Lang, span: &str) -> (String, String) {
    let f = facts(text, lang);
    let t = f
        .iter()
        .find(|f| f.evidence.text == span)
        .unwrap_or_else(|| panic!("{span:?} not found in {text:?}: {f:?}"));
    (s(&t.fields()["value_start"]), s(&t.fields()["value_end"]))
}

/// (text, type, value_start, value_end) of every timex (durations included).
fn found(text: &str, lang: Lang) -> Vec<(String, String, String, String)> {
    facts(text, lang)
        .iter()
        .map(|f| {
            (
                f.evidence.text.clone(),
                s(&f.fields()["type"]),
                s(&f.fields()["value_start"]),
                s(&f.fields()["value_end"]),
            )
        })
        .collect()
}

/// The input holds exactly one expression: `span`, with these values and type.
#[track_caller]
fn one(text: &str, lang: Lang, span: &str, ty: &str, vs: &str, ve: &str) {
    let got = found(text, lang);
    let want = vec![(
        span.to_string(),
        ty.to_string(),
        vs.to_string(),
        ve.to_string(),
    )];
    assert_eq!(got, want, "input: {text:?}");
}

#[test]
fn english_forms() {
    let en = Lang::of("en");
    one(
        "It was signed on November 3, 1978 in Moscow.",
        en,
        "November 3, 1978",
        "date",
        "1978-11-03",
        "1978-11-03",
    );
    one(
        "It was signed on 3 November 1978.",
        en,
        "3 November 1978",
        "date",
        "1978-11-03",
        "1978-11-03",
    );
    one(
        "Relations were set up in 1978.",
        en,
        "1978",
        "date",
        "1978",
        "1978",
    );
    one(
        "He arrived in September 1987.",
        en,
        "September 1987",
        "date",
        "1987-09",
        "1987-09",
    );
    one(
        "The plan for 1976-1980 failed.",
        en,
        "1976-1980",
        "interval",
        "1976",
        "1980",
    );
    one(
        "The plan for 1981 - 1985 failed.",
        en,
        "1981 - 1985",
        "interval",
        "1981",
        "1985",
    );
    one(
        "Aid grew from 1975 to 1991.",
        en,
        "from 1975 to 1991",
        "interval",
        "1975",
        "1991",
    );
    one(
        "Trade doubled between 1981 and 1985.",
        en,
        "between 1981 and 1985",
        "interval",
        "1981",
        "1985",
    );
    one(
        "Trade boomed in the 1980s.",
        en,
        "the 1980s",
        "decade",
        "1980",
        "1989",
    );
    one(
        "Trade boomed in the early 1980s.",
        en,
        "the early 1980s",
        "decade",
        "1980",
        "1983",
    );
    one(
        "Trade fell in the late 80s.",
        en,
        "the late 80s",
        "decade",
        "1986",
        "1989",
    );
    one(
        "It boomed in the 80s (20th century).",
        en,
        "the 80s (20th century)",
        "decade",
        "1980",
        "1989",
    );
    one(
        "It shaped the 20th century.",
        en,
        "the 20th century",
        "century",
        "1901",
        "2000",
    );
    one(
        "Saigon fell in the spring of 1975.",
        en,
        "the spring of 1975",
        "season",
        "1975-03",
        "1975-05",
    );
    one(
        "Tension rose in the mid-1970s.",
        en,
        "the mid-1970s",
        "decade",
        "1974",
        "1976",
    );
    one(
        "By 1988, most had returned.",
        en,
        "1988",
        "date",
        "1988",
        "1988",
    );
    one(
        "A map drawn c. 1950 survives.",
        en,
        "c. 1950",
        "date",
        "1950",
        "1950",
    );
    one(
        "Talks held 21–23 May 2023 ended.",
        en,
        "21–23 May 2023",
        "interval",
        "2023-05-21",
        "2023-05-23",
    );
    one(
        "They served from July 1965 to December 1974.",
        en,
        "from July 1965 to December 1974",
        "interval",
        "1965-07",
        "1974-12",
    );
    one(
        "It ended in late October 1988.",
        en,
        "late October 1988",
        "date",
        "1988-10",
        "1988-10",
    );
}

#[test]
fn vietnamese_forms() {
    let vi = Lang::of("vi");
    one(
        "Hiệp ước ký ngày 03-11-1978 tại Mátxcơva.",
        vi,
        "ngày 03-11-1978",
        "date",
        "1978-11-03",
        "1978-11-03",
    );
    one(
        "Hiệp ước ký ngày 3 tháng 11 năm 1978.",
        vi,
        "ngày 3 tháng 11 năm 1978",
        "date",
        "1978-11-03",
        "1978-11-03",
    );
    one(
        "Sinh ngày 12 tháng 4 năm 1939.",
        vi,
        "ngày 12 tháng 4 năm 1939",
        "date",
        "1939-04-12",
        "1939-04-12",
    );
    one(
        "Chuyến thăm vào tháng 10-1975.",
        vi,
        "tháng 10-1975",
        "date",
        "1975-10",
        "1975-10",
    );
    one(
        "Ký vào tháng Mười năm 1978.",
        vi,
        "tháng Mười năm 1978",
        "date",
        "1978-10",
        "1978-10",
    );
    one(
        "Quan hệ phát triển từ năm 1978.",
        vi,
        "năm 1978",
        "date",
        "1978",
        "1978",
    );
    one(
        "Kế hoạch 1976-1980 không đạt.",
        vi,
        "1976-1980",
        "interval",
        "1976",
        "1980",
    );
    one(
        "Quan hệ từ năm 1975 đến năm 1991 rất tốt.",
        vi,
        "từ năm 1975 đến năm 1991",
        "interval",
        "1975",
        "1991",
    );
    one(
        "Kinh tế trong giai đoạn 1986-1990 tăng.",
        vi,
        "1986-1990",
        "interval",
        "1986",
        "1990",
    );
    one(
        "Trong những năm 80 của thế kỷ XX, kinh tế suy giảm.",
        vi,
        "những năm 80 của thế kỷ XX",
        "decade",
        "1980",
        "1989",
    );
    one(
        "Bước vào thập niên 1980, kinh tế suy giảm.",
        vi,
        "thập niên 1980",
        "decade",
        "1980",
        "1989",
    );
    one(
        "Đến đầu những năm 80 thì khủng hoảng.",
        vi,
        "đầu những năm 80",
        "decade",
        "1980",
        "1983",
    );
    one(
        "Đến cuối những năm 80 thì khủng hoảng.",
        vi,
        "cuối những năm 80",
        "decade",
        "1986",
        "1989",
    );
    one(
        "Đến giữa những năm 80 thì khủng hoảng.",
        vi,
        "giữa những năm 80",
        "decade",
        "1984",
        "1986",
    );
    one(
        "Lịch sử thế kỷ XX ghi nhận.",
        vi,
        "thế kỷ XX",
        "century",
        "1901",
        "2000",
    );
    one(
        "Đại thắng mùa Xuân năm 1975.",
        vi,
        "mùa Xuân năm 1975",
        "season",
        "1975-03",
        "1975-05",
    );
    one(
        "Ký kết ngày 3/11/1978.",
        vi,
        "ngày 3/11/1978",
        "date",
        "1978-11-03",
        "1978-11-03",
    );
    one(
        "Từ ngày 26-06 đến 01-07-1985 tại Mátxcơva.",
        vi,
        "Từ ngày 26-06 đến 01-07-1985",
        "interval",
        "1985-06-26",
        "1985-07-01",
    );
    one(
        "Việc này xảy ra cuối năm 1988.",
        vi,
        "cuối năm 1988",
        "date",
        "1988",
        "1988",
    );
    one(
        "Bản đồ vẽ khoảng năm 1950.",
        vi,
        "khoảng năm 1950",
        "date",
        "1950",
        "1950",
    );
}

#[test]
fn russian_forms() {
    let ru = Lang::of("ru");
    one(
        "Договор подписан 3 ноября 1978 г. в Москве.",
        ru,
        "3 ноября 1978 г.",
        "date",
        "1978-11-03",
        "1978-11-03",
    );
    one(
        "Это было в 1978 году.",
        ru,
        "1978 году",
        "date",
        "1978",
        "1978",
    );
    one(
        "Торговля росла в 1980-е годы.",
        ru,
        "1980-е годы",
        "decade",
        "1980",
        "1989",
    );
    one(
        "План на 1976–1980 гг. выполнен.",
        ru,
        "1976–1980 гг.",
        "interval",
        "1976",
        "1980",
    );
    one(
        "Помощь шла с 1975 по 1991 год.",
        ru,
        "с 1975 по 1991 год",
        "interval",
        "1975",
        "1991",
    );
    one(
        "Сайгон пал весной 1975 года.",
        ru,
        "весной 1975 года",
        "season",
        "1975-03",
        "1975-05",
    );
    one(
        "Это определило XX век.",
        ru,
        "XX век",
        "century",
        "1901",
        "2000",
    );
    one(
        "Он родился 3 марта 2015.",
        ru,
        "3 марта 2015",
        "date",
        "2015-03-03",
        "2015-03-03",
    );
    one(
        "Кризис начался в начале 80-х годов.",
        ru,
        "начале 80-х годов",
        "decade",
        "1980",
        "1983",
    );
}

#[test]
fn two_years_joined_by_and_are_two_dates() {
    let got = found("In 1978 and 1979, the Soviet Union helped.", Lang::of("en"));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].2, "1978");
    assert_eq!(got[1].2, "1979");
    let got = found("Năm 1978 và năm 1979 Liên Xô giúp đỡ.", Lang::of("vi"));
    assert_eq!(
        got.iter().map(|g| g.2.as_str()).collect::<Vec<_>>(),
        ["1978", "1979"]
    );
}

#[test]
fn not_times() {
    for (text, lang) in [
        (
            "See the table [5, p.89-90] and p.297 and pp. 1989-1990.",
            Lang::of("en"),
        ),
        (
            "Over 1500 people and 1990 tons were moved, worth $1990.",
            Lang::of("en"),
        ),
        (
            "Vietnam became the 149th member; see section 3.2.",
            Lang::of("en"),
        ),
        ("Call 024 3825 1990 for details.", Lang::of("en")),
        (
            "Đã chuyển 1000 tấn hàng và 1500 người [78, tr.1990].",
            Lang::of("vi"),
        ),
        ("Số liệu ở tr.297 và tr. 1985 của sách.", Lang::of("vi")),
        ("Тираж 1500 экз., см. с. 1985 и стр. 1978.", Lang::of("ru")),
        (
            "Value 1540.6 million and 2.300,3 triệu rúp, growth 1990%.",
            Lang::of("en"),
        ),
        // The month in a revolution's name, its qualifiers between.
        (
            "Mừng Cách mạng xã hội chủ nghĩa Tháng Mười vĩ đại.",
            Lang::of("vi"),
        ),
        ("Kỷ niệm Cách mạng Tháng Tám thành công.", Lang::of("vi")),
    ] {
        let got: Vec<_> = found(text, lang)
            .into_iter()
            .filter(|g| g.1 != "duration")
            .collect();
        assert!(got.is_empty(), "{text:?} gave {got:?}");
    }
}

#[test]
fn citation_years_are_marked() {
    for (text, lang) in [
        (
            "As shown [Vasilyeva 1955: 67], the aid grew.",
            Lang::of("en"),
        ),
        (
            "As Gaiduk [1996; 2003] argues, the aid grew.",
            Lang::of("en"),
        ),
        (
            "Phạm Thị Yên (2017), “Quân cảng Cam Ranh”, Tạp chí Lịch sử.",
            Lang::of("vi"),
        ),
        ("The war was costly (Smith 1985: 67).", Lang::of("en")),
        ("Nguồn: Tổng cục Thống kê, 1990.", Lang::of("vi")),
        (
            "Lê Văn A, Lịch sử ngoại giao, Nxb Chính trị quốc gia, Hà Nội, 2005.",
            Lang::of("vi"),
        ),
    ] {
        let got = found(text, lang);
        assert!(!got.is_empty(), "{text:?}");
        assert!(
            got.iter().all(|g| g.1 == "citation"),
            "{text:?} gave {got:?}"
        );
    }
    // A period inside a title quoted by a reference is still a time.
    let got = found(
        "Phạm Thị Yên (2017), “Cam Ranh thời kỳ chiến tranh lạnh (1979-1991)”.",
        Lang::of("vi"),
    );
    assert_eq!(got[0].1, "citation");
    assert_eq!((got[1].1.as_str(), got[1].2.as_str()), ("interval", "1979"));
}

#[test]
fn durations_are_not_points() {
    let f = facts(
        "Hiệp ước có giá trị trong 25 năm. It lasted four years.",
        Lang::of("vi"),
    );
    let d: Vec<_> = f.iter().filter(|f| f.kind() == "duration").collect();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].fields()["duration"], json!("P25Y"));
    assert_eq!(d[1].fields()["duration"], json!("P4Y"));
    assert!(f.iter().all(|f| f.kind() == "duration"));
}

/// A decade is ten years, in every language and Russian case: "three decades", "ba thập
/// kỷ", "трёх десятилетий" are P30Y; "thập niên 1980" stays the decade, a date.
#[test]
fn decades_are_durations_of_ten_years() {
    for (text, lang, want) in [
        ("Aid flowed for three decades.", "en", "P30Y"),
        ("Aid flowed for 2 decades.", "en", "P20Y"),
        ("Viện trợ kéo dài ba thập kỷ.", "vi", "P30Y"),
        ("Hợp tác trong hai thập niên.", "vi", "P20Y"),
        ("Помощь шла три десятилетия.", "ru", "P30Y"),
        ("В течение трёх десятилетий шла помощь.", "ru", "P30Y"),
        ("За два десятилетия выросла торговля.", "ru", "P20Y"),
    ] {
        let f = facts(text, Lang::of(lang));
        let d: Vec<_> = f.iter().filter(|f| f.kind() == "duration").collect();
        assert_eq!(d.len(), 1, "{text}: {f:?}");
        assert_eq!(d[0].fields()["duration"], json!(want), "{text}");
    }
    let f = facts("Trong thập niên 1980, viện trợ tăng.", Lang::of("vi"));
    assert!(f.iter().all(|f| f.kind() != "duration"), "{f:?}");
}

#[test]
fn underspecified_dates_take_the_year_of_the_nearest_explicit_date() {
    let text = "Tháng 8 năm 1940, quân Nhật vào Đông Dương. Đến tháng 9, họ tiến vào Lạng Sơn. Năm sau, Mặt trận ra đời.";
    let f = facts(text, Lang::of("vi"));
    let vals: Vec<_> = f.iter().map(|f| s(&f.fields()["value_start"])).collect();
    assert_eq!(vals, ["1940-08", "1940-09", "1941"]);
    let anchor = &f[1].fields()["year_from"];
    assert_eq!(anchor["start"], json!(0));
    assert_eq!(anchor["value"], json!("1940-08"));
    assert_eq!(f[2].fields()["type"], json!("relative"));

    let f = facts(
        "The treaty was signed in 1978. In September, the same year, aid arrived.",
        Lang::of("en"),
    );
    let vals: Vec<_> = f.iter().map(|f| s(&f.fields()["value_start"])).collect();
    assert_eq!(vals, ["1978", "1978-09", "1978"]);
}

#[test]
fn underspecified_dates_without_anchor_stay_partial() {
    let f = facts("Đến tháng 9, họ tiến vào Lạng Sơn.", Lang::of("vi"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].fields()["value_start"], json!("XXXX-09"));
    assert_eq!(f[0].fields()["edtf"], json!("XXXX-09"));
    assert_eq!(f[0].fields()["year_from"], Value::Null);
    // A generic "năm sau … năm trước" is no date at all.
    let f = facts(
        "Chất lượng cán bộ năm sau luôn cao hơn năm trước.",
        Lang::of("vi"),
    );
    assert!(
        f.iter().all(|f| f.fields()["type"] != json!("relative")),
        "{f:?}"
    );
}

/// In a dated document (a dateline), a year-less date is placed near the document's date; a
/// bare year earlier in its paragraph that names another time gives it no year, in every
/// language. A paragraph date with a month still governs, and a dated document whose date
/// agrees with the paragraph's year resolves as before.
#[test]
fn dated_documents_do_not_borrow_a_bare_year_of_another_time() {
    let year_of = |text: &str, lang: Lang, span: &str| value_at(text, lang, span).0;
    let en = "HANOI, May 20 (Agency) - The trade agreement of 2016 helped, the minister said ahead of his visit due on May 20-23.";
    assert_eq!(year_of(en, Lang::of("en"), "May 20-23"), "XXXX-05-20");
    let ru = "ХАНОЙ, 20 мая (Агентство) - Соглашение 2016 года помогло торговле, сказал министр накануне визита 22 мая.";
    assert_eq!(year_of(ru, Lang::of("ru"), "22 мая"), "XXXX-05-22");
    let vi = "HÀ NỘI, ngày 20 tháng 5 (Thông tấn) - Hiệp định năm 2016 đã giúp thương mại, Bộ trưởng nói trước chuyến thăm ngày 22 tháng 5.";
    assert_eq!(year_of(vi, Lang::of("vi"), "ngày 22 tháng 5"), "XXXX-05-22");
    // A dated document whose date has the paragraph's year.
    let en = "HANOI, May 20, 2019 (Agency) - Trade grew in 2019, and the visit is due on May 22.";
    assert_eq!(year_of(en, Lang::of("en"), "May 22"), "2019-05-22");
    // A narrative date with a month governs the dates after it.
    let en = "On 3 November 1978 the treaty was signed in Moscow; on November 5 it was published.";
    assert_eq!(year_of(en, Lang::of("en"), "November 5"), "1978-11-05");
}

/// A news item's dateline without a year ("HANOI, April 16") takes the year the story itself
/// gives: an anniversary on the day (base year + N), or a statistic for the first months of
/// the latest year named, already over at the dateline. A weekday the story gives the day
/// must agree; when nothing, or nothing consistent, gives a year, the date stays partial.
/// Texts written for the test, one per language and rule, and their negatives.
#[test]
fn a_year_less_dateline_takes_the_year_its_story_gives() {
    let value_of = |text: &str, lang: Lang, span: &str| value_at(text, lang, span).0;
    // A year in progress: figures for January-February 2011 under a March dateline.
    let en = "MOSCOW, March 3 (Agency) - Exports rose by 9% in January-February 2011, the ministry said on Thursday. Last year they fell.";
    assert_eq!(value_of(en, Lang::of("en"), "March 3"), "2011-03-03");
    assert_eq!(value_of(en, Lang::of("en"), "Last year"), "2010");
    assert_eq!(value_of(en, Lang::of("en"), "Thursday"), "2011-03-03");
    // The weekday disagrees (3 March 2011 was a Thursday): no year.
    let en_monday = en.replace("Thursday", "Monday");
    assert_eq!(
        value_of(&en_monday, Lang::of("en"), "March 3"),
        "XXXX-03-03"
    );
    // The first half of the year is not over on 10 February: no year.
    let en_early =
        "MOSCOW, February 10 (Agency) - Exports for the first half of 2011 are forecast to grow.";
    assert_eq!(
        value_of(en_early, Lang::of("en"), "February 10"),
        "XXXX-02-10"
    );
    // An anniversary on the day.
    let ru = "МОСКВА, 12 апр - РИА. Во вторник в Москве отмечают 50-летие полета Гагарина. 12 апреля 1961 года он облетел Землю.";
    assert_eq!(value_of(ru, Lang::of("ru"), "12 апр"), "2011-04-12");
    assert_eq!(value_of(ru, Lang::of("ru"), "вторник"), "2011-04-12");
    let vi = "HÀ NỘI, ngày 2 tháng 9 (TTXVN) - Lễ kỷ niệm 70 năm Quốc khánh được tổ chức long trọng. Ngày 2 tháng 9 năm 1945, nước Việt Nam Dân chủ Cộng hòa ra đời.";
    assert_eq!(value_of(vi, Lang::of("vi"), "ngày 2 tháng 9"), "2015-09-02");
    // An anniversary whose count disagrees with the weekday given (12 April 2011 was a
    // Tuesday, not a Sunday): no year.
    let ru_sunday = ru.replace("Во вторник", "В воскресенье");
    assert_eq!(value_of(&ru_sunday, Lang::of("ru"), "12 апр"), "XXXX-04-12");
    // A story that names years but gives neither: no year.
    let en_none =
        "HANOI, April 16 (Agency) - In 2003 the venture extracted 13 million tonnes of oil.";
    assert_eq!(value_of(en_none, Lang::of("en"), "April 16"), "XXXX-04-16");
    // Under a dateline with its year found, a date within a month of it is of its year even
    // after a bare year of another time.
    let en_visit = "HANOI, May 20 (Agency) - The agreement of 2016 helped trade, the minister said before his visit due on May 20-23. In the first quarter of 2019 trade grew.";
    assert_eq!(
        value_of(en_visit, Lang::of("en"), "May 20-23"),
        "2019-05-20"
    );
}

/// "The same period last year" is the narrative's last interval a year before, in every
/// language and (in Russian) every case of the phrase; with no interval before it, it has no
/// value. Texts written for the test.
#[test]
fn the_same_period_last_year_is_the_last_interval_a_year_before() {
    let value_of = value_at;
    let q1 = ("2003-01".to_string(), "2003-03".to_string());
    let en = "In the first quarter of 2004, exports rose by 14.6% from the same period last year.";
    assert_eq!(
        value_of(en, Lang::of("en"), "the same period last year"),
        q1
    );
    let vi = "Trong quý I năm 2004, xuất khẩu tăng 14,6% so với cùng kỳ năm ngoái.";
    assert_eq!(value_of(vi, Lang::of("vi"), "cùng kỳ năm ngoái"), q1);
    // Russian: the phrase in the cases a comparison puts it in.
    let months = ("2003-01".to_string(), "2003-05".to_string());
    for (lead, phrase) in [
        ("по сравнению с", "аналогичным периодом прошлого года"),
        ("против", "аналогичного периода прошлого года"),
        ("к", "аналогичному периоду прошлого года"),
        ("чем в", "аналогичном периоде прошлого года"),
        ("по сравнению с", "тем же периодом предыдущего года"),
    ] {
        let ru = format!("За январь–май 2004 года экспорт вырос на 14,6% {lead} {phrase}.");
        assert_eq!(value_of(&ru, Lang::of("ru"), phrase), months, "{ru}");
    }
    // No interval before it: no value.
    let f = facts(
        "Exports rose by 14.6% from the same period last year.",
        Lang::of("en"),
    );
    assert!(
        f.iter().all(|f| f.kind() != "timex"),
        "an unanchored comparison has no value: {f:?}"
    );
}

/// The first or last N months of a year (N = 2..11, in digits and words) and Russian month
/// ranges in the nominative are intervals of months, in every language: a table written
/// from the grammar, every cell checked.
#[test]
fn parts_of_a_year_are_intervals_of_months() {
    let en_words = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    ];
    let ru_words = [
        "два месяца",
        "три месяца",
        "четыре месяца",
        "пять месяцев",
        "шесть месяцев",
        "семь месяцев",
        "восемь месяцев",
        "девять месяцев",
        "десять месяцев",
        "одиннадцать месяцев",
    ];
    let vi_words = [
        "hai",
        "ba",
        "bốn",
        "năm",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mười một",
    ];
    let mut cells: Vec<(String, Lang, String, (String, String))> = Vec::new();
    for n in 2..=11u8 {
        let i = usize::from(n - 2);
        let first = ("2004-01".to_string(), format!("2004-{n:02}"));
        let last = (format!("2004-{:02}", 13 - n), "2004-12".to_string());
        for w in [n.to_string(), en_words[i].to_string()] {
            let span = format!("the first {w} months of 2004");
            cells.push((
                format!("Exports rose in {span}."),
                Lang::of("en"),
                span,
                first.clone(),
            ));
            let span = format!("the last {w} months of 2004");
            cells.push((
                format!("Exports rose in {span}."),
                Lang::of("en"),
                span,
                last.clone(),
            ));
        }
        for w in [n.to_string(), vi_words[i].to_string()] {
            let span = format!("{w} tháng đầu năm 2004");
            cells.push((
                format!("Trong {span}, xuất khẩu tăng."),
                Lang::of("vi"),
                span,
                first.clone(),
            ));
        }
        let vi_last = format!("{} tháng cuối năm 2004", vi_words[i]);
        cells.push((
            format!("Trong {vi_last}, xuất khẩu tăng."),
            Lang::of("vi"),
            vi_last,
            last,
        ));
        let noun = if n <= 4 {
            "месяца"
        } else {
            "месяцев"
        };
        for w in [format!("{n} {noun}"), ru_words[i].to_string()] {
            let span = format!("{w} 2004 года");
            cells.push((
                format!("За {span} экспорт вырос."),
                Lang::of("ru"),
                span,
                first.clone(),
            ));
        }
    }
    let ru_months = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    for a in 0..12 {
        for b in a + 1..12 {
            let span = format!("{}–{} 2004 года", ru_months[a], ru_months[b]);
            let want = (format!("2004-{:02}", a + 1), format!("2004-{:02}", b + 1));
            cells.push((
                format!("За {span} экспорт вырос."),
                Lang::of("ru"),
                span,
                want,
            ));
        }
    }
    let mut wrong = Vec::new();
    for (text, lang, span, want) in &cells {
        let got = found(text, *lang)
            .into_iter()
            .find(|(t, ..)| t == span)
            .map(|(_, _, s, e)| (s, e));
        if got.as_ref() != Some(want) {
            wrong.push(format!("{text:?}: {got:?}, want {want:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cells wrong:\n{}",
        wrong.len(),
        cells.len(),
        wrong.join("\n")
    );
}

/// English ranges of days written with words keep both ends, day-month and month-day,
/// every month: "from 14 to 18 March 2011", "between 14 and 18 March 2011", "from March 14
/// to 18, 2011", "March 14 through 18, 2011".
#[test]
fn english_ranges_of_days_in_words_keep_both_ends() {
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut wrong = Vec::new();
    let mut n = 0;
    for (i, m) in months.iter().enumerate() {
        let want = (
            format!("2011-{:02}-14", i + 1),
            format!("2011-{:02}-18", i + 1),
        );
        for span in [
            format!("from 14 to 18 {m} 2011"),
            format!("between 14 and 18 {m} 2011"),
            format!("from {m} 14 to 18, 2011"),
            format!("{m} 14 through 18, 2011"),
            format!("from the 14th to the 18th of {m} 2011"),
        ] {
            n += 1;
            let text = format!("The fair was held {span} in Hanoi.");
            let got = found(&text, Lang::of("en"))
                .into_iter()
                .find(|(t, ..)| *t == span)
                .map(|(_, _, s, e)| (s, e));
            if got.as_ref() != Some(&want) {
                wrong.push(format!("{text:?}: {got:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {n} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn english_numeric_dates_follow_the_document() {
    let f = facts("Signed 25/12/1979 and 11/03/1978.", Lang::of("en"));
    assert_eq!(f[1].fields()["value_start"], json!("1978-03-11"));
    assert!(f[1].fields().get("ambiguous").is_none());
    let f = facts("Signed 11/03/1978.", Lang::of("en"));
    assert_eq!(f[0].fields()["ambiguous"], json!(true));
}

#[test]
fn edtf_and_flags() {
    let f = facts(
        "c. 1950; the 1980s; the 20th century; the spring of 1975; from 1975 to 1991.",
        Lang::of("en"),
    );
    let e: Vec<_> = f.iter().map(|f| s(&f.fields()["edtf"])).collect();
    assert_eq!(e, ["1950~", "198X", "19XX", "1975-21", "1975/1991"]);
    assert_eq!(f[0].fields()["approx"], json!(true));
    assert_eq!(f[0].fields()["lang"], json!("en"));
}

// ---- the reference corpus -------------------------------------------------------------

fn corpus_doc(prefix: &str) -> Document {
    common::corpus_doc(prefix)
}

/// Spans and values of the expressions in `lo..hi` (source bytes); never the text.
fn window(doc: &Document, lo: usize, hi: usize) -> Value {
    let mut out = Vec::new();
    TimeExtractor.extract(doc, &mut out);
    Value::Array(
        out.iter()
            .filter(|f| f.evidence.start >= lo && f.evidence.end <= hi)
            .map(|f| {
                json!({
                    "start": f.evidence.start,
                    "end": f.evidence.end,
                    "type": f.fields()["type"],
                    "value_start": f.fields()["value_start"],
                    "value_end": f.fields()["value_end"],
                })
            })
            .collect(),
    )
}

#[test]
fn corpus_spans_are_exact_source_text() {
    for p in ["000", "001", "002", "003", "004"] {
        let doc = corpus_doc(p);
        let mut out = Vec::new();
        TimeExtractor.extract(&doc, &mut out);
        assert!(!out.is_empty(), "{p}");
        for f in &out {
            let b = &doc.source.bytes[f.evidence.start..f.evidence.end];
            assert_eq!(std::str::from_utf8(b).unwrap(), f.evidence.text);
        }
    }
}

#[test]
fn corpus_snapshots() {
    let d = corpus_doc("000");
    insta::assert_json_snapshot!("article_000", window(&d, 0, 17000));
    let d = corpus_doc("001");
    insta::assert_json_snapshot!("article_001", window(&d, 0, 17000));
    let d = corpus_doc("002");
    insta::assert_json_snapshot!("article_002", window(&d, 0, 12000));
    let d = corpus_doc("003");
    insta::assert_json_snapshot!("thesis_a", window(&d, 100000, 116000));
    insta::assert_json_snapshot!("thesis_b", window(&d, 175000, 182000));
    insta::assert_json_snapshot!("thesis_c", window(&d, 205000, 222000));
    let d = corpus_doc("004");
    insta::assert_json_snapshot!("wiki_004", window(&d, 0, 14000));
}

// ---- robustness ---------------------------------------------------------------------

/// The expressions `find` gives with its rules run only near their digits and literals, and
/// with every rule run over the whole paragraph (ranges, kinds, values).
fn narrowed_and_everywhere(text: &str, lang: Lang) -> (Vec<String>, Vec<String>) {
    use annals::extract::time::engine::{DocCtx, Scan, find_with};
    let show = |v: Vec<annals::extract::time::engine::Timex>| {
        v.iter()
            .map(|t| format!("{:?} {:?} {:?} {:?}", t.range, t.kind, t.start, t.end))
            .collect::<Vec<_>>()
    };
    let ctx = DocCtx::default();
    (
        show(find_with(text, lang, ctx, Scan::Narrowed)),
        show(find_with(text, lang, ctx, Scan::Everywhere)),
    )
}

/// Running a rule only near what each of its matches holds (a digit, one of its literals)
/// finds what running it everywhere finds: on every paragraph of both development sets,
/// and on long expressions in words far from any digit.
#[test]
fn narrowed_scanning_finds_what_scanning_everywhere_finds() {
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["../shared/corpus", "../shared/eval/unseen/docs"] {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        files.extend(rd.flatten().map(|e| e.path()));
    }
    files.sort();
    assert!(
        files.len() >= 5,
        "the development sets are beside the repository"
    );
    let mut paragraphs = 0;
    for f in &files {
        let doc = Document::read("d", std::fs::read(f).unwrap(), ReadOptions::default()).unwrap();
        for p in &doc.paragraphs {
            let text = &doc.text.as_str()[p.range.clone()];
            let (n, e) = narrowed_and_everywhere(text, p.lang);
            assert_eq!(n, e, "{}: {text:.200}", f.display());
            paragraphs += 1;
        }
    }
    assert!(paragraphs > 500, "{paragraphs} paragraphs");
    // Long spelled-out expressions, padded with prose, in each language.
    let pad = "word ".repeat(60);
    for (text, lang) in [
        (
            "с двадцать пятого по тридцатое сентября тысяча девятьсот сорок пятого года",
            Lang::of("ru"),
        ),
        (
            "в первой половине девяностых годов прошлого века",
            Lang::of("ru"),
        ),
        (
            "from the twenty-fifth to the thirtieth of September nineteen forty-five",
            Lang::of("en"),
        ),
        ("in the early nineteen-eighties", Lang::of("en")),
        ("từ đầu những năm tám mươi của thế kỷ trước", Lang::of("vi")),
        ("vào cuối thế kỷ mười chín", Lang::of("vi")),
    ] {
        let t = format!("{pad}{text}{pad}");
        let (n, e) = narrowed_and_everywhere(&t, lang);
        assert_eq!(n, e, "{text}");
    }
}

fn timeish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("1978".to_string()),
        Just("-".to_string()),
        Just("–".to_string()),
        Just(" ".to_string()),
        Just("\n\n".to_string()),
        Just("tháng ".to_string()),
        Just("năm ".to_string()),
        Just("ngày ".to_string()),
        Just("những năm 80".to_string()),
        Just("thế kỷ XX".to_string()),
        Just("November 3, ".to_string()),
        Just("the early 1980s".to_string()),
        Just("from ".to_string()),
        Just(" to ".to_string()),
        Just("từ ".to_string()),
        Just(" đến ".to_string()),
        Just("ноября ".to_string()),
        Just("г.".to_string()),
        Just("[".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("]".to_string()),
        Just("p.".to_string()),
        Just("Đến tháng 9".to_string()),
        "[0-9]{1,4}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn never_panics_and_spans_lie_on_char_boundaries(text in timeish()) {
        let bytes = text.as_bytes().to_vec();
        if let Ok(doc) = Document::read("p", bytes.clone(), ReadOptions::default()) {
            let mut out = Vec::new();
            TimeExtractor.extract(&doc, &mut out);
            for f in &out {
                prop_assert!(f.evidence.start < f.evidence.end);
                prop_assert!(f.evidence.end <= bytes.len());
                prop_assert!(text.is_char_boundary(f.evidence.start));
                prop_assert!(text.is_char_boundary(f.evidence.end));
            }
        }
        for lang in [Lang::of("en"), Lang::of("ru"), Lang::of("vi")] {
            let (n, e) = narrowed_and_everywhere(&text, lang);
            prop_assert_eq!(n, e);
        }
    }
}

/// Throughput of the extractor alone over the reference corpus (documents read once
/// beforehand): `cargo test --release --test time throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let docs: Vec<Document> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| corpus_doc(p))
        .collect();
    let bytes: usize = docs.iter().map(|d| d.source.bytes.len()).sum();
    let mut out = Vec::new();
    for d in &docs {
        TimeExtractor.extract(d, &mut out); // warm up the compiled rules
    }
    let rounds = 20;
    let t = std::time::Instant::now();
    for _ in 0..rounds {
        out.clear();
        for d in &docs {
            TimeExtractor.extract(d, &mut out);
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "time extractor: {} expressions, {:.1} MB/s ({mb:.1} MB in {secs:.3} s)",
        out.len(),
        mb / secs
    );
}

/// After an issue or page marker a number is a page or an issue ("pp. 12, 27"), but a whole
/// calendar date is a date: a newspaper's line "No. 53, 27 March 2002" in every language,
/// the marker written in each language's way and as the numero sign (which OCR reads for
/// "N°").
#[test]
fn an_issue_number_before_a_whole_date_leaves_the_date_whole() {
    for (text, lang, span) in [
        ("No. 53, 27 March 2002", "en", "27 March 2002"),
        ("№ 53, 27 March 2002", "en", "27 March 2002"),
        ("Số 53, 27 tháng 3 năm 2002", "vi", "27 tháng 3 năm 2002"),
        ("№53, 27 марта 2002", "ru", "27 марта 2002"),
        ("вып. 53, 27 марта 2002 г.", "ru", "27 марта 2002 г."),
        ("tr. 53, 27.03.2002", "vi", "27.03.2002"),
    ] {
        assert_eq!(
            value_at(text, Lang::of(lang), span),
            ("2002-03-27".to_string(), "2002-03-27".to_string()),
            "{text}"
        );
    }
    // Numbers alone after a marker stay pages.
    for (text, lang) in [("See pp. 12, 27 and 1990.", "en"), ("см. с. 12, 27.", "ru")] {
        assert!(
            found(text, Lang::of(lang)).iter().all(|f| f.0 != "27"),
            "{text}: {:?}",
            found(text, Lang::of(lang))
        );
    }
}

/// A dateline on a line of its own at the head of a story is its reference date even when
/// the lines below it are wrapped and the layout repair joins it to the headline (a page's
/// text, a scan's OCR): "yesterday" and "last year" in the story count from it. A date in
/// the story's first line of prose is no dateline.
#[test]
fn a_dateline_on_its_own_line_dates_a_wrapped_story() {
    let story =
        |dateline: &str, headline: &str, body: &str| format!("{dateline}\n{headline}\n{body}\n");
    for (text, lang, yesterday, last_year) in [
        (
            story(
                "No. 53, 27 March 2002",
                "A change of guard",
                "The prime minister flew to Hanoi yesterday from Ulan Bator, continuing a tour\nthat last year's talks had prepared for the two governments.",
            ),
            "en",
            "yesterday",
            "last year",
        ),
        (
            story(
                "№53, 27 марта 2002",
                "Смена караула",
                "Премьер вчера прилетел в Ханой из Улан-Батора, продолжив поездку, которую\nготовили прошлогодние переговоры двух правительств.",
            ),
            "ru",
            "вчера",
            "прошлогодние",
        ),
    ] {
        let lang = Lang::of(lang);
        assert_eq!(value_at(&text, lang, yesterday).0, "2002-03-26", "{text}");
        assert_eq!(value_at(&text, lang, last_year).0, "2001", "{text}");
    }
    // The same date inside the story's first sentence is no reference date.
    let reference = |text: &str| {
        facts(text, Lang::of("en"))
            .iter()
            .filter(|f| f.fields().get("reference") == Some(&Value::Bool(true)))
            .map(|f| f.evidence.text.clone())
            .collect::<Vec<_>>()
    };
    let prose = "The delegation arrived on 27 March 2002 and met the ministers, who said\nthat the talks went well and that last year was difficult.\n";
    assert!(reference(prose).is_empty(), "{:?}", reference(prose));
    let dated = "No. 53, 27 March 2002\nA change of guard\nThe delegation met the ministers, who said\nthat the talks went well.\n";
    assert_eq!(reference(dated), vec!["27 March 2002".to_string()]);
}
