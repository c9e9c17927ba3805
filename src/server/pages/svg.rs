//! Small SVG charts drawn by the server: bar charts (the timeline's density, an entity's
//! events by year) and the helpers the series chart uses (ticks, number formatting). Every
//! label and tooltip is escaped.

use super::esc;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Under the axis.
    pub label: String,
    pub value: usize,
    /// Tooltip.
    pub title: String,
    /// Where clicking the bar goes.
    pub href: Option<String>,
    /// Written as `data-bin`.
    pub key: String,
}

/// A mark under the axis at a fraction of the width (an event), with its tooltip and link.
#[derive(Debug, Clone)]
pub struct Rug {
    /// 0.0 (left edge of the plot) to 1.0 (right edge).
    pub from: f64,
    /// Same as `from` for a point; later for an interval.
    pub to: f64,
    pub title: String,
    pub href: String,
}

pub const W: f64 = 1000.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const RUG_LANES: usize = 4;

/// A bar chart with an optional rug of marks; `id` is the SVG's id, `caption` its
/// accessible name.
pub fn bars(id: &str, caption: &str, bars: &[Bar], rug: &[Rug], height: f64) -> String {
    let plot_w = W - LEFT - RIGHT;
    let rug_h = if rug.is_empty() {
        0.0
    } else {
        4.0 * RUG_LANES as f64 + 6.0
    };
    let base = height - 28.0 - rug_h;
    let plot_h = base - TOP;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg id=\"{}\" class=\"chart bars\" viewBox=\"0 0 {W} {height}\" role=\"group\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\">",
        esc(id),
        esc(caption)
    );
    // Horizontal grid with counts.
    for t in nice_ticks(0.0, max as f64, 4) {
        if t.fract() != 0.0 {
            continue;
        }
        let y = base - plot_h * t / max as f64;
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            t as usize
        );
    }
    let n = bars.len().max(1);
    let bw = plot_w / n as f64;
    // Label every k-th bar so that labels never overlap (about 46 units a label).
    let widest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(4) as f64;
    let k = ((widest * 8.0 + 8.0) / bw).ceil().max(1.0) as usize;
    for (i, b) in bars.iter().enumerate() {
        let x = LEFT + bw * i as f64;
        let h = plot_h * b.value as f64 / max as f64;
        let inner = format!(
            "<rect class=\"bin{}\" data-bin=\"{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}</title></rect>\
             <rect class=\"bin-hit\" x=\"{:.1}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{plot_h:.1}\"><title>{}</title></rect>",
            if b.value == 0 { " empty" } else { "" },
            esc(&b.key),
            x + bw * 0.12,
            base - h,
            (bw * 0.76).max(1.0),
            h,
            esc(&b.title),
            x,
            bw,
            esc(&b.title),
        );
        match &b.href {
            Some(href) => {
                let _ = write!(s, "<a class=\"zoom-in\" href=\"{}\">{inner}</a>", esc(href));
            }
            None => s.push_str(&inner),
        }
        if i % k == 0 {
            let _ = write!(
                s,
                "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + bw / 2.0,
                height - 8.0,
                esc(&b.label)
            );
        }
    }
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{base:.1}\" y2=\"{base:.1}\"/>",
        W - RIGHT
    );
    // Marks on the same pixels are one mark, whose title counts them and names the first:
    // thousands of events would otherwise make the chart as large as the list of all of
    // them, and the lanes below cost the square of the marks.
    let mut same: BTreeMap<(i64, i64), (usize, &Rug)> = BTreeMap::new();
    for r in rug {
        let x0 = (plot_w * r.from.clamp(0.0, 1.0)).round() as i64;
        let x1 = (plot_w * r.to.clamp(0.0, 1.0)).round() as i64;
        same.entry((x0, x1)).or_insert((0, r)).0 += 1;
    }
    // Marks in lanes: each goes to the first lane where it does not cover another (long
    // intervals would otherwise hide the points under them).
    let mut order: Vec<(usize, &Rug)> = same.into_values().collect();
    order.sort_by(|(_, a), (_, b)| (a.to - a.from).total_cmp(&(b.to - b.from)));
    let mut lanes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); RUG_LANES];
    for (n, r) in order {
        let title = match n {
            1 => r.title.clone(),
            n => format!("{n} events here; the first: {}", r.title),
        };
        let x0 = LEFT + plot_w * r.from.clamp(0.0, 1.0) - 1.5;
        let x1 = (LEFT + plot_w * r.to.clamp(0.0, 1.0) + 1.5).max(x0 + 3.0);
        let lane = (0..RUG_LANES)
            .find(|&l| {
                lanes[l]
                    .iter()
                    .all(|&(a, b)| x1 + 1.0 <= a || b + 1.0 <= x0)
            })
            .unwrap_or(RUG_LANES - 1);
        lanes[lane].push((x0, x1));
        let _ = write!(
            s,
            "<a href=\"{}\"><rect class=\"mark{}\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"3\"><title>{}</title></rect></a>",
            esc(&r.href),
            if x1 - x0 > 4.0 { " interval" } else { "" },
            base + 4.0 + 4.0 * lane as f64,
            x1 - x0,
            esc(&title)
        );
    }
    s.push_str("</svg>");
    s
}

/// About `n` round tick values covering `lo..=hi`.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut t = (lo / step).floor() * step;
    while t <= hi + step * 0.5 && out.len() < 50 {
        out.push(t);
        t += step;
    }
    out
}

/// A value for an axis or a table: "1.5 bn", "593.8 m", "12,400".
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, " bn")
    } else if a >= 1e6 {
        (v / 1e6, " m")
    } else {
        (v, "")
    };
    let s = if suffix.is_empty() && a >= 1000.0 {
        thousands(v.round() as i64)
    } else if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("{s}{suffix}")
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_ticks() {
        assert_eq!(short_number(1.5e9), "1.5 bn");
        assert_eq!(short_number(593.8e6), "593.8 m");
        assert_eq!(short_number(12400.0), "12,400");
        assert_eq!(short_number(70.0), "70");
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(nice_ticks(3.0, 3.0, 4), vec![3.0]);
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let b = vec![Bar {
            label: "<b>".into(),
            value: 2,
            title: "\"><script>".into(),
            href: Some("/x?a=1&b=\"".into()),
            key: "k".into(),
        }];
        let r = vec![Rug {
            from: 0.5,
            to: 0.5,
            title: "<i>".into(),
            href: "/e".into(),
        }];
        let s = bars("c", "<c>", &b, &r, 200.0);
        assert!(!s.contains("<b>") && !s.contains("<script>") && !s.contains("<i>"));
        assert!(s.contains("a=1&amp;b=&quot;"));
    }

    /// Ten thousand events on a few hundred distinct pixels make one mark per pixel, not
    /// one per event; a lone event keeps its own title and link.
    #[test]
    fn marks_on_the_same_pixels_are_one_mark() {
        let mark = |i: usize, at: f64| Rug {
            from: at,
            to: at,
            title: format!("event {i}"),
            href: format!("/events/{i}"),
        };
        let mut r: Vec<Rug> = (0..10_000)
            .map(|i| mark(i, (i % 300) as f64 / 300.0))
            .collect();
        r.push(mark(10_000, 0.9995));
        let s = bars("c", "c", &[], &r, 200.0);
        assert_eq!(s.matches("<rect class=\"mark").count(), 301);
        assert!(
            s.contains("34 events here; the first: event 0<"),
            "{}",
            &s[..2000]
        );
        assert!(s.contains("<title>event 10000</title>") && s.contains("/events/10000"));
    }
}
