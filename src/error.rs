//! Diagnostics: every problem found in the sources, with the file and line it comes from.
//!
//! Stages collect `Diagnostic`s instead of stopping at the first one, so a build reports
//! everything that is wrong at once (`content/gge-2021.md:14: unknown reference ...`).

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line: Some(line), message: message.into() }
    }

    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line: None, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// The error a failed build or check ends with: all its diagnostics, sorted by place.
#[derive(Debug)]
pub struct Failed(pub Vec<Diagnostic>);

impl Failed {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Failed(diagnostics)
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Failed {}

/// 1-based line number of byte `offset` in `text`, counted from `first_line`.
pub fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    let end = offset.min(text.len());
    first_line + text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count()
}

/// Turns a TOML error into a diagnostic at the line its span points to.
pub fn toml_diagnostic(path: &Path, source: &str, first_line: usize, err: &toml::de::Error) -> Diagnostic {
    let line = err.span().map(|s| line_at(source, s.start, first_line)).unwrap_or(first_line);
    Diagnostic::at(path, line, err.message().trim_end().to_string())
}

/// The line of each key of a TOML text whose first line is `first_line`, for problems
/// with a key's value (toml's values carry no position once deserialized).
pub fn key_lines(toml: &str, first_line: usize) -> std::collections::HashMap<String, usize> {
    let mut lines = std::collections::HashMap::new();
    for (i, line) in toml.lines().enumerate() {
        if let Some(key) = leading_key(line) {
            lines.entry(key.to_string()).or_insert(first_line + i);
        }
    }
    lines
}

/// The key a front-matter line starts with (`id = ...`, `[references]`), for error lines.
fn leading_key(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix('[').unwrap_or(rest);
    let len = rest.bytes().take_while(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'.' | b'-')).count();
    (len > 0).then(|| &rest[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_counts_newlines_before_offset() {
        let text = "a\nb\nc";
        assert_eq!(line_at(text, 0, 1), 1);
        assert_eq!(line_at(text, 2, 1), 2);
        assert_eq!(line_at(text, 4, 10), 12);
        assert_eq!(line_at(text, 99, 1), 3);
    }

    #[test]
    fn failed_lists_sorted_problems_and_a_count() {
        let failed = Failed::new(vec![
            Diagnostic::at("b.md", 2, "second"),
            Diagnostic::at("a.md", 9, "first"),
            Diagnostic::file("site.toml", "third"),
        ]);
        assert_eq!(failed.to_string(), "a.md:9: first\nb.md:2: second\nsite.toml: third\n3 problems found");
    }

    #[test]
    fn a_key_is_found_at_its_line_with_or_without_a_table_bracket() {
        let lines = key_lines("  symbol = \"A/1\"\n= 3\n[references.named]\nsymbol = 2\n", 5);
        assert_eq!(lines.get("symbol"), Some(&5));
        assert_eq!(lines.get("references.named"), Some(&7));
        assert_eq!(lines.len(), 2);
    }
}
