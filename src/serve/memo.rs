//! What a rebuild in `serve` takes from the build before it: the compiled theme, each
//! unchanged content file as parsed, the library's index while no document's shape
//! changed, each document's rendering, the citations, each report and list page's HTML,
//! and what the last links check saw. Each is kept under a key that hashes everything it
//! was made from: a key that differs means "make it again", so a reused part is always
//! what a full build would have made. This module is the whole of that: the build's
//! stages know nothing of it (`build::Memo`).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{LinksMade, Memo};
use crate::content::paragraph::Body;
use crate::content::xref::Place;
use crate::content::{self, Document, Library};
use crate::error::Diagnostic;
use crate::hash::{hash_of, json_key};
use crate::links;
use crate::output::OutFile;
use crate::render::documents::{gather_citations, Citations, Citer, Found, RenderedDoc};
use crate::render::pages::report_path;
use crate::render::survey::SurveyView;
use crate::render::templates::Theme;
use crate::render::views::{ReportView, SiteView};

/// The parts of the builds before that the next may take again.
#[derive(Default)]
pub struct BuildMemo {
    theme: Option<(bool, Arc<Theme>)>,
    /// Content files as parsed, by path.
    sources: HashMap<PathBuf, Parsed>,
    /// The last library made, with its problems: taken again while every document has
    /// the shape of the one it replaces (after an edit to a paragraph's text, say).
    library: Option<(Arc<Library>, Vec<Diagnostic>)>,
    /// Each document's rendering under its key, by file.
    docs: HashMap<PathBuf, (u64, Arc<RenderedDoc>)>,
    /// The keys of this build's documents, in library order.
    doc_keys: Vec<u64>,
    /// The last citations, with what they were gathered from.
    gathered: Option<Gathered>,
    /// The key of each report and list page of this build.
    planned: HashMap<String, u64>,
    /// The last good build's report and list pages, with their keys.
    pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
    /// What the last good links check saw.
    seen: links::Seen,
}

impl BuildMemo {
    /// Templates or settings changed: the theme is loaded again, and no page's HTML can be kept.
    pub fn forget_theme(&mut self) {
        self.theme = None;
        self.pages.clear();
    }
}

impl Memo for BuildMemo {
    fn theme(&mut self, with_survey: bool, load: impl FnOnce() -> Result<Theme, Vec<Diagnostic>>) -> Result<Arc<Theme>, Vec<Diagnostic>> {
        if let Some((kept_with_survey, theme)) = &self.theme {
            if *kept_with_survey == with_survey {
                return Ok(Arc::clone(theme));
            }
        }
        self.forget_theme();
        let theme = Arc::new(load()?);
        self.theme = Some((with_survey, Arc::clone(&theme)));
        Ok(theme)
    }

    fn documents(&mut self, root: &Path, files: &[PathBuf]) -> (Vec<Arc<Document>>, Vec<Diagnostic>) {
        use rayon::prelude::*;
        let previous = &self.sources;
        let loaded: Vec<(PathBuf, Parsed)> = files
            .par_iter()
            .map(|file| {
                let rel = file.strip_prefix(root).unwrap_or(file).to_path_buf();
                let parsed = Parsed::read(file, &rel, previous.get(&rel));
                (rel, parsed)
            })
            .collect();
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        for (_, file) in &loaded {
            docs.extend(file.doc.clone());
            problems.extend(file.problems.iter().cloned());
        }
        self.sources = loaded.into_iter().collect();
        (docs, problems)
    }

    fn library(&mut self, docs: Vec<Arc<Document>>) -> (Arc<Library>, Vec<Diagnostic>) {
        let kept = self.library.take().and_then(|(lib, problems)| {
            let lib = Arc::try_unwrap(lib).ok()?.with_texts_of(&docs)?;
            Some((Arc::new(lib), problems))
        });
        let (lib, problems) = kept.unwrap_or_else(|| {
            let mut problems = Vec::new();
            (Arc::new(Library::new(docs, &mut problems)), problems)
        });
        self.library = Some((Arc::clone(&lib), problems.clone()));
        (lib, problems)
    }

    fn rendered(
        &mut self,
        lib: &Library,
        _bodies: Option<Vec<Body>>,
        render: impl Fn(usize, &Body) -> RenderedDoc + Sync,
    ) -> Vec<Arc<RenderedDoc>> {
        use rayon::prelude::*;
        // A document's rendering depends on its own text and on the library around it.
        let library = lib.fingerprint();
        let sources = &self.sources;
        let keys: Vec<u64> = lib
            .docs
            .iter()
            .enumerate()
            .map(|(index, doc)| hash_of(&(sources.get(&doc.path).map_or(0, |parsed| parsed.source_hash), library, index)))
            .collect();
        let previous = &self.docs;
        let docs: Vec<(Arc<RenderedDoc>, bool)> = lib
            .docs
            .par_iter()
            .enumerate()
            .map(|(index, doc)| match previous.get(&doc.path).filter(|(key, _)| *key == keys[index]) {
                Some((_, kept)) => (Arc::clone(kept), false),
                None => (Arc::new(render(index, &doc.body)), true),
            })
            .collect();
        // Only what was rendered now is stored again: an edit renders one document of
        // thousands, and remaking the whole map would cost more than rendering it.
        for ((doc, (rendered, fresh)), key) in lib.docs.iter().zip(&docs).zip(&keys) {
            if *fresh {
                self.docs.insert(doc.path.clone(), (*key, Arc::clone(rendered)));
            }
        }
        if self.docs.len() != lib.docs.len() {
            let present: std::collections::HashSet<&Path> = lib.docs.iter().map(|doc| doc.path.as_path()).collect();
            self.docs.retain(|path, _| present.contains(path.as_path()));
        }
        self.doc_keys = keys;
        docs.into_iter().map(|(doc, _)| doc).collect()
    }

    fn citations(&mut self, targets: usize, docs: &[Arc<RenderedDoc>], survey: Found) -> Arc<Citations> {
        let gathered = Gathered::new(targets, docs, survey, self.gathered.take());
        let citations = Arc::clone(&gathered.citations);
        self.gathered = Some(gathered);
        citations
    }

    fn pages_planned(&mut self, site: &SiteView, docs: &[Arc<RenderedDoc>], survey: Option<&SurveyView>) {
        let site_key = json_key(site);
        let lists = self.gathered.as_ref().map_or(&[][..], |gathered| &gathered.lists[..]);
        let mut planned: HashMap<String, u64> = docs
            .iter()
            .zip(&self.doc_keys)
            .zip(lists)
            .map(|((doc, key), lists)| (report_path(&doc.view), hash_of(&(*key, *lists, site_key))))
            .collect();
        let views: Vec<&ReportView> = docs.iter().map(|doc| &doc.view).collect();
        planned.extend(list_keys(site_key, &views, survey));
        self.planned = planned;
    }

    fn page(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        let (key, bytes) = self.pages.get(path)?;
        (self.planned.get(path) == Some(key)).then(|| Arc::clone(bytes))
    }

    fn pages_made(&mut self, files: &[OutFile]) {
        let planned = &self.planned;
        self.pages =
            files.iter().filter_map(|file| Some((file.path.clone(), (*planned.get(&file.path)?, Arc::clone(&file.bytes))))).collect();
    }

    fn links(&mut self, made: LinksMade) -> Vec<Diagnostic> {
        links::check_changed(made.files, made.scans, made.base_path, made.reused, &mut self.seen, made.sources)
    }

    fn finished(&mut self, good: bool) {
        if !good {
            // What a check saw of a failed build is not what the next one reuses (the last
            // good build's pages): the next one reads every page.
            self.seen = links::Seen::default();
        }
    }
}

/// A content file as last parsed: while its stamp holds it is not read again, and while
/// its text hashes the same it is not parsed again.
struct Parsed {
    stamp: Option<Stamp>,
    source_hash: u64,
    doc: Option<Arc<Document>>,
    problems: Vec<Diagnostic>,
}

impl Parsed {
    /// `file` (shown as `rel`), taken from `kept` when it has not changed.
    fn read(file: &Path, rel: &Path, kept: Option<&Parsed>) -> Parsed {
        let kept = kept.filter(|kept| kept.doc.is_some());
        let stamp = Stamp::of(file);
        if let Some(kept) = kept.filter(|kept| stamp.is_some() && kept.stamp == stamp) {
            return Parsed { stamp, source_hash: kept.source_hash, doc: kept.doc.clone(), problems: kept.problems.clone() };
        }
        let mut problems = Vec::new();
        let Some(text) = content::read_text(file, rel, &mut problems) else {
            return Parsed { stamp: None, source_hash: 0, doc: None, problems };
        };
        // A file saved again unchanged keeps its parse.
        let source_hash = hash_of(&text);
        if let Some(kept) = kept.filter(|kept| kept.source_hash == source_hash) {
            return Parsed { stamp, source_hash, doc: kept.doc.clone(), problems: kept.problems.clone() };
        }
        let doc = content::parse_document(rel, &text, &mut problems).map(Arc::new);
        Parsed { stamp, source_hash, doc, problems }
    }
}

/// What tells that a file may have changed without reading it: its size, modification
/// time and (on Unix) inode and change time, which a save also moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    changed: (u64, i64, i64),
}

impl Stamp {
    fn of(file: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(file).ok()?;
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime(), meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let changed = (0, 0, 0);
        Some(Stamp { len: meta.len(), modified: meta.modified().ok(), changed })
    }
}

/// A site's citations, with what they were gathered from: every document's rendering
/// (which holds the citations it found) and the survey's. After an edit that changes no
/// citation (most edits), the next build takes them again, with the hash of each report
/// page's lists, instead of gathering them from every document.
struct Gathered {
    /// The documents' renderings, in library order.
    docs: Vec<Arc<RenderedDoc>>,
    survey: Found,
    targets: usize,
    citations: Arc<Citations>,
    /// For each document, a hash of the "Cited in" lists its page shows (`lists_key`).
    lists: Vec<u64>,
}

impl Gathered {
    /// The citations found by `docs` and `survey` in a library of `targets` targets, taken
    /// from `last` when they found the same; a page's lists are hashed again only when its
    /// document was rendered again or the citations changed.
    fn new(targets: usize, docs: &[Arc<RenderedDoc>], survey: Found, last: Option<Gathered>) -> Gathered {
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
            None => Arc::new(gather_citations(targets, docs, &survey)),
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

/// A hash of every "Cited in" list that `report`'s page shows.
fn lists_key(report: &ReportView, citations: &Citations) -> u64 {
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

/// The keys of the two pages that list every report (home and the index of reports), each
/// a hash of all its context holds as `render::pages::pages` makes it (`site` is the site
/// view's `json_key`).
fn list_keys(site: u64, reports: &[&ReportView], survey: Option<&SurveyView>) -> [(String, u64); 2] {
    let summaries = hash_of(&reports.iter().map(|r| json_key(&r.summary)).collect::<Vec<u64>>());
    let survey = json_key(&survey);
    [
        ("index.html".to_string(), hash_of(&("index", site, summaries, survey))),
        ("reports/index.html".to_string(), hash_of(&("reports", site, summaries))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::CONTENT_DIR;
    use crate::render::views::{BlockView, ChildView, LinkView, NodeView, ReportSummary};

    fn node(target: u32, children: Vec<ChildView>) -> NodeView {
        NodeView { target, html: String::new(), children, footnotes: Vec::new() }
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

    #[test]
    fn a_reload_reads_again_only_the_files_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(CONTENT_DIR)).unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(CONTENT_DIR).join(name), text).unwrap();
        write("a.md", "+++\nid = \"a\"\ntitle = \"A\"\n+++\n1. one\n");
        write("b.md", "+++\nid = \"b\"\ntitle = \"B\"\n+++\n1. two\n");
        let mut memo = BuildMemo::default();
        let (files, _) = content::markdown_files(dir.path());
        let (first, _) = memo.documents(dir.path(), &files);
        // An edit that keeps the file's size is seen; the file left alone keeps its parse.
        write("a.md", "+++\nid = \"a\"\ntitle = \"A\"\n+++\n1. ONE\n");
        let (second, _) = memo.documents(dir.path(), &files);
        assert_eq!(second[0].paragraphs().next().unwrap().text, "ONE");
        assert!(Arc::ptr_eq(&first[1], &second[1]));
    }
}
