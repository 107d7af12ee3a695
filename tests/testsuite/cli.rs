//! The command line: help, version, init, check writing nothing, output overrides.

use crate::common::*;

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = normbook(dir.path(), &["--version"]);
    assert_eq!(stdout(&out).trim(), format!("normbook {}", env!("CARGO_PKG_VERSION")));
    for command in ["build", "check", "serve", "init"] {
        let out = normbook(dir.path(), &[command, "--help"]);
        assert!(out.status.success(), "{command}");
        assert!(stdout(&out).contains("Usage: normbook"), "{command}");
    }
    assert!(stdout(&normbook(dir.path(), &["build", "--help"])).contains("--base-path"));
}

#[test]
fn init_makes_a_handbook_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = normbook(dir.path(), &["init", "new-book"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Not on the PATH (as after `cargo run`), the way to run it is its path.
    let exe = env!("CARGO_BIN_EXE_normbook");
    assert!(stdout(&out).contains(&format!("{exe} build --root new-book")), "{}", stdout(&out));
    let book = dir.path().join("new-book");
    let out = normbook(&book, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Output that is not a terminal gets the closing line, and no progress.
    assert!(stdout(&out).starts_with("Built ") && stdout(&out).lines().count() == 1, "{}", stdout(&out));
    assert_eq!(stderr(&out), "");
    let home = read(book.join("public/index.html"));
    assert!(home.contains(r#"Read the survey's <a href="survey/instructions.html">instructions</a>."#), "{home}");
    assert!(home.contains("Acting on the report"), "{home}");
    let page = read(book.join("public/reports/example.html"));
    assert!(page.contains(r#"<a class="xref" href="../reports/example.html#example-1" title="A/1/1, para. 1">paragraph 1</a>"#), "{page}");
    assert!(book.join("survey-spec/part-one.toml").is_file());
    // A second init refuses to overwrite.
    let again = normbook(dir.path(), &["init", "new-book"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already holds a handbook"));
}

#[test]
fn init_names_normbook_when_the_path_leads_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_normbook"));
    let out = std::process::Command::new(exe)
        .args(["init", "on-path"])
        .env("PATH", exe.parent().unwrap())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("  normbook build --root on-path\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("  normbook serve --root on-path\n"), "{}", stdout(&out));
}

#[test]
fn check_writes_nothing() {
    let site = fixture("mini");
    let out = normbook(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.path().join("public").exists());
}

#[test]
fn output_and_root_options() {
    let site = fixture("mini");
    let parent = site.path().parent().unwrap();
    let root = site.path().to_str().unwrap();
    let out = normbook(parent, &["build", "--root", root, "--output", "elsewhere", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(site.path().join("elsewhere/index.html").is_file());
}

#[test]
fn a_folder_without_a_handbook_is_named_in_full_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().canonicalize().unwrap();
    for command in ["build", "check", "serve"] {
        let out = normbook(&full, &[command, "--port", "0"][..if command == "serve" { 3 } else { 1 }]);
        assert!(!out.status.success());
        let want = format!(
            "Error: {}: not found: {} holds no handbook. Run normbook in the handbook's folder, give it with --root DIR, or start a new one with `normbook init DIR`\n",
            full.join("site.toml").display(),
            full.display()
        );
        assert!(stderr(&out).starts_with(&want), "{command}: {}", stderr(&out));
        assert_eq!(std::fs::read_dir(&full).unwrap().count(), 0, "{command} wrote something");
    }
}
