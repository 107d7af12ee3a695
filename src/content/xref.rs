//! Cross-references: finds references in running text ("paragraph 71 (g)", "paragraphs
//! 19 to 21", "norms (g) and (h)", "A/75/816", `[[gge-2021:71-g]]`) and resolves them
//! against the library into links and citations.
//!
//! Which document a bare "paragraph N" or a named series ("norm 13 (k)") means comes from
//! the citing file's front matter (`Scope`), never from code.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Library, Target};

/// What a reference id (`gge-2021:71-g`, `gge-2021:19-21`, `gge-2021`) stands for.
#[derive(Debug)]
pub enum Resolved<'l> {
    Document(usize),
    /// One or more paragraphs, sub-items or headings, in order.
    Nodes(Vec<&'l Target>),
}

impl Library {
    /// Resolves a reference id; a range (`19-21`) gives each numbered paragraph in it.
    pub fn resolve(&self, reference: &str) -> Result<Resolved<'_>, String> {
        let (doc_id, key) = match reference.split_once(':') {
            Some((doc, key)) => (doc, Some(key)),
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
            let mut nodes = Vec::new();
            let mut missing = Vec::new();
            for n in from..=to {
                match self.target(&format!("{doc_id}:{n}")) {
                    Some(t) => nodes.push(t),
                    None => missing.push(n.to_string()),
                }
            }
            if !missing.is_empty() {
                return Err(format!("`{reference}`: {doc_id} has no paragraph {}", missing.join(", ")));
            }
            return Ok(Resolved::Nodes(nodes));
        }
        match self.target(reference) {
            Some(t) => Ok(Resolved::Nodes(vec![t])),
            None => Err(format!("`{reference}` is not a paragraph, sub-item or heading of {doc_id}")),
        }
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
                Some((word.clone(), target.doc, target.key.clone()))
            })
            .collect();
        Scope { doc: Some(doc), paragraphs: refs.paragraphs.as_deref().and_then(|id| lib.doc_index(id)), named }
    }
}

/// A piece of text after linking.
#[derive(Debug, PartialEq, Eq)]
pub enum Segment {
    Plain(Range<usize>),
    Link {
        range: Range<usize>,
        href: String,
        title: String,
    },
    /// An explicit reference replaced by its display text.
    Replaced {
        text: String,
        href: String,
        title: String,
    },
}

/// The result of linking one text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Linked {
    pub segments: Vec<Segment>,
    /// Ids of every paragraph the text cites (ranges expanded).
    pub cited: Vec<String>,
    /// Problems, at byte offsets of the text.
    pub problems: Vec<(usize, String)>,
}

static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+))?\]\]").unwrap());
static PARAGRAPHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)[Pp]aragraphs?\s+(\d+(?:\s*\([a-z]{1,6}\))*(?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*)\d+(?:\s*\([a-z]{1,6}\))*)*)",
    )
    .unwrap()
});
static NUMBER_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d+)((?:\s*\([a-z]{1,6}\))*)").unwrap());
static MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([a-z]{1,6})\)").unwrap());
static FOREIGN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s+of\s+(\w+)(?:\s+(\w+))?").unwrap());

/// Finds and resolves references; holds the compiled patterns for a library.
pub struct Linker<'l> {
    lib: &'l Library,
    symbols: Option<Regex>,
    named: HashMap<String, Regex>,
}

/// A found reference before it becomes segments.
struct Found {
    range: Range<usize>,
    /// Sub-ranges to link, each with its target id(s); empty means "leave as text".
    links: Vec<(Range<usize>, Vec<String>)>,
    replaced: Option<(String, String)>,
    cited: Vec<String>,
    problem: Option<String>,
}

impl<'l> Linker<'l> {
    pub fn new(lib: &'l Library) -> Self {
        let mut symbols: Vec<&str> = lib.symbols().collect();
        symbols.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let symbols = (!symbols.is_empty())
            .then(|| Regex::new(&symbols.iter().map(|s| regex::escape(s)).collect::<Vec<_>>().join("|")).expect("escaped"));
        let mut named = HashMap::new();
        for doc in &lib.docs {
            for word in doc.meta.references.named.keys() {
                named.entry(word.clone()).or_insert_with(|| {
                    let pattern = format!(
                        r"(?-u:\b){}s?\s+(?:(\d+)\s*)?(\([a-z]{{1,6}}\)(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)\([a-z]{{1,6}}\))*)",
                        regex::escape(word)
                    );
                    Regex::new(&pattern).expect("escaped word")
                });
            }
        }
        Linker { lib, symbols, named }
    }

    /// Links the references in `text`.
    pub fn link(&self, text: &str, scope: &Scope) -> Linked {
        let mut found: Vec<Found> = Vec::new();
        for caps in EXPLICIT.captures_iter(text) {
            found.push(self.explicit(&caps));
        }
        if let Some(doc) = scope.paragraphs {
            for caps in PARAGRAPHS.captures_iter(text) {
                found.push(self.paragraphs(text, &caps, doc));
            }
        }
        for (word, doc, key) in &scope.named {
            if let Some(re) = self.named.get(word) {
                for caps in re.captures_iter(text) {
                    found.push(self.named_series(&caps, *doc, key));
                }
            }
        }
        if let Some(re) = &self.symbols {
            for m in re.find_iter(text) {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '/'));
                let doc = self.lib.doc_by_symbol(m.as_str()).expect("symbol indexed");
                if boundary(before) && boundary(after) && scope.doc != Some(doc) {
                    let id = self.lib.docs[doc].meta.id.clone();
                    found.push(Found {
                        range: m.range(),
                        links: vec![(m.range(), vec![id.clone()])],
                        replaced: None,
                        cited: vec![id],
                        problem: None,
                    });
                }
            }
        }
        self.assemble(text, found)
    }

    fn explicit(&self, caps: &regex::Captures) -> Found {
        let range = caps.get(0).expect("match").range();
        let reference = caps[1].trim();
        let own_text = caps.get(2).map(|m| m.as_str().to_string());
        match self.lib.resolve(reference) {
            Ok(resolved) => {
                let (default_text, href, cited) = self.describe(&resolved);
                Found { range, links: Vec::new(), replaced: Some((own_text.unwrap_or(default_text), href)), cited, problem: None }
            }
            Err(message) => Found { range, links: Vec::new(), replaced: None, cited: Vec::new(), problem: Some(message) },
        }
    }

    /// Display text, link and cited ids of a resolved reference.
    fn describe(&self, resolved: &Resolved) -> (String, String, Vec<String>) {
        match resolved {
            Resolved::Document(doc) => {
                let d = &self.lib.docs[*doc];
                (d.citation_name().to_string(), format!("@/{}", d.url()), vec![d.meta.id.clone()])
            }
            Resolved::Nodes(nodes) => {
                let first = nodes[0];
                let ids = nodes.iter().map(|t| format!("{}:{}", self.lib.docs[t.doc].meta.id, t.key)).collect();
                let text = if nodes.len() == 1 {
                    self.lib.citation(first)
                } else {
                    let last = nodes[nodes.len() - 1];
                    format!("{}, paras. {}–{}", self.lib.docs[first.doc].citation_name(), first.key, last.key)
                };
                (text, self.lib.href(first), ids)
            }
        }
    }

    fn paragraphs(&self, text: &str, caps: &regex::Captures, doc: usize) -> Found {
        let whole = caps.get(0).expect("match").range();
        let list = caps.get(1).expect("group");
        let mut found = Found { range: whole.clone(), links: Vec::new(), replaced: None, cited: Vec::new(), problem: None };
        if let Some(of) = FOREIGN.captures(&text[whole.end..]) {
            let local = &of[1] == "this" || (&of[1] == "the" && of.get(2).is_some_and(|w| w.as_str() == "present"));
            if !local {
                return found;
            }
        }
        let doc_id = &self.lib.docs[doc].meta.id;
        let mut prev_end = 0;
        let mut prev_number: Option<u32> = None;
        for item in NUMBER_ITEM.captures_iter(list.as_str()) {
            let m = item.get(0).expect("match");
            let number: u32 = item[1].parse().unwrap_or(0);
            let markers: Vec<&str> = MARKER.captures_iter(&item[2]).map(|c| c.get(1).expect("group").as_str()).collect();
            let separator = &list.as_str()[prev_end..m.start()];
            let is_range_end = prev_number.is_some()
                && markers.is_empty()
                && (separator.contains("to") || separator.contains('-') || separator.contains('–'));
            let key = std::iter::once(number.to_string()).chain(markers.iter().map(|s| s.to_string())).collect::<Vec<_>>().join("-");
            let id = format!("{doc_id}:{key}");
            let range = (list.start() + m.start())..(list.start() + m.end());
            if self.lib.target(&id).is_some() {
                if is_range_end {
                    for n in prev_number.unwrap_or(number) + 1..number {
                        let inner = format!("{doc_id}:{n}");
                        if self.lib.target(&inner).is_some() {
                            found.cited.push(inner);
                        }
                    }
                }
                found.cited.push(id.clone());
                found.links.push((range, vec![id]));
            } else if !self.lib.lacks_by_design(doc, number) {
                found.problem = Some(format!("`{}` refers to {id}, which does not exist", &text[whole.clone()]));
            }
            prev_end = m.end();
            prev_number = Some(number);
        }
        if found.links.len() == 1 && found.problem.is_none() {
            found.links[0].0 = whole;
        }
        found
    }

    fn named_series(&self, caps: &regex::Captures, doc: usize, key: &str) -> Found {
        let whole = caps.get(0).expect("match").range();
        let mut found = Found { range: whole.clone(), links: Vec::new(), replaced: None, cited: Vec::new(), problem: None };
        if caps.get(1).is_some_and(|n| n.as_str() != key) {
            return found;
        }
        let doc_id = &self.lib.docs[doc].meta.id;
        let markers = caps.get(2).expect("group");
        for m in MARKER.captures_iter(markers.as_str()) {
            let piece = m.get(0).expect("match");
            let id = format!("{doc_id}:{key}-{}", &m[1]);
            if self.lib.target(&id).is_none() {
                found.problem = Some(format!("`{}` refers to {id}, which does not exist", caps.get(0).expect("match").as_str()));
                continue;
            }
            found.cited.push(id.clone());
            found.links.push(((markers.start() + piece.start())..(markers.start() + piece.end()), vec![id]));
        }
        if found.links.len() == 1 && found.problem.is_none() {
            found.links[0].0 = whole;
        }
        found
    }

    /// Keeps the leftmost, longest non-overlapping references and cuts the text into segments.
    fn assemble(&self, text: &str, mut found: Vec<Found>) -> Linked {
        found.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
        let mut out = Linked::default();
        let mut pos = 0;
        for f in found {
            if f.range.start < pos {
                continue;
            }
            if let Some(problem) = f.problem {
                out.problems.push((f.range.start, problem));
            }
            out.cited.extend(f.cited);
            if let Some((display, href)) = f.replaced {
                push_plain(&mut out.segments, pos..f.range.start);
                out.segments.push(Segment::Replaced { title: display.clone(), text: display, href });
                pos = f.range.end;
                continue;
            }
            for (range, ids) in f.links {
                push_plain(&mut out.segments, pos..range.start);
                let target = ids.first().and_then(|id| self.lib.resolve(id).ok());
                let (title, href, _) = self.describe(target.as_ref().expect("linked ids resolve"));
                out.segments.push(Segment::Link { range: range.clone(), href, title });
                pos = range.end;
            }
        }
        push_plain(&mut out.segments, pos..text.len());
        out
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
        let mut problems = Vec::new();
        let docs = [("content/a.md", a), ("content/b.md", b)]
            .iter()
            .filter_map(|(p, t)| parse_document(Path::new(p), t, &mut problems))
            .map(Arc::new)
            .collect();
        let lib = Library::new(docs, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        lib
    }

    /// Renders segments as `[text](href)` for compact assertions.
    fn show(text: &str, linked: &Linked) -> String {
        linked
            .segments
            .iter()
            .map(|s| match s {
                Segment::Plain(r) => text[r.clone()].to_string(),
                Segment::Link { range, href, .. } => format!("[{}]({href})", &text[range.clone()]),
                Segment::Replaced { text, href, .. } => format!("[{text}]({href})"),
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
            assert_eq!(show(text, &linked), want);
        }
        let linked = linker.link("paragraphs 19 to 21", &scope);
        assert_eq!(linked.cited, ["gge-2021:19", "gge-2021:20", "gge-2021:21"]);
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
        assert_eq!(show("see [[gge-2021:99]] and paragraph 98", &linked), "see [[gge-2021:99]] and paragraph 98");
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
    }
}
