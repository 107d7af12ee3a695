//! Broken sites: each folder of `tests/fixtures/broken/` is laid over the mini fixture;
//! `normbook check` must fail and print exactly `expected.txt` (file:line included).

use crate::common::*;

#[test]
fn every_broken_fixture_reports_its_exact_errors() {
    let broken = repo().join("tests/fixtures/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&broken).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected a broken fixture per kind of error");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = fixture("mini");
        copy_dir(&case, site.path());
        std::fs::remove_file(site.path().join("expected.txt")).ok();
        let out = normbook(site.path(), &["check"]);
        assert!(!out.status.success(), "{name}: check passed");
        assert_eq!(stdout(&out), "", "{name}");
        let expected_path = case.join("expected.txt");
        if std::env::var_os("NORMBOOK_BLESS").is_some() {
            std::fs::write(&expected_path, stderr(&out)).unwrap();
            continue;
        }
        assert_eq!(stderr(&out), read(&expected_path), "{name}");
    }
}

#[test]
fn errors_never_panic_on_odd_input() {
    let site = fixture("mini");
    let odd = [
        "",
        "+++",
        "+++\n+++\n",
        "+++\nid = \"\"\ntitle = \"\"\n+++\n",
        "+++\nid = \"x\"\ntitle = \"x\"\n+++\n        (ii) deep\n\n0. zero\n\n99999999999999999999. big\n",
    ];
    for (i, text) in odd.iter().enumerate() {
        std::fs::write(site.path().join("content/odd.md"), text).unwrap();
        let out = normbook(site.path(), &["check"]);
        assert!(!stderr(&out).contains("panicked"), "case {i}: {}", stderr(&out));
        assert!(!out.status.success(), "case {i} passed");
        assert!(stderr(&out).contains("content/odd.md:"), "case {i}: {}", stderr(&out));
    }
}
