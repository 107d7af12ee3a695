//! Content: the documents of `content/*.md`, as addressable paragraphs, and the library
//! that indexes every paragraph id (`gge-2021:71-g`) for cross-references.
//!
//! Steps: `load` reads and parses each file (front matter, then the paragraph model,
//! `paragraph`); `checks` checks each document on its own (numbering, sub-items,
//! footnotes); `Library::new` (`library`) indexes all documents and checks what spans
//! documents (duplicate ids and symbols, reference scopes); `xref` finds and resolves
//! the references in running text. Nothing here knows of HTML: `render` places and
//! escapes what the library names.

mod checks;
pub mod front_matter;
mod library;
mod load;
pub mod paragraph;
pub mod refscan;
pub mod xref;

#[cfg(test)]
pub(crate) mod proptests;

use std::collections::HashMap;
use std::path::PathBuf;

use front_matter::FrontMatter;
use paragraph::{Block, Body, Child, Node};

pub use library::{Library, Target, TargetId};
pub use load::{load, markdown_files, parse_document, read_all, read_text};

pub const CONTENT_DIR: &str = "content";

/// One content file: a report or an extract of one.
#[derive(Debug)]
pub struct Document {
    pub meta: FrontMatter,
    /// The file, relative to the site root.
    pub path: PathBuf,
    pub body: Body,
    /// Line of each front matter key, for errors about its value.
    pub key_lines: HashMap<String, usize>,
    /// A hash of what other documents can see of this one (see `Library::fingerprint`).
    pub shape_hash: u64,
}

impl Document {
    /// How citations name the document: its symbol, else its short title, else its title.
    pub fn citation_name(&self) -> &str {
        self.meta.symbol.as_deref().or(self.meta.short_title.as_deref()).unwrap_or(&self.meta.title)
    }

    pub fn short_title(&self) -> &str {
        self.meta.short_title.as_deref().unwrap_or(&self.meta.title)
    }

    /// Every numbered paragraph and sub-item, in order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.paragraphs().flat_map(|p| std::iter::once(p).chain(p.items()))
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Node> {
        self.body.paragraphs()
    }

    pub(crate) fn key_line(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(2)
    }
}

/// How a node is cited: `para. 71 (g) (ii)`.
pub fn node_label(key: &str) -> String {
    let mut label = String::new();
    write_label(key, false, &mut label, String::push_str);
    label
}

/// Writes a node's label (`para. 71 (g)`, or `71 (g)` with `numbers_only`), its number
/// and markers through `push` (an escaper, or `String::push_str`).
pub fn write_label(key: &str, numbers_only: bool, out: &mut String, push: fn(&mut String, &str)) {
    if !numbers_only {
        out.push_str("para. ");
    }
    // Cut by hand: keys are a few bytes, and a label is written for every link.
    let (number, mut markers) = key.split_at(key.bytes().position(|b| b == b'-').unwrap_or(key.len()));
    push(out, number);
    while let Some(rest) = markers.strip_prefix('-') {
        let end = rest.bytes().position(|b| b == b'-').unwrap_or(rest.len());
        out.push_str(" (");
        push(out, &rest[..end]);
        out.push(')');
        markers = &rest[end..];
    }
}

/// Each footnote mark (`[^label]`) of a text, in order: its label and where it starts.
/// A label is at least one character, none of them white space or `]`.
pub fn footnote_marks(text: &str) -> impl Iterator<Item = (&str, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + memchr::memchr(b'[', &bytes[from..])?;
        from = open + 1;
        if bytes.get(open + 1) != Some(&b'^') {
            continue;
        }
        let rest = &text[open + 2..];
        let end = memchr::memchr(b']', rest.as_bytes())?;
        let label = &rest[..end];
        if !label.is_empty() && !label.contains(char::is_whitespace) {
            from = open + 2 + end;
            return Some((label, open));
        }
        // Not a mark: one may still open inside it (`[^a [^b]`).
    })
}

/// Every Markdown text of a body (not footnote definitions), with its first line.
pub fn texts(body: &Body) -> Vec<(&str, usize)> {
    fn node_texts<'a>(node: &'a Node, out: &mut Vec<(&'a str, usize)>) {
        out.push((&node.text, node.line));
        for child in &node.children {
            match child {
                Child::Text { text, line } => out.push((text, *line)),
                Child::Item(item) => node_texts(item, out),
            }
        }
    }
    let mut out = Vec::new();
    for block in &body.blocks {
        match block {
            Block::Heading(h) => out.push((h.text.as_str(), h.line)),
            Block::Paragraph(node) => node_texts(node, &mut out),
            Block::Prose { text, line } => out.push((text, *line)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use regex::Regex;

    use super::checks::missing_from;

    fn parse(text: &str) -> (Option<Document>, Vec<String>) {
        let mut problems = Vec::new();
        let doc = parse_document(Path::new("content/t.md"), text, &mut problems);
        (doc, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn footnote_marks_are_found_as_the_pattern_finds_them() {
        let pattern = Regex::new(r"\[\^([^\]\s]+)\]").unwrap();
        let texts = ["a[^1] b[^note] c[^1]", "[^ x] [^] [^a b] [^c]", "[^[^a] [b] [^", "x[^é]", "[^a\nb] [^z]", "[[^q]]", "[^"];
        for text in texts.into_iter().chain(["[^a [^b]", "[^ [^b] x", "[^a\n[^b]", "[^] [^c]"]) {
            let expected: Vec<(&str, usize)> =
                pattern.captures_iter(text).map(|c| (c.get(1).unwrap().as_str(), c.get(0).unwrap().start())).collect();
            assert_eq!(footnote_marks(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn front_matter_problems_name_the_line_of_their_key() {
        let (_, problems) = parse("+++\ntitle = \"T\"\n\nid = \"Bad Id\"\n+++\n1. a\n");
        assert!(problems.iter().any(|p| p.starts_with("content/t.md:4: document id `Bad Id`")), "{problems:?}");
    }

    #[test]
    fn numbering_problems_are_reported_with_lines() {
        let text = "+++\nid = \"t\"\ntitle = \"T\"\nparagraphs = [\"1-4\"]\n+++\n1. a\n\n3. c\n\n2. b\n\n3. again\n\n9. nine\n";
        let (_, problems) = parse(text);
        assert_eq!(
            problems,
            [
                "content/t.md:10: paragraph 2 comes after paragraph 3: paragraphs must be in order",
                "content/t.md:12: paragraph 3 appears twice (first at line 8)",
                "content/t.md:14: paragraph 9 is not in the front matter's `paragraphs`",
                "content/t.md:4: paragraphs listed in the front matter but missing: 4",
            ]
        );
    }

    #[test]
    fn a_huge_range_of_paragraphs_is_reported_as_a_range_never_expanded() {
        let text = "+++\nid = \"t\"\ntitle = \"T\"\nparagraphs = [\"1-4294967295\", \"7\"]\n+++\n1. a\n\n2. b\n\n5. e\n";
        let (_, problems) = parse(text);
        assert_eq!(problems, ["content/t.md:4: paragraphs listed in the front matter but missing: 3, 4, 6-4294967295"]);
        let ranges = [1..=3, 10..=20];
        assert_eq!(missing_from(&ranges, &[1, 2, 3, 11, 12, 20]), ["10", "13-19"]);
    }

    #[test]
    fn footnote_and_marker_problems() {
        let text = "+++\nid = \"t\"\ntitle = \"T\"\n+++\n1. a[^1] b[^2]\n\n    (a) x\n\n    (c) y\n\n[^1]: one\n\n[^3]: three\n";
        let (_, problems) = parse(text);
        assert_eq!(
            problems,
            [
                "content/t.md:9: sub-item (c) is out of sequence: it comes after (a) in paragraph 1",
                "content/t.md:5: footnote [^2] has no definition",
                "content/t.md:13: footnote [^3] is never cited",
            ]
        );
    }

    #[test]
    fn front_matter_errors_point_into_the_toml() {
        let (doc, problems) = parse("+++\nid = \"t\"\ntitle = \"T\"\nsymbl = \"A/1\"\n+++\n");
        assert!(doc.is_none());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("content/t.md:4: unknown field `symbl`"), "{}", problems[0]);
    }

    #[test]
    fn labels() {
        assert_eq!(node_label("71"), "para. 71");
        assert_eq!(node_label("71-g-ii"), "para. 71 (g) (ii)");
        assert_eq!(node_label("4-a"), "para. 4 (a)");
        let mut numbers = String::new();
        write_label("71-g", true, &mut numbers, String::push_str);
        assert_eq!(numbers, "71 (g)");
    }
}
