//! HTML to text, with an exact map from every output byte back to the source bytes.
//!
//! This is a small, tolerant tokenizer written for annals rather than a full HTML5 parser:
//! the mature parsers (html5ever and the crates built on it) build a DOM but do not report
//! the source offsets of the text they produce, and annals needs every character of the
//! text to point at the bytes it was made from. The tokenizer follows the HTML5 tokenizer
//! where it matters for text (tags, attributes with quoted `>`, comments, raw-text elements,
//! character references) and does not build a tree: there is no element stack, no
//! recursion, and every byte of the input is looked at a bounded number of times, so the
//! running time is linear in the input whatever its shape (100 000 nested `<div>`s, a 10 MB
//! attribute, an unterminated comment, a lone `<`).
//!
//! What the text contains:
//!
//! * Tags are stripped; attribute values never reach the text.
//! * The content of `script`, `style`, `noscript`, `textarea`, `iframe`, `noembed` and
//!   `noframes` (raw text up to the matching close tag, found case-insensitively) and of
//!   `template`, `svg`, `math`, `object` and `applet` (everything up to the matching close
//!   tag, counting nesting) is dropped. A missing close tag drops everything to the end of
//!   the input. `<svg/>`-style self-closed containers have no content.
//! * Comments, doctypes, `<![CDATA[...]]>` sections, processing instructions (`<?...>`) and
//!   other bogus comments are dropped; an unterminated one runs to the end of the input.
//! * Block-level elements (`p`, `div`, `h1`-`h6`, `li`, `td`, `tr`, `table`, `title`, ...)
//!   start and end paragraphs: their tags become `"\n\n"`; `<br>` becomes `"\n"`. The text
//!   never starts or ends with ASCII whitespace, has none before a line break, and never
//!   holds more than one blank line in a row. Each inserted line break stands for the
//!   source bytes of the tag that caused it (a `<br>` followed by `<p>` gives one `"\n"`
//!   for each tag).
//! * Table cells and list items are paragraphs of their own: old sites lay whole pages out
//!   in tables, and a cell rarely continues the sentence of its neighbour.
//! * ASCII whitespace runs collapse to one space, which stands for the whole run (a lone
//!   `" "` is copied verbatim). Inside `<pre>` and `<listing>` whitespace is kept (spaces
//!   and tabs verbatim, `\r\n` and `\r` as `\n`), except that blank lines are capped at one,
//!   trailing whitespace before a line break is dropped, the newline right after `<pre>`
//!   is skipped as in HTML, and indentation at the very start of the text is dropped.
//!   `<xmp>` and `<plaintext>` content is shown literally the same way.
//! * Character references are decoded: all HTML5 named references ending in `;` (through
//!   `html-escape`), the 106 legacy ones that may omit it (`&copy`, `&nbsp`, ...), decimal and
//!   hex numeric ones (with HTML's Windows-1252 mapping for `&#128;`-`&#159;`). A reference that
//!   is unknown or names no valid character (`&bogus;`, `&#0;`, `&#xD800;`) is left as
//!   written. A decoded reference stands for its whole source text (`&amp;` for `&`).
//!   `&nbsp;` becomes U+00A0 and is not collapsed; a reference to ASCII whitespace
//!   (`&#10;`) is treated as whitespace. (`html-escape`'s table keeps only the first code
//!   point of the few dozen mathematical entities that HTML5 defines as two, such as
//!   `&NotEqualTilde;`.)
//! * NUL bytes in text are dropped.
//! * The first `<title>`'s text (entities decoded, whitespace collapsed) is returned as
//!   [`HtmlText::title`]; the title is also the first paragraph of the text, so that it has
//!   source offsets.
//!
//! Guarantee: every output byte is either a copy of an input byte (with that byte's
//! provenance) or a replacement standing for a range of input bytes, and the output's
//! source ranges are in input order; so for every char-aligned range `r` of the output,
//! `text.source_range(r)` lies inside the input's source range, and where the output is a
//! verbatim copy it is exactly the bytes it was copied from.
//!
//! Limitations: no tree building, so implied end tags, misnested formatting elements and
//! the adoption agency algorithm have no effect (they do not change the text much); the
//! "script data escaped" states (`<!--<script>` inside a script) are not modelled; CSS is
//! not applied (`display:none` text is kept, inline elements styled as blocks are not
//! broken); `<img alt>` text is not included.

use std::ops::Range;

use crate::text::mapped::{MappedText, MappedTextBuilder};

/// The readable text of an HTML document, with its title if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlText {
    /// The text, mapped to the source bytes of the input it was made from.
    pub text: MappedText,
    /// The text of the first `<title>` element (entities decoded, whitespace collapsed,
    /// trimmed); `None` when there is none or it is blank.
    pub title: Option<String>,
}

/// Strips tags, drops scripts and styles, decodes entities; block elements become
/// paragraph breaks (`"\n\n"`), `<br>` a line break. Linear time, no recursion, never
/// panics. See the module documentation for the exact rules and guarantees.
pub fn html_to_text(input: &MappedText) -> HtmlText {
    Converter {
        src: input.as_str(),
        w: Writer::new(input),
        pre_depth: 0,
        dropping: None,
        title: None,
    }
    .run()
}

/// How an element affects the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No effect (unknown elements included).
    Inline,
    /// Its start and end tags are paragraph breaks.
    Block,
    /// A block whose content keeps its whitespace (`pre`, `listing`).
    Pre,
    /// `br`: a line break.
    LineBreak,
    /// `title`: escapable raw text, shown as a paragraph and returned as the title.
    Title,
    /// Raw text whose content is dropped (`script`, `style`, ...).
    RawDrop,
    /// Raw text shown literally, whitespace kept (`xmp`).
    RawShow,
    /// Everything after the start tag is literal text (`plaintext`).
    Plaintext,
    /// Normal markup whose content is dropped, up to the matching close tag (`svg`, ...).
    Container,
}

/// The kind of an element, by its lowercase name.
fn kind_of(name: &[u8]) -> Kind {
    match name {
        b"br" => Kind::LineBreak,
        b"pre" | b"listing" => Kind::Pre,
        b"title" => Kind::Title,
        b"script" | b"style" | b"noscript" | b"textarea" | b"iframe" | b"noembed" | b"noframes" => {
            Kind::RawDrop
        }
        b"xmp" => Kind::RawShow,
        b"plaintext" => Kind::Plaintext,
        b"template" | b"svg" | b"math" | b"object" | b"applet" => Kind::Container,
        b"address" | b"article" | b"aside" | b"blockquote" | b"body" | b"caption" | b"center"
        | b"dd" | b"details" | b"dialog" | b"dir" | b"div" | b"dl" | b"dt" | b"fieldset"
        | b"figcaption" | b"figure" | b"footer" | b"form" | b"frameset" | b"h1" | b"h2" | b"h3"
        | b"h4" | b"h5" | b"h6" | b"head" | b"header" | b"hgroup" | b"hr" | b"html" | b"legend"
        | b"li" | b"main" | b"menu" | b"nav" | b"ol" | b"optgroup" | b"option" | b"p"
        | b"search" | b"section" | b"summary" | b"table" | b"tbody" | b"td" | b"tfoot" | b"th"
        | b"thead" | b"tr" | b"ul" => Kind::Block,
        _ => Kind::Inline,
    }
}

/// The longest element name [`TagName`] keeps; longer names are unknown elements.
const MAX_NAME: usize = 12;

/// A tag name, ASCII-lowercased (only names of at most [`MAX_NAME`] bytes are kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TagName {
    buf: [u8; MAX_NAME],
    len: u8,
}

impl TagName {
    /// The lowercased name, or `None` when it is too long to be a known element.
    fn new(raw: &[u8]) -> Option<TagName> {
        if raw.len() > MAX_NAME {
            return None;
        }
        let mut buf = [0u8; MAX_NAME];
        for (d, s) in buf.iter_mut().zip(raw) {
            *d = s.to_ascii_lowercase();
        }
        Some(TagName {
            buf,
            len: raw.len() as u8,
        })
    }

    /// The lowercase name.
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
}

/// A start or end tag as found in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tag {
    /// Offset of the `<`.
    start: usize,
    /// Offset just after the `>` (or the input length when the tag runs to the end).
    end: usize,
    /// The name, when short enough to be a known element.
    name: Option<TagName>,
    /// True for `</name ...>`.
    is_end: bool,
    /// True when the tag ends with `/>`.
    self_closing: bool,
}

/// What a `<` in text starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// Nothing: the `<` is text (`a < b`, `<3`, `<` at the end).
    Text,
    /// Something dropped (comment, doctype, CDATA, processing instruction, `</>`); the
    /// offset where text resumes.
    Skip(usize),
    /// A tag.
    Tag(Tag),
}

/// True for HTML's ASCII whitespace.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// Offset of the first `x` at or after `from`.
fn find_byte(b: &[u8], from: usize, x: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == x)
        .map(|k| from + k)
}

/// Offset just after the first `x` at or after `from`, or the input length.
fn skip_past(b: &[u8], from: usize, x: u8) -> usize {
    find_byte(b, from, x).map_or(b.len(), |k| k + 1)
}

/// Offset just after the first occurrence of `pat` at or after `from`, or the input length.
/// Linear: each candidate position costs at most `pat.len()` comparisons.
fn skip_past_seq(b: &[u8], from: usize, pat: &[u8]) -> usize {
    let mut i = from;
    while let Some(k) = find_byte(b, i, pat[0]) {
        if b[k..].starts_with(pat) {
            return k + pat.len();
        }
        i = k + 1;
    }
    b.len()
}

/// End of a comment whose `<!--` ends at `from`: after `-->` or `--!>` (or at once for
/// `<!-->` and `<!--->`), or the input length when it is unterminated.
fn comment_end(b: &[u8], from: usize) -> usize {
    let rest = &b[from.min(b.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(k) = find_byte(b, i, b'-') {
        if b[k..].starts_with(b"-->") {
            return k + 3;
        }
        if b[k..].starts_with(b"--!>") {
            return k + 4;
        }
        i = k + 1;
    }
    b.len()
}

/// Classifies the `<` at `pos`, following the HTML5 tokenizer's data state.
fn markup_at(b: &[u8], pos: usize) -> Markup {
    match b.get(pos + 1) {
        Some(c) if c.is_ascii_alphabetic() => Markup::Tag(parse_tag(b, pos)),
        Some(b'/') => match b.get(pos + 2) {
            Some(c) if c.is_ascii_alphabetic() => Markup::Tag(parse_tag(b, pos)),
            Some(b'>') => Markup::Skip(pos + 3),
            Some(_) => Markup::Skip(skip_past(b, pos + 2, b'>')),
            None => Markup::Text,
        },
        Some(b'!') => {
            let rest = &b[pos..];
            if rest.starts_with(b"<!--") {
                Markup::Skip(comment_end(b, pos + 4))
            } else if rest.starts_with(b"<![CDATA[") {
                Markup::Skip(skip_past_seq(b, pos + 9, b"]]>"))
            } else {
                Markup::Skip(skip_past(b, pos + 2, b'>'))
            }
        }
        Some(b'?') => Markup::Skip(skip_past(b, pos + 2, b'>')),
        _ => Markup::Text,
    }
}

/// Parses the tag whose `<` is at `pos` (followed by a letter or `/` and a letter), skipping
/// its attributes as the HTML5 tokenizer does: quoted values may hold `>`; a tag cut off
/// by the end of the input ends there. Each byte is looked at once.
fn parse_tag(b: &[u8], pos: usize) -> Tag {
    let len = b.len();
    let mut i = pos + 1;
    let is_end = b.get(i) == Some(&b'/');
    if is_end {
        i += 1;
    }
    let name_start = i;
    while i < len && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = TagName::new(&b[name_start..i]);
    let tag = |end: usize, self_closing: bool| Tag {
        start: pos,
        end,
        name,
        is_end,
        self_closing,
    };
    loop {
        while i < len && is_ws(b[i]) {
            i += 1;
        }
        if i >= len {
            return tag(len, false);
        }
        match b[i] {
            b'>' => return tag(i + 1, false),
            b'/' => {
                i += 1;
                if b.get(i) == Some(&b'>') {
                    return tag(i + 1, true);
                }
            }
            _ => {
                // Attribute name (its first byte may be anything, even '=').
                i += 1;
                while i < len && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                    i += 1;
                }
                while i < len && is_ws(b[i]) {
                    i += 1;
                }
                if b.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < len && is_ws(b[i]) {
                    i += 1;
                }
                match b.get(i) {
                    None => return tag(len, false),
                    Some(&q @ (b'"' | b'\'')) => match find_byte(b, i + 1, q) {
                        Some(k) => i = k + 1,
                        None => return tag(len, false),
                    },
                    Some(b'>') => return tag(i + 1, false),
                    Some(_) => {
                        while i < len && !is_ws(b[i]) && b[i] != b'>' {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
}

/// Finds the end of a raw-text element's content starting at `from`: the first `</name`
/// (ASCII case-insensitive) followed by whitespace, `/` or `>`. Returns the content end
/// and the offset after that end tag; `(len, len)` when there is none.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> (usize, usize) {
    let n = name.len();
    let mut i = from;
    while let Some(lt) = find_byte(b, i, b'<') {
        let after = lt + 2 + n;
        if b.get(lt + 1) == Some(&b'/')
            && after < b.len()
            && b[lt + 2..after].eq_ignore_ascii_case(name)
            && (is_ws(b[after]) || b[after] == b'/' || b[after] == b'>')
        {
            return (lt, parse_tag(b, lt).end);
        }
        i = lt + 1;
    }
    (b.len(), b.len())
}

/// Skips one line break (`\n`, `\r\n` or `\r`) at `i`, as HTML does after `<pre>`.
fn skip_newline(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'\n') => i + 1,
        Some(b'\r') if b.get(i + 1) == Some(&b'\n') => i + 2,
        Some(b'\r') => i + 1,
        _ => i,
    }
}

/// The named references HTML5 also recognises without a trailing `;` (sorted bytewise).
const LEGACY_ENTITIES: [&str; 106] = [
    "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil",
    "ETH", "Eacute", "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT",
    "Ntilde", "Oacute", "Ocirc", "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN",
    "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute", "aacute", "acirc", "acute", "aelig", "agrave",
    "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil", "cent", "copy", "curren", "deg",
    "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14", "frac34", "gt",
    "iacute", "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
    "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash",
    "otilde", "ouml", "para", "plusmn", "pound", "quot", "raquo", "reg", "sect", "shy", "sup1",
    "sup2", "sup3", "szlig", "thorn", "times", "uacute", "ucirc", "ugrave", "uml", "uuml",
    "yacute", "yen", "yuml",
];

/// Longest name in [`LEGACY_ENTITIES`].
const MAX_LEGACY: usize = 6;

/// Longest HTML5 entity name (`CounterClockwiseContourIntegral`) plus slack.
const MAX_ENTITY_NAME: usize = 40;

/// What HTML makes of `&#128;`-`&#159;`: the Windows-1252 characters (`None`: kept as is).
const C1_REPLACEMENTS: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The character a numeric reference names, or `None` when it is invalid (zero, a
/// surrogate, beyond U+10FFFF, a C0 control other than whitespace).
fn numeric_char(v: u32) -> Option<char> {
    match v {
        0 => None,
        0x01..=0x1F if !matches!(v, 0x09 | 0x0A | 0x0C | 0x0D) => None,
        0x80..=0x9F => C1_REPLACEMENTS[(v - 0x80) as usize].or_else(|| char::from_u32(v)),
        _ => char::from_u32(v),
    }
}

/// Decodes the character reference whose `&` is at `i` (not looking at or past `end`).
/// Returns the decoded text and the length of the reference in bytes, or `None` when there
/// is no valid reference there (the `&` is then plain text). Bounded work except for
/// the digits of a numeric reference, which are consumed.
fn char_ref(s: &str, i: usize, end: usize) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut j = i + 1;
    if j >= end {
        return None;
    }
    if b[j] == b'#' {
        j += 1;
        let hex = j < end && (b[j] | 0x20) == b'x';
        if hex {
            j += 1;
        }
        let radix = if hex { 16 } else { 10 };
        let digits = j;
        let mut v: u32 = 0;
        while j < end {
            let Some(d) = (b[j] as char).to_digit(radix) else {
                break;
            };
            // Saturate just past the Unicode range so that long runs cannot overflow.
            v = (v * radix + d).min(0x11_0000);
            j += 1;
        }
        if j == digits {
            return None;
        }
        if j < end && b[j] == b';' {
            j += 1;
        }
        return numeric_char(v).map(|c| (c.to_string(), j - i));
    }
    let name_start = j;
    while j < end && b[j].is_ascii_alphanumeric() && j - name_start < MAX_ENTITY_NAME {
        j += 1;
    }
    if j == name_start {
        return None;
    }
    if j < end && b[j] == b';' {
        let literal = &s[i..=j];
        let decoded = html_escape::decode_html_entities(literal);
        if decoded != literal {
            return Some((decoded.into_owned(), j + 1 - i));
        }
    }
    // HTML5 also decodes the longest legacy name that prefixes the run ("&copy2024").
    let name = &s[name_start..j];
    for n in (2..=MAX_LEGACY.min(name.len())).rev() {
        let prefix = &name[..n];
        if LEGACY_ENTITIES.binary_search(&prefix).is_ok() {
            let decoded = html_escape::decode_html_entities(&format!("&{prefix};")).into_owned();
            return Some((decoded, n + 1));
        }
    }
    None
}

/// The title's text: references decoded, NULs dropped, whitespace collapsed and trimmed.
fn title_text(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut raw = String::with_capacity(s.len());
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'&' => {
                if let Some((dec, n)) = char_ref(s, i, b.len()) {
                    raw.push_str(&s[run..i]);
                    raw.push_str(&dec);
                    i += n;
                    run = i;
                } else {
                    i += 1;
                }
            }
            0 => {
                raw.push_str(&s[run..i]);
                i += 1;
                run = i;
            }
            _ => i += 1,
        }
    }
    raw.push_str(&s[run..]);
    let title = raw.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// A piece of whitespace waiting to be written: `emit` is `None` for a verbatim copy of
/// `range`, or the text that replaces it.
#[derive(Debug, Clone)]
struct Pending {
    range: Range<usize>,
    emit: Option<&'static str>,
}

/// Builds the output text, deferring whitespace and line breaks until text follows so that
/// the output never starts or ends with whitespace, never has whitespace before a line
/// break (nor, outside `<pre>`, after one), and never has more than two line breaks in a row.
/// Every pushed piece is a copy of input text or a replacement standing for an input range,
/// pushed in input order.
struct Writer<'a> {
    input: &'a MappedText,
    out: MappedTextBuilder,
    /// Line breaks to write before the next text (at most two).
    newlines: Vec<Pending>,
    /// Spaces to write before the next text (after the line breaks).
    spaces: Vec<Pending>,
}

impl<'a> Writer<'a> {
    /// A writer for text made from `input`.
    fn new(input: &'a MappedText) -> Self {
        Writer {
            input,
            out: MappedTextBuilder::with_capacity(input.len() / 2),
            newlines: Vec::with_capacity(2),
            spaces: Vec::new(),
        }
    }

    /// Writes one pending piece.
    fn emit(out: &mut MappedTextBuilder, input: &MappedText, p: Pending) {
        match p.emit {
            None => out.push_copy(input, p.range),
            Some(s) => out.push_replacement(s, input, p.range),
        }
    }

    /// Writes the pending line breaks and spaces (text is about to follow).
    fn flush(&mut self) {
        for p in self.newlines.drain(..).chain(self.spaces.drain(..)) {
            Self::emit(&mut self.out, self.input, p);
        }
    }

    /// Copies the input text `range` (which holds no whitespace).
    fn copy(&mut self, range: Range<usize>) {
        if range.start < range.end {
            self.flush();
            self.out.push_copy(self.input, range);
        }
    }

    /// A collapsible whitespace run (or reference to whitespace) at `range`.
    fn space(&mut self, range: Range<usize>) {
        if self.out.is_empty() || !self.newlines.is_empty() || !self.spaces.is_empty() {
            return;
        }
        let emit = (&self.input.as_str()[range.clone()] != " ").then_some(" ");
        self.spaces.push(Pending { range, emit });
    }

    /// Preserved (`<pre>`) spaces or tabs at `range`.
    fn preserved_space(&mut self, p: Pending) {
        if !self.out.is_empty() {
            self.spaces.push(p);
        }
    }

    /// One line break (`<br>`, a newline inside `<pre>`).
    fn newline(&mut self, p: Pending) {
        self.spaces.clear();
        if !self.out.is_empty() && self.newlines.len() < 2 {
            self.newlines.push(p);
        }
    }

    /// A paragraph break standing for the tag at `range`.
    fn paragraph(&mut self, range: Range<usize>) {
        self.spaces.clear();
        if self.out.is_empty() {
            return;
        }
        while self.newlines.len() < 2 {
            self.newlines.push(Pending {
                range: range.clone(),
                emit: Some("\n"),
            });
        }
    }

    /// A whitespace run of the input at `range`, collapsed or (in `pre`) kept.
    fn whitespace(&mut self, range: Range<usize>, pre: bool) {
        if !pre {
            self.space(range);
            return;
        }
        let b = self.input.as_str().as_bytes();
        let mut i = range.start;
        while i < range.end {
            match b[i] {
                b'\n' => {
                    self.newline(Pending {
                        range: i..i + 1,
                        emit: None,
                    });
                    i += 1;
                }
                b'\r' => {
                    let n = if b.get(i + 1) == Some(&b'\n') && i + 1 < range.end {
                        2
                    } else {
                        1
                    };
                    self.newline(Pending {
                        range: i..i + n,
                        emit: Some("\n"),
                    });
                    i += n;
                }
                _ => {
                    let start = i;
                    while i < range.end && !matches!(b[i], b'\n' | b'\r') {
                        i += 1;
                    }
                    self.preserved_space(Pending {
                        range: start..i,
                        emit: None,
                    });
                }
            }
        }
    }

    /// A decoded character reference `dec` standing for `range`.
    fn decoded(&mut self, dec: &str, range: Range<usize>, pre: bool) {
        let ws: Option<&'static str> = match dec {
            " " => Some(" "),
            "\t" => Some("\t"),
            "\x0C" => Some("\x0C"),
            "\n" | "\r" => Some("\n"),
            _ => None,
        };
        match ws {
            None => {
                self.flush();
                self.out.push_replacement(dec, self.input, range);
            }
            Some(_) if !pre => self.space(range),
            Some("\n") => self.newline(Pending {
                range,
                emit: Some("\n"),
            }),
            Some(s) => self.preserved_space(Pending {
                range,
                emit: Some(s),
            }),
        }
    }

    /// Text content at `range`: copied, with whitespace collapsed (or kept in `pre`),
    /// character references decoded when `entities`, NULs dropped.
    fn text(&mut self, range: Range<usize>, entities: bool, pre: bool) {
        let s = self.input.as_str();
        let b = s.as_bytes();
        let end = range.end;
        let (mut i, mut run) = (range.start, range.start);
        while i < end {
            let c = b[i];
            if is_ws(c) {
                self.copy(run..i);
                let ws_start = i;
                while i < end && is_ws(b[i]) {
                    i += 1;
                }
                self.whitespace(ws_start..i, pre);
                run = i;
            } else if c == b'&' && entities {
                match char_ref(s, i, end) {
                    Some((dec, n)) => {
                        self.copy(run..i);
                        self.decoded(&dec, i..i + n, pre);
                        i += n;
                        run = i;
                    }
                    None => i += 1,
                }
            } else if c == 0 {
                self.copy(run..i);
                i += 1;
                run = i;
            } else {
                i += 1;
            }
        }
        self.copy(run..end);
    }

    /// The finished text (pending whitespace is dropped).
    fn finish(self) -> MappedText {
        self.out.finish()
    }
}

/// A container element whose content is being dropped, and how deeply it is nested.
#[derive(Debug, Clone, Copy)]
struct Dropping {
    name: TagName,
    depth: u32,
}

/// The conversion state: a single pass over the input.
struct Converter<'a> {
    /// The input text.
    src: &'a str,
    /// The output being built.
    w: Writer<'a>,
    /// Number of open `<pre>`/`<listing>` elements.
    pre_depth: u32,
    /// The container being dropped, if any.
    dropping: Option<Dropping>,
    /// The first title found.
    title: Option<String>,
}

impl Converter<'_> {
    /// Converts the whole input: text runs between markup go to the writer (unless a
    /// container is being dropped), markup is skipped or handled by [`Converter::tag`].
    fn run(mut self) -> HtmlText {
        let b = self.src.as_bytes();
        let len = b.len();
        let mut pos = 0;
        while pos < len {
            // The text runs up to the next '<' that starts markup.
            let mut i = pos;
            let markup = loop {
                match find_byte(b, i, b'<') {
                    None => break None,
                    Some(lt) => match markup_at(b, lt) {
                        Markup::Text => i = lt + 1,
                        m => {
                            i = lt;
                            break Some(m);
                        }
                    },
                }
            };
            let text_end = if markup.is_some() { i } else { len };
            if self.dropping.is_none() && pos < text_end {
                self.w.text(pos..text_end, true, self.pre_depth > 0);
            }
            pos = match markup {
                None => len,
                Some(Markup::Skip(end)) => end,
                Some(Markup::Tag(tag)) => self.tag(tag),
                Some(Markup::Text) => unreachable!("text is not markup"),
            };
        }
        HtmlText {
            text: self.w.finish(),
            title: self.title,
        }
    }

    /// Handles a tag; returns the offset where scanning resumes.
    fn tag(&mut self, t: Tag) -> usize {
        let b = self.src.as_bytes();
        let kind = t.name.map_or(Kind::Inline, |n| kind_of(n.as_bytes()));
        let range = t.start..t.end;
        if let Some(d) = &mut self.dropping {
            let same = t.name == Some(d.name);
            if t.is_end {
                if same {
                    d.depth -= 1;
                    if d.depth == 0 {
                        self.dropping = None;
                    }
                }
                return t.end;
            }
            return match kind {
                Kind::RawDrop | Kind::RawShow | Kind::Title => {
                    raw_text_end(b, t.end, t.name.as_ref().map_or(&[][..], TagName::as_bytes)).1
                }
                Kind::Plaintext => b.len(),
                _ => {
                    if same && !t.self_closing {
                        d.depth = d.depth.saturating_add(1);
                    }
                    t.end
                }
            };
        }
        if t.is_end {
            match kind {
                Kind::LineBreak => self.w.newline(Pending {
                    range,
                    emit: Some("\n"),
                }),
                Kind::Block | Kind::Title | Kind::RawShow | Kind::Plaintext => {
                    self.w.paragraph(range)
                }
                Kind::Pre => {
                    self.w.paragraph(range);
                    self.pre_depth = self.pre_depth.saturating_sub(1);
                }
                Kind::Inline | Kind::RawDrop | Kind::Container => {}
            }
            return t.end;
        }
        let name = t.name.unwrap_or(TagName {
            buf: [0; MAX_NAME],
            len: 0,
        });
        match kind {
            Kind::Inline => t.end,
            Kind::LineBreak => {
                self.w.newline(Pending {
                    range,
                    emit: Some("\n"),
                });
                t.end
            }
            Kind::Block => {
                self.w.paragraph(range);
                t.end
            }
            Kind::Pre => {
                self.w.paragraph(range);
                self.pre_depth = self.pre_depth.saturating_add(1);
                skip_newline(b, t.end)
            }
            Kind::Title => {
                let (content_end, after) = raw_text_end(b, t.end, name.as_bytes());
                self.w.paragraph(range);
                self.w.text(t.end..content_end, true, false);
                if self.title.is_none() {
                    self.title = title_text(&self.src[t.end..content_end]);
                }
                self.w.paragraph(content_end..after);
                after
            }
            Kind::RawDrop => raw_text_end(b, t.end, name.as_bytes()).1,
            Kind::RawShow => {
                let (content_end, after) = raw_text_end(b, t.end, name.as_bytes());
                self.w.paragraph(range);
                self.w.text(t.end..content_end, false, true);
                self.w.paragraph(content_end..after);
                after
            }
            Kind::Plaintext => {
                self.w.paragraph(range);
                self.w.text(t.end..b.len(), false, true);
                b.len()
            }
            Kind::Container => {
                if !t.self_closing {
                    self.dropping = Some(Dropping { name, depth: 1 });
                }
                t.end
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(s: &str) -> HtmlText {
        html_to_text(&MappedText::verbatim(s, 0))
    }

    fn text(s: &str) -> String {
        conv(s).text.as_str().to_owned()
    }

    #[test]
    fn legacy_entities_sorted_and_known() {
        assert!(LEGACY_ENTITIES.windows(2).all(|w| w[0] < w[1]));
        assert!(LEGACY_ENTITIES.iter().all(|n| n.len() <= MAX_LEGACY));
        for n in LEGACY_ENTITIES {
            let lit = format!("&{n};");
            assert_ne!(html_escape::decode_html_entities(&lit), lit, "{n}");
        }
    }

    #[test]
    fn parse_tag_skips_attributes() {
        let s = br#"<a title="x>y" data-x='p>q' b=c/d e >rest"#;
        let t = parse_tag(s, 0);
        assert_eq!(&s[t.end..], b"rest");
        assert_eq!(t.name.unwrap().as_bytes(), b"a");
        assert!(!t.is_end && !t.self_closing);
        let t = parse_tag(b"<BR/>x", 0);
        assert_eq!((t.end, t.self_closing), (5, true));
        assert_eq!(t.name.unwrap().as_bytes(), b"br");
        let t = parse_tag(b"</DIV foo>x", 0);
        assert!(t.is_end);
        assert_eq!(t.end, 10);
        // Cut off by the end of the input, also inside a quoted value.
        assert_eq!(parse_tag(b"<a href=\"x>", 0).end, 11);
        assert_eq!(parse_tag(b"<a", 0).end, 2);
    }

    #[test]
    fn markup_classification() {
        assert_eq!(markup_at(b"< b", 0), Markup::Text);
        assert_eq!(markup_at(b"<3", 0), Markup::Text);
        assert_eq!(markup_at(b"<", 0), Markup::Text);
        assert_eq!(markup_at(b"</", 0), Markup::Text);
        assert_eq!(markup_at(b"</>x", 0), Markup::Skip(3));
        assert_eq!(markup_at(b"<!-- a -- b -->x", 0), Markup::Skip(15));
        assert_eq!(markup_at(b"<!-->x", 0), Markup::Skip(5));
        assert_eq!(markup_at(b"<!--->x", 0), Markup::Skip(6));
        assert_eq!(markup_at(b"<!-- a --!>x", 0), Markup::Skip(11));
        assert_eq!(markup_at(b"<!-- never", 0), Markup::Skip(10));
        assert_eq!(markup_at(b"<![CDATA[a>b]]>x", 0), Markup::Skip(15));
        assert_eq!(markup_at(b"<!DOCTYPE html>x", 0), Markup::Skip(15));
        assert_eq!(markup_at(b"<?xml v?>x", 0), Markup::Skip(9));
        assert_eq!(markup_at(b"</3 x>y", 0), Markup::Skip(6));
    }

    #[test]
    fn raw_text_end_is_case_insensitive() {
        let s = b"a</scriptx></SCRIPT >b";
        assert_eq!(raw_text_end(s, 0, b"script"), (11, 21));
        assert_eq!(raw_text_end(b"x</script", 0, b"script"), (9, 9));
    }

    #[test]
    fn char_refs() {
        let r = |s: &str| char_ref(s, 0, s.len());
        assert_eq!(r("&amp;x"), Some(("&".into(), 5)));
        assert_eq!(r("&#7871;"), Some(("ế".into(), 7)));
        assert_eq!(r("&#x1EBF;"), Some(("ế".into(), 8)));
        assert_eq!(r("&#X1ebf"), Some(("ế".into(), 7)));
        assert_eq!(r("&#150;"), Some(("\u{2013}".into(), 6)));
        assert_eq!(r("&#x81;"), Some(("\u{81}".into(), 6)));
        assert_eq!(r("&notin;"), Some(("\u{2209}".into(), 7)));
        assert_eq!(r("&notit;"), Some(("\u{AC}".into(), 4)));
        assert_eq!(r("&copy2024"), Some(("\u{A9}".into(), 5)));
        assert_eq!(
            r("&CounterClockwiseContourIntegral;").map(|d| d.1),
            Some(33)
        );
        assert_eq!(r("&Dagger;"), Some(("\u{2021}".into(), 8)));
        assert_eq!(r("&#0;"), None);
        assert_eq!(r("&#xD800;"), None);
        assert_eq!(r("&#99999999999999999999;"), None);
        assert_eq!(r("&#1;"), None);
        assert_eq!(r("&#;"), None);
        assert_eq!(r("&#x;"), None);
        assert_eq!(r("&bogus;"), None);
        assert_eq!(r("& b"), None);
        assert_eq!(r("&"), None);
        // `end` bounds the reference.
        assert_eq!(char_ref("&amp;", 0, 4), Some(("&".into(), 4)));
    }

    #[test]
    fn title_collapses() {
        assert_eq!(
            title_text("  Hồ  Chí\n Minh &amp; <b>\0 "),
            Some("Hồ Chí Minh & <b>".into())
        );
        assert_eq!(title_text(" &#32; "), None);
    }

    #[test]
    fn blocks_and_breaks() {
        assert_eq!(text("<p>a</p><p>b</p>"), "a\n\nb");
        assert_eq!(text("a<br>b<br/><br>c<br><br><br>d"), "a\nb\n\nc\n\nd");
        assert_eq!(text("<div><div> a <b>x</b> </div></div>"), "a x");
        assert_eq!(text("a <br> b"), "a\nb");
        assert_eq!(text("<h1>T</h1>body"), "T\n\nbody");
    }

    #[test]
    fn break_maps_to_tags() {
        let s = "a<br><p>b";
        let h = conv(s);
        assert_eq!(h.text.as_str(), "a\n\nb");
        assert_eq!(h.text.source_range(1..2), 1..5);
        assert_eq!(h.text.source_range(2..3), 5..8);
    }

    #[test]
    fn pre_keeps_lines() {
        let s = "x<pre>\n  a  \r\n\n\n\n  b\tc</pre>y";
        assert_eq!(text(s), "x\n\n  a\n\n  b\tc\n\ny");
        assert_eq!(text("<pre>a &#10; b</pre>"), "a\n b");
        assert_eq!(text("<xmp>a &amp;  <b></xmp>"), "a &amp;  <b>");
        assert_eq!(
            text("a<plaintext></plaintext>&amp;"),
            "a\n\n</plaintext>&amp;"
        );
    }

    #[test]
    fn containers_dropped() {
        assert_eq!(text("<svg><text>x</text><svg>y</svg>z</svg>w"), "w");
        assert_eq!(text("a<svg/>b"), "ab");
        assert_eq!(text("<template><template>a</template>b</template>c"), "c");
        assert_eq!(text("<object><p>fallback</p>"), "");
        assert_eq!(text("<svg><script>'</svg>'</script></svg>k"), "k");
    }

    #[test]
    fn title_is_text_and_field() {
        let h = conv("<html><head><title> A &amp;\n B </title><style>x</style></head><p>c");
        assert_eq!(h.title.as_deref(), Some("A & B"));
        assert_eq!(h.text.as_str(), "A & B\n\nc");
        assert_eq!(conv("<title>  </title>x").title, None);
        assert_eq!(conv("<svg><title>t</title></svg>x").title, None);
    }
}
