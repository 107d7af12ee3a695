//! The markup of a report's text: paragraphs, sub-items, footnotes and "Cited in" lists,
//! written in Rust rather than by template macros. A report page holds some hundred of
//! these; writing them directly is what keeps a 10,000-page build fast. Themes place the
//! result (`report.body`, `node.markup`) and style it through the classes used here.

use super::views::{BlockView, ChildView, FootnoteView, LinkView, NodeView, ReportView};

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
pub fn report_body(report: &ReportView) -> String {
    let mut out = String::with_capacity(64 * 1024);
    for block in &report.blocks {
        match block {
            BlockView::Heading { level, html, anchor } => {
                out.push_str(&format!("<h{level} id=\""));
                push_escaped(&mut out, anchor);
                out.push_str(&format!("\">{html}</h{level}>\n"));
            }
            BlockView::Paragraph(node) => write_node(&mut out, node, 0, false),
            BlockView::Prose { html, footnotes } => {
                out.push_str("<div class=\"prose\">");
                out.push_str(html);
                write_footnotes(&mut out, footnotes);
                out.push_str("</div>\n");
            }
        }
    }
    write_footnotes(&mut out, &report.footnotes);
    out
}

/// A paragraph as shown away from its report (on survey pages): its permalink leads there.
pub fn embedded_node(node: &NodeView) -> String {
    let mut out = String::new();
    write_node(&mut out, node, 0, true);
    out
}

/// A paragraph (depth 0) or sub-item, with its children, notes and citers.
fn write_node(out: &mut String, node: &NodeView, depth: usize, embedded: bool) {
    out.push_str(if depth == 0 { "<div class=\"para\" id=\"" } else { "<div class=\"sub\" id=\"" });
    push_escaped(out, &node.anchor);
    out.push_str("\" data-para=\"");
    push_escaped(out, &node.id);
    out.push_str("\" data-pagefind-title=\"");
    push_escaped(out, &node.citation);
    out.push_str("\">\n<a class=\"permalink\" href=\"");
    if embedded {
        push_escaped(out, &node.href);
        out.push_str("\" title=\"");
        push_escaped(out, &node.id);
        out.push_str(" in the full report\">");
    } else {
        out.push('#');
        push_escaped(out, &node.anchor);
        out.push_str("\" title=\"Permalink to ");
        push_escaped(out, &node.label);
        out.push_str("\">");
    }
    if depth > 0 {
        out.push('(');
        push_escaped(out, &node.marker);
        out.push(')');
    } else if node.label.contains('(') {
        // A sub-item quoted alone (on survey pages) shows "71 (g)".
        push_escaped(out, node.label.trim_start_matches("para. "));
    } else {
        push_escaped(out, &node.marker);
        out.push('.');
    }
    out.push_str("</a>\n<div class=\"body\">\n");
    out.push_str(&node.html);
    for child in &node.children {
        match child {
            ChildView::Text { html } => out.push_str(html),
            ChildView::Item(item) => write_node(out, item, depth + 1, embedded),
        }
    }
    write_footnotes(out, &node.footnotes);
    write_cited_in(out, &node.cited_in);
    out.push_str("</div>\n</div>\n");
}

/// Notes, numbered as in the source.
fn write_footnotes(out: &mut String, notes: &[FootnoteView]) {
    if notes.is_empty() {
        return;
    }
    out.push_str("<aside class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>");
    for note in notes {
        out.push_str("<li id=\"");
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
fn write_cited_in(out: &mut String, links: &[LinkView]) {
    if links.is_empty() {
        return;
    }
    let count = links.len();
    out.push_str(&format!(
        "<details class=\"cited-in\" data-pagefind-ignore=\"all\">\n<summary>Cited in {count} place{}</summary>\n<ul>",
        if count == 1 { "" } else { "s" }
    ));
    for link in links {
        out.push_str("<li><a href=\"");
        push_escaped(out, &link.href);
        out.push_str("\">");
        push_escaped(out, &link.text);
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
