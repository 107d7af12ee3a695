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
    let book = dir.path().join("new-book");
    let out = normbook(&book, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(book.join("public/reports/example.html"));
    assert!(page.contains(r#"<a class="xref" href="../reports/example.html#example-1" title="A/1/1, para. 1">paragraph 1</a>"#), "{page}");
    assert!(book.join("survey-spec/part-one.toml").is_file());
    // A second init refuses to overwrite.
    let again = normbook(dir.path(), &["init", "new-book"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already holds a handbook"));
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
fn serve_answers_pages_and_refuses_escapes() {
    use std::io::{Read, Write};
    let site = fixture("mini");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_normbook"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let get = |path: &str| -> String {
        for _ in 0..100 {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
                let mut response = String::new();
                stream.read_to_string(&mut response).unwrap();
                return response;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("server did not start");
    };
    let page = get("/reports/alpha.html");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8"));
    assert!(page.contains("The alpha report"));
    assert!(get("/").contains("Mini handbook"));
    assert!(get("/nothing-here").starts_with("HTTP/1.1 404"));
    assert!(get("/%2e%2e/site.toml").starts_with("HTTP/1.1 400"));
    assert!(get("/../site.toml").starts_with("HTTP/1.1 400"));
    child.kill().unwrap();
    child.wait().unwrap();
}
