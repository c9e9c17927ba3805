//! Text from sources and file systems, made safe to print on a terminal.

use std::borrow::Cow;

/// `s` with every control character (ESC, carriage return, a line break inside a name…)
/// and every bidirectional override written as a visible escape (`\u{1b}`), so that a file
/// name or a source's text cannot move the cursor, recolour the terminal or reorder what
/// is printed after it. Text without such characters is returned as it is.
///
/// ```
/// use annals::terminal::printable;
/// assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
/// assert_eq!(printable("Hà Nội"), "Hà Nội");
/// ```
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
