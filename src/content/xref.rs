//! Cross-references: the references in running text ("paragraph 71 (g)", "paragraphs
//! 19 to 21", "norms (g) and (h)", "A/75/816", `[[gge-2021:71-g]]`), found by `refscan`,
//! resolved against the library into links and citations (`Place`s).
//!
//! Which document a bare "paragraph N" or a named series ("norm 13 (k)") means comes from
//! the citing file's front matter (`Scope`), never from code.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::document::write_label;
use super::library::{Library, Target, TargetId};
use super::refscan::{self, Finder, SymbolFinder};

/// What a reference id (`gge-2021:71-g`, `gge-2021:19-21`, `gge-2021`) stands for.
#[derive(Debug)]
pub enum Resolved {
    Document(usize),
    /// One or more paragraphs, sub-items or headings, in order.
    Nodes(Vec<TargetId>),
}

impl Library {
    /// Resolves a reference id; a range (`19-21`) gives each numbered paragraph in it.
    pub fn resolve(&self, reference: &str) -> Result<Resolved, String> {
        // A byte search, not `split_once`: every explicit reference comes through here.
        let (doc_id, key) = match memchr::memchr(b':', reference.as_bytes()) {
            Some(colon) => (&reference[..colon], Some(&reference[colon + 1..])),
            None => (reference, None),
        };
        let Some(doc) = self.doc_index(doc_id) else {
            return Err(format!("unknown document `{doc_id}` in reference `{reference}`"));
        };
        let Some(key) = key else {
            return Ok(Resolved::Document(doc));
        };
        if let Some((from, to)) = key.split_once('-').and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?))) {
            if from >= to {
                return Err(format!("range `{reference}` must run upwards"));
            }
            // The walk stops at the sixth number missing: a range may be written as large as
            // 1-4294967295, and a document holds only so many paragraphs.
            let mut nodes = Vec::new();
            let (mut missing, mut more) = (Vec::new(), "");
            for n in from..=to {
                match self.target_in(doc, &n.to_string()) {
                    Some(t) => nodes.push(t),
                    None if missing.len() == 5 => {
                        more = " (and more)";
                        break;
                    }
                    None => missing.push(n.to_string()),
                }
            }
            if !missing.is_empty() {
                return Err(format!("`{reference}`: {doc_id} has no paragraph {}{more}", missing.join(", ")));
            }
            return Ok(Resolved::Nodes(nodes));
        }
        match self.target_id(reference) {
            Some(t) => Ok(Resolved::Nodes(vec![t])),
            None => Err(format!("`{reference}` is not a paragraph, sub-item or heading of {doc_id}")),
        }
    }
}

impl Library {
    /// Writes how a place is cited (`A/76/135, para. 71 (g)`, the title of its links).
    pub fn write_title(&self, place: Place, out: &mut String, push: fn(&mut String, &str)) {
        match place {
            Place::Document(doc) => push(out, self.docs[doc].citation_name()),
            Place::Node(target) => {
                let target = self.target_at(target);
                push(out, self.docs[target.doc].citation_name());
                write_title_after_name(&target, out, push);
            }
        }
    }

    /// How a place is cited (`A/76/135, para. 71 (g)`): the title of its links.
    pub fn link_title(&self, place: Place) -> String {
        let mut title = String::new();
        self.write_title(place, &mut title, String::push_str);
        title
    }

    /// The reference id of a place: `gge-2021:71-g`, or the document's id.
    pub fn place_id(&self, place: Place) -> String {
        match place {
            Place::Document(doc) => self.docs[doc].meta.id.clone(),
            Place::Node(target) => self.id_of(target),
        }
    }
}

/// What follows the document's name in a paragraph's or heading's title: `, para. 71 (g)`,
/// or `, ` and the heading.
fn write_title_after_name(target: &Target, out: &mut String, push: fn(&mut String, &str)) {
    out.push_str(", ");
    match target.heading {
        Some(text) => push(out, text),
        None => write_label(target.key, false, out, push),
    }
}

/// How unqualified references read in one citing document.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The citing document, whose own symbol is not linked.
    pub doc: Option<usize>,
    /// The document a bare "paragraph N" means.
    pub paragraphs: Option<usize>,
    /// Named series: word ("norm"), the document and the paragraph key ("13").
    pub named: Vec<(String, usize, String)>,
}

impl Scope {
    /// The scope a document's front matter declares; unknown names were reported by `Library::new`.
    pub fn of(lib: &Library, doc: usize) -> Scope {
        let refs = &lib.docs[doc].meta.references;
        let named = refs
            .named
            .iter()
            .filter_map(|(word, id)| {
                let target = lib.target(id)?;
                Some((word.clone(), target.doc, target.key.to_string()))
            })
            .collect();
        Scope { doc: Some(doc), paragraphs: refs.paragraphs.as_deref().and_then(|id| lib.doc_index(id)), named }
    }
}

/// A place in the library a reference can point at: a document, or one of its
/// paragraphs, sub-items or headings. Links lead to places; citations record them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Document(usize),
    Node(TargetId),
}

/// A piece of text after linking.
#[derive(Debug, PartialEq, Eq)]
pub enum Segment {
    Plain(Range<usize>),
    Link {
        range: Range<usize>,
        to: Place,
    },
    /// An explicit reference replaced by its display text (also the link's title).
    Replaced {
        shown: ShownAs,
        to: Place,
    },
}

/// What an explicit reference reads as.
#[derive(Debug, PartialEq, Eq)]
pub enum ShownAs {
    /// How its place is cited (`write_title`): written straight into the page, as most
    /// references read (`[[gge-2021:71]]`).
    Citation,
    /// Its own text, or a range's (`A/76/135, paras. 3–5`).
    Text(String),
}

/// The result of linking one text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Linked {
    pub segments: Vec<Segment>,
    /// Every place the text cites (ranges expanded).
    pub cited: Vec<Place>,
    /// Problems, at byte offsets of the text.
    pub problems: Vec<(usize, String)>,
}

/// Finds and resolves references; holds what finding symbols and named series needs for
/// a library.
pub struct Linker<'l> {
    lib: &'l Library,
    symbols: &'l SymbolFinder,
    /// A finder for the word of each named series (`norm`).
    named: FxHashMap<&'l str, Finder<'l>>,
}

/// A found reference before it becomes segments.
struct Found {
    range: Range<usize>,
    /// Sub-ranges to link, each with its target; empty means "leave as text".
    links: Vec<(Range<usize>, Place)>,
    replaced: Option<(ShownAs, Place)>,
    cited: Vec<Place>,
    problem: Option<String>,
}

impl Found {
    fn text(range: Range<usize>) -> Self {
        Found { range, links: Vec::new(), replaced: None, cited: Vec::new(), problem: None }
    }
}

impl<'l> Linker<'l> {
    pub fn new(lib: &'l Library) -> Self {
        let named = lib
            .docs
            .iter()
            .flat_map(|doc| doc.meta.references.named.keys())
            .map(|word| (word.as_str(), Finder::new(word.as_bytes())))
            .collect();
        Linker { lib, symbols: lib.symbol_finder(), named }
    }

    pub fn library(&self) -> &'l Library {
        self.lib
    }

    /// Links the references in `text`.
    pub fn link(&self, text: &str, scope: &Scope) -> Linked {
        let mut found: Vec<Found> = Vec::new();
        for reference in refscan::explicit(text) {
            found.push(self.explicit(text, reference));
        }
        // One buffer for the keys looked up, rather than one string each.
        let mut key = String::new();
        if let Some(doc) = scope.paragraphs {
            for list in refscan::paragraph_lists(text) {
                found.push(self.paragraphs(text, list, doc, &mut key));
            }
        }
        for (word, doc, key) in &scope.named {
            let Some(finder) = self.named.get(word.as_str()) else { continue };
            for list in refscan::named_lists(text, finder) {
                found.push(self.named_series(text, list, *doc, key));
            }
        }
        for (range, doc) in self.symbols.find(text) {
            if scope.doc != Some(doc) {
                let mut symbol = Found::text(range.clone());
                symbol.links.push((range, Place::Document(doc)));
                symbol.cited.push(Place::Document(doc));
                found.push(symbol);
            }
        }
        self.assemble(text, found)
    }

    fn explicit(&self, text: &str, reference: refscan::Explicit) -> Found {
        let mut found = Found::text(reference.range);
        let id = text[reference.reference].trim();
        match self.lib.resolve(id) {
            Ok(resolved) => {
                let (default_text, to, cited) = self.describe(&resolved);
                let display = reference.own_text.map_or(default_text, |own| ShownAs::Text(text[own].to_string()));
                found.replaced = Some((display, to));
                found.cited = cited;
            }
            Err(message) => found.problem = Some(message),
        }
        found
    }

    /// Display text, link and cited places of a resolved reference.
    fn describe(&self, resolved: &Resolved) -> (ShownAs, Place, Vec<Place>) {
        match resolved {
            Resolved::Document(doc) => {
                let place = Place::Document(*doc);
                (ShownAs::Citation, place, vec![place])
            }
            Resolved::Nodes(nodes) => {
                let shown = if let [_] = nodes[..] {
                    ShownAs::Citation
                } else {
                    let (first, last) = (self.lib.target_at(nodes[0]), self.lib.target_at(nodes[nodes.len() - 1]));
                    ShownAs::Text(format!("{}, paras. {}–{}", self.lib.docs[first.doc].citation_name(), first.key, last.key))
                };
                (shown, Place::Node(nodes[0]), nodes.iter().map(|&t| Place::Node(t)).collect())
            }
        }
    }

    fn paragraphs(&self, text: &str, list: refscan::ParagraphList, doc: usize, key: &mut String) -> Found {
        let mut found = Found::text(list.range.clone());
        if let Some((first, second)) = refscan::of_words(text, list.range.end) {
            // "paragraph 3 of resolution 73/266" is another text's paragraph.
            let local = first == "this" || (first == "the" && second == Some("present"));
            if !local {
                return found;
            }
        }
        let doc_id = &self.lib.docs[doc].meta.id;
        let mut previous: Option<u32> = None;
        for item in list.items {
            let number: u32 = text[item.number.clone()].parse().unwrap_or(0);
            node_key(key, number, item.markers.iter().map(|m| &text[m.clone()]));
            if let Some(target) = self.lib.target_in(doc, key) {
                if item.ends_range {
                    let inner = self.lib.paragraphs_between(doc, previous.unwrap_or(number), number);
                    found.cited.extend(inner.into_iter().map(Place::Node));
                }
                found.cited.push(Place::Node(target));
                found.links.push((item.range, Place::Node(target)));
            } else if !self.lib.lacks_by_design(doc, number) {
                found.problem = Some(format!("`{}` refers to {doc_id}:{key}, which does not exist", &text[list.range.clone()]));
            }
            previous = Some(number);
        }
        if found.links.len() == 1 && found.problem.is_none() {
            found.links[0].0 = list.range;
        }
        found
    }

    fn named_series(&self, text: &str, list: refscan::NamedList, doc: usize, key: &str) -> Found {
        let mut found = Found::text(list.range.clone());
        if list.number.is_some_and(|n| &text[n] != key) {
            return found;
        }
        let doc_id = &self.lib.docs[doc].meta.id;
        for marker in list.markers {
            let item_key = format!("{key}-{}", &text[marker.clone()]);
            let Some(target) = self.lib.target_in(doc, &item_key) else {
                found.problem = Some(format!("`{}` refers to {doc_id}:{item_key}, which does not exist", &text[list.range.clone()]));
                continue;
            };
            found.cited.push(Place::Node(target));
            // The link covers the marker with its parentheses.
            found.links.push((marker.start - 1..marker.end + 1, Place::Node(target)));
        }
        if found.links.len() == 1 && found.problem.is_none() {
            found.links[0].0 = list.range;
        }
        found
    }

    /// Keeps the leftmost, longest non-overlapping references and cuts the text into segments.
    fn assemble(&self, text: &str, mut found: Vec<Found>) -> Linked {
        found.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
        let mut out = Linked {
            segments: Vec::with_capacity(2 * found.iter().map(|f| f.links.len().max(1)).sum::<usize>() + 1),
            cited: Vec::with_capacity(found.iter().map(|f| f.cited.len()).sum()),
            problems: Vec::new(),
        };
        let mut pos = 0;
        for f in found {
            if f.range.start < pos {
                continue;
            }
            if let Some(problem) = f.problem {
                out.problems.push((f.range.start, problem));
            }
            out.cited.extend(f.cited);
            if let Some((shown, to)) = f.replaced {
                push_plain(&mut out.segments, pos..f.range.start);
                out.segments.push(Segment::Replaced { shown, to });
                pos = f.range.end;
                continue;
            }
            for (range, to) in f.links {
                push_plain(&mut out.segments, pos..range.start);
                pos = range.end;
                out.segments.push(Segment::Link { range, to });
            }
        }
        push_plain(&mut out.segments, pos..text.len());
        out
    }
}

/// Writes the key `71-g-ii` into `key`; the number as a number ("07" is 7).
fn node_key<'t>(key: &mut String, number: u32, markers: impl Iterator<Item = &'t str>) {
    key.clear();
    key.push_str(itoa::Buffer::new().format(number));
    for marker in markers {
        key.push('-');
        key.push_str(marker);
    }
}

fn push_plain(segments: &mut Vec<Segment>, range: Range<usize>) {
    if !range.is_empty() {
        segments.push(Segment::Plain(range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_document;
    use std::path::Path;
    use std::sync::Arc;

    fn library() -> Library {
        let a = "+++\nid = \"gge-2021\"\nsymbol = \"A/76/135\"\ntitle = \"GGE\"\n[references]\nparagraphs = \"gge-2021\"\n[references.named]\nnorm = \"gge-2015:13\"\n+++\n19. a\n\n20. b\n\n21. c\n\n71. d\n\n    (a) a\n\n    (b) b\n\n    (c) c\n\n    (d) d\n\n    (e) e\n\n    (f) f\n\n    (g) g\n";
        let b = "+++\nid = \"gge-2015\"\nsymbol = \"A/70/174\"\ntitle = \"GGE 2015\"\nextract = true\nparagraphs = [\"13\"]\n+++\n13. norms\n\n    (g) g\n\n    (h) h\n\n    (k) k\n";
        library_of(&[("content/a.md", a), ("content/b.md", b)])
    }

    /// A library of `(path, source)` files, which must have no problem.
    fn library_of(files: &[(&str, &str)]) -> Library {
        let mut problems = Vec::new();
        let docs = files.iter().filter_map(|(p, t)| parse_document(Path::new(p), t, &mut problems)).map(Arc::new).collect();
        let lib = Library::new(docs, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        lib
    }

    #[test]
    fn titles_escape_every_piece_of_a_citation() {
        let text = "+++\nid = \"q\"\nsymbol = \"A/<1>&'2'\"\ntitle = \"Q\"\n+++\n## Views & \"news\" {#v}\n\n1. one\n\n    (a) a\n";
        let plain = "+++\nid = \"p\"\ntitle = \"States' <views>\"\n+++\n1. one\n";
        let lib = library_of(&[("content/q.md", text), ("content/p.md", plain)]);
        let mut title = String::new();
        lib.write_title(Place::Node(lib.target_id("q:1-a").unwrap()), &mut title, crate::render::push_escaped_all);
        assert_eq!(title, "A/&lt;1&gt;&amp;&#39;2&#39;, para. 1 (a)");
        assert_eq!(lib.target_count(), 4, "two paragraphs, a sub-item and a heading");
    }

    /// Renders segments as `[text](href)` for compact assertions.
    fn show(lib: &Library, text: &str, linked: &Linked) -> String {
        linked
            .segments
            .iter()
            .map(|s| match s {
                Segment::Plain(r) => text[r.clone()].to_string(),
                Segment::Link { range, to } => format!("[{}]({})", &text[range.clone()], crate::render::names::link_href(lib, *to)),
                Segment::Replaced { shown: ShownAs::Citation, to } => {
                    format!("[{}]({})", lib.link_title(*to), crate::render::names::link_href(lib, *to))
                }
                Segment::Replaced { shown: ShownAs::Text(text), to } => format!("[{text}]({})", crate::render::names::link_href(lib, *to)),
            })
            .collect()
    }

    #[test]
    fn references_in_text() {
        let lib = library();
        let linker = Linker::new(&lib);
        let scope = Scope::of(&lib, lib.doc_index("gge-2021").unwrap());
        let cases = [
            (
                "the caution in paragraph 71 (g) of this report",
                "the caution in [paragraph 71 (g)](@/reports/gge-2021.html#gge-2021-71-g) of this report",
            ),
            (
                "see paragraphs 19 to 21.",
                "see paragraphs [19](@/reports/gge-2021.html#gge-2021-19) to [21](@/reports/gge-2021.html#gge-2021-21).",
            ),
            ("operative paragraph 3 of General Assembly resolution 73/266", "operative paragraph 3 of General Assembly resolution 73/266"),
            ("As noted in norm 13 (g), States", "As noted in [norm 13 (g)](@/reports/gge-2015.html#gge-2015-13-g), States"),
            ("norms (g) and (h))", "norms [(g)](@/reports/gge-2015.html#gge-2015-13-g) and [(h)](@/reports/gge-2015.html#gge-2015-13-h))"),
            ("norm 12 (g)", "norm 12 (g)"),
            ("the OEWG (A/70/174) and A/76/135", "the OEWG ([A/70/174](@/reports/gge-2015.html)) and A/76/135"),
            ("x [[gge-2021:71-g]] y", "x [A/76/135, para. 71 (g)](@/reports/gge-2021.html#gge-2021-71-g) y"),
            ("[[gge-2015:13-k|norm (k)]]", "[norm (k)](@/reports/gge-2015.html#gge-2015-13-k)"),
        ];
        for (text, want) in cases {
            let linked = linker.link(text, &scope);
            assert_eq!(linked.problems, vec![], "{text}");
            assert_eq!(show(&lib, text, &linked), want);
        }
        let linked = linker.link("paragraphs 19 to 21", &scope);
        let cited: Vec<String> = linked.cited.iter().map(|&place| lib.place_id(place)).collect();
        assert_eq!(cited, ["gge-2021:19", "gge-2021:20", "gge-2021:21"]);
    }

    #[test]
    fn unresolved_references_are_problems() {
        let lib = library();
        let linker = Linker::new(&lib);
        let scope = Scope::of(&lib, lib.doc_index("gge-2021").unwrap());
        let linked = linker.link("see [[gge-2021:99]] and paragraph 98", &scope);
        assert_eq!(
            linked.problems,
            vec![
                (4, "`gge-2021:99` is not a paragraph, sub-item or heading of gge-2021".to_string()),
                (24, "`paragraph 98` refers to gge-2021:98, which does not exist".to_string()),
            ]
        );
        assert_eq!(show(&lib, "see [[gge-2021:99]] and paragraph 98", &linked), "see [[gge-2021:99]] and paragraph 98");
    }

    #[test]
    fn a_range_written_backwards_from_the_largest_number_cites_only_its_end() {
        // Found by prop_linking_never_panics_and_keeps_to_the_text: the range's start plus one overflowed.
        let lib = library();
        let linker = Linker::new(&lib);
        let scope = Scope::of(&lib, lib.doc_index("gge-2021").unwrap());
        let text = "paragraph 4294967295 -19";
        let linked = linker.link(text, &scope);
        assert_eq!(
            linked.problems,
            vec![(0, "`paragraph 4294967295 -19` refers to gge-2021:4294967295, which does not exist".to_string())]
        );
        let cited: Vec<String> = linked.cited.iter().map(|&place| lib.place_id(place)).collect();
        assert_eq!(cited, ["gge-2021:19"]);
    }

    #[test]
    fn references_outside_an_extract_stay_text() {
        let lib = library();
        let linker = Linker::new(&lib);
        let scope = Scope { doc: None, paragraphs: lib.doc_index("gge-2015"), named: vec![] };
        let linked = linker.link("paragraph 4 of this report", &scope);
        assert_eq!(linked.problems, vec![]);
        assert_eq!(linked.segments, vec![Segment::Plain(0..26)]);
    }

    #[test]
    fn resolve_ranges_and_documents() {
        let lib = library();
        assert!(matches!(lib.resolve("gge-2021:19-21"), Ok(Resolved::Nodes(n)) if n.len() == 3));
        assert!(matches!(lib.resolve("gge-2015"), Ok(Resolved::Document(_))));
        assert_eq!(lib.resolve("gge-2021:19-22").unwrap_err(), "`gge-2021:19-22`: gge-2021 has no paragraph 22");
        assert_eq!(lib.resolve("nope:1").unwrap_err(), "unknown document `nope` in reference `nope:1`");
        let huge = lib.resolve("gge-2021:19-4294967295").unwrap_err();
        assert_eq!(huge, "`gge-2021:19-4294967295`: gge-2021 has no paragraph 22, 23, 24, 25, 26 (and more)");
    }
}
