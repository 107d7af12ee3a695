//! Content: loads `content/*.md` into documents of addressable paragraphs and indexes
//! every paragraph id (`gge-2021:71-g`) for cross-references.
//!
//! Steps: `load` reads and parses each file (front matter, then the paragraph model) and
//! checks its numbering; `Library::new` indexes all documents and checks what spans
//! documents (duplicate ids and symbols, reference scopes).

pub mod front_matter;
pub mod paragraph;
pub mod refscan;
pub mod xref;

#[cfg(test)]
pub(crate) mod proptests;

use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::error::{toml_diagnostic, Diagnostic};
use front_matter::FrontMatter;
use paragraph::{Block, Body, Child, Node};

pub const CONTENT_DIR: &str = "content";

/// One content file: a report or an extract of one.
#[derive(Debug)]
pub struct Document {
    pub meta: FrontMatter,
    /// The file, relative to the site root.
    pub path: PathBuf,
    pub body: Body,
    /// Line of each front matter key, for errors about its value.
    pub key_lines: HashMap<String, usize>,
    /// A hash of what other documents can see of this one (see `Library::fingerprint`).
    pub shape_hash: u64,
}

impl Document {
    /// How citations name the document: its symbol, else its short title, else its title.
    pub fn citation_name(&self) -> &str {
        self.meta.symbol.as_deref().or(self.meta.short_title.as_deref()).unwrap_or(&self.meta.title)
    }

    pub fn short_title(&self) -> &str {
        self.meta.short_title.as_deref().unwrap_or(&self.meta.title)
    }

    /// Every numbered paragraph and sub-item, in order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.paragraphs().flat_map(|p| std::iter::once(p).chain(p.items()))
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Node> {
        self.body.paragraphs()
    }

    fn key_line(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(2)
    }
}

/// How a node is cited: `para. 71 (g) (ii)`.
pub fn node_label(key: &str) -> String {
    let mut label = String::new();
    write_label(key, false, &mut label, String::push_str);
    label
}

/// Writes a node's label (`para. 71 (g)`, or `71 (g)` with `numbers_only`), its number
/// and markers through `push` (an escaper, or `String::push_str`).
pub fn write_label(key: &str, numbers_only: bool, out: &mut String, push: fn(&mut String, &str)) {
    if !numbers_only {
        out.push_str("para. ");
    }
    // Cut by hand: keys are a few bytes, and a label is written for every link.
    let (number, mut markers) = key.split_at(key.bytes().position(|b| b == b'-').unwrap_or(key.len()));
    push(out, number);
    while let Some(rest) = markers.strip_prefix('-') {
        let end = rest.bytes().position(|b| b == b'-').unwrap_or(rest.len());
        out.push_str(" (");
        push(out, &rest[..end]);
        out.push(')');
        markers = &rest[end..];
    }
}

static DOC_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9-]*$").unwrap());
static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap());

/// Reads every `.md` file under `content/`, in path order.
pub fn load(root: &Path) -> (Vec<Arc<Document>>, Vec<Diagnostic>) {
    let (files, mut problems) = markdown_files(root);
    let (docs, load_problems) = read_all(root, &files);
    problems.extend(load_problems);
    (docs, problems)
}

/// Every `.md` file under `content/`, in path order, with the problems of the walk.
pub fn markdown_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    collect_markdown(root, &root.join(CONTENT_DIR), &mut files, &mut problems);
    files.sort();
    (files, problems)
}

/// Reads and parses `files` (under `root`), in parallel, keeping their order.
pub fn read_all(root: &Path, files: &[PathBuf]) -> (Vec<Arc<Document>>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let rel = file.strip_prefix(root).unwrap_or(file);
            let mut problems = Vec::new();
            let doc = read_text(file, rel, &mut problems).and_then(|text| parse_document(rel, &text, &mut problems));
            (doc, problems)
        })
        .collect();
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for (doc, file_problems) in parsed {
        docs.extend(doc.map(Arc::new));
        problems.extend(file_problems);
    }
    (docs, problems)
}

/// The text of `file` (shown as `rel`); problems go to `problems`, `None` when it cannot
/// be read.
pub fn read_text(file: &Path, rel: &Path, problems: &mut Vec<Diagnostic>) -> Option<String> {
    match std::fs::read(file) {
        Ok(bytes) => {
            let (text, not_utf8) = utf8_or_report(rel, bytes);
            problems.extend(not_utf8);
            Some(text)
        }
        Err(e) => {
            problems.push(Diagnostic::file(rel, format!("cannot read: {e}")));
            None
        }
    }
}

/// A file's text; one that is not UTF-8 is read with its bad bytes replaced (so that its
/// paragraphs and references still count, and nothing fails for want of them), and
/// reported at the line and column of its first bad byte.
fn utf8_or_report(path: &Path, bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            let column = 1 + String::from_utf8_lossy(&bytes[line_start..at]).chars().count();
            let message = format!(
                "column {column}: the text is not UTF-8 (byte 0x{:02X}); save the file as UTF-8 (the error is reported once, at the first bad byte)",
                bytes[at]
            );
            (String::from_utf8_lossy(bytes).into_owned(), Some(Diagnostic::at(path, line, message)))
        }
    }
}

/// Every `.md` file under `dir`, following links to folders; a link back to a folder being
/// read (a cycle) or to one read already is reported, never followed.
fn collect_markdown(root: &Path, dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<Diagnostic>) {
    let mut walk = Walk { root, read: HashMap::new(), open: Vec::new(), out, problems };
    walk.folder(dir);
}

/// The state of one walk of content/: folders read so far by their real path, and the
/// chain of folders being read.
struct Walk<'a> {
    root: &'a Path,
    read: HashMap<PathBuf, PathBuf>,
    open: Vec<PathBuf>,
    out: &'a mut Vec<PathBuf>,
    problems: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path) {
        let Ok(real) = dir.canonicalize() else {
            return;
        };
        let shown = |path: &Path| path.strip_prefix(self.root).unwrap_or(path).display().to_string();
        if let Some(first) = self.read.get(&real) {
            let message = if self.open.contains(&real) {
                format!("links back to {}/, which holds it: the link is not followed", shown(first))
            } else {
                format!("links to {}/, which is read already: the link is not followed", shown(first))
            };
            self.problems.push(Diagnostic::file(shown(dir), message));
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        self.read.insert(real.clone(), dir.to_path_buf());
        self.open.push(real);
        for entry in entries.flatten() {
            let path = entry.path();
            // The entry's type comes with the listing; a link is followed to learn it.
            let is_dir = entry.file_type().is_ok_and(|t| if t.is_symlink() { path.is_dir() } else { t.is_dir() });
            if is_dir {
                self.folder(&path);
            } else if path.extension().is_some_and(|e| e == "md") {
                self.out.push(path);
            }
        }
        self.open.pop();
    }
}

/// Parses one content file; problems go to `problems`, `None` when nothing usable is left.
pub fn parse_document(path: &Path, text: &str, problems: &mut Vec<Diagnostic>) -> Option<Document> {
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(message) => {
            problems.push(Diagnostic::at(path, 1, message));
            return None;
        }
    };
    let meta: FrontMatter = match toml::from_str(split.front_matter) {
        Ok(meta) => meta,
        Err(e) => {
            problems.push(toml_diagnostic(path, split.front_matter, split.front_matter_line, &e));
            return None;
        }
    };
    let key_lines = crate::error::key_lines(split.front_matter, split.front_matter_line);
    let (body, body_problems) = paragraph::parse(split.body, split.body_line);
    problems.extend(body_problems.into_iter().map(|p| Diagnostic::at(path, p.line, p.message)));
    let shape_hash = shape_hash(&meta, path, &body);
    let doc = Document { meta, path: path.to_path_buf(), body, key_lines, shape_hash };
    check_document(&doc, problems);
    Some(doc)
}

/// The front matter, file and every id of a document, without its texts.
fn shape_hash(meta: &FrontMatter, path: &Path, body: &Body) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    format!("{meta:?}").hash(&mut hasher);
    path.hash(&mut hasher);
    for block in &body.blocks {
        match block {
            Block::Heading(h) => (&h.key, &h.text).hash(&mut hasher),
            Block::Paragraph(p) => {
                for node in std::iter::once(p).chain(p.items()) {
                    node.key.hash(&mut hasher);
                }
            }
            Block::Prose { .. } => {}
        }
    }
    hasher.finish()
}

/// Checks one document on its own: id, date, numbering, sub-items, footnotes.
fn check_document(doc: &Document, problems: &mut Vec<Diagnostic>) {
    let at = |line: usize, message: String| Diagnostic::at(&doc.path, line, message);
    if !DOC_ID.is_match(&doc.meta.id) {
        problems.push(at(doc.key_line("id"), format!("document id `{}` may hold only lowercase letters, digits and hyphens", doc.meta.id)));
    } else if doc.meta.id == "index" {
        // reports/index.html is the list of reports.
        problems.push(at(doc.key_line("id"), "document id `index` is taken by the list of reports: choose another".to_string()));
    }
    if let Some(date) = &doc.meta.date {
        if !DATE.is_match(date) {
            problems.push(at(doc.key_line("date"), format!("date `{date}` is not written YYYY-MM-DD")));
        }
    }
    check_numbering(doc, problems);
    for paragraph in doc.paragraphs() {
        check_markers(doc, paragraph, problems);
    }
    check_footnotes(doc, problems);
}

fn check_numbering(doc: &Document, problems: &mut Vec<Diagnostic>) {
    let declared = if doc.meta.paragraphs.is_empty() {
        None
    } else {
        match front_matter::parse_ranges(&doc.meta.paragraphs) {
            Ok(ranges) => Some(ranges),
            Err(message) => {
                problems.push(Diagnostic::at(&doc.path, doc.key_line("paragraphs"), format!("paragraphs: {message}")));
                return;
            }
        }
    };
    let mut seen: HashMap<u32, usize> = HashMap::new();
    let mut last: Option<u32> = None;
    for paragraph in doc.paragraphs() {
        let at = |message: String| Diagnostic::at(&doc.path, paragraph.line, message);
        let Ok(number) = paragraph.key.parse::<u32>() else {
            // A key is digits with the leading zeros taken off.
            problems.push(at(match paragraph.key.as_str() {
                "" => "paragraph numbers start at 1".to_string(),
                key => format!("paragraph number {key} is too large (at most {})", u32::MAX),
            }));
            continue;
        };
        if let Some(first) = seen.get(&number) {
            problems.push(at(format!("paragraph {number} appears twice (first at line {first})")));
        } else if last.is_some_and(|l| number < l) {
            problems.push(at(format!("paragraph {number} comes after paragraph {}: paragraphs must be in order", last.unwrap_or(0))));
        }
        if declared.as_ref().is_some_and(|ranges| !ranges.iter().any(|range| range.contains(&number))) {
            problems.push(at(format!("paragraph {number} is not in the front matter's `paragraphs`")));
        }
        seen.entry(number).or_insert(paragraph.line);
        last = Some(last.map_or(number, |l| l.max(number)));
    }
    if let Some(mut declared) = declared {
        // Overlapping ranges (`["1-200", "150-300"]`) name each number once.
        declared.sort_by_key(|range| *range.start());
        declared.dedup_by(|next, kept| {
            let overlaps = *next.start() <= kept.end().saturating_add(1);
            if overlaps {
                *kept = *kept.start()..=*kept.end().max(next.end());
            }
            overlaps
        });
        let mut present: Vec<u32> = seen.into_keys().collect();
        present.sort_unstable();
        let missing = missing_from(&declared, &present);
        if !missing.is_empty() {
            let line = doc.key_line("paragraphs");
            problems.push(Diagnostic::at(
                &doc.path,
                line,
                format!("paragraphs listed in the front matter but missing: {}", missing.join(", ")),
            ));
        }
    }
}

/// The numbers of `ranges` that `present` (sorted) lacks, a run of three or more written as
/// one range (`7-9`): the work is in proportion to the ranges and the paragraphs, never to
/// the numbers a range spans.
fn missing_from(ranges: &[std::ops::RangeInclusive<u32>], present: &[u32]) -> Vec<String> {
    let mut missing = Vec::new();
    let mut push = |from: u32, to: u32| match to - from {
        0 => missing.push(from.to_string()),
        1 => missing.extend([from.to_string(), to.to_string()]),
        _ => missing.push(format!("{from}-{to}")),
    };
    for range in ranges {
        let mut next = Some(*range.start());
        let inside = present.iter().filter(|n| range.contains(n));
        for &number in inside {
            if let Some(from) = next.filter(|&from| from < number) {
                push(from, number - 1);
            }
            next = number.checked_add(1);
        }
        if let Some(from) = next.filter(|from| from <= range.end()) {
            push(from, *range.end());
        }
    }
    missing
}

/// Sibling sub-items are unique, and in a full document they run (a), (b), ... or (i), (ii), ...
fn check_markers(doc: &Document, node: &Node, problems: &mut Vec<Diagnostic>) {
    let mut prev: Option<&str> = None;
    let mut seen = BTreeSet::new();
    for child in &node.children {
        let Child::Item(item) = child else { continue };
        if !seen.insert(item.marker()) {
            problems.push(Diagnostic::at(
                &doc.path,
                item.line,
                format!("sub-item ({}) appears twice in paragraph {}", item.marker(), node.key),
            ));
        } else if !doc.meta.extract && !paragraph::follows(prev, item.marker()) {
            let place = prev.map_or("first".to_string(), |p| format!("after ({p})"));
            problems.push(Diagnostic::at(
                &doc.path,
                item.line,
                format!("sub-item ({}) is out of sequence: it comes {place} in paragraph {}", item.marker(), node.key),
            ));
        }
        prev = Some(item.marker());
        check_markers(doc, item, problems);
    }
}

/// Each footnote mark (`[^label]`) of a text, in order: its label and where it starts.
/// A label is at least one character, none of them white space or `]`.
pub fn footnote_marks(text: &str) -> impl Iterator<Item = (&str, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + memchr::memchr(b'[', &bytes[from..])?;
        from = open + 1;
        if bytes.get(open + 1) != Some(&b'^') {
            continue;
        }
        let rest = &text[open + 2..];
        let end = memchr::memchr(b']', rest.as_bytes())?;
        let label = &rest[..end];
        if !label.is_empty() && !label.contains(char::is_whitespace) {
            from = open + 2 + end;
            return Some((label, open));
        }
        // Not a mark: one may still open inside it (`[^a [^b]`).
    })
}

/// Every footnote mark has one definition, and every definition is used.
fn check_footnotes(doc: &Document, problems: &mut Vec<Diagnostic>) {
    let mut defined: HashMap<&str, usize> = HashMap::new();
    for def in &doc.body.footnotes {
        if defined.insert(&def.label, def.line).is_some() {
            problems.push(Diagnostic::at(&doc.path, def.line, format!("footnote [^{}] is defined twice", def.label)));
        }
    }
    let mut used = BTreeSet::new();
    for (text, line) in texts(&doc.body) {
        for (label, at) in footnote_marks(text) {
            used.insert(label.to_string());
            if !defined.contains_key(label) {
                let line = crate::error::line_at(text, at, line);
                problems.push(Diagnostic::at(&doc.path, line, format!("footnote [^{label}] has no definition")));
            }
        }
    }
    for def in &doc.body.footnotes {
        if !used.contains(&def.label) {
            problems.push(Diagnostic::at(&doc.path, def.line, format!("footnote [^{}] is never cited", def.label)));
        }
    }
}

/// Every Markdown text of a body (not footnote definitions), with its first line.
pub fn texts(body: &Body) -> Vec<(&str, usize)> {
    fn node_texts<'a>(node: &'a Node, out: &mut Vec<(&'a str, usize)>) {
        out.push((&node.text, node.line));
        for child in &node.children {
            match child {
                Child::Text { text, line } => out.push((text, *line)),
                Child::Item(item) => node_texts(item, out),
            }
        }
    }
    let mut out = Vec::new();
    for block in &body.blocks {
        match block {
            Block::Heading(h) => out.push((h.text.as_str(), h.line)),
            Block::Paragraph(node) => node_texts(node, &mut out),
            Block::Prose { text, line } => out.push((text, *line)),
        }
    }
    out
}

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
    heading: Option<&'l str>,
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

impl Library {
    /// Indexes `docs` (in file order: of two files with one id or symbol, the first keeps it).
    pub fn new(docs: Vec<Arc<Document>>, problems: &mut Vec<Diagnostic>) -> Library {
        let loaded = docs.iter().map(|doc| (doc.path.clone(), doc.shape_hash)).collect();
        let mut kept: Vec<Arc<Document>> = Vec::new();
        // First file (by path) of each id and symbol: maps, since libraries can be large.
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
            let doc = Arc::clone(&lib.docs[index]);
            lib.by_id.insert(doc.meta.id.clone(), index);
            if let Some(symbol) = &doc.meta.symbol {
                lib.by_symbol.insert(symbol.clone(), index);
            }
            let first_target = lib.targets.len() as TargetId;
            lib.first_target.push(first_target);
            let (first, run) = &targets.numbers;
            let start = lib.by_number.len() as u32;
            lib.by_number.extend(run.iter().map(|&i| if i == NO_TARGET { NO_TARGET } else { first_target + i }));
            lib.numbered.push(Numbered { first: *first, start, len: run.len() as u32 });
            lib.first_heading.push((first_target + targets.nodes as TargetId, lib.headings.len() as u32));
            let mut start = 0;
            for (i, &end) in targets.ends.iter().enumerate() {
                let kind = if i < targets.nodes { 0 } else { HEADING };
                lib.push_target(index as u32 | kind, &targets.keys[start as usize..end as usize]);
                start = end;
            }
            lib.headings.extend(targets.headings);
            hashes.extend(targets.hashes);
            problems.extend(targets.problems);
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
        lib.check_scopes(problems);
        lib
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

    fn parse(text: &str) -> (Option<Document>, Vec<String>) {
        let mut problems = Vec::new();
        let doc = parse_document(Path::new("content/t.md"), text, &mut problems);
        (doc, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn footnote_marks_are_found_as_the_pattern_finds_them() {
        let pattern = Regex::new(r"\[\^([^\]\s]+)\]").unwrap();
        let texts = ["a[^1] b[^note] c[^1]", "[^ x] [^] [^a b] [^c]", "[^[^a] [b] [^", "x[^é]", "[^a\nb] [^z]", "[[^q]]", "[^"];
        for text in texts.into_iter().chain(["[^a [^b]", "[^ [^b] x", "[^a\n[^b]", "[^] [^c]"]) {
            let expected: Vec<(&str, usize)> =
                pattern.captures_iter(text).map(|c| (c.get(1).unwrap().as_str(), c.get(0).unwrap().start())).collect();
            assert_eq!(footnote_marks(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn front_matter_problems_name_the_line_of_their_key() {
        let (_, problems) = parse("+++\ntitle = \"T\"\n\nid = \"Bad Id\"\n+++\n1. a\n");
        assert!(problems.iter().any(|p| p.starts_with("content/t.md:4: document id `Bad Id`")), "{problems:?}");
    }

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
    #[test]
    fn numbering_problems_are_reported_with_lines() {
        let text = "+++\nid = \"t\"\ntitle = \"T\"\nparagraphs = [\"1-4\"]\n+++\n1. a\n\n3. c\n\n2. b\n\n3. again\n\n9. nine\n";
        let (_, problems) = parse(text);
        assert_eq!(
            problems,
            [
                "content/t.md:10: paragraph 2 comes after paragraph 3: paragraphs must be in order",
                "content/t.md:12: paragraph 3 appears twice (first at line 8)",
                "content/t.md:14: paragraph 9 is not in the front matter's `paragraphs`",
                "content/t.md:4: paragraphs listed in the front matter but missing: 4",
            ]
        );
    }

    #[test]
    fn a_huge_range_of_paragraphs_is_reported_as_a_range_never_expanded() {
        let text = "+++\nid = \"t\"\ntitle = \"T\"\nparagraphs = [\"1-4294967295\", \"7\"]\n+++\n1. a\n\n2. b\n\n5. e\n";
        let (_, problems) = parse(text);
        assert_eq!(problems, ["content/t.md:4: paragraphs listed in the front matter but missing: 3, 4, 6-4294967295"]);
        let ranges = [1..=3, 10..=20];
        assert_eq!(missing_from(&ranges, &[1, 2, 3, 11, 12, 20]), ["10", "13-19"]);
    }

    #[test]
    fn footnote_and_marker_problems() {
        let text = "+++\nid = \"t\"\ntitle = \"T\"\n+++\n1. a[^1] b[^2]\n\n    (a) x\n\n    (c) y\n\n[^1]: one\n\n[^3]: three\n";
        let (_, problems) = parse(text);
        assert_eq!(
            problems,
            [
                "content/t.md:9: sub-item (c) is out of sequence: it comes after (a) in paragraph 1",
                "content/t.md:5: footnote [^2] has no definition",
                "content/t.md:13: footnote [^3] is never cited",
            ]
        );
    }

    #[test]
    fn front_matter_errors_point_into_the_toml() {
        let (doc, problems) = parse("+++\nid = \"t\"\ntitle = \"T\"\nsymbl = \"A/1\"\n+++\n");
        assert!(doc.is_none());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("content/t.md:4: unknown field `symbl`"), "{}", problems[0]);
    }

    #[test]
    fn labels() {
        assert_eq!(node_label("71"), "para. 71");
        assert_eq!(node_label("71-g-ii"), "para. 71 (g) (ii)");
        assert_eq!(node_label("4-a"), "para. 4 (a)");
        let mut numbers = String::new();
        write_label("71-g", true, &mut numbers, String::push_str);
        assert_eq!(numbers, "71 (g)");
    }
}
