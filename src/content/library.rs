//! The library: every document, sorted for display, with every paragraph, sub-item and
//! heading indexed by id, for cross-references. A large library holds a million targets,
//! so each is two numbers and the index is built in parallel shards.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::document::{node_label, Document};
use super::front_matter;
use super::paragraph::{self, Block, Body};
use super::refscan::SymbolFinder;
use crate::error::Diagnostic;

/// The hash a target is indexed under: of its document's place and its key.
fn target_hash(doc: usize, key: &str) -> u64 {
    crate::hash::hash_of(&(doc as u32, key))
}

/// The place of a target in its library: citations and views refer to targets by it.
pub type TargetId = u32;

/// What a paragraph id points to: a numbered paragraph, a sub-item or a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'l> {
    /// Index of the document in `Library::docs`.
    pub doc: usize,
    pub key: &'l str,
    /// The heading's text, for a heading.
    pub(crate) heading: Option<&'l str>,
}

impl Target<'_> {
    /// `para. 71 (g)`, or the heading text.
    pub fn label(&self) -> std::borrow::Cow<'_, str> {
        match self.heading {
            Some(text) => text.into(),
            None => node_label(self.key).into(),
        }
    }
}

/// A target as the library keeps it: a large library has a million, so each is two
/// numbers and its key lies in one string shared by all.
#[derive(Debug, Clone, Copy)]
struct TargetEntry {
    /// The document's index, with `HEADING` set for a heading.
    doc_and_kind: u32,
    /// Where the key ends in `Library::keys`; it starts where the previous target's ends.
    key_end: u32,
}

/// Marks a heading in `TargetEntry::doc_and_kind`.
const HEADING: u32 = 1 << 31;

impl TargetEntry {
    fn doc(self) -> usize {
        (self.doc_and_kind & !HEADING) as usize
    }

    fn is_heading(self) -> bool {
        self.doc_and_kind & HEADING != 0
    }
}

/// All documents, sorted for display, with every paragraph and heading id indexed.
#[derive(Debug, Default)]
pub struct Library {
    pub docs: Vec<Arc<Document>>,
    /// Each document's numbered paragraphs and sub-items (in `Document::nodes` order),
    /// then its headings, document after document.
    targets: Vec<TargetEntry>,
    /// Every target's key, end to end.
    keys: String,
    /// Where each document's targets start in `targets`.
    first_target: Vec<TargetId>,
    /// Where each document's headings start in `targets`, and their texts in `headings`.
    first_heading: Vec<(TargetId, u32)>,
    /// The text of each heading target, in target order.
    headings: Vec<String>,
    /// `targets` by id (`gge-2021:71-g`), hashed by `target_hash`, in `INDEX_SHARDS` shards
    /// (`shard_of`): a large library's are built in parallel.
    target_index: Vec<hashbrown::HashTable<TargetId>>,
    by_id: FxHashMap<String, usize>,
    by_symbol: FxHashMap<String, usize>,
    /// Finds the symbols in running text; made with the index, and kept with it when
    /// `serve` takes the index again (making it is a good part of a rebuild's work).
    symbol_finder: SymbolFinder,
    /// Every file given to `new` (duplicates too), with its shape.
    loaded: Vec<(PathBuf, u64)>,
    /// Each document's numbered paragraphs by number (see `Numbered`).
    numbered: Vec<Numbered>,
    /// The targets of those runs of numbers, end to end; `NO_TARGET` for a number missing.
    by_number: Vec<TargetId>,
}

/// Where a document's paragraphs lie in `Library::by_number`: paragraph `first + i` is at
/// `start + i`, for `i` below `len`. Found with one read, where the id index takes three:
/// "paragraph 12" is the most common reference of all. Empty for a document whose
/// numbers are too sparse to be worth a run.
#[derive(Debug, Default, Clone, Copy)]
struct Numbered {
    first: u32,
    start: u32,
    len: u32,
}

const NO_TARGET: TargetId = TargetId::MAX;

/// The number a key is written as, when it is one written plainly (`12`, not `012` nor `12-a`).
fn plain_number(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    let plain = (1..=9).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_digit) && (bytes[0] != b'0' || bytes.len() == 1);
    plain.then(|| key.parse().ok()).flatten()
}

/// The key of `target`: from where the previous target's key ends to where its own does.
#[inline]
fn key_of<'k>(targets: &[TargetEntry], keys: &'k str, target: TargetId) -> &'k str {
    let t = target as usize;
    let start = if t == 0 { 0 } else { targets[t - 1].key_end };
    &keys[start as usize..targets[t].key_end as usize]
}

/// The target of paragraph `number` in a run of numbers from `first` (`NO_TARGET` for
/// those missing).
fn in_run(first: u32, run: &[TargetId], number: u32) -> Option<TargetId> {
    run.get(number.wrapping_sub(first) as usize).copied().filter(|&target| target != NO_TARGET)
}

/// How many shards the id index is built in.
const INDEX_SHARDS: usize = 8;

/// The shard of the id index a target's hash falls to: bits of the hash that the tables
/// themselves leave unused (below 2^32 buckets they place by the low bits, and tag by the
/// top ones).
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize & (INDEX_SHARDS - 1)
}

/// One document's targets, made in parallel before they are indexed: its paragraphs and
/// sub-items (`Document::nodes` order), then its headings.
struct DocTargets {
    /// The keys, end to end, and where each ends.
    keys: String,
    ends: Vec<u32>,
    hashes: Vec<u64>,
    /// How many of the keys are paragraphs' and sub-items'; the headings' follow.
    nodes: usize,
    /// The text of each heading.
    headings: Vec<String>,
    /// The lowest paragraph number, and from it each number's place among the keys.
    numbers: (u32, Vec<TargetId>),
    /// Headings whose anchors another target of the document has already.
    problems: Vec<Diagnostic>,
}

impl DocTargets {
    fn of(doc: &Document, index: usize) -> DocTargets {
        let mut targets = DocTargets {
            keys: String::new(),
            ends: Vec::new(),
            hashes: Vec::new(),
            nodes: 0,
            headings: Vec::new(),
            numbers: (0, Vec::new()),
            problems: Vec::new(),
        };
        for node in doc.nodes() {
            targets.push(index, &node.key);
        }
        targets.nodes = targets.ends.len();
        targets.numbers = targets.number_run();
        // A heading's anchor is taken when a paragraph of the run has its number, or another
        // target its very key: as `Library::target_in` would find it. (A document has a few
        // headings: the keys are compared one by one.)
        let (first, run) = &targets.numbers;
        let numbered = |key: &str| plain_number(key).and_then(|number| in_run(*first, run, number)).is_some();
        let node_keys = || {
            let starts = std::iter::once(0).chain(targets.ends.iter().copied());
            starts.zip(&targets.ends).map(|(start, &end)| &targets.keys[start as usize..end as usize])
        };
        let mut headings: Vec<&paragraph::Heading> = Vec::new();
        for block in &doc.body.blocks {
            if let Block::Heading(h) = block {
                let taken = numbered(&h.key) || node_keys().any(|key| key == h.key) || headings.iter().any(|other| other.key == h.key);
                if taken {
                    targets.problems.push(Diagnostic::at(
                        &doc.path,
                        h.line,
                        format!("heading anchor `{}:{}` is used twice: give one an explicit {{#anchor}}", doc.meta.id, h.key),
                    ));
                    continue;
                }
                headings.push(h);
            }
        }
        for h in headings {
            targets.push(index, &h.key);
            targets.headings.push(h.text.clone());
        }
        targets
    }

    fn push(&mut self, index: usize, key: &str) {
        self.keys.push_str(key);
        self.ends.push(self.keys.len() as u32);
        self.hashes.push(target_hash(index, key));
    }

    /// The run of numbers of the keys written as plain numbers, when not too sparse; of
    /// two keys with one number (a problem reported), the first.
    fn number_run(&self) -> (u32, Vec<TargetId>) {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        let numbered: Vec<(u32, TargetId)> = starts
            .zip(&self.ends)
            .enumerate()
            .filter_map(|(i, (start, &end))| Some((plain_number(&self.keys[start as usize..end as usize])?, i as TargetId)))
            .collect();
        let (Some(first), Some(last)) = (numbered.iter().map(|(n, _)| *n).min(), numbered.iter().map(|(n, _)| *n).max()) else {
            return (0, Vec::new());
        };
        let span = (last - first) as usize + 1;
        if span > 4 * self.ends.len() + 64 {
            return (0, Vec::new());
        }
        let mut run = vec![NO_TARGET; span];
        for (number, i) in numbered {
            let slot = &mut run[(number - first) as usize];
            if *slot == NO_TARGET {
                *slot = i;
            }
        }
        (first, run)
    }
}

/// The documents, but for one whose id or symbol an earlier file (by path) has: that one
/// is reported and left out.
fn first_of_each_id(docs: Vec<Arc<Document>>, problems: &mut Vec<Diagnostic>) -> Vec<Arc<Document>> {
    let mut kept: Vec<Arc<Document>> = Vec::new();
    // Maps, since libraries can be large.
    let mut id_owner: HashMap<String, PathBuf> = HashMap::new();
    let mut symbol_owner: HashMap<String, PathBuf> = HashMap::new();
    for doc in docs {
        if let Some(first) = id_owner.get(&doc.meta.id) {
            problems.push(Diagnostic::at(
                &doc.path,
                doc.key_line("id"),
                format!("document id `{}` is already used by {}", doc.meta.id, first.display()),
            ));
            continue;
        }
        if let Some(first) = doc.meta.symbol.as_ref().and_then(|s| symbol_owner.get(s)) {
            let symbol = doc.meta.symbol.as_deref().unwrap_or_default();
            problems.push(Diagnostic::at(
                &doc.path,
                doc.key_line("symbol"),
                format!("symbol `{symbol}` is already used by {}", first.display()),
            ));
            continue;
        }
        id_owner.insert(doc.meta.id.clone(), doc.path.clone());
        if let Some(symbol) = &doc.meta.symbol {
            symbol_owner.insert(symbol.clone(), doc.path.clone());
        }
        kept.push(doc);
    }
    kept
}

impl Library {
    /// Indexes `docs` (in file order: of two files with one id or symbol, the first keeps it).
    pub fn new(docs: Vec<Arc<Document>>, problems: &mut Vec<Diagnostic>) -> Library {
        let loaded = docs.iter().map(|doc| (doc.path.clone(), doc.shape_hash)).collect();
        let mut kept = first_of_each_id(docs, problems);
        kept.sort_by(|a, b| (a.meta.order, &a.meta.id).cmp(&(b.meta.order, &b.meta.id)));
        // Each document's targets are made in parallel, then put in order, then indexed in
        // parallel.
        use rayon::prelude::*;
        let doc_targets: Vec<DocTargets> = kept.par_iter().enumerate().map(|(index, doc)| DocTargets::of(doc, index)).collect();
        let count = doc_targets.iter().map(|t| t.ends.len()).sum();
        let mut lib = Library { docs: kept, loaded, ..Library::default() };
        lib.targets.reserve(count);
        lib.keys.reserve(doc_targets.iter().map(|t| t.keys.len()).sum());
        let mut hashes: Vec<u64> = Vec::with_capacity(count);
        for (index, targets) in doc_targets.into_iter().enumerate() {
            lib.add_document(index, targets, &mut hashes, problems);
        }
        lib.target_index = (0..INDEX_SHARDS)
            .into_par_iter()
            .map(|shard| {
                let mut table = hashbrown::HashTable::with_capacity(count / INDEX_SHARDS + count / 32 + 16);
                for (target, &hash) in hashes.iter().enumerate().filter(|(_, &hash)| shard_of(hash) == shard) {
                    table.insert_unique(hash, target as TargetId, |&t: &TargetId| hashes[t as usize]);
                }
                table
            })
            .collect();
        lib.symbol_finder = SymbolFinder::new(lib.symbols_with_docs());
        lib.check_scopes(problems);
        lib
    }

    /// Adds document `index`, its id and symbol, and its targets (their hashes to `hashes`).
    fn add_document(&mut self, index: usize, targets: DocTargets, hashes: &mut Vec<u64>, problems: &mut Vec<Diagnostic>) {
        let doc = Arc::clone(&self.docs[index]);
        self.by_id.insert(doc.meta.id.clone(), index);
        if let Some(symbol) = &doc.meta.symbol {
            self.by_symbol.insert(symbol.clone(), index);
        }
        let first_target = self.targets.len() as TargetId;
        self.first_target.push(first_target);
        let (first, run) = &targets.numbers;
        let start = self.by_number.len() as u32;
        self.by_number.extend(run.iter().map(|&i| if i == NO_TARGET { NO_TARGET } else { first_target + i }));
        self.numbered.push(Numbered { first: *first, start, len: run.len() as u32 });
        self.first_heading.push((first_target + targets.nodes as TargetId, self.headings.len() as u32));
        let mut start = 0;
        for (i, &end) in targets.ends.iter().enumerate() {
            let kind = if i < targets.nodes { 0 } else { HEADING };
            self.push_target(index as u32 | kind, &targets.keys[start as usize..end as usize]);
            start = end;
        }
        self.headings.extend(targets.headings);
        hashes.extend(targets.hashes);
        problems.extend(targets.problems);
    }

    /// Adds a target of a document (its index, with `HEADING` for a heading).
    fn push_target(&mut self, doc_and_kind: u32, key: &str) {
        self.keys.push_str(key);
        self.targets.push(TargetEntry { doc_and_kind, key_end: self.keys.len() as u32 });
    }

    /// The same index over `docs` when each has the shape (`Document::shape_hash`, which
    /// covers its path, front matter and ids) of the document it replaces, file for file:
    /// the targets are then the same and only the texts are new. `None` when some shape
    /// changed, or a file came or went.
    pub fn with_texts_of(mut self, docs: &[Arc<Document>]) -> Option<Library> {
        let by_path: FxHashMap<&Path, &Arc<Document>> = docs.iter().map(|doc| (doc.path.as_path(), doc)).collect();
        let kept = by_path.len() == docs.len() && docs.len() == self.loaded.len();
        let same_shapes =
            kept && self.loaded.iter().all(|(path, shape)| by_path.get(path.as_path()).is_some_and(|doc| doc.shape_hash == *shape));
        if !same_shapes {
            return None;
        }
        for doc in &mut self.docs {
            *doc = Arc::clone(by_path[doc.path.as_path()]);
        }
        Some(self)
    }

    /// Every document's body, taken out of it (the documents keep their front matter and
    /// ids, and their targets stay indexed): for a build that renders each body once and
    /// can then free it. `None`, and nothing taken, when some document is shared.
    pub fn take_bodies(&mut self) -> Option<Vec<Body>> {
        if !self.docs.iter_mut().all(|doc| Arc::get_mut(doc).is_some()) {
            return None;
        }
        Some(self.docs.iter_mut().filter_map(Arc::get_mut).map(|doc| std::mem::take(&mut doc.body)).collect())
    }

    /// A hash of everything in the library that the rendering of one document can depend
    /// on besides its own text: every document's front matter and place, and every id a
    /// reference can resolve to, with its label. Paragraph texts are left out.
    pub fn fingerprint(&self) -> u64 {
        crate::hash::hash_of(&self.docs.iter().map(|doc| doc.shape_hash).collect::<Vec<_>>())
    }

    /// `references.paragraphs` names a document and each `references.named` a paragraph.
    fn check_scopes(&self, problems: &mut Vec<Diagnostic>) {
        for doc in &self.docs {
            let scopes = &doc.meta.references;
            if let Some(target) = &scopes.paragraphs {
                if !self.by_id.contains_key(target) {
                    problems.push(Diagnostic::at(
                        &doc.path,
                        doc.key_line("paragraphs"),
                        format!("references.paragraphs: no document has id `{target}`"),
                    ));
                }
            }
            for (word, target) in &scopes.named {
                if self.target(target).is_none() {
                    problems.push(Diagnostic::at(
                        &doc.path,
                        doc.key_line(word),
                        format!("references.named.{word}: `{target}` is not a paragraph of any document"),
                    ));
                }
            }
        }
    }

    pub fn doc_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn doc_by_symbol(&self, symbol: &str) -> Option<usize> {
        self.by_symbol.get(symbol).copied()
    }

    /// Finds the library's document symbols in a text.
    pub fn symbol_finder(&self) -> &SymbolFinder {
        &self.symbol_finder
    }

    /// Every document symbol, with its document.
    pub fn symbols_with_docs(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_symbol.iter().map(|(symbol, &doc)| (symbol.as_str(), doc))
    }

    /// The paragraph, sub-item or heading with this id.
    pub fn target(&self, id: &str) -> Option<Target<'_>> {
        self.target_id(id).map(|t| self.target_at(t))
    }

    /// The same, by its place in the library.
    pub fn target_id(&self, id: &str) -> Option<TargetId> {
        let (doc_id, key) = id.split_once(':')?;
        self.target_in(self.doc_index(doc_id)?, key)
    }

    /// The target `key` (`71-g`) of the document `doc`.
    #[inline]
    pub fn target_in(&self, doc: usize, key: &str) -> Option<TargetId> {
        // A paragraph number is looked up in its document's run; anything else (a heading
        // may be keyed by a number too) in the index.
        if let (Some(number), Some(run)) = (plain_number(key), self.numbered.get(doc)) {
            let targets = &self.by_number[run.start as usize..(run.start + run.len) as usize];
            if let Some(target) = in_run(run.first, targets, number) {
                return Some(target);
            }
        }
        self.indexed_target_in(doc, key)
    }

    /// The same, from the id index alone.
    fn indexed_target_in(&self, doc: usize, key: &str) -> Option<TargetId> {
        let is_it = |&t: &TargetId| self.targets[t as usize].doc() == doc && key_of(&self.targets, &self.keys, t) == key;
        let hash = target_hash(doc, key);
        self.target_index.get(shard_of(hash))?.find(hash, is_it).copied()
    }

    /// How many paragraphs, sub-items and headings the library holds.
    pub fn target_count(&self) -> usize {
        self.targets.len()
    }

    #[inline]
    pub fn target_at(&self, target: TargetId) -> Target<'_> {
        let entry = self.targets[target as usize];
        let heading = entry.is_heading().then(|| {
            let (first_heading, first_text) = self.first_heading[entry.doc()];
            self.headings[(first_text + target - first_heading) as usize].as_str()
        });
        Target { doc: entry.doc(), key: key_of(&self.targets, &self.keys, target), heading }
    }

    /// The numbered paragraphs of `doc` whose numbers lie strictly between `after` and
    /// `before`, in order: found among the document's own, so the work never grows with the
    /// numbers written (`paragraphs 1 to 4000000000`).
    pub fn paragraphs_between(&self, doc: usize, after: u32, before: u32) -> Vec<TargetId> {
        if let Some(run) = self.numbered.get(doc).filter(|run| run.len > 0) {
            let targets = &self.by_number[run.start as usize..(run.start + run.len) as usize];
            let (first, last) = (after.saturating_add(1).max(run.first), before.saturating_sub(1).min(run.first + (run.len - 1)));
            return (first..=last).filter_map(|number| in_run(run.first, targets, number)).collect();
        }
        let (start, end) = (self.first_target[doc], self.first_heading[doc].0);
        (start..end).filter(|&t| plain_number(key_of(&self.targets, &self.keys, t)).is_some_and(|n| after < n && n < before)).collect()
    }

    /// The first numbered paragraph of `doc`; the others and their sub-items follow, in
    /// `Document::nodes` order.
    pub fn first_target(&self, doc: usize) -> TargetId {
        self.first_target[doc]
    }

    /// `gge-2021:71-g`.
    pub fn id_of(&self, target: TargetId) -> String {
        let target = self.target_at(target);
        format!("{}:{}", self.docs[target.doc].meta.id, target.key)
    }

    /// True when `doc` is an extract that does not claim paragraph `number`.
    pub fn lacks_by_design(&self, doc: usize, number: u32) -> bool {
        let doc = &self.docs[doc];
        doc.meta.extract
            && front_matter::parse_ranges(&doc.meta.paragraphs).map_or(true, |ranges| !ranges.iter().any(|r| r.contains(&number)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_document;

    #[test]
    fn an_index_is_kept_while_only_texts_change() {
        let doc = |path: &str, id: &str, text: &str| {
            let source = format!("+++\nid = \"{id}\"\ntitle = \"T\"\n+++\n1. {text}\n\n    (a) x\n");
            Arc::new(parse_document(Path::new(path), &source, &mut Vec::new()).unwrap())
        };
        let first = vec![doc("content/a.md", "a", "one"), doc("content/b.md", "b", "two")];
        let lib = Library::new(first, &mut Vec::new());
        // A new text in the same shape: the same index, holding the new document.
        let edited = vec![doc("content/a.md", "a", "one, edited"), doc("content/b.md", "b", "two")];
        let lib = lib.with_texts_of(&edited).expect("shapes are the same");
        assert!(lib.target("a:1-a").is_some());
        assert_eq!(lib.docs[0].body.blocks.len(), 1);
        assert!(Arc::ptr_eq(&lib.docs[0], &edited[0]));
        // A new id, or a file more, and the index must be made again.
        let renamed = vec![doc("content/a.md", "a2", "one"), doc("content/b.md", "b", "two")];
        assert!(Library::new(edited.clone(), &mut Vec::new()).with_texts_of(&renamed).is_none());
        let added = vec![doc("content/a.md", "a", "one"), doc("content/b.md", "b", "two"), doc("content/c.md", "c", "three")];
        assert!(lib.with_texts_of(&added).is_none());
    }

    #[test]
    fn paragraphs_found_by_number_are_those_the_index_finds() {
        let doc = |path: &str, id: &str, body: &str| {
            let source = format!("+++\nid = \"{id}\"\ntitle = \"T\"\n+++\n{body}");
            Arc::new(parse_document(Path::new(path), &source, &mut Vec::new()).unwrap())
        };
        let docs = vec![
            // A gap (4) that a heading's anchor fills, and a heading keyed by a number past the end.
            doc("content/a.md", "a", "1. one\n\n    (a) x\n\n2. two\n\n## Four {#4}\n\n3. three\n\n5. five\n\n## Seven {#7}\n"),
            // Numbers too sparse for a run.
            doc("content/b.md", "b", "1. one\n\n100000. far\n"),
            doc("content/c.md", "c", "## Only a heading\n"),
        ];
        let mut problems = Vec::new();
        let lib = Library::new(docs, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let keys = ["0", "1", "01", "2", "3", "4", "5", "6", "7", "1-a", "100000", "99999", "4294967295", "12345678901", "", "x"];
        for doc in 0..lib.docs.len() {
            for key in keys {
                assert_eq!(lib.target_in(doc, key), lib.indexed_target_in(doc, key), "{}:{key}", lib.docs[doc].meta.id);
            }
        }
        for target in 0..lib.target_count() as TargetId {
            let found = lib.target_at(target);
            assert_eq!(lib.target_in(found.doc, found.key), Some(target));
        }
        assert!(lib.numbered[0].len == 5 && lib.numbered[1].len == 0, "{:?}", lib.numbered);
        assert_eq!(lib.target("a:4").and_then(|t| t.heading), Some("Four"));
    }

    #[test]
    fn of_two_paragraphs_with_one_number_the_run_holds_the_first() {
        let keys = DocTargets {
            keys: "77-a7".into(),
            ends: vec![1, 4, 5],
            hashes: Vec::new(),
            nodes: 3,
            headings: Vec::new(),
            numbers: (0, Vec::new()),
            problems: Vec::new(),
        };
        assert_eq!(keys.number_run(), (7, vec![0]));
    }

    #[test]
    fn a_heading_anchor_used_twice_is_named_with_its_line() {
        let source = "+++\nid = \"dup\"\ntitle = \"D\"\n+++\n## Same\n\n1. one\n\n## Same\n\n2. two\n\n## Two {#2}\n\n## Three {#3}\n";
        let doc = Arc::new(parse_document(Path::new("content/dup.md"), source, &mut Vec::new()).unwrap());
        let other = "+++\nid = \"other\"\ntitle = \"O\"\n+++\n## Same\n\n1. one\n";
        let other = Arc::new(parse_document(Path::new("content/other.md"), other, &mut Vec::new()).unwrap());
        let mut problems = Vec::new();
        let lib = Library::new(vec![doc, other], &mut problems);
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        // A second heading, or one keyed as a paragraph is; another document's are its own.
        assert_eq!(
            problems,
            [
                "content/dup.md:9: heading anchor `dup:same` is used twice: give one an explicit {#anchor}",
                "content/dup.md:13: heading anchor `dup:2` is used twice: give one an explicit {#anchor}",
            ]
        );
        assert_eq!(lib.target("dup:same").and_then(|t| t.heading), Some("Same"));
        assert_eq!(lib.target("dup:2").map(|t| t.heading), Some(None));
        assert_eq!(lib.target("dup:3").and_then(|t| t.heading), Some("Three"));
        assert_eq!(lib.target("other:same").and_then(|t| t.heading), Some("Same"));
    }

    #[test]
    fn bodies_are_taken_only_from_a_library_that_alone_holds_its_documents() {
        let source = "+++\nid = \"a\"\ntitle = \"T\"\n+++\n1. one\n\n    (a) x\n\n2. two\n";
        let doc = Arc::new(parse_document(Path::new("content/a.md"), source, &mut Vec::new()).unwrap());
        // Shared (as `serve` shares them): nothing is taken.
        let mut shared = Library::new(vec![Arc::clone(&doc)], &mut Vec::new());
        assert!(shared.take_bodies().is_none());
        assert_eq!(shared.docs[0].body.blocks.len(), 2);
        // Held alone: the bodies come out whole, and every id still resolves.
        drop(shared);
        let mut lib = Library::new(vec![doc], &mut Vec::new());
        let bodies = lib.take_bodies().expect("the library alone holds its document");
        assert_eq!(bodies[0].blocks.len(), 2);
        assert!(lib.docs[0].body.blocks.is_empty());
        assert!(lib.target("a:1-a").is_some() && lib.target("a:2").is_some());
    }
}
