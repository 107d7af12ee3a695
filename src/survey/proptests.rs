//! Property tests of the survey spec: loading and validating generated specs, right and
//! wrong in every way a spec can be, gives diagnostics at lines of their files, never a panic.
//!
//! 64 cases each in `cargo test`; `PROPTEST_CASES=20000 cargo test prop_` runs more.

use std::path::Path;

use proptest::prelude::*;

use super::{load, validate::validate, SPEC_DIR, SURVEY_FILE};
use crate::content::proptests::{config, editor_lines, eol, known_documents, library_of};
use crate::error::Diagnostic;

/// One of `choices`, as a line of TOML.
fn one_of(choices: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(choices).prop_map(String::from)
}

/// A number as TOML may hold it: fitting, at the edge of a u32, past it, negative, or text.
fn toml_number() -> impl Strategy<Value = String> {
    one_of(&["1", "200", "0", "4294967295", "4294967296", "99999999999999999999", "-1", "\"200\"", "1.5"])
}

/// A paragraph reference of a survey: resolving, unknown, malformed, or a (small) range.
fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => one_of(&["gge-2015:13-g", "gge-2015:13", "gge-2021:19-21", "gge-2021:71-g", "gge-2015", "gge-2021:71"]),
        2 => one_of(&["nope:1", "gge-2021:99", "gge-2021:21-19", "gge-2021:19-19", "gge-2021:4294967295", "gge-2021:99999999999999999999",
                      ":", "", "gge-2021:", "gge-2021:-", "gge-2021:1-", "gge-2021:-3", "gge-2021:19-22", "gge-2015:13-z",
                      "gge-2021:1-4294967295", "gge-2021:4294967294-4294967295", "gge-2015:0-99999999999999999999"]),
        1 => (0u32..150, 0u32..150).prop_map(|(a, b)| format!("gge-2021:{a}-{b}")),
    ]
}

fn string_list(item: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    proptest::collection::vec(item, 0..4).prop_map(|items| {
        let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        format!("[{}]", quoted.join(", "))
    })
}

fn question_id() -> impl Strategy<Value = String> {
    one_of(&["1.1", "1.2", "1.3", "2.1", "index", "s1", "é", ""])
}

fn options_value() -> impl Strategy<Value = String> {
    prop_oneof![one_of(&[
        "\"yes-no\"",
        "\"nope\"",
        "[]",
        "[{ value = \"a\", label = \"A\" }, { value = \"a\", label = \"again\" }]",
        "[{ value = \"yes\", label = \"Yes\", specify = \"Which?\" }]",
        "[{ value = \"x\" }]",
        "7"
    ]),]
}

/// The lines of one question, some of each kind of mistake.
fn question() -> impl Strategy<Value = Vec<String>> {
    let branch = (string_list(one_of(&["yes", "no", "maybe", ""])), question_id(), 0..4u8).prop_map(|(when, to, how)| match how {
        0 => format!("{{ if = {when}, goto = {to:?} }}"),
        1 => format!("{{ if = {when}, continue_to = {to:?} }}"),
        2 => format!("{{ if = {when} }}"),
        _ => format!("{{ if = {when}, goto = {to:?}, continue_to = {to:?} }}"),
    });
    let optional = prop_oneof![
        toml_number().prop_map(|n| format!("word_limit = {n}")),
        options_value().prop_map(|o| format!("options = {o}")),
        proptest::collection::vec(branch, 0..3).prop_map(|b| format!("branch = [{}]", b.join(", "))),
        one_of(&[
            "fields = \"contact\"",
            "fields = \"nope\"",
            "fields = [{ id = \"n\", label = \"N\", type = \"line\" }]",
            "fields = [{ id = \"g\", label = \"G\", type = \"group\" }]",
            "fields = [{ id = \"c\", label = \"C\", type = \"single\" }]"
        ]),
        one_of(&[
            "repeat = true",
            "repeat = 1",
            "separate = true",
            "item_label = \"Initiative\"",
            "note = \"A note\"",
            "details = \"Details\"",
            "number = \"\"",
            "unknown = true",
            "instances = [{ id = \"a\", label = \"A\" }, { id = \"a\", label = \"A again\" }]"
        ]),
    ];
    (
        question_id(),
        one_of(&["single", "multiple", "text", "line", "urls", "group", "confirm", "bogus"]),
        proptest::collection::vec(optional, 0..4),
    )
        .prop_map(|(id, kind, optional)| {
            let mut lines = vec![
                "[[sections.questions]]".to_string(),
                format!("id = {id:?}"),
                "text = \"Has your State ...?\"".into(),
                format!("type = \"{kind}\""),
            ];
            lines.extend(optional);
            lines
        })
}

fn section() -> impl Strategy<Value = Vec<String>> {
    let refs = prop_oneof![
        string_list(reference()).prop_map(|r| format!("statement = {r}")),
        string_list(reference()).prop_map(|r| format!("guidance = {r}")),
        string_list(reference()).prop_map(|r| format!("related = {r}")),
        reference().prop_map(|r| format!("heading = {r:?}")),
    ];
    (
        one_of(&["s1", "s2", "index", "instructions", "p1"]),
        any::<bool>(),
        proptest::collection::vec(refs, 0..3),
        proptest::collection::vec(question(), 0..4),
    )
        .prop_map(|(id, page, refs, questions)| {
            let mut lines =
                vec!["[[sections]]".to_string(), format!("id = {id:?}"), "title = \"Norm (a)\"".into(), format!("page = {page}")];
            lines.extend(refs);
            lines.extend(questions.into_iter().flatten());
            lines
        })
}

fn part(id: &'static str) -> impl Strategy<Value = Vec<String>> {
    let extract =
        string_list(reference()).prop_map(|r| vec!["[[extracts]]".to_string(), "title = \"Extracts\"".into(), format!("paragraphs = {r}")]);
    (proptest::option::of(extract), proptest::collection::vec(section(), 0..3)).prop_map(move |(extract, sections)| {
        let mut lines = vec![format!("id = {id:?}"), "title = \"Part\"".to_string(), "number = \"I\"".into()];
        lines.extend(extract.into_iter().flatten());
        lines.extend(sections.into_iter().flatten());
        lines
    })
}

fn survey_file() -> impl Strategy<Value = Vec<String>> {
    (toml_number(), string_list(one_of(&["p1", "p2", "missing", "p1"])), any::<bool>()).prop_map(|(version, parts, sets)| {
        let mut lines = vec!["id = \"survey\"".to_string(), "title = \"Survey\"".into(), format!("version = {version}"), format!("parts = {parts}")];
        if sets {
            lines.extend(
                [
                    "[option_sets.yes-no]",
                    "options = [{ value = \"yes\", label = \"Yes\" }, { value = \"no\", label = \"No\" }, { value = \"yes\", label = \"Yes again\" }]",
                    "[field_sets.contact]",
                    "fields = [{ id = \"name\", label = \"Name\", type = \"line\" }, { id = \"g\", label = \"G\", type = \"group\" }, { id = \"c\", label = \"C\", type = \"single\", options = \"nope\" }]",
                ]
                .map(String::from),
            );
        }
        lines
    })
}

/// What may be done to the lines of a file: nothing, drop one, repeat one, or add noise.
fn damaged(lines: impl Strategy<Value = Vec<String>>) -> impl Strategy<Value = String> {
    let noise = prop_oneof![
        one_of(&["[", "= 1", "id = ", "\"\"\"", "[[sections]]", "x = \"é\u{a0}\t\"", "# comment", ""]),
        "[^\n]{0,12}".prop_map(String::from)
    ];
    (lines, 0..5u8, any::<prop::sample::Index>(), noise, proptest::collection::vec(eol(), 1..3)).prop_map(
        |(mut lines, how, at, noise, eols)| {
            if !lines.is_empty() {
                let i = at.index(lines.len());
                match how {
                    1 => drop(lines.remove(i)),
                    2 => lines.insert(i, lines[i].clone()),
                    3 => lines.insert(i, noise),
                    _ => {}
                }
            }
            lines.iter().enumerate().map(|(i, line)| format!("{line}{}", eols[i % eols.len()])).collect()
        },
    )
}

/// Writes the spec files and loads and validates them against the known documents.
fn check_spec(files: &[(&str, &str)]) -> Result<(), TestCaseError> {
    let root = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(root.path().join(SPEC_DIR)).expect("the spec folder");
    for (name, text) in files {
        std::fs::write(root.path().join(SPEC_DIR).join(name), text).expect("a spec file");
    }
    let mut problems = Vec::new();
    if let Some(survey) = load(root.path(), &mut problems) {
        let (lib, lib_problems) = library_of(&known_documents());
        prop_assert_eq!(lib_problems, vec![]);
        problems.extend(validate(&survey, &lib));
    }
    for problem in &problems {
        check_place(problem, files)?;
    }
    Ok(())
}

/// A diagnostic names one of the spec files, and a line within it.
fn check_place(problem: &Diagnostic, files: &[(&str, &str)]) -> Result<(), TestCaseError> {
    let file = files.iter().find(|(name, _)| problem.path == Path::new(SPEC_DIR).join(name));
    let (_, text) = file.ok_or_else(|| TestCaseError::fail(format!("{problem}: not a spec file")))?;
    if let Some(line) = problem.line {
        prop_assert!((1..=editor_lines(text)).contains(&line), "{} (the file has {} lines)", problem, editor_lines(text));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_generated_specs_give_diagnostics_at_lines_of_their_files(
        survey in damaged(survey_file()),
        p1 in damaged(part("p1")),
        p2 in damaged(part("p2")),
        extra in any::<bool>(),
    ) {
        let mut files = vec![(SURVEY_FILE, survey.as_str()), ("p1.toml", p1.as_str()), ("p2.toml", p2.as_str())];
        if extra {
            files.push(("unlisted.toml", ""));
        }
        check_spec(&files)?;
    }

    #[test]
    fn prop_any_text_as_a_spec_gives_diagnostics_never_a_panic(survey in any::<String>(), p1 in any::<String>()) {
        check_spec(&[(SURVEY_FILE, &survey), ("p1.toml", &p1)])?;
        let listed = "id = \"s\"\ntitle = \"S\"\nversion = 1\nparts = [\"p1\"]\n";
        check_spec(&[(SURVEY_FILE, listed), ("p1.toml", &p1)])?;
    }
}
