//! Property tests of content reading: the front matter splitter, the paragraph parser,
//! the reference finders and linking, on generated texts shaped like real ones.
//!
//! Each property runs 64 cases in `cargo test`; ask for more with
//! `PROPTEST_CASES=20000 cargo test prop_` (all property tests have names starting `prop_`).

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;

use super::front_matter::split;
use super::paragraph::{parse, Block, Body, Child, Node};
use super::refscan::{self, Finder, SymbolFinder};
use super::xref::{Linker, Scope, Segment};
use super::{parse_document, Library};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
pub(crate) const DEFAULT_CASES: u32 = 64;

pub(crate) fn config() -> ProptestConfig {
    let cases = proptest_cases();
    // The plain-text properties skip texts the fast path does not take: allow for them.
    ProptestConfig { cases, max_global_rejects: cases.saturating_mul(4), ..ProptestConfig::default() }
}

/// `PROPTEST_CASES` when set (proptest reads it only for its default config).
pub(crate) fn proptest_cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_CASES)
}

/// A line end, as either system writes it.
pub(crate) fn eol() -> impl Strategy<Value = &'static str> {
    prop_oneof![3 => Just("\n"), 1 => Just("\r\n")]
}

/// A paragraph number as written: ordinary, zero-led, zero, or too large for any counter.
pub(crate) fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (1u32..120).prop_map(|n| n.to_string()),
        1 => prop_oneof![Just("0"), Just("00"), Just("071"), Just("4294967295"), Just("4294967296"), Just("99999999999999999999")]
            .prop_map(String::from),
    ]
}

/// A sub-item marker: a letter, a roman numeral, or something that is not one.
pub(crate) fn marker() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-k]".prop_map(String::from),
        3 => prop_oneof![Just("i"), Just("ii"), Just("iii"), Just("iv"), Just("v"), Just("ix"), Just("x"), Just("xl")].prop_map(String::from),
        1 => prop_oneof![Just("abcdefg"), Just("G"), Just(""), Just("1"), Just("a b")].prop_map(String::from),
    ]
}

/// A word of running text, some of them shaped like syntax of the content format.
pub(crate) fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop_oneof![
            Just("States"), Just("should"), Just("norm"), Just("norms"), Just("paragraph"), Just("paragraphs"),
            Just("and"), Just("to"), Just("of"), Just("this"), Just("report"), Just("Élan"), Just("“quoted”"),
            Just("A/75/816"), Just("A/76/135"), Just("–"), Just("-"), Just(","), Just("(g)"), Just("(ii)"),
        ]
        .prop_map(String::from),
        2 => number(),
        1 => prop_oneof![Just("+++"), Just("[^1]"), Just("{#x}"), Just("```"), Just("#"), Just("71."), Just("[[gge-2021:71-g]]")]
            .prop_map(String::from),
        1 => "[a-zA-Z0-9]{1,8}".prop_map(String::from),
        1 => any::<char>().prop_filter("one word", |c| !c.is_whitespace()).prop_map(String::from),
    ]
}

/// Running text of up to `max` words on one line, joined by one space or by others.
pub(crate) fn prose(max: usize) -> impl Strategy<Value = String> {
    let space = prop_oneof![8 => Just(" "), 1 => Just("  "), 1 => Just("\u{a0}"), 1 => Just("\t")];
    proptest::collection::vec((word(), space), 0..=max).prop_map(|words| {
        let mut text = String::new();
        for (i, (word, space)) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(space);
            }
            text.push_str(word);
        }
        text
    })
}

/// Leading white space: none, too little, one level, two levels, more, or a tab.
fn indent() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => Just(""),
        3 => Just("    "),
        2 => Just("        "),
        1 => prop_oneof![Just("  "), Just("      "), Just("            "), Just("\t"), Just(" \t ")],
    ]
}

/// One line of a document body, of every shape the parser tells apart, and some noise.
fn body_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (number(), prose(6)).prop_map(|(n, t)| format!("{n}. {t}")),
        4 => (indent(), marker(), prose(6)).prop_map(|(i, m, t)| format!("{i}({m}) {t}")),
        2 => (1..8usize, prose(4), proptest::option::of("[a-z0-9_-]{0,6}"))
            .prop_map(|(level, t, id)| format!("{} {t}{}", "#".repeat(level), id.map_or(String::new(), |id| format!(" {{#{id}}}")))),
        2 => ("[a-z0-9]{1,3}|a b|", prose(5)).prop_map(|(label, t)| format!("[^{label}]: {t}")),
        1 => (indent(), prop_oneof![Just("```"), Just("~~~"), Just("```rust")]).prop_map(|(i, f)| format!("{i}{f}")),
        3 => (indent(), prose(8)).prop_map(|(i, t)| format!("{i}{t}")),
        4 => Just(String::new()),
        1 => "[^\n]{0,30}".prop_map(String::from),
    ]
}

/// A body: lines with their ends, the last one perhaps without.
fn body() -> impl Strategy<Value = String> {
    (proptest::collection::vec((body_line(), eol()), 0..24), any::<bool>()).prop_map(|(lines, end_last)| {
        let mut text = String::new();
        let count = lines.len();
        for (i, (line, eol)) in lines.into_iter().enumerate() {
            text.push_str(&line);
            if i + 1 < count || end_last {
                text.push_str(eol);
            }
        }
        text
    })
}

/// The lines of a text as editors count them: one more than its line ends.
pub(crate) fn editor_lines(text: &str) -> usize {
    text.matches('\n').count() + 1
}

/// A front matter line: the keys a content file uses, some mistakes, and lines that
/// look like a closing fence but are not one.
fn front_matter_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop_oneof![
            Just("id = \"generated\""), Just("id = \"gge-2021\""), Just("symbol = \"A/76/135\""), Just("title = \"Report of the Group\""),
            Just("short_title = \"GGE 2021\""), Just("date = \"2021-07-14\""), Just("date = \"14 July\""),
            Just("extract = true"), Just("paragraphs = [\"1-3\", \"7\"]"), Just("paragraphs = [\"3-1\"]"),
            Just("paragraphs = [\"1-4294967295\"]"), Just("paragraphs = [\"0-99999999999999999999\"]"),
            Just("paragraphs = [\"x\"]"), Just("[references]"), Just("paragraphs = \"gge-2021\""),
            Just("[references.named]"), Just("norm = \"gge-2015:13\""), Just("order = 4294967295"),
            Just("order = 99999999999999999999"), Just("order = -9223372036854775808"), Just("unknown = 1"),
            Just("id = \"Bad Id\""), Just("title = \"unclosed"), Just("id = "), Just(""), Just("# +++ a comment"),
        ]
        .prop_map(String::from),
        1 => prop_oneof![Just("++++"), Just(" +++"), Just("+++x"), Just("++ +")].prop_map(String::from),
        1 => "[^\n]{0,20}".prop_filter("not a fence", |l: &String| l.trim_end() != "+++").prop_map(String::from),
    ]
}

/// A whole content file: front matter (perhaps unclosed or unopened) and a body.
fn content_file() -> impl Strategy<Value = String> {
    let front = proptest::collection::vec((front_matter_line(), eol()), 0..10);
    (any::<bool>(), front, eol(), prop_oneof![Just(""), Just(" "), Just("\t")], body(), 0..20u8).prop_map(
        |(bom, lines, eol, after_fence, body, damage)| {
            let mut text = String::from(if bom { "\u{feff}+++" } else { "+++" });
            text.push_str(eol);
            for (line, eol) in lines {
                text.push_str(&line);
                text.push_str(eol);
            }
            match damage {
                0 => {}           // unclosed
                1 => return body, // no front matter at all
                _ => text.push_str(&format!("+++{after_fence}{eol}")),
            }
            text.push_str(&body);
            text
        },
    )
}

/// The document every generated one may refer to, and a second one, an extract.
pub(crate) fn known_documents() -> Vec<(&'static str, &'static str)> {
    vec![
        ("content/gge-2015.md", "+++\nid = \"gge-2015\"\nsymbol = \"A/70/174\"\ntitle = \"GGE 2015\"\nextract = true\nparagraphs = [\"13\"]\n+++\n13. norms\n\n    (g) g\n\n    (h) h\n\n    (k) k\n"),
        ("content/gge-2021.md", "+++\nid = \"gge-2021\"\nsymbol = \"A/76/135\"\ntitle = \"GGE\"\n[references]\nparagraphs = \"gge-2021\"\n[references.named]\nnorm = \"gge-2015:13\"\n+++\n19. a\n\n20. b\n\n21. c\n\n71. d\n\n    (a) a\n\n    (b) b\n"),
    ]
}

pub(crate) fn library_of(files: &[(&str, &str)]) -> (Library, Vec<crate::error::Diagnostic>) {
    let mut problems = Vec::new();
    let docs = files.iter().filter_map(|(p, t)| parse_document(Path::new(p), t, &mut problems)).map(Arc::new).collect();
    let lib = Library::new(docs, &mut problems);
    (lib, problems)
}

/// Every node of a body with its kind of line: a paragraph or a sub-item.
fn nodes(body: &Body) -> Vec<&Node> {
    body.paragraphs().flat_map(|p| std::iter::once(p).chain(p.items())).collect()
}

/// Every line a parsed body says something is at.
fn lines_of(body: &Body, problems: &[super::paragraph::Problem]) -> Vec<usize> {
    let mut lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    lines.extend(body.footnotes.iter().map(|f| f.line));
    for block in &body.blocks {
        match block {
            Block::Heading(h) => lines.push(h.line),
            Block::Prose { line, .. } => lines.push(*line),
            Block::Paragraph(_) => {}
        }
    }
    for node in nodes(body) {
        lines.push(node.line);
        lines.extend(node.children.iter().filter_map(|c| match c {
            Child::Text { line, .. } => Some(*line),
            Child::Item(_) => None,
        }));
    }
    lines
}

/// Everything a parsed body keeps of its text: texts, keys, labels, problems.
fn kept_text(body: &Body, problems: &[super::paragraph::Problem]) -> String {
    let mut kept = String::new();
    let mut add = |s: &str| {
        kept.push_str(s);
        kept.push('\n');
    };
    for (text, _) in super::texts(body) {
        add(text);
    }
    for block in &body.blocks {
        if let Block::Heading(h) = block {
            add(&h.key);
        }
    }
    for node in nodes(body) {
        add(&node.key.replace('-', " "));
    }
    for note in &body.footnotes {
        add(&note.label);
        add(&note.text);
    }
    for problem in problems {
        add(&problem.message);
    }
    kept
}

/// The words of a source line that only say what the line is: `71.`, `(g)`, `##`, `[^1]:`.
fn is_shape_word(word: &str) -> bool {
    let number = word.strip_suffix('.').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let item = word.starts_with('(') && word.ends_with(')');
    let heading = !word.is_empty() && word.bytes().all(|b| b == b'#');
    let note = word.starts_with("[^") && word.ends_with("]:");
    number || item || heading || note
}

/// A generated paragraph: number, text, and sub-items with theirs.
#[derive(Debug, Clone)]
struct ModelParagraph {
    number: u32,
    text: String,
    items: Vec<ModelItem>,
}

/// A generated sub-item: marker, text, and sub-items (marker, text).
type ModelItem = (String, String, Vec<(String, String)>);

fn model_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 1..6).prop_map(|words| words.join(" "))
}

fn model_paragraph() -> impl Strategy<Value = ModelParagraph> {
    let sub = proptest::collection::vec(("[a-z]{1,3}", model_text()), 0..3);
    let items = proptest::collection::vec(("[a-z]{1,6}", model_text(), sub), 0..4);
    (1u32..5000, model_text(), items).prop_map(|(number, text, items)| ModelParagraph { number, text, items })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_split_never_panics_and_finds_the_body_at_its_line(text in prop_oneof![
        any::<String>(),
        any::<String>().prop_map(|t| format!("+++\n{t}")),
        content_file(),
    ]) {
        if let Ok(split) = split(&text) {
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            prop_assert!(text.ends_with(split.body));
            let body_at = text.len() - split.body.len();
            prop_assert!(text[..body_at].contains(split.front_matter));
            prop_assert_eq!(split.front_matter_line, 2);
            if !split.body.is_empty() {
                prop_assert_eq!(split.body_line, 1 + text[..body_at].matches('\n').count());
            }
        }
    }

    #[test]
    fn prop_split_then_rejoin_gives_the_file_back(
        bom in any::<bool>(),
        open in eol(),
        lines in proptest::collection::vec((front_matter_line(), eol()), 0..10),
        after_fence in prop_oneof![Just(""), Just(" "), Just("\t"), Just("\r")],
        close in eol(),
        body in body(),
    ) {
        let front: String = lines.iter().map(|(line, eol)| format!("{line}{eol}")).collect();
        let text = format!("{}+++{open}{front}+++{after_fence}{close}{body}", if bom { "\u{feff}" } else { "" });
        let split = split(&text).expect("a closed front matter");
        prop_assert_eq!(split.front_matter, front.as_str());
        prop_assert_eq!(split.body, body.as_str());
        prop_assert_eq!(split.body_line, lines.len() + 3);
        let rejoined = format!("{}+++{open}{}+++{after_fence}{close}{}", if bom { "\u{feff}" } else { "" }, split.front_matter, split.body);
        prop_assert_eq!(rejoined, text);
    }

    #[test]
    fn prop_paragraph_parser_puts_everything_at_a_line_of_its_shape(body in body(), first_line in 1usize..1000) {
        let (parsed, problems) = parse(&body, first_line);
        let source: Vec<&str> = body.lines().collect();
        for line in lines_of(&parsed, &problems) {
            prop_assert!(line >= first_line && line < first_line + source.len(), "line {} of {}", line, source.len());
        }
        let at = |line: usize| source[line - first_line].trim();
        for paragraph in parsed.paragraphs() {
            let written = at(paragraph.line).split('.').next().unwrap_or("");
            // Zeros are taken off ("071" is 71; "0" leaves nothing, which the numbering check reports).
            prop_assert_eq!(paragraph.key.as_str(), written.trim_start_matches('0'));
            for item in paragraph.items() {
                let marker = item.marker();
                prop_assert!(at(item.line).starts_with(&format!("({marker})")), "{:?} at line {}", item.key, item.line);
            }
        }
        for block in &parsed.blocks {
            if let Block::Heading(h) = block {
                prop_assert!(at(h.line).starts_with('#'));
            }
        }
        for note in &parsed.footnotes {
            let mark = format!("[^{}]:", note.label);
            prop_assert!(at(note.line).starts_with(&mark));
        }
    }

    #[test]
    fn prop_paragraph_parser_loses_no_word_unless_it_reports_a_problem(body in body()) {
        let (parsed, problems) = parse(&body, 1);
        prop_assume!(problems.is_empty());
        let kept = kept_text(&parsed, &problems);
        for line in body.lines() {
            let mut words = line.split_whitespace();
            let first = words.next();
            let rest: Vec<&str> = first.filter(|w| !is_shape_word(w)).into_iter().chain(words).collect();
            for word in rest {
                let word = word.strip_prefix("{#").and_then(|w| w.strip_suffix('}')).unwrap_or(word);
                prop_assert!(kept.contains(word), "`{}` of {:?} is lost", word, line);
            }
        }
    }

    #[test]
    fn prop_paragraphs_written_out_parse_back_the_same(
        paragraphs in proptest::collection::vec(model_paragraph(), 0..6),
        eols in proptest::collection::vec(eol(), 1..4),
        first_line in 1usize..100,
    ) {
        let mut text = String::new();
        let mut line = first_line;
        let mut want: Vec<(String, usize, String)> = Vec::new();
        let mut eol_at = 0;
        let mut push = |text: &mut String, written: String, line: &mut usize| {
            text.push_str(&written);
            text.push_str(eols[eol_at % eols.len()]);
            text.push_str(eols[(eol_at + 1) % eols.len()]);
            eol_at += 1;
            *line += 2;
        };
        for p in &paragraphs {
            want.push((p.number.to_string(), line, p.text.clone()));
            push(&mut text, format!("{}. {}", p.number, p.text), &mut line);
            for (marker, item_text, subs) in &p.items {
                want.push((format!("{}-{marker}", p.number), line, item_text.clone()));
                push(&mut text, format!("    ({marker}) {item_text}"), &mut line);
                for (sub, sub_text) in subs {
                    want.push((format!("{}-{marker}-{sub}", p.number), line, sub_text.clone()));
                    push(&mut text, format!("        ({sub}) {sub_text}"), &mut line);
                }
            }
        }
        let (parsed, problems) = parse(&text, first_line);
        prop_assert_eq!(problems, vec![]);
        let got: Vec<(String, usize, String)> = nodes(&parsed).iter().map(|n| (n.key.clone(), n.line, n.text.clone())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn prop_content_files_give_diagnostics_within_the_file(file in content_file()) {
        let mut files = known_documents();
        files.push(("content/generated.md", &file));
        let (lib, problems) = library_of(&files);
        for problem in &problems {
            prop_assert_eq!(problem.path.to_str(), Some("content/generated.md"), "{}", problem);
            let line = problem.line.expect("a content problem has a line");
            prop_assert!((1..=editor_lines(&file)).contains(&line), "{} (the file has {} lines)", problem, editor_lines(&file));
        }
        // Linking every text of the generated file neither panics nor points outside it.
        if let Some(doc) = lib.docs.iter().position(|d| d.path == Path::new("content/generated.md")) {
            let linker = Linker::new(&lib);
            let scope = Scope::of(&lib, doc);
            for (text, _) in super::texts(&lib.docs[doc].body) {
                check_linked(text, &linker.link(text, &scope))?;
            }
        }
    }
}

/// A text of reference phrases as the reports write them, with noise between.
fn reference_text() -> impl Strategy<Value = String> {
    // Mostly numbers of paragraphs that exist, so that lists and ranges resolve.
    let small = || {
        prop_oneof![
            3 => proptest::sample::select(&["13", "19", "20", "21", "71", "071"][..]).prop_map(String::from),
            2 => (0u32..100).prop_map(|n| n.to_string()),
            1 => number(),
        ]
    };
    let markers = || proptest::collection::vec(marker().prop_map(|m| format!("({m})")), 0..3).prop_map(|m| m.join(" "));
    let sep = || {
        prop_oneof![
            Just(", "),
            Just(","),
            Just(" and "),
            Just(" to "),
            Just(" or "),
            Just("-"),
            Just(" – "),
            Just("–"),
            Just(" -"),
            Just("and")
        ]
    };
    let phrase = prop_oneof![
        3 => (prop_oneof![Just("paragraph"), Just("paragraphs"), Just("Paragraphs"), Just("subparagraph"), Just("paragraph\u{a0}"), Just("_paragraph")],
              proptest::collection::vec((small(), markers(), sep()), 1..4))
            .prop_map(|(word, items)| {
                let list: String = items.iter().map(|(n, m, s)| format!("{n} {m}{s}")).collect();
                format!("{word} {list}")
            }),
        3 => (prop_oneof![Just("norm"), Just("norms"), Just("enorm"), Just("norm_")], proptest::option::of(small()),
              proptest::collection::vec((markers(), sep()), 1..4))
            .prop_map(|(word, n, items)| {
                let list: String = items.iter().map(|(m, s)| format!("{m}{s}")).collect();
                format!("{word} {}{list}", n.map_or(String::new(), |n| format!("{n} ")))
            }),
        2 => ("[a-z0-9:|-]{0,14}", prop_oneof![Just("[["), Just("["), Just("[[[")], prop_oneof![Just("]]"), Just("]"), Just("]]]")])
            .prop_map(|(inner, open, close)| format!("{open}{inner}{close}")),
        1 => prop_oneof![Just("[[gge-2021:19-21]]"), Just("[[gge-2021:21-19]]"), Just("[[gge-2021:1-4294967295]]"), Just("[[gge-2015:13-g|norm (g)]]"), Just("[[gge-2015]]")]
            .prop_map(String::from),
        2 => prop_oneof![Just("A/76/135"), Just("A/70/174"), Just("A/76/1350"), Just("(A/70/174)"), Just("xA/76/135")].prop_map(String::from),
        1 => prop_oneof![Just(" of this report"), Just(" of the present report"), Just(" of resolution 73/266"), Just(" offers")].prop_map(String::from),
        2 => prose(3),
    ];
    proptest::collection::vec((phrase, prop_oneof![Just(" "), Just(""), Just("\n"), Just("\r\n"), Just("\u{2003}")]), 0..8)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
}

/// Segments in order, inside the text and on its character boundaries; problems inside it.
fn check_linked(text: &str, linked: &super::xref::Linked) -> Result<(), TestCaseError> {
    let mut pos = 0;
    for segment in &linked.segments {
        if let Segment::Plain(range) | Segment::Link { range, .. } = segment {
            prop_assert!(range.start >= pos && range.start < range.end && range.end <= text.len(), "{:?} in {:?}", range, text);
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            pos = range.end;
        }
    }
    for (at, _) in &linked.problems {
        prop_assert!(*at < text.len() && text.is_char_boundary(*at));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_reference_finders_agree_with_their_patterns(text in reference_text()) {
        prop_assert_eq!(refscan::tests::explicit_found(&text), refscan::tests::explicit_wanted(&text));
        prop_assert_eq!(refscan::tests::paragraph_lists_found(&text), refscan::tests::paragraph_lists_wanted(&text));
        for word in ["norm", "norm_"] {
            prop_assert_eq!(refscan::tests::named_lists_found(&text, word), refscan::tests::named_lists_wanted(&text, word));
        }
    }

    #[test]
    fn prop_reference_finders_never_panic_on_any_text(text in any::<String>(), word in "\\PC{0,4}") {
        refscan::explicit(&text);
        refscan::paragraph_lists(&text);
        refscan::named_lists(&text, &Finder::new(word.as_bytes()));
        for at in 0..=text.len() {
            if text.is_char_boundary(at) {
                refscan::of_words(&text, at);
            }
        }
    }

    #[test]
    fn prop_symbols_found_stand_alone_and_are_symbols(
        symbols in proptest::collection::vec(prop_oneof![
            Just("A/76/135".to_string()), Just("A/76/1".to_string()), Just("Ä/1".to_string()), Just("/x".to_string()),
            Just("A/".to_string()), Just(String::new()), "[A-Z]/[0-9]{1,3}".prop_map(String::from), "\\PC{1,3}".prop_map(String::from),
        ], 0..5),
        pieces in proptest::collection::vec(prop_oneof![
            Just("A/76/135"), Just("A/76/1"), Just("Ä/1"), Just("/"), Just("x"), Just(" "), Just("é"), Just("("), Just("3"), Just("A/"),
        ], 0..12),
    ) {
        let text: String = pieces.concat();
        let finder = SymbolFinder::new(symbols.iter().enumerate().map(|(doc, s)| (s.as_str(), doc)));
        let mut pos = 0;
        for (range, doc) in finder.find(&text) {
            prop_assert!(range.start >= pos);
            let found = &text[range.clone()];
            prop_assert!(symbols.iter().any(|s| s == found), "{:?} is no symbol", found);
            prop_assert!(!symbols.is_empty() && doc < symbols.len());
            let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '/'));
            prop_assert!(edge(text[..range.start].chars().next_back()) && edge(text[range.end..].chars().next()), "{:?} in {:?}", found, text);
            pos = range.end;
        }
    }

    #[test]
    fn prop_linking_never_panics_and_keeps_to_the_text(text in reference_text()) {
        let (lib, problems) = library_of(&known_documents());
        prop_assert_eq!(problems, vec![]);
        let linker = Linker::new(&lib);
        for scope in [Scope::of(&lib, lib.doc_index("gge-2021").unwrap()), Scope::of(&lib, lib.doc_index("gge-2015").unwrap()), Scope::default()] {
            let linked = linker.link(&text, &scope);
            check_linked(&text, &linked)?;
        }
    }
}
