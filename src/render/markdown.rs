//! Markdown to HTML for one text block, with pulldown-cmark:
//! 1. parse with tables and footnotes (no smart punctuation: texts are verbatim);
//! 2. merge adjacent text events and link the references found in them (`content::xref`);
//! 3. point footnote marks at the notes of the paragraph they belong to;
//! 4. highlight fenced code with syntect.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::{escape_attr, escape_html, highlight::highlight};
use crate::content::xref::{Linker, Scope, Segment};
use crate::error::line_at;

/// What rendering a text gave.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Ids of the paragraphs the text cites.
    pub cited: Vec<String>,
    /// Unresolved references, with their line in the source file.
    pub problems: Vec<(usize, String)>,
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

/// Collects output events; adjacent text is merged so references split by the parser are found.
struct Output<'t, 'c> {
    source: &'t str,
    first_line: usize,
    ctx: &'c TextContext<'c>,
    events: Vec<Event<'t>>,
    rendered: Rendered,
    pending: String,
    pending_at: usize,
    link_depth: usize,
}

impl<'t> Output<'t, '_> {
    fn text(&mut self, text: &str, at: usize) {
        if self.pending.is_empty() {
            self.pending_at = at;
        }
        self.pending.push_str(text);
    }

    /// Emits the merged text, with references linked unless it is inside a link already.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        if self.link_depth > 0 {
            self.events.push(Event::Text(CowStr::from(text)));
            return;
        }
        let linked = self.ctx.linker.link(&text, self.ctx.scope);
        let lib = self.ctx.linker.library();
        self.rendered.cited.extend(linked.cited);
        for (offset, problem) in linked.problems {
            let line = line_at(self.source, self.pending_at + offset, self.first_line);
            self.rendered.problems.push((line, problem));
        }
        for segment in linked.segments {
            self.events.push(match segment {
                Segment::Plain(range) => Event::Text(CowStr::from(text[range].to_string())),
                Segment::Link { range, to } => Event::InlineHtml(link_html(&text[range], &lib.link_href(to), &lib.link_title(to)).into()),
                Segment::Replaced { text, to } => Event::InlineHtml(link_html(&text, &lib.link_href(to), &text).into()),
            });
        }
    }

    fn push(&mut self, event: Event<'t>) {
        self.flush();
        self.events.push(event);
    }
}

/// Renders `text`, whose first line is `first_line` of its file.
pub fn render(text: &str, first_line: usize, ctx: &TextContext) -> Rendered {
    // Footnote definitions live elsewhere in the file; stubs make pulldown-cmark see the marks.
    let labels = footnote_labels(text);
    let source: std::borrow::Cow<str> = if labels.is_empty() {
        text.into()
    } else {
        let mut source = text.to_string();
        for label in labels {
            source.push_str(&format!("\n\n[^{label}]: -"));
        }
        source.into()
    };
    let mut out = Output {
        source: text,
        first_line,
        ctx,
        events: Vec::new(),
        rendered: Rendered::default(),
        pending: String::new(),
        pending_at: 0,
        link_depth: 0,
    };
    let mut code: Option<(String, String)> = None;
    let mut skipping_definition = false;
    for (event, range) in Parser::new_ext(&source, options()).into_offset_iter() {
        if skipping_definition {
            skipping_definition = !matches!(event, Event::End(TagEnd::FootnoteDefinition));
            continue;
        }
        if let Some((lang, body)) = code.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    out.push(Event::Html(highlight(body, lang).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Text(t) => out.text(&t, range.start),
            Event::Start(Tag::Link { .. }) => {
                out.push(event.into_static());
                out.link_depth += 1;
            }
            Event::End(TagEnd::Link) => {
                out.push(event);
                out.link_depth -= 1;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                out.flush();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::FootnoteDefinition(_)) => {
                out.flush();
                skipping_definition = true;
            }
            Event::FootnoteReference(label) => {
                let anchor = format!("{}-fn-{}", ctx.footnote_prefix, label);
                let html = format!("<sup class=\"fnref\"><a href=\"#{}\">{}</a></sup>", escape_attr(&anchor), escape_html(&label));
                out.push(Event::InlineHtml(html.into()));
            }
            other => out.push(other.into_static()),
        }
    }
    out.flush();
    pulldown_cmark::html::push_html(&mut out.rendered.html, out.events.into_iter());
    // The HTML is kept until its page is made: a large site holds it all at once.
    out.rendered.html.shrink_to_fit();
    out.rendered
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

fn link_html(text: &str, href: &str, title: &str) -> String {
    format!("<a class=\"xref\" href=\"{}\" title=\"{}\">{}</a>", escape_attr(href), escape_attr(title), escape_html(text))
}

/// Footnote labels cited in `text`, in order, each once.
pub fn footnote_labels(text: &str) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    for open in memchr::memchr_iter(b'[', bytes) {
        if open < from || bytes.get(open + 1) != Some(&b'^') {
            continue;
        }
        let rest = &text[open + 2..];
        let Some(end) = rest.find(']') else { break };
        from = open + 2 + end;
        let label = &rest[..end];
        if !label.is_empty() && !label.contains(char::is_whitespace) && !labels.iter().any(|l| l == label) {
            labels.push(label.to_string());
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Library;

    fn render_plain(text: &str) -> Rendered {
        let lib = Library::default();
        let linker = Linker::new(&lib);
        let scope = Scope::default();
        render(text, 1, &TextContext { linker: &linker, scope: &scope, footnote_prefix: "doc" })
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
