//! Loading: reads the Markdown files under `content/` (following folder links, never in a
//! circle) and parses each into a `Document`: front matter, then the paragraph model,
//! then the document's own checks.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::front_matter::{self, FrontMatter};
use super::paragraph::{self, Block, Body};
use super::{checks, Document, CONTENT_DIR};
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
