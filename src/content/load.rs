//! Loading: reads the Markdown files under `content/` (following folder links, never in a
//! circle) and parses each into a `Document`: front matter, then the paragraph model,
//! then the document's own checks.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::checks;
use super::document::{Document, CONTENT_DIR};
use super::front_matter::{self, FrontMatter};
use super::paragraph::{self, Block, Body};
use crate::error::{toml_diagnostic, Diagnostic};

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
    checks::check_document(&doc, problems);
    Some(doc)
}

/// The front matter, file and every id of a document, without its texts.
fn shape_hash(meta: &FrontMatter, path: &Path, body: &Body) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    meta.hash(&mut hasher);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{footnote_marks, node_label, write_label};
    use std::path::Path;

    use regex::Regex;

    use super::checks::missing_from;

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
