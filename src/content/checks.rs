//! The checks of one document on its own: its id and date, the numbering of its
//! paragraphs against its front matter, the order of its sub-items, its footnotes.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use super::document::{footnote_marks, texts, Document};
use super::front_matter;
use super::paragraph::{self, Child, Node};
use crate::error::Diagnostic;

static DOC_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9-]*$").unwrap());
static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap());

/// Checks one document on its own: id, date, numbering, sub-items, footnotes.
pub(super) fn check_document(doc: &Document, problems: &mut Vec<Diagnostic>) {
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
pub(super) fn missing_from(ranges: &[std::ops::RangeInclusive<u32>], present: &[u32]) -> Vec<String> {
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
