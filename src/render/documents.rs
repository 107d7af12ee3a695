//! Renders every document of the library into a `ReportView`, and gathers who cites what.
//!
//! Steps: render each block's Markdown (linking references, attaching each footnote to
//! the first paragraph that cites it); collect citations; then, once every citing text is
//! known (the survey adds its own), `attach_citations` fills the "Cited in" lists.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use super::markdown::{render, render_inline, Rendered, TextContext};
use super::names::ROOT_MARK;
use super::views::{BlockView, ChildView, FootnoteView, LinkView, NodeView, ReportSummary, ReportView};
use crate::content::paragraph::{Block, Body, Child, FootnoteDef, Node};
use crate::content::xref::{Linker, Place, Scope};
use crate::content::{Document, Library, TargetId};
use crate::error::Diagnostic;

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
            Citer::Node(target) => link_view(lib, Place::Node(*target)),
            Citer::Document(doc) => link_view(lib, Place::Document(*doc)),
            Citer::Page(link) => link.as_ref().clone(),
        }
    }
}

/// A link to a place, titled as it is cited.
pub fn link_view(lib: &Library, place: Place) -> LinkView {
    LinkView { href: super::names::link_href(lib, place), text: lib.link_title(place) }
}

/// Citations as they are found, in order: which citer cites which place. Each document
/// keeps its own (`serve` gathers them again after each rebuild), and the survey has one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found(Vec<(Place, Citer)>);

impl Found {
    /// Records that `citer` cites every place in `places`.
    pub fn add(&mut self, citer: &Citer, places: &[Place]) {
        self.0.extend(places.iter().map(|&place| (place, citer.clone())));
    }
}

/// Every citation of a site, by place: each place's citers in the order they were found,
/// each once. The lists lie end to end in one vector, places in library order (targets,
/// then documents), so that gathering a large site's citations takes two passes and no
/// map, and a list is found by index.
#[derive(Debug, Default)]
pub struct Citations {
    /// Where the citers of each place start in `citers`, and where the last ones end.
    starts: Vec<u32>,
    citers: Vec<Citer>,
    /// How many targets the library has (documents' places come after).
    targets: usize,
}

impl Citations {
    /// Gathers what was found, in order, for a library of `targets` targets and `docs` documents.
    pub fn gather<'f>(targets: usize, docs: usize, found: impl Iterator<Item = &'f Found>) -> Citations {
        use rayon::prelude::*;
        let found: Vec<&Found> = found.collect();
        let slots = targets + docs;
        debug_assert!(found.iter().flat_map(|f| &f.0).all(|(place, _)| slot(targets, *place) < slots), "a place outside the library");
        // Each thread gathers the lists of its own share of the places, reading every
        // citation found: no thread waits for another, and none writes where another does.
        // (Every share reads every citation: past a few shares, reading costs more than
        // the threads give.)
        let parts = rayon::current_num_threads().clamp(1, 8).min(slots.max(1));
        let shares: Vec<Range<usize>> = (0..parts).map(|part| slots * part / parts..slots * (part + 1) / parts).collect();
        let gathered: Vec<(Vec<u32>, Vec<Citer>)> = shares.into_par_iter().map(|share| gather_share(&found, targets, share)).collect();
        let total = gathered.iter().map(|(_, citers)| citers.len()).sum();
        let mut citations = Citations { starts: Vec::with_capacity(slots + 1), citers: Vec::with_capacity(total), targets };
        for (starts, citers) in gathered {
            let before = citations.citers.len() as u32;
            citations.starts.extend(starts.iter().map(|start| start + before));
            citations.citers.extend(citers);
        }
        citations.starts.push(citations.citers.len() as u32);
        citations
    }

    /// The citers of `place`, leaving out the place itself (`own`).
    pub fn citers<'c>(&'c self, place: Place, own: &'c Citer) -> impl Iterator<Item = &'c Citer> {
        let slot = slot(self.targets, place);
        let range = match (self.starts.get(slot), self.starts.get(slot + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        };
        self.citers[range].iter().filter(move |c| *c != own)
    }
}

/// The citations found by the documents' renderings and the survey, in a library of
/// `targets` targets.
pub fn gather_citations(targets: usize, docs: &[Arc<RenderedDoc>], survey: &Found) -> Citations {
    let found = docs.iter().map(|doc| &doc.citations).chain(std::iter::once(survey));
    Citations::gather(targets, docs.len(), found)
}

/// Where a place's citers lie among those of a library of `targets` targets: targets
/// first, then documents.
fn slot(targets: usize, place: Place) -> usize {
    match place {
        Place::Node(target) => target as usize,
        Place::Document(doc) => targets + doc,
    }
}

/// The citers of the places whose slots lie in `share`, each once a place, in the order
/// found: where each place's list starts, and the lists end to end.
fn gather_share(found: &[&Found], targets: usize, share: Range<usize>) -> (Vec<u32>, Vec<Citer>) {
    let in_share = |place: Place| {
        let slot = slot(targets, place);
        share.contains(&slot).then(|| slot - share.start)
    };
    // A stable counting sort of the share's citations by place...
    let mut next = vec![0u32; share.len() + 1];
    for (place, _) in found.iter().flat_map(|f| &f.0) {
        if let Some(slot) = in_share(*place) {
            next[slot + 1] += 1;
        }
    }
    for i in 1..next.len() {
        next[i] += next[i - 1];
    }
    let bounds = next.clone();
    let mut sorted = vec![Citer::Document(usize::MAX); bounds[share.len()] as usize];
    for (place, citer) in found.iter().flat_map(|f| &f.0) {
        if let Some(slot) = in_share(*place) {
            sorted[next[slot] as usize] = citer.clone();
            next[slot] += 1;
        }
    }
    // ...then each place's citers, once each, moved down over the repeats left out.
    let mut starts = Vec::with_capacity(share.len());
    let mut kept = 0;
    for window in bounds.windows(2) {
        let list = kept;
        starts.push(list as u32);
        for i in window[0] as usize..window[1] as usize {
            if !sorted[list..kept].contains(&sorted[i]) {
                sorted.swap(kept, i);
                kept += 1;
            }
        }
    }
    sorted.truncate(kept);
    (starts, sorted)
}

/// What lists and links show of a document; `body` is its body (see `render_documents`).
fn summary(doc: &Document, body: &Body) -> ReportSummary {
    ReportSummary {
        id: doc.meta.id.clone(),
        href: format!("{ROOT_MARK}{}", super::names::report_url(doc)),
        title: doc.meta.title.clone(),
        short_title: doc.short_title().to_string(),
        symbol: doc.meta.symbol.clone(),
        date: doc.meta.date.clone(),
        extract: doc.meta.extract,
        paragraphs: doc.meta.paragraphs.join(", ").replace('-', "–"),
        paragraph_count: body.paragraphs().count(),
    }
}

/// One document being rendered.
struct DocRenderer<'a> {
    lib: &'a Library,
    index: usize,
    doc: &'a Document,
    /// The document's body: its own, or taken from it.
    body: &'a Body,
    /// The target of the next numbered paragraph or sub-item (they come in library order).
    next_target: TargetId,
    ctx: TextContext<'a>,
    footnotes: FxHashMap<&'a str, &'a FootnoteDef>,
    claimed: FxHashSet<String>,
    citations: &'a mut Found,
    problems: &'a mut Vec<Diagnostic>,
    /// The document's Markdown links, with their lines.
    links: Vec<(String, usize)>,
}

/// One document rendered: its view, the citations it makes, and its problems
/// (unresolved references, with file and line).
pub struct RenderedDoc {
    pub view: ReportView,
    pub citations: Found,
    pub problems: Vec<Diagnostic>,
}

/// Renders document `index` of the library from `body` (its own, or taken from it by
/// `Library::take_bodies`, so that a build can free each text once it is rendered).
pub fn render_document(lib: &Library, linker: &Linker, index: usize, body: &Body) -> RenderedDoc {
    let doc = &lib.docs[index];
    let scope = Scope::of(lib, index);
    let mut citations = Found::default();
    let mut problems = Vec::new();
    let view = DocRenderer {
        lib,
        index,
        doc,
        body,
        next_target: lib.first_target(index),
        ctx: TextContext { linker, scope: &scope, footnote_prefix: &doc.meta.id },
        footnotes: body.footnotes.iter().map(|f| (f.label.as_str(), f)).collect(),
        claimed: FxHashSet::default(),
        citations: &mut citations,
        problems: &mut problems,
        links: Vec::new(),
    }
    .report();
    RenderedDoc { view, citations, problems }
}

impl<'a> DocRenderer<'a> {
    fn report(&mut self) -> ReportView {
        let doc_citer = Citer::Document(self.index);
        let mut blocks = Vec::new();
        for block in &self.body.blocks {
            blocks.push(match block {
                Block::Heading(h) => {
                    let (html, _) = self.text(&h.text, h.line, &doc_citer, true);
                    BlockView::Heading { level: h.level, html, anchor: super::names::anchor(&self.doc.meta.id, &h.key) }
                }
                Block::Paragraph(node) => BlockView::Paragraph(self.node(node)),
                Block::Prose { text, line } => {
                    let (html, notes) = self.text(text, *line, &doc_citer, false);
                    BlockView::Prose { html, footnotes: self.claim_footnotes(notes, &doc_citer) }
                }
            });
        }
        let unclaimed: Vec<&FootnoteDef> = self.body.footnotes.iter().filter(|f| !self.claimed.contains(&f.label)).collect();
        let footnotes = unclaimed.into_iter().map(|f| self.footnote(f, &doc_citer)).collect();
        let links = std::mem::take(&mut self.links);
        ReportView { doc: self.index, summary: summary(self.doc, self.body), blocks, footnotes, links }
    }

    fn node(&mut self, node: &Node) -> NodeView {
        let target = self.next_target;
        self.next_target += 1;
        debug_assert_eq!(self.lib.target_at(target).key, node.key, "targets follow Document::nodes");
        let citer = Citer::Node(target);
        let (html, mut notes) = self.text(&node.text, node.line, &citer, false);
        let mut children = Vec::new();
        for child in &node.children {
            children.push(match child {
                Child::Text { text, line } => {
                    let (html, more) = self.text(text, *line, &citer, false);
                    notes.extend(more);
                    ChildView::Text { html }
                }
                Child::Item(item) => ChildView::Item(Box::new(self.node(item))),
            });
        }
        let footnotes = self.claim_footnotes(notes, &citer);
        NodeView { target, html, children, footnotes }
    }

    /// The HTML of a text, and the footnotes it cites.
    fn text(&mut self, text: &str, line: usize, citer: &Citer, inline: bool) -> (String, Vec<String>) {
        let rendered: Rendered = if inline { render_inline(text, line, &self.ctx) } else { render(text, line, &self.ctx) };
        self.citations.add(citer, &rendered.cited);
        for (line, message) in rendered.problems {
            self.problems.push(Diagnostic::at(&self.doc.path, line, message));
        }
        self.links.extend(rendered.links);
        (rendered.html, rendered.notes)
    }

    /// The footnotes first cited in the texts that cite `labels`, now belonging to `citer`.
    fn claim_footnotes(&mut self, labels: Vec<String>, citer: &Citer) -> Vec<FootnoteView> {
        let mut out = Vec::new();
        for label in labels {
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
        let (html, _) = self.text(&def.text, def.line, citer, true);
        FootnoteView { label: def.label.clone(), anchor: format!("{}-fn-{}", self.doc.meta.id, def.label), html }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each place's citers in the order found, each once: what `gather` must give.
    fn naive(targets: usize, docs: usize, found: &[Found]) -> Vec<Vec<Citer>> {
        let mut lists = vec![Vec::new(); targets + docs];
        for (place, citer) in found.iter().flat_map(|f| &f.0) {
            let list: &mut Vec<Citer> = &mut lists[slot(targets, *place)];
            if !list.contains(citer) {
                list.push(citer.clone());
            }
        }
        lists
    }

    #[test]
    fn citations_are_gathered_in_order_found_once_each_whatever_the_shares() {
        let (targets, docs) = (7, 3);
        let page = Citer::Page(Arc::new(LinkView { href: "@/survey/a.html".into(), text: "Survey".into() }));
        let mut found = vec![Found::default(), Found::default(), Found::default()];
        found[0].add(&Citer::Node(4), &[Place::Node(0), Place::Node(6), Place::Node(0), Place::Document(2)]);
        found[0].add(&Citer::Document(1), &[Place::Node(0), Place::Node(3)]);
        found[1].add(&page, &[Place::Node(6), Place::Node(0), Place::Document(0)]);
        found[1].add(&Citer::Node(4), &[Place::Node(6)]);
        found[2].add(&Citer::Node(1), &[Place::Node(0), Place::Document(2), Place::Node(6)]);
        let expected = naive(targets, docs, &found);
        let lists = |citations: &Citations| -> Vec<Vec<Citer>> {
            let place = |slot: usize| if slot < targets { Place::Node(slot as TargetId) } else { Place::Document(slot - targets) };
            (0..targets + docs).map(|slot| citations.citers(place(slot), &Citer::Document(usize::MAX)).cloned().collect()).collect()
        };
        assert_eq!(lists(&Citations::gather(targets, docs, found.iter())), expected);
        assert_eq!(expected[0], [Citer::Node(4), Citer::Document(1), page.clone(), Citer::Node(1)]);
        // Any cut of the places into shares gives the same lists.
        let all: Vec<&Found> = found.iter().collect();
        for cut in 0..=targets + docs {
            let (mut starts, mut citers) = gather_share(&all, targets, 0..cut);
            let (later, more) = gather_share(&all, targets, cut..targets + docs);
            starts.extend(later.iter().map(|s| s + citers.len() as u32));
            citers.extend(more);
            starts.push(citers.len() as u32);
            assert_eq!(lists(&Citations { starts, citers, targets }), expected, "cut at {cut}");
        }
        let empty = Citations::gather(0, 0, std::iter::empty());
        assert_eq!((empty.starts, empty.citers), (vec![0], vec![]));
    }
}
