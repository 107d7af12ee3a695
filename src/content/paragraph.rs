//! The paragraph model: cuts a document body into headings, numbered paragraphs with
//! their sub-items, unnumbered prose and footnote definitions.
//!
//! Markdown alone cannot say "this is paragraph 71 and this is its item (g)", so the body
//! is first cut into blocks by line shape (see docs/content-format.md); each block's text
//! is Markdown, rendered later.

/// One addressable unit: a numbered paragraph or one of its sub-items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The part of the id after the colon: `71`, `71-g`, `71-g-ii`.
    pub key: String,
    pub line: usize,
    /// Markdown of the first text block.
    pub text: String,
    pub children: Vec<Child>,
}

/// The marker of a node with key `key`: the part after the last hyphen, or all of it.
pub fn marker_of(key: &str) -> &str {
    key.rsplit_once('-').map_or(key, |(_, marker)| marker)
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
    /// The marker as printed, the last part of the key: `71` or `g`. (Not a field of its
    /// own: a large site has a million nodes.)
    pub fn marker(&self) -> &str {
        marker_of(&self.key)
    }

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

impl Body {
    /// The numbered paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Node> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(node) => Some(node),
            _ => None,
        })
    }
}

/// A problem in the body's structure, at a line.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// What a chunk of lines is, judged by its first line, with the parts of that line.
#[derive(Debug, PartialEq)]
enum Shape<'a> {
    /// `## Title {#key}`.
    Heading {
        level: u8,
        text: &'a str,
        key: Option<&'a str>,
    },
    /// `[^label]: text`.
    Footnote {
        label: &'a str,
        text: &'a str,
    },
    /// `71. text`.
    Numbered {
        number: &'a str,
        text: &'a str,
    },
    /// `(g) text`, at depth 1 (four spaces) or 2 (eight).
    Item {
        depth: usize,
        marker: &'a str,
        text: &'a str,
    },
    /// A sub-item indented with a tab or by fewer than four spaces (`lead`): a problem,
    /// read as the sub-item it was meant to be.
    Misindented {
        depth: usize,
        marker: &'a str,
        text: &'a str,
        lead: &'a str,
    },
    /// Indented text continuing the node at this depth (0 = the paragraph).
    Continuation(usize),
    Prose,
}

impl Shape<'_> {
    fn starts_block(&self) -> bool {
        !matches!(self, Shape::Prose | Shape::Continuation(_))
    }
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|b| *b == b' ').count()
}

/// `rest` after at least one whitespace character, without the rest of that whitespace.
fn after_space(rest: &str) -> Option<&str> {
    let trimmed = rest.trim_start();
    (trimmed.len() < rest.len()).then_some(trimmed)
}

/// Classifies a line by hand rather than by regexes: this runs on every line of every
/// source, and paragraphs are long lines.
fn shape_of(line: &str) -> Shape<'_> {
    let indent = indent_of(line);
    let rest = &line[indent..];
    if indent == 0 {
        heading(rest).or_else(|| footnote_def(rest)).or_else(|| numbered(rest)).or_else(|| misindented(line)).unwrap_or(Shape::Prose)
    } else if indent >= 4 {
        let depth = if indent >= 8 { 2 } else { 1 };
        item(rest, depth).unwrap_or(Shape::Continuation(depth - 1))
    } else {
        misindented(line).unwrap_or(Shape::Prose)
    }
}

/// A sub-item indented otherwise than by spaces alone, four or more of them.
fn misindented(line: &str) -> Option<Shape<'_>> {
    let rest = line.trim_start_matches([' ', '\t']);
    let lead = &line[..line.len() - rest.len()];
    if lead.is_empty() {
        return None;
    }
    let width: usize = lead.bytes().map(|b| if b == b'\t' { 4 } else { 1 }).sum();
    match item(rest, if width >= 8 { 2 } else { 1 })? {
        Shape::Item { depth, marker, text } => Some(Shape::Misindented { depth, marker, text, lead }),
        _ => None,
    }
}

fn heading(line: &str) -> Option<Shape<'_>> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = after_space(&line[level..])?.trim_end();
    if let Some((before, id)) = text.strip_suffix('}').and_then(|t| t.rsplit_once("{#")) {
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Some(Shape::Heading { level: level as u8, text: before.trim_end(), key: Some(id) });
        }
    }
    Some(Shape::Heading { level: level as u8, text, key: None })
}

fn footnote_def(line: &str) -> Option<Shape<'_>> {
    let (label, text) = line.strip_prefix("[^")?.split_once("]:")?;
    if label.is_empty() || label.contains(|c: char| c == ']' || c.is_whitespace()) {
        return None;
    }
    Some(Shape::Footnote { label, text: text.trim_start() })
}

fn numbered(line: &str) -> Option<Shape<'_>> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let text = after_space(line[digits..].strip_prefix('.')?)?;
    (digits > 0).then_some(Shape::Numbered { number: &line[..digits], text })
}

fn item(line: &str, depth: usize) -> Option<Shape<'_>> {
    let (marker, rest) = line.strip_prefix('(')?.split_once(')')?;
    if !(1..=6).contains(&marker.len()) || !marker.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    Some(Shape::Item { depth, marker, text: after_space(rest)? })
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// A run of lines between blank lines; a line that starts a block starts a new chunk.
struct Chunk<'a> {
    line: usize,
    lines: Vec<&'a str>,
    shape: Shape<'a>,
}

fn chunks(body: &str, first_line: usize) -> Vec<Chunk<'_>> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut open = false;
    let mut fence = false;
    for (i, raw) in lines(body).enumerate() {
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
        let shape = shape_of(line);
        let after_heading = open && out.last().is_some_and(|c| matches!(c.shape, Shape::Heading { .. }));
        if !open || shape.starts_block() || after_heading {
            out.push(Chunk { line: number, lines: Vec::new(), shape });
            open = true;
        }
        out.last_mut().expect("just pushed").lines.push(line);
        fence = is_fence(line);
    }
    out
}

/// The lines of `text`, as `str::lines` gives them, their ends found with SIMD: the
/// sources of a large site are hundreds of megabytes, mostly long lines.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) else {
            return Some(std::mem::take(&mut rest));
        };
        let line = &rest[..end];
        rest = &rest[end + 1..];
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
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

/// A sub-item indented by a tab or by one to three spaces, reported and read as the
/// sub-item it was meant to be (so that no "out of sequence" follows); other shapes as they are.
fn read_misindented_as_item<'t>(shape: Shape<'t>, line: usize, problems: &mut Vec<Problem>) -> Shape<'t> {
    let Shape::Misindented { depth, marker, text, lead } = shape else {
        return shape;
    };
    let how = if lead.contains('\t') { "with a tab".to_string() } else { format!("by {} spaces", lead.len()) };
    let message = format!("sub-item ({marker}) is indented {how}: indent a sub-item by four spaces, and a sub-item of a sub-item by eight");
    problems.push(Problem { line, message });
    Shape::Item { depth, marker, text }
}

/// Cuts a document body into blocks. `first_line` is the body's line in its file.
pub fn parse(body: &str, first_line: usize) -> (Body, Vec<Problem>) {
    let mut out = Body::default();
    let mut problems = Vec::new();
    let mut in_paragraph = false;
    for chunk in chunks(body, first_line) {
        match read_misindented_as_item(chunk.shape, chunk.line, &mut problems) {
            Shape::Heading { level, text, key } => {
                let key = key.map_or_else(|| slug(text), str::to_string);
                out.blocks.push(Block::Heading(Heading { level, text: text.to_string(), key, line: chunk.line }));
                in_paragraph = false;
            }
            Shape::Footnote { label, text } => {
                out.footnotes.push(FootnoteDef { label: label.to_string(), text: text_after(&chunk.lines, text), line: chunk.line });
            }
            Shape::Numbered { number, text } => {
                out.blocks.push(Block::Paragraph(Node {
                    key: number.trim_start_matches('0').to_string(),
                    line: chunk.line,
                    text: text_after(&chunk.lines, text),
                    children: Vec::new(),
                }));
                in_paragraph = true;
            }
            Shape::Item { depth, marker, text } if in_paragraph => {
                let text = text_after(&chunk.lines, text);
                let Some(parent) = open_node(&mut out.blocks, depth - 1) else {
                    problems.push(Problem {
                        line: chunk.line,
                        message: format!("sub-item ({marker}) is indented by eight spaces but follows no sub-item"),
                    });
                    continue;
                };
                let key = format!("{}-{marker}", parent.key);
                parent.children.push(Child::Item(Node { key, line: chunk.line, text, children: Vec::new() }));
            }
            Shape::Continuation(depth) if in_paragraph => {
                let text = text_after(&chunk.lines, chunk.lines[0].trim_start());
                match open_node(&mut out.blocks, depth) {
                    Some(node) => node.children.push(Child::Text { text, line: chunk.line }),
                    None => {
                        problems.push(Problem { line: chunk.line, message: "text indented by eight spaces follows no sub-item".into() })
                    }
                }
            }
            // (A misindented sub-item was read as a sub-item above.)
            Shape::Item { .. } | Shape::Misindented { .. } => problems.push(Problem {
                line: chunk.line,
                message: format!("sub-item `{}` is outside a numbered paragraph", chunk.lines[0].split_whitespace().next().unwrap_or("")),
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
        Block::Paragraph(Node { key: key.into(), line, text: text.into(), children })
    }

    fn item(key: &str, marker: &str, line: usize, text: &str, children: Vec<Child>) -> Child {
        let node = Node { key: key.into(), line, text: text.into(), children };
        assert_eq!(node.marker(), marker);
        Child::Item(node)
    }

    #[test]
    fn lines_are_cut_as_the_standard_library_cuts_them() {
        for text in ["", "\n", "a", "a\n", "a\n\n", "a\r\nb", "a\n\r\n\nb\r", "\r", "x\r\r\n", "é\n\u{2028}\n"] {
            assert_eq!(lines(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
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
    fn a_sub_item_indented_with_a_tab_or_three_spaces_is_named_as_such_and_kept() {
        let (parsed, problems) = parse("1. P\n\n\t(a) tab\n\n   (b) three\n\n    (c) four\n", 1);
        let want = |line, how: &str, marker: &str| Problem {
            line,
            message: format!(
                "sub-item ({marker}) is indented {how}: indent a sub-item by four spaces, and a sub-item of a sub-item by eight"
            ),
        };
        assert_eq!(problems, vec![want(3, "with a tab", "a"), want(5, "by 3 spaces", "b")]);
        let Block::Paragraph(node) = &parsed.blocks[0] else { panic!() };
        assert_eq!(node.items().map(|n| n.key.as_str()).collect::<Vec<_>>(), ["1-a", "1-b", "1-c"]);
    }

    #[test]
    fn items_iterates_depth_first() {
        let (parsed, _) = parse("1. P\n\n    (a) a\n\n        (i) i\n\n    (b) b\n", 1);
        let Block::Paragraph(node) = &parsed.blocks[0] else { panic!() };
        let keys: Vec<_> = node.items().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["1-a", "1-a-i", "1-b"]);
    }

    #[test]
    fn line_shapes() {
        assert_eq!(shape_of("## III. Norms {#norms}"), Shape::Heading { level: 2, text: "III. Norms", key: Some("norms") });
        assert_eq!(shape_of("# A {#not an id}  "), Shape::Heading { level: 1, text: "A {#not an id}", key: None });
        assert_eq!(shape_of("####### seven"), Shape::Prose);
        assert_eq!(shape_of("#hashtag"), Shape::Prose);
        assert_eq!(shape_of("[^12]:  A/1/200."), Shape::Footnote { label: "12", text: "A/1/200." });
        assert_eq!(shape_of("[^a b]: no"), Shape::Prose);
        assert_eq!(shape_of("071.  Text"), Shape::Numbered { number: "071", text: "Text" });
        assert_eq!(shape_of("2021. was a year"), Shape::Numbered { number: "2021", text: "was a year" });
        assert_eq!(shape_of("3.5 percent"), Shape::Prose);
        assert_eq!(shape_of("    (g) Text"), Shape::Item { depth: 1, marker: "g", text: "Text" });
        assert_eq!(shape_of("        (iii) Text"), Shape::Item { depth: 2, marker: "iii", text: "Text" });
        assert_eq!(shape_of("    (G) Text"), Shape::Continuation(0));
        assert_eq!(shape_of("        (g)Text"), Shape::Continuation(1));
        assert_eq!(shape_of("  two spaces"), Shape::Prose);
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
