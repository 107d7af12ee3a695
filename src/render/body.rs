//! The markup of a report's text: paragraphs, sub-items, footnotes and "Cited in" lists,
//! written in Rust rather than by template macros. A report page holds some hundred of
//! these; writing them directly is what keeps a 10,000-page build fast. Themes place the
//! result (`report.body`, `node.markup`) and style it through the classes used here.

use super::documents::Citer;
use super::views::{BlockView, ChildView, FootnoteView, NodeView, ReportView};
use crate::content::{Library, TargetId, REPORTS_DIR};

/// Appends `text` escaped for element content or a double-quoted attribute (quotes too,
/// as the templates' own escaping does).
fn push_escaped(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// The whole text of a report: headings, paragraphs, prose and the notes left at the end.
pub fn report_body(report: &ReportView, lib: &Library) -> String {
    let mut out = String::with_capacity(64 * 1024);
    for block in &report.blocks {
        match block {
            BlockView::Heading { level, html, anchor } => {
                out.push_str(&format!("<h{level} id=\""));
                push_escaped(&mut out, anchor);
                out.push_str(&format!("\">{html}</h{level}>\n"));
            }
            BlockView::Paragraph(node) => write_node(&mut out, lib, node, 0, None),
            BlockView::Prose { html, footnotes } => {
                out.push_str("<div class=\"prose\">");
                out.push_str(html);
                write_footnotes(&mut out, footnotes, None);
                out.push_str("</div>\n");
            }
        }
    }
    write_footnotes(&mut out, &report.footnotes, None);
    out
}

/// A paragraph as shown away from its report (on survey pages): its permalink leads
/// there, and its anchors and those of its notes take `prefix`, so that a page can show
/// one paragraph twice.
pub fn embedded_node(node: &NodeView, lib: &Library, prefix: &str) -> String {
    let mut out = String::new();
    write_node(&mut out, lib, node, 0, Some(prefix));
    out
}

/// What a node is called, from its target.
struct Names<'a> {
    doc_id: &'a str,
    key: &'a str,
    citation_name: &'a str,
}

impl<'a> Names<'a> {
    fn of(lib: &'a Library, target: TargetId) -> Self {
        let target = lib.target_at(target);
        let doc = &lib.docs[target.doc];
        Names { doc_id: &doc.meta.id, key: &target.key, citation_name: doc.citation_name() }
    }

    /// `gge-2021-71-g`, after `prefix-` on survey pages.
    fn push_anchor(&self, out: &mut String, prefix: Option<&str>) {
        if let Some(prefix) = prefix {
            push_escaped(out, prefix);
            out.push('-');
        }
        push_escaped(out, self.doc_id);
        out.push('-');
        push_escaped(out, self.key);
    }

    /// `@/reports/gge-2021.html#gge-2021-71-g`: the node in its report, from the site root.
    fn push_href(&self, out: &mut String) {
        out.push_str("@/");
        out.push_str(REPORTS_DIR);
        out.push('/');
        push_escaped(out, self.doc_id);
        out.push_str(".html#");
        self.push_anchor(out, None);
    }

    /// `gge-2021:71-g`.
    fn push_id(&self, out: &mut String) {
        push_escaped(out, self.doc_id);
        out.push(':');
        push_escaped(out, self.key);
    }

    /// `para. 71 (g)` (`numbers_only`: `71 (g)`).
    fn push_label(&self, out: &mut String, numbers_only: bool) {
        let mut parts = self.key.split('-');
        if !numbers_only {
            out.push_str("para. ");
        }
        push_escaped(out, parts.next().unwrap_or_default());
        for marker in parts {
            out.push_str(" (");
            push_escaped(out, marker);
            out.push(')');
        }
    }

    /// `A/76/135, para. 71 (g)`.
    fn push_citation(&self, out: &mut String) {
        push_escaped(out, self.citation_name);
        out.push_str(", ");
        self.push_label(out, false);
    }

    /// `71` or `g`.
    fn marker(&self) -> &'a str {
        self.key.rsplit('-').next().unwrap_or(self.key)
    }
}

/// A paragraph (depth 0) or sub-item, with its children, notes and citers.
fn write_node(out: &mut String, lib: &Library, node: &NodeView, depth: usize, embedded: Option<&str>) {
    let names = Names::of(lib, node.target);
    out.push_str(if depth == 0 { "<div class=\"para\" id=\"" } else { "<div class=\"sub\" id=\"" });
    names.push_anchor(out, embedded);
    out.push_str("\" data-para=\"");
    names.push_id(out);
    out.push_str("\" data-pagefind-title=\"");
    names.push_citation(out);
    out.push_str("\">\n<a class=\"permalink\" href=\"");
    if embedded.is_some() {
        names.push_href(out);
        out.push_str("\" title=\"");
        names.push_id(out);
        out.push_str(" in the full report\">");
    } else {
        out.push('#');
        names.push_anchor(out, None);
        out.push_str("\" title=\"Permalink to ");
        names.push_label(out, false);
        out.push_str("\">");
    }
    if depth > 0 {
        out.push('(');
        push_escaped(out, names.marker());
        out.push(')');
    } else if names.key.contains('-') {
        // A sub-item quoted alone (on survey pages) shows "71 (g)".
        names.push_label(out, true);
    } else {
        push_escaped(out, names.marker());
        out.push('.');
    }
    out.push_str("</a>\n<div class=\"body\">\n");
    push_html(out, &node.html, names.doc_id, embedded);
    for child in &node.children {
        match child {
            ChildView::Text { html } => push_html(out, html, names.doc_id, embedded),
            ChildView::Item(item) => write_node(out, lib, item, depth + 1, embedded),
        }
    }
    write_footnotes(out, &node.footnotes, embedded);
    // Away from its report, a paragraph's citers are not listed.
    if embedded.is_none() {
        write_cited_in(out, lib, &node.cited_in);
    }
    out.push_str("</div>\n</div>\n");
}

/// Rendered text; on survey pages its footnote marks point at the prefixed notes.
fn push_html(out: &mut String, html: &str, doc_id: &str, prefix: Option<&str>) {
    match prefix {
        Some(prefix) => out.push_str(&html.replace(&format!("href=\"#{doc_id}-fn-"), &format!("href=\"#{prefix}-{doc_id}-fn-"))),
        None => out.push_str(html),
    }
}

/// Notes, numbered as in the source.
fn write_footnotes(out: &mut String, notes: &[FootnoteView], prefix: Option<&str>) {
    if notes.is_empty() {
        return;
    }
    out.push_str("<aside class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>");
    for note in notes {
        out.push_str("<li id=\"");
        if let Some(prefix) = prefix {
            push_escaped(out, prefix);
            out.push('-');
        }
        push_escaped(out, &note.anchor);
        out.push_str("\" value=\"");
        push_escaped(out, &note.label);
        out.push_str("\">");
        out.push_str(&note.html);
        out.push_str("</li>");
    }
    out.push_str("</ol>\n</aside>\n");
}

/// The places citing a paragraph, folded away.
fn write_cited_in(out: &mut String, lib: &Library, citers: &[Citer]) {
    if citers.is_empty() {
        return;
    }
    let count = citers.len();
    out.push_str(&format!(
        "<details class=\"cited-in\" data-pagefind-ignore=\"all\">\n<summary>Cited in {count} place{}</summary>\n<ul>",
        if count == 1 { "" } else { "s" }
    ));
    for citer in citers {
        out.push_str("<li><a href=\"");
        match citer {
            Citer::Node(target) => {
                let names = Names::of(lib, *target);
                names.push_href(out);
                out.push_str("\">");
                names.push_citation(out);
            }
            other => {
                let link = other.link(lib);
                push_escaped(out, &link.href);
                out.push_str("\">");
                push_escaped(out, &link.text);
            }
        }
        out.push_str("</a></li>");
    }
    out.push_str("</ul>\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_like_the_templates_do() {
        let mut out = String::new();
        push_escaped(&mut out, "a<b & \"c\" 'd'");
        assert_eq!(out, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;");
    }
}
