//! `/ask`: a question box; the answer with its value, confidence, citations (the answer's
//! own span marked in each cited sentence) and the other values the sources state.
//! "Insufficient evidence" is shown plainly.

use super::home::ask_box;
use super::layout::{Nav, page};
use super::reader::{Mark, render};
use super::{PageError, PageResult, esc, json_text, nonempty};
use crate::ask::Citation;
use crate::server::api::ask_answer;
use crate::server::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub q: Option<String>,
}

const EXAMPLES: [&str; 4] = [
    "When did Vietnam join the CMEA?",
    "Bao nhiêu lưu học sinh Việt Nam học tại Liên Xô năm 1987?",
    "Когда был подписан договор о дружбе и сотрудничестве?",
    "What happened in November 1978?",
];

/// A citation: the cited sentence from the source bytes, the answer's span marked.
fn citation_html(
    v: &crate::server::state::View,
    c: &Citation,
    sources: &HashMap<String, (std::sync::Arc<[u8]>, crate::source::decode::Encoding)>,
) -> String {
    let body = match sources.get(&c.doc) {
        Some((bytes, enc)) => {
            let marks: Vec<Mark> = c
                .answer_span
                .iter()
                .map(|&(a, b)| Mark::marked(a as usize, b as usize, "answer-span"))
                .collect();
            render(bytes, *enc, c.start as usize..c.end as usize, &marks)
        }
        None => esc(&c.text),
    };
    format!(
        "<li class=\"citation\" data-doc=\"{}\" data-start=\"{}\" data-end=\"{}\">{}<blockquote>{body}</blockquote></li>",
        esc(&c.doc),
        c.start,
        c.end,
        super::cite_link(v, &c.doc, c.start, c.end, "")
    )
}

pub async fn ask(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Params>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    let question = nonempty(&p.q).map(str::to_string);
    let mut b = format!("<h1>{}</h1>", esc(super::ui::t("ask_title")));
    b.push_str(&ask_box(question.as_deref().unwrap_or("")));
    let Some(question) = question else {
        let _ = write!(
            b,
            "<section class=\"examples\"><h2>{}</h2><ul>",
            esc(super::ui::t("for_example"))
        );
        for e in EXAMPLES {
            let _ = write!(
                b,
                "<li><a href=\"/ask?q={}\">{}</a></li>",
                super::url_enc(e),
                esc(e)
            );
        }
        b.push_str("</ul></section>");
        return Ok(page(super::ui::t("nav_ask"), Nav::Ask, "page-ask", &b));
    };
    let a = ask_answer(&st, question.clone())
        .await
        .map_err(PageError::from)?;
    // The cited documents' bytes, to mark each answer inside its sentence.
    let mut docs: Vec<String> = a
        .citations
        .iter()
        .chain(a.disagreement.iter().flat_map(|d| &d.citations))
        .map(|c| c.doc.clone())
        .collect();
    docs.sort();
    docs.dedup();
    let sources = st
        .query(move |v, _| {
            let mut out = HashMap::new();
            for d in docs {
                if let Some(data) = v.doc(&d) {
                    out.insert(d, (data.bytes.clone(), data.doc.encoding()));
                }
            }
            Ok(out)
        })
        .await
        .map_err(PageError::from)?;
    let v = st.view();
    let insufficient = a.value.is_null();
    let _ = write!(
        b,
        "<section id=\"answer\" class=\"answer{}\" data-type=\"{}\" data-lang=\"{}\"{}>",
        if insufficient {
            " insufficient-answer"
        } else {
            ""
        },
        esc(&a.qtype),
        esc(&a.lang),
        if insufficient {
            " data-value-null=\"true\""
        } else {
            ""
        }
    );
    if insufficient {
        let _ = write!(
            b,
            "<p class=\"insufficient\"><b>{}</b>{}</p><p class=\"hint\">{}</p>",
            esc(super::ui::t("insufficient")),
            {
                let rest = a.answer.trim_start_matches("insufficient evidence").trim();
                if rest.is_empty() {
                    String::new()
                } else {
                    format!(" {}", esc(rest))
                }
            },
            esc(&super::ui::tf(
                "insufficient_hint",
                &[("confidence", &format!("{:.0}", a.confidence * 100.0))]
            ))
            .replace(
                "{search}",
                &format!(
                    "<a href=\"/search?q={}\">{}</a>",
                    super::url_enc(&question),
                    esc(super::ui::t("search_link"))
                )
            )
        );
    } else {
        let _ = write!(
            b,
            "<p class=\"answer-text\">{}</p><dl class=\"facts-table\"><dt>{}</dt><dd class=\"answer-value\"><code>{}</code></dd>\
             <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd class=\"confidence\" data-confidence=\"{:.2}\"><meter min=\"0\" max=\"1\" value=\"{:.2}\"></meter> {:.0}%</dd></dl>",
            esc(&a.answer),
            esc(super::ui::t("th_value")),
            esc(&json_text(&a.value)),
            esc(super::ui::t("asked_for")),
            esc(super::ui::try_t(&format!("qtype_{}", a.qtype)).unwrap_or(&a.qtype)),
            esc(super::ui::t("confidence")),
            a.confidence,
            a.confidence,
            a.confidence * 100.0
        );
        let _ = write!(
            b,
            "<h2>{}</h2><ol class=\"citations\">",
            esc(super::ui::t("h_cited"))
        );
        for c in &a.citations {
            b.push_str(&citation_html(&v, c, &sources));
        }
        b.push_str("</ol>");
    }
    if !a.disagreement.is_empty() {
        let _ = write!(
            b,
            "<section class=\"disagreements\"><h2>{}</h2>",
            esc(super::ui::t("h_also_state"))
        );
        for d in &a.disagreement {
            let _ = write!(
                b,
                "<div class=\"disagreement\"><p class=\"answer-text\">{}</p><ol class=\"citations\">",
                esc(&d.answer)
            );
            for c in &d.citations {
                b.push_str(&citation_html(&v, c, &sources));
            }
            b.push_str("</ol></div>");
        }
        b.push_str("</section>");
    }
    b.push_str("</section>");
    Ok(page(
        &format!("{}: {question}", super::ui::t("nav_ask")),
        Nav::Ask,
        "page-ask",
        &b,
    ))
}
