//! Renders every document of the library into a `ReportView`, and gathers who cites what.
//!
//! Steps: render each block's Markdown (linking references, attaching each footnote to
//! the first paragraph that cites it); collect citations; then, once every citing text is
//! known (the survey adds its own), `attach_citations` fills the "Cited in" lists.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::markdown::{footnote_labels, render, render_inline, Rendered, TextContext};
use super::views::{BlockView, ChildView, FootnoteView, LinkView, NodeView, ReportSummary, ReportView};
use crate::content::paragraph::{Block, Child, FootnoteDef, Node};
use crate::content::xref::{Linker, Scope};
use crate::content::{anchor, node_label, Document, Library};
use crate::error::Diagnostic;
use crate::reuse::{doc_key, RenderedDoc};

/// Who cites each paragraph or document id, in the order citations were found. Shared
/// pointers: `serve` merges every document's citations again at each rebuild.
#[derive(Debug, Default, Clone)]
pub struct Citations {
    by_target: FxHashMap<Arc<str>, Vec<Arc<LinkView>>>,
}

impl Citations {
    /// Records that `citer` cites every id in `targets`.
    pub fn add(&mut self, citer: &LinkView, targets: &[String]) {
        if targets.is_empty() {
            return;
        }
        let citer = Arc::new(citer.clone());
        for target in targets {
            let list = match self.by_target.get_mut(target.as_str()) {
                Some(list) => list,
                None => self.by_target.entry(Arc::from(target.as_str())).or_default(),
            };
            if !list.contains(&citer) {
                list.push(Arc::clone(&citer));
            }
        }
    }

    /// Adds another set's citations after this one's (document order is kept).
    pub fn merge(&mut self, other: &Citations) {
        self.absorb(other.clone());
    }

    /// The same, taking `other`'s lists rather than copying them.
    pub fn absorb(&mut self, other: Citations) {
        for (target, citers) in other.by_target {
            let list = self.by_target.entry(target).or_default();
            if list.is_empty() {
                *list = citers;
                continue;
            }
            for citer in citers {
                if !list.contains(&citer) {
                    list.push(citer);
                }
            }
        }
    }

    /// The citers of `id`, leaving out `id` itself.
    pub fn of(&self, id: &str, own_href: &str) -> Vec<LinkView> {
        self.citers(id, own_href).cloned().collect()
    }

    /// The same, borrowed.
    pub fn citers<'c>(&'c self, id: &str, own_href: &'c str) -> impl Iterator<Item = &'c LinkView> {
        self.by_target.get(id).into_iter().flatten().map(|c| c.as_ref()).filter(move |c| c.href != own_href)
    }

    /// The citers of `id` leaving out `id` itself, taken out of the set.
    fn take(&mut self, id: &str, own_href: &str) -> Vec<LinkView> {
        let list = self.by_target.remove(id).unwrap_or_default();
        list.into_iter().filter(|c| c.href != own_href).map(|c| Arc::try_unwrap(c).unwrap_or_else(|c| c.as_ref().clone())).collect()
    }
}

pub fn summary(doc: &Document) -> ReportSummary {
    ReportSummary {
        id: doc.meta.id.clone(),
        href: format!("@/{}", doc.url()),
        title: doc.meta.title.clone(),
        short_title: doc.short_title().to_string(),
        symbol: doc.meta.symbol.clone(),
        date: doc.meta.date.clone(),
        extract: doc.meta.extract,
        paragraphs: doc.meta.paragraphs.join(", ").replace('-', "–"),
        paragraph_count: doc.paragraphs().count(),
    }
}

/// One document being rendered.
struct DocRenderer<'a> {
    doc: &'a Document,
    ctx: TextContext<'a>,
    footnotes: FxHashMap<&'a str, &'a FootnoteDef>,
    claimed: FxHashSet<String>,
    citations: &'a mut Citations,
    problems: &'a mut Vec<Diagnostic>,
}

/// Renders every document, in library order, taking from `previous` each rendering whose
/// key has not changed. Problems are unresolved references, with file and line.
pub fn render_documents(lib: &Library, linker: &Linker, previous: &HashMap<PathBuf, Arc<RenderedDoc>>) -> Vec<Arc<RenderedDoc>> {
    use rayon::prelude::*;
    let library = lib.fingerprint();
    lib.docs
        .par_iter()
        .enumerate()
        .map(|(index, doc)| {
            let key = doc_key(doc.source_hash, library, index);
            if let Some(kept) = previous.get(&doc.path).filter(|kept| kept.key == key) {
                return Arc::clone(kept);
            }
            let scope = Scope::of(lib, index);
            let mut citations = Citations::default();
            let mut problems = Vec::new();
            let view = DocRenderer {
                doc,
                ctx: TextContext { linker, scope: &scope, footnote_prefix: &doc.meta.id },
                footnotes: doc.body.footnotes.iter().map(|f| (f.label.as_str(), f)).collect(),
                claimed: FxHashSet::default(),
                citations: &mut citations,
                problems: &mut problems,
            }
            .report();
            Arc::new(RenderedDoc { key, view, citations, problems })
        })
        .collect()
}

impl<'a> DocRenderer<'a> {
    fn report(&mut self) -> ReportView {
        let doc_link = LinkView { href: format!("@/{}", self.doc.url()), text: self.doc.citation_name().to_string() };
        let mut blocks = Vec::new();
        for block in &self.doc.body.blocks {
            blocks.push(match block {
                Block::Heading(h) => {
                    let html = self.text(&h.text, h.line, &doc_link, true);
                    BlockView::Heading { level: h.level, html, anchor: anchor(&self.doc.meta.id, &h.key) }
                }
                Block::Paragraph(node) => BlockView::Paragraph(self.node(node)),
                Block::Prose { text, line } => {
                    let html = self.text(text, *line, &doc_link, false);
                    BlockView::Prose { html, footnotes: self.claim_footnotes(&[text], &doc_link) }
                }
            });
        }
        let unclaimed: Vec<&FootnoteDef> = self.doc.body.footnotes.iter().filter(|f| !self.claimed.contains(&f.label)).collect();
        let footnotes = unclaimed.into_iter().map(|f| self.footnote(f, &doc_link)).collect();
        ReportView { summary: summary(self.doc), blocks, footnotes, cited_in: Vec::new() }
    }

    fn node(&mut self, node: &Node) -> NodeView {
        let id = format!("{}:{}", self.doc.meta.id, node.key);
        let anchor = anchor(&self.doc.meta.id, &node.key);
        let href = format!("@/{}#{anchor}", self.doc.url());
        let label = node_label(&node.key);
        let citation = format!("{}, {label}", self.doc.citation_name());
        let citer = LinkView { href: href.clone(), text: citation.clone() };
        let html = self.text(&node.text, node.line, &citer, false);
        let mut own_texts = vec![node.text.as_str()];
        let mut children = Vec::new();
        for child in &node.children {
            children.push(match child {
                Child::Text { text, line } => {
                    own_texts.push(text);
                    ChildView::Text { html: self.text(text, *line, &citer, false) }
                }
                Child::Item(item) => ChildView::Item(Box::new(self.node(item))),
            });
        }
        let footnotes = self.claim_footnotes(&own_texts, &citer);
        NodeView { id, anchor, marker: node.marker.clone(), label, citation, href, html, children, footnotes, cited_in: Vec::new() }
    }

    fn text(&mut self, text: &str, line: usize, citer: &LinkView, inline: bool) -> String {
        let rendered: Rendered = if inline { render_inline(text, line, &self.ctx) } else { render(text, line, &self.ctx) };
        self.citations.add(citer, &rendered.cited);
        for (line, message) in rendered.problems {
            self.problems.push(Diagnostic::at(&self.doc.path, line, message));
        }
        rendered.html
    }

    /// The footnotes first cited in `texts`, now belonging to `citer`.
    fn claim_footnotes(&mut self, texts: &[&str], citer: &LinkView) -> Vec<FootnoteView> {
        let mut out = Vec::new();
        for label in texts.iter().flat_map(|text| footnote_labels(text)) {
            let Some(def) = self.footnotes.get(label.as_str()).copied() else {
                continue;
            };
            if self.claimed.insert(label) {
                out.push(self.footnote(def, citer));
            }
        }
        out
    }

    fn footnote(&mut self, def: &FootnoteDef, citer: &LinkView) -> FootnoteView {
        let html = self.text(&def.text, def.line, citer, true);
        FootnoteView { label: def.label.clone(), anchor: format!("{}-fn-{}", self.doc.meta.id, def.label), html }
    }
}

/// Fills every "Cited in" list of a report once all citations are known.
pub fn attach_citations(report: &mut ReportView, citations: &Citations) {
    fill_cited_in(report, &mut |id, href| citations.of(id, href));
}

/// The same, moving the lists out of `citations` (for a build, which needs them no more).
pub fn move_citations(report: &mut ReportView, citations: &mut Citations) {
    fill_cited_in(report, &mut |id, href| citations.take(id, href));
}

/// Sets each "Cited in" list of `report` to `citers(id, href)`.
fn fill_cited_in(report: &mut ReportView, citers: &mut dyn FnMut(&str, &str) -> Vec<LinkView>) {
    fn walk(node: &mut NodeView, citers: &mut dyn FnMut(&str, &str) -> Vec<LinkView>) {
        node.cited_in = citers(&node.id, &node.href);
        for child in &mut node.children {
            if let ChildView::Item(item) = child {
                walk(item, citers);
            }
        }
    }
    report.cited_in = citers(&report.summary.id, &report.summary.href);
    for block in &mut report.blocks {
        if let BlockView::Paragraph(node) = block {
            walk(node, citers);
        }
    }
}
