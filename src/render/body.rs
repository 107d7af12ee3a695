//! The markup of a report's text: paragraphs, sub-items, footnotes and "Cited in" lists,
//! written in Rust rather than by template macros. A report page holds some hundred of
//! these; writing them directly is what keeps a 10,000-page build fast. Themes place the
//! result (`report.body`, `node.markup`) and style it through the classes used here.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::documents::{Citations, Citer};
use super::names::{write_href_html, write_title_html, ROOT_MARK};
use super::push_escaped_all as push_escaped;
use super::views::{BlockView, ChildView, FootnoteView, NodeView, ReportView};
use crate::content::paragraph::marker_of;
use crate::content::xref::Place;
use crate::content::{write_label, Library, TargetId};
use crate::links::ScanRecorder;

/// Appends the whole text of a report: headings, paragraphs, prose and the notes left at the end.
/// Links from the site root (`@/`) are written from `root`, the page's way to the root
/// (`../`), so that the page need not be read again to rewrite them. Each paragraph's
/// "Cited in" list comes from `citations`. With `scan`, the ids and links written are
/// told to it, and the rendered Markdown read by it.
pub fn write_report_body(
    out: &mut String,
    report: &ReportView,
    lib: &Library,
    citations: &Citations,
    root: &str,
    scan: Option<&mut ScanRecorder>,
) {
    let mut w = Writer { out: std::mem::take(out), lib, citations: Some(citations), root, embedded: None, scan };
    for block in &report.blocks {
        match block {
            BlockView::Heading { level, html, anchor } => {
                let mut digits = itoa::Buffer::new();
                let level = digits.format(*level);
                w.out.push_str("<h");
                w.out.push_str(level);
                w.out.push_str(" id=\"");
                let at = w.out.len();
                push_escaped(&mut w.out, anchor);
                w.id_from(at);
                w.out.push_str("\">");
                w.html(html);
                w.out.push_str("</h");
                w.out.push_str(level);
                w.out.push_str(">\n");
            }
            BlockView::Paragraph(node) => w.node(node, 0),
            BlockView::Prose { html, footnotes } => {
                w.out.push_str("<div class=\"prose\">");
                w.html(html);
                w.footnotes(footnotes);
                w.out.push_str("</div>\n");
            }
        }
    }
    w.footnotes(&report.footnotes);
    *out = w.out;
}

/// A paragraph as shown away from its report (on survey pages): its permalink leads
/// there, and its anchors and those of its notes take `prefix`, so that a page can show
/// one paragraph twice. Its links stay `@/` links, for its page to rewrite.
pub fn embedded_node(node: &NodeView, lib: &Library, prefix: &str) -> String {
    let mut notes = Vec::new();
    notes_within(node, &mut notes);
    let embedded = Embedded::new(lib, node, prefix, notes);
    let mut w = Writer { out: String::new(), lib, citations: None, root: ROOT_MARK, embedded: Some(embedded), scan: None };
    w.node(node, 0);
    w.out
}

/// A paragraph shown away from its report.
struct Embedded<'a> {
    /// What its anchors and those of its notes start with.
    prefix: &'a str,
    /// Its report (`@/reports/x.html`), where its links within the report now lead.
    report: String,
    /// The anchors of the notes shown with it (as its HTML writes them): its footnote
    /// marks lead to these copies; a note cited first by another paragraph is not here.
    notes: Vec<String>,
}

impl<'a> Embedded<'a> {
    fn new(lib: &Library, node: &NodeView, prefix: &'a str, notes: Vec<String>) -> Self {
        let mut report = String::new();
        write_href_html(lib, Place::Document(lib.target_at(node.target).doc), ROOT_MARK, &mut report);
        Embedded { prefix, report, notes }
    }
}

/// The anchors of the notes of `node` and its sub-items, escaped as its HTML writes them.
fn notes_within(node: &NodeView, out: &mut Vec<String>) {
    out.extend(node.footnotes.iter().map(|note| super::escape_attr(&note.anchor)));
    for child in &node.children {
        if let ChildView::Item(item) = child {
            notes_within(item, out);
        }
    }
}

/// A paragraph's own text as shown away from its report, without its sub-items and notes
/// (for themes that show previews): its links within the report lead there.
pub fn embedded_text(node: &NodeView, lib: &Library, prefix: &str) -> String {
    retarget_local_links(&node.html, &Embedded::new(lib, node, prefix, Vec::new()))
}

/// What a node is called, from its target.
struct Names<'a> {
    /// `gge-2021`.
    doc_id: &'a str,
    key: &'a str,
}

impl<'a> Names<'a> {
    fn of(lib: &'a Library, target: TargetId) -> Self {
        let target = lib.target_at(target);
        Names { doc_id: &lib.docs[target.doc].meta.id, key: target.key }
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

    /// `gge-2021:71-g`.
    fn push_id(&self, out: &mut String) {
        push_escaped(out, self.doc_id);
        out.push(':');
        push_escaped(out, self.key);
    }

    /// `para. 71 (g)` (`numbers_only`: `71 (g)`).
    fn push_label(&self, out: &mut String, numbers_only: bool) {
        write_label(self.key, numbers_only, out, push_escaped);
    }

    /// `71` or `g`.
    fn marker(&self) -> &'a str {
        marker_of(self.key)
    }
}

/// Writes text markup for one page.
struct Writer<'a> {
    out: String,
    lib: &'a Library,
    /// Who cites what, for "Cited in" lists; none away from the report.
    citations: Option<&'a Citations>,
    /// What `@/` links start with here: the page's way to the site root, or `@/` itself.
    root: &'a str,
    /// On survey pages, the paragraph shown.
    embedded: Option<Embedded<'a>>,
    /// What the links check is told of the page, when it is written for a build.
    scan: Option<&'a mut ScanRecorder>,
}

impl<'a> Writer<'a> {
    /// Rendered HTML, its `@/` links from `root`; on survey pages, its links within its
    /// report lead there (`retarget_local_links`).
    fn html(&mut self, html: &str) {
        let at = self.out.len();
        match &self.embedded {
            Some(embedded) => push_rooted(&mut self.out, &retarget_local_links(html, embedded), self.root),
            None => push_rooted(&mut self.out, html, self.root),
        }
        if let Some(scan) = &mut self.scan {
            scan.html(&self.out, at);
        }
    }

    /// On survey pages, what anchors start with.
    fn prefix(&self) -> Option<&'a str> {
        self.embedded.as_ref().map(|embedded| embedded.prefix)
    }

    /// The id just written, from `at` to the end.
    fn id_from(&mut self, at: usize) {
        if let Some(scan) = &mut self.scan {
            scan.id(&self.out[at..]);
        }
    }

    /// The link just written, from `at` to the end.
    fn link_from(&mut self, at: usize) {
        if let Some(scan) = &mut self.scan {
            scan.link(&self.out, at..self.out.len());
        }
    }

    /// A link's `href` value: a `@/` link starts from `root`.
    fn href(&mut self, href: &str) {
        match href.strip_prefix(ROOT_MARK) {
            Some(rest) => {
                self.out.push_str(self.root);
                push_escaped(&mut self.out, rest);
            }
            None => push_escaped(&mut self.out, href),
        }
    }

    /// A paragraph (depth 0) or sub-item, with its children, notes and citers.
    fn node(&mut self, node: &NodeView, depth: usize) {
        let names = Names::of(self.lib, node.target);
        self.out.push_str(if depth == 0 { "<div class=\"para\" id=\"" } else { "<div class=\"sub\" id=\"" });
        let at = self.out.len();
        let prefix = self.prefix();
        names.push_anchor(&mut self.out, prefix);
        self.id_from(at);
        self.out.push_str("\" data-para=\"");
        names.push_id(&mut self.out);
        self.out.push_str("\" data-pagefind-title=\"");
        write_title_html(self.lib, Place::Node(node.target), &mut self.out);
        self.out.push_str("\">\n<a class=\"permalink\" href=\"");
        let at = self.out.len();
        if self.embedded.is_some() {
            write_href_html(self.lib, Place::Node(node.target), self.root, &mut self.out);
            self.link_from(at);
            self.out.push_str("\" title=\"");
            names.push_id(&mut self.out);
            self.out.push_str(" in the full report\">");
        } else {
            // The id just written, on this page: a link the check need not be told of
            // (a third of a report page's links).
            self.out.push('#');
            names.push_anchor(&mut self.out, None);
            self.out.push_str("\" title=\"Permalink to ");
            names.push_label(&mut self.out, false);
            self.out.push_str("\">");
        }
        let out = &mut self.out;
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
        self.html(&node.html);
        for child in &node.children {
            match child {
                ChildView::Text { html } => self.html(html),
                ChildView::Item(item) => self.node(item, depth + 1),
            }
        }
        self.footnotes(&node.footnotes);
        // Away from its report, a paragraph's citers are not listed (no `citations`).
        self.cited_in(node.target);
        self.out.push_str("</div>\n</div>\n");
    }

    /// Notes, numbered as in the source.
    fn footnotes(&mut self, notes: &[FootnoteView]) {
        if notes.is_empty() {
            return;
        }
        self.out.push_str("<aside class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>");
        for note in notes {
            self.out.push_str("<li id=\"");
            let at = self.out.len();
            if let Some(prefix) = self.prefix() {
                push_escaped(&mut self.out, prefix);
                self.out.push('-');
            }
            push_escaped(&mut self.out, &note.anchor);
            self.id_from(at);
            self.out.push_str("\" value=\"");
            push_escaped(&mut self.out, &note.label);
            self.out.push_str("\">");
            self.html(&note.html);
            self.out.push_str("</li>");
        }
        self.out.push_str("</ol>\n</aside>\n");
    }

    /// The places citing a paragraph, folded away.
    fn cited_in(&mut self, target: TargetId) {
        let Some(citations) = self.citations else {
            return;
        };
        let own = Citer::Node(target);
        let citers: Vec<&Citer> = citations.citers(Place::Node(target), &own).collect();
        if citers.is_empty() {
            return;
        }
        let count = citers.len();
        self.out.push_str("<details class=\"cited-in\" data-pagefind-ignore=\"all\">\n<summary>Cited in ");
        self.out.push_str(itoa::Buffer::new().format(count));
        self.out.push_str(if count == 1 { " place" } else { " places" });
        self.out.push_str("</summary>\n<ul>");
        for citer in citers {
            self.out.push_str("<li><a href=\"");
            let at = self.out.len();
            match citer {
                Citer::Node(target) => {
                    write_href_html(self.lib, Place::Node(*target), self.root, &mut self.out);
                    self.link_from(at);
                    self.out.push_str("\">");
                    write_title_html(self.lib, Place::Node(*target), &mut self.out);
                }
                other => {
                    let link = other.link(self.lib);
                    self.href(&link.href);
                    self.link_from(at);
                    self.out.push_str("\">");
                    push_escaped(&mut self.out, &link.text);
                }
            }
            self.out.push_str("</a></li>");
        }
        self.out.push_str("</ul>\n</details>\n");
    }
}

/// `html` of a report as shown away from it (`embedded`): its links lead where they do
/// on the report's page. Those within the report (`#anchor`, `?query`, or none at all)
/// lead to the report, but a footnote mark whose note is shown with it leads to that
/// copy, prefixed (a page may show one paragraph twice); relative links (`beta.html`,
/// `map.png`, written in the Markdown) start from the report's folder.
fn retarget_local_links(html: &str, embedded: &Embedded) -> String {
    let mut links = Vec::new();
    crate::html::for_each_attribute(html, 0, |name, value| {
        if crate::html::is_link_attribute(name) {
            links.push(value);
        }
    });
    let mut out = String::with_capacity(html.len() + 64);
    let mut last = 0;
    for range in links {
        out.push_str(&html[last..range.start]);
        let value = &html[range.clone()];
        if let Some(anchor) = value.strip_prefix('#') {
            if embedded.notes.iter().any(|note| note == anchor) {
                out.push('#');
                push_escaped(&mut out, embedded.prefix);
                out.push('-');
            } else {
                out.push_str(&embedded.report);
                out.push('#');
            }
            out.push_str(anchor);
        } else if value.is_empty() || value.starts_with('?') {
            out.push_str(&embedded.report);
            out.push_str(value);
        } else if is_relative(value) {
            push_from_folder_of(&mut out, &embedded.report, value);
        } else {
            out.push_str(value);
        }
        last = range.end;
    }
    out.push_str(&html[last..]);
    out
}

/// True for a link that starts from the page's folder: no scheme (`https:`), and not from
/// the site root (`@/`, `/`), an anchor or a query alone.
fn is_relative(link: &str) -> bool {
    let scheme = link.find(':').is_some_and(|colon| !link[..colon].contains(['/', '?', '#']));
    !link.is_empty() && !scheme && !link.starts_with(['/', '#', '?']) && !link.starts_with(ROOT_MARK)
}

/// Appends `link`, relative to the page `page` (`@/reports/a.html`), from the site root.
fn push_from_folder_of(out: &mut String, page: &str, link: &str) {
    let mut folder = &page[..page.rfind('/').map_or(0, |slash| slash + 1)];
    let mut rest = link;
    loop {
        if let Some(after) = rest.strip_prefix("./") {
            rest = after;
        } else if let (Some(after), Some(up)) = (rest.strip_prefix("../"), folder.strip_suffix('/').and_then(|f| f.rfind('/'))) {
            folder = &folder[..up + 1];
            rest = after;
        } else {
            break;
        }
    }
    out.push_str(folder);
    out.push_str(rest);
}

/// Appends `html` with its links from the site root (`href="@/x"`, `src="@/x"`) starting
/// from `root` instead.
pub fn push_rooted(out: &mut String, html: &str, root: &str) {
    const MARK: &str = "=\"@/";
    static FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(MARK));
    if root == ROOT_MARK {
        out.push_str(html);
        return;
    }
    let mut last = 0;
    for at in FINDER.find_iter(html.as_bytes()) {
        out.push_str(&html[last..at]);
        out.push_str("=\"");
        out.push_str(root);
        last = at + MARK.len();
    }
    out.push_str(&html[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_within_a_report_lead_back_to_it_from_an_embedded_copy() {
        let embedded = Embedded { prefix: "q1", report: "@/reports/a.html".into(), notes: vec!["a-fn-1".into()] };
        let html = r##"<p>See <a href="#a-2">paragraph 2</a>, notes<sup class="fnref"><a href="#a-fn-1">1</a></sup><sup class="fnref"><a href="#a-fn-2">2</a></sup>, <a href="#a-fn">x</a> and <a href="other.html#a-2">y</a>.</p>"##;
        // Note 1 is shown with the paragraph; note 2 was first cited by another one.
        assert_eq!(
            retarget_local_links(html, &embedded),
            r##"<p>See <a href="@/reports/a.html#a-2">paragraph 2</a>, notes<sup class="fnref"><a href="#q1-a-fn-1">1</a></sup><sup class="fnref"><a href="@/reports/a.html#a-fn-2">2</a></sup>, <a href="@/reports/a.html#a-fn">x</a> and <a href="@/reports/other.html#a-2">y</a>.</p>"##
        );
        assert_eq!(retarget_local_links("no links", &embedded), "no links");
        // Relative links start from the report's folder; others stay as they are.
        let links = [
            ("map.png", "@/reports/map.png"),
            ("./b.html?x=1&amp;y=2", "@/reports/b.html?x=1&amp;y=2"),
            ("../index.html#top", "@/index.html#top"),
            ("../../out.html", "@/../out.html"),
            ("@/reports/b.html", "@/reports/b.html"),
            ("https://un.org/a:b", "https://un.org/a:b"),
            ("mailto:x@un.org", "mailto:x@un.org"),
            ("/abs.html", "/abs.html"),
            ("?q=1", "@/reports/a.html?q=1"),
            ("", "@/reports/a.html"),
            ("a/b:c.html", "@/reports/a/b:c.html"),
        ];
        for (link, expected) in links {
            let html = format!("<a class=\"x\" href=\"{link}\">a</a><img src=\"{link}\">");
            assert_eq!(
                retarget_local_links(&html, &embedded),
                format!("<a class=\"x\" href=\"{expected}\">a</a><img src=\"{expected}\">"),
                "{link}"
            );
        }
        // Text that only looks like an attribute is not one.
        let text = "<p>Write <code>&lt;img src=\"logo.png\"&gt;</code> or set href=\"x.html\".</p>";
        assert_eq!(retarget_local_links(text, &embedded), text);
    }

    #[test]
    fn text_is_escaped_like_the_templates_do() {
        let mut out = String::new();
        push_escaped(&mut out, "a<b & \"c\" 'd'");
        assert_eq!(out, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;");
    }
}
