//! Property tests of the plain-text fast path (`is_plain`, `render_unparsed`): for every
//! text it takes, the HTML is pulldown-cmark's, with the renderer's options, and the
//! same as the parsed path's in links, citations, problems and notes.
//!
//! 64 cases each in `cargo test`; `PROPTEST_CASES=20000 cargo test prop_` runs more.

use std::sync::Arc;

use proptest::prelude::*;
use pulldown_cmark::{html::push_html, Event, Parser, Tag, TagEnd};

use super::*;
use crate::content::proptests::config;
use crate::content::xref::Scope;

/// A piece of a text: mostly prose, some Markdown syntax, marks, references and odd characters.
fn piece() -> impl Strategy<Value = String> {
    let prose = proptest::sample::select(
        &[
            "States",
            "Élan",
            "日本",
            "ñ",
            "a",
            "I",
            "views",
            "A/1",
            "paragraph 2",
            "paragraphs 1 to 2",
            "norm (a)",
            "norms (a) and (b)",
            "of this report",
            "4294967295",
            "99999999999999999999",
            "1-2",
            ".",
            ",",
            ";",
            ":",
            "?",
            "-",
            "--",
            "(",
            ")",
            "'",
            "\"",
            "“",
            "”",
            "‘",
            "’",
            "/",
            "%",
            "+",
            "=",
            "#",
            "|",
            "@",
            "1.",
            "http://x.org",
            "www.example.org",
            "a@b.org",
        ][..],
    );
    let syntax = proptest::sample::select(
        &[
            "*", "_", "`", "<b>", "&amp;", "&", "\\", "!", "~", "~~", "^", "$", "{", "}", "[", "]", "[x](y)", "![i](j)", "> ", "- ", "---",
            "===",
        ][..],
    );
    let marks = proptest::sample::select(
        &[
            "[^1]",
            "[^note-2]",
            "[^A]",
            "[^a]",
            "[[a:1]]",
            "[[a:2|the second]]",
            "[[a:1-2]]",
            "[[nowhere:9]]",
            "[[a]]",
            "[[ a:1 ]]",
            "[[a:1|]]",
            "[[|x]]",
        ][..],
    );
    let broken_marks = proptest::sample::select(
        &["[^a_b]", "[^]", "[^1]:", "[^1](x)", "[^1][^2]", "[[a:1]](x.html)", "[[a:1]]]", "[[x", "]]", "[[a:2|B&amp;C]]"][..],
    );
    let spaces = proptest::sample::select(
        &[" ", "  ", "\u{a0}", "\u{3000}", "\u{2003}", "\u{85}", "\u{feff}", "\u{200b}", "\u{2028}", "\u{7f}", "\u{301}"][..],
    );
    let odd = proptest::sample::select(&["\t", "\n", "\r\n", "\r", "\u{0}", "\u{1b}"][..]);
    let string = |words: proptest::sample::Select<&'static str>| words.prop_map(String::from);
    prop_oneof![
        12 => string(prose),
        6 => string(spaces),
        5 => string(marks),
        1 => string(syntax),
        1 => string(broken_marks),
        1 => string(odd),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// A text that often is one plain line of prose, and sometimes just misses being one.
fn text() -> impl Strategy<Value = String> {
    let start = prop_oneof![
        8 => proptest::sample::select(&["States", "É", "(a)", "\"Quoted\"", "'q'", "“q”", "‘q’", "x", "paragraph 2", "norm (b)"][..]),
        1 => proptest::sample::select(&[" x", "1. x", "[[a:1]]", "- x", "# x", "> x", "    x"][..]),
    ];
    (start, proptest::collection::vec(piece(), 0..12)).prop_map(|(start, pieces)| format!("{start}{}", pieces.concat()))
}

/// A report `a` (A/1) with paragraphs 1 and 2 and sub-items 2 (a) and (b), whose
/// texts read bare paragraph numbers and "norm (a)" as its own.
fn report_a() -> Library {
    let source = "+++\nid = \"a\"\nsymbol = \"A/1\"\ntitle = \"A\"\n[references]\nparagraphs = \"a\"\n[references.named]\nnorm = \"a:2\"\n+++\n1. one\n\n2. two\n\n    (a) a\n\n    (b) b\n";
    let mut problems = Vec::new();
    let doc = crate::content::parse_document(std::path::Path::new("content/a.md"), source, &mut problems).unwrap();
    let lib = Library::new(vec![Arc::new(doc)], &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    lib
}

/// `test` given a text context in `lib`, in the scope of its document `a` when it has one.
fn in_scope<T>(lib: &Library, test: impl FnOnce(&TextContext) -> T) -> T {
    let linker = Linker::new(lib);
    let scope = lib.doc_index("a").map_or_else(Scope::default, |a| Scope::of(lib, a));
    test(&TextContext { linker: &linker, scope: &scope, footnote_prefix: "doc" })
}

/// What pulldown-cmark itself makes of `text` with the renderer's options: the footnote
/// marks given definitions (they live elsewhere in the file) that are then left out, and
/// each mark written as the renderer writes one.
fn pulldown_html(text: &str) -> String {
    let labels = footnote_labels(text);
    let mut source = text.to_string();
    for label in &labels {
        source.push_str(&format!("\n\n[^{label}]: -"));
    }
    let mut in_definition = false;
    let events = Parser::new_ext(&source, options()).filter_map(|event| match event {
        Event::Start(Tag::FootnoteDefinition(_)) => {
            in_definition = true;
            None
        }
        Event::End(TagEnd::FootnoteDefinition) => {
            in_definition = false;
            None
        }
        _ if in_definition => None,
        Event::FootnoteReference(label) => {
            let mut html = String::new();
            push_footnote_mark(&mut html, "doc", &label);
            Some(Event::InlineHtml(html.into()))
        }
        other => Some(other),
    });
    let mut html = String::new();
    push_html(&mut html, events);
    html
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_plain_texts_render_as_pulldown_cmark_renders_them(text in text()) {
        prop_assume!(is_plain(&text));
        let fast = in_scope(&Library::default(), |ctx| render_unparsed(&text, 1, ctx));
        prop_assert_eq!(fast.html, pulldown_html(&text), "{:?}", text);
    }

    #[test]
    fn prop_plain_texts_render_alike_with_and_without_the_parser(text in text(), first_line in 1usize..500) {
        prop_assume!(is_plain(&text));
        let lib = report_a();
        let (fast, parsed) = in_scope(&lib, |ctx| (render_unparsed(&text, first_line, ctx), render_parsed(&text, first_line, ctx)));
        prop_assert_eq!(&fast.html, &parsed.html, "{:?}", text);
        prop_assert_eq!((fast.cited, fast.problems, fast.notes, fast.links), (parsed.cited, parsed.problems, parsed.notes, parsed.links), "{:?}", text);
    }

    #[test]
    fn prop_any_text_renders_without_a_panic(text in prop_oneof![text(), any::<String>()], first_line in 1usize..500) {
        let lib = report_a();
        let rendered = in_scope(&lib, |ctx| render(&text, first_line, ctx));
        let last = first_line + text.matches('\n').count();
        for (line, problem) in &rendered.problems {
            prop_assert!((first_line..=last).contains(line), "{}: {} outside {}..={}", problem, line, first_line, last);
        }
    }
}
