//! Context: the words around a hit that let a guarded alias, a bare given name or a surname
//! count (titles, initials, trigger words, a linked country: "Việt – Nga", "Pháp, Nga, Nhật"),
//! and the ones that veto it (a personal-name marker: "chị Nga", "Nguyễn Thị Nga").

use crate::knowledge::gazetteer::Context;

/// The start of initials ("L.I. ", "J.J.", "A.N.") right before `start`, if any.
pub fn initials_before(text: &str, start: usize) -> Option<usize> {
    let mut pos = start;
    let mut found = None;
    for _ in 0..3 {
        let s = &text[..pos];
        let s = s.strip_suffix(' ').unwrap_or(s);
        let Some(s) = s.strip_suffix('.') else { break };
        let Some(c) = s.chars().next_back() else {
            break;
        };
        if !c.is_uppercase() {
            break;
        }
        let cpos = s.len() - c.len_utf8();
        if text[..cpos]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            break;
        }
        pos = cpos;
        found = Some(pos);
    }
    found
}

/// True when `phrase` ends `s` on a word boundary.
fn ends_with_word(s: &str, phrase: &str) -> bool {
    s.strip_suffix(phrase).is_some_and(|rest| {
        !rest.chars().next_back().is_some_and(char::is_alphanumeric) && !phrase.is_empty()
    })
}

/// True when `phrase` starts `s` on a word boundary.
fn starts_with_word(s: &str, phrase: &str) -> bool {
    s.strip_prefix(phrase).is_some_and(|rest| {
        !rest.chars().next().is_some_and(char::is_alphanumeric) && !phrase.is_empty()
    })
}

/// A title (from the context data) right before `start`.
pub fn title_before(ctx: &Context, text: &str, start: usize) -> bool {
    let s = text[..start].trim_end();
    ctx.titles.iter().any(|t| ends_with_word(s, t))
}

/// A trigger word right before or right after the hit.
pub fn trigger(ctx: &Context, text: &str, start: usize, end: usize) -> bool {
    let b = text[..start].trim_end();
    let a = text[end..].trim_start();
    ctx.before.iter().any(|t| ends_with_word(b, t))
        || ctx.after.iter().any(|t| starts_with_word(a, t))
}

/// True when the text between two hits is a link ("–", ",", "và", "/").
pub fn linked(ctx: &Context, between: &str) -> bool {
    let b = between.trim();
    ctx.links.iter().any(|l| l == b)
}

/// The word right before `start` (trailing punctuation kept) and whether it starts a
/// sentence.
fn prev_word(text: &str, start: usize) -> Option<(&str, usize)> {
    let s = text[..start].trim_end();
    if s.len() == start {
        return None;
    }
    // A word is short: a run of more than MAX_WORD bytes without a space is no word, and
    // scanning it for every hit would be quadratic.
    let mut n = 0;
    let mut ws = 0;
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            ws = i + c.len_utf8();
            break;
        }
        n += c.len_utf8();
        if n > MAX_WORD {
            return None;
        }
    }
    Some((&s[ws..], ws))
}

/// The longest word looked at around a hit, in bytes.
const MAX_WORD: usize = 256;

fn next_word(text: &str, end: usize) -> Option<(&str, usize)> {
    let s = &text[end..];
    let t = s.trim_start();
    if t.len() == s.len() {
        return None;
    }
    let off = end + (s.len() - t.len());
    let head = &t[..t.floor_char_boundary(MAX_WORD + 1)];
    let we = match head.find(char::is_whitespace) {
        Some(we) => we,
        None if head.len() == t.len() => t.len(),
        None => return None,
    };
    Some((&t[..we], off))
}

fn capitalized_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().last().is_some_and(char::is_alphabetic)
}

/// A personal-name veto around a guarded hit: a personal marker before it, or a capitalized
/// word joined to it that no other hit explains (a name run: "Nguyễn Thị Nga", "Nga Sơn").
/// `covered(pos)` tells whether a byte is inside another hit.
pub fn vetoed(
    ctx: &Context,
    text: &str,
    start: usize,
    end: usize,
    covered: &dyn Fn(usize) -> bool,
) -> bool {
    if let Some((w, pos)) = prev_word(text, start) {
        if ctx.personal.iter().any(|p| p == w) || ctx.language.iter().any(|p| p == w) {
            return true;
        }
        if capitalized_word(w) && !covered(pos) {
            // A capitalized word starting a sentence is no evidence of a name run.
            let before = text[..pos].trim_end();
            let sentence_start =
                before.is_empty() || before.ends_with(['.', '!', '?', ':', '(', '"', '“']);
            if !sentence_start {
                return true;
            }
        }
    }
    if let Some((w, pos)) = next_word(text, end)
        && capitalized_word(w)
        && !covered(pos)
    {
        return true;
    }
    // A name run with no space between ("Nga-Sơn") is not a link.
    false
}

/// A one-syllable Vietnamese name ("Pháp", "Mỹ", "Lào") followed by a word that makes it part
/// of a common compound ("Pháp luật") or of a longer proper name ("Lào Cai", "Mỹ Tho").
pub fn syllable_vetoed(
    ctx: &Context,
    text: &str,
    start: usize,
    end: usize,
    covered: &dyn Fn(usize) -> bool,
) -> bool {
    if let Some((w, pos)) = next_word(text, end)
        && pos == end + 1
    {
        if ctx.compounds.iter().any(|c| c == w) {
            return true;
        }
        if capitalized_word(w) && !covered(pos) {
            return true;
        }
    }
    if let Some((w, pos)) = prev_word(text, start)
        && pos + w.len() + 1 == start
        && capitalized_word(w)
        && !covered(pos)
    {
        let before = text[..pos].trim_end();
        let sentence_start =
            before.is_empty() || before.ends_with(['.', '!', '?', ':', '(', '"', '“']);
        return !sentence_start;
    }
    false
}

/// A year written right after a name, as in a citation ("Zhukov, 2015", "Жуков (2015)",
/// "Zhukov 2015:"): its value.
pub fn year_after(text: &str, end: usize) -> Option<i32> {
    let rest = &text[end..];
    let rest = &rest[..rest.floor_char_boundary(12)];
    let t = rest.trim_start_matches([' ', ',', '(', '[', '\u{a0}']);
    if t.len() == rest.len() {
        return None;
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let after = t[digits.len()..].chars().next();
    (digits.len() == 4 && !after.is_some_and(char::is_alphanumeric))
        .then(|| digits.parse().ok())
        .flatten()
}

/// True when a capitalized word (a given name written out) ends right before `start`
/// ("Aleksei N. Kosygin": the initial "N." is the patronymic's).
pub fn given_name_before(text: &str, start: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().filter(|c| c.is_alphabetic()).count() > 1
            && w.chars().all(char::is_alphabetic)
    })
}

/// The word right after `end` (after one space), its trailing punctuation left out.
pub fn word_after(text: &str, end: usize) -> Option<&str> {
    next_word(text, end)
        .filter(|(_, pos)| *pos == end + 1)
        .map(|(w, _)| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
}
