//! Matching: one Aho-Corasick automaton over the folded keys of every alias (and their
//! hyphen-joined and OCR-damaged forms), run over folded streams of the clean text. Each hit
//! on word boundaries becomes a [`Hit`] for verification ([`super::verify`]).

use super::ocr;
use crate::knowledge::gazetteer::{AliasKind, Gazetteer};
use crate::knowledge::variants::{self, is_dash, is_sep};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::ops::Range;

/// What one automaton pattern stands for.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub entity: u32,
    pub alias: u32,
    /// The confidence of the OCR confusion, for a damaged key.
    pub fuzzy: Option<f32>,
}

/// A raw hit: a clean-text range whose folded form is a key.
#[derive(Debug, Clone)]
pub struct Hit {
    pub range: Range<usize>,
    pub target: Target,
    /// Bytes at the end of `range` past the key: a designation's variant letters ("MK2" of
    /// "Su-30MK2"); 0 for a whole-word hit.
    pub variant: usize,
}

/// The automaton and its targets.
pub struct Matcher {
    ac: AhoCorasick,
    targets: Vec<Vec<Target>>,
    keys: HashMap<String, usize>,
    /// The longest key, in bytes: how far from a joined hyphen a hit across it may reach.
    longest: usize,
}

impl Matcher {
    pub fn build(g: &Gazetteer) -> Matcher {
        let mut exact: HashMap<String, Vec<Target>> = HashMap::new();
        for (ei, e) in g.entities.iter().enumerate() {
            for (ai, a) in e.aliases.iter().enumerate() {
                let t = Target {
                    entity: ei as u32,
                    alias: ai as u32,
                    fuzzy: None,
                };
                let k = variants::key(&a.text);
                let kj = variants::joined_key(&a.text);
                for k in [k, kj] {
                    if k.is_empty() {
                        continue;
                    }
                    let v = exact.entry(k).or_default();
                    if !v.iter().any(|x| x.entity == t.entity && x.alias == t.alias) {
                        v.push(t);
                    }
                }
            }
        }
        let mut fuzzy: HashMap<String, Vec<Target>> = HashMap::new();
        let common: std::collections::HashSet<String> = g
            .context
            .common_words
            .iter()
            .map(|w| variants::key(w))
            .collect();
        for (ei, e) in g.entities.iter().enumerate() {
            for (ai, a) in e.aliases.iter().enumerate() {
                if !a.kind.standalone()
                    || a.kind == AliasKind::Abbreviation
                    || a.generated
                    || a.ambiguous
                {
                    continue;
                }
                for (k, conf) in ocr::MODEL.variants(&a.text) {
                    if exact.contains_key(&k) || common.contains(&k) {
                        continue;
                    }
                    let v = fuzzy.entry(k).or_default();
                    if !v.iter().any(|x| x.entity == ei as u32) {
                        v.push(Target {
                            entity: ei as u32,
                            alias: ai as u32,
                            fuzzy: Some(conf),
                        });
                    }
                }
            }
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut keys = HashMap::new();
        let mut all: Vec<(String, Vec<Target>)> = exact.into_iter().chain(fuzzy).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, t) in all {
            keys.insert(k.clone(), patterns.len());
            patterns.push(k);
            targets.push(t);
        }
        let longest = patterns.iter().map(String::len).max().unwrap_or(0);
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("the gazetteer automaton builds");
        Matcher {
            ac,
            targets,
            keys,
            longest,
        }
    }

    /// The targets of an exact folded key.
    pub fn targets_of_key(&self, key: &str) -> &[Target] {
        self.keys
            .get(key)
            .map(|&i| self.targets[i].as_slice())
            .unwrap_or(&[])
    }

    /// Number of keys in the automaton.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when the automaton has no keys.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Every hit in `text` (clean text), on word boundaries, from both the spaced stream and,
    /// where the text has hyphens inside words, the joined stream.
    pub fn hits(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let spaced = Stream::new(text);
        let whole = 0..spaced.text.len();
        self.scan(text, &spaced, std::slice::from_ref(&whole), &[], &mut out);
        if !spaced.junctions.is_empty() {
            // The joined stream is the spaced one less the spaces of its hyphens inside words
            // ("Mon-golia", "Mon- golia"); only hits across such a junction are new, and they
            // lie within the longest key of one.
            let (joined, at) = spaced.joined();
            let windows = joined.near_all(&at, self.longest);
            self.scan(text, &joined, &windows, &at, &mut out);
        }
        if !spaced.glued.is_empty() {
            // Words run together ("đồngBộ"): hits across the space put back between them.
            let (split, at) = spaced.split();
            let windows = split.near_all(&at, self.longest);
            self.scan(text, &split, &windows, &at, &mut out);
        }
        out.sort_by_key(|h| (h.range.start, h.range.end, h.target.entity, h.target.alias));
        out.dedup_by(|a, b| {
            a.range == b.range
                && a.target.entity == b.target.entity
                && a.target.alias == b.target.alias
        });
        out
    }

    /// The hits of the stretches `windows` of stream `s`; with `junctions` (in order), only
    /// those across one of them.
    fn scan(
        &self,
        text: &str,
        s: &Stream,
        windows: &[Range<usize>],
        junctions: &[usize],
        out: &mut Vec<Hit>,
    ) {
        for w in windows {
            for m in self.ac.find_overlapping_iter(&s.text[w.clone()]) {
                let (a, b) = (w.start + m.start(), w.start + m.end());
                if !junctions.is_empty() {
                    let k = junctions.partition_point(|&j| j <= a);
                    if junctions.get(k).is_none_or(|&j| j >= b) {
                        continue;
                    }
                }
                let before = s.text[..a].chars().next_back();
                let after = s.text[b..].chars().next();
                let mut range = s.start[a] as usize..s.end[b - 1] as usize;
                if before.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                let mut variant = 0;
                if after.is_some_and(char::is_alphanumeric) {
                    // A designation with its variant letters: "Su-30MK2", "МиГ-21МФ".
                    let ends_in_digit = s.text[..b].ends_with(|c: char| c.is_ascii_digit());
                    match variant_suffix(&text[range.end..]) {
                        Some(n) if ends_in_digit => variant = n,
                        _ => continue,
                    }
                    range.end += variant;
                }
                for &t in &self.targets[m.pattern().as_usize()] {
                    out.push(Hit {
                        range: range.clone(),
                        target: t,
                        variant,
                    });
                }
            }
        }
    }
}

/// The variant letters written onto a designation that ends in a digit ("MK2" of "Su-30MK2",
/// "МФ" of "МиГ-21МФ", "MD" of "Il-76MD"): a capital letter, then at most five more capitals
/// or digits, ending the word. Their length in bytes, or None.
fn variant_suffix(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_uppercase() {
        return None;
    }
    let mut n = 1;
    for (i, c) in chars {
        if c.is_uppercase() || c.is_ascii_digit() {
            n += 1;
            if n > 6 {
                return None;
            }
        } else if c.is_alphanumeric() {
            return None;
        } else {
            return Some(i);
        }
    }
    Some(rest.len())
}

/// After a hyphen that ends a word, the bytes of the break to skip when the word goes on
/// past it in lower case: "Mon- golia", "Mon-\ngolia" (a word hyphenated at the end of a
/// line, the line joined by text extraction). At most three spaces and one line break.
fn line_break_hyphen(after: &str) -> Option<usize> {
    let mut newlines = 0;
    for (i, c) in after.char_indices().take(4) {
        if c == '\n' {
            newlines += 1;
        } else if !c.is_whitespace() {
            return (i > 0 && newlines <= 1 && c.is_lowercase()).then_some(i);
        }
    }
    None
}

/// The chars below this have their folded form in [`FOLDED`].
const TABLE: usize = 0x2000;

/// The folded form of every char below [`TABLE`] (Latin with its diacritics, Vietnamese,
/// Cyrillic) when it is one char, else '\0': folding the text is a table look-up, not a
/// Unicode decomposition per char.
static FOLDED: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
    (0..TABLE as u32)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return '\0';
            };
            let mut f = String::new();
            crate::text::fold::fold_char_into(c, &mut f);
            let mut it = f.chars();
            match (it.next(), it.next()) {
                (Some(x), None) => x,
                _ => '\0',
            }
        })
        .collect()
});

/// The one-char folded form of `c`, from the table.
#[inline]
fn fast_fold(c: char) -> Option<char> {
    let u = c as usize;
    if u < 128 {
        return Some(c.to_ascii_lowercase());
    }
    let f = *FOLDED.get(u)?;
    (f != '\0').then_some(f)
}

/// How [`Stream::edited`] changes a stream at a point.
#[derive(Clone, Copy)]
enum Edit {
    Remove,
    InsertSpace,
}

/// The folded form of a text with, for each of its bytes, the clean range of its source char.
/// Separators (whitespace, dashes) collapse to one space.
struct Stream {
    text: String,
    start: Vec<u32>,
    end: Vec<u32>,
    /// The spaces that stand for a hyphen inside a word ("Mon-golia"), or for a hyphen that
    /// ends a line in the middle of a word ("Mon- golia", "Mon-\ngolia"): byte offsets in
    /// `text`, in order.
    junctions: Vec<usize>,
    /// Where a lowercase letter runs straight into a capital ("Hội đồngBộ trưởng": a space
    /// lost by text extraction): byte offsets in `text` of the capital, in order.
    glued: Vec<usize>,
}

impl Stream {
    fn new(clean: &str) -> Stream {
        let mut text = String::with_capacity(clean.len());
        let mut start = Vec::with_capacity(clean.len());
        let mut end = Vec::with_capacity(clean.len());
        let mut junctions = Vec::new();
        let mut glued = Vec::new();
        // The separators not yet written: their clean range, and whether they join a word.
        let mut pending: Option<(usize, usize, bool)> = None;
        let mut prev = ' ';
        let mut buf = String::new();
        for (i, c) in clean.char_indices() {
            let was = prev;
            prev = c;
            if is_sep(c) {
                if pending.is_none() {
                    let rest = &clean[i + c.len_utf8()..];
                    let junction = is_dash(c)
                        && was.is_alphanumeric()
                        && (rest.chars().next().is_some_and(char::is_alphanumeric)
                            || line_break_hyphen(rest).is_some());
                    pending = Some((i, i + c.len_utf8(), junction));
                }
                continue;
            }
            if let Some((ps, pe, junction)) = pending.take() {
                if junction {
                    junctions.push(text.len());
                }
                text.push(' ');
                start.push(ps as u32);
                end.push(pe as u32);
            }
            if was.is_lowercase() && c.is_uppercase() {
                glued.push(text.len());
            }
            let ce = i + c.len_utf8();
            let c = match c {
                '’' | '‘' | 'ʼ' | '`' => '\'',
                _ => c,
            };
            if let Some(f) = fast_fold(c) {
                for _ in 0..f.len_utf8() {
                    start.push(i as u32);
                    end.push(ce as u32);
                }
                text.push(f);
                continue;
            }
            buf.clear();
            crate::text::fold::fold_char_into(c, &mut buf);
            for _ in 0..buf.len() {
                start.push(i as u32);
                end.push(ce as u32);
            }
            text.push_str(&buf);
        }
        Stream {
            text,
            start,
            end,
            junctions,
            glued,
        }
    }

    /// The stream with the spaces of its junctions taken out, and where each junction now
    /// falls (the byte offset of the word's second part).
    fn joined(&self) -> (Stream, Vec<usize>) {
        self.edited(&self.junctions, Edit::Remove)
    }

    /// The stream with a space put back before each glued capital, and where each such
    /// space falls.
    fn split(&self) -> (Stream, Vec<usize>) {
        self.edited(&self.glued, Edit::InsertSpace)
    }

    /// The stream edited at each of the offsets `points` (in order): the byte there removed,
    /// or a space put before it (standing at that char's place). Returns where each edit
    /// falls in the new stream.
    fn edited(&self, points: &[usize], edit: Edit) -> (Stream, Vec<usize>) {
        let n = self.text.len() + points.len();
        let mut text = String::with_capacity(n);
        let mut start = Vec::with_capacity(n);
        let mut end = Vec::with_capacity(n);
        let mut at = Vec::with_capacity(points.len());
        let mut from = 0;
        for &p in points {
            text.push_str(&self.text[from..p]);
            start.extend_from_slice(&self.start[from..p]);
            end.extend_from_slice(&self.end[from..p]);
            at.push(text.len());
            match edit {
                Edit::Remove => from = p + 1, // a junction is one space
                Edit::InsertSpace => {
                    text.push(' ');
                    start.push(self.start[p]);
                    end.push(self.start[p]);
                    from = p;
                }
            }
        }
        text.push_str(&self.text[from..]);
        start.extend_from_slice(&self.start[from..]);
        end.extend_from_slice(&self.end[from..]);
        let s = Stream {
            text,
            start,
            end,
            junctions: Vec::new(),
            glued: Vec::new(),
        };
        (s, at)
    }

    /// The stretches within `by` bytes of the offsets `at` (in order), merged.
    fn near_all(&self, at: &[usize], by: usize) -> Vec<Range<usize>> {
        let mut windows: Vec<Range<usize>> = Vec::new();
        for &j in at {
            let w = self.near(j, by);
            match windows.last_mut() {
                Some(l) if w.start <= l.end => l.end = l.end.max(w.end),
                _ => windows.push(w),
            }
        }
        windows
    }

    /// The stretch within `by` bytes of offset `at`, widened to spaces (or the ends) by at
    /// most `by` bytes more (a text without spaces costs no more per point than one with).
    fn near(&self, at: usize, by: usize) -> Range<usize> {
        let b = self.text.as_bytes();
        let mut lo = at.saturating_sub(by);
        let floor = lo.saturating_sub(by);
        while lo > floor && b[lo - 1] != b' ' {
            lo -= 1;
        }
        let mut hi = (at + by).min(b.len());
        let ceiling = (hi + by).min(b.len());
        while hi < ceiling && b[hi] != b' ' {
            hi += 1;
        }
        while !self.text.is_char_boundary(lo) {
            lo -= 1;
        }
        while !self.text.is_char_boundary(hi) {
            hi += 1;
        }
        lo..hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hits of scanning the whole joined stream, every hit kept (what `hits` narrows).
    fn hits_everywhere(m: &Matcher, text: &str) -> Vec<(Range<usize>, u32, u32)> {
        let mut out = Vec::new();
        let spaced = Stream::new(text);
        let whole = 0..spaced.text.len();
        m.scan(text, &spaced, std::slice::from_ref(&whole), &[], &mut out);
        let (joined, _) = spaced.joined();
        let whole = 0..joined.text.len();
        m.scan(text, &joined, std::slice::from_ref(&whole), &[], &mut out);
        // Words run together count only across the space put back.
        let (split, at) = spaced.split();
        let whole = 0..split.text.len();
        m.scan(text, &split, std::slice::from_ref(&whole), &at, &mut out);
        let mut v: Vec<_> = out
            .into_iter()
            .map(|h| (h.range, h.target.entity, h.target.alias))
            .collect();
        v.sort_by_key(|x| (x.0.start, x.0.end, x.1, x.2));
        v.dedup();
        v
    }

    fn hits_narrowed(m: &Matcher, text: &str) -> Vec<(Range<usize>, u32, u32)> {
        m.hits(text)
            .into_iter()
            .map(|h| (h.range, h.target.entity, h.target.alias))
            .collect()
    }

    /// Scanning the joined stream only near its junctions finds what scanning all of it
    /// finds: on every paragraph of both development sets, and on hyphenated names written
    /// for the test.
    #[test]
    fn joined_scan_near_junctions_finds_what_a_whole_scan_finds() {
        let g = Gazetteer::load_builtin().expect("the built-in gazetteer loads");
        let m = Matcher::build(&g);
        let mut texts: Vec<String> = vec![
            "The Mon- golia delegation met the Soviet Uni-\non leaders.".into(),
            "Đoàn đại biểu Liên bang Cộng hòa Xã hội chủ nghĩa Xô-viết đến Mát-xcơ-va.".into(),
            "Делегация Мон-\nголии прибыла в Моск- ву; Хо Ши Мин - в Ханое.".into(),
            "Viet-nam and the Democratic Republic of Viet- nam; Ho Chi Minh-City.".into(),
            "Hội đồngBộ trưởng Liên Xô và Chính phủViệt Nam; McDonald, MiG-21.".into(),
        ];
        let mut files = Vec::new();
        for dir in ["../shared/corpus", "../shared/eval/unseen/docs"] {
            if let Ok(rd) = std::fs::read_dir(dir) {
                files.extend(rd.flatten().map(|e| e.path()));
            }
        }
        assert!(
            files.len() >= 5,
            "the development sets are beside the repository"
        );
        for f in files {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            texts.extend(text.split("\n\n").map(str::to_string));
        }
        let mut junctions = 0;
        for t in &texts {
            junctions += Stream::new(t).junctions.len();
            assert_eq!(hits_narrowed(&m, t), hits_everywhere(&m, t), "{t:.200}");
        }
        assert!(junctions > 100, "{junctions} junctions");
    }
}
