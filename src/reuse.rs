//! What a rebuild in `serve` reuses from the build before it: the compiled theme, each
//! unchanged content file as parsed, each document's rendering and each report page's
//! HTML, each kept under a key that hashes everything it was made from. A key that
//! differs means "make it again", so a reused part is always what a full build would
//! have made.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use crate::content::xref::Place;
use crate::content::Library;
use crate::content::Parsed;
use crate::error::Diagnostic;
use crate::render::documents::{Citations, Citer, Found};
use crate::render::templates::Theme;
use crate::render::views::ReportView;

/// A hash of `value`, for keys (fast: whole sources are hashed on every build).
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A hash of `value` as JSON, written straight into the hasher: the key of a template
/// context (what a template sees of a value is its JSON).
pub fn json_key<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = HashWriter(rustc_hash::FxHasher::default());
    serde_json::to_writer(&mut hasher, value).expect("JSON of a view");
    hasher.0.finish()
}

/// Hashes what is written to it.
struct HashWriter(rustc_hash::FxHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One document rendered: its view before "Cited in" lists are filled, the citations it
/// makes, and its problems.
pub struct RenderedDoc {
    pub key: u64,
    pub view: ReportView,
    pub citations: Found,
    pub problems: Vec<Diagnostic>,
}

/// A page's HTML, as written.
#[derive(Clone)]
pub struct RenderedPage {
    pub key: u64,
    pub bytes: Arc<Vec<u8>>,
}

/// The parts of the last build a rebuild may take again. `Reuse::default()` keeps nothing
/// (what `build` and `check` use); `Reuse::kept()` keeps what the next build may reuse.
#[derive(Default)]
pub struct Reuse {
    /// Whether to keep documents and pages for a next build (copies cost memory).
    pub keep: bool,
    pub theme: Option<Arc<Theme>>,
    /// Whether `theme` was loaded for a site with a survey.
    pub theme_with_survey: bool,
    /// Content files as parsed, by path.
    pub sources: HashMap<PathBuf, Parsed>,
    /// By document file.
    pub docs: HashMap<PathBuf, Arc<RenderedDoc>>,
    /// By output path.
    pub pages: HashMap<String, RenderedPage>,
    /// What the last links check saw, for the next one.
    pub links: crate::links::Seen,
    /// The last good build's library index: taken again while no document's shape changed
    /// (after an edit to a paragraph's text, say). A good build's index had no problems.
    pub library: Option<Library>,
    /// The last good build's citations, with what they were gathered from.
    pub gathered: Option<Gathered>,
}

impl Reuse {
    pub fn kept() -> Self {
        Reuse { keep: true, ..Reuse::default() }
    }

    /// Templates changed: the theme is loaded again, and no page's HTML can be kept.
    pub fn forget_theme(&mut self) {
        self.theme = None;
        self.pages.clear();
    }
}

/// Drops `value` on another thread.
pub fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The key of a document's rendering: its own text and the library around it.
pub fn doc_key(source_hash: u64, library: u64, index: usize) -> u64 {
    hash_of(&(source_hash, library, index))
}

/// A site's citations, kept by `serve` with what they were gathered from: every document's
/// rendering (which holds the citations it found) and the survey's. After an edit that
/// changes no citation (most edits), the next build takes them again, with the hash of
/// each report page's lists, instead of gathering them from every document.
pub struct Gathered {
    /// The documents' renderings, in library order.
    docs: Vec<Arc<RenderedDoc>>,
    survey: Found,
    targets: usize,
    pub citations: Arc<Citations>,
    /// For each document, a hash of the "Cited in" lists its page shows (`lists_key`).
    pub lists: Vec<u64>,
}

impl Gathered {
    /// The citations found by `docs` and `survey` in a library of `targets` targets, taken
    /// from `last` when they found the same; a page's lists are hashed again only when its
    /// document was rendered again or the citations changed.
    pub fn new(targets: usize, docs: &[Arc<RenderedDoc>], survey: Found, last: Option<Gathered>) -> Gathered {
        use rayon::prelude::*;
        let same_doc = |last: &Gathered, i: usize| last.docs.get(i).is_some_and(|kept| Arc::ptr_eq(kept, &docs[i]));
        let last = last.filter(|last| {
            last.targets == targets
                && last.docs.len() == docs.len()
                && last.survey == survey
                && (0..docs.len()).all(|i| same_doc(last, i) || last.docs[i].citations == docs[i].citations)
        });
        let citations = match &last {
            Some(last) => Arc::clone(&last.citations),
            None => Arc::new(gather(targets, docs, &survey)),
        };
        let lists = (0..docs.len())
            .into_par_iter()
            .map(|i| match &last {
                Some(last) if same_doc(last, i) => last.lists[i],
                _ => lists_key(&docs[i].view, &citations),
            })
            .collect();
        Gathered { docs: docs.to_vec(), survey, targets, citations, lists }
    }
}

/// The citations found by the documents' renderings and the survey, in a library of
/// `targets` targets.
pub fn gather(targets: usize, docs: &[Arc<RenderedDoc>], survey: &Found) -> Citations {
    let found = docs.iter().map(|doc| &doc.citations).chain(std::iter::once(survey));
    Citations::gather(targets, docs.len(), found)
}

/// The key of a report page: the document's rendering (`doc`), the "Cited in" lists the
/// page will show (`lists`, from `lists_key`), and what every page shows (`site`, a hash
/// of the site-wide view).
pub fn report_page_key(doc: u64, lists: u64, site: u64) -> u64 {
    hash_of(&(doc, lists, site))
}

/// A hash of every "Cited in" list that `report`'s page shows. `report` is the view
/// before its lists are filled: the key is known before any copy.
pub fn lists_key(report: &ReportView, citations: &Citations) -> u64 {
    // Each list is hashed whole, with its owner and length, so that a citer moving from
    // one list to the next changes the key. Citers named by target or document hash as
    // such: what the library calls them is in the document's key (the library's fingerprint).
    let mut hasher = rustc_hash::FxHasher::default();
    let mut list = |place: Place, own: Citer| {
        let citers: Vec<&Citer> = citations.citers(place, &own).collect();
        (place, citers).hash(&mut hasher);
    };
    list(Place::Document(report.doc), Citer::Document(report.doc));
    for node in report.nodes() {
        list(Place::Node(node.target), Citer::Node(node.target));
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::views::{BlockView, ChildView, LinkView, NodeView, ReportSummary};

    fn node(target: u32, children: Vec<ChildView>) -> NodeView {
        NodeView { target, html: String::new(), children, footnotes: Vec::new(), cited_in: Vec::new() }
    }

    #[test]
    fn a_citer_moving_to_a_sub_item_changes_the_page_key() {
        let summary = ReportSummary {
            id: "a".into(),
            href: "@/reports/a.html".into(),
            title: "A".into(),
            short_title: "A".into(),
            symbol: None,
            date: None,
            extract: false,
            paragraphs: String::new(),
            paragraph_count: 1,
        };
        let item = ChildView::Item(Box::new(node(1, Vec::new())));
        let report = ReportView {
            doc: 0,
            summary,
            blocks: vec![BlockView::Paragraph(node(0, vec![item]))],
            footnotes: Vec::new(),
            cited_in: Vec::new(),
            links: Vec::new(),
        };
        let citer = Citer::Page(Arc::new(LinkView { href: "@/survey/b.html".into(), text: "Survey, B".into() }));
        let key = |place: Place| {
            let mut found = Found::default();
            found.add(&citer, &[place]);
            lists_key(&report, &Citations::gather(2, 1, std::iter::once(&found)))
        };
        assert_ne!(key(Place::Node(0)), key(Place::Node(1)));
        assert_ne!(key(Place::Document(0)), key(Place::Node(0)));
        assert_eq!(key(Place::Node(0)), key(Place::Node(0)));
    }
}
