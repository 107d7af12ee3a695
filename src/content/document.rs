//! The document model: one content file as front matter and numbered paragraphs, with
//! how its paragraphs are labelled (`para. 71 (g)`) and where its texts and footnote
//! marks lie.

use std::collections::HashMap;
use std::path::PathBuf;

use super::front_matter::FrontMatter;
use super::paragraph::{Block, Body, Child, Node};

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
