//! Finders for the shapes of reference that `xref` links: `[[id|text]]`, "paragraphs 19 to
//! 21 (a)", "norms (g) and (h)" and document symbols. Symbols are found with aho-corasick;
//! the others each with one hand-written pass over the text: linking reads every text of
//! the library, hundreds of megabytes at 10,000 pages, where regular expressions with
//! captures were the slowest part of a build.
//!
//! The grammar is that of the patterns these finders replaced (kept in the tests, which
//! check both agree): `\s` is any Unicode white space, the word boundary before
//! "paragraph" or a named word is ASCII's, markers are one to six lowercase letters.

use std::cmp::Reverse;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
pub use memchr::memmem::Finder;
use rustc_hash::FxHashMap;

/// `[[reference]]` or `[[reference|own text]]`.
#[derive(Debug, PartialEq, Eq)]
pub struct Explicit {
    pub range: Range<usize>,
    pub reference: Range<usize>,
    pub own_text: Option<Range<usize>>,
}

/// Every explicit reference in `text`, left to right.
pub fn explicit(text: &str) -> Vec<Explicit> {
    let bytes = text.as_bytes();
    find_all(
        |from| memchr::memchr(b'[', &bytes[from..]).map(|i| from + i),
        |at| {
            if bytes.get(at + 1) != Some(&b'[') {
                return None;
            }
            let reference = explicit_at(bytes, at)?;
            let end = reference.range.end;
            Some((reference, end))
        },
    )
}

/// Every match in a text, left to right: `next(from)` finds the next place at or after
/// `from` where one may start, and `read(at)` reads it there, with where it ends. After a
/// match the search goes on from its end, after a miss from the next byte.
fn find_all<T>(next: impl Fn(usize) -> Option<usize>, mut read: impl FnMut(usize) -> Option<(T, usize)>) -> Vec<T> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = next(from) {
        match read(at) {
            Some((item, end)) => {
                found.push(item);
                from = end;
            }
            None => from = at + 1,
        }
    }
    found
}

/// The explicit reference opening at `at` (`[[` is there), if it closes properly.
fn explicit_at(bytes: &[u8], at: usize) -> Option<Explicit> {
    let start = at + 2;
    let end = start + bytes[start..].iter().position(|b| matches!(b, b'[' | b']' | b'|'))?;
    if end == start {
        return None;
    }
    let (own_text, close) = if bytes[end] == b'|' {
        let text_start = end + 1;
        let text_end = text_start + bytes[text_start..].iter().position(|b| matches!(b, b'[' | b']'))?;
        (Some(text_start..text_end), text_end)
    } else {
        (None, end)
    };
    if own_text.as_ref().is_some_and(Range::is_empty) || !bytes[close..].starts_with(b"]]") {
        return None;
    }
    Some(Explicit { range: at..close + 2, reference: start..end, own_text })
}

/// A numbered item of a list: "71 (g) (ii)".
#[derive(Debug, PartialEq, Eq)]
pub struct Item {
    pub range: Range<usize>,
    pub number: Range<usize>,
    /// The letters of each marker, in order.
    pub markers: Vec<Range<usize>>,
    /// The item closes a range ("19 to 21", "19-21"), and has no markers.
    pub ends_range: bool,
}

/// "paragraph 71 (g)", "paragraphs 19, 20 and 22 to 24".
#[derive(Debug, PartialEq, Eq)]
pub struct ParagraphList {
    pub range: Range<usize>,
    pub items: Vec<Item>,
}

/// Every "paragraph(s) N..." in `text`, left to right.
pub fn paragraph_lists(text: &str) -> Vec<ParagraphList> {
    static FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"aragraph"));
    let bytes = text.as_bytes();
    find_all(
        |from| FINDER.find(&bytes[from..]).map(|i| from + i),
        |at| {
            paragraph_list_at(text, at).map(|list| {
                let end = list.range.end;
                (list, end)
            })
        },
    )
}

/// The list whose "aragraph" is at `at`.
fn paragraph_list_at(text: &str, at: usize) -> Option<ParagraphList> {
    let bytes = text.as_bytes();
    let start = at.checked_sub(1)?;
    if !matches!(bytes[start], b'P' | b'p') || !ascii_boundary(bytes, start) {
        return None;
    }
    let mut cursor = Cursor { text, pos: at + "aragraph".len() };
    cursor.byte(b's');
    if cursor.spaces() == 0 {
        return None;
    }
    let mut items = vec![cursor.item(false)?];
    loop {
        let before = cursor.pos;
        let ends_range = match cursor.separator(&[",", "-", "–"], &["and", "to"]) {
            Some(sep) => sep == "to" || sep == "-" || sep == "–",
            None => break,
        };
        match cursor.item(ends_range) {
            Some(item) => items.push(item),
            None => {
                cursor.pos = before;
                break;
            }
        }
    }
    Some(ParagraphList { range: start..cursor.pos, items })
}

/// "norm 13 (g)", "norms (g) and (h)": a named series of sub-items.
#[derive(Debug, PartialEq, Eq)]
pub struct NamedList {
    pub range: Range<usize>,
    /// The paragraph number, when written.
    pub number: Option<Range<usize>>,
    /// The letters of each marker, in order.
    pub markers: Vec<Range<usize>>,
}

/// Every use of a named series in `text`, left to right; `word` finds its word.
pub fn named_lists(text: &str, word: &Finder) -> Vec<NamedList> {
    let (bytes, word_len) = (text.as_bytes(), word.needle().len());
    if word_len == 0 {
        return Vec::new();
    }
    find_all(
        |from| word.find(&bytes[from..]).map(|i| from + i),
        |at| {
            named_list_at(text, at, word_len).map(|list| {
                let end = list.range.end;
                (list, end)
            })
        },
    )
}

fn named_list_at(text: &str, at: usize, word_len: usize) -> Option<NamedList> {
    if !ascii_boundary(text.as_bytes(), at) {
        return None;
    }
    let mut cursor = Cursor { text, pos: at + word_len };
    cursor.byte(b's');
    if cursor.spaces() == 0 {
        return None;
    }
    let before_number = cursor.pos;
    let number = cursor.digits().filter(|_| {
        cursor.spaces();
        cursor.peek() == Some(b'(')
    });
    if number.is_none() {
        cursor.pos = before_number;
    }
    let mut markers = vec![cursor.marker()?];
    loop {
        let before = cursor.pos;
        if cursor.separator(&[","], &["and", "or"]).is_none() {
            break;
        }
        match cursor.marker() {
            Some(marker) => markers.push(marker),
            None => {
                cursor.pos = before;
                break;
            }
        }
    }
    Some(NamedList { range: at..cursor.pos, number, markers })
}

/// The first one or two words after `pos` when "of" comes first: " of this report" gives
/// ("this", Some("report")). Says whether a paragraph list points into another text.
pub fn of_words(text: &str, pos: usize) -> Option<(&str, Option<&str>)> {
    let mut cursor = Cursor { text, pos };
    if cursor.spaces() == 0 || !cursor.word_is("of") || cursor.spaces() == 0 {
        return None;
    }
    let first = cursor.word()?;
    let second = if cursor.spaces() > 0 { cursor.word() } else { None };
    Some((first, second))
}

/// Finds document symbols ("A/76/135") standing alone: not inside a longer word or symbol.
#[derive(Debug)]
pub struct SymbolFinder {
    /// Every symbol, one pattern each.
    symbols: AhoCorasick,
    /// The document of each pattern.
    docs: Vec<usize>,
}

/// A finder of no symbols (a library before its documents are indexed).
impl Default for SymbolFinder {
    fn default() -> Self {
        SymbolFinder::new(std::iter::empty())
    }
}

impl SymbolFinder {
    pub fn new<'l>(symbols: impl Iterator<Item = (&'l str, usize)>) -> Self {
        // One document per symbol: the last one named.
        let by_symbol: FxHashMap<&str, usize> = symbols.filter(|(s, _)| !s.is_empty()).collect();
        let (patterns, docs): (Vec<&str>, Vec<usize>) = by_symbol.into_iter().unzip();
        let symbols = AhoCorasick::new(patterns).expect("symbols within aho-corasick's limits");
        SymbolFinder { symbols, docs }
    }

    /// Each symbol in `text` with its document, left to right; of two starting at one
    /// place, the longer.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        // Overlapping matches: the longest symbol at a place may touch a word where a
        // shorter one at the same place stands alone.
        let mut alone: Vec<(Range<usize>, usize)> = self
            .symbols
            .find_overlapping_iter(text)
            .filter(|m| symbol_edge(text[..m.start()].chars().next_back()) && symbol_edge(text[m.end()..].chars().next()))
            .map(|m| (m.range(), self.docs[m.pattern().as_usize()]))
            .collect();
        alone.sort_unstable_by_key(|(range, _)| (range.start, Reverse(range.end)));
        let mut taken_to = 0;
        alone.retain(|(range, _)| {
            let free = range.start >= taken_to;
            if free {
                taken_to = range.end;
            }
            free
        });
        alone
    }
}

/// A symbol must not touch a letter, digit or slash.
fn symbol_edge(neighbour: Option<char>) -> bool {
    neighbour.is_none_or(|c| !(c.is_alphanumeric() || c == '/'))
}

fn is_ascii_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// An ASCII word boundary at `pos` (as `(?-u:\b)`: other bytes are not word bytes).
fn ascii_boundary(bytes: &[u8], pos: usize) -> bool {
    let before = pos.checked_sub(1).is_some_and(|i| is_ascii_word(bytes[i]));
    let after = bytes.get(pos).is_some_and(|&b| is_ascii_word(b));
    before != after
}

/// A position in a text being read, moved forward by what matches.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn byte(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    /// Skips white space; returns how many bytes.
    fn spaces(&mut self) -> usize {
        let rest = self.rest();
        let skipped = rest.len() - rest.trim_start().len();
        self.pos += skipped;
        skipped
    }

    fn digits(&mut self) -> Option<Range<usize>> {
        let count = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        (count > 0).then(|| {
            self.pos += count;
            self.pos - count..self.pos
        })
    }

    /// `(g)`: the letters' range.
    fn marker(&mut self) -> Option<Range<usize>> {
        let rest = self.rest().as_bytes();
        if rest.first() != Some(&b'(') {
            return None;
        }
        let letters = rest[1..].iter().take(7).take_while(|b| b.is_ascii_lowercase()).count();
        if !(1..=6).contains(&letters) || rest.get(1 + letters) != Some(&b')') {
            return None;
        }
        let start = self.pos + 1;
        self.pos += letters + 2;
        Some(start..start + letters)
    }

    /// "71 (g) (ii)", or nothing (and the cursor where it was).
    fn item(&mut self, ends_range: bool) -> Option<Item> {
        let number = self.digits()?;
        let mut markers = Vec::new();
        loop {
            let before = self.pos;
            self.spaces();
            match self.marker() {
                Some(marker) => markers.push(marker),
                None => {
                    self.pos = before;
                    break;
                }
            }
        }
        // "19 to 21 (a)" names one sub-item, not a range.
        let ends_range = ends_range && markers.is_empty();
        Some(Item { range: number.start..self.pos, number, markers, ends_range })
    }

    /// A list separator: one of `signs` with optional white space around it, or one of
    /// `words` with white space on both sides. Returns the separator, or `None` with the
    /// cursor where it was.
    fn separator(&mut self, signs: &[&'static str], words: &[&'static str]) -> Option<&'static str> {
        let before = self.pos;
        let spaced = self.spaces() > 0;
        let rest = self.rest();
        if let Some(sign) = signs.iter().find(|s| rest.starts_with(**s)) {
            self.pos += sign.len();
            self.spaces();
            return Some(sign);
        }
        if spaced {
            if let Some(word) = words.iter().find(|w| rest.starts_with(**w)) {
                self.pos += word.len();
                if self.spaces() > 0 {
                    return Some(word);
                }
            }
        }
        self.pos = before;
        None
    }

    /// A run of word characters (letters, digits, `_`).
    fn word(&mut self) -> Option<&'t str> {
        let rest = self.rest();
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        (len > 0).then(|| {
            self.pos += len;
            &rest[..len]
        })
    }

    fn word_is(&mut self, expected: &str) -> bool {
        let before = self.pos;
        let matched = self.word() == Some(expected);
        if !matched {
            self.pos = before;
        }
        matched
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use regex::Regex;

    /// The patterns these finders replaced; every finder must agree with its pattern.
    /// (Made once: the property tests ask for them thousands of times.)
    fn explicit_pattern() -> &'static Regex {
        static PATTERN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+))?\]\]").unwrap());
        &PATTERN
    }
    fn paragraphs_pattern() -> &'static Regex {
        static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?-u:\b)[Pp]aragraphs?\s+(\d+(?:\s*\([a-z]{1,6}\))*(?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*)\d+(?:\s*\([a-z]{1,6}\))*)*)",
            )
            .unwrap()
        });
        &PATTERN
    }
    fn marker_pattern() -> &'static Regex {
        static PATTERN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([a-z]{1,6})\)").unwrap());
        &PATTERN
    }
    fn named_pattern(word: &str) -> Regex {
        Regex::new(&format!(
            r"(?-u:\b){}s?\s+(?:(\d+)\s*)?(\([a-z]{{1,6}}\)(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)\([a-z]{{1,6}}\))*)",
            regex::escape(word)
        ))
        .unwrap()
    }

    /// Texts that probe each rule: boundaries, white space, separators, markers, nesting.
    const TEXTS: &[&str] = &[
        "see paragraph 71 (g) of this report",
        "see paragraphs 19 to 21, and 23-25 and 30 – 31.",
        "Paragraphs 3, 4 and 5 (a) (ii) and 6 to",
        "subparagraph 3 and aparagraph 4 but _paragraph 5 and éparagraph 6",
        "paragraph\u{a0}12\u{2003}(b)",
        "paragraph 4 (abcdefg) paragraph 5 (ABC) paragraph 6() paragraph7",
        "paragraphs 1,2 ,3 to4 and 5and 6",
        "paragraphs 10 to (a)",
        "paragraph",
        "paragraphs 1 -",
        "norm 13 (g), norms (g) and (h), norms (i) or (j), norm (k),(l)",
        "norms 12 (a) norms12 (b) enorm (c) norm_ (d) norm (e) and norm(f)",
        "norm 13 and (a)",
        "x [[gge-2021:71-g]] y [[a|b]] [[|c]] [[d|]] [[[e]]] [[f]g]] [[g|h]i]] [[h]]]",
        "[[unclosed [[ok:1]] [[x|y|z]]",
        "[[ a b ]]",
        "ends with [",
        "ends with [[",
        "",
    ];

    /// Explicit references as the tests compare them: whole, reference, own text.
    type Explicits = Vec<(Range<usize>, Range<usize>, Option<Range<usize>>)>;

    /// Each explicit reference of `text` as the pattern finds it.
    pub(in crate::content) fn explicit_wanted(text: &str) -> Explicits {
        explicit_pattern()
            .captures_iter(text)
            .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().range(), c.get(2).map(|m| m.range())))
            .collect()
    }

    /// The same, as `explicit` finds them.
    pub(in crate::content) fn explicit_found(text: &str) -> Explicits {
        explicit(text).into_iter().map(|e| (e.range, e.reference, e.own_text)).collect()
    }

    /// A paragraph list as the tests compare it: its range, and each item's number and markers.
    type ListItems = Vec<(Range<usize>, Vec<(String, Vec<String>)>)>;

    /// Each paragraph list of `text` as the pattern finds it.
    pub(in crate::content) fn paragraph_lists_wanted(text: &str) -> ListItems {
        static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d+)((?:\s*\([a-z]{1,6}\))*)").unwrap());
        paragraphs_pattern()
            .captures_iter(text)
            .map(|c| {
                let list = c.get(1).unwrap();
                let items: Vec<_> = ITEM
                    .captures_iter(list.as_str())
                    .map(|i| {
                        let markers: Vec<_> =
                            marker_pattern().find_iter(&i[2]).map(|m| m.as_str().trim_matches(['(', ')']).to_string()).collect();
                        (i[1].to_string(), markers)
                    })
                    .collect();
                (c.get(0).unwrap().range(), items)
            })
            .collect()
    }

    /// The same, as `paragraph_lists` finds them.
    pub(in crate::content) fn paragraph_lists_found(text: &str) -> ListItems {
        paragraph_lists(text)
            .into_iter()
            .map(|l| {
                let items = l
                    .items
                    .iter()
                    .map(|i| (text[i.number.clone()].to_string(), i.markers.iter().map(|m| text[m.clone()].to_string()).collect()))
                    .collect();
                (l.range, items)
            })
            .collect()
    }

    /// A named list as the tests compare it: its range, number and markers.
    type Named = Vec<(Range<usize>, Option<String>, Vec<String>)>;

    /// Each named list of `word` in `text` as the pattern finds it.
    pub(in crate::content) fn named_lists_wanted(text: &str, word: &str) -> Named {
        named_pattern(word)
            .captures_iter(text)
            .map(|c| {
                let markers: Vec<String> = marker_pattern().captures_iter(&c[2]).map(|m| m[1].to_string()).collect();
                (c.get(0).unwrap().range(), c.get(1).map(|m| m.as_str().to_string()), markers)
            })
            .collect()
    }

    /// The same, as `named_lists` finds them.
    pub(in crate::content) fn named_lists_found(text: &str, word: &str) -> Named {
        named_lists(text, &Finder::new(word))
            .into_iter()
            .map(|l| {
                let markers: Vec<String> = l.markers.iter().map(|m| text[m.clone()].to_string()).collect();
                (l.range, l.number.map(|n| text[n].to_string()), markers)
            })
            .collect()
    }

    #[test]
    fn explicit_references_agree_with_the_pattern() {
        for text in TEXTS {
            assert_eq!(explicit_found(text), explicit_wanted(text), "{text}");
        }
    }

    #[test]
    fn paragraph_lists_agree_with_the_pattern() {
        for text in TEXTS {
            assert_eq!(paragraph_lists_found(text), paragraph_lists_wanted(text), "{text}");
        }
    }

    #[test]
    fn ranges_are_told_from_lists() {
        let lists = paragraph_lists("paragraphs 19 to 21, 23-25 and 30 – 31");
        let ends: Vec<bool> = lists[0].items.iter().map(|i| i.ends_range).collect();
        assert_eq!(ends, [false, true, false, true, false, true]);
    }

    #[test]
    fn named_lists_agree_with_the_pattern() {
        for word in ["norm", "norm_"] {
            for text in TEXTS {
                assert_eq!(named_lists_found(text, word), named_lists_wanted(text, word), "{word}: {text}");
            }
        }
    }

    #[test]
    fn words_after_of() {
        assert_eq!(of_words(" of this report", 0), Some(("this", Some("report"))));
        assert_eq!(of_words("  of\u{a0}the present", 0), Some(("the", Some("present"))));
        assert_eq!(of_words(" of resolution.", 0), Some(("resolution", None)));
        assert_eq!(of_words(" offers", 0), None);
        assert_eq!(of_words("of this", 0), None);
    }

    #[test]
    fn symbols_stand_alone() {
        let finder = SymbolFinder::new([("A/76/135", 0), ("A/76/1", 1), ("A/70/174", 2)].into_iter());
        let text = "A/76/135 and (A/76/1), not A/76/1350, xA/70/174, /A/70/174 or A/76/13; A/70/174";
        let found: Vec<_> = finder.find(text).into_iter().map(|(r, doc)| (&text[r], doc)).collect();
        assert_eq!(found, [("A/76/135", 0), ("A/76/1", 1), ("A/70/174", 2)]);
        assert!(SymbolFinder::new(std::iter::empty()).find("anything").is_empty());
    }

    #[test]
    fn a_shorter_symbol_is_found_where_a_longer_one_at_its_place_touches_a_word() {
        let finder = SymbolFinder::new([("A/76/1-E", 0), ("A/76/1", 1)].into_iter());
        let text = "A/76/1-Ex and A/76/1-E.";
        let found: Vec<_> = finder.find(text).into_iter().map(|(r, doc)| (&text[r], doc)).collect();
        assert_eq!(found, [("A/76/1", 1), ("A/76/1-E", 0)]);
    }
}
