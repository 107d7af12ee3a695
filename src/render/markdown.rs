//! Markdown to HTML for one text block, with pulldown-cmark:
//! 1. parse with tables and footnotes (no smart punctuation: texts are verbatim);
//! 2. merge adjacent text events and link the references found in them (`content::xref`);
//! 3. point footnote marks at the notes of the paragraph they belong to;
//! 4. highlight fenced code with syntect.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::names::{write_href_html, write_title_html, ROOT_MARK};
use super::{byte_set, find_in_set, highlight::highlight, push_escaped_attr, push_escaped_html, ByteSet};
use crate::content::xref::{Linker, Place, Scope, Segment, ShownAs};
use crate::content::Library;
use crate::error::line_at;

/// What rendering a text gave.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// The places the text cites.
    pub cited: Vec<Place>,
    /// Unresolved references, with their line in the source file.
    pub problems: Vec<(usize, String)>,
    /// The footnotes the text cites, in order, each once.
    pub notes: Vec<String>,
    /// The destination of each Markdown link and image, with its line in the source
    /// file: a broken one is reported there.
    pub links: Vec<(String, usize)>,
}

/// Everything a text needs to be rendered in its place.
pub struct TextContext<'a> {
    pub linker: &'a Linker<'a>,
    pub scope: &'a Scope,
    /// Prefix of footnote anchors (the document id).
    pub footnote_prefix: &'a str,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// The parser's events as they go to HTML: adjacent text merged (the parser splits text at
/// brackets, so `[[id]]` arrives in pieces) and linked, footnote marks pointed at their
/// notes, code highlighted, the stub definitions left out. Events stream straight into
/// pulldown-cmark's HTML writer: nothing is collected or copied that need not be.
struct Linking<'t, 'c, I> {
    parser: I,
    /// What the parser reads (the text, and any footnote stubs).
    input: &'t str,
    /// The text, for line numbers.
    source: &'t str,
    first_line: usize,
    ctx: &'c TextContext<'c>,
    /// Events ready to go out, in order.
    ready: VecDeque<Event<'t>>,
    /// Text waiting for the next non-text event, and where it began in the source.
    pending: Option<(CowStr<'t>, usize)>,
    link_depth: usize,
    cited: Vec<Place>,
    problems: Vec<(usize, String)>,
    links: Vec<(String, usize)>,
}

impl<'t, I: Iterator<Item = (Event<'t>, Range<usize>)>> Linking<'t, '_, I> {
    fn text(&mut self, text: CowStr<'t>, at: usize) {
        self.pending = Some(match self.pending.take() {
            None => (text, at),
            Some((before, start)) => (self.join(before, text), start),
        });
    }

    /// Two adjacent pieces of text as one: a slice of the input when both are (the parser
    /// splits plain text at every bracket), else a copy.
    fn join(&self, before: CowStr<'t>, after: CowStr<'t>) -> CowStr<'t> {
        if let (CowStr::Borrowed(a), CowStr::Borrowed(b)) = (&before, &after) {
            if let (Some(a), Some(b)) = (self.span_of(a), self.span_of(b)) {
                if a.end == b.start {
                    return CowStr::Borrowed(&self.input[a.start..b.end]);
                }
            }
        }
        let mut merged = String::with_capacity(before.len() + after.len());
        merged.push_str(&before);
        merged.push_str(&after);
        merged.into()
    }

    /// Where `piece` lies in the input, if it is a slice of it.
    fn span_of(&self, piece: &str) -> Option<Range<usize>> {
        let start = (piece.as_ptr() as usize).checked_sub(self.input.as_ptr() as usize)?;
        (start + piece.len() <= self.input.len()).then_some(start..start + piece.len())
    }

    /// Queues the merged text, with references linked unless it is inside a link already.
    fn flush(&mut self) {
        let Some((text, at)) = self.pending.take() else { return };
        if self.link_depth > 0 {
            self.ready.push_back(Event::Text(text));
            return;
        }
        let linked = self.ctx.linker.link(&text, self.ctx.scope);
        self.cited.extend(linked.cited);
        for (offset, problem) in linked.problems {
            self.problems.push((line_at(self.source, at + offset, self.first_line), problem));
        }
        if let [Segment::Plain(_)] = linked.segments[..] {
            self.ready.push_back(Event::Text(text));
            return;
        }
        let lib = self.ctx.linker.library();
        // Plain pieces of a text read from the input stay slices of it.
        let input: Option<&'t str> = match text {
            CowStr::Borrowed(borrowed) => Some(borrowed),
            _ => None,
        };
        for segment in linked.segments {
            self.ready.push_back(match reference_html(segment, &text, lib) {
                Ok(html) => Event::InlineHtml(html.into()),
                Err(range) => Event::Text(match input {
                    Some(input) => CowStr::Borrowed(&input[range]),
                    None => text[range].to_string().into(),
                }),
            });
        }
    }

    /// Reads the parser until some event is ready (or the text ends).
    fn advance(&mut self) {
        while self.ready.is_empty() {
            let Some((event, range)) = self.parser.next() else {
                self.flush();
                return;
            };
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
                self.links.push((dest_url.to_string(), line_at(self.source, range.start, self.first_line)));
            }
            match event {
                Event::Text(t) => self.text(t, range.start),
                Event::Start(Tag::Link { .. }) => {
                    self.flush();
                    self.ready.push_back(event);
                    self.link_depth += 1;
                }
                Event::End(TagEnd::Link) => {
                    self.flush();
                    self.ready.push_back(event);
                    self.link_depth -= 1;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    self.flush();
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let mut body = String::new();
                    for (event, _) in self.parser.by_ref() {
                        match event {
                            Event::Text(t) => body.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    self.ready.push_back(Event::Html(highlight(&body, &lang).into()));
                }
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    self.flush();
                    for (event, _) in self.parser.by_ref() {
                        if matches!(event, Event::End(TagEnd::FootnoteDefinition)) {
                            break;
                        }
                    }
                }
                Event::FootnoteReference(label) => {
                    self.flush();
                    let mut html = String::new();
                    push_footnote_mark(&mut html, self.ctx.footnote_prefix, &label);
                    self.ready.push_back(Event::InlineHtml(html.into()));
                }
                other => {
                    self.flush();
                    self.ready.push_back(other);
                }
            }
        }
    }
}

impl<'t, I: Iterator<Item = (Event<'t>, Range<usize>)>> Iterator for &mut Linking<'t, '_, I> {
    type Item = Event<'t>;

    fn next(&mut self) -> Option<Event<'t>> {
        self.advance();
        self.ready.pop_front()
    }
}

/// The HTML of a segment of `text` that is a reference; a plain one's range.
fn reference_html(segment: Segment, text: &str, lib: &Library) -> Result<String, Range<usize>> {
    match segment {
        Segment::Plain(range) => Err(range),
        Segment::Link { range, to } => Ok(link_html(Some(&text[range]), lib, to, None)),
        Segment::Replaced { shown: ShownAs::Citation, to } => Ok(link_html(None, lib, to, None)),
        Segment::Replaced { shown: ShownAs::Text(shown), to } => Ok(link_html(Some(&shown), lib, to, Some(&shown))),
    }
}

/// Renders `text`, whose first line is `first_line` of its file.
pub fn render(text: &str, first_line: usize, ctx: &TextContext) -> Rendered {
    if !is_plain(text) {
        return render_parsed(text, first_line, ctx);
    }
    let rendered = render_unparsed(text, first_line, ctx);
    #[cfg(debug_assertions)]
    {
        let parsed = render_parsed(text, first_line, ctx);
        let parts = |r: &Rendered| (r.html.clone(), r.cited.clone(), r.problems.clone(), r.notes.clone(), r.links.clone());
        assert_eq!(parts(&rendered), parts(&parsed), "plain text rendered otherwise by the parser");
    }
    rendered
}

/// True when `text` is one line of plain prose, references (`[[…]]`) and footnote marks
/// (`[^1]`) aside: no character that Markdown reads as syntax, and no start that opens a
/// block. pulldown-cmark would make it one paragraph of the text as it is, each mark a
/// footnote reference; most paragraphs of a handbook are such.
fn is_plain(text: &str) -> bool {
    let starts_prose = text.chars().next().is_some_and(|c| c.is_alphabetic() || matches!(c, '(' | '"' | '\'' | '“' | '‘'));
    let ends_prose = text.chars().next_back().is_some_and(|c| !c.is_whitespace());
    if !starts_prose || !ends_prose {
        return false;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        match find_in_set(&bytes[i..], &NOT_PROSE) {
            Some(skip) => i += skip,
            None => return true,
        }
        if bytes[i] != b'[' {
            return false;
        }
        // A footnote mark whose label is letters, digits and hyphens, and not a link's
        // text or a definition.
        if let Some(rest) = text[i..].strip_prefix("[^") {
            let label = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
            if label == 0
                || rest.as_bytes().get(label) != Some(&b']')
                || matches!(rest.as_bytes().get(label + 1), Some(b'(' | b'[' | b']' | b':'))
            {
                return false;
            }
            i += 2 + label + 1;
            continue;
        }
        // A reference: `[[` and `]]` around prose (no bracket, line end or escape: what
        // the parser would read as such inside it, it reads so too), followed by no
        // link's destination or label.
        let Some(rest) = text[i..].strip_prefix("[[") else { return false };
        let Some(end) = rest.find("]]") else { return false };
        if find_in_set(&rest.as_bytes()[..end], &NOT_PROSE).is_some() || matches!(rest.as_bytes().get(end + 2), Some(b'(' | b'[' | b']')) {
            return false;
        }
        i += 2 + end + 2;
    }
}

/// The bytes `is_plain` looks at: what Markdown may read as syntax (`[` only in some
/// places), and control characters (line ends, tabs).
static NOT_PROSE: ByteSet = {
    let mut set = byte_set(b"\\`*_<>&!~^${}[]");
    let mut byte = 0;
    while byte < 0x20 {
        set[byte] = true;
        byte += 1;
    }
    set
};

/// `render` of a plain text (`is_plain`): its references linked and its footnote marks
/// written as the parser's path writes them, without the parser. As there, the text
/// between two marks is linked as a piece of its own.
fn render_unparsed(text: &str, first_line: usize, ctx: &TextContext) -> Rendered {
    let lib = ctx.linker.library();
    let mut rendered = Rendered { notes: footnote_labels(text), ..Rendered::default() };
    let mut link_piece = |html: &mut String, piece: std::ops::Range<usize>| {
        let linked = ctx.linker.link(&text[piece.clone()], ctx.scope);
        for segment in linked.segments {
            match reference_html(segment, &text[piece.clone()], lib) {
                Ok(link) => html.push_str(&link),
                Err(range) => html.push_str(&text[piece.start..][range]),
            }
        }
        rendered.cited.extend(linked.cited);
        let at = |offset: usize| line_at(text, piece.start + offset, first_line);
        rendered.problems.extend(linked.problems.into_iter().map(|(offset, problem)| (at(offset), problem)));
    };
    // Of the exact size, as `render_parsed` makes it.
    let html = SCRATCH.with_borrow_mut(|html| {
        html.clear();
        html.push_str("<p>");
        let mut from = 0;
        for (label, at) in crate::content::footnote_marks(text) {
            link_piece(html, from..at);
            push_footnote_mark(html, ctx.footnote_prefix, label);
            from = at + label.len() + 3;
        }
        link_piece(html, from..text.len());
        html.push_str("</p>\n");
        html.as_str().to_owned()
    });
    Rendered { html, ..rendered }
}

/// A footnote mark, leading to the note of `label`.
fn push_footnote_mark(html: &mut String, prefix: &str, label: &str) {
    html.push_str("<sup class=\"fnref\"><a href=\"#");
    push_escaped_attr(html, prefix);
    html.push_str("-fn-");
    push_escaped_attr(html, label);
    html.push_str("\">");
    push_escaped_html(html, label);
    html.push_str("</a></sup>");
}

/// `render` through pulldown-cmark.
fn render_parsed(text: &str, first_line: usize, ctx: &TextContext) -> Rendered {
    // Footnote definitions live elsewhere in the file; stubs make pulldown-cmark see the marks.
    let labels = footnote_labels(text);
    let source: std::borrow::Cow<str> = if labels.is_empty() {
        text.into()
    } else {
        let mut source = text.to_string();
        for label in &labels {
            source.push_str(&format!("\n\n[^{label}]: -"));
        }
        source.into()
    };
    let mut linking = Linking {
        parser: Parser::new_ext(&source, options()).into_offset_iter(),
        input: &source,
        source: text,
        first_line,
        ctx,
        ready: VecDeque::with_capacity(16),
        pending: None,
        link_depth: 0,
        cited: Vec::new(),
        problems: Vec::new(),
        links: Vec::new(),
    };
    // Written into this thread's buffer, then copied into a string of the exact size: a
    // large site holds hundreds of thousands of these until its pages are made, and room
    // guessed for links would be a third of that memory.
    let html = SCRATCH.with_borrow_mut(|scratch| {
        scratch.clear();
        pulldown_cmark::html::push_html(scratch, &mut linking);
        scratch.as_str().to_owned()
    });
    Rendered { html, cited: linking.cited, problems: linking.problems, notes: labels, links: linking.links }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Renders `text` as inline HTML: the same, without the paragraph wrapper.
pub fn render_inline(text: &str, first_line: usize, ctx: &TextContext) -> Rendered {
    let mut rendered = render(text, first_line, ctx);
    let trimmed = rendered.html.trim_end();
    if let Some(inner) = trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        if !inner.contains("<p>") {
            rendered.html = inner.to_string();
        }
    }
    rendered
}

/// A cross-reference: `text` linked to `to`, titled `title`; either, when not given, as
/// `to` is cited.
fn link_html(text: Option<&str>, lib: &Library, to: Place, title: Option<&str>) -> String {
    let mut html = String::with_capacity(128 + text.map_or(0, str::len));
    html.push_str("<a class=\"xref\" href=\"");
    write_href_html(lib, to, ROOT_MARK, &mut html);
    html.push_str("\" title=\"");
    match title {
        Some(title) => push_escaped_attr(&mut html, title),
        None => write_title_html(lib, to, &mut html),
    }
    html.push_str("\">");
    match text {
        Some(text) => push_escaped_html(&mut html, text),
        None => write_title_html(lib, to, &mut html),
    }
    html.push_str("</a>");
    html
}

/// Footnote labels cited in `text`, in order, each once.
fn footnote_labels(text: &str) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for (label, _) in crate::content::footnote_marks(text) {
        if !labels.iter().any(|l| l == label) {
            labels.push(label.to_string());
        }
    }
    labels
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Library;

    /// `test` given the context of a text in `lib`, outside any document's scope.
    fn in_context<T>(lib: &Library, test: impl FnOnce(&TextContext) -> T) -> T {
        let linker = Linker::new(lib);
        let scope = Scope::default();
        test(&TextContext { linker: &linker, scope: &scope, footnote_prefix: "doc" })
    }

    fn render_plain(text: &str) -> Rendered {
        in_context(&Library::default(), |ctx| render(text, 1, ctx))
    }

    /// A library of one report, `a` (A/1), with paragraphs 1 and 2.
    fn report_a() -> Library {
        let source = "+++\nid = \"a\"\nsymbol = \"A/1\"\ntitle = \"A\"\n+++\n1. one\n\n2. two\n";
        let mut problems = Vec::new();
        let doc = crate::content::parse_document(std::path::Path::new("content/a.md"), source, &mut problems).unwrap();
        let lib = Library::new(vec![std::sync::Arc::new(doc)], &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        lib
    }

    #[test]
    fn references_split_by_the_parser_or_beside_escapes_are_linked() {
        in_context(&report_a(), |ctx| {
            // The parser cuts text at brackets, and decodes `&amp;` and `\*` into pieces of their own.
            let html = render("R&amp;D [[a:1]], [[a:2|the second]] \\*and\\* A/1.", 1, ctx).html;
            assert_eq!(
                html,
                "<p>R&amp;D <a class=\"xref\" href=\"@/reports/a.html#a-1\" title=\"A/1, para. 1\">A/1, para. 1</a>, \
                 <a class=\"xref\" href=\"@/reports/a.html#a-2\" title=\"the second\">the second</a> *and* \
                 <a class=\"xref\" href=\"@/reports/a.html\" title=\"A/1\">A/1</a>.</p>\n"
            );
            // A range reads as its first and last paragraphs, leads to the first and cites all.
            let rendered = render("See [[a:1-2]] and [[a]].", 1, ctx);
            assert_eq!(
                rendered.html,
                "<p>See <a class=\"xref\" href=\"@/reports/a.html#a-1\" title=\"A/1, paras. 1–2\">A/1, paras. 1–2</a> and \
                 <a class=\"xref\" href=\"@/reports/a.html\" title=\"A/1\">A/1</a>.</p>\n"
            );
            assert_eq!(rendered.cited.len(), 3, "two paragraphs and the report");
        });
    }

    #[test]
    fn plain_texts_skip_the_parser_and_render_as_it_would() {
        in_context(&report_a(), |ctx| {
            let plain = [
                "States' \"views\" -- 'quoted', 50% of A/1 | B = C # 3 + 4 - 5: done.",
                "See [[a:1]], [[a:2|the second]] and [[a:1-2]]; also [[nowhere:9]] and [[a]].",
                "(a) Élan, “curly” ‘quotes’ and   spaces; ends with [[a:2]]",
                "Paragraph 2 of this report.",
                "Marks[^1] after A/1[^note-2], [[a:1]].[^1] and [[nowhere:3]] [^3]",
            ];
            for text in plain {
                assert!(is_plain(text), "{text}");
                let (fast, parsed) = (render_unparsed(text, 7, ctx), render_parsed(text, 7, ctx));
                assert_eq!(fast.html, parsed.html, "{text}");
                assert_eq!((fast.cited, fast.problems, fast.notes), (parsed.cited, parsed.problems, parsed.notes), "{text}");
            }
            let not_plain = [
                "",
                " leading space",
                "trailing space ",
                "2. a list",
                "# a heading",
                "- an item",
                "two\nlines",
                "a *star* or _under_",
                "a `code` span",
                "an <b>element</b>",
                "R&amp;D",
                "a \\* escape",
                "a [link](x.html)",
                "a [[a:1]](x.html) link around a reference",
                "a [[a:1]][x] label after a reference",
                "a [[a:1]]] bracket too many",
                "a [[x [y]]] nested bracket",
                "a [[a:1|the\nsecond]] reference across lines",
                "a [[a:1|R&amp;D]] reference with an entity",
                "a [[a:1|*x*]] reference with emphasis",
                "a footnote[^1](x.html) as a link",
                "a footnote[^1][x] with a label",
                "a footnote[^1][^2] twice over",
                "a footnote [^1]: defined",
                "a footnote [^a b] with a space",
                "a footnote [^a_b] with an underscore",
                "an empty [^] mark",
                "an open [^1 mark",
                "an ![image](i.png)",
                "~~struck~~",
                "[[a:1]] first",
                "a\ttab",
            ];
            for text in not_plain {
                assert!(!is_plain(text), "{text}");
            }
        });
    }

    #[test]
    fn syntax_is_found_wherever_it_lies_in_a_text() {
        let prose = "Prose longer than two chunks, “quoted” and plain.";
        assert_eq!(find_in_set(prose.as_bytes(), &NOT_PROSE), None);
        for at in 0..prose.len() {
            for syntax in [b'*', b'\n', b'['] {
                let mut text = prose.as_bytes().to_vec();
                text[at] = syntax;
                assert_eq!(find_in_set(&text, &NOT_PROSE), Some(at), "{} at {at}", syntax as char);
            }
        }
    }

    #[test]
    fn quotes_stay_verbatim() {
        let html = render_plain("States' \"views\" -- 'quoted'").html;
        assert_eq!(html, "<p>States' \"views\" -- 'quoted'</p>\n");
    }

    #[test]
    fn footnote_marks_link_to_the_paragraph_notes() {
        let html = render_plain("resolution 73/27[^1], which").html;
        assert_eq!(html, "<p>resolution 73/27<sup class=\"fnref\"><a href=\"#doc-fn-1\">1</a></sup>, which</p>\n");
    }

    #[test]
    fn code_blocks_are_highlighted_and_tables_render() {
        let html = render_plain("```toml\na = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n").html;
        assert!(html.contains("<pre class=\"code\" data-lang=\"toml\">"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn footnote_labels_are_found_once() {
        assert_eq!(footnote_labels("a[^1] b[^note] c[^1] [^ x]"), ["1", "note"]);
    }
}
