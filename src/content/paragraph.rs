//! The paragraph model: cuts a document body into headings, numbered paragraphs with
//! their sub-items, unnumbered prose and footnote definitions.
//!
//! Markdown alone cannot say "this is paragraph 71 and this is its item (g)", so the body
//! is first cut into blocks by line shape (see docs/content-format.md); each block's text
//! is Markdown, rendered later.

use std::sync::LazyLock;

use regex::Regex;

/// One addressable unit: a numbered paragraph or one of its sub-items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The part of the id after the colon: `71`, `71-g`, `71-g-ii`.
    pub key: String,
    /// The marker as printed: `71` or `g`.
    pub marker: String,
    pub line: usize,
    /// Markdown of the first text block.
    pub text: String,
    pub children: Vec<Child>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Child {
    /// A further text block of the same node.
    Text {
        text: String,
        line: usize,
    },
    Item(Node),
}

impl Node {
    /// Every sub-item below this node, depth first.
    pub fn items(&self) -> impl Iterator<Item = &Node> {
        let mut stack: Vec<&Node> = self.children.iter().rev().filter_map(Child::as_item).collect();
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children.iter().rev().filter_map(Child::as_item));
            Some(node)
        })
    }
}

impl Child {
    fn as_item(&self) -> Option<&Node> {
        match self {
            Child::Item(node) => Some(node),
            Child::Text { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Markdown of the heading text.
    pub text: String,
    /// The explicit `{#anchor}` or a slug of the text.
    pub key: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Node),
    /// Unnumbered Markdown.
    Prose {
        text: String,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FootnoteDef {
    pub label: String,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<FootnoteDef>,
}

/// A problem in the body's structure, at a line.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)(?:\s*\{#([A-Za-z0-9_-]+)\})?\s*$").unwrap());
static FOOTNOTE_DEF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\[\^([^\]\s]+)\]:\s*(.*)$").unwrap());
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d+)\.\s+(.*)$").unwrap());
static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\(([a-z]{1,6})\)\s+(.*)$").unwrap());

/// What a chunk of lines is, judged by its first line.
#[derive(Debug, PartialEq)]
enum Shape {
    Heading,
    Footnote,
    Numbered,
    /// A sub-item at depth 1 (four spaces) or 2 (eight).
    Item(usize),
    /// Indented text continuing the node at this depth (0 = the paragraph).
    Continuation(usize),
    Prose,
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

fn shape_of(line: &str) -> Shape {
    let indent = indent_of(line);
    let rest = &line[indent..];
    // Cheap first-byte checks keep the regexes off most lines.
    let first = rest.as_bytes().first().copied().unwrap_or(b' ');
    if indent == 0 {
        if first == b'#' && HEADING.is_match(rest) {
            Shape::Heading
        } else if first == b'[' && FOOTNOTE_DEF.is_match(rest) {
            Shape::Footnote
        } else if first.is_ascii_digit() && NUMBERED.is_match(rest) {
            Shape::Numbered
        } else {
            Shape::Prose
        }
    } else if indent >= 4 && first == b'(' && ITEM.is_match(rest) {
        Shape::Item(if indent >= 8 { 2 } else { 1 })
    } else if indent >= 4 {
        Shape::Continuation(if indent >= 8 { 1 } else { 0 })
    } else {
        Shape::Prose
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// A run of lines between blank lines; a line that starts a block starts a new chunk.
struct Chunk<'a> {
    line: usize,
    lines: Vec<&'a str>,
}

fn chunks(body: &str, first_line: usize) -> Vec<Chunk<'_>> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut open = false;
    let mut fence = false;
    for (i, raw) in body.lines().enumerate() {
        let line = raw.trim_end();
        let number = first_line + i;
        if fence {
            out.last_mut().expect("a fence is inside a chunk").lines.push(raw);
            fence = !is_fence(line);
            continue;
        }
        if line.is_empty() {
            open = false;
            continue;
        }
        let starts_block = !matches!(shape_of(line), Shape::Prose | Shape::Continuation(_));
        let after_heading = open && out.last().is_some_and(|c| shape_of(c.lines[0]) == Shape::Heading);
        if !open || starts_block || after_heading {
            out.push(Chunk { line: number, lines: Vec::new() });
            open = true;
        }
        out.last_mut().expect("just pushed").lines.push(line);
        fence = is_fence(line);
    }
    out
}

/// Joins a chunk's lines, dropping the first line's marker prefix and every line's indent.
fn text_after(lines: &[&str], first: &str) -> String {
    let mut text = first.to_string();
    for line in &lines[1..] {
        text.push('\n');
        text.push_str(line.trim_start());
    }
    text
}

/// Cuts a document body into blocks. `first_line` is the body's line in its file.
pub fn parse(body: &str, first_line: usize) -> (Body, Vec<Problem>) {
    let mut out = Body::default();
    let mut problems = Vec::new();
    let mut in_paragraph = false;
    for chunk in chunks(body, first_line) {
        let first = chunk.lines[0];
        let trimmed = first.trim_start();
        match shape_of(first) {
            Shape::Heading => {
                let caps = HEADING.captures(first).expect("shape checked");
                let text = caps[2].to_string();
                let key = caps.get(3).map(|m| m.as_str().to_string()).unwrap_or_else(|| slug(&text));
                out.blocks.push(Block::Heading(Heading { level: caps[1].len() as u8, text, key, line: chunk.line }));
                in_paragraph = false;
            }
            Shape::Footnote => {
                let caps = FOOTNOTE_DEF.captures(first).expect("shape checked");
                let text = text_after(&chunk.lines, &caps[2]);
                out.footnotes.push(FootnoteDef { label: caps[1].to_string(), text, line: chunk.line });
            }
            Shape::Numbered => {
                let caps = NUMBERED.captures(first).expect("shape checked");
                let number = caps[1].trim_start_matches('0').to_string();
                out.blocks.push(Block::Paragraph(Node {
                    key: number.clone(),
                    marker: number,
                    line: chunk.line,
                    text: text_after(&chunk.lines, &caps[2]),
                    children: Vec::new(),
                }));
                in_paragraph = true;
            }
            Shape::Item(depth) if in_paragraph => {
                let caps = ITEM.captures(trimmed).expect("shape checked");
                let marker = caps[1].to_string();
                let text = text_after(&chunk.lines, &caps[2]);
                let Some(parent) = open_node(&mut out.blocks, depth - 1) else {
                    problems.push(Problem {
                        line: chunk.line,
                        message: format!("sub-item ({marker}) is indented by eight spaces but follows no sub-item"),
                    });
                    continue;
                };
                let key = format!("{}-{marker}", parent.key);
                parent.children.push(Child::Item(Node { key, marker, line: chunk.line, text, children: Vec::new() }));
            }
            Shape::Continuation(depth) if in_paragraph => {
                let text = text_after(&chunk.lines, trimmed);
                match open_node(&mut out.blocks, depth) {
                    Some(node) => node.children.push(Child::Text { text, line: chunk.line }),
                    None => {
                        problems.push(Problem { line: chunk.line, message: "text indented by eight spaces follows no sub-item".into() })
                    }
                }
            }
            Shape::Item(_) => problems.push(Problem {
                line: chunk.line,
                message: format!("sub-item `{}` is outside a numbered paragraph", trimmed.split_whitespace().next().unwrap_or("")),
            }),
            Shape::Continuation(_) | Shape::Prose => {
                let text = chunk.lines.join("\n");
                out.blocks.push(Block::Prose { text, line: chunk.line });
                in_paragraph = false;
            }
        }
    }
    (out, problems)
}

/// The node sub-items of depth `depth + 1` attach to: the open paragraph (0) or its last item (1).
fn open_node(blocks: &mut [Block], depth: usize) -> Option<&mut Node> {
    let Some(Block::Paragraph(paragraph)) = blocks.last_mut() else {
        return None;
    };
    let mut node = paragraph;
    for _ in 0..depth {
        node = match node.children.last_mut() {
            Some(Child::Item(item)) => item,
            _ => return None,
        };
    }
    Some(node)
}

/// An anchor-safe slug of a heading: `III. Norms, Rules` becomes `iii-norms-rules`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The marker that may follow `prev` among siblings: the next letter or the next roman numeral.
pub fn follows(prev: Option<&str>, marker: &str) -> bool {
    match prev {
        None => marker == "a" || marker == "i",
        Some(prev) => {
            let next_letter = (prev.len() == 1 && prev != "z").then(|| ((prev.as_bytes()[0] + 1) as char).to_string());
            next_letter.as_deref() == Some(marker) || roman_value(prev).zip(roman_value(marker)).is_some_and(|(p, m)| m == p + 1)
        }
    }
}

fn roman_value(s: &str) -> Option<u32> {
    let digit = |c| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let values: Option<Vec<u32>> = s.chars().map(digit).collect();
    let values = values?;
    let mut total: i64 = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= i64::from(*v);
        } else {
            total += i64::from(*v);
        }
    }
    u32::try_from(total).ok().filter(|t| *t > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(key: &str, line: usize, text: &str, children: Vec<Child>) -> Block {
        Block::Paragraph(Node { key: key.into(), marker: key.into(), line, text: text.into(), children })
    }

    fn item(key: &str, marker: &str, line: usize, text: &str, children: Vec<Child>) -> Child {
        Child::Item(Node { key: key.into(), marker: marker.into(), line, text: text.into(), children })
    }

    #[test]
    fn paragraphs_items_and_footnotes() {
        let body = "## I. Intro {#intro}\n\n1. First[^1]\nwrapped.\n\n    (a) item a;\n\n        (i) deep\n\n    (b) item b.\n\n    Closing text.\n\nThe OEWG recommends that\n\n2. Second.\n3. Third.\n\n[^1]: A note.\n";
        let (parsed, problems) = parse(body, 10);
        assert_eq!(problems, vec![]);
        assert_eq!(
            parsed.blocks,
            vec![
                Block::Heading(Heading { level: 2, text: "I. Intro".into(), key: "intro".into(), line: 10 }),
                para(
                    "1",
                    12,
                    "First[^1]\nwrapped.",
                    vec![
                        item("1-a", "a", 15, "item a;", vec![item("1-a-i", "i", 17, "deep", vec![])]),
                        item("1-b", "b", 19, "item b.", vec![]),
                        Child::Text { text: "Closing text.".into(), line: 21 },
                    ]
                ),
                Block::Prose { text: "The OEWG recommends that".into(), line: 23 },
                para("2", 25, "Second.", vec![]),
                para("3", 26, "Third.", vec![]),
            ]
        );
        assert_eq!(parsed.footnotes, vec![FootnoteDef { label: "1".into(), text: "A note.".into(), line: 28 }]);
    }

    #[test]
    fn heading_directly_followed_by_paragraph() {
        let (parsed, _) = parse("# Title\n1. Text\n", 1);
        assert_eq!(parsed.blocks.len(), 2);
        assert!(matches!(&parsed.blocks[1], Block::Paragraph(n) if n.key == "1"));
    }

    #[test]
    fn fenced_code_keeps_blank_lines() {
        let (parsed, _) = parse("```rust\nfn a() {}\n\n1. not a paragraph\n```\n", 1);
        assert_eq!(parsed.blocks, vec![Block::Prose { text: "```rust\nfn a() {}\n\n1. not a paragraph\n```".into(), line: 1 }]);
    }

    #[test]
    fn misplaced_items_are_problems() {
        let (_, problems) = parse("Prose.\n\n    (a) orphan\n\n1. P\n\n        (i) too deep\n", 1);
        assert_eq!(
            problems,
            vec![
                Problem { line: 3, message: "sub-item `(a)` is outside a numbered paragraph".into() },
                Problem { line: 7, message: "sub-item (i) is indented by eight spaces but follows no sub-item".into() },
            ]
        );
    }

    #[test]
    fn items_iterates_depth_first() {
        let (parsed, _) = parse("1. P\n\n    (a) a\n\n        (i) i\n\n    (b) b\n", 1);
        let Block::Paragraph(node) = &parsed.blocks[0] else { panic!() };
        let keys: Vec<_> = node.items().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["1-a", "1-a-i", "1-b"]);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("III. Norms, Rules and Principles"), "iii-norms-rules-and-principles");
        assert_eq!(slug("**Transparency measures**"), "transparency-measures");
    }

    #[test]
    fn marker_sequences() {
        assert!(follows(None, "a"));
        assert!(follows(Some("a"), "b"));
        assert!(follows(Some("h"), "i"));
        assert!(follows(Some("i"), "ii"));
        assert!(follows(Some("iii"), "iv"));
        assert!(follows(Some("ix"), "x"));
        assert!(!follows(Some("a"), "c"));
        assert!(!follows(None, "b"));
    }
}
