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
use crate::content::xref::{Linker, Place, Scope};
use crate::content::{Document, Library, TargetId};
use crate::error::Diagnostic;
use crate::reuse::{doc_key, RenderedDoc};

/// Who cites a place: a numbered paragraph or sub-item, a document (its headings, prose
/// and the notes of these), or a page outside the reports (the survey's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Citer {
    Node(TargetId),
    Document(usize),
    Page(Arc<LinkView>),
}

impl Citer {
    /// The citer as a link (`A/76/135, para. 71 (g)` to its paragraph).
    pub fn link(&self, lib: &Library) -> LinkView {
        match self {
            Citer::Node(target) => lib.link_view(Place::Node(*target)),
            Citer::Document(doc) => lib.link_view(Place::Document(*doc)),
            Citer::Page(link) => link.as_ref().clone(),
        }
    }
}

impl Library {
    /// A link to a place, named as citations name it.
    pub fn link_view(&self, place: Place) -> LinkView {
        LinkView { href: self.link_href(place), text: self.link_title(place) }
    }
}

/// Who cites each place, in the order citations were found. `serve` keeps each document's
/// citations and merges them again at each rebuild.
#[derive(Debug, Default, Clone)]
pub struct Citations {
    by_place: FxHashMap<Place, Vec<Citer>>,
}

impl Citations {
    /// Records that `citer` cites every place in `places`.
    pub fn add(&mut self, citer: &Citer, places: &[Place]) {
        for place in places {
            let list = self.by_place.entry(*place).or_default();
            if !list.contains(citer) {
                list.push(citer.clone());
            }
        }
    }

    /// Adds another set's citations after this one's (document order is kept).
    pub fn merge(&mut self, other: &Citations) {
        self.absorb(other.clone());
    }

    /// The same, taking `other`'s lists rather than copying them.
    pub fn absorb(&mut self, other: Citations) {
        for (place, citers) in other.by_place {
            let list = self.by_place.entry(place).or_default();
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

    /// The citers of `place`, leaving out the place itself (`own`).
    pub fn citers<'c>(&'c self, place: Place, own: &'c Citer) -> impl Iterator<Item = &'c Citer> {
        self.by_place.get(&place).into_iter().flatten().filter(move |c| *c != own)
    }

    /// The same, taken out of the set.
    fn take(&mut self, place: Place, own: &Citer) -> Vec<Citer> {
        let mut list = self.by_place.remove(&place).unwrap_or_default();
        list.retain(|c| c != own);
        list
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
    lib: &'a Library,
    index: usize,
    doc: &'a Document,
    /// The target of the next numbered paragraph or sub-item (they come in library order).
    next_target: TargetId,
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
                lib,
                index,
                doc,
                next_target: lib.first_target(index),
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
        let doc_citer = Citer::Document(self.index);
        let mut blocks = Vec::new();
        for block in &self.doc.body.blocks {
            blocks.push(match block {
                Block::Heading(h) => {
                    let html = self.text(&h.text, h.line, &doc_citer, true);
                    BlockView::Heading { level: h.level, html, anchor: crate::content::anchor(&self.doc.meta.id, &h.key) }
                }
                Block::Paragraph(node) => BlockView::Paragraph(self.node(node)),
                Block::Prose { text, line } => {
                    let html = self.text(text, *line, &doc_citer, false);
                    BlockView::Prose { html, footnotes: self.claim_footnotes(&[text], &doc_citer) }
                }
            });
        }
        let unclaimed: Vec<&FootnoteDef> = self.doc.body.footnotes.iter().filter(|f| !self.claimed.contains(&f.label)).collect();
        let footnotes = unclaimed.into_iter().map(|f| self.footnote(f, &doc_citer)).collect();
        ReportView { doc: self.index, summary: summary(self.doc), blocks, footnotes, cited_in: Vec::new() }
    }

    fn node(&mut self, node: &Node) -> NodeView {
        let target = self.next_target;
        self.next_target += 1;
        debug_assert_eq!(self.lib.target_at(target).key, node.key, "targets follow Document::nodes");
        let citer = Citer::Node(target);
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
        NodeView { target, html, children, footnotes, cited_in: Vec::new() }
    }

    fn text(&mut self, text: &str, line: usize, citer: &Citer, inline: bool) -> String {
        let rendered: Rendered = if inline { render_inline(text, line, &self.ctx) } else { render(text, line, &self.ctx) };
        self.citations.add(citer, &rendered.cited);
        for (line, message) in rendered.problems {
            self.problems.push(Diagnostic::at(&self.doc.path, line, message));
        }
        rendered.html
    }

    /// The footnotes first cited in `texts`, now belonging to `citer`.
    fn claim_footnotes(&mut self, texts: &[&str], citer: &Citer) -> Vec<FootnoteView> {
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

    fn footnote(&mut self, def: &FootnoteDef, citer: &Citer) -> FootnoteView {
        let html = self.text(&def.text, def.line, citer, true);
        FootnoteView { label: def.label.clone(), anchor: format!("{}-fn-{}", self.doc.meta.id, def.label), html }
    }
}

/// Fills every "Cited in" list of a report once all citations are known.
pub fn attach_citations(report: &mut ReportView, citations: &Citations) {
    fill_cited_in(report, &mut |place, own| citations.citers(place, own).cloned().collect());
}

/// The same, moving the lists out of `citations` (for a build, which needs them no more).
pub fn move_citations(report: &mut ReportView, citations: &mut Citations) {
    fill_cited_in(report, &mut |place, own| citations.take(place, own));
}

/// Sets each "Cited in" list of `report` to `citers(place, own citer)`.
fn fill_cited_in(report: &mut ReportView, citers: &mut dyn FnMut(Place, &Citer) -> Vec<Citer>) {
    fn walk(node: &mut NodeView, citers: &mut dyn FnMut(Place, &Citer) -> Vec<Citer>) {
        node.cited_in = citers(Place::Node(node.target), &Citer::Node(node.target));
        for child in &mut node.children {
            if let ChildView::Item(item) = child {
                walk(item, citers);
            }
        }
    }
    report.cited_in = citers(Place::Document(report.doc), &Citer::Document(report.doc));
    for block in &mut report.blocks {
        if let BlockView::Paragraph(node) = block {
            walk(node, citers);
        }
    }
}
