//! A corpus of bad inputs, one change each to a built mini handbook: every one must end in
//! a clear message naming the file and line (or the setting), with no panic, no abort and no
//! hang, the sources as they were left and the previous output untouched.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// One bad input: what it changes, and the line the build must print for it.
struct Case {
    name: &'static str,
    change: fn(&Path),
    message: &'static str,
    /// Extra arguments to `build`.
    args: &'static [&'static str],
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let text = read(root.join(file));
    assert!(text.contains(from), "{file} holds no `{from}`");
    std::fs::write(root.join(file), text.replacen(from, to, 1)).unwrap();
}

fn edit_bytes(root: &Path, file: &str, from: &[u8], to: &[u8]) {
    let bytes = std::fs::read(root.join(file)).unwrap();
    let at = bytes.windows(from.len()).position(|w| w == from).expect("the bytes to change");
    std::fs::write(root.join(file), [&bytes[..at], to, &bytes[at + from.len()..]].concat()).unwrap();
}

fn doc(id: &str, extra: &str, body: &str) -> String {
    format!("+++\nid = \"{id}\"\nsymbol = \"A/9/{id}\"\ntitle = \"{id}\"\n{extra}+++\n\n{body}")
}

const fn case(name: &'static str, change: fn(&Path), message: &'static str) -> Case {
    Case { name, change, message, args: &[] }
}

const CASES: &[Case] = &[
    // Content files.
    case("no front matter", |r| write(r, "content/x.md", "Just text.\n"), "content/x.md:1: missing front matter"),
    case("front matter never closed", |r| write(r, "content/x.md", "+++\nid = \"x\"\n"), "content/x.md:1:"),
    case("front matter TOML broken", |r| write(r, "content/x.md", "+++\nid = \"x\"\ntitle = \n+++\n"), "content/x.md:3:"),
    case(
        "unknown front matter key",
        |r| edit(r, "content/alpha.md", "order = 1", "order = 1\ncolour = \"red\""),
        "content/alpha.md:8: unknown field `colour`",
    ),
    case("front matter value of the wrong type", |r| edit(r, "content/alpha.md", "order = 1", "order = \"first\""), "content/alpha.md:7:"),
    case(
        "paragraphs of the wrong type",
        |r| edit(r, "content/alpha.md", "paragraphs = [\"1-3\"]", "paragraphs = 3"),
        "content/alpha.md:8:",
    ),
    case(
        "document id in capitals",
        |r| edit(r, "content/alpha.md", "id = \"alpha\"", "id = \"Alpha\""),
        "content/alpha.md:2: document id `Alpha` may hold only",
    ),
    case("document id index", |r| write(r, "content/x.md", &doc("index", "", "1. x\n")), "content/x.md:2: document id `index` is taken"),
    case("date written otherwise", |r| edit(r, "content/alpha.md", "2021-05-28", "28/05/2021"), "content/alpha.md:6: date `28/05/2021`"),
    case(
        "two documents with one id",
        |r| write(r, "content/zeta.md", &read(r.join("content/alpha.md")).replace("A/1/100", "A/1/999")),
        "content/zeta.md:2:",
    ),
    case(
        "two documents with one symbol",
        |r| write(r, "content/zeta.md", &read(r.join("content/alpha.md")).replace("id = \"alpha\"", "id = \"zeta\"")),
        "content/zeta.md:3:",
    ),
    case(
        "a range to four billion in front matter",
        |r| edit(r, "content/alpha.md", "[\"1-3\"]", "[\"1-4294967295\"]"),
        "content/alpha.md:8: paragraphs listed in the front matter but missing: 4-4294967295",
    ),
    case(
        "a range that runs backwards",
        |r| edit(r, "content/alpha.md", "[\"1-3\"]", "[\"3-1\"]"),
        "content/alpha.md:8: paragraphs: range `3-1` runs backwards",
    ),
    case(
        "a range that is not one",
        |r| edit(r, "content/alpha.md", "[\"1-3\"]", "[\"one-3\"]"),
        "content/alpha.md:8: paragraphs: `one-3` is not a number",
    ),
    case(
        "a number past u32",
        |r| edit(r, "content/alpha.md", "[\"1-3\"]", "[\"1-99999999999999999999\"]"),
        "content/alpha.md:8: paragraphs: `1-99999999999999999999` is not a number",
    ),
    case(
        "paragraphs out of order",
        |r| edit(r, "content/alpha.md", "3. The rules:", "1. The rules:"),
        "content/alpha.md:31: paragraph 1 appears twice (first at line 23)",
    ),
    case(
        "a paragraph twice",
        |r| edit(r, "content/alpha.md", "3. The rules:", "2. The rules:"),
        "content/alpha.md:31: paragraph 2 appears twice (first at line 25)",
    ),
    case(
        "a paragraph not declared",
        |r| edit(r, "content/alpha.md", "[\"1-3\"]", "[\"1-2\"]"),
        "content/alpha.md:31: paragraph 3 is not in the front matter's `paragraphs`",
    ),
    case(
        "a huge paragraph number",
        |r| write(r, "content/x.md", &doc("x", "", "99999999999999999999. big\n")),
        "content/x.md:7: paragraph number 99999999999999999999 is too large (at most 4294967295)",
    ),
    case(
        "a paragraph numbered zero",
        |r| write(r, "content/x.md", &doc("x", "", "0. zero\n")),
        "content/x.md:7: paragraph numbers start at 1",
    ),
    case(
        "sub-items out of sequence",
        |r| edit(r, "content/alpha.md", "(b) Rule two", "(d) Rule two"),
        "content/alpha.md:35: sub-item (d) is out of sequence",
    ),
    case(
        "a sub-item indented with a tab",
        |r| edit(r, "content/alpha.md", "    (b) Rule two", "\t(b) Rule two"),
        "content/alpha.md:35: sub-item (b) is indented with a tab",
    ),
    case(
        "a sub-item indented by three spaces",
        |r| edit(r, "content/alpha.md", "    (b) Rule two", "   (b) Rule two"),
        "content/alpha.md:35: sub-item (b) is indented by 3 spaces",
    ),
    case(
        "a second-level sub-item with no first",
        |r| edit(r, "content/alpha.md", "    (a) Rule one;", "        (i) Rule one;"),
        "content/alpha.md:33: sub-item (i) is indented by eight spaces",
    ),
    case(
        "a sub-item outside a paragraph",
        |r| edit(r, "content/alpha.md", "## I. Introduction", "## I. Introduction\n\n    (a) stray"),
        "content/alpha.md:23: sub-item `(a)` is outside",
    ),
    case(
        "a footnote never cited",
        |r| edit(r, "content/alpha.md", "[^1]: A/1/200", "[^2]: Unused.\n\n[^1]: A/1/200"),
        "content/alpha.md:41: footnote [^2] is never cited",
    ),
    case(
        "a footnote cited and never written",
        |r| edit(r, "content/alpha.md", "cites a footnote.[^1]", "cites a footnote.[^1][^7]"),
        "content/alpha.md:23: footnote [^7] has no definition",
    ),
    case(
        "a reference to a range to four billion",
        |r| edit(r, "content/beta.md", "[[alpha:2-a]]", "[[alpha:1-4294967295]]"),
        "content/beta.md:17: `alpha:1-4294967295`: alpha has no paragraph 4, 5, 6, 7, 8 (and more)",
    ),
    case(
        "words for a range to four billion",
        |r| edit(r, "content/alpha.md", "As in paragraph 3 (b) of this report", "As in paragraphs 1 to 4294967295 of this report"),
        "content/alpha.md:25: `paragraphs 1 to 4294967295` refers to alpha:4294967295, which does not exist",
    ),
    case(
        "a reference to a missing paragraph",
        |r| edit(r, "content/beta.md", "[[alpha:2-a]]", "[[alpha:99]]"),
        "content/beta.md:17: `alpha:99` is not a paragraph",
    ),
    case(
        "a reference to a missing document",
        |r| edit(r, "content/beta.md", "[[alpha:2-a]]", "[[nowhere:1]]"),
        "content/beta.md:17: unknown document `nowhere`",
    ),
    case(
        "a range that runs downwards",
        |r| edit(r, "content/beta.md", "[[alpha:2-a]]", "[[alpha:3-1]]"),
        "content/beta.md:17: range `alpha:3-1` must run upwards",
    ),
    case(
        "words naming a missing paragraph",
        |r| edit(r, "content/alpha.md", "As in paragraph 3 (b)", "As in paragraph 3 (z)"),
        "content/alpha.md:25: `paragraph 3 (z)` refers to alpha:3-z",
    ),
    case("a named reference to nowhere", |r| edit(r, "content/alpha.md", "rule = \"alpha:3\"", "rule = \"alpha:77\""), "content/alpha.md:"),
    case(
        "a file that is not UTF-8",
        |r| edit_bytes(r, "content/alpha.md", b"The first paragraph", b"The f\xe9rst paragraph"),
        "content/alpha.md:23: column 9: the text is not UTF-8 (byte 0xE9)",
    ),
    case(
        "a broken link in Markdown",
        |r| edit(r, "content/alpha.md", "The first paragraph", "The [first](nowhere.html) paragraph"),
        "content/alpha.md:23: the link `nowhere.html` (on reports/alpha.html) points to no file of the site",
    ),
    case(
        "a link to a missing anchor",
        |r| edit(r, "content/alpha.md", "The first paragraph", "The [first](beta.html#beta-99) paragraph"),
        "content/alpha.md:23: the link `beta.html#beta-99` (on reports/alpha.html)",
    ),
    case(
        "a heading anchor used twice",
        |r| edit(r, "content/alpha.md", "## I. Introduction", "## Letter of transmittal"),
        "content/alpha.md:21:",
    ),
    case("an empty content file", |r| write(r, "content/x.md", ""), "content/x.md:1:"),
    case("a content file of one marker", |r| write(r, "content/x.md", "+++"), "content/x.md:1:"),
    case(
        "a folder linking back to content",
        |r| symlink(".", &r.join("content/loop")),
        "content/loop: links back to content/, which holds it",
    ),
    case(
        "two folders linking back to content",
        |r| {
            symlink(".", &r.join("content/loop"));
            symlink("..", &r.join("content/sub/again"));
        },
        "content/sub/again: links back to content/, which holds it",
    ),
    case(
        "a folder link read twice",
        |r| {
            std::fs::create_dir_all(r.join("content/extra")).unwrap();
            symlink("extra", &r.join("content/same"));
            write(r, "content/extra/x.md", &doc("x", "", "1. x\n"));
        },
        "content/same: links to content/extra/, which is read already",
    ),
    // site.toml.
    case("an unknown setting", |r| write(r, "site.toml", "title = \"T\"\ncolour = \"red\"\n"), "site.toml:2: unknown field `colour`"),
    case("site.toml TOML broken", |r| write(r, "site.toml", "title = \"T\n"), "site.toml:1:"),
    case("no title", |r| write(r, "site.toml", "description = \"d\"\n"), "site.toml:1: missing field `title`"),
    case("a missing theme", |r| write(r, "site.toml", "title = \"T\"\n\ntheme = \"nope\"\n"), "site.toml:3: theme `nope` not found"),
    case("search of the wrong type", |r| write(r, "site.toml", "title = \"T\"\nsearch = \"yes\"\n"), "site.toml:2:"),
    case(
        "output_dir content",
        |r| write(r, "site.toml", "title = \"T\"\noutput_dir = \"content\"\n"),
        "site.toml:2: `content` is the source folder content/",
    ),
    case(
        "output_dir the root",
        |r| write(r, "site.toml", "title = \"T\"\noutput_dir = \".\"\n"),
        "site.toml:2: `.` is the handbook's own folder",
    ),
    case(
        "output_dir inside themes",
        |r| write(r, "site.toml", "title = \"T\"\noutput_dir = \"themes/out\"\n"),
        "site.toml:2: `themes/out` lies inside the source folder themes/",
    ),
    Case {
        name: "--output survey-spec",
        change: |_| {},
        message: "--output: `survey-spec` is the source folder survey-spec/",
        args: &["--output", "survey-spec"],
    },
    Case {
        name: "--output a file",
        change: |r| write(r, "notes.txt", "mine"),
        message: "--output: `notes.txt` is a file, not a folder",
        args: &["--output", "notes.txt"],
    },
    Case {
        name: "--output a folder of other files",
        change: |r| write(r, "mine/a.txt", "mine"),
        message: "--output: `mine` holds files that normbook did not write (a.txt)",
        args: &["--output", "mine"],
    },
    // Templates.
    case(
        "a template syntax error",
        |r| edit(r, "themes/default/templates/404.html", "{% block", "{% if %}{% block"),
        "themes/default/templates/404.html:",
    ),
    case(
        "an unknown variable in the base template",
        |r| edit(r, "themes/default/templates/base.html", "</body>", "{{ site.nothing }}</body>"),
        "`site.nothing` is not defined: no page's context holds it (while rendering 404.html and ",
    ),
    case(
        "a required template missing",
        |r| std::fs::remove_file(r.join("themes/default/templates/404.html")).unwrap(),
        "themes/default/templates/404.html: template missing",
    ),
    case(
        "a macro that calls itself",
        |r| write(r, "themes/default/templates/endless.html", "{% macro again(n) %}\n{{ self::again(n=n) }}\n{% endmacro again %}\n"),
        "themes/default/templates/endless.html:1: macro `again` calls itself whatever the data (again -> again)",
    ),
    case(
        "two macros that call each other",
        |r| {
            edit(r, "themes/default/templates/macros.html", "{% macro legend(q) %}", "{% macro ping() %}{{ self::pong() }}{% endmacro ping %}\n{% macro pong() %}{{ self::ping() }}{% endmacro pong %}\n{% macro legend(q) %}")
        },
        "macro `ping` calls itself whatever the data (ping -> pong -> ping)",
    ),
    case(
        "a broken link in a template",
        |r| edit(r, "themes/default/templates/report.html", "</article>", "<a href=\"gone.html\">x</a></article>"),
        "reports/alpha.html: the link `gone.html` points to no file",
    ),
    // Survey spec.
    case(
        "an unknown key in a part",
        |r| edit(r, "survey-spec/part-one.toml", "pillar = \"Rules\"", "pillar = \"Rules\"\ncolour = 1"),
        "survey-spec/part-one.toml:6: unknown field `colour`",
    ),
    case(
        "spec TOML broken",
        |r| edit(r, "survey-spec/part-one.toml", "title = \"Part One: Rules\"", "title = \"Part One"),
        "survey-spec/part-one.toml:3:",
    ),
    case(
        "a part with no file",
        |r| edit(r, "survey-spec/survey.toml", "parts = [\"part-one\"]", "parts = [\"part-one\", \"part-two\"]"),
        "survey-spec/survey.toml:4: part `part-two` has no file",
    ),
    case(
        "an unknown option set",
        |r| edit(r, "survey-spec/part-one.toml", "options = \"yes-no\"", "options = \"yes-maybe\""),
        "survey-spec/part-one.toml:22: question 1.1: unknown option set `yes-maybe`",
    ),
    case(
        "a branch to nowhere",
        |r| edit(r, "survey-spec/part-one.toml", "goto = \"1.3\"", "goto = \"1.9\""),
        "question 1.1: branch to `1.9`, which is not a question",
    ),
    case(
        "a question id twice",
        |r| edit(r, "survey-spec/part-one.toml", "id = \"1.3\"", "id = \"1.2\""),
        "question id `1.2` is already used",
    ),
    case(
        "a spec range to four billion",
        |r| edit(r, "survey-spec/part-one.toml", "[\"alpha:1-2\"]", "[\"alpha:1-4294967295\"]"),
        "survey-spec/part-one.toml:9: `alpha:1-4294967295`: alpha has no paragraph 4, 5, 6, 7, 8 (and more)",
    ),
    case(
        "a spec file that is not UTF-8",
        |r| {
            let mut bytes = std::fs::read(r.join("survey-spec/part-one.toml")).unwrap();
            bytes.extend(b"\n# caf\xe9\n");
            std::fs::write(r.join("survey-spec/part-one.toml"), bytes).unwrap();
        },
        "survey-spec/part-one.toml:",
    ),
    // Static files.
    case(
        "a static file in place of a page",
        |r| write(r, "static/index.html", "mine"),
        "static/index.html: clashes with the page index.html",
    ),
    case(
        "a static file in place of a folder of pages",
        |r| write(r, "static/reports", "mine"),
        "static/reports: is a file where the site makes a folder of pages",
    ),
    case(
        "a static file under a page's name",
        |r| write(r, "static/index.html/x.txt", "mine"),
        "static/index.html/x.txt: lies in a folder named like the page index.html",
    ),
    case("a static link to outside", |r| symlink("../site.toml", &r.join("static/leak")), "static: "),
];

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Runs `build` on `root`, stopped after `limit` (a hang is a failure, not a stuck suite).
fn build_within(root: &Path, args: &[&str], limit: Duration) -> Option<std::process::Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_normbook"))
        .args(["build", "--quiet", "--no-search"])
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// What went wrong with one case, if anything.
fn run_case(built: &Path, case: &Case) -> Option<String> {
    let site = tempfile::tempdir().unwrap();
    copy_dir(built, site.path());
    let root = site.path();
    (case.change)(root);
    let public_before = snapshot(&root.join("public"));
    let mut sources_before = snapshot(root);
    sources_before.retain(|(path, _)| !path.starts_with("public"));
    let Some(out) = build_within(root, case.args, Duration::from_secs(60)) else {
        return Some(format!("{}: still running after 60 s", case.name));
    };
    let err = stderr(&out);
    let mut sources_after = snapshot(root);
    sources_after.retain(|(path, _)| !path.starts_with("public"));
    let problem = if out.status.success() {
        "the build passed"
    } else if out.status.code() != Some(1) {
        "the build did not exit with 1 (a crash?)"
    } else if err.contains("panicked") || err.contains("overflow") {
        "the build panicked"
    } else if !err.contains(case.message) {
        "the message is not the one expected"
    } else if snapshot(&root.join("public")) != public_before {
        "the previous output changed"
    } else if sources_after != sources_before {
        "a source changed"
    } else {
        return None;
    };
    Some(format!("{}: {problem}\n  expected: {}\n  stderr: {err}", case.name, case.message))
}

#[test]
fn every_bad_input_ends_in_a_clear_message_and_harms_nothing() {
    assert!(CASES.len() > 60, "{} cases", CASES.len());
    let site = fixture("mini");
    let first = normbook(site.path(), &["build", "--quiet", "--no-search"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // Two at a time: each case is a build of its own.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let halves = CASES.split_at(CASES.len() / 2);
        let runs = [halves.0, halves.1]
            .map(|cases| scope.spawn(|| cases.iter().filter_map(|case| run_case(site.path(), case)).collect::<Vec<_>>()));
        runs.into_iter().flat_map(|run| run.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}
